// The auditor's Session methods for reading the log (DESIGN §6): queries,
// export and subject extracts (loggutdrag); the review report (loggkontroll)
// is audit/review.cpp.  Each reads in one snapshot that already holds the
// command's own event: an extract of a subject lists the extract itself.
#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>

#include "audit/audit_internal.h"
#include "audit/review_internal.h"
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
    "seq,time,principal,principal_name,actor,role,action,target,decision,reason,basis,purpose,"
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
  add(e.principal_name, true);
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

void SetName(const std::unordered_map<std::string, std::string>& names, AuditEvent* e) {
  auto it = names.find(e->principal_id);
  if (it != names.end()) e->principal_name = it->second;
}

// audit query --seq N past the end of the log: kNotFound, not an empty list.
Status CheckSeqInLog(Db* db, const AuditFilter& f) {
  if (!f.seq_from) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(db));
  if (*f.seq_from < size) return Status::Ok();
  return NotFound("no event " + std::to_string(*f.seq_from) + " in the log (it has " +
                  std::to_string(size) + " events, 0 to " +
                  std::to_string(size == 0 ? 0 : size - 1) + ")");
}

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
  SSPF_RETURN_IF_ERROR(CheckSeqInLog(impl->db.get(), filter));
  SSPF_ASSIGN_OR_RETURN(auto names, internal::audit::PrincipalNames(impl));
  std::vector<AuditEvent> out;
  SSPF_RETURN_IF_ERROR(RunQuery(impl, filter, names, [&](const EventRecord& r) -> Status {
    SSPF_ASSIGN_OR_RETURN(AuditEvent e, ToAuditEvent(impl->db.get(), impl->store_id_bytes, r));
    SetName(names, &e);
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
  SSPF_ASSIGN_OR_RETURN(auto names, internal::audit::PrincipalNames(impl));
  try {
    if (format == ExportFormat::kCsv) SSPF_RETURN_IF_ERROR(sink(kCsvHeader));
    return RunQuery(impl, filter, names, [&](const EventRecord& r) -> Status {
      SSPF_ASSIGN_OR_RETURN(AuditEvent e,
                            ToAuditEvent(impl->db.get(), impl->store_id_bytes, r));
      SetName(names, &e);
      if (format == ExportFormat::kCsv) return sink(EventCsv(e));
      // Text fields are checked UTF-8 when written; a tampered row that is
      // not is exported with U+FFFD (the leaf keeps the exact bytes).
      return sink(EventJson(e));
    });
  } catch (const std::exception&) {
    return Internal("export failed while formatting an event");
  }
}

namespace internal::audit {

Status ForEachSubjectEvent(Session::Impl* impl, const std::string& sid,
                           const std::function<Status(AuditEvent)>& fn) {
  SSPF_RETURN_IF_ERROR(impl->CheckText("subject id", sid, true));
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
  SSPF_ASSIGN_OR_RETURN(auto names, internal::audit::PrincipalNames(impl));
  return RunQuery(impl, f, names, [&](const EventRecord& r) -> Status {
    SSPF_ASSIGN_OR_RETURN(AuditEvent e, ToAuditEvent(db, impl->store_id_bytes, r));
    SetName(names, &e);
    return fn(std::move(e));
  });
}

}  // namespace internal::audit

Result<std::vector<AuditEvent>> Session::ExtractSubject(std::string_view subject_id) {
  std::vector<AuditEvent> out;
  SSPF_RETURN_IF_ERROR(internal::audit::ForEachSubjectEvent(
      impl_.get(), std::string(subject_id), [&](AuditEvent e) -> Status {
        // No content: events hold none, and the replay detail (ids and codes
        // of state changes) is left out of the youth's extract.
        e.detail.clear();
        out.push_back(std::move(e));
        return Status::Ok();
      }));
  return out;
}

}  // namespace sspf
