// The auditor's Session methods (DESIGN §6): checkpoints, verification,
// proofs, queries, export, subject extracts (loggutdrag) and the review
// report (loggkontroll).
//
// Every audit command is decided (Operation::kAuditRead) and its event is
// written and COMMITTED in its own transaction before anything is read (fail
// closed: no event, no data).  The read then runs in one read transaction, a
// snapshot that already contains the command's own event: `audit verify`
// covers the log up to and including its own event, an extract of a subject
// lists the extract itself.
#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>

#include "json/fields.h"
#include "log/audit_log.h"
#include "log/checkpoint.h"
#include "context/operation.h"
#include "context/trust.h"
#include "log/merkle.h"
#include "log/note.h"
#include "log/replay.h"
#include "util/civil_time.h"
#include "sspf/json.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::EventRecord;
using internal::Hash;
using internal::Stmt;

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

// Progress is reported at most every this many events (and every 1%).
constexpr uint64_t kProgressEvents = 10000;

// A read transaction: one snapshot for the whole audit read (WAL readers do
// not block writers).
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Db* db) : db_(db) {}
  Status Begin() {
    SSPF_RETURN_IF_ERROR(db_->Exec("BEGIN"));
    open_ = true;
    return Status::Ok();
  }
  ~ReadSnapshot() {
    if (open_) db_->Exec("COMMIT").IgnoreError();
  }

 private:
  Db* db_;
  bool open_ = false;
};

// Decides and logs an audit command and commits the event before the read
// (the read runs in a snapshot of its own, after the event).
Status AuditGate(Session::Impl* impl, Action action, std::string target,
                 std::string case_id = {}, std::string subject_id = {}) {
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


bool OutsideOfficeHours(UnixSeconds t) {
  int64_t local = internal::StockholmLocalSeconds(t);
  int64_t days = internal::FloorDiv(local, internal::kSecondsPerDay);
  int64_t hour = (local - days * internal::kSecondsPerDay) / 3600;
  int wd = WeekdayOfDays(days);
  if (wd == 0 || wd == 6) return true;
  return hour < kOfficeStartHour || hour >= kOfficeEndHour;
}

AuditEvent ToAuditEvent(const EventRecord& r) {
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
  e.leaf = internal::EncodeLeaf(r);
  e.leaf_hash = FromHash(internal::LeafHash(e.leaf.data(), e.leaf.size()));
  return e;
}

// Runs the filtered event query, calling fn per row in seq order.
Status RunQuery(Db* db, const AuditFilter& f,
                const std::function<Status(const EventRecord&)>& fn) {
  // Only fixed SQL text with placeholders; the filter values are bound.
  std::string sql = std::string("SELECT ") + internal::kEventColumns + " FROM events WHERE 1";
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
    text(" AND subject_id = ? AND (case_id IN (SELECT id FROM cases WHERE subject_id = ?)"
         " OR (case_id = '' AND subject_id = ?))",
         *f.subject_id);
    binds.push_back({false, 0, *f.subject_id});
    binds.push_back({false, 0, *f.subject_id});
  }
  if (f.principal) {
    text(" AND principal_id IN (SELECT id FROM principals WHERE name = ?)", *f.principal);
  }
  if (f.actor) num(" AND actor = ?", static_cast<int64_t>(*f.actor));
  if (f.action) num(" AND action = ?", static_cast<int64_t>(*f.action));
  if (f.allowed) num(" AND allowed = ?", *f.allowed ? 1 : 0);
  if (f.target) text(" AND target = ?", *f.target);
  if (f.since) num(" AND time >= ?", *f.since);
  if (f.until) num(" AND time < ?", *f.until);
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
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) {
      st->Reset();
      return row.status();
    }
    if (!*row) break;
    Status s = fn(internal::ReadEventRow(st));
    if (!s.ok()) {
      st->Reset();
      return s;
    }
  }
  st->Reset();
  return Status::Ok();
}

Status CheckFilter(Session::Impl* impl, const AuditFilter& f) {
  if (f.case_id) SSPF_RETURN_IF_ERROR(impl->CheckText("case id", *f.case_id, true));
  if (f.subject_id) SSPF_RETURN_IF_ERROR(impl->CheckText("subject id", *f.subject_id, true));
  if (f.principal) SSPF_RETURN_IF_ERROR(impl->CheckText("principal name", *f.principal, true));
  if (f.target) SSPF_RETURN_IF_ERROR(impl->CheckText("target", *f.target, true));
  if (f.since && f.until && *f.until < *f.since) {
    return InvalidArgument("the time range ends before it starts");
  }
  return Status::Ok();
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

// ---- Checkpoints and keys ---------------------------------------------------

Result<std::string> Session::Checkpoint() {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditCheckpoint, "log"));
  // Its own transaction, after the event: the checkpoint covers the event.
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn,
                        internal::Txn::Begin(impl->db.get()));
  SSPF_ASSIGN_OR_RETURN(std::string note, internal::MakeCheckpoint(impl->db.get(), impl->Signer(), impl->Now()));
  SSPF_RETURN_IF_ERROR(txn->Commit());
  return note;
}

Result<std::string> Session::VerifierKey() {
  Impl* impl = impl_.get();
  // There is no action of its own: reading the key is part of publishing
  // checkpoints, and is logged as such.
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditCheckpoint, "verifier-key"));
  SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk, internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
  return internal::FormatVerifierKey(vk.name, vk.public_key);
}

// ---- Verification -------------------------------------------------------------

Result<VerifyReport> Session::Verify(const VerifyOptions& options) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditVerify, "log"));
  Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());

  SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk, internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
  const std::string origin = internal::LogOrigin(impl->store_id);

  // The kept checkpoint first: a foreign or forged one fails before any work.
  std::optional<internal::Checkpoint> kept;
  if (options.kept_checkpoint) {
    Result<internal::Checkpoint> cp =
        internal::OpenCheckpoint(*options.kept_checkpoint, vk, origin);
    if (!cp.ok()) {
      return IntegrityViolation(
          "kept checkpoint: not a valid checkpoint of this store signed by its "
          "audit key (" + cp.status().message() + ")");
    }
    kept = *cp;
  }

  // Sizes of the stored checkpoints; their roots are taken from the
  // streaming pass as it passes each size.
  std::vector<uint64_t> cp_sizes;
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db->Prepare("SELECT tree_size FROM checkpoints ORDER BY tree_size"));
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      cp_sizes.push_back(static_cast<uint64_t>(st->Int(0)));
    }
    st->Reset();
  }
  std::vector<uint64_t> wanted = cp_sizes;
  if (kept) wanted.push_back(kept->size);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::map<uint64_t, Hash> roots_at;  // size -> recomputed root

  SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(db));
  const uint64_t progress_step =
      std::max<uint64_t>(1, std::min<uint64_t>(kProgressEvents, size / 100));

  // (1) Stream the events: leaf hashes against the stored level-0 nodes,
  // the sequence without gaps, the root in O(log n) memory.
  internal::StreamingRoot stream;
  size_t next_wanted = 0;
  auto record_roots = [&]() {
    while (next_wanted < wanted.size() && wanted[next_wanted] == stream.Size()) {
      roots_at[wanted[next_wanted]] = stream.Root();
      ++next_wanted;
    }
    while (next_wanted < wanted.size() && wanted[next_wanted] < stream.Size()) ++next_wanted;
  };
  record_roots();
  SSPF_ASSIGN_OR_RETURN(
      Stmt * leaves,
      db->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = 0 ORDER BY idx"));
  Status streamed = internal::ForEachEvent(db, 0, [&](const EventRecord& e) -> Status {
    const uint64_t expected = stream.Size();
    if (e.seq != expected) {
      return IntegrityViolation("event " + std::to_string(expected) +
                                " missing (gap in sequence)");
    }
    Bytes leaf = internal::EncodeLeaf(e);
    Hash h = internal::LeafHash(leaf.data(), leaf.size());
    SSPF_ASSIGN_OR_RETURN(bool row, leaves->Step());
    if (!row || static_cast<uint64_t>(leaves->Int(0)) > e.seq) {
      return IntegrityViolation("event " + std::to_string(e.seq) +
                                ": no stored leaf hash (tree nodes deleted)");
    }
    if (static_cast<uint64_t>(leaves->Int(0)) < e.seq) {
      return IntegrityViolation("tree leaf " + std::to_string(leaves->Int(0)) +
                                " has no event (event deleted)");
    }
    if (ToHash(leaves->Blob(1)) != h) {
      return IntegrityViolation("event " + std::to_string(e.seq) +
                                ": leaf hash mismatch (event or its stored leaf hash edited)");
    }
    stream.Append(h);
    record_roots();
    if (options.progress && stream.Size() % progress_step == 0) {
      options.progress(stream.Size(), size);
    }
    return Status::Ok();
  });
  if (streamed.ok()) {
    Result<bool> extra = leaves->Step();
    if (!extra.ok()) {
      streamed = extra.status();
    } else if (*extra) {
      streamed = IntegrityViolation("tree leaf " + std::to_string(leaves->Int(0)) +
                                    " has no event (events deleted)");
    }
  }
  leaves->Reset();
  SSPF_RETURN_IF_ERROR(streamed);
  if (stream.Size() != size) {
    return IntegrityViolation("event " + std::to_string(stream.Size()) +
                              " missing (gap in sequence)");
  }
  if (options.progress) options.progress(size, size);

  // (2) Every stored interior node, level by level, from the verified level
  // below; then the root from the stored nodes.  Sequential reads only.
  for (uint32_t level = 1; level <= internal::kMaxSubtreeLevel && (size >> level) > 0;
       ++level) {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * lower,
        db->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = ? ORDER BY idx"));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * upper,
        db->Prepare("SELECT idx AS i, hash AS h FROM tree_nodes WHERE level = ? ORDER BY idx"));
    lower->Bind(1, static_cast<int64_t>(level - 1));
    upper->Bind(1, static_cast<int64_t>(level));
    const uint64_t count = size >> level;
    Status s;
    auto bad = [&](uint64_t i) {
      return IntegrityViolation("tree node " + std::to_string(level) + "/" +
                                std::to_string(i) +
                                ": stored hash mismatch (tree nodes edited)");
    };
    for (uint64_t i = 0; i < count && s.ok(); ++i) {
      Result<bool> l1 = lower->Step();
      if (!l1.ok()) { s = l1.status(); break; }
      Hash left = ToHash(lower->Blob(1));
      Result<bool> l2 = lower->Step();
      if (!l2.ok()) { s = l2.status(); break; }
      Hash right = ToHash(lower->Blob(1));
      Result<bool> u = upper->Step();
      if (!u.ok()) { s = u.status(); break; }
      if (!*l1 || !*l2 || !*u || static_cast<uint64_t>(upper->Int(0)) != i ||
          ToHash(upper->Blob(1)) != internal::NodeHash(left, right)) {
        s = bad(i);
      }
    }
    if (s.ok()) {
      Result<bool> more = upper->Step();
      if (!more.ok()) s = more.status();
      else if (*more) s = bad(static_cast<uint64_t>(upper->Int(0)));
    }
    lower->Reset();
    upper->Reset();
    SSPF_RETURN_IF_ERROR(s);
  }
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT count(*) FROM tree_nodes WHERE level > 0 AND "
                               "((idx + 1) << level) > ?"));
    st->Bind(1, static_cast<int64_t>(size));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    int64_t beyond = row ? st->Int(0) : 0;
    st->Reset();
    if (beyond != 0) {
      return IntegrityViolation("tree nodes beyond the last event (events deleted)");
    }
  }
  const Hash root = stream.Root();
  internal::DbSubtreeSource source(db);
  SSPF_ASSIGN_OR_RETURN(Hash stored_root, internal::RootAt(source, size));
  if (stored_root != root) {
    return IntegrityViolation("stored tree root differs from the recomputed root "
                              "(tree nodes edited)");
  }

  // (3) Every stored checkpoint: signature, origin, and the root of the log
  // at its size.
  VerifyReport report;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT tree_size, note FROM checkpoints ORDER BY tree_size"));
    Status s;
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) { s = row.status(); break; }
      if (!*row) break;
      const uint64_t at = static_cast<uint64_t>(st->Int(0));
      const std::string name = "checkpoint " + std::to_string(at) + ": ";
      Result<internal::Checkpoint> cp = internal::OpenCheckpoint(st->Text(1), vk, origin);
      if (!cp.ok()) {
        s = IntegrityViolation(name + "bad signature (" + cp.status().message() + ")");
        break;
      }
      if (cp->size != at) {
        s = IntegrityViolation(name + "signed size " + std::to_string(cp->size) +
                               " differs from its row");
        break;
      }
      if (at > size) {
        s = IntegrityViolation(name + "the log is smaller than this checkpoint (truncated)");
        break;
      }
      auto it = roots_at.find(at);
      if (it == roots_at.end() || it->second != cp->root) {
        s = IntegrityViolation(name + "root does not match the log (log rewritten)");
        break;
      }
      ++report.checkpoints_checked;
    }
    st->Reset();
    SSPF_RETURN_IF_ERROR(s);
  }

  // (4) The checkpoint kept outside the store.
  if (kept) {
    if (kept->size > size) {
      return IntegrityViolation(
          "rollback: the log is smaller than a checkpoint kept outside the store (" +
          std::to_string(size) + " < " + std::to_string(kept->size) + " events)");
    }
    auto it = roots_at.find(kept->size);
    if (it == roots_at.end() || it->second != kept->root) {
      return IntegrityViolation("the log does not extend the kept checkpoint (size " +
                                std::to_string(kept->size) +
                                "): events before it were rolled back or rewritten");
    }
    report.kept_checkpoint_consistent = true;
  }

  // (5) Replayed state against the tables.
  SSPF_RETURN_IF_ERROR(internal::ReplayCheck(impl->db.get()));
  // Every key a decision relies on is certified by the pinned anchor.
  SSPF_RETURN_IF_ERROR(internal::CheckCertifiedState(impl));

  report.tree_size = size;
  report.root = FromHash(root);
  return report;
}

Result<InclusionProof> Session::Prove(uint64_t index, std::optional<std::string> checkpoint) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditProve, "event:" + std::to_string(index)));
  Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(db));
  internal::DbSubtreeSource source(db);
  InclusionProof out;
  Hash root;
  if (checkpoint) {
    SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk, internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
    Result<internal::Checkpoint> cp =
        internal::OpenCheckpoint(*checkpoint, vk, internal::LogOrigin(impl->store_id));
    if (!cp.ok()) {
      return IntegrityViolation("checkpoint: not a valid checkpoint of this store (" +
                                cp.status().message() + ")");
    }
    if (cp->size > size) {
      return IntegrityViolation(
          "rollback: the log is smaller than the given checkpoint");
    }
    SSPF_ASSIGN_OR_RETURN(Hash stored, internal::RootAt(source, cp->size));
    if (stored != cp->root) {
      return IntegrityViolation("the log does not extend the given checkpoint");
    }
    out.tree_size = cp->size;
    root = cp->root;
  } else {
    out.tree_size = size;
    SSPF_ASSIGN_OR_RETURN(root, internal::RootAt(source, size));
  }
  if (index >= out.tree_size) {
    return NotFound("no event " + std::to_string(index) + " in a tree of " +
                    std::to_string(out.tree_size) + " events");
  }
  // The leaf hash recomputed from the event must be the stored one.
  std::optional<EventRecord> event;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st,
        db->Prepare((std::string("SELECT ") + internal::kEventColumns + " FROM events WHERE seq = ?")
                        .c_str()));
    st->Bind(1, static_cast<int64_t>(index));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row) event = internal::ReadEventRow(st);
    st->Reset();
  }
  if (!event) return IntegrityViolation("event " + std::to_string(index) + " missing");
  Bytes leaf = internal::EncodeLeaf(*event);
  Hash leaf_hash = internal::LeafHash(leaf.data(), leaf.size());
  SSPF_ASSIGN_OR_RETURN(Hash stored_leaf, source.Subtree(0, index));
  if (stored_leaf != leaf_hash) {
    return IntegrityViolation("event " + std::to_string(index) + ": leaf hash mismatch");
  }
  SSPF_ASSIGN_OR_RETURN(std::vector<Hash> path,
                        internal::InclusionProof(source, index, out.tree_size));
  Status ok = internal::VerifyInclusion(leaf_hash, index, out.tree_size, path, root);
  if (!ok.ok()) {
    return IntegrityViolation("inclusion proof of event " + std::to_string(index) +
                              " does not verify (tree nodes edited)");
  }
  out.index = index;
  out.leaf_hash = FromHash(leaf_hash);
  out.root = FromHash(root);
  for (const Hash& h : path) out.proof.push_back(FromHash(h));
  return out;
}

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
  SSPF_RETURN_IF_ERROR(RunQuery(impl->db.get(), filter, [&](const EventRecord& r) {
    out.push_back(ToAuditEvent(r));
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
      AuditEvent e = ToAuditEvent(r);
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
  SSPF_RETURN_IF_ERROR(RunQuery(db, f, [&](const EventRecord& r) {
    AuditEvent e = ToAuditEvent(r);
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
  const std::string sql =
      std::string("SELECT ") + internal::kEventColumns +
      " FROM events WHERE allowed = 0 OR action IN (" +
      std::to_string(static_cast<int>(Action::kEntryRead)) + "," +
      std::to_string(static_cast<int>(Action::kGrantEmergency)) + "," +
      std::to_string(static_cast<int>(Action::kConsentWithdraw)) +
      ") OR basis LIKE 'provision:%' OR basis LIKE 'grant:%' ORDER BY seq";
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
    } else if (e.basis.rfind("grant:", 0) == 0) {
      flag(e, "emergency-grant", "access under a legal-basis grant: " + e.basis);
    }
    if (e.action == Action::kConsentWithdraw && !e.case_id.empty()) {
      withdrawn[e.case_id] = {e.time, e.seq};
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
  return flags;
}

}  // namespace sspf
