// The joint plan (åtagandeplan) and meetings (issue 14): who may read the
// plan (a decision table over the readers), what is disclosed and logged,
// what `due` lists, and the insider attacks of DESIGN §13 on plan rows by
// direct SQL (a replaced action body, a forged status row, a deleted status
// row), each refused at use or caught by audit verify.
#include <algorithm>

#include "catch.h"
#include "context/session_impl.h"
#include "insider_util.h"
#include "plan_world.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

int64_t DeniedReads(Session& s) {
  return QueryInt(s, "SELECT count(*) FROM events WHERE allowed = 0 AND action = " +
                         std::to_string(static_cast<int>(Action::kEntryRead)));
}

std::string AllEventText(Session& s) {
  internal::Stmt* st = internal::SessionAccess::Get(s)
                           ->db->Prepare("SELECT target || '|' || reason || '|' || basis || "
                                         "'|' || purpose || '|' || detail FROM events")
                           .value();
  std::string all;
  while (st->Step().value()) all += st->Text(0) + "\n";
  st->Reset();
  return all;
}

}  // namespace

TEST_CASE("a plan write is an entry disclosed to the team actors the consent covers") {
  PlanWorld w;
  Result<PlanWrite> g = w.coord->AddPlanGoal(w.case_id, "Regelbunden skolgång");
  REQUIRE(g.ok());
  CHECK(g->kind == "goal");
  // social1 and school1 are covered; police1 is on the team but not covered.
  CHECK(g->disclosed_to == std::vector<Actor>{Actor::kSchool, Actor::kSocial});
  CHECK(QueryInt(*w.coord, "SELECT category FROM entries WHERE id = '" + g->id + "'") ==
        static_cast<int>(Category::kPlan));
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM disclosures WHERE entry_id = '" + g->id +
                               "'") == 2);
  // A member cannot write the plan (the rule of plan entries), and the
  // refusal stays in the log although the write's transaction holds nothing.
  const std::string denied_adds =
      "SELECT count(*) FROM events WHERE allowed = 0 AND action = " +
      std::to_string(static_cast<int>(Action::kEntryAdd));
  REQUIRE(QueryInt(*w.coord, denied_adds) == 0);
  CHECK(w.school->AddPlanGoal(w.case_id, "eget mål").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(QueryInt(*w.coord, denied_adds) == 1);
  // Bad input is refused before anything is written.
  const int64_t entries = QueryInt(*w.coord, "SELECT count(*) FROM entries");
  NewPlanAction bad;
  bad.case_id = w.case_id;
  bad.goal_id = g->id;
  bad.owner = Actor::kSchool;
  bad.due = Date{2026, 2, 30};
  bad.text = "x";
  CHECK(w.coord->AddPlanAction(bad).status().code() == StatusCode::kInvalidArgument);
  bad.due = w.InDays(3);
  bad.principal = "police1";  // not of actor school
  CHECK(w.coord->AddPlanAction(bad).status().code() == StatusCode::kInvalidArgument);
  bad.principal = "";
  bad.goal_id = w.case_id;  // not a goal
  CHECK(w.coord->AddPlanAction(bad).status().code() == StatusCode::kInvalidArgument);
  NewMeeting m;
  m.case_id = w.case_id;
  m.date = w.InDays(0);
  CHECK(w.coord->AddMeeting(m).status().code() == StatusCode::kInvalidArgument);  // attendees
  m.attendees = {Actor::kSchool, Actor::kSchool};
  CHECK(w.coord->AddMeeting(m).status().code() == StatusCode::kInvalidArgument);
  m.attendees = {Actor::kSchool};
  m.next_follow_up = w.InDays(-1);
  CHECK(w.coord->AddMeeting(m).status().code() == StatusCode::kInvalidArgument);
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM entries") == entries);
}

TEST_CASE("the plan: decision table over its readers") {
  PlanWorld w;
  const std::string goal = w.Goal("Regelbunden skolgång");
  const std::string a1 = w.Action(goal, Actor::kSchool, -1, "Daglig närvarokontroll");
  w.Action(goal, Actor::kSocial, 5, "Samtal med familjen");
  NewMeeting m;
  m.case_id = w.case_id;
  m.date = w.InDays(0);
  m.kind = MeetingKind::kNetwork;
  m.attendees = {Actor::kSchool, Actor::kSocial, Actor::kCoordination};
  m.minutes = "Rad ett.\nRad två.\n";
  m.next_follow_up = w.InDays(14);
  REQUIRE(w.coord->AddMeeting(m).ok());

  struct Row {
    const char* who;
    Session* s;
    bool reads;
    StatusCode code;  // when it does not
  };
  const Row table[] = {
      {"coordinator (author actor)", &*w.coord, true, StatusCode::kOk},
      {"school, on the team, covered", &*w.school, true, StatusCode::kOk},
      {"social, on the team, covered", &*w.social, true, StatusCode::kOk},
      {"police, on the team, not covered", &*w.police, false, StatusCode::kPermissionDenied},
      {"leisure, off the team", &*w.leisure, false, StatusCode::kPermissionDenied},
      {"admin", &*w.admin, false, StatusCode::kPermissionDenied},
      {"auditor", &*w.auditor, false, StatusCode::kPermissionDenied},
  };
  for (const Row& r : table) {
    INFO(r.who);
    const int64_t denied = QueryInt(*w.coord, "SELECT count(*) FROM events WHERE allowed = 0");
    Result<CasePlan> p = r.s->ShowPlan(w.case_id);
    if (r.reads) {
      REQUIRE(p.ok());
      CHECK(p->goals.size() == 1);
      REQUIRE(p->actions.size() == 2);
      CHECK(p->actions[0].id == a1);
      CHECK(p->actions[0].overdue);
      CHECK_FALSE(p->actions[1].overdue);
      REQUIRE(p->meetings.size() == 1);
      CHECK(p->meetings[0].minutes == "Rad ett.\nRad två.\n");
      CHECK(p->meetings[0].attendees.size() == 3);
      CHECK(p->next_follow_up == w.InDays(14));
    } else {
      REQUIRE_FALSE(p.ok());
      CHECK(p.status().code() == r.code);
      // The refusal is logged.
      CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE allowed = 0") > denied);
    }
  }

  // Withdrawn consent: school's reads stop at once (its disclosures named
  // the consents), the coordination actor keeps its own entries.
  REQUIRE(w.coord->WithdrawConsent(w.consents[0]).ok());
  Result<CasePlan> after = w.school->ShowPlan(w.case_id);
  CHECK(after.status().code() == StatusCode::kConsentRequired);
  CHECK(w.coord->ShowPlan(w.case_id).ok());
}

TEST_CASE("an action is marked done by a new entry; overdue is derived") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  const std::string a1 = w.Action(goal, Actor::kSchool, -3, "Närvaro");
  Result<CasePlan> p = w.school->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK(p->actions[0].status == ActionStatus::kOpen);
  CHECK(p->actions[0].overdue);
  const int64_t action_rows = QueryInt(*w.coord, "SELECT count(*) FROM entries WHERE id = '" +
                                                     a1 + "' AND body IS NOT NULL");
  // A coordinator records it, or the owner actor's members (plan_share_test):
  // never another actor's member.
  CHECK(w.social->MarkPlanActionDone(a1).status().code() == StatusCode::kPermissionDenied);
  Result<PlanWrite> done = w.coord->MarkPlanActionDone(a1);
  REQUIRE(done.ok());
  CHECK(done->kind == "status");
  CHECK(done->disclosed_to == std::vector<Actor>{Actor::kSchool, Actor::kSocial});
  CHECK(w.coord->MarkPlanActionDone(a1).status().code() == StatusCode::kFailedPrecondition);
  CHECK(w.coord->MarkPlanActionDone(goal).status().code() == StatusCode::kInvalidArgument);
  p = w.social->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK(p->actions[0].status == ActionStatus::kDone);
  CHECK_FALSE(p->actions[0].overdue);
  CHECK(p->actions[0].done_entry_id == done->id);
  CHECK(action_rows == 1);
  // Days later an open action becomes overdue without any write.
  const std::string a2 = w.Action(goal, Actor::kSocial, 2, "Samtal");
  p = w.social->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK_FALSE(p->actions[1].overdue);
  w.clock->Advance(3 * kDay);
  p = w.social->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  CHECK(p->actions[1].id == a2);
  CHECK(p->actions[1].overdue);
}

TEST_CASE("nothing of the plan is in a plaintext column or the access log") {
  PlanWorld w;
  const std::string goal = w.Goal("Hemligt mål");
  NewPlanAction a;
  a.case_id = w.case_id;
  a.goal_id = goal;
  a.owner = Actor::kSchool;
  a.principal = "school1";
  a.due = Date{2026, 12, 24};
  a.text = "Hemlig insats";
  REQUIRE(w.coord->AddPlanAction(a).ok());
  NewMeeting m;
  m.case_id = w.case_id;
  m.date = Date{2026, 12, 3};
  m.attendees = {Actor::kSchool};
  m.minutes = "Hemligt protokoll";
  m.next_follow_up = Date{2027, 1, 17};
  REQUIRE(w.coord->AddMeeting(m).ok());
  auto db = InsiderDb(*w.coord, w.options.path);
  for (const char* needle : {"Hemligt mål", "Hemlig insats", "Hemligt protokoll", "2026-12-24",
                             "2027-01-17", "natverksmote", "\"owner\""}) {
    INFO(needle);
    CHECK(FindEverywhere(db.get(), needle).empty());
    CHECK(AllEventText(*w.coord).find(needle) == std::string::npos);
  }
}

TEST_CASE("due lists only what the caller may read") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  const std::string overdue = w.Action(goal, Actor::kSchool, -2, "Närvaro");
  const std::string soon = w.Action(goal, Actor::kSocial, 4, "Samtal");
  const std::string later = w.Action(goal, Actor::kLeisure, 40, "Fotboll");
  NewMeeting m;
  m.case_id = w.case_id;
  m.date = w.InDays(0);
  m.attendees = {Actor::kSchool, Actor::kSocial};
  m.next_follow_up = w.InDays(7);
  REQUIRE(w.coord->AddMeeting(m).ok());

  Result<DueReport> c = w.coord->Due(14);
  REQUIRE(c.ok());
  // By date: the overdue action, the one due, the follow-up, the consents
  // (last day in 20 days: outside the 14-day window).
  REQUIRE(c->items.size() == 3);
  CHECK(c->items[0].kind == "action-overdue");
  CHECK(c->items[0].id == overdue);
  CHECK(c->items[0].days == -2);
  CHECK(c->items[1].kind == "action-due");
  CHECK(c->items[1].id == soon);
  CHECK(c->items[2].kind == "follow-up");
  Result<DueReport> wide = w.coord->Due(30);
  REQUIRE(wide.ok());
  CHECK(std::count_if(wide->items.begin(), wide->items.end(), [](const DueItem& d) {
          return d.kind == "consent-expiring";
        }) == 2);

  Result<DueReport> school = w.school->Due(60);
  REQUIRE(school.ok());
  bool mine = false, saw_later = false;
  for (const DueItem& d : school->items) {
    if (d.id == overdue) mine = d.mine;
    if (d.id == later) saw_later = !d.mine;
  }
  CHECK(mine);
  CHECK(saw_later);
  // Police is on the team but outside the consent: none of the plan, and
  // no denials logged for what it never asked to see.
  const int64_t denied = DeniedReads(*w.coord);
  Result<DueReport> police = w.police->Due(60);
  REQUIRE(police.ok());
  for (const DueItem& d : police->items) CHECK(d.kind == "consent-expiring");
  CHECK(DeniedReads(*w.coord) == denied);
  Result<DueReport> leisure = w.leisure->Due(60);
  REQUIRE(leisure.ok());
  CHECK(leisure->items.empty());
  CHECK(w.coord->Due(-1).status().code() == StatusCode::kInvalidArgument);
  CHECK(w.coord->Due(367).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("due: retention deadlines of the caller's closed cases, and the admin's plan") {
  PlanWorld w;
  RetentionRule rule;
  rule.id = "coordination-short";
  rule.actor = Actor::kCoordination;
  rule.from = RetentionFrom::kCaseClosed;
  rule.years = 0;
  rule.citation = "test";
  w.options.retention_rules = {rule};
  Session coord = w.Open("coord");
  Session admin = w.Open("admin");
  Result<PlanWrite> g = coord.AddPlanGoal(w.case_id, "Mål");
  REQUIRE(g.ok());
  REQUIRE(coord.CloseCase(w.case_id).ok());
  Result<DueReport> c = coord.Due(7);
  REQUIRE(c.ok());
  bool found = false;
  for (const DueItem& d : c->items) found = found || (d.kind == "retention" && d.id == g->id);
  CHECK(found);
  Result<DueReport> a = admin.Due(7);
  REQUIRE(a.ok());
  found = false;
  for (const DueItem& d : a->items) {
    CHECK(d.kind == "retention");
    found = found || d.id == g->id;
  }
  CHECK(found);
}

TEST_CASE("insider: an action's owner or due date replaced by direct SQL is refused") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  const std::string a1 = w.Action(goal, Actor::kSchool, -5, "Närvaro");
  const std::string a2 = w.Action(goal, Actor::kPolice, 60, "Annat");
  auto db = InsiderDb(*w.school, w.options.path);
  // The body of a2 (another owner, a later due date) copied onto a1.
  InsiderExec(db.get(), "UPDATE entries SET body = (SELECT body FROM entries WHERE id = '" + a2 +
                            "') WHERE id = '" + a1 + "'");
  Result<CasePlan> p = w.school->ShowPlan(w.case_id);
  CHECK(p.status().code() == StatusCode::kIntegrityViolation);
  CHECK(w.coord->ShowPlan(w.case_id).status().code() == StatusCode::kIntegrityViolation);
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

TEST_CASE("insider: a forged status row (action flipped to done) is refused") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  const std::string a1 = w.Action(goal, Actor::kSchool, -5, "Närvaro");
  const std::string a2 = w.Action(goal, Actor::kSocial, 5, "Samtal");
  Result<PlanWrite> done2 = w.coord->MarkPlanActionDone(a2);
  REQUIRE(done2.ok());
  auto db = InsiderDb(*w.school, w.options.path);
  // A copy of a real status row under a new id, with its key seals: the
  // insider's try at a status entry without the coordinator.
  const std::string forged = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0";
  ForgeEntryCopy(db.get(), done2->id, forged);
  // Not disclosed to school: school's read of it is denied (and logged), so
  // the forgery changes nothing school sees; the author actor's own read
  // checks the row against its signed entry.add and refuses.
  Result<CasePlan> p = w.school->ShowPlan(w.case_id);
  REQUIRE(p.ok());
  for (const PlanAction& a : p->actions) {
    if (a.id == a1) CHECK(a.status == ActionStatus::kOpen);
  }
  CHECK(w.coord->ShowPlan(w.case_id).status().code() == StatusCode::kIntegrityViolation);
  // With forged disclosure rows too, school's read is allowed by the
  // decision and then refused at use.
  ForgeDisclosureCopies(db.get(), done2->id, forged);
  CHECK(w.school->ShowPlan(w.case_id).status().code() == StatusCode::kIntegrityViolation);
  CHECK(w.school->Due(30).status().code() == StatusCode::kIntegrityViolation);
  CHECK(VerifyMessage(*w.auditor).find(forged) != std::string::npos);
}

TEST_CASE("insider: a deleted status row (done flipped back to open) fails audit verify") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  const std::string a1 = w.Action(goal, Actor::kSchool, -5, "Närvaro");
  Result<PlanWrite> done = w.coord->MarkPlanActionDone(a1);
  REQUIRE(done.ok());
  REQUIRE(VerifyMessage(*w.auditor) == "ok");
  auto db = InsiderDb(*w.school, w.options.path);
  InsiderExec(db.get(), "DELETE FROM disclosures WHERE entry_id = '" + done->id + "'");
  InsiderExec(db.get(), "DELETE FROM entry_keys WHERE entry_id = '" + done->id + "'");
  InsiderExec(db.get(), "DELETE FROM entries WHERE id = '" + done->id + "'");
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

TEST_CASE("insider: a plan entry moved to another category is refused") {
  PlanWorld w;
  const std::string goal = w.Goal("Mål");
  auto db = InsiderDb(*w.school, w.options.path);
  InsiderExec(db.get(), "UPDATE entries SET category = " +
                            std::to_string(static_cast<int>(Category::kMeeting)) +
                            " WHERE id = '" + goal + "'");
  CHECK(w.school->ShowPlan(w.case_id).status().code() == StatusCode::kIntegrityViolation);
  CHECK(VerifyMessage(*w.auditor) != "ok");
}
