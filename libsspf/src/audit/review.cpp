// The review report (loggkontroll, DESIGN §6, docs/auditing.md): the flag
// rules, and the scoped review with names, sign-offs, summaries and top
// readers.  The sign-off commands themselves are session/review_signoff.cpp.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "audit/audit_internal.h"
#include "audit/review_internal.h"
#include "context/sealed_reasons.h"
#include "context/trust.h"
#include "json/fields.h"
#include "log/replay_detail.h"
#include "storage/certificates_table.h"
#include "util/civil_time.h"

namespace sspf {

using internal::Db;
using internal::EventRecord;
using internal::Stmt;
using internal::audit::AuditGate;
using internal::audit::ReadSnapshot;

namespace internal::audit {
namespace {

// ---- Review thresholds (docs/auditing.md explains each) -------------------
// A denied burst: at least this many denials of one principal ...
constexpr size_t kDeniedBurstCount = 5;
// ... within this many seconds (first to last).
constexpr int64_t kDeniedBurstWindowSeconds = 10 * 60;
// Office hours in Europe/Stockholm local time, Monday to Friday:
// [kOfficeStartHour:00, kOfficeEndHour:00).  Swedish public holidays are
// not known to the library and count as working days.
constexpr int kOfficeStartHour = 7;
constexpr int kOfficeEndHour = 18;
// A read of a case's entry this soon after a consent withdrawal on the case.
constexpr int64_t kReadAfterWithdrawalSeconds = 24 * 3600;
// Bulk reads: at least this many entry reads by one principal ...
constexpr size_t kBulkReadCount = 20;
// ... within this many seconds.
constexpr int64_t kBulkReadWindowSeconds = 3600;

int64_t LocalDay(UnixSeconds t) {
  return FloorDiv(StockholmLocalSeconds(t), kSecondsPerDay);
}

bool OutsideOfficeHours(UnixSeconds t) {
  int64_t local = StockholmLocalSeconds(t);
  int64_t days = FloorDiv(local, kSecondsPerDay);
  int64_t hour = (local - days * kSecondsPerDay) / 3600;
  int wd = WeekdayOfDays(days);
  if (wd == 0 || wd == 6) return true;
  return hour < kOfficeStartHour || hour >= kOfficeEndHour;
}

bool EndsWith(const std::string& s, const char* tail) {
  const size_t n = std::char_traits<char>::length(tail);
  return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
}

// The value of key k in a replay detail ("k=v ..."), or "".
std::string DetailValue(const std::string& detail, const std::string& k) {
  const std::string needle = k + "=";
  size_t at = detail.rfind(needle, 0) == 0 ? 0 : detail.find(" " + needle);
  if (at == std::string::npos) return {};
  if (at != 0) ++at;
  at += needle.size();
  return detail.substr(at, detail.find(' ', at) - at);
}

}  // namespace

std::optional<Action> TeamRemoveAction() { return Action::kCaseTeamRemove; }

bool FlagRules::Window::Add(UnixSeconds t, uint64_t seq, int64_t window, size_t count) {
  events.emplace_back(t, seq);
  while (!events.empty() && t - events.front().first > window) events.pop_front();
  if (events.size() < count) {
    flagged = false;
    return false;
  }
  if (flagged) return false;
  flagged = true;
  return true;
}

FlagRules::FlagRules(std::optional<Action> team_remove) : team_remove_(team_remove) {}

std::string FlagRules::Selection() const {
  std::string actions;
  std::vector<Action> list = {Action::kEntryRead,       Action::kGrantEmergency,
                              Action::kConsentWithdraw, Action::kPrincipalAdd,
                              Action::kPrincipalDisable, Action::kRecoveryReset,
                              Action::kActorKeyDeliver, Action::kKeyRotate,
                              Action::kStoreRekey,      Action::kCaseOpen,
                              Action::kCaseTeamAdd,     Action::kRetentionRun};
  if (team_remove_) list.push_back(*team_remove_);
  for (Action a : list) {
    if (!actions.empty()) actions += ",";
    actions += std::to_string(static_cast<int>(a));
  }
  return "allowed = 0 OR action IN (" + actions +
         ") OR basis LIKE 'provision:%' OR basis = 'grant' OR basis LIKE 'grant:%' "
         "OR (allowed = 1 AND reason LIKE '%(grant)')";
}

void FlagRules::Flag(const EventRecord& e, const char* kind, std::string detail) {
  ReviewFlag f;
  f.kind = kind;
  f.seq = e.seq;
  f.principal_id = e.principal_id;
  f.target = e.target;
  f.detail = std::move(detail);
  f.time = e.time;
  f.actor = e.actor;
  f.role = e.role;
  f.action = e.action;
  f.allowed = e.allowed;
  f.case_id = e.case_id;
  flags_.push_back(std::move(f));
}

void FlagRules::Add(const EventRecord& e) {
  // Team membership as the log records it: who left which case's team.
  if (e.allowed && (e.action == Action::kCaseOpen || e.action == Action::kCaseTeamAdd ||
                    (team_remove_ && e.action == *team_remove_))) {
    const std::string c = DetailValue(e.detail, "case");
    if (e.action == Action::kCaseTeamAdd) {
      left_team_.erase(c + " " + DetailValue(e.detail, "member"));
    } else if (e.action != Action::kCaseOpen) {
      const std::string member = DetailValue(e.detail, "member");
      if (!c.empty() && !member.empty()) left_team_[c + " " + member] = e.seq;
    }
  }
  if (e.action == Action::kEntryRead && !e.case_id.empty()) {
    auto left = left_team_.find(e.case_id + " " + e.principal_id);
    if (left != left_team_.end()) {
      Flag(e, "read-after-team-leave",
           std::string(e.allowed ? "entry read" : "denied entry read") +
               " after leaving the case team in event " + std::to_string(left->second));
    }
  }
  if (!e.allowed) {
    Burst(&denials_, e, kDeniedBurstWindowSeconds, kDeniedBurstCount, "denied-burst",
          "denials");
    return;
  }
  if (e.action == Action::kGrantEmergency) {
    Flag(e, "emergency-grant", "legal-basis grant without consent: " + e.basis);
  } else if (e.basis.rfind("provision:", 0) == 0) {
    Flag(e, "legal-provision", "access under a secrecy-breaking provision: " + e.basis);
  } else if (e.basis == "grant" || e.basis.rfind("grant:", 0) == 0 ||
             EndsWith(e.reason, "(grant)")) {
    // Case access through a grant (basis "grant"), a disclosure under a
    // grant ("grant:<id>"), or a read of a disclosed entry by a principal
    // let into the case by a grant (the policy's reason says so).
    Flag(e, "emergency-grant",
         std::string(ActionName(e.action)) + " under a legal-basis grant: " + e.basis);
  }
  if (e.action == Action::kConsentWithdraw && !e.case_id.empty()) {
    withdrawn_[e.case_id] = {e.time, e.seq};
  }
  // Who holds keys, and which keys: every change is worth a look (a rogue
  // admin adding a member is visible only here).
  switch (e.action) {
    case Action::kPrincipalAdd:
    case Action::kPrincipalDisable:
    case Action::kRecoveryReset:
      Flag(e, "membership-change", std::string(ActionName(e.action)) + ": " + e.detail);
      break;
    case Action::kActorKeyDeliver:
      Flag(e, "key-delivery", "a key sealed to a new holder: " + e.target);
      break;
    case Action::kKeyRotate:
    case Action::kStoreRekey:
      Flag(e, "key-change", std::string(ActionName(e.action)) + ": " + e.reason);
      break;
    case Action::kRetentionRun:  // the reviewer checks the decision is real
      Flag(e, "retention-run", e.reason);
      break;
    default:
      break;
  }
  if (e.action != Action::kEntryRead) return;
  if (OutsideOfficeHours(e.time)) {
    Flag(e, "outside-office-hours", "entry read at " + FormatRfc3339(e.time) +
                                        " (outside 07:00-18:00 Mon-Fri, Stockholm time)");
  }
  auto it = withdrawn_.find(e.case_id);
  if (!e.case_id.empty() && it != withdrawn_.end() && e.basis != "author-actor" &&
      e.time - it->second.first <= kReadAfterWithdrawalSeconds) {
    Flag(e, "read-after-withdrawal",
         "entry read within 24 hours of the consent withdrawal in event " +
             std::to_string(it->second.second));
  }
  Burst(&reads_, e, kBulkReadWindowSeconds, kBulkReadCount, "bulk-read", "entry reads");
}

void FlagRules::Burst(std::unordered_map<std::string, Window>* windows, const EventRecord& e,
                      int64_t window, size_t count, const char* kind, const char* what) {
  Window& w = (*windows)[e.principal_id];
  if (!w.Add(e.time, e.seq, window, count)) return;
  Flag(e, kind, std::to_string(count) + " " + what + " within " +
                    std::to_string(window / 60) + " minutes, from event " +
                    std::to_string(w.events.front().second));
}

Result<std::vector<ReviewFlag>> ComputeFlags(Db* db) {
  FlagRules rules;
  const std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE " +
                          rules.Selection() + " ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    rules.Add(ReadEventRow(st));
    return Status::Ok();
  }));
  std::vector<ReviewFlag> flags = std::move(rules.flags());
  // Time going backwards: the library never writes it (event times are
  // monotonic), so any such pair was let through by an older build or
  // written by hand; verify reports it too.
  SSPF_ASSIGN_OR_RETURN(
      Stmt * back,
      db->Prepare("SELECT a.seq, a.time, b.time, a.principal_id, a.target, a.actor, a.role, "
                  "a.action, a.allowed, a.case_id FROM events a "
                  "JOIN events b ON b.seq = a.seq - 1 WHERE a.time < b.time ORDER BY a.seq"));
  SSPF_RETURN_IF_ERROR(ForEachRow(back, [&]() -> Status {
    ReviewFlag f;
    f.kind = "time-backwards";
    f.seq = static_cast<uint64_t>(back->Int(0));
    f.time = back->Int(1);
    f.principal_id = back->Text(3);
    f.target = back->Text(4);
    f.actor = static_cast<Actor>(back->Int(5));
    f.role = static_cast<Role>(back->Int(6));
    f.action = static_cast<Action>(back->Int(7));
    f.allowed = back->Int(8) != 0;
    f.case_id = back->Text(9);
    f.detail = "event time " + FormatRfc3339(back->Int(1)) + " is earlier than the previous "
               "event's " + FormatRfc3339(back->Int(2));
    flags.push_back(std::move(f));
    return Status::Ok();
  }));
  std::stable_sort(flags.begin(), flags.end(),
                   [](const ReviewFlag& a, const ReviewFlag& b) { return a.seq < b.seq; });
  return flags;
}

Result<std::unordered_map<std::string, std::string>> PrincipalNames(Session::Impl* impl) {
  // The newest certificate of each principal: they come by subject, then
  // version.
  std::map<std::string, CertRow> newest;
  SSPF_RETURN_IF_ERROR(ForEachCert(impl->db.get(), [&](const CertRow& row) -> Status {
    if (row.kind == CertKind::kPrincipal) newest[row.subject] = row;
    return Status::Ok();
  }));
  std::unordered_map<std::string, std::string> out;
  for (const auto& [id, row] : newest) {
    SSPF_ASSIGN_OR_RETURN(PrincipalCert cert, CheckedPrincipalCert(impl, row));
    out[id] = cert.name;
  }
  return out;
}

Result<std::map<uint64_t, ReviewAck>> LoadAcks(Session::Impl* impl, bool open_notes) {
  Db* db = impl->db.get();
  std::map<uint64_t, ReviewAck> out;
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT id, event_seq, flagged_seq, auditor_id, "
                                               "created FROM review_acks ORDER BY event_seq"));
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    ReviewAck a;
    a.note_id = st->Text(0);
    a.seq = static_cast<uint64_t>(st->Int(1));
    a.flagged_seq = static_cast<uint64_t>(st->Int(2));
    a.auditor_id = st->Text(3);
    a.time = st->Int(4);
    out.emplace(a.flagged_seq, std::move(a));
    return Status::Ok();
  }));
  // Checked at use (DESIGN §13; found by a review on 2026-12-04): each
  // sign-off must be the one its signed audit.ack event records, by an
  // auditor; a row an insider added would show a flag as acknowledged.
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ev, db->Prepare((std::string("SELECT ") + kEventColumns +
                              " FROM events WHERE seq = ?").c_str()));
  for (const auto& [flagged, a] : out) {
    ev->Bind(1, static_cast<int64_t>(std::min<uint64_t>(a.seq, INT64_MAX)));
    SSPF_ASSIGN_OR_RETURN(bool found, ev->Step());
    std::optional<EventRecord> e;
    if (found) e = ReadEventRow(ev);
    ev->Reset();
    const Result<std::vector<std::string>> v =
        DecodeDetail(Action::kAuditAck, e ? e->detail : std::string());
    const bool agrees = e && e->allowed && e->action == Action::kAuditAck && v.ok() &&
                        v->size() >= 4 && (*v)[0] == a.note_id &&
                        (*v)[1] == std::to_string(a.flagged_seq) && (*v)[2] == a.auditor_id &&
                        (*v)[3] == std::to_string(a.time) && e->principal_id == a.auditor_id;
    if (!agrees) {
      return IntegrityViolation("review_acks row " + ShownSchemaName(a.note_id) +
                                ": no signed audit.ack event records it (added with SQL)");
    }
    SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, *e));
    SSPF_ASSIGN_OR_RETURN(PrincipalCert by, CertifiedPrincipal(impl, e->principal_id));
    if (by.role != Role::kAuditor) {
      return IntegrityViolation("review_acks row " + ShownSchemaName(a.note_id) +
                                ": its audit.ack event is not signed by an auditor (forged)");
    }
  }
  if (!open_notes) return out;
  for (auto& [seq, a] : out) {
    SSPF_ASSIGN_OR_RETURN(a.note, OpenReason(impl, kReviewAcksTable, a.note_id));
    a.note_sealed = !a.note.has_value();
  }
  return out;
}

Result<std::vector<ReviewClosure>> LoadClosures(Db* db) {
  std::vector<ReviewClosure> out;
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT event_seq, created, auditor_id, since, until, flags_open, "
                             "flags_acknowledged FROM review_closures ORDER BY until, event_seq"));
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    ReviewClosure c;
    c.seq = static_cast<uint64_t>(st->Int(0));
    c.time = st->Int(1);
    c.auditor_id = st->Text(2);
    c.since = st->Int(3);
    c.until = st->Int(4);
    c.flags_open = static_cast<uint64_t>(st->Int(5));
    c.flags_acknowledged = static_cast<uint64_t>(st->Int(6));
    out.push_back(std::move(c));
    return Status::Ok();
  }));
  return out;
}

namespace {

// The period of a summary that t falls in: its label and first second.
struct Period {
  std::string label;
  UnixSeconds start = 0;
};

// The UTC instant of local midnight starting local day `days`.
UnixSeconds LocalMidnight(int64_t days) {
  const int64_t local = days * kSecondsPerDay;
  for (int64_t offset : {3600, 7200}) {
    if (StockholmLocalSeconds(local - offset) == local) return local - offset;
  }
  return local - 3600;
}

std::string TwoDigits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

Period PeriodOf(UnixSeconds t, ReviewPeriodUnit by) {
  int64_t day = LocalDay(t);
  Period p;
  if (by == ReviewPeriodUnit::kWeek) {
    // ISO 8601: weeks start on Monday; a week belongs to the year of its
    // Thursday.
    const int wd = WeekdayOfDays(day);  // 0 Sunday
    day -= (wd + 6) % 7;
    const Date thursday = CivilFromDays(day + 3);
    const int64_t jan1 = DaysFromCivil(Date{thursday.year, 1, 1});
    const int64_t week = (day + 3 - jan1) / 7 + 1;
    p.label = std::to_string(thursday.year) + "-W" + TwoDigits(static_cast<int>(week));
  } else {
    const Date d = CivilFromDays(day);
    p.label = std::to_string(d.year) + "-" + TwoDigits(d.month) + "-" + TwoDigits(d.day);
  }
  p.start = LocalMidnight(day);
  return p;
}

// Counts per (period start, key), kept in order.
class Counter {
 public:
  void Add(const Period& p, const std::string& key, const std::string& name,
           const EventRecord& e) {
    ReviewCount& c = rows_[{p.start, key}];
    if (c.period.empty()) {
      c.period = p.label;
      c.period_start = p.start;
      c.key = key;
      c.name = name;
    }
    ++c.events;
    if (!e.allowed) ++c.denied;
    if (e.allowed && e.action == Action::kEntryRead) ++c.entry_reads;
    if (e.allowed && (!e.case_id.empty() || !e.subject_id.empty())) ++c.accesses;
  }
  std::vector<ReviewCount> Rows() const {
    std::vector<ReviewCount> out;
    out.reserve(rows_.size());
    for (const auto& [k, v] : rows_) out.push_back(v);
    return out;
  }

 private:
  std::map<std::pair<UnixSeconds, std::string>, ReviewCount> rows_;
};

bool InScope(const ReviewOptions& o, const std::string& principal_id, UnixSeconds t, Actor a,
             const std::string& scope_principal_id) {
  if (o.since && t < *o.since) return false;
  if (o.until && t >= *o.until) return false;
  if (o.principal && principal_id != scope_principal_id) return false;
  if (o.actor && a != *o.actor) return false;
  return true;
}

}  // namespace
}  // namespace internal::audit

const std::vector<std::string>& ReviewFlagKinds() {
  static const std::vector<std::string>* kinds = new std::vector<std::string>{
      "legal-provision",      "emergency-grant",       "denied-burst",
      "outside-office-hours", "read-after-withdrawal", "read-after-team-leave",
      "bulk-read",            "membership-change",     "key-delivery",
      "key-change",           "retention-run",         "time-backwards"};
  return *kinds;
}

namespace {

// The review; without summaries (the flag-only Review()) it reads only the
// events the flag rules select.
Result<ReviewReport> BuildReview(Session::Impl* impl, const ReviewOptions& options,
                                 bool with_summaries) {
  namespace audit = internal::audit;
  if (options.since && options.until && *options.since >= *options.until) {
    return InvalidArgument("the review period is empty: --since must be before --until");
  }
  if (options.flag_kind) {
    const auto& kinds = ReviewFlagKinds();
    if (std::find(kinds.begin(), kinds.end(), *options.flag_kind) == kinds.end()) {
      std::string list;
      for (const std::string& k : kinds) list += (list.empty() ? "" : ", ") + k;
      return InvalidArgument("unknown flag kind (use one of " + list + ")");
    }
  }
  if (options.principal) {
    SSPF_RETURN_IF_ERROR(impl->CheckText("principal name", *options.principal, true));
  }
  if (options.by != ReviewPeriodUnit::kDay && options.by != ReviewPeriodUnit::kWeek) {
    return InvalidArgument("unknown summary period (use day or week)");
  }
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditReview, "log"));
  Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());

  SSPF_ASSIGN_OR_RETURN(auto names, audit::PrincipalNames(impl));
  auto name_of = [&](const std::string& id) -> std::string {
    auto it = names.find(id);
    return it == names.end() ? std::string() : it->second;
  };
  std::string scope_pid;
  if (options.principal) {
    for (const auto& [id, name] : names) {
      if (name == *options.principal) scope_pid = id;
    }
    if (scope_pid.empty()) return NotFound("no such principal");
  }

  ReviewReport r;
  r.store_id = impl->store_id;
  r.since = options.since;
  r.until = options.until;
  r.principal = options.principal;
  r.actor = options.actor;
  r.flag_kind = options.flag_kind;
  r.summary.by = options.by;
  SSPF_ASSIGN_OR_RETURN(r.tree_size, internal::LogSize(db));
  SSPF_ASSIGN_OR_RETURN(std::optional<internal::EventTime> last, internal::LastEventTime(db));
  r.generated = last ? last->time : 0;

  SSPF_ASSIGN_OR_RETURN(std::vector<ReviewFlag> flags, audit::ComputeFlags(db));
  SSPF_ASSIGN_OR_RETURN(auto acks, audit::LoadAcks(impl, true));
  for (auto& [seq, a] : acks) a.auditor_name = name_of(a.auditor_id);
  for (ReviewFlag& f : flags) {
    if (!audit::InScope(options, f.principal_id, f.time, f.actor, scope_pid)) continue;
    if (options.flag_kind && f.kind != *options.flag_kind) continue;
    f.principal_name = name_of(f.principal_id);
    auto a = acks.find(f.seq);
    if (a != acks.end()) f.ack = a->second;
    ++(f.ack ? r.flags_acknowledged : r.flags_open);
    r.flags.push_back(std::move(f));
  }

  SSPF_ASSIGN_OR_RETURN(std::vector<ReviewClosure> closures, audit::LoadClosures(db));
  for (ReviewClosure& c : closures) {
    if (options.since && c.until <= *options.since) continue;
    if (options.until && c.since >= *options.until) continue;
    c.auditor_name = name_of(c.auditor_id);
    r.closures.push_back(std::move(c));
  }
  if (!with_summaries) return r;

  // Summaries and readers: one pass over the events in scope (the time
  // index bounds it).
  std::string sql = "SELECT seq, time, principal_id, actor, action, allowed, case_id, "
                    "subject_id FROM events WHERE time >= ? AND time < ?";
  if (options.principal) sql += " AND principal_id = ?";
  if (options.actor) sql += " AND actor = ?";
  sql += " ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  int bind = 1;
  st->Bind(bind++, options.since.value_or(INT64_MIN));
  st->Bind(bind++, options.until.value_or(INT64_MAX));
  if (options.principal) st->Bind(bind++, scope_pid);
  if (options.actor) st->Bind(bind++, static_cast<int64_t>(*options.actor));
  audit::Counter per_principal, per_actor, per_action;
  std::map<std::string, std::map<std::string, CaseReader>> readers;  // case -> principal
  SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
    EventRecord e;
    e.seq = static_cast<uint64_t>(st->Int(0));
    e.time = st->Int(1);
    e.principal_id = st->Text(2);
    e.actor = static_cast<Actor>(st->Int(3));
    e.action = static_cast<Action>(st->Int(4));
    e.allowed = st->Int(5) != 0;
    e.case_id = st->Text(6);
    e.subject_id = st->Text(7);
    ++r.events_in_scope;
    const audit::Period p = audit::PeriodOf(e.time, options.by);
    per_principal.Add(p, e.principal_id, name_of(e.principal_id), e);
    const std::string actor = internal::json::ActorText(e.actor);
    per_actor.Add(p, actor, actor, e);
    const std::string action = internal::json::ActionText(e.action);
    per_action.Add(p, action, action, e);
    if (e.action == Action::kEntryRead && !e.case_id.empty()) {
      CaseReader& cr = readers[e.case_id][e.principal_id];
      cr.principal_id = e.principal_id;
      cr.actor = e.actor;
      ++(e.allowed ? cr.reads : cr.denied);
      cr.last = e.time;
    }
    return Status::Ok();
  }));
  r.summary.per_principal = per_principal.Rows();
  r.summary.per_actor = per_actor.Rows();
  r.summary.per_action = per_action.Rows();

  for (auto& [case_id, by_principal] : readers) {
    CaseReaders c;
    c.case_id = case_id;
    for (auto& [pid, reader] : by_principal) {
      c.reads += reader.reads;
      reader.name = name_of(pid);
      c.readers.push_back(std::move(reader));
    }
    std::stable_sort(c.readers.begin(), c.readers.end(),
                     [](const CaseReader& a, const CaseReader& b) {
                       return std::tie(b.reads, b.denied) < std::tie(a.reads, a.denied);
                     });
    if (c.readers.size() > options.top_readers) c.readers.resize(options.top_readers);
    if (options.top_readers != 0) r.top_readers.push_back(std::move(c));
  }
  std::stable_sort(r.top_readers.begin(), r.top_readers.end(),
                   [](const CaseReaders& a, const CaseReaders& b) { return a.reads > b.reads; });
  return r;
}

}  // namespace

Result<std::vector<ReviewFlag>> Session::Review() {
  SSPF_ASSIGN_OR_RETURN(ReviewReport report, BuildReview(impl_.get(), ReviewOptions{}, false));
  return std::move(report.flags);
}

Result<ReviewReport> Session::Review(const ReviewOptions& options) {
  return BuildReview(impl_.get(), options, true);
}

}  // namespace sspf
