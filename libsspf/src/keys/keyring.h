// The keyring file beside the store (<store>.keyring): the store root key
// wrapped once per principal (and once for the recovery key), authenticated
// as a whole with a MAC under a subkey of the root key.  Byte format in
// docs/architecture.md#keyring.  Written atomically (AtomicWriteFile in
// util/file.h: temp file, fsync, rename, fsync of the directory); mode 0600.
#ifndef SSPF_SRC_KEYRING_H_
#define SSPF_SRC_KEYRING_H_

#include <functional>
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
  Bytes sealed;  // AEAD(kek, root key || principal secret key)
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
             const PassphraseCost& cost, const SecretBytes& root_key,
             const EntrySecrets& secrets);
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
  Bytes store_id_;
  std::vector<KeyringEntry> entries_;
  Bytes mac_;
  Bytes body_;  // serialised bytes covered by mac_, as loaded
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_KEYRING_H_
