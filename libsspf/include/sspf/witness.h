// Copyright (c) libsspf authors.
//
// A witness (vittne) of a store's access log: another party, e.g. the police
// authority's auditor for a municipality's store, who keeps its own record
// of the largest checkpoint it has seen of ONE log and cosigns a new
// checkpoint only when it is signed by that log and consistent with the
// last one (C2SP tlog-witness semantics, C2SP tlog-cosignature
// cosignature/v1 lines, Ed25519 with a timestamp).  No store and no session
// are needed: the witness never opens the municipality's database.
//
// Files:
//   * the key file (WitnessInit): "sspf-witness-key/v1\n<name>\n<base64 of
//     the 32-byte Ed25519 seed>\n", mode 0600; "<key file>.pub" holds the
//     verifier key line, mode 0644.
//   * the state directory: "state" (the pinned log origin and log key, the
//     size and root last cosigned and the time of that cosignature),
//     replaced atomically; "lock", held (flock) while one cosign runs.
//
// Thread-safety: the functions hold no global state; two processes cosigning
// with one state directory are serialised by the lock file.
#ifndef SSPF_WITNESS_H_
#define SSPF_WITNESS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sspf/export.h"
#include "sspf/options.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {

// A witness key just made.
struct WitnessKey {
  std::string name;          // the cosigner name (signed-note key name)
  std::string verifier_key;  // "<name>+<key id hex>+base64(0x04 || public key)"
  std::string key_file;
  std::string public_key_file;  // key_file + ".pub"
};

// Makes a witness Ed25519 key named `name` (a signed-note key name: no
// spaces, no '+'; a schema-less URL such as "polisen.se/witness" is usual)
// and writes it to `key_file` (created O_EXCL|O_NOFOLLOW, mode 0600: an
// existing file or link is never overwritten) and its verifier key to
// "<key_file>.pub" (mode 0644).  Errors: kInvalidArgument for a bad name;
// kAlreadyExists if either file exists; kIoError naming the file.
SSPF_EXPORT Result<WitnessKey> WitnessInit(const std::string& key_file, std::string_view name);

struct WitnessCosignRequest {
  std::string key_file;   // from WitnessInit; refused if group/other may read it
  std::string state_dir;  // created (0700) if absent
  std::string checkpoint; // the log's signed checkpoint note
  // The log's checkpoint verifier key (sspf-tool audit verifier-key; its
  // name is the log origin).  Required on first use, when it is pinned in
  // the state with the origin; afterwards optional, and if given it must be
  // the pinned one.
  std::optional<std::string> log_key;
  // The consistency proof document (ConsistencyProofJson, `sspf-tool audit
  // consistency --from LAST --to NEW --json`) from the last cosigned
  // checkpoint to this one.  Required when the checkpoint is larger than
  // the last one cosigned; not used on first use or at the same size.
  std::optional<std::string> proof_json;
  std::shared_ptr<const Clock> clock;  // null: SystemClock()
};

struct WitnessCosignature {
  std::string note;       // the checkpoint with the cosignature line added
  std::string witness;    // the cosigner name
  std::string origin;     // the log
  uint64_t tree_size = 0;
  uint64_t previous_size = 0;  // the size cosigned before (0 on first use)
  bool first_use = false;      // the log was pinned by this call
  UnixSeconds timestamp = 0;   // in the cosignature; never below the last one
};

// Cosigns a checkpoint (audit witness cosign).  In order: the checkpoint
// must verify under the log key and carry the pinned origin (else
// kIntegrityViolation "another log"); a smaller size than the last cosigned
// is a rollback, the same size with another root is a fork, and a larger
// one needs a proof that connects exactly the last cosigned (size, root) to
// this (size, root) and verifies (all kIntegrityViolation, one line).  Then
// the new state is written atomically and the cosigned note returned.  A
// refused checkpoint leaves the state unchanged.  kInvalidArgument for a
// missing log key on first use, a missing proof, or a malformed file or
// document; kIoError naming the file.
SSPF_EXPORT Result<WitnessCosignature> WitnessCosign(const WitnessCosignRequest& request);

// Checks that `note` carries a valid cosignature/v1 line by the witness of
// verifier key `witness_key` (a WitnessKey::verifier_key).  Returns the
// cosignature's timestamp.  kInvalidArgument for a malformed key or note;
// kIntegrityViolation naming the witness when the cosignature is missing
// or does not verify.
SSPF_EXPORT Result<UnixSeconds> VerifyWitnessCosignature(std::string_view note,
                                                         std::string_view witness_key);

}  // namespace sspf

#endif  // SSPF_WITNESS_H_
