// The access log's storage: canonical leaf encoding, appends into the
// events table and the table of complete subtree hashes (DESIGN §6).  Byte
// layout in docs/audit-log-format.md ("Leaf encoding").
#ifndef SSPF_SRC_AUDIT_LOG_H_
#define SSPF_SRC_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
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
// The same into *out, reusing its buffer (audit verify encodes every event).
void EncodeLeaf(const EventRecord& e, Bytes* out);

// Number of events (= leaves) in the log.
Result<uint64_t> LogSize(Db* db);

// Monotonic time (DESIGN §6): an event's time is never earlier than its
// predecessor's.  The last event's sequence number and time (none for an
// empty log).
struct EventTime {
  uint64_t seq = 0;
  UnixSeconds time = 0;
};
Result<std::optional<EventTime>> LastEventTime(Db* db);
// The check of `audit verify`: kIntegrityViolation naming e.seq when e's
// time is earlier than that of `previous`, the event before it (none for
// event 0).
Status CheckEventTimeOrder(const std::optional<EventTime>& previous,
                           const EventRecord& e);

// Who signs appended events (DESIGN §13: every event is signed by the
// principal that caused it).  Not owned.
struct EventSigner {
  std::string signer_id;          // a principal id, or kAuthoritySigner
  const SecretBytes* secret_key;  // Ed25519, 64 bytes
  Bytes store_id;
};
// The signer id of events made with the store authority key (the recovery
// key acts without a principal).
inline constexpr char kAuthoritySigner[] = "authority";

// The exact bytes an event signature covers: the AdBuilder encoding of
// "sspf-event-sig-v1", the store id, the seq and the leaf hash
// (docs/audit-log-format.md, "Event signatures").
Bytes EventSignedMessage(const Bytes& store_id, uint64_t seq, const Hash& leaf_hash);

// Appends e (e.seq is assigned), the subtree hashes it completes and the
// signer's signature of it.  e.time is raised to the last event's time
// when it is earlier (monotonic time).
// REQUIRES: inside a write transaction.
Status AppendEvent(Db* db, EventRecord* e, const EventSigner& signer);

// The signature row of event seq: (signer id, signature), or nullopt.
struct EventSignature {
  std::string signer_id;
  Bytes signature;
};
Result<std::optional<EventSignature>> EventSignatureOf(Db* db, uint64_t seq);

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
// The same into *e, reusing its strings' buffers.
void ReadEventRow(const Stmt* st, EventRecord* e);
// Every row of st (which selected kEventColumns, and is bound) as events;
// st is reset.
Result<std::vector<EventRecord>> ReadEventRows(Stmt* st);

// Reads event rows in seq order from `from` (inclusive), calling fn for each.
// The record passed to fn is reused for the next row: copy what is kept.
// Each row must hold the storage classes of the columns' declared types
// (DeclaredClasses, storage/db.h): kIntegrityViolation names the first
// event and column that does not, before fn sees it.
Status ForEachEvent(Db* db, uint64_t from,
                    const std::function<Status(const EventRecord&)>& fn);

}  // namespace sspf::internal

#endif  // SSPF_SRC_AUDIT_LOG_H_
