// Key rekey (DESIGN §5, §13): a new root key for the store, so that a copy
// of an older keyring no longer opens it.  The protocol, crash by crash, is
// in docs/architecture.md#rekey:
//   1. the rekeying admin takes the store alone (exclusive lock, DELETE
//      journal) and logs store.rekey "begun";
//   2. writes the next keyring: the new root key sealed to every active
//      principal's certified box key and signed by the store authority, and
//      a new recovery entry; synced under a temporary name;
//   3. hands the new recovery key to the caller, and only then renames the
//      next keyring to <store>.keyring.next;
//   4. re-encrypts every page under the new SQLCipher key (one transaction);
//   5. logs store.rekey "completed" and records the generation in meta;
//   6. renames the next keyring over the keyring.
// Whoever opens the store while a next keyring exists finishes the job
// (FinishPendingRekey): the database opens under exactly one of the two
// keys, and from step 4's commit on that is the new one.
#ifndef SSPF_SRC_SESSION_REKEY_H_
#define SSPF_SRC_SESSION_REKEY_H_

#include <optional>
#include <string>

#include "context/session_impl.h"
#include "keys/keyring.h"

namespace sspf::internal {

// Steps 4-6 for a session whose database is open under the old root key
// (rekeyed_already false) or already under the new one (true); next_root is
// the next keyring's root key.  On success the session runs under the new
// key and the next keyring is the keyring.  reason is the completion
// event's.
Status FinishRekey(Session::Impl* impl, const Keyring& next, SecretBytes next_root,
                   bool rekeyed_already, bool exclusive_held, const std::string& reason);

}  // namespace sspf::internal

#endif  // SSPF_SRC_SESSION_REKEY_H_
