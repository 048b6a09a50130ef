// Retention (gallring) meets the case lifecycle (issue 12): a run erases
// the actors' own references to the case's consents (consent confirm)
// with the case, keeps the guardians' custody flags (and the replay check
// keeps comparing them), and an erased case or subject takes no new
// lifecycle change.  The attacks: an erased reference restored (page
// replay), a custody flag flipped after the run, a reference blanked by
// hand, with or without a planted tombstone.
#include <string>
#include <vector>

#include "catch.h"
#include "insider_util.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr int64_t kYear = 365 * 86400;
constexpr const char* kReference = "Dnr POL-2026-431";

// A 12-year-old with two guardians, Bo without custody; Anna's consent
// for school and police, confirmed by the police with its own reference;
// one school entry.
struct Scene {
  InsiderWorld w;
  SubjectInfo subject;
  std::string anna, bo, consent;

  Scene() {
    subject = w.TwoGuardianCase(431);
    anna = subject.guardians[0].id;
    bo = subject.guardians[1].id;
    REQUIRE(w.coord->SetGuardianCustody(subject.id, bo, false).ok());
    Result<std::string> c =
        w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {false, anna}, w.InDays(30)));
    INFO(c.status().ToString());
    REQUIRE(c.ok());
    consent = *c;
    REQUIRE(w.police->ConfirmConsent(consent, kReference).ok());
    REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro GALLRA-L").ok());
  }
  // Closes the case and runs every rule 17 years later.
  void RunAll() {
    REQUIRE(w.coord->CloseCase(w.case_id).ok());
    w.clock->Advance(17 * kYear);
    Result<RetentionRunResult> r =
        w.admin->RunRetention({"BUN 2043/7 § 2", {"school-records", "police-records"}});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    CHECK(r->cases_erased >= 1);
    CHECK(r->subjects_erased >= 1);
  }
  std::string RefRow() const { return "consent_refs WHERE consent_id = '" + consent + "'"; }
};

}  // namespace

TEST_CASE("a retention run erases the consent references with the case and keeps custody",
          "[retention][lifecycle]") {
  Scene s;
  std::unique_ptr<internal::Db> db = InsiderDb(*s.w.police, s.w.options.path);
  const std::vector<uint8_t> old_salt = BlobOf(db.get(), "SELECT salt FROM " + s.RefRow());
  REQUIRE(old_salt.size() == 32);
  s.RunAll();
  REQUIRE(VerifyMessage(*s.w.auditor) == "ok");

  // The text and its salt are gone; the row (who confirmed, when) stays.
  CHECK(Count(db.get(), "SELECT count(*) FROM " + s.RefRow() +
                            " AND reference = '' AND length(salt) = 0") == 1);
  CHECK(FindEverywhere(db.get(), kReference).empty());
  Result<std::vector<ConsentInfo>> listed = s.w.coord->ListConsents(s.w.case_id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  bool police_listed = false;
  for (const ConsentReference& r : listed->at(0).references) {
    if (r.actor != Actor::kPolice) continue;
    police_listed = true;
    CHECK(r.reference.empty());
  }
  CHECK(police_listed);
  // Custody stays (no name left to it) and is still read from the log.
  Result<SubjectInfo> shown = s.w.coord->ShowSubject(s.subject.id);
  REQUIRE(shown.ok());
  REQUIRE(shown->guardians.size() == 2);
  CHECK(shown->guardians[0].custody);
  CHECK_FALSE(shown->guardians[1].custody);
  CHECK(shown->guardians[1].name.empty());

  // Nothing is added to an erased case or subject again.
  Status reopen = s.w.coord->ReopenCase(s.w.case_id);
  CHECK(reopen.code() == StatusCode::kFailedPrecondition);
  CHECK(reopen.message().find("erased under retention") != std::string::npos);
  Status confirm = s.w.school->ConfirmConsent(s.consent, "Skolans blankett 3");
  CHECK(confirm.code() == StatusCode::kFailedPrecondition);
  CHECK(confirm.message().find("erased under retention") != std::string::npos);
  Status custody = s.w.coord->SetGuardianCustody(s.subject.id, s.bo, true);
  CHECK(custody.code() == StatusCode::kFailedPrecondition);
  CHECK(custody.message().find("erased") != std::string::npos);
  CHECK(VerifyMessage(*s.w.auditor) == "ok");

  SECTION("an erased reference restored (page replay)") {
    RunWithBlob(db.get(),
                "UPDATE consent_refs SET reference = '" + std::string(kReference) +
                    "', salt = ? WHERE consent_id = '" + s.consent + "'",
                old_salt);
    CHECK(VerifyMessage(*s.w.auditor).find("keeps its reference although its case is erased") !=
          std::string::npos);
  }
  SECTION("a custody flag flipped after the run") {
    ExecOrFail(db.get(), "UPDATE guardians SET custody = 1 WHERE id = '" + s.bo + "'");
    CHECK(VerifyMessage(*s.w.auditor).find("custody 1 differs from event") != std::string::npos);
  }
  SECTION("the erased reference row deleted") {
    ExecOrFail(db.get(), "DELETE FROM " + s.RefRow());
    CHECK(VerifyMessage(*s.w.auditor).find("not in the tables") != std::string::npos);
  }
}

TEST_CASE("a consent reference blanked without a retention run fails verify",
          "[retention][lifecycle][attack]") {
  Scene s;
  std::unique_ptr<internal::Db> db = InsiderDb(*s.w.police, s.w.options.path);
  REQUIRE(VerifyMessage(*s.w.auditor) == "ok");
  ExecOrFail(db.get(), "UPDATE consent_refs SET reference = '', salt = x'' WHERE consent_id = '" +
                           s.consent + "'");
  CHECK(VerifyMessage(*s.w.auditor).find("has no reference and its case no erasure event") !=
        std::string::npos);
  SECTION("with a tombstone for the case planted to explain it") {
    ExecOrFail(db.get(), "INSERT INTO erasures VALUES('case:" + s.w.case_id + "', '" +
                             s.w.case_id + "', 1, '-', 'SN 1')");
    CHECK(VerifyMessage(*s.w.auditor).find("erasures row case:" + s.w.case_id) !=
          std::string::npos);
  }
}
