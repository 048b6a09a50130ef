#include "crypto/crypto.h"

#include <sodium.h>

#include <cstring>

#include "crypto/sodium_init.h"

namespace sspf {
void SecureWipe(void* p, size_t n) {
  if (p != nullptr && n > 0) sodium_memzero(p, n);
}
}  // namespace sspf

namespace sspf::internal {

Bytes RandomBytes(size_t n) {
  EnsureSodium().IgnoreError();  // randombytes works before sodium_init too
  Bytes b(n);
  if (n > 0) randombytes_buf(b.data(), n);
  return b;
}

std::string RandomId() {
  Bytes b = RandomBytes(16);
  return HexEncode(b);
}

Result<Bytes> AeadSeal(const SecretBytes& key, const uint8_t* msg, size_t len,
                       const Bytes& ad) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (key.size() != kKeySize) return Internal("AEAD key has the wrong size");
  Bytes out(kAeadNonceSize + len + kAeadTagSize);
  randombytes_buf(out.data(), kAeadNonceSize);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kAeadNonceSize, &clen, msg, len, ad.data(), ad.size(),
      nullptr, out.data(), key.data(InsecureSecretAccess::Get()));
  out.resize(kAeadNonceSize + clen);
  return out;
}

namespace {
Status AeadOpenInto(const SecretBytes& key, const Bytes& sealed,
                    const Bytes& ad, uint8_t* out) {
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out, &mlen, nullptr, sealed.data() + kAeadNonceSize,
          sealed.size() - kAeadNonceSize, ad.data(), ad.size(), sealed.data(),
          key.data(InsecureSecretAccess::Get())) != 0) {
    return IntegrityViolation("authenticated decryption failed");
  }
  return Status::Ok();
}
Status CheckSealed(const SecretBytes& key, const Bytes& sealed) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (key.size() != kKeySize) return Internal("AEAD key has the wrong size");
  if (sealed.size() < kAeadNonceSize + kAeadTagSize) {
    return IntegrityViolation("ciphertext too short");
  }
  return Status::Ok();
}
}  // namespace

Result<SecureBuffer> AeadOpen(const SecretBytes& key, const Bytes& sealed,
                              const Bytes& ad) {
  SSPF_RETURN_IF_ERROR(CheckSealed(key, sealed));
  return AeadOpen(key.data(InsecureSecretAccess::Get()), sealed, ad);
}

Result<SecureBuffer> AeadOpen(const uint8_t* key, const Bytes& sealed, const Bytes& ad) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (sealed.size() < kAeadNonceSize + kAeadTagSize) {
    return IntegrityViolation("ciphertext too short");
  }
  SecureBuffer out(sealed.size() - kAeadNonceSize - kAeadTagSize);
  uint8_t scratch = 0;
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.empty() ? &scratch : out.data(), &mlen, nullptr, sealed.data() + kAeadNonceSize,
          sealed.size() - kAeadNonceSize, ad.data(), ad.size(), sealed.data(), key) != 0) {
    return IntegrityViolation("authenticated decryption failed");
  }
  return out;
}

Result<SecretBytes> AeadOpenSecret(const SecretBytes& key, const Bytes& sealed,
                                   const Bytes& ad) {
  SSPF_RETURN_IF_ERROR(CheckSealed(key, sealed));
  SSPF_ASSIGN_OR_RETURN(
      SecretBytes out,
      SecretBytes::Allocate(sealed.size() - kAeadNonceSize - kAeadTagSize));
  if (out.empty()) return out;
  SSPF_RETURN_IF_ERROR(
      AeadOpenInto(key, sealed, ad, out.data(InsecureSecretAccess::Get())));
  return out;
}

KdfCost KdfCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfCost KdfCost::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfCost KdfCost::Sensitive() {
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}

Result<SecretBytes> Argon2id(const SecretBytes& passphrase, const Bytes& salt,
                             const KdfCost& cost) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (salt.size() != crypto_pwhash_SALTBYTES) return Internal("bad salt size");
  if (cost.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      cost.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      cost.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
      cost.memlimit > crypto_pwhash_MEMLIMIT_MAX) {
    return InvalidArgument("Argon2id cost out of range");
  }
  SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Allocate(kKeySize));
  if (crypto_pwhash(key.data(InsecureSecretAccess::Get()), kKeySize,
                    reinterpret_cast<const char*>(
                        passphrase.data(InsecureSecretAccess::Get())),
                    passphrase.size(), salt.data(), cost.opslimit,
                    static_cast<size_t>(cost.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("Argon2id ran out of memory");
  }
  return key;
}

Result<SecretBytes> DeriveSubkey(const SecretBytes& root, uint64_t id,
                                 const char ctx[8]) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (root.size() != crypto_kdf_KEYBYTES) return Internal("bad root key size");
  SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Allocate(kKeySize));
  crypto_kdf_derive_from_key(key.data(InsecureSecretAccess::Get()), kKeySize,
                             id, ctx, root.data(InsecureSecretAccess::Get()));
  return key;
}

Bytes KeyedHash(const SecretBytes& key, const uint8_t* p, size_t n) {
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), p, n,
                     key.data(InsecureSecretAccess::Get()), key.size());
  return out;
}

uint64_t ShortHash(const SecretBytes& key, const uint8_t* p, size_t n) {
  static_assert(crypto_shorthash_BYTES == 8 && crypto_shorthash_KEYBYTES == 16, "SipHash-2-4");
  uint8_t out[crypto_shorthash_BYTES];
  crypto_shorthash(out, p, n, key.data(InsecureSecretAccess::Get()));
  uint64_t v = 0;
  for (uint8_t b : out) v = v << 8 | b;
  return v;
}

Bytes Hash256(const uint8_t* p, size_t n) {
  Bytes out(32);
  crypto_generichash(out.data(), out.size(), p, n, nullptr, 0);
  return out;
}

Result<BoxKeyPair> NewBoxKeyPair() {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  BoxKeyPair kp;
  kp.public_key.resize(crypto_box_PUBLICKEYBYTES);
  SSPF_ASSIGN_OR_RETURN(kp.secret_key,
                        SecretBytes::Allocate(crypto_box_SECRETKEYBYTES));
  crypto_box_keypair(kp.public_key.data(),
                     kp.secret_key.data(InsecureSecretAccess::Get()));
  return kp;
}

Bytes BoxPublicKeyOf(const SecretBytes& secret_key) {
  Bytes pk(crypto_box_PUBLICKEYBYTES);
  if (secret_key.size() != crypto_box_SECRETKEYBYTES ||
      crypto_scalarmult_base(pk.data(), secret_key.data(InsecureSecretAccess::Get())) != 0) {
    pk.assign(pk.size(), 0);
  }
  return pk;
}

Bytes SealTo(const Bytes& public_key, const uint8_t* msg, size_t len) {
  Bytes out(len + crypto_box_SEALBYTES);
  crypto_box_seal(out.data(), msg, len, public_key.data());
  return out;
}

Status SealOpenInto(const Bytes& public_key, const SecretBytes& secret_key,
                    const Bytes& sealed, uint8_t* out, size_t out_size) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (public_key.size() != crypto_box_PUBLICKEYBYTES ||
      secret_key.size() != crypto_box_SECRETKEYBYTES ||
      sealed.size() < crypto_box_SEALBYTES ||
      sealed.size() - crypto_box_SEALBYTES != out_size) {
    return IntegrityViolation("sealed box malformed");
  }
  if (crypto_box_seal_open(out, sealed.data(), sealed.size(), public_key.data(),
                           secret_key.data(InsecureSecretAccess::Get())) != 0) {
    SecureWipe(out, out_size);
    return IntegrityViolation("sealed box does not open with this key");
  }
  return Status::Ok();
}

Result<SecretBytes> SealOpen(const Bytes& public_key,
                             const SecretBytes& secret_key,
                             const Bytes& sealed) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (public_key.size() != crypto_box_PUBLICKEYBYTES ||
      secret_key.size() != crypto_box_SECRETKEYBYTES ||
      sealed.size() < crypto_box_SEALBYTES) {
    return IntegrityViolation("sealed box malformed");
  }
  SSPF_ASSIGN_OR_RETURN(
      SecretBytes out,
      SecretBytes::Allocate(sealed.size() - crypto_box_SEALBYTES));
  uint8_t scratch = 0;
  uint8_t* dst = out.empty() ? &scratch : out.data(InsecureSecretAccess::Get());
  if (crypto_box_seal_open(dst, sealed.data(), sealed.size(),
                           public_key.data(),
                           secret_key.data(InsecureSecretAccess::Get())) != 0) {
    return IntegrityViolation("sealed box does not open with this key");
  }
  return out;
}

Result<SignKeyPair> NewSignKeyPair() {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  SignKeyPair kp;
  kp.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  SSPF_ASSIGN_OR_RETURN(kp.secret_key,
                        SecretBytes::Allocate(crypto_sign_SECRETKEYBYTES));
  crypto_sign_keypair(kp.public_key.data(),
                      kp.secret_key.data(InsecureSecretAccess::Get()));
  return kp;
}

Result<Bytes> SignDetached(const SecretBytes& secret_key, const Bytes& msg) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (secret_key.size() != kSignSecretKeySize) return Internal("signing key has the wrong size");
  Bytes sig(crypto_sign_BYTES);
  if (crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(),
                           secret_key.data(InsecureSecretAccess::Get())) != 0) {
    return Internal("signing failed");
  }
  return sig;
}

bool VerifyDetached(const Bytes& public_key, const Bytes& msg, const Bytes& sig) {
  if (public_key.size() != kSignPublicKeySize || sig.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), public_key.data()) == 0;
}

Bytes SignPublicKeyOf(const SecretBytes& secret_key) {
  Bytes pk(kSignPublicKeySize);
  if (secret_key.size() == kSignSecretKeySize) {
    crypto_sign_ed25519_sk_to_pk(pk.data(), secret_key.data(InsecureSecretAccess::Get()));
  }
  return pk;
}

AdBuilder& AdBuilder::Add(std::string_view s) {
  AddU64(s.size());
  out_.insert(out_.end(), s.begin(), s.end());
  return *this;
}
AdBuilder& AdBuilder::Add(const Bytes& b) {
  AddU64(b.size());
  out_.insert(out_.end(), b.begin(), b.end());
  return *this;
}
AdBuilder& AdBuilder::AddU64(uint64_t v) {
  for (int i = 7; i >= 0; --i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}

Result<std::vector<std::string>> SplitAdParts(const uint8_t* data, size_t size,
                                              std::string_view what) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < size) {
    if (size - i < 8) return IntegrityViolation(std::string(what) + " is malformed");
    uint64_t n = 0;
    for (int k = 0; k < 8; ++k) n = n << 8 | data[i + k];
    i += 8;
    if (n > size - i) return IntegrityViolation(std::string(what) + " is malformed");
    parts.emplace_back(reinterpret_cast<const char*>(data + i), static_cast<size_t>(n));
    i += static_cast<size_t>(n);
  }
  return parts;
}

}  // namespace sspf::internal
