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

// The key name of a principal's checkpoint signature:
// "<origin>/<principal id>" (or "<origin>/authority" for the recovery key).
std::string PrincipalNoteKeyName(const std::string& store_id_hex, const std::string& signer_id);

// Who signs the store's checkpoints, and when automatic ones are due.  A
// checkpoint carries two signatures: the store's audit key (which every
// principal holds, so it shows only that the note is well formed, for
// C2SP tooling) and the Ed25519 key of the principal who made it, which is
// the one a verifier attributes it by (DESIGN §13).
struct CheckpointSigner {
  std::string store_id;           // hex
  const SecretBytes* secret_key;  // the store audit key (64 bytes); not owned
  Bytes public_key;
  uint64_t every_events = 0;   // 0: never by count
  int64_t every_seconds = 0;   // 0: never by age
  std::string principal_id;                  // or kAuthoritySigner
  const SecretBytes* principal_key = nullptr;  // its Ed25519 key; not owned
};

Result<VerifierKey> StoreVerifierKey(const std::string& store_id_hex, const Bytes& public_key);

// Signs a checkpoint of the current tree and stores it (inside the caller's
// transaction).  Returns the signed note.
Result<std::string> MakeCheckpoint(Db* db, const CheckpointSigner& signer, UnixSeconds now);

// The signed note of the checkpoint (size, root), as MakeCheckpoint signs
// it; not stored.
Result<std::string> SignCheckpoint(const CheckpointSigner& signer, uint64_t size,
                                   const Hash& root);
// Stores `note` as the checkpoint of `size` (inside the caller's
// transaction).  REQUIRES: none is stored for that size.
Status StoreCheckpoint(Db* db, uint64_t size, const std::string& note, UnixSeconds now);

// Makes a checkpoint when signer.every_events events have been appended
// since the newest one, or it is older than signer.every_seconds.  log_size
// is the size after the append the caller just made (inside its
// transaction).
Status MaybeAutoCheckpoint(Db* db, const CheckpointSigner& signer, UnixSeconds now,
                           uint64_t log_size);

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_CHECKPOINT_H_
