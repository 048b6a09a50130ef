// The keyring file beside the store (<store>.keyring): per principal, its
// own keys wrapped under its credential and the store's root keys sealed to
// its X25519 key; for the recovery key, the root keys and the store
// authority wrapped under it.  Authenticated as a whole with a MAC under a
// subkey of the root key.  Byte format in docs/architecture.md#keyring.
// Written atomically (AtomicWriteFile in util/file.h: temp file, fsync,
// rename, fsync of the directory); mode 0600.
//
// Two root keys (DESIGN §5, §13):
// - the root key opens the database (SQLCipher key, keyring MAC).  `key
//   rekey` replaces it, so a copy of an older keyring stops opening the
//   store; each replacement is a new keyring generation.
// - the data key derives what must outlive a rekey (the blind index, the
//   identity records, the wrap of the audit key).  It never changes.
// Because the root keys are sealed to each principal's public key, an admin
// can give every principal the new root key without knowing any credential.
// So that someone who can write the file cannot seal other root keys to a
// principal (and open an impostor database in its session), the store
// authority signs each generation's root keys; Unlock checks that signature
// against the trust anchor pinned in the entry.
#ifndef SSPF_SRC_KEYRING_H_
#define SSPF_SRC_KEYRING_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/crypto.h"
#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/options.h"

namespace sspf::internal {

inline constexpr size_t kStoreIdSize = 16;

// kDisabled: the tombstone of a disabled principal's entry.  It wraps
// nothing (no key is left to unwrap) and only lets Unlock say "disabled"
// instead of "wrong passphrase".
enum class WrapKind : uint8_t { kPassphrase = 1, kKey = 2, kRecovery = 3, kDisabled = 4 };

struct KeyringEntry {
  Bytes tag;  // 32 bytes: whose entry (BLAKE2b of store id and name)
  WrapKind kind = WrapKind::kPassphrase;
  uint64_t opslimit = 0;  // Argon2id cost (passphrase entries)
  uint64_t memlimit = 0;
  Bytes salt;    // 16 bytes
  Bytes sealed;  // AEAD(kek, anchor || flags || the entry's own secret keys)
  // Entries with a box key: the root keys sealed to it (empty otherwise;
  // the root keys are then inside `sealed`).
  Bytes root_seal;
};

// The store's root keys (not owned); see the top of this file.
struct RootSecrets {
  const SecretBytes* root_key = nullptr;
  const SecretBytes* data_key = nullptr;
};

// What an entry wraps besides the root key (not owned).  A principal's
// entry holds its X25519 box key and its Ed25519 signing key; the recovery
// entry holds the store authority's signing key.  Every entry pins the
// trust anchor (the authority's public key): it is authenticated under the
// entry's own credential, so someone with only the root key cannot change
// what this principal's sessions trust.
struct EntrySecrets {
  const SecretBytes* box_secret_key = nullptr;        // 32 bytes, principals
  const SecretBytes* signing_secret_key = nullptr;    // 64 bytes, principals
  const SecretBytes* authority_secret_key = nullptr;  // 64 bytes, recovery
  Bytes anchor_public_key;                            // 32 bytes, every entry
};

// What an entry unwraps to.
struct Unwrapped {
  SecretBytes root_key;
  SecretBytes data_key;
  SecretBytes principal_secret_key;  // X25519; empty for the recovery entry
  SecretBytes signing_secret_key;    // Ed25519; empty for the recovery entry
  SecretBytes authority_secret_key;  // Ed25519; only the recovery entry
  Bytes anchor_public_key;           // the pinned trust anchor
};

class Keyring {
 public:
  // Parses the file; checks structure, not the MAC (needs the root key).
  // kNotFound if absent; kIntegrityViolation if malformed.
  static Result<Keyring> Load(const std::string& path);
  static Result<Keyring> Parse(const Bytes& file);
  static Keyring New(Bytes store_id);

  const Bytes& store_id() const { return store_id_; }
  // Starts at 1; key rekey makes the next one.
  uint64_t generation() const { return generation_; }
  void set_generation(uint64_t g) { generation_ = g; }
  // Signs this generation's root keys with the store authority (init,
  // rekey).  Every Unlock checks the signature.
  Status SignRoots(const SecretBytes& authority_secret_key, const RootSecrets& roots);
  static Bytes PrincipalTag(const Bytes& store_id, std::string_view name);
  static Bytes RecoveryTag(const Bytes& store_id);

  // Unwraps the entry of `tag` with the credential, then verifies the MAC
  // over the whole keyring with the recovered root key.  kWrongKey when the
  // credential does not open the entry or there is no such entry.
  Result<Unwrapped> Unlock(const Bytes& tag, WrapKind kind,
                           const SecretBytes& secret) const;

  // Checks the MAC of the keyring as loaded (before a read-modify-write).
  Status Verify(const SecretBytes& root_key) const;

  // Adds or replaces the entry for tag.
  Status Put(const Bytes& tag, WrapKind kind, const SecretBytes& secret,
             const PassphraseCost& cost, const RootSecrets& roots,
             const EntrySecrets& secrets);
  // Key rekey: seals (new) root keys to the box public key of the entry of
  // tag, keeping what its credential wraps.  kNotFound when tag has no entry
  // that holds a box key.
  Status ResealRoots(const Bytes& tag, const Bytes& box_public_key,
                     const RootSecrets& roots);
  // The tags of entries that hold a box key (principal entries).
  std::vector<Bytes> PrincipalTags() const;
  // Key rekey: removes every entry that wraps the root keys itself (the
  // recovery entry, and any entry without a box key), since those would
  // keep the old root key; tombstones and principal entries stay.
  void DropEntriesWithRootsInside();
  void Remove(const Bytes& tag);
  // Replaces the entry of tag by a tombstone: nothing is wrapped for it any
  // more, and Unlock answers kPermissionDenied ("principal disabled").
  void Disable(const Bytes& tag);
  // Whether tag has an entry that wraps keys (not a tombstone).
  bool Has(const Bytes& tag) const;

  // Serialises with the MAC under root_key.
  Result<Bytes> Serialize(const SecretBytes& root_key) const;
  // Atomic write.  before_rename, when set, runs after the temp file is
  // synced and before the rename (a crash test seam).
  Status Save(const std::string& path, const SecretBytes& root_key,
              const std::function<Status()>& before_rename = {}) const;

 private:
  Result<SecretBytes> Kek(const KeyringEntry& e, const SecretBytes& secret) const;
  Bytes EntryAd(const KeyringEntry& e) const;
  Bytes RootSealHeader(const KeyringEntry& e) const;
  Bytes RootsMessage(const SecretBytes& root_key, const SecretBytes& data_key) const;
  Bytes store_id_;
  uint64_t generation_ = 1;
  Bytes roots_signature_;  // 64 bytes, by the store authority
  std::vector<KeyringEntry> entries_;
  Bytes mac_;
  Bytes body_;  // serialised bytes covered by mac_, as loaded
};

// The keyring of a key rekey in progress, beside the keyring
// (<store>.keyring.next; see session/rekey.h).
std::string NextKeyringPath(const std::string& store_path);
// The next keyring, if there is one.
Result<std::optional<Keyring>> LoadNextKeyring(const std::string& store_path);
// Fails while a rekey is unfinished: keyring writes (new principals,
// credential changes, disables, recovery) wait until it is done, or the
// finished rekey would drop them.
Status RefuseWhilePendingRekey(const std::string& store_path);

}  // namespace sspf::internal

#endif  // SSPF_SRC_KEYRING_H_
