// Insider attacks on the lifecycle state of issue 12 (DESIGN §13): an
// insider with the root-derived SQLCipher key undoes a revocation, flips a
// guardian's custody, clears a grant's end, or puts a removed team member
// back, with direct SQL.  Each is refused where a decision reads it, or
// fails audit verify.
#include <string>

#include "catch.h"
#include "insider_util.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

TEST_CASE("a revoked disclosure revived with direct SQL is refused at use and by verify",
          "[attack][lifecycle]") {
  InsiderWorld w;
  REQUIRE(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {true, ""}, w.InDays(30))).ok());
  REQUIRE(w.coord->GrantConsent(
                  SchoolPoliceConsent(w.case_id, {false, w.GuardianId()}, w.InDays(30)))
              .ok());
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "frånvaro");
  REQUIRE(e.ok());
  Result<std::string> d = w.school->DiscloseEntry(*e, Actor::kPolice, {});
  REQUIRE(d.ok());
  REQUIRE(w.police->ReadEntry(*e, "follow-up").ok());
  // The police insider keeps a copy of the police seal of the entry key.
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  InsiderExec(db.get(), "CREATE TEMP TABLE kept AS SELECT * FROM entry_keys WHERE entry_id = '" + *e +
                     "' AND actor = 3");
  REQUIRE(w.school->RevokeDisclosure(*d).ok());
  REQUIRE_FALSE(w.police->ReadEntry(*e, "follow-up").ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");

  // Revive: the seal back, the revoked column cleared.
  InsiderExec(db.get(), "INSERT INTO entry_keys SELECT * FROM kept");
  InsiderExec(db.get(), "UPDATE disclosures SET revoked = NULL WHERE id = '" + *d + "'");
  Result<EntryContent> r = w.police->ReadEntry(*e, "follow-up");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIntegrityViolation);
  CHECK(r.status().message().find("revoked by event") != std::string::npos);
  const std::string verify = VerifyMessage(*w.auditor);
  CHECK(verify.find("disclosures row " + *d) != std::string::npos);
  CHECK(verify.find("revived") != std::string::npos);
}

TEST_CASE("a guardian's custody flipped with direct SQL is refused at use and by verify",
          "[attack][lifecycle][custody]") {
  InsiderWorld w;
  // A 12-year-old with two guardians with custody; only Anna consents.
  const SubjectInfo subject = w.TwoGuardianCase(419);
  const SubjectInfo* s = &subject;
  const std::string anna = s->guardians[0].id, bo = s->guardians[1].id;
  REQUIRE(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {false, anna}, w.InDays(30))).ok());
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "frånvaro");
  REQUIRE(e.ok());
  REQUIRE(w.school->DiscloseEntry(*e, Actor::kPolice, {}).status().code() ==
          StatusCode::kConsentRequired);

  // The insider takes Bo's custody away, so Anna's consent alone would do.
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  InsiderExec(db.get(), "UPDATE guardians SET custody = 0 WHERE id = '" + bo + "'");
  Result<std::string> d = w.school->DiscloseEntry(*e, Actor::kPolice, {});
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().code() == StatusCode::kIntegrityViolation);
  CHECK(d.status().message().find("custody differs from the access log") != std::string::npos);
  std::string verify = VerifyMessage(*w.auditor);
  CHECK(verify.find("guardians row " + bo + ": custody 0") != std::string::npos);

  // The other way: Bo's custody taken away by a logged event, the
  // disclosure made, then custody given back by SQL.  Reads fail closed.
  InsiderExec(db.get(), "UPDATE guardians SET custody = 1 WHERE id = '" + bo + "'");
  CHECK(VerifyMessage(*w.auditor) == "ok");
  REQUIRE(w.coord->SetGuardianCustody(s->id, bo, false).ok());
  REQUIRE(w.school->DiscloseEntry(*e, Actor::kPolice, {}).ok());
  REQUIRE(w.police->ReadEntry(*e, "follow-up").ok());
  InsiderExec(db.get(), "UPDATE guardians SET custody = 1 WHERE id = '" + bo + "'");
  Result<EntryContent> r = w.police->ReadEntry(*e, "follow-up");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIntegrityViolation);
  verify = VerifyMessage(*w.auditor);
  CHECK(verify.find("guardians row " + bo + ": custody 1") != std::string::npos);
}

TEST_CASE("a grant's end cleared with direct SQL is refused at use and its event deleted fails "
          "verify",
          "[attack][lifecycle][grant]") {
  InsiderWorld w;
  w.Add("police2", Actor::kPolice, Role::kMember);
  Session police2 = w.Open("police2");
  Result<std::string> g =
      police2.GrantEmergency(w.case_id, "OSL 10 kap. 15 a §", "avvägning gjord", 8);
  REQUIRE(g.ok());
  REQUIRE(police2.EndGrant(*g).ok());
  REQUIRE(police2.ShowCase(w.case_id).status().code() == StatusCode::kPermissionDenied);
  CHECK(VerifyMessage(*w.auditor) == "ok");

  std::unique_ptr<internal::Db> db = InsiderDb(police2, w.options.path);
  InsiderExec(db.get(), "UPDATE grants SET ended = NULL WHERE id = '" + *g + "'");
  Result<CaseInfo> shown = police2.ShowCase(w.case_id);
  REQUIRE_FALSE(shown.ok());
  CHECK(shown.status().code() == StatusCode::kIntegrityViolation);
  CHECK(shown.status().message().find("was ended by event") != std::string::npos);
  std::string verify = VerifyMessage(*w.auditor);
  CHECK(verify.find("grants row " + *g) != std::string::npos);

  // The grant.end event deleted too: the decision cannot tell, but the
  // access log has a hole that verify names.
  InsiderExec(db.get(), "DROP TRIGGER events_no_delete; DELETE FROM events WHERE action = " +
                     std::to_string(static_cast<int>(Action::kGrantEnd)));
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

TEST_CASE("a removed team member put back with direct SQL fails verify",
          "[attack][lifecycle][team]") {
  InsiderWorld w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const std::string me = w.IdOf(db.get(), "school1");
  REQUIRE(w.coord->RemoveTeamMember(w.case_id, "school1").ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
  InsiderExec(db.get(), "INSERT INTO case_team(case_id, principal_id, added) VALUES('" + w.case_id +
                     "', '" + me + "', 0)");
  const std::string verify = VerifyMessage(*w.auditor);
  CHECK(verify.find("case_team row " + w.case_id + "/" + me) != std::string::npos);
  CHECK(verify.find("removed the member") != std::string::npos);
}

TEST_CASE("a closed case reopened with direct SQL after a logged reopen and close fails verify",
          "[attack][lifecycle][reopen]") {
  InsiderWorld w;
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  REQUIRE(w.coord->ReopenCase(w.case_id).ok());
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  InsiderExec(db.get(), "UPDATE cases SET open = 1, closed = NULL WHERE id = '" + w.case_id + "'");
  CHECK(VerifyMessage(*w.auditor).find("is open although") != std::string::npos);
}
