// What the audit layer's files share (audit/verify.cpp, audit/query.cpp):
// the gate every audit command passes, the read snapshot, conversions.
#ifndef SSPF_SRC_AUDIT_AUDIT_INTERNAL_H_
#define SSPF_SRC_AUDIT_AUDIT_INTERNAL_H_

#include <functional>
#include <string>
#include <unordered_map>

#include "context/operation.h"
#include "log/audit_log.h"
#include "log/merkle.h"

namespace sspf::internal::audit {

// Progress is reported at most every this many events (and every 1%).
inline constexpr uint64_t kProgressEvents = 10000;

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
// (the read runs in a snapshot of its own, after the event).  Every audit
// command is decided (Operation::kAuditRead) and its event is written and
// COMMITTED before anything is read (fail closed: no event, no data).
Status AuditGate(Session::Impl* impl, Action action, std::string target,
                 std::string case_id = {}, std::string subject_id = {});

Hash ToHash(const Bytes& b);
Bytes FromHash(const Hash& h);
// The public event with its leaf, leaf hash and signature (read from the
// event_signatures table).
Result<AuditEvent> ToAuditEvent(Db* db, const Bytes& store_id, const EventRecord& r);
// Its part made of the row alone: the fields, the leaf and its hash (no
// signature).
AuditEvent EventOfRow(const EventRecord& r);

// Runs the filter over the log in seq order, calling fn for each match.
// A principal name in the filter matches the principals that `names`
// (PrincipalNames: their certified names) gives that name; a subject's
// cases are those its rows and its signed case.open events name.
Status RunQuery(Session::Impl* impl, const AuditFilter& f,
                const std::unordered_map<std::string, std::string>& names,
                const std::function<Status(const EventRecord&)>& fn);
// The gate, snapshot and query of a subject's log extract: decides and
// logs audit.extract for the subject, then calls fn for every event that
// carries the subject id, oldest first (details included: the caller
// decides what leaves the library).  kNotFound if there is no such subject.
Status ForEachSubjectEvent(Session::Impl* impl, const std::string& subject_id,
                           const std::function<Status(AuditEvent)>& fn);
// The checks of audit verify (Session::Verify) without its gate: the
// caller has logged its own event and opened the read snapshot that the
// rest of its work reads too.  Errors as Session::Verify.
Result<VerifyReport> VerifyLog(Session::Impl* impl, const VerifyOptions& options);
// Argument checks of a filter.
Status CheckFilter(Session::Impl* impl, const AuditFilter& f);

}  // namespace sspf::internal::audit

#endif  // SSPF_SRC_AUDIT_AUDIT_INTERNAL_H_
