// The auditor's Session methods for reading the log (DESIGN §6): queries,
// export, subject extracts (loggutdrag) and the review report
// (loggkontroll).  Each reads in one snapshot that already holds the
// command's own event: an extract of a subject lists the extract itself.
#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>

#include "audit/audit_internal.h"
#include "json/fields.h"
#include "sspf/json.h"
#include "util/civil_time.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::EventRecord;
using internal::Hash;
using internal::Stmt;
using internal::audit::AuditGate;
using internal::audit::CheckFilter;
using internal::audit::FromHash;
using internal::audit::kProgressEvents;
using internal::audit::ReadSnapshot;
using internal::audit::RunQuery;
using internal::audit::ToAuditEvent;
using internal::audit::ToHash;

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

bool OutsideOfficeHours(UnixSeconds t) {
  int64_t local = internal::StockholmLocalSeconds(t);
  int64_t days = internal::FloorDiv(local, internal::kSecondsPerDay);
  int64_t hour = (local - days * internal::kSecondsPerDay) / 3600;
  int wd = WeekdayOfDays(days);
  if (wd == 0 || wd == 6) return true;
  return hour < kOfficeStartHour || hour >= kOfficeEndHour;
}

// RFC 4180 field.  Text that a spreadsheet would run as a formula (leading
// = + - @, tab or CR) is prefixed with a single quote (OWASP CSV injection);
// the `leaf` column always holds the exact bytes.
std::string CsvField(const std::string& v, bool neutralize) {
  std::string s = v;
  if (neutralize && !s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
       s[0] == '\r')) {
    s.insert(s.begin(), '\'');
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

const char* kCsvHeader =
    "seq,time,principal,actor,role,action,target,decision,reason,basis,purpose,"
    "case,subject,detail,leaf,leaf_hash";

std::string EventCsv(const AuditEvent& e) {
  std::string line;
  auto add = [&](const std::string& v, bool neutralize) {
    if (!line.empty()) line += ',';
    line += CsvField(v, neutralize);
  };
  line = std::to_string(e.seq);
  add(FormatRfc3339(e.time), false);
  add(e.principal_id, true);
  add(internal::json::ActorText(e.actor), false);
  add(internal::json::RoleText(e.role), false);
  add(internal::json::ActionText(e.action), false);
  add(e.target, true);
  add(e.allowed ? "allow" : "deny", false);
  add(e.reason, true);
  add(e.basis, true);
  add(e.purpose, true);
  add(e.case_id, true);
  add(e.subject_id, true);
  add(e.detail, true);
  add(internal::Base64Encode(e.leaf), false);
  add(internal::Base64Encode(e.leaf_hash), false);
  return line;
}

// Sliding window of event times per principal.
struct Window {
  std::deque<std::pair<UnixSeconds, uint64_t>> events;  // (time, seq)
  bool flagged = false;  // the current burst has been flagged
  // Adds an event; returns true when the window first reaches `count`.
  bool Add(UnixSeconds t, uint64_t seq, int64_t window, size_t count) {
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
};

}  // namespace

// ---- Queries, export, extract -----------------------------------------------

Result<std::vector<AuditEvent>> Session::QueryEvents(const AuditFilter& filter) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(CheckFilter(impl, filter));
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditQuery, "log",
                                 filter.case_id.value_or(""),
                                 filter.subject_id.value_or("")));
  ReadSnapshot snapshot(impl->db.get());
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  std::vector<AuditEvent> out;
  SSPF_RETURN_IF_ERROR(RunQuery(impl->db.get(), filter, [&](const EventRecord& r) -> Status {
    SSPF_ASSIGN_OR_RETURN(AuditEvent e, ToAuditEvent(impl->db.get(), impl->store_id_bytes, r));
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

Status Session::ExportEvents(const AuditFilter& filter, ExportFormat format,
                             const std::function<Status(std::string_view)>& sink) {
  Impl* impl = impl_.get();
  if (format != ExportFormat::kJsonLines && format != ExportFormat::kCsv) {
    return InvalidArgument("unknown export format (use jsonl or csv)");
  }
  if (!sink) return InvalidArgument("no sink given");
  SSPF_RETURN_IF_ERROR(CheckFilter(impl, filter));
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditExport, "log",
                                 filter.case_id.value_or(""),
                                 filter.subject_id.value_or("")));
  ReadSnapshot snapshot(impl->db.get());
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  try {
    if (format == ExportFormat::kCsv) SSPF_RETURN_IF_ERROR(sink(kCsvHeader));
    return RunQuery(impl->db.get(), filter, [&](const EventRecord& r) -> Status {
      SSPF_ASSIGN_OR_RETURN(AuditEvent e,
                            ToAuditEvent(impl->db.get(), impl->store_id_bytes, r));
      if (format == ExportFormat::kCsv) return sink(EventCsv(e));
      // Text fields are checked UTF-8 when written; a tampered row that is
      // not is exported with U+FFFD (the leaf keeps the exact bytes).
      return sink(EventJson(e));
    });
  } catch (const std::exception&) {
    return Internal("export failed while formatting an event");
  }
}

Result<std::vector<AuditEvent>> Session::ExtractSubject(std::string_view subject_id) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("subject id", subject_id, true));
  const std::string sid(subject_id);
  // The extract is itself an access to the subject's history: it carries the
  // subject id and so appears in later extracts.
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditExtract, "subject:" + sid, "", sid));
  Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT 1 FROM subjects WHERE id = ?"));
    st->Bind(1, sid);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    st->Reset();
    if (!row) return NotFound("no such subject");
  }
  AuditFilter f;
  f.subject_id = sid;
  std::vector<AuditEvent> out;
  SSPF_RETURN_IF_ERROR(RunQuery(db, f, [&](const EventRecord& r) -> Status {
    SSPF_ASSIGN_OR_RETURN(AuditEvent e, ToAuditEvent(db, impl->store_id_bytes, r));
    // No content: events hold none, and the replay detail (ids and codes of
    // state changes) is left out of the youth's extract.
    e.detail.clear();
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

// ---- Review (loggkontroll) ----------------------------------------------------

Result<std::vector<ReviewFlag>> Session::Review() {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditReview, "log"));
  Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());

  std::vector<ReviewFlag> flags;
  std::unordered_map<std::string, Window> denials;  // by principal
  std::unordered_map<std::string, Window> reads;    // by principal
  std::unordered_map<std::string, std::pair<UnixSeconds, uint64_t>> withdrawn;  // by case
  auto flag = [&](const EventRecord& e, const char* kind, std::string detail) {
    ReviewFlag f;
    f.kind = kind;
    f.seq = e.seq;
    f.principal_id = e.principal_id;
    f.target = e.target;
    f.detail = std::move(detail);
    flags.push_back(std::move(f));
  };
  // Only the events a rule looks at; one pass in seq order.
  std::string actions;
  for (Action a : {Action::kEntryRead, Action::kGrantEmergency, Action::kConsentWithdraw,
                   Action::kPrincipalAdd, Action::kPrincipalDisable, Action::kRecoveryReset,
                   Action::kActorKeyDeliver, Action::kKeyRotate, Action::kStoreRekey,
                   Action::kRetentionRun}) {
    if (!actions.empty()) actions += ",";
    actions += std::to_string(static_cast<int>(a));
  }
  const std::string sql = std::string("SELECT ") + internal::kEventColumns +
                          " FROM events WHERE allowed = 0 OR action IN (" + actions +
                          ") OR basis LIKE 'provision:%' OR basis = 'grant' OR basis LIKE 'grant:%' "
                          "OR (allowed = 1 AND reason LIKE '%(grant)') ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  Status s;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) { s = row.status(); break; }
    if (!*row) break;
    const EventRecord e = internal::ReadEventRow(st);
    if (!e.allowed) {
      Window& w = denials[e.principal_id];
      if (w.Add(e.time, e.seq, kDeniedBurstWindowSeconds, kDeniedBurstCount)) {
        flag(e, "denied-burst",
             std::to_string(kDeniedBurstCount) + " denials within " +
                 std::to_string(kDeniedBurstWindowSeconds / 60) + " minutes, from event " +
                 std::to_string(w.events.front().second));
      }
      continue;
    }
    if (e.action == Action::kGrantEmergency) {
      flag(e, "emergency-grant", "legal-basis grant without consent: " + e.basis);
    } else if (e.basis.rfind("provision:", 0) == 0) {
      flag(e, "legal-provision", "access under a secrecy-breaking provision: " + e.basis);
    } else if (e.basis == "grant" || e.basis.rfind("grant:", 0) == 0 ||
               (e.reason.size() >= 7 && e.reason.compare(e.reason.size() - 7, 7, "(grant)") == 0)) {
      // Case access through a grant (basis "grant"), a disclosure under a
      // grant ("grant:<id>"), or a read of a disclosed entry by a principal
      // let into the case by a grant (the policy's reason says so).
      flag(e, "emergency-grant", std::string(ActionName(e.action)) +
                                     " under a legal-basis grant: " + e.basis);
    }
    if (e.action == Action::kConsentWithdraw && !e.case_id.empty()) {
      withdrawn[e.case_id] = {e.time, e.seq};
    }
    // Who holds keys, and which keys: every change is worth a look (a
    // rogue admin adding a member is visible only here).
    switch (e.action) {
      case Action::kPrincipalAdd:
      case Action::kPrincipalDisable:
      case Action::kRecoveryReset:
        flag(e, "membership-change", std::string(ActionName(e.action)) + ": " + e.detail);
        break;
      case Action::kActorKeyDeliver:
        flag(e, "key-delivery", "a key sealed to a new holder: " + e.target);
        break;
      case Action::kKeyRotate:
      case Action::kStoreRekey:
        flag(e, "key-change", std::string(ActionName(e.action)) + ": " + e.reason);
        break;
      case Action::kRetentionRun:  // the reviewer checks the decision is real
        flag(e, "retention-run", e.reason);
        break;
      default:
        break;
    }
    if (e.action != Action::kEntryRead) continue;
    if (OutsideOfficeHours(e.time)) {
      flag(e, "outside-office-hours", "entry read at " + FormatRfc3339(e.time) +
                                          " (outside 07:00-18:00 Mon-Fri, Stockholm time)");
    }
    auto it = withdrawn.find(e.case_id);
    if (!e.case_id.empty() && it != withdrawn.end() && e.basis != "author-actor" &&
        e.time - it->second.first <= kReadAfterWithdrawalSeconds) {
      flag(e, "read-after-withdrawal",
           "entry read within 24 hours of the consent withdrawal in event " +
               std::to_string(it->second.second));
    }
    Window& w = reads[e.principal_id];
    if (w.Add(e.time, e.seq, kBulkReadWindowSeconds, kBulkReadCount)) {
      flag(e, "bulk-read",
           std::to_string(kBulkReadCount) + " entry reads within " +
               std::to_string(kBulkReadWindowSeconds / 60) + " minutes, from event " +
               std::to_string(w.events.front().second));
    }
  }
  st->Reset();
  SSPF_RETURN_IF_ERROR(s);
  // Time going backwards: the library never writes it (event times are
  // monotonic), so any such pair was let through by an older build or
  // written by hand; verify reports it too.
  SSPF_ASSIGN_OR_RETURN(
      Stmt * back,
      db->Prepare("SELECT a.seq, a.time, b.time, a.principal_id, a.target FROM events a "
                  "JOIN events b ON b.seq = a.seq - 1 WHERE a.time < b.time ORDER BY a.seq"));
  SSPF_RETURN_IF_ERROR(internal::ForEachRow(back, [&]() -> Status {
    ReviewFlag f;
    f.kind = "time-backwards";
    f.seq = static_cast<uint64_t>(back->Int(0));
    f.principal_id = back->Text(3);
    f.target = back->Text(4);
    f.detail = "event time " + FormatRfc3339(back->Int(1)) + " is earlier than the previous "
               "event's " + FormatRfc3339(back->Int(2));
    flags.push_back(std::move(f));
    return Status::Ok();
  }));
  std::stable_sort(flags.begin(), flags.end(),
                   [](const ReviewFlag& a, const ReviewFlag& b) { return a.seq < b.seq; });
  return flags;
}

}  // namespace sspf
