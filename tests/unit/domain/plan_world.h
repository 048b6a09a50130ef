// The world of the plan tests (plan_test.cpp, plan_share_test.cpp).
#ifndef SSPF_TESTS_UNIT_DOMAIN_PLAN_WORLD_H_
#define SSPF_TESTS_UNIT_DOMAIN_PLAN_WORLD_H_

#include <optional>
#include <string>
#include <vector>

#include "catch.h"
#include "insider_util.h"
#include "sspf/store.h"

namespace sspf::testing {

inline constexpr int64_t kDay = 86400;

// The insider world (coord, school1 and police1 on the team of a
// 15-year-old's case) plus social1 on the team and leisure1 off it, and a
// consent of the youth and the guardian covering coordination, school and
// social for the plan and the meetings: not police, not leisure.
struct PlanWorld : InsiderWorld {
  std::optional<Session> social, leisure;
  PlanWorld() {
    Add("social1", Actor::kSocial, Role::kMember);
    Add("leisure1", Actor::kLeisure, Role::kMember);
    social = Open("social1");
    leisure = Open("leisure1");
    REQUIRE(coord->AddTeamMember(case_id, "social1").ok());
    consents = Consent({Actor::kCoordination, Actor::kSchool, Actor::kSocial}, 20);
  }
  std::vector<std::string> consents;

  // New consent versions of both parties (the youth's and the guardian's)
  // covering `actors` for the plan and the meetings until `days` from now.
  std::vector<std::string> Consent(const std::vector<Actor>& actors, int days) {
    std::vector<std::string> ids;
    for (ConsentParty party : {ConsentParty{true, ""}, ConsentParty{false, GuardianId()}}) {
      ConsentInput c;
      c.case_id = case_id;
      c.party = party;
      c.actors = actors;
      c.categories = {Category::kPlan, Category::kMeeting};
      c.valid_until = InDays(days);
      c.purpose = "sspf-meeting";
      Result<std::string> id = coord->GrantConsent(c);
      INFO(id.status().message());
      REQUIRE(id.ok());
      ids.push_back(*id);
    }
    return ids;
  }

  std::string Goal(const std::string& text) {
    Result<PlanWrite> w = coord->AddPlanGoal(case_id, text);
    REQUIRE(w.ok());
    return w->id;
  }
  std::string Action(const std::string& goal, Actor owner, int due_in_days,
                     const std::string& text) {
    NewPlanAction a;
    a.case_id = case_id;
    a.goal_id = goal;
    a.owner = owner;
    a.due = InDays(due_in_days);
    a.text = text;
    Result<PlanWrite> w = coord->AddPlanAction(a);
    INFO(w.status().message());
    REQUIRE(w.ok());
    return w->id;
  }
};

// The insider's copy of entry `real` under id `forged` (its row, with
// `author_actor` an SQL expression, and its key seals).
inline void ForgeEntryCopy(internal::Db* db, const std::string& real, const std::string& forged,
                           const std::string& author_actor = "author_actor") {
  InsiderExec(db, "INSERT INTO entries(id, case_id, category, author_id, author_actor, "
                  "created, supersedes, key_version, body) SELECT '" + forged +
                      "', case_id, category, author_id, " + author_actor +
                      ", created + 1, supersedes, key_version, body FROM entries WHERE id = '" +
                      real + "'");
  InsiderExec(db, "INSERT INTO entry_keys(entry_id, actor, actor_key_version, sealed) SELECT '" +
                      forged + "', actor, actor_key_version, sealed FROM entry_keys WHERE "
                      "entry_id = '" + real + "'");
}

// The insider's copies of the disclosure rows of entry `real` for entry
// `forged`; a fresh id per copied row: its first hex digit changed (never
// the same).
inline void ForgeDisclosureCopies(internal::Db* db, const std::string& real,
                                  const std::string& forged) {
  InsiderExec(db, "INSERT INTO disclosures(id, entry_id, to_actor, consent_id, grant_id, "
                  "provision, reason, decided_by, created, until) SELECT CASE WHEN "
                  "substr(id, 1, 1) = 'e' THEN 'f' ELSE 'e' END || substr(id, 2), '" + forged +
                      "', to_actor, consent_id, grant_id, provision, reason, decided_by, "
                      "created, until FROM disclosures WHERE entry_id = '" + real + "'");
}

}  // namespace sspf::testing

#endif  // SSPF_TESTS_UNIT_DOMAIN_PLAN_WORLD_H_
