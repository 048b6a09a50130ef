// The batch memo (Session::Impl::BatchMemo): reads in one batch check a
// case's consents and a subject's custody against the signed log once and
// reuse the result.  These tests show that the reuse never outlives what it
// rests on: the batch (one write transaction that no other connection can
// write through), the batch's own non-read operations, and the clock.
#include <string>

#include "catch.h"
#include "context/session_impl.h"
#include "insider_util.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

// A school entry of the world's case (a 15-year-old: the youth and the
// guardian consent) disclosed to police under both consents (until
// `until`); the youth's consent's id in *consent.
std::string DisclosedEntry(InsiderWorld& w, Date until, std::string* consent) {
  Result<std::string> c = w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {true, ""}, until));
  REQUIRE(c.ok());
  *consent = *c;
  REQUIRE(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {false, w.GuardianId()}, until))
              .ok());
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro i mars.");
  REQUIRE(e.ok());
  REQUIRE(w.school->DiscloseEntry(*e, Actor::kPolice, {}).ok());
  return *e;
}

}  // namespace

TEST_CASE("a withdrawal between two batches denies the second batch's reads",
          "[context][batch]") {
  InsiderWorld w;
  std::string consent;
  const std::string entry = DisclosedEntry(w, w.InDays(60), &consent);
  REQUIRE(w.police->BeginBatch().ok());
  for (int i = 0; i < 3; ++i) REQUIRE(w.police->ReadEntry(entry, "SSPF-möte").ok());
  REQUIRE(w.police->CommitBatch().ok());

  REQUIRE(w.coord->WithdrawConsent(consent).ok());
  REQUIRE(w.police->BeginBatch().ok());
  Result<EntryContent> after = w.police->ReadEntry(entry, "SSPF-möte");
  CHECK(after.status().code() == StatusCode::kConsentRequired);
  CHECK_FALSE(after.ok());
  REQUIRE(w.police->CommitBatch().ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a consent that expires during a batch denies the batch's later reads",
          "[context][batch]") {
  InsiderWorld w;
  std::string consent;
  const std::string entry = DisclosedEntry(w, w.InDays(1), &consent);
  REQUIRE(w.police->BeginBatch().ok());
  REQUIRE(w.police->ReadEntry(entry, "SSPF-möte").ok());
  w.clock->Advance(3 * 86400);
  Result<EntryContent> expired = w.police->ReadEntry(entry, "SSPF-möte");
  CHECK(expired.status().code() == StatusCode::kConsentRequired);
  CHECK_FALSE(expired.ok());
  REQUIRE(w.police->CommitBatch().ok());
}

TEST_CASE("a change made inside the batch is seen by the batch's next read",
          "[context][batch]") {
  InsiderWorld w;
  std::string consent;
  DisclosedEntry(w, w.InDays(60), &consent);
  REQUIRE(w.coord->BeginBatch().ok());
  Result<std::vector<ConsentInfo>> before = w.coord->ListConsents(w.case_id);
  REQUIRE(before.ok());
  auto youth = [&consent](const std::vector<ConsentInfo>& all) {
    for (const ConsentInfo& c : all) {
      if (c.id == consent) return c;
    }
    FAIL("the youth's consent is not listed");
    return ConsentInfo{};
  };
  CHECK_FALSE(youth(*before).withdrawn_at.has_value());
  // A non-read operation of the same batch clears what the reads kept.
  REQUIRE(w.coord->WithdrawConsent(consent).ok());
  Result<std::vector<ConsentInfo>> after = w.coord->ListConsents(w.case_id);
  REQUIRE(after.ok());
  CHECK(youth(*after).withdrawn_at.has_value());
  REQUIRE(w.coord->CommitBatch().ok());
  Result<EntryContent> denied = w.police->ReadEntry(w.school->ListEntries(w.case_id)->front().id);
  CHECK(denied.status().code() == StatusCode::kConsentRequired);
}

TEST_CASE("while a batch is open no other connection can write the store",
          "[context][batch][insider]") {
  // The premise of the memo: an insider with the root-derived key cannot
  // change a consent under an open batch (its write waits for the batch's
  // lock and gives up), so a re-read inside the batch would see the same.
  InsiderWorld w;
  std::string consent;
  const std::string entry = DisclosedEntry(w, w.InDays(60), &consent);
  std::unique_ptr<internal::Db> insider = InsiderDb(*w.school, w.options.path);
  REQUIRE(insider->Exec("PRAGMA busy_timeout = 200").ok());
  REQUIRE(w.police->BeginBatch().ok());
  REQUIRE(w.police->ReadEntry(entry, "SSPF-möte").ok());
  CHECK_FALSE(insider->Exec("CREATE TABLE planted (a)").ok());
  REQUIRE(w.police->ReadEntry(entry, "SSPF-möte").ok());
  REQUIRE(w.police->CommitBatch().ok());
  // The same write goes through once the batch is committed: the lock was
  // the reason.
  CHECK(insider->Exec("CREATE TABLE planted (a)").ok());
  CHECK(insider->Exec("DROP TABLE planted").ok());
}
