// The audit layer's shared pieces (audit_internal.h).
#include "audit/audit_internal.h"

#include <algorithm>
#include <set>
#include <vector>

#include "context/trust.h"
#include "log/replay_detail.h"

namespace sspf::internal::audit {

Status AuditGate(Session::Impl* impl, Action action, std::string target,
                 std::string case_id, std::string subject_id) {
  internal::OpSpec spec{internal::Operation::kAuditRead, action, std::move(target)};
  spec.subject_id = std::move(subject_id);
  spec.refused_in_batch = "audit commands cannot run inside a batch";
  // The event names the case without loading its facts: an auditor is on
  // no team, and the decision does not depend on the case.
  auto facts = [&](internal::Op& op) -> Status {
    op.event.case_id = std::move(case_id);
    return Status::Ok();
  };
  return internal::RunOperation(impl, spec, facts,
                                [](internal::Op&) { return Status::Ok(); });
}

Hash ToHash(const Bytes& b) {
  Hash h{};
  if (b.size() == h.size()) std::copy(b.begin(), b.end(), h.begin());
  return h;
}

Bytes FromHash(const Hash& h) { return Bytes(h.begin(), h.end()); }

AuditEvent EventOfRow(const EventRecord& r) {
  AuditEvent e;
  e.seq = r.seq;
  e.time = r.time;
  e.principal_id = r.principal_id;
  e.actor = r.actor;
  e.role = r.role;
  e.action = r.action;
  e.target = r.target;
  e.allowed = r.allowed;
  e.reason = r.reason;
  e.basis = r.basis;
  e.purpose = r.purpose;
  e.case_id = r.case_id;
  e.subject_id = r.subject_id;
  e.detail = r.detail;
  e.leaf = EncodeLeaf(r);
  e.leaf_hash = FromHash(LeafHash(e.leaf.data(), e.leaf.size()));
  return e;
}

Result<AuditEvent> ToAuditEvent(Db* db, const Bytes& store_id, const EventRecord& r) {
  AuditEvent e = EventOfRow(r);
  const Hash leaf_hash = ToHash(e.leaf_hash);
  SSPF_ASSIGN_OR_RETURN(std::optional<EventSignature> sig, EventSignatureOf(db, r.seq));
  if (sig) {
    e.signer = sig->signer_id;
    e.signature = sig->signature;
    e.signed_message = EventSignedMessage(store_id, r.seq, leaf_hash);
  }
  return e;
}

namespace {

// The subject's cases: the cases rows that name it, and every case whose
// signed case.open names it (DESIGN §13; found by a review on 2026-12-04:
// an insider who pointed a case row at another subject while a log extract
// was made hid that case's accesses from the youth's extract).
Result<std::vector<std::string>> SubjectCases(Session::Impl* impl, const std::string& sid) {
  Db* db = impl->db.get();
  std::set<std::string> ids;
  SSPF_ASSIGN_OR_RETURN(Stmt * rows, db->Prepare("SELECT id FROM cases WHERE subject_id = ?"));
  rows->Bind(1, sid);
  SSPF_RETURN_IF_ERROR(ForEachRow(rows, [&]() -> Status {
    ids.insert(rows->Text(0));
    return Status::Ok();
  }));
  static const std::string sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_case_open WHERE action = " +
      std::to_string(static_cast<int>(Action::kCaseOpen)) + " AND allowed = 1";
  SSPF_ASSIGN_OR_RETURN(Stmt * opened, db->Prepare(sql.c_str()));
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events, ReadEventRows(opened));
  for (const EventRecord& e : events) {
    if (!e.allowed || e.action != Action::kCaseOpen) continue;
    Result<std::vector<std::string>> v = DecodeDetail(e.action, e.detail);
    if (!v.ok() || v->size() < 2 || (*v)[1] != sid || ids.count((*v)[0])) continue;
    SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
    ids.insert((*v)[0]);
  }
  return std::vector<std::string>(ids.begin(), ids.end());
}

}  // namespace

// Runs the filtered event query, calling fn per row in seq order.
Status RunQuery(Session::Impl* impl, const AuditFilter& f,
                const std::unordered_map<std::string, std::string>& names,
                const std::function<Status(const EventRecord&)>& fn) {
  Db* db = impl->db.get();
  // Only fixed SQL text with placeholders; the filter values are bound.
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE 1";
  struct Bind {
    bool is_int;
    int64_t i;
    std::string s;
  };
  std::vector<Bind> binds;
  auto text = [&](const char* clause, const std::string& v) {
    sql += clause;
    binds.push_back({false, 0, v});
  };
  auto num = [&](const char* clause, int64_t v) {
    sql += clause;
    binds.push_back({true, v, {}});
  };
  if (f.case_id) text(" AND case_id = ?", *f.case_id);
  if (f.subject_id) {
    // events_subject indexes only events without a case (schema.cpp); the
    // events of the subject's cases are found through events_case.
    SSPF_ASSIGN_OR_RETURN(std::vector<std::string> cases, SubjectCases(impl, *f.subject_id));
    // ('-' is no case id: the list is never empty.)
    text(" AND subject_id = ? AND (case_id IN ('-'", *f.subject_id);
    for (const std::string& c : cases) {
      sql += ", ?";
      binds.push_back({false, 0, c});
    }
    sql += ") OR (case_id = '' AND subject_id = ?))";
    binds.push_back({false, 0, *f.subject_id});
  }
  if (f.principal) {
    // By the certified name, not the principals row (an insider can swap
    // two names there); the authority certifies one principal per name.
    std::vector<std::string> ids;
    for (const auto& [pid, name] : names) {
      if (name == *f.principal) ids.push_back(pid);
    }
    std::sort(ids.begin(), ids.end());
    sql += ids.empty() ? " AND 0" : " AND principal_id IN (?";
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i > 0) sql += ", ?";
      binds.push_back({false, 0, ids[i]});
    }
    if (!ids.empty()) sql += ")";
  }
  if (f.actor) num(" AND actor = ?", static_cast<int64_t>(*f.actor));
  if (f.action) num(" AND action = ?", static_cast<int64_t>(*f.action));
  if (f.allowed) num(" AND allowed = ?", *f.allowed ? 1 : 0);
  if (f.target) text(" AND target = ?", *f.target);
  if (f.since) num(" AND time >= ?", *f.since);
  if (f.until) num(" AND time < ?", *f.until);
  if (f.seq_from) num(" AND seq >= ?", static_cast<int64_t>(std::min<uint64_t>(*f.seq_from, INT64_MAX)));
  if (f.seq_to) num(" AND seq <= ?", static_cast<int64_t>(std::min<uint64_t>(*f.seq_to, INT64_MAX)));
  sql += " ORDER BY seq";
  if (f.limit != 0) {
    num(" LIMIT ?", static_cast<int64_t>(std::min<size_t>(f.limit, INT64_MAX)));
  }
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  for (size_t i = 0; i < binds.size(); ++i) {
    if (binds[i].is_int) {
      st->Bind(static_cast<int>(i + 1), binds[i].i);
    } else {
      st->Bind(static_cast<int>(i + 1), binds[i].s);
    }
  }
  return ForEachRow(st, [&] { return fn(ReadEventRow(st)); });
}

Status CheckFilter(Session::Impl* impl, const AuditFilter& f) {
  if (f.case_id) SSPF_RETURN_IF_ERROR(impl->CheckText("case id", *f.case_id, true));
  if (f.subject_id) SSPF_RETURN_IF_ERROR(impl->CheckText("subject id", *f.subject_id, true));
  if (f.principal) SSPF_RETURN_IF_ERROR(impl->CheckText("principal name", *f.principal, true));
  if (f.target) SSPF_RETURN_IF_ERROR(impl->CheckText("target", *f.target, true));
  if (f.since && f.until && *f.until < *f.since) {
    return InvalidArgument("the time range ends before it starts");
  }
  if (f.seq_from && f.seq_to && *f.seq_to < *f.seq_from) {
    return InvalidArgument("the seq range ends before it starts");
  }
  return Status::Ok();
}

}  // namespace sspf::internal::audit
