// Consent content as the guidance asks (issue 12): a consent names at
// least two actors, the information categories, the kind of collaboration
// as a purpose code, and an end at most StoreOptions::consent_max_months
// months away; it must not be general.  Each actor records or confirms its
// own reference to the consent (consent.confirm), replayed by audit verify.
#include <string>
#include <vector>

#include "catch.h"
#include "domain/domain_internal.h"
#include "insider_util.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {


// The youth's consent (school <-> police, school records) until `until`.
ConsentInput YouthConsent(InsiderWorld& w, Date until) {
  return SchoolPoliceConsent(w.case_id, {true, ""}, until);
}

}  // namespace

TEST_CASE("the latest end of a consent is today plus the configured months",
          "[consent][content]") {
  using internal::ConsentLatestEnd;
  CHECK(ConsentLatestEnd({2026, 12, 1}, 12) == Date{2027, 12, 1});
  CHECK(ConsentLatestEnd({2026, 3, 31}, 1) == Date{2026, 4, 30});
  CHECK(ConsentLatestEnd({2027, 12, 15}, 3) == Date{2028, 3, 15});
  // 29 February plus 12 months: the last day of February.
  CHECK(ConsentLatestEnd({2028, 2, 29}, 12) == Date{2029, 2, 28});
  CHECK(ConsentLatestEnd({2027, 2, 28}, 12) == Date{2028, 2, 28});
  // Values below 1 count as 1.
  CHECK(ConsentLatestEnd({2026, 1, 31}, 0) == Date{2026, 2, 28});
}

TEST_CASE("a consent lasts at most 12 months by default and the host may configure it", "[consent][content]") {
  InsiderWorld w;
  const Date today = DateOf(w.clock->Now());
  const Date latest = internal::ConsentLatestEnd(today, 12);
  Result<std::string> too_long =
      w.coord->GrantConsent(YouthConsent(w, DateOf(w.clock->Now() + 367 * 86400)));
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.status().code() == StatusCode::kInvalidArgument);
  CHECK(too_long.status().message().find("at most 12 months") != std::string::npos);
  CHECK(too_long.status().message().find(FormatDate(latest)) != std::string::npos);
  REQUIRE(w.coord->GrantConsent(YouthConsent(w, latest)).ok());

  // A host that allows 3 months.
  w.options.consent_max_months = 3;
  Session coord3 = w.Open("coord");
  const Date latest3 = internal::ConsentLatestEnd(today, 3);
  Result<std::string> four = coord3.GrantConsent(YouthConsent(w, w.InDays(122)));
  REQUIRE_FALSE(four.ok());
  CHECK(four.status().message().find("at most 3 months") != std::string::npos);
  CHECK(coord3.GrantConsent(YouthConsent(w, latest3)).ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a consent is not general: two actors, categories and a purpose code",
          "[consent][content]") {
  InsiderWorld w;
  ConsentInput one_actor = YouthConsent(w, w.InDays(30));
  one_actor.actors = {Actor::kSchool};
  Result<std::string> r = w.coord->GrantConsent(one_actor);
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find("at least two actors") != std::string::npos);
  // The same actor twice is one actor.
  one_actor.actors = {Actor::kSchool, Actor::kSchool};
  CHECK(w.coord->GrantConsent(one_actor).status().code() == StatusCode::kInvalidArgument);

  ConsentInput no_categories = YouthConsent(w, w.InDays(30));
  no_categories.categories.clear();
  CHECK(w.coord->GrantConsent(no_categories).status().code() == StatusCode::kInvalidArgument);

  ConsentInput no_purpose = YouthConsent(w, w.InDays(30));
  no_purpose.purpose.clear();
  r = w.coord->GrantConsent(no_purpose);
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find("purpose code (sspf-meeting, planning") != std::string::npos);

  ConsentInput free_text = YouthConsent(w, w.InDays(30));
  free_text.purpose = "allt om Ung Testsson";
  r = w.coord->GrantConsent(free_text);
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find("is not a purpose code: use one of sspf-meeting") !=
        std::string::npos);
  // The message never repeats the text (it may hold personal data).
  CHECK(r.status().message().find("Testsson") == std::string::npos);

  // A label is stored as its code.
  ConsentInput label = YouthConsent(w, w.InDays(30));
  label.purpose = "Uppföljning";
  Result<std::string> id = w.coord->GrantConsent(label);
  REQUIRE(id.ok());
  Result<std::vector<ConsentInfo>> listed = w.coord->ListConsents(w.case_id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->at(0).purpose == "follow-up");
  // Nothing refused was logged as a consent.
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE action = " +
                               std::to_string(static_cast<int>(Action::kConsentGrant))) == 1);
}

TEST_CASE("each actor records its own reference to a consent", "[consent][confirm]") {
  InsiderWorld w;
  ConsentInput in = YouthConsent(w, w.InDays(60));
  in.form_ref = "Dnr KS-2026-041";
  Result<std::string> id = w.coord->GrantConsent(in);
  REQUIRE(id.ok());

  // The recording actor's reference is its form_ref.
  CHECK(w.coord->ConfirmConsent(*id, "again").code() == StatusCode::kAlreadyExists);
  CHECK(w.police->ConfirmConsent("no-such-consent", "x").code() == StatusCode::kNotFound);
  CHECK(w.police->ConfirmConsent(*id, "").code() == StatusCode::kInvalidArgument);
  // Not on the team: denied and logged.
  w.Add("police2", Actor::kPolice, Role::kMember);
  Session police2 = w.Open("police2");
  CHECK(police2.ConfirmConsent(*id, "Dnr POL-1").code() == StatusCode::kPermissionDenied);

  REQUIRE(w.police->ConfirmConsent(*id, "Dnr POL-2026-117").ok());
  CHECK(w.police->ConfirmConsent(*id, "Dnr POL-2026-118").code() == StatusCode::kAlreadyExists);
  REQUIRE(w.school->ConfirmConsent(*id, "Skolans blankett 12").ok());

  Result<std::vector<ConsentInfo>> listed = w.school->ListConsents(w.case_id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  const std::vector<ConsentReference>& refs = listed->at(0).references;
  REQUIRE(refs.size() == 3);
  CHECK(refs[0].actor == Actor::kCoordination);
  CHECK(refs[0].reference == "Dnr KS-2026-041");
  CHECK(refs[1].actor == Actor::kPolice);
  CHECK(refs[1].reference == "Dnr POL-2026-117");
  CHECK(refs[1].recorded_by == w.police->principal().id);
  CHECK(refs[2].actor == Actor::kSchool);
  CHECK(refs[2].reference == "Skolans blankett 12");

  // The log holds commitments, never the reference text.
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE instr(detail, 'POL-2026') OR "
                           "instr(reason, 'POL-2026') OR instr(target, 'POL-2026')") == 0);
  Result<std::vector<AuditEvent>> events = w.auditor->QueryEvents(
      [] { AuditFilter f; f.action = Action::kConsentConfirm; return f; }());
  REQUIRE(events.ok());
  // The coordination actor's repeat, police2's denial, police's confirmation
  // and repeat, the school's confirmation (the empty and unknown ids are
  // refused before a decision).
  REQUIRE(events->size() == 5);
  CHECK(VerifyMessage(*w.auditor) == "ok");

  // A withdrawn consent takes no more references.
  REQUIRE(w.coord->WithdrawConsent(*id).ok());
  w.Add("social1", Actor::kSocial, Role::kMember);
  REQUIRE(w.coord->AddTeamMember(w.case_id, "social1").ok());
  Session social = w.Open("social1");
  CHECK(social.ConfirmConsent(*id, "Dnr SOC-9").code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("a consent reference edited or deleted with direct SQL fails verify",
          "[attack][consent][confirm]") {
  InsiderWorld w;
  Result<std::string> id = w.coord->GrantConsent(YouthConsent(w, w.InDays(60)));
  REQUIRE(id.ok());
  REQUIRE(w.police->ConfirmConsent(*id, "Dnr POL-2026-117").ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);

  SECTION("the reference rewritten") {
    InsiderExec(db.get(), "UPDATE consent_refs SET reference = 'Dnr POL-2026-999'");
    const std::string verify = VerifyMessage(*w.auditor);
    CHECK(verify.find("consent_refs row " + *id + "/police") != std::string::npos);
  }
  SECTION("the row moved to another actor") {
    InsiderExec(db.get(), "UPDATE consent_refs SET actor = " +
                       std::to_string(static_cast<int>(Actor::kSchool)));
    CHECK(VerifyMessage(*w.auditor).find("consent_refs row " + *id + "/school") !=
          std::string::npos);
  }
  SECTION("the row deleted") {
    InsiderExec(db.get(), "DELETE FROM consent_refs");
    CHECK(VerifyMessage(*w.auditor).find("consent.confirm it records is not in the tables") !=
          std::string::npos);
  }
  SECTION("a row inserted without an event") {
    InsiderExec(db.get(), "INSERT INTO consent_refs SELECT consent_id, " +
                       std::to_string(static_cast<int>(Actor::kSchool)) +
                       ", reference, salt, recorded_by, recorded FROM consent_refs");
    CHECK(VerifyMessage(*w.auditor).find("consent_refs row " + *id + "/school") !=
          std::string::npos);
  }
}
