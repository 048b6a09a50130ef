// The lifecycle commands of issue 12 through the C++ API: entry revoke,
// grant end, case team remove, case reopen, supersede only one's own
// actor's entries, guardian custody, and the default duration of a
// provision disclosure.  Each change is logged and replayed: audit verify
// stays ok after it.
#include <string>
#include <vector>

#include "catch.h"
#include "insider_util.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr int64_t kDay = 86400;

// A consent of `party` for school <-> police, school records, 30 days.

// Youth and guardian consent; a school entry disclosed to police under it.
struct Disclosed {
  std::string entry, disclosure;
};
Disclosed DiscloseToPolice(InsiderWorld& w) {
  const std::string g = w.GuardianId();
  REQUIRE(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {true, ""}, w.InDays(30))).ok());
  REQUIRE(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {false, g}, w.InDays(30))).ok());
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "frånvaro");
  REQUIRE(e.ok());
  Result<std::string> d = w.school->DiscloseEntry(*e, Actor::kPolice, {});
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE(w.police->ReadEntry(*e, "follow-up").ok());
  return {*e, *d};
}

}  // namespace

TEST_CASE("entry revoke stops the recipient's reads at once", "[lifecycle][revoke]") {
  InsiderWorld w;
  Disclosed d = DiscloseToPolice(w);
  // Only the disclosing actor revokes.
  Status by_police = w.police->RevokeDisclosure(d.disclosure);
  CHECK(by_police.code() == StatusCode::kPermissionDenied);
  CHECK(by_police.message().find("only the disclosing actor") != std::string::npos);
  CHECK(w.school->RevokeDisclosure("no-such-disclosure").code() == StatusCode::kNotFound);

  REQUIRE(w.school->RevokeDisclosure(d.disclosure).ok());
  Result<EntryContent> r = w.police->ReadEntry(d.entry, "follow-up");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kPermissionDenied);
  CHECK(r.status().message().find("revoked") != std::string::npos);
  // The police copy of the entry key is gone; the school's stays.
  CHECK(QueryInt(*w.school, "SELECT count(*) FROM entry_keys WHERE entry_id = '" + d.entry +
                                "' AND actor = " +
                                std::to_string(static_cast<int>(Actor::kPolice))) == 0);
  CHECK(w.school->ReadEntry(d.entry, "follow-up").ok());
  Result<std::vector<EntryInfo>> listed = w.police->ListEntries(w.case_id);
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  CHECK(w.school->RevokeDisclosure(d.disclosure).code() == StatusCode::kFailedPrecondition);

  // A new disclosure works again, and a revocation of an older one leaves
  // it (and the key) alone.
  Result<std::string> again = w.school->DiscloseEntry(d.entry, Actor::kPolice, {});
  REQUIRE(again.ok());
  CHECK(w.police->ReadEntry(d.entry, "follow-up").ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
  Result<std::vector<AuditEvent>> events =
      w.auditor->QueryEvents([] { AuditFilter f; f.action = Action::kEntryRevoke; return f; }());
  REQUIRE(events.ok());
  REQUIRE(events->size() == 3);  // the police denial, the revocation, the repeat's failure
  CHECK(events->at(1).detail.rfind("disclosure=" + d.disclosure + " entry=" + d.entry, 0) == 0);
}

TEST_CASE("grant end stops access under the grant and emergency prints its end",
          "[lifecycle][grant]") {
  InsiderWorld w;
  w.Add("police2", Actor::kPolice, Role::kMember);
  Session police2 = w.Open("police2");
  CHECK(police2.ShowCase(w.case_id).status().code() == StatusCode::kPermissionDenied);
  const UnixSeconds now = w.clock->Now();
  Result<GrantInfo> g =
      police2.GrantEmergencyInfo(w.case_id, "OSL 10 kap. 15 a §", "avvägning gjord", 4);
  INFO(g.status().ToString());
  REQUIRE(g.ok());
  CHECK(g->until == now + 4 * 3600);
  CHECK(g->case_id == w.case_id);
  REQUIRE(police2.ShowCase(w.case_id).ok());

  // Not the holder and no coordinator: refused.
  CHECK(w.school->EndGrant(g->id).code() == StatusCode::kPermissionDenied);
  CHECK(w.school->EndGrant("no-such-grant").code() == StatusCode::kNotFound);
  REQUIRE(police2.EndGrant(g->id).ok());
  CHECK(police2.ShowCase(w.case_id).status().code() == StatusCode::kPermissionDenied);
  CHECK(police2.EndGrant(g->id).code() == StatusCode::kFailedPrecondition);

  // A coordinator on the team ends another principal's grant.
  Result<GrantInfo> g2 =
      police2.GrantEmergencyInfo(w.case_id, "OSL 10 kap. 15 a §", "avvägning gjord", 2);
  REQUIRE(g2.ok());
  REQUIRE(w.coord->EndGrant(g2->id).ok());
  CHECK(police2.ShowCase(w.case_id).status().code() == StatusCode::kPermissionDenied);
  // An expired grant cannot be ended.
  Result<GrantInfo> g3 =
      police2.GrantEmergencyInfo(w.case_id, "OSL 10 kap. 15 a §", "avvägning gjord", 1);
  REQUIRE(g3.ok());
  w.clock->Advance(2 * 3600);
  CHECK(police2.EndGrant(g3->id).code() == StatusCode::kFailedPrecondition);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("case team remove ends team access and adding again works and verifies",
          "[lifecycle][team]") {
  InsiderWorld w;
  REQUIRE(w.school->ListEntries(w.case_id).ok());
  CHECK(w.school->RemoveTeamMember(w.case_id, "school1").code() ==
        StatusCode::kPermissionDenied);  // members do not manage the team
  REQUIRE(w.coord->RemoveTeamMember(w.case_id, "school1").ok());
  CHECK(w.school->ListEntries(w.case_id).status().code() == StatusCode::kPermissionDenied);
  CHECK(w.coord->RemoveTeamMember(w.case_id, "school1").code() ==
        StatusCode::kFailedPrecondition);
  CHECK(w.coord->RemoveTeamMember(w.case_id, "nobody").code() == StatusCode::kNotFound);
  // The last coordinator stays.
  CHECK(w.coord->RemoveTeamMember(w.case_id, "coord").code() == StatusCode::kFailedPrecondition);
  CHECK(VerifyMessage(*w.auditor) == "ok");
  REQUIRE(w.coord->AddTeamMember(w.case_id, "school1").ok());
  REQUIRE(w.school->ListEntries(w.case_id).ok());
  REQUIRE(w.coord->RemoveTeamMember(w.case_id, "school1").ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("case show marks disabled team members", "[lifecycle][team]") {
  InsiderWorld w;
  REQUIRE(w.admin->DisablePrincipal("police1").ok());
  Result<CaseInfo> c = w.coord->ShowCase(w.case_id);
  REQUIRE(c.ok());
  CHECK(c->team_disabled == std::vector<std::string>{"police1"});
  CHECK(std::find(c->team.begin(), c->team.end(), "police1") != c->team.end());
}

TEST_CASE("case reopen opens a closed case and close and reopen repeat and verify",
          "[lifecycle][reopen]") {
  InsiderWorld w;
  CHECK(w.coord->ReopenCase(w.case_id).code() == StatusCode::kFailedPrecondition);
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  CHECK(w.school->AddEntry(w.case_id, Category::kSchool, "x").status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(w.school->ReopenCase(w.case_id).code() == StatusCode::kPermissionDenied);
  REQUIRE(w.coord->ReopenCase(w.case_id).ok());
  Result<CaseInfo> c = w.coord->ShowCase(w.case_id);
  REQUIRE(c.ok());
  CHECK(c->open);
  CHECK_FALSE(c->closed.has_value());
  REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "x").ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
  REQUIRE(w.coord->ReopenCase(w.case_id).ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a correction supersedes only an entry of one's own actor", "[lifecycle][supersede]") {
  InsiderWorld w;
  Result<std::string> police_entry = w.police->AddEntry(w.case_id, Category::kPolice, "p");
  REQUIRE(police_entry.ok());
  Result<std::string> school_entry = w.school->AddEntry(w.case_id, Category::kSchool, "s");
  REQUIRE(school_entry.ok());
  Result<std::string> wrong =
      w.school->AddEntry(w.case_id, Category::kSchool, "rättelse", *police_entry);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == StatusCode::kPermissionDenied);
  CHECK(wrong.status().message().find("own actor") != std::string::npos);
  Result<std::string> right =
      w.school->AddEntry(w.case_id, Category::kSchool, "rättelse", *school_entry);
  REQUIRE(right.ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("only guardians with custody must consent and custody changes are logged",
          "[lifecycle][custody]") {
  InsiderWorld w;
  const SubjectInfo subject = w.TwoGuardianCase(418);
  const SubjectInfo* s = &subject;
  const std::string anna = s->guardians[0].id, bo = s->guardians[1].id;
  CHECK(s->guardians[0].custody);
  REQUIRE(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {false, anna}, w.InDays(30))).ok());
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "frånvaro");
  REQUIRE(e.ok());
  Result<std::string> denied = w.school->DiscloseEntry(*e, Actor::kPolice, {});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == StatusCode::kConsentRequired);
  CHECK(denied.status().message().find("guardian " + bo) != std::string::npos);

  CHECK(w.school->SetGuardianCustody(s->id, bo, false).code() == StatusCode::kPermissionDenied);
  CHECK(w.coord->SetGuardianCustody(s->id, "no-such", false).code() == StatusCode::kNotFound);
  REQUIRE(w.coord->SetGuardianCustody(s->id, bo, false).ok());
  CHECK(w.coord->SetGuardianCustody(s->id, bo, false).code() == StatusCode::kFailedPrecondition);
  Result<SubjectInfo> shown = w.coord->ShowSubject(s->id);
  REQUIRE(shown.ok());
  CHECK(shown->guardians[0].custody);
  CHECK_FALSE(shown->guardians[1].custody);
  // A guardian without custody does not consent for the youth.
  CHECK(w.coord->GrantConsent(SchoolPoliceConsent(w.case_id, {false, bo}, w.InDays(30)))
            .status()
            .code() ==
        StatusCode::kFailedPrecondition);
  Result<std::string> d = w.school->DiscloseEntry(*e, Actor::kPolice, {});
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE(w.police->ReadEntry(*e, "follow-up").ok());
  // Custody back: Bo must consent again, so the reads stop.
  REQUIRE(w.coord->SetGuardianCustody(s->id, bo, true).ok());
  Result<EntryContent> r = w.police->ReadEntry(*e, "follow-up");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kConsentRequired);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a provision disclosure without an end gets the rule's default duration",
          "[lifecycle][provision]") {
  InsiderWorld w;
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "oro");
  REQUIRE(e.ok());
  DisclosureBasis b;
  b.provision = "OSL 10 kap. 15 a §";
  b.reason = "intresseavvägning gjord";
  const UnixSeconds now = w.clock->Now();
  Result<std::string> d = w.school->DiscloseEntry(*e, Actor::kPolice, b);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  CHECK(QueryInt(*w.school, "SELECT until FROM disclosures WHERE id = '" + *d + "'") ==
        now + 90 * kDay);
  // Past the maximum: refused, naming the rule.
  b.until = now + 366 * kDay;
  Result<std::string> too_long = w.school->DiscloseEntry(*e, Actor::kPolice, b);
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.status().message().find("allows at most 365 days") != std::string::npos);
  REQUIRE(w.police->ReadEntry(*e, "follow-up").ok());
  w.clock->Advance(91 * kDay);
  Result<EntryContent> late = w.police->ReadEntry(*e, "follow-up");
  REQUIRE_FALSE(late.ok());
  CHECK(late.status().message().find("expired") != std::string::npos);
}
