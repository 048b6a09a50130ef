// The joint plan (åtagandeplan) and the SSPF meetings (issue 14).
// (Over 700 lines: the writer, the loader and plan share build on the
// same plan documents, team and consent facts; split them into plan_share.cpp
// when the file grows again.)
//
// Built on the entry machinery, not beside it: every goal, action, status
// change and meeting is an entry (category plan or meeting) whose encrypted
// body is a small JSON document, written by Session::AddEntry and disclosed
// by Session::DiscloseEntry, read by Session::ReadEntry.  So each is
// encrypted under its own entry key, decided by the one access policy,
// bound to its signed entry.add event (a body commitment), checked at use,
// replayed by audit verify and logged, and nothing of it (text, owner, due
// date, status, attendees, minutes) is in a plaintext column or a log leaf:
// the table and the log show only that a plan or meeting entry exists.  A
// status change is a new entry naming the action inside its body, so an
// action's entry never changes and a forged or deleted status row fails
// like any forged or deleted entry.  The owner actor's members may write
// an action's status too: the policy decides that (AccessRequest::
// status_of_action, gathered here from the action's signed body).
//
// Plan share (Session::SharePlan) discloses the caller's actor's plan
// entries, one DiscloseEntry each, to the team actors a consent in force
// covers that hold no valid disclosure yet (a consent or a member that came
// later); ShowPlan and Due count what it would disclose.  Explicit, never
// run by a consent or team change (docs/access-rules.md says why).
//
// Body documents (docs/access-rules.md, "The joint plan"):
//   {"sspf":"plan/1","type":"goal","text":T}
//   {"sspf":"plan/1","type":"action","goal":ID,"owner":ACTOR,
//    "principal":NAME|null,"due":"YYYY-MM-DD","text":T}
//   {"sspf":"plan/1","type":"status","action":ID,"status":"done"}
//   {"sspf":"plan/1","type":"meeting","date":D,"kind":K,"attendees":[ACTOR...],
//    "next_follow_up":D|null,"minutes":T}
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "domain/domain_internal.h"
#include "sspf/civil_time.h"
#include "sspf/pnr.h"
#include "util/text.h"

namespace sspf {

using internal::Db;
using internal::Stmt;
using internal::Txn;

namespace {

using Json = nlohmann::json;

constexpr const char* kFormat = "plan/1";
constexpr int kMaxDueDays = 366;

// The body text of one new plan document: wiped by the caller.
std::string Dump(const Json& doc) { return doc.dump(); }

// A plan or meeting body as read, or nullopt when the text is not one of
// ours (a free-text plan entry written with entry add).
std::optional<Json> ParseBody(const PlainText& body) {
  Json doc = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto it = doc.find("sspf");
  if (it == doc.end() || !it->is_string() || *it != kFormat) return std::nullopt;
  return doc;
}

// The members of a plan document, typed; kIntegrityViolation naming the
// entry when one is missing or of the wrong type (a body we signed holds
// them all, so this means a writer outside the library).
class Reader {
 public:
  Reader(const Json& doc, const std::string& entry_id) : doc_(doc), id_(entry_id) {}
  Result<std::string> Text(const char* key) const {
    auto it = doc_.find(key);
    if (it == doc_.end() || !it->is_string()) return Bad(key);
    return it->get<std::string>();
  }
  Result<std::string> OptText(const char* key) const {
    auto it = doc_.find(key);
    if (it == doc_.end() || it->is_null()) return std::string();
    if (!it->is_string()) return Bad(key);
    return it->get<std::string>();
  }
  Result<Date> DateOf(const char* key) const {
    SSPF_ASSIGN_OR_RETURN(std::string s, Text(key));
    Result<Date> d = ParseDate(s);
    if (!d.ok()) return Bad(key);
    return *d;
  }
  Result<std::optional<Date>> OptDate(const char* key) const {
    auto it = doc_.find(key);
    if (it == doc_.end() || it->is_null()) return std::optional<Date>();
    SSPF_ASSIGN_OR_RETURN(Date d, DateOf(key));
    return std::optional<Date>(d);
  }
  Result<Actor> ActorOf(const char* key) const {
    SSPF_ASSIGN_OR_RETURN(std::string s, Text(key));
    std::optional<Actor> a = ParseActor(s);
    if (!a) return Bad(key);
    return *a;
  }
  Result<std::vector<Actor>> Actors(const char* key) const {
    auto it = doc_.find(key);
    if (it == doc_.end() || !it->is_array()) return Bad(key);
    std::vector<Actor> out;
    for (const Json& v : *it) {
      if (!v.is_string()) return Bad(key);
      std::optional<Actor> a = ParseActor(v.get<std::string>());
      if (!a) return Bad(key);
      out.push_back(*a);
    }
    return out;
  }

 private:
  Status Bad(const char* key) const {
    return IntegrityViolation("plan entry " + id_ + ": its document lacks a valid \"" + key +
                              "\"");
  }
  const Json& doc_;
  const std::string& id_;
};

int64_t DaysBetween(Date from, Date to) { return DaysFromCivil(to) - DaysFromCivil(from); }

Date PlusDays(Date d, int64_t days) { return CivilFromDays(DaysFromCivil(d) + days); }

// Wipes a std::string that held content.
void WipeString(std::string* s) {
  if (!s->empty()) SecureWipe(&(*s)[0], s->size());
  s->clear();
}

// The actors of the case team's active principals, by the names ShowCase
// returned (decided and logged as case.show).
Result<std::vector<Actor>> TeamActors(Session::Impl* impl, const CaseInfo& c) {
  std::set<Actor> actors;
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        impl->db->Prepare("SELECT actor FROM principals WHERE name = ? AND "
                                          "active = 1 AND role IN (?, ?)"));
  for (const std::string& name : c.team) {
    st->Bind(1, name)
        .Bind(2, static_cast<int64_t>(Role::kMember))
        .Bind(3, static_cast<int64_t>(Role::kCoordinator));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row) actors.insert(static_cast<Actor>(st->Int(0)));
    st->Reset();
  }
  return std::vector<Actor>(actors.begin(), actors.end());
}

// Whether `name` is an active member or coordinator of actor `owner`.
Result<bool> IsPrincipalOf(Session::Impl* impl, std::string_view name, Actor owner) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        impl->db->Prepare("SELECT 1 FROM principals WHERE name = ? AND actor = ? "
                                          "AND active = 1 AND role IN (?, ?)"));
  st->Bind(1, name)
      .Bind(2, static_cast<int64_t>(owner))
      .Bind(3, static_cast<int64_t>(Role::kMember))
      .Bind(4, static_cast<int64_t>(Role::kCoordinator));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  st->Reset();
  return row;
}

bool IsDenial(const Status& s) {
  return s.code() == StatusCode::kPermissionDenied || s.code() == StatusCode::kConsentRequired;
}

}  // namespace

namespace internal {

// Runs f in one transaction: the session's batch, as Session::BeginBatch
// opens it (the session layer above this one), unless the caller holds one
// already; every operation f runs joins it.  A denial is committed, so that
// its logged event stays (with what was written before it, when only a
// disclosure was refused: the message says so); any other failure rolls
// back: nothing of f stays.
template <typename T, typename F>
Result<T> InOneTransaction(Session::Impl* impl, F&& f) {
  const bool own_batch = impl->batch == nullptr;
  if (own_batch) {
    SSPF_ASSIGN_OR_RETURN(impl->batch, Txn::Begin(impl->db.get()));
  }
  Result<T> r = f();
  if (!own_batch) return r;
  std::unique_ptr<Txn> txn = std::move(impl->batch);
  if (!r.ok()) {
    if (IsDenial(r.status())) SSPF_RETURN_IF_ERROR(txn->Commit());
    return r.status();
  }
  SSPF_RETURN_IF_ERROR(txn->Commit());
  return r;
}

// The actors a plan entry of (author actor `from`, category) is disclosed
// to now: on the team, not `from`, and covered by a consent in force for
// (from -> actor, category): the evaluation DiscloseEntry's decision makes.
// not_covered counts the team actors left out for want of a consent.
Result<std::vector<Actor>> CoveredActors(Session::Impl* impl, const std::string& case_id,
                                         const std::vector<Actor>& team,
                                         const std::vector<ConsentRecord>& records,
                                         Actor from, Category category,
                                         int64_t* not_covered = nullptr) {
  std::vector<Actor> out;
  for (Actor to : team) {
    if (to == from) continue;
    SSPF_ASSIGN_OR_RETURN(ConsentEvaluation ev,
                          EvaluateCaseConsent(impl, case_id, records, from, to, category));
    if (ev.in_force) {
      out.push_back(to);
    } else if (not_covered) {
      ++*not_covered;
    }
  }
  return out;
}

// The team's actors and the case's consents as records (case.show and
// consent.list, decided and logged).
Status TeamAndConsents(Session& s, Session::Impl* impl, const std::string& case_id,
                       std::vector<Actor>* team, std::vector<ConsentRecord>* records) {
  SSPF_ASSIGN_OR_RETURN(CaseInfo c, s.ShowCase(case_id));
  SSPF_ASSIGN_OR_RETURN(*team, TeamActors(impl, c));
  SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> consents, s.ListConsents(case_id));
  records->clear();
  for (const ConsentInfo& ci : consents) records->push_back(ToRecord(ci));
  return Status::Ok();
}

// One plan write: the entry and its disclosures in one transaction.
struct PlanWriter {
  static Result<PlanWrite> Write(Session& s, Session::Impl* impl, const std::string& case_id,
                                 Category category, const std::string& kind, std::string body,
                                 std::optional<AccessRequest::ActionOwner> status_of = {}) {
    Result<PlanWrite> w = InOneTransaction<PlanWrite>(impl, [&] {
      return WriteIn(s, impl, case_id, category, kind, body, status_of);
    });
    WipeString(&body);
    return w;
  }

 private:
  static Result<PlanWrite> WriteIn(Session& s, Session::Impl* impl, const std::string& case_id,
                                   Category category, const std::string& kind,
                                   const std::string& body,
                                   const std::optional<AccessRequest::ActionOwner>& status_of) {
    PlanWrite out;
    out.case_id = case_id;
    out.kind = kind;
    SSPF_ASSIGN_OR_RETURN(out.id,
                          AddEntryWith(impl, case_id, category, body, std::nullopt, status_of));
    // The actors to disclose to: on the team, not the author's own, and
    // covered by a consent in force for (author -> actor, category).  The
    // same evaluation DiscloseEntry's decision makes, in the same
    // transaction, so the disclosures below are allowed.
    std::vector<Actor> team;
    std::vector<ConsentRecord> records;
    SSPF_RETURN_IF_ERROR(TeamAndConsents(s, impl, case_id, &team, &records));
    SSPF_ASSIGN_OR_RETURN(std::vector<Actor> covered,
                          CoveredActors(impl, case_id, team, records, impl->me.actor, category));
    for (Actor to : covered) {
      Status d = s.DiscloseEntry(out.id, to, DisclosureBasis{}).status();
      if (IsDenial(d)) {
        return Status(d.code(), "plan entry " + out.id + " was written, but its disclosure to " +
                                    ActorName(to) + " was refused (" + d.message() +
                                    "); disclose it with entry disclose");
      }
      SSPF_RETURN_IF_ERROR(d);
      out.disclosed_to.push_back(to);
    }
    return out;
  }
};

// What plan share would disclose now, as (entry, actor) pairs: every plan
// and meeting entry of the case by this session's actor (only the author
// actor discloses), to every team actor a consent in force covers for it,
// that holds no disclosure of it in force and none revoked (a revocation is
// the disclosing actor's decision: plan share does not undo it).  Counts
// what it leaves into *out.  Built on entry.list, case.show and
// consent.list (decided, logged).
struct PlanSharer {
  struct Pair {
    std::string entry_id;
    Category category = Category::kPlan;
    Actor to = Actor::kSchool;
  };
  static Result<std::vector<Pair>> Pending(Session& s, Session::Impl* impl,
                                           const std::string& case_id, PlanShare* out) {
    SSPF_ASSIGN_OR_RETURN(std::vector<EntryInfo> listed, s.ListEntries(case_id));
    std::vector<Actor> team;
    std::vector<ConsentRecord> records;
    SSPF_RETURN_IF_ERROR(TeamAndConsents(s, impl, case_id, &team, &records));
    std::vector<Pair> pairs;
    for (const EntryInfo& e : listed) {
      if (e.category != Category::kPlan && e.category != Category::kMeeting) continue;
      if (e.author_actor != impl->me.actor) {
        ++out->other_author;
        continue;
      }
      SSPF_ASSIGN_OR_RETURN(std::vector<Actor> covered,
                            CoveredActors(impl, case_id, team, records, e.author_actor,
                                          e.category, &out->not_covered));
      for (Actor to : covered) {
        SSPF_ASSIGN_OR_RETURN(EntryHolding h, HoldingOf(impl, e.id, to));
        if (h.readable) {
          ++out->held;
        } else if (h.revoked) {
          ++out->revoked;
        } else {
          pairs.push_back(Pair{e.id, e.category, to});
        }
      }
    }
    return pairs;
  }
};

// The plan of a case as this session may read it.
// The plan and meeting entries of a case, oldest first (ids only).
Result<std::vector<std::string>> PlanEntryIds(Session::Impl* impl, const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        impl->db->Prepare("SELECT id FROM entries WHERE case_id = ? AND "
                                          "category IN (?, ?) ORDER BY created, id"));
  st->Bind(1, case_id)
      .Bind(2, static_cast<int64_t>(Category::kPlan))
      .Bind(3, static_cast<int64_t>(Category::kMeeting));
  return TextColumn(st);
}

struct PlanLoader {
  struct Status_ {
    std::string entry_id;
    std::string action_id;
    UnixSeconds created = 0;
  };

  // read_all: read every plan and meeting entry of the case, so that one
  // this session may not read is denied and logged (plan show); otherwise
  // only those entry.list lists as readable (due: no denials for what the
  // caller never asked to see).
  static Result<CasePlan> Load(Session& s, Session::Impl* impl, std::string_view case_id,
                               bool read_all) {
    CasePlan plan;
    plan.case_id = std::string(case_id);
    plan.as_of = impl->Today();
    // Decides the case access (a principal off the team is denied here,
    // logged) and lists what this session may read.
    SSPF_ASSIGN_OR_RETURN(std::vector<EntryInfo> listed, s.ListEntries(case_id));
    std::vector<std::string> ids;
    for (const EntryInfo& e : listed) {
      if (e.category == Category::kPlan || e.category == Category::kMeeting) ids.push_back(e.id);
    }
    if (read_all) {
      SSPF_ASSIGN_OR_RETURN(ids, PlanEntryIds(impl, plan.case_id));
    }
    std::vector<Status_> statuses;
    std::optional<Status> first_denial;
    size_t read = 0;
    for (const std::string& id : ids) {
      Result<EntryContent> r = s.ReadEntry(id);
      if (!r.ok()) {
        // Denied (and logged): not part of what this reader sees.
        if (!IsDenial(r.status())) return r.status();
        if (!first_denial) first_denial = r.status();
        continue;
      }
      ++read;
      std::optional<Json> doc = ParseBody(r->body);
      if (!doc) continue;  // a free-text plan note (entry add), not a plan document
      SSPF_RETURN_IF_ERROR(Add(*doc, r->info, &plan, &statuses));
    }
    // Nothing of the plan readable: the reader learns nothing but the denial.
    if (read == 0 && first_denial) return *first_denial;
    // Status changes, oldest first: the first "done" of an action counts.
    std::stable_sort(statuses.begin(), statuses.end(),
                     [](const Status_& a, const Status_& b) { return a.created < b.created; });
    for (const Status_& st : statuses) {
      for (PlanAction& a : plan.actions) {
        if (a.id != st.action_id || a.status == ActionStatus::kDone) continue;
        a.status = ActionStatus::kDone;
        a.done_entry_id = st.entry_id;
        a.done_at = st.created;
      }
    }
    for (PlanAction& a : plan.actions) {
      a.overdue = a.status == ActionStatus::kOpen && a.due < plan.as_of;
    }
    std::stable_sort(plan.goals.begin(), plan.goals.end(),
                     [](const PlanGoal& a, const PlanGoal& b) { return a.created < b.created; });
    std::stable_sort(plan.actions.begin(), plan.actions.end(),
                     [](const PlanAction& a, const PlanAction& b) {
                       if (!(a.due == b.due)) return a.due < b.due;
                       return a.created < b.created;
                     });
    std::stable_sort(plan.meetings.begin(), plan.meetings.end(),
                     [](const PlanMeeting& a, const PlanMeeting& b) {
                       if (!(a.date == b.date)) return a.date < b.date;
                       return a.created < b.created;
                     });
    if (!plan.meetings.empty()) plan.next_follow_up = plan.meetings.back().next_follow_up;
    return plan;
  }

 private:
  static Status Add(const Json& doc, const EntryInfo& info, CasePlan* plan,
                    std::vector<Status_>* statuses) {
    Reader rd(doc, info.id);
    SSPF_ASSIGN_OR_RETURN(std::string type, rd.Text("type"));
    const bool meeting = type == "meeting";
    // A plan document in the wrong category was not written by us.
    if (meeting != (info.category == Category::kMeeting)) {
      return IntegrityViolation("plan entry " + info.id + ": a " + type +
                                " document in category " + CategoryName(info.category));
    }
    if (type == "goal") {
      PlanGoal g;
      g.id = info.id;
      SSPF_ASSIGN_OR_RETURN(g.text, rd.Text("text"));
      g.author = info.author;
      g.created = info.created;
      plan->goals.push_back(std::move(g));
    } else if (type == "action") {
      PlanAction a;
      a.id = info.id;
      SSPF_ASSIGN_OR_RETURN(a.goal_id, rd.Text("goal"));
      SSPF_ASSIGN_OR_RETURN(a.owner, rd.ActorOf("owner"));
      SSPF_ASSIGN_OR_RETURN(a.principal, rd.OptText("principal"));
      SSPF_ASSIGN_OR_RETURN(a.due, rd.DateOf("due"));
      SSPF_ASSIGN_OR_RETURN(a.text, rd.Text("text"));
      a.author = info.author;
      a.created = info.created;
      plan->actions.push_back(std::move(a));
    } else if (type == "status") {
      SSPF_ASSIGN_OR_RETURN(std::string status, rd.Text("status"));
      if (status != "done") {
        return IntegrityViolation("plan entry " + info.id + ": unknown status");
      }
      Status_ st;
      st.entry_id = info.id;
      SSPF_ASSIGN_OR_RETURN(st.action_id, rd.Text("action"));
      st.created = info.created;
      statuses->push_back(std::move(st));
    } else if (meeting) {
      PlanMeeting m;
      m.id = info.id;
      SSPF_ASSIGN_OR_RETURN(m.date, rd.DateOf("date"));
      SSPF_ASSIGN_OR_RETURN(std::string kind, rd.Text("kind"));
      std::optional<MeetingKind> k = ParseMeetingKind(kind);
      if (!k) return IntegrityViolation("plan entry " + info.id + ": unknown meeting kind");
      m.kind = *k;
      SSPF_ASSIGN_OR_RETURN(m.attendees, rd.Actors("attendees"));
      SSPF_ASSIGN_OR_RETURN(m.next_follow_up, rd.OptDate("next_follow_up"));
      SSPF_ASSIGN_OR_RETURN(m.minutes, rd.OptText("minutes"));
      m.author = info.author;
      m.created = info.created;
      plan->meetings.push_back(std::move(m));
    } else {
      return IntegrityViolation("plan entry " + info.id + ": unknown document type");
    }
    return Status::Ok();
  }
};

}  // namespace internal

Result<PlanWrite> Session::AddPlanGoal(std::string_view case_id, std::string_view text) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the goal text", text, true));
  Json doc = {{"sspf", kFormat}, {"type", "goal"}, {"text", std::string(text)}};
  return internal::PlanWriter::Write(*this, impl, std::string(case_id), Category::kPlan, "goal",
                                     Dump(doc));
}

Result<PlanWrite> Session::AddPlanAction(const NewPlanAction& action) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the action text", action.text, true));
  SSPF_RETURN_IF_ERROR(impl->CheckText("the principal", action.principal, false));
  if (!ParseActor(ActorName(action.owner))) return InvalidArgument("unknown owner actor");
  if (!IsValidDate(action.due)) return InvalidArgument("the due date is not a valid date");
  if (!action.principal.empty()) {
    SSPF_ASSIGN_OR_RETURN(bool of, IsPrincipalOf(impl, action.principal, action.owner));
    if (!of) {
      return InvalidArgument(std::string("the principal is not an active member of actor ") +
                             ActorName(action.owner) + " (sspf-tool user list shows them)");
    }
  }
  // The goal must be a goal of this case that the writer can read (a read,
  // decided and logged).
  SSPF_ASSIGN_OR_RETURN(CasePlan plan,
                        internal::PlanLoader::Load(*this, impl, action.case_id, true));
  const bool goal_known = std::any_of(plan.goals.begin(), plan.goals.end(),
                                      [&](const PlanGoal& g) { return g.id == action.goal_id; });
  if (!goal_known) {
    return InvalidArgument("entry " + action.goal_id +
                           " is not a goal of this case's plan (sspf-tool plan show lists them)");
  }
  Json doc = {{"sspf", kFormat},
              {"type", "action"},
              {"goal", action.goal_id},
              {"owner", ActorName(action.owner)},
              {"principal", action.principal.empty() ? Json(nullptr) : Json(action.principal)},
              {"due", FormatDate(action.due)},
              {"text", action.text}};
  return internal::PlanWriter::Write(*this, impl, action.case_id, Category::kPlan, "action",
                                     Dump(doc));
}

Result<PlanWrite> Session::MarkPlanActionDone(std::string_view action_id) {
  Impl* impl = impl_.get();
  // The action's case, from a read of the action itself (decided, logged).
  SSPF_ASSIGN_OR_RETURN(EntryContent action, ReadEntry(action_id));
  std::optional<Json> doc = ParseBody(action.body);
  const std::string id = action.info.id;
  const bool is_action = doc && doc->value("type", std::string()) == "action" &&
                         action.info.category == Category::kPlan;
  if (!is_action) return InvalidArgument("entry " + id + " is not a plan action");
  SSPF_ASSIGN_OR_RETURN(CasePlan plan, internal::PlanLoader::Load(*this, impl,
                                                                  action.info.case_id, true));
  auto it = std::find_if(plan.actions.begin(), plan.actions.end(),
                         [&](const PlanAction& a) { return a.id == id; });
  if (it == plan.actions.end()) return InvalidArgument("entry " + id + " is not a plan action");
  if (it->status == ActionStatus::kDone) {
    return FailedPrecondition("action " + id + " is already done (by entry " +
                              it->done_entry_id.value_or("-") + ")");
  }
  // The owner, from the action's signed body just read: the policy lets a
  // team member of the owner actor (the named principal, when there is
  // one) write the status besides the plan's writers.
  internal::AccessRequest::ActionOwner owner;
  owner.actor = it->owner;
  owner.other_principal_named = !it->principal.empty() && it->principal != impl->me.name;
  Json status = {{"sspf", kFormat}, {"type", "status"}, {"action", id}, {"status", "done"}};
  return internal::PlanWriter::Write(*this, impl, action.info.case_id, Category::kPlan, "status",
                                     Dump(status), owner);
}

Result<PlanWrite> Session::AddMeeting(const NewMeeting& meeting) {
  Impl* impl = impl_.get();
  if (!IsValidDate(meeting.date)) return InvalidArgument("the meeting date is not a valid date");
  if (!ParseMeetingKind(MeetingKindName(meeting.kind))) return InvalidArgument("unknown meeting kind");
  if (meeting.attendees.empty()) {
    return InvalidArgument("a meeting needs at least one attending actor");
  }
  std::set<Actor> seen;
  for (Actor a : meeting.attendees) {
    if (!ParseActor(ActorName(a))) return InvalidArgument("unknown attending actor");
    if (!seen.insert(a).second) {
      return InvalidArgument(std::string("attending actor ") + ActorName(a) + " is repeated");
    }
  }
  if (meeting.next_follow_up) {
    if (!IsValidDate(*meeting.next_follow_up)) {
      return InvalidArgument("the next follow-up is not a valid date");
    }
    if (*meeting.next_follow_up < meeting.date) {
      return InvalidArgument("the next follow-up is before the meeting's date");
    }
  }
  // Minutes are free text over several lines: valid UTF-8 without NUL; the
  // whole body is held to the entry size limit by AddEntry.
  const bool nul = meeting.minutes.find('\0') != std::string::npos;
  if (nul || !internal::IsValidUtf8(meeting.minutes)) {
    return InvalidArgument("the minutes are not valid UTF-8 text");
  }
  Json attendees = Json::array();
  for (Actor a : meeting.attendees) attendees.push_back(ActorName(a));
  Json doc = {{"sspf", kFormat},
              {"type", "meeting"},
              {"date", FormatDate(meeting.date)},
              {"kind", MeetingKindName(meeting.kind)},
              {"attendees", attendees},
              {"next_follow_up", meeting.next_follow_up
                                     ? Json(FormatDate(*meeting.next_follow_up))
                                     : Json(nullptr)},
              {"minutes", meeting.minutes}};
  std::string body = Dump(doc);
  std::string* m = doc["minutes"].get_ptr<std::string*>();
  if (m) WipeString(m);
  return internal::PlanWriter::Write(*this, impl, meeting.case_id, Category::kMeeting, "meeting",
                                     std::move(body));
}

Result<CasePlan> Session::ShowPlan(std::string_view case_id) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(CasePlan plan,
                        internal::PlanLoader::Load(*this, impl, case_id, /*read_all=*/true));
  PlanShare counts;
  SSPF_ASSIGN_OR_RETURN(std::vector<internal::PlanSharer::Pair> pending,
                        internal::PlanSharer::Pending(*this, impl, plan.case_id, &counts));
  plan.unshared = static_cast<int64_t>(pending.size());
  return plan;
}

Result<PlanShare> Session::SharePlan(std::string_view case_id) {
  Impl* impl = impl_.get();
  const std::string id(case_id);
  return internal::InOneTransaction<PlanShare>(impl, [&]() -> Result<PlanShare> {
    PlanShare out;
    out.case_id = id;
    SSPF_ASSIGN_OR_RETURN(std::vector<internal::PlanSharer::Pair> pending,
                          internal::PlanSharer::Pending(*this, impl, id, &out));
    for (const internal::PlanSharer::Pair& p : pending) {
      Result<std::string> d = DiscloseEntry(p.entry_id, p.to, DisclosureBasis{});
      if (IsDenial(d.status())) {
        return Status(d.status().code(),
                      "plan share stopped: the disclosure of entry " + p.entry_id + " to " +
                          ActorName(p.to) + " was refused (" + d.status().message() + "); the " +
                          std::to_string(out.disclosed.size()) +
                          " disclosures before it stay; run plan share again");
      }
      SSPF_RETURN_IF_ERROR(d.status());
      out.disclosed.push_back(PlanShareItem{p.entry_id, p.category, p.to, *d});
    }
    return out;
  });
}

namespace {
// A consent's party as a person names it: "youth", or "guardian:N" with the
// guardian's registration position (what --party guardian:N takes).  The
// position is no personal data; no name is read.
Result<std::string> PartyHandle(Db* db, const ConsentParty& party) {
  if (party.youth) return std::string("youth");
  SSPF_ASSIGN_OR_RETURN(int position, internal::GuardianPosition(db, party.guardian_id));
  return "guardian:" + std::to_string(position);
}
}  // namespace

Result<DueReport> Session::Due(int days) {
  Impl* impl = impl_.get();
  if (days < 0 || days > kMaxDueDays) {
    return InvalidArgument("days must be 0 to " + std::to_string(kMaxDueDays));
  }
  DueReport report;
  report.as_of = impl->Today();
  report.days = days;
  const Date today = report.as_of;
  const Date last = PlusDays(today, days);
  auto item = [&](std::string kind, const std::string& case_id, const std::string& id,
                  Date date) {
    DueItem d;
    d.kind = std::move(kind);
    d.case_id = case_id;
    d.id = id;
    d.date = date;
    d.days = DaysBetween(today, date);
    return d;
  };
  auto retention_item = [&](const RetentionPlanEntry& e) {
    if ((e.state != "due" && e.state != "pending") || !e.due) return;
    const Date deadline = DateOf(*e.due);
    if (last < deadline) return;
    DueItem d = item("retention", e.case_id, e.entry_id, deadline);
    d.text = e.rule;
    report.items.push_back(std::move(d));
  };

  if (impl->me.role == Role::kAdmin) {
    SSPF_ASSIGN_OR_RETURN(RetentionPlan rp, PlanRetention());
    for (const RetentionPlanEntry& e : rp.entries) retention_item(e);
  } else {
    SSPF_ASSIGN_OR_RETURN(std::vector<CaseInfo> cases, ListCases());
    for (const CaseInfo& c : cases) {
      // Only the cases whose team the caller is on: never through an
      // emergency grant, and a coordinator's view of every case's metadata
      // is not a view of its content.
      if (std::find(c.team.begin(), c.team.end(), impl->me.name) == c.team.end()) continue;
      const size_t first_of_case = report.items.size();
      SSPF_ASSIGN_OR_RETURN(CasePlan plan,
                            internal::PlanLoader::Load(*this, impl, c.id, /*read_all=*/false));
      for (const PlanAction& a : plan.actions) {
        if (a.status != ActionStatus::kOpen || last < a.due) continue;
        DueItem d = item(a.overdue ? "action-overdue" : "action-due", c.id, a.id, a.due);
        d.owner = a.owner;
        d.principal = a.principal;
        d.mine = a.owner == impl->me.actor && (a.principal.empty() || a.principal == impl->me.name);
        d.text = a.text;
        report.items.push_back(std::move(d));
      }
      // The caller's actor's plan entries that a covered team actor lacks
      // (a consent or a member came after them): plan share discloses them.
      PlanShare counts;
      SSPF_ASSIGN_OR_RETURN(std::vector<internal::PlanSharer::Pair> pending,
                            internal::PlanSharer::Pending(*this, impl, c.id, &counts));
      if (!pending.empty()) {
        DueItem d = item("plan-unshared", c.id, "", today);
        d.text = std::to_string(pending.size());
        report.items.push_back(std::move(d));
      }
      if (plan.next_follow_up && !(last < *plan.next_follow_up)) {
        report.items.push_back(
            item("follow-up", c.id, plan.meetings.back().id, *plan.next_follow_up));
      }
      SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> consents, ListConsents(c.id));
      for (const ConsentInfo& ci : consents) {
        if (ci.withdrawn_at || ci.valid_until < today || last < ci.valid_until) continue;
        DueItem d = item("consent-expiring", c.id, ci.id, ci.valid_until);
        SSPF_ASSIGN_OR_RETURN(d.party, PartyHandle(impl->db.get(), ci.party));
        report.items.push_back(std::move(d));
      }
      if (!c.open) {
        // The deadlines of the entries this caller may read (entry.list
        // lists exactly those).
        SSPF_ASSIGN_OR_RETURN(std::vector<EntryInfo> readable, ListEntries(c.id));
        std::set<std::string> ids;
        for (const EntryInfo& e : readable) ids.insert(e.id);
        SSPF_ASSIGN_OR_RETURN(std::vector<RetentionPlanEntry> verdicts,
                              internal::CaseRetention(impl, c.id));
        for (const RetentionPlanEntry& e : verdicts) {
          if (ids.count(e.entry_id)) retention_item(e);
        }
      }
      // The number as ListCases checked it against the signed log.
      for (size_t k = first_of_case; k < report.items.size(); ++k) {
        report.items[k].case_number = c.number;
      }
    }
  }
  std::stable_sort(report.items.begin(), report.items.end(),
                   [](const DueItem& a, const DueItem& b) {
                     if (!(a.date == b.date)) return a.date < b.date;
                     if (a.kind != b.kind) return a.kind < b.kind;
                     if (a.case_id != b.case_id) return a.case_id < b.case_id;
                     return a.id < b.id;
                   });
  return report;
}

}  // namespace sspf
