// Signed checkpoints of the access log (C2SP tlog-checkpoint as a C2SP
// signed note, Ed25519 key of the store).
#ifndef SSPF_SRC_LOG_CHECKPOINT_H_
#define SSPF_SRC_LOG_CHECKPOINT_H_

#include <string>

#include "log/note.h"
#include "storage/db.h"
#include "sspf/types.h"

namespace sspf::internal {

// The log's origin line, also the signing key's name: "sspf.local/<store id>".
std::string LogOrigin(const std::string& store_id_hex);

// Who signs the store's checkpoints, and when automatic ones are due.
struct CheckpointSigner {
  std::string store_id;           // hex
  const SecretBytes* secret_key;  // Ed25519 (64 bytes); not owned
  Bytes public_key;
  uint64_t every_events = 0;   // 0: never by count
  int64_t every_seconds = 0;   // 0: never by age
};

Result<VerifierKey> StoreVerifierKey(const std::string& store_id_hex, const Bytes& public_key);

// Signs a checkpoint of the current tree and stores it (inside the caller's
// transaction).  Returns the signed note.
Result<std::string> MakeCheckpoint(Db* db, const CheckpointSigner& signer, UnixSeconds now);

// Makes a checkpoint when signer.every_events events have been appended
// since the newest one, or it is older than signer.every_seconds.  log_size
// is the size after the append the caller just made (inside its
// transaction).
Status MaybeAutoCheckpoint(Db* db, const CheckpointSigner& signer, UnixSeconds now,
                           uint64_t log_size);

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_CHECKPOINT_H_
