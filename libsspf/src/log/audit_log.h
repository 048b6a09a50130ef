// The access log's storage: canonical leaf encoding, appends into the
// events table and the table of complete subtree hashes (DESIGN §6).  Byte
// layout in docs/audit-log-format.md ("Leaf encoding").
#ifndef SSPF_SRC_AUDIT_LOG_H_
#define SSPF_SRC_AUDIT_LOG_H_

#include <cstdint>
#include <string>

#include "crypto/crypto.h"
#include "storage/db.h"
#include "log/merkle.h"
#include "sspf/records.h"

namespace sspf::internal {

inline constexpr uint8_t kLeafVersion = 1;

// The event as stored; AuditEvent without the derived leaf bytes.
struct EventRecord {
  uint64_t seq = 0;
  UnixSeconds time = 0;
  std::string principal_id;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  Action action = Action::kUnlock;
  std::string target;
  bool allowed = false;
  std::string reason;
  std::string basis;
  std::string purpose;
  std::string case_id;
  std::string subject_id;
  // Canonical state change for the replay check (docs/audit-log-format.md,
  // "Replay details"); empty for events that change no replayed state.
  std::string detail;
};

// The canonical leaf bytes of an event.
Bytes EncodeLeaf(const EventRecord& e);

// Number of events (= leaves) in the log.
Result<uint64_t> LogSize(Db* db);

// Appends e (e.seq is assigned) and the subtree hashes it completes.
// REQUIRES: inside a write transaction.
Status AppendEvent(Db* db, EventRecord* e);

// Subtree hashes read from the tree_nodes table.
class DbSubtreeSource : public SubtreeSource {
 public:
  explicit DbSubtreeSource(Db* db) : db_(db) {}
  Result<Hash> Subtree(uint32_t level, uint64_t index) override;

 private:
  Db* db_;
};

// The events columns in the order ReadEventRow expects.
inline constexpr const char kEventColumns[] =
    "seq, time, principal_id, actor, role, action, target, allowed, reason, "
    "basis, purpose, case_id, subject_id, detail";
// The event in the current row of a statement that selected kEventColumns.
EventRecord ReadEventRow(const Stmt* st);

// Reads event rows in seq order from `from` (inclusive), calling fn for each.
Status ForEachEvent(Db* db, uint64_t from,
                    const std::function<Status(const EventRecord&)>& fn);

}  // namespace sspf::internal

#endif  // SSPF_SRC_AUDIT_LOG_H_
