// The joint plan after issue 14: an action's owner actor marks it done (a
// decision-table over the writers, each denial with nothing written and a
// logged denial), plan share after a new consent or team member (never under
// a withdrawn or expired consent, idempotent), and the insider attacks on
// both by direct SQL: a forged owner status entry and a forged disclosure
// row, each refused at use and caught by audit verify.
#include <algorithm>

#include "catch.h"
#include "insider_util.h"
#include "plan_world.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

int64_t Events(Session& s, Action a, bool allowed) {
  return QueryInt(s, "SELECT count(*) FROM events WHERE allowed = " +
                         std::string(allowed ? "1" : "0") +
                         " AND action = " + std::to_string(static_cast<int>(a)));
}

int64_t Entries(Session& s) { return QueryInt(s, "SELECT count(*) FROM entries"); }

const PlanAction* Find(const CasePlan& p, const std::string& id) {
  for (const PlanAction& a : p.actions) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

size_t DisclosedTo(const PlanShare& r, Actor a) {
  return static_cast<size_t>(std::count_if(r.disclosed.begin(), r.disclosed.end(),
                                           [&](const PlanShareItem& d) { return d.to == a; }));
}

}  // namespace

TEST_CASE("an action's owner actor marks it done: decision table over the writers") {
  PlanWorld w;
  w.Add("school2", Actor::kSchool, Role::kMember);
  w.Open("school1");  // delivers school's keys to school2
  Session school2 = w.Open("school2");
  REQUIRE(w.coord->AddTeamMember(w.case_id, "school2").ok());
  const std::string goal = w.Goal("Regelbunden skolgång");
  auto action = [&](Actor owner, const std::string& principal) {
    NewPlanAction a;
    a.case_id = w.case_id;
    a.goal_id = goal;
    a.owner = owner;
    a.principal = principal;
    a.due = w.InDays(3);
    a.text = "Insats";
    Result<PlanWrite> r = w.coord->AddPlanAction(a);
    INFO(r.status().message());
    REQUIRE(r.ok());
    return r->id;
  };
  struct Row {
    const char* who;
    Session* s;
    Actor owner;
    const char* principal;
    StatusCode code;
  };
  const Row table[] = {
      {"school1, a member of the owner actor", &*w.school, Actor::kSchool, "", StatusCode::kOk},
      {"school2, the named principal", &school2, Actor::kSchool, "school2", StatusCode::kOk},
      {"school1, not the named principal", &*w.school, Actor::kSchool, "school2",
       StatusCode::kPermissionDenied},
      {"social1, another actor's member", &*w.social, Actor::kSchool, "",
       StatusCode::kPermissionDenied},
      {"police1, owner actor on the team that cannot read the action", &*w.police,
       Actor::kPolice, "", StatusCode::kPermissionDenied},
      {"leisure1, owner actor off the team", &*w.leisure, Actor::kLeisure, "",
       StatusCode::kPermissionDenied},
      {"admin", &*w.admin, Actor::kSchool, "", StatusCode::kPermissionDenied},
  };
  for (const Row& r : table) {
    INFO(r.who);
    const std::string id = action(r.owner, r.principal);
    const int64_t entries = Entries(*w.coord);
    const int64_t denied = QueryInt(*w.coord, "SELECT count(*) FROM events WHERE allowed = 0");
    Result<PlanWrite> done = r.s->MarkPlanActionDone(id);
    Result<CasePlan> plan = w.coord->ShowPlan(w.case_id);
    REQUIRE(plan.ok());
    const PlanAction* a = Find(*plan, id);
    REQUIRE(a != nullptr);
    if (r.code == StatusCode::kOk) {
      INFO(done.status().message());
      REQUIRE(done.ok());
      CHECK(done->kind == "status");
      // The owner actor's entry, disclosed to the actors its consent
      // covers: the coordinator sees the action done.
      CHECK(QueryInt(*w.coord, "SELECT author_actor FROM entries WHERE id = '" + done->id +
                                   "'") == static_cast<int>(Actor::kSchool));
      CHECK(done->disclosed_to == std::vector<Actor>{Actor::kSocial, Actor::kCoordination});
      CHECK(Entries(*w.coord) == entries + 1);
      CHECK(a->status == ActionStatus::kDone);
      CHECK(a->done_entry_id == done->id);
    } else {
      CHECK(done.status().code() == r.code);
      // Nothing written, and the refusal logged.
      CHECK(Entries(*w.coord) == entries);
      CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE allowed = 0") > denied);
      CHECK(a->status == ActionStatus::kOpen);
    }
  }
  // The owner's denial is the policy's (a denied entry.add naming the rule).
  const std::string id = action(Actor::kSchool, "");
  const int64_t denied_adds = Events(*w.coord, Action::kEntryAdd, false);
  CHECK(w.social->MarkPlanActionDone(id).status().code() == StatusCode::kPermissionDenied);
  CHECK(Events(*w.coord, Action::kEntryAdd, false) == denied_adds + 1);
  // A member still writes no other plan entry.
  CHECK(w.school->AddPlanGoal(w.case_id, "eget mål").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(w.school->AddEntry(w.case_id, Category::kPlan, "{\"sspf\":\"plan/1\",\"type\":"
                           "\"status\",\"action\":\"" + id + "\",\"status\":\"done\"}")
            .status()
            .code() == StatusCode::kPermissionDenied);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("plan share discloses the plan to a newly covered actor, once") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  w.Action(goal, Actor::kSchool, 4, "Närvaro");
  NewMeeting m;
  m.case_id = w.case_id;
  m.date = w.InDays(0);
  m.attendees = {Actor::kSchool, Actor::kPolice};
  m.minutes = "Protokoll";
  REQUIRE(w.coord->AddMeeting(m).ok());
  Result<CasePlan> p = w.coord->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK(p->unshared == 0);
  Result<PlanShare> none = w.coord->SharePlan(w.case_id);
  REQUIRE(none.ok());
  CHECK(none->disclosed.empty());
  CHECK(none->held == 6);         // 3 entries x school, social
  CHECK(none->not_covered == 3);  // 3 entries x police

  // A consent that covers police too: police is on the team, and the plan
  // written before it stays unreadable to police until it is shared.
  w.Consent({Actor::kCoordination, Actor::kSchool, Actor::kSocial, Actor::kPolice}, 20);
  CHECK(w.police->ShowPlan(w.case_id).status().code() == StatusCode::kPermissionDenied);
  p = w.coord->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  const int64_t unshared = p->unshared;
  CHECK(unshared >= 3);
  Result<DueReport> due = w.coord->Due(14);
  REQUIRE(due.ok());
  bool listed = false;
  for (const DueItem& d : due->items) {
    if (d.kind == "plan-unshared") listed = d.case_id == w.case_id && d.text == std::to_string(unshared);
  }
  CHECK(listed);
  // Members of other actors have nothing of their own to share.
  Result<PlanShare> school = w.school->SharePlan(w.case_id);
  REQUIRE(school.ok());
  CHECK(school->disclosed.empty());
  CHECK(school->other_author == 3);

  const int64_t disclosures = Events(*w.coord, Action::kEntryDisclose, true);
  Result<PlanShare> shared = w.coord->SharePlan(w.case_id);
  INFO(shared.status().message());
  REQUIRE(shared.ok());
  CHECK(static_cast<int64_t>(shared->disclosed.size()) == unshared);
  CHECK(DisclosedTo(*shared, Actor::kPolice) == 3);
  CHECK(shared->not_covered == 0);
  // Each one decided and logged as an entry.disclose.
  CHECK(Events(*w.coord, Action::kEntryDisclose, true) == disclosures + unshared);
  for (const PlanShareItem& d : shared->disclosed) {
    CHECK(QueryInt(*w.coord, "SELECT count(*) FROM disclosures WHERE id = '" + d.disclosure_id +
                                 "' AND entry_id = '" + d.entry_id + "'") == 1);
  }
  Result<CasePlan> police = w.police->ShowPlan(w.case_id);
  REQUIRE(police.ok());
  CHECK(police->goals.size() == 1);
  CHECK(police->actions.size() == 1);
  CHECK(police->meetings.size() == 1);
  REQUIRE(w.school->ShowPlan(w.case_id).ok());
  // Idempotent: a second run discloses nothing.
  Result<PlanShare> again = w.coord->SharePlan(w.case_id);
  REQUIRE(again.ok());
  CHECK(again->disclosed.empty());
  CHECK(again->held == 9);
  CHECK(Events(*w.coord, Action::kEntryDisclose, true) == disclosures + unshared);
  p = w.coord->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK(p->unshared == 0);
  due = w.coord->Due(14);
  REQUIRE(due.ok());
  for (const DueItem& d : due->items) CHECK(d.kind != "plan-unshared");
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("plan share: a new team member, never under a withdrawn or expired consent") {
  PlanWorld w;
  w.Goal("Mål");
  REQUIRE(w.coord->AddTeamMember(w.case_id, "leisure1").ok());
  // On the team, not covered: nothing for leisure.
  Result<PlanShare> r = w.coord->SharePlan(w.case_id);
  REQUIRE(r.ok());
  CHECK(DisclosedTo(*r, Actor::kLeisure) == 0);
  CHECK(r->not_covered >= 2);  // leisure and police
  const int64_t disclosures = Events(*w.coord, Action::kEntryDisclose, true);

  // Covered, then withdrawn before the share.
  std::vector<std::string> ids =
      w.Consent({Actor::kCoordination, Actor::kSchool, Actor::kSocial, Actor::kLeisure}, 20);
  REQUIRE(w.coord->WithdrawConsent(ids[0]).ok());
  r = w.coord->SharePlan(w.case_id);
  REQUIRE(r.ok());
  CHECK(r->disclosed.empty());
  CHECK(Events(*w.coord, Action::kEntryDisclose, true) == disclosures);
  CHECK(w.leisure->ShowPlan(w.case_id).status().code() != StatusCode::kOk);

  // Covered until in two days, shared after it ran out.
  w.Consent({Actor::kCoordination, Actor::kSchool, Actor::kSocial, Actor::kLeisure}, 2);
  w.clock->Advance(3 * kDay);
  Result<CasePlan> p = w.coord->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK(p->unshared == 0);
  r = w.coord->SharePlan(w.case_id);
  REQUIRE(r.ok());
  CHECK(r->disclosed.empty());
  CHECK(Events(*w.coord, Action::kEntryDisclose, true) == disclosures);
  CHECK(w.leisure->ShowPlan(w.case_id).status().code() != StatusCode::kOk);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("insider: a forged owner status entry (another actor's action done) is refused") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  const std::string mine = w.Action(goal, Actor::kSchool, -2, "Närvaro");
  const std::string other = w.Action(goal, Actor::kSocial, -2, "Samtal");
  // social1 may not mark school's action done; its insider copies school's
  // real status entry (with its key seals and disclosures) under a new id
  // as social's.
  CHECK(w.social->MarkPlanActionDone(mine).status().code() == StatusCode::kPermissionDenied);
  Result<PlanWrite> real = w.school->MarkPlanActionDone(mine);
  REQUIRE(real.ok());
  auto db = InsiderDb(*w.social, w.options.path);
  const std::string forged = "f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1";
  ForgeEntryCopy(db.get(), real->id, forged,
                 std::to_string(static_cast<int>(Actor::kSocial)));
  ForgeDisclosureCopies(db.get(), real->id, forged);
  // At use: the coordinator's read of the plan checks the row against its
  // signed entry.add (there is none) and refuses; so does audit verify.
  CHECK(w.coord->ShowPlan(w.case_id).status().code() == StatusCode::kIntegrityViolation);
  // plan share never discloses it: it is not the coordination actor's.
  Result<PlanShare> share = w.coord->SharePlan(w.case_id);
  REQUIRE(share.ok());
  for (const PlanShareItem& d : share->disclosed) CHECK(d.entry_id != forged);
  CHECK(VerifyMessage(*w.auditor).find(forged) != std::string::npos);
  (void)other;
}

TEST_CASE("insider: a forged disclosure row gives no plan and fails audit verify") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  // Police is newly covered; before plan share its insider forges police's
  // disclosure of the goal (school's row and key seal, relabelled).
  w.Consent({Actor::kCoordination, Actor::kSchool, Actor::kSocial, Actor::kPolice}, 20);
  auto db = InsiderDb(*w.police, w.options.path);
  const std::string police = std::to_string(static_cast<int>(Actor::kPolice));
  const std::string school = std::to_string(static_cast<int>(Actor::kSchool));
  InsiderExec(db.get(), "INSERT INTO disclosures(id, entry_id, to_actor, consent_id, grant_id, "
                        "provision, reason, decided_by, created, until) SELECT CASE WHEN "
                        "substr(id, 1, 1) = 'e' THEN 'f' ELSE 'e' END || substr(id, 2), "
                        "entry_id, " + police + ", (SELECT group_concat(id) FROM (SELECT id "
                        "FROM consents ORDER BY rowid DESC LIMIT 2)), grant_id, provision, "
                        "reason, decided_by, created, until FROM disclosures WHERE entry_id = '" +
                            goal + "' AND to_actor = " + school);
  InsiderExec(db.get(), "INSERT INTO entry_keys(entry_id, actor, actor_key_version, sealed) "
                        "SELECT entry_id, " + police + ", actor_key_version, sealed FROM "
                        "entry_keys WHERE entry_id = '" + goal + "' AND actor = " + school);
  // At use: police gets no plan.
  Result<CasePlan> p = w.police->ShowPlan(w.case_id);
  INFO(p.status().message());
  CHECK(p.status().code() == StatusCode::kIntegrityViolation);
  // audit verify names the row without an entry.disclose event.
  CHECK(VerifyMessage(*w.auditor).find("has no event in the log") != std::string::npos);
}
