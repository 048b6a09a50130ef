// Session::Consistency (audit consistency): the RFC 6962 consistency proof
// between two signed checkpoints of the log (DESIGN §6), built from the
// stored subtree hashes and checked against both checkpoints' roots before
// it is returned.
#include <string>

#include "audit/audit_internal.h"
#include "log/checkpoint.h"
#include "log/note.h"

namespace sspf {

using internal::Hash;
using internal::audit::AuditGate;
using internal::audit::FromHash;
using internal::audit::ReadSnapshot;

namespace {

// Opens one of the two checkpoints and checks it against the log: signed
// by this store's audit key, no larger than the log, and its root the
// log's tree at its size.  `which` ("old", "new") names it in the error.
Result<internal::Checkpoint> CheckAgainstLog(Session::Impl* impl, internal::SubtreeSource& source,
                                             uint64_t log_size, std::string_view note,
                                             const std::string& which) {
  SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk,
                        internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
  Result<internal::Checkpoint> cp =
      internal::OpenCheckpoint(note, vk, internal::LogOrigin(impl->store_id));
  if (!cp.ok()) {
    return IntegrityViolation(which + " checkpoint: not a valid checkpoint of this store (" +
                              cp.status().message() + ")");
  }
  const std::string name = which + " checkpoint (size " + std::to_string(cp->size) + "): ";
  if (cp->size > log_size) {
    return IntegrityViolation(name + "the log has only " + std::to_string(log_size) +
                              " events (rolled back or truncated)");
  }
  SSPF_ASSIGN_OR_RETURN(Hash stored, internal::RootAt(source, cp->size));
  if (stored != cp->root) {
    return IntegrityViolation(name + "its root is not the log's tree at that size "
                              "(log rewritten, or a fork)");
  }
  return cp;
}

}  // namespace

Result<ConsistencyProof> Session::Consistency(std::string_view old_checkpoint,
                                              std::string_view new_checkpoint) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditProve, "consistency"));
  internal::Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(db));
  internal::DbSubtreeSource source(db);
  SSPF_ASSIGN_OR_RETURN(internal::Checkpoint from,
                        CheckAgainstLog(impl, source, size, old_checkpoint, "old"));
  SSPF_ASSIGN_OR_RETURN(internal::Checkpoint to,
                        CheckAgainstLog(impl, source, size, new_checkpoint, "new"));
  if (from.size > to.size) {
    return InvalidArgument("the old checkpoint is larger than the new one (" +
                           std::to_string(from.size) + " > " + std::to_string(to.size) +
                           " events): give them the other way round");
  }
  SSPF_ASSIGN_OR_RETURN(std::vector<Hash> proof,
                        internal::ConsistencyProof(source, from.size, to.size));
  if (!internal::VerifyConsistency(from.size, to.size, from.root, to.root, proof).ok()) {
    return IntegrityViolation("consistency proof from size " + std::to_string(from.size) +
                              " to " + std::to_string(to.size) +
                              " does not verify (tree nodes edited)");
  }
  ConsistencyProof out;
  out.old_size = from.size;
  out.new_size = to.size;
  out.old_root = FromHash(from.root);
  out.new_root = FromHash(to.root);
  for (const Hash& h : proof) out.proof.push_back(FromHash(h));
  return out;
}

}  // namespace sspf
