// Thin, typed wrappers over the libsodium primitives libsspf uses.  Every key
// lives in SecretBytes; decrypted data lives in SecureBuffer (wiped on free).
#ifndef SSPF_SRC_CRYPTO_CRYPTO_H_
#define SSPF_SRC_CRYPTO_CRYPTO_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/secret.h"
#include "sspf/status.h"
#include "util/bytes.h"
#include "util/encoding.h"

namespace sspf::internal {

using sspf::SecureWipe;
using sspf::ZeroizingAllocator;
using SecureBuffer = PlainText;

inline constexpr size_t kKeySize = 32;
inline constexpr size_t kAeadNonceSize = 24;  // XChaCha20-Poly1305
inline constexpr size_t kAeadTagSize = 16;
inline constexpr size_t kBoxPublicKeySize = 32;
inline constexpr size_t kBoxSecretKeySize = 32;
inline constexpr size_t kSealOverhead = 48;  // crypto_box_SEALBYTES
inline constexpr size_t kSignPublicKeySize = 32;
inline constexpr size_t kSignSecretKeySize = 64;
inline constexpr size_t kSignatureSize = 64;
inline constexpr size_t kArgonSaltSize = 16;

Bytes RandomBytes(size_t n);
// 128 random bits as 32 lower-case hex characters: the pseudonymous ids.
std::string RandomId();


// XChaCha20-Poly1305 (IETF).  Output: nonce || ciphertext || tag.
Result<Bytes> AeadSeal(const SecretBytes& key, const uint8_t* msg, size_t len,
                       const Bytes& ad);
// kIntegrityViolation when the tag does not verify (wrong key or tampering).
Result<SecureBuffer> AeadOpen(const SecretBytes& key, const Bytes& sealed,
                              const Bytes& ad);
// The same with a raw 32-byte key (an EphemeralKey).
Result<SecureBuffer> AeadOpen(const uint8_t* key, const Bytes& sealed, const Bytes& ad);
Result<SecretBytes> AeadOpenSecret(const SecretBytes& key, const Bytes& sealed,
                                   const Bytes& ad);

struct KdfCost {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
  static KdfCost Interactive();
  static KdfCost Moderate();
  static KdfCost Sensitive();
};
// Argon2id13 over a passphrase: a 32-byte key-encryption key.
Result<SecretBytes> Argon2id(const SecretBytes& passphrase, const Bytes& salt,
                             const KdfCost& cost);

// crypto_kdf subkey of a 32-byte root key.  ctx is exactly 8 characters.
Result<SecretBytes> DeriveSubkey(const SecretBytes& root, uint64_t id,
                                 const char ctx[8]);

// Keyed BLAKE2b-256 (the blind index for personal identity numbers, MACs).
Bytes KeyedHash(const SecretBytes& key, const uint8_t* p, size_t n);
Bytes Hash256(const uint8_t* p, size_t n);  // unkeyed BLAKE2b-256
// SipHash-2-4 (crypto_shorthash) under a 16-byte key: a fast keyed 64-bit
// hash for in-memory digests, not a commitment.  REQUIRES: key.size() == 16.
uint64_t ShortHash(const SecretBytes& key, const uint8_t* p, size_t n);

// X25519 sealed boxes.
struct BoxKeyPair {
  Bytes public_key;
  SecretBytes secret_key;
};
Result<BoxKeyPair> NewBoxKeyPair();
// The X25519 public key of a 32-byte secret key.
Bytes BoxPublicKeyOf(const SecretBytes& secret_key);
Bytes SealTo(const Bytes& public_key, const uint8_t* msg, size_t len);
Result<SecretBytes> SealOpen(const Bytes& public_key,
                             const SecretBytes& secret_key,
                             const Bytes& sealed);

// Opens a sealed box into out (exactly sealed.size() - kSealOverhead bytes).
Status SealOpenInto(const Bytes& public_key, const SecretBytes& secret_key,
                    const Bytes& sealed, uint8_t* out, size_t out_size);

// A short-lived 32-byte key on the stack (a per-read entry key), wiped when
// it goes out of scope.  Keys that live longer than one operation belong in
// SecretBytes: its guarded pages cost several system calls per allocation,
// which would dominate an audited read.
class EphemeralKey {
 public:
  EphemeralKey() = default;
  EphemeralKey(const EphemeralKey&) = delete;
  EphemeralKey& operator=(const EphemeralKey&) = delete;
  ~EphemeralKey() { SecureWipe(bytes_, sizeof bytes_); }
  uint8_t* data() { return bytes_; }
  const uint8_t* data() const { return bytes_; }

 private:
  uint8_t bytes_[kKeySize] = {};
};

// Ed25519.
struct SignKeyPair {
  Bytes public_key;
  SecretBytes secret_key;  // 64 bytes (libsodium layout: seed || pk)
};
Result<SignKeyPair> NewSignKeyPair();
// Ed25519 detached signature (64 bytes) of msg.
// REQUIRES: secret_key is a 64-byte libsodium Ed25519 secret key.
Result<Bytes> SignDetached(const SecretBytes& secret_key, const Bytes& msg);
// Whether sig is a valid Ed25519 signature of msg under the 32-byte key.
bool VerifyDetached(const Bytes& public_key, const Bytes& msg, const Bytes& sig);
// The public half of a 64-byte Ed25519 secret key.
Bytes SignPublicKeyOf(const SecretBytes& secret_key);

// Length-prefixed concatenation for associated data and MAC inputs:
// each part is an 8-byte big-endian length followed by the bytes.
class AdBuilder {
 public:
  AdBuilder& Add(std::string_view s);
  AdBuilder& Add(const Bytes& b);
  AdBuilder& AddU64(uint64_t v);
  const Bytes& bytes() const { return out_; }

 private:
  Bytes out_;
};

// The parts of an AdBuilder encoding, in order (the inverse of Add).
// kIntegrityViolation "<what> is malformed" unless the bytes are exactly a
// sequence of length-prefixed parts.
Result<std::vector<std::string>> SplitAdParts(const uint8_t* data, size_t size,
                                              std::string_view what);

}  // namespace sspf::internal

#endif  // SSPF_SRC_CRYPTO_CRYPTO_H_
