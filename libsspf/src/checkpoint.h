// Signed checkpoints of the access log (C2SP tlog-checkpoint as a C2SP
// signed note, Ed25519 key of the store).
#ifndef SSPF_SRC_CHECKPOINT_H_
#define SSPF_SRC_CHECKPOINT_H_

#include <string>

#include "note.h"
#include "session_impl.h"

namespace sspf::internal {

// The log's origin line, also the signing key's name: "sspf.local/<store id>".
std::string LogOrigin(const std::string& store_id_hex);

Result<VerifierKey> StoreVerifierKey(const Session::Impl* impl);

// Signs a checkpoint of the current tree and stores it (inside the caller's
// transaction).  Returns the signed note.
Result<std::string> MakeCheckpoint(Session::Impl* impl);

// Makes a checkpoint when options.checkpoint_every_events events have been
// appended since the newest one, or it is older than
// options.checkpoint_every_seconds.  log_size is the size after the append
// the caller just made (inside its transaction).
Status MaybeAutoCheckpoint(Session::Impl* impl, uint64_t log_size);

}  // namespace sspf::internal

#endif  // SSPF_SRC_CHECKPOINT_H_
