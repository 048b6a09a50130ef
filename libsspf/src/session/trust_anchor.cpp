// Session::TrustAnchor and the anchor's fingerprint (DESIGN §13).
#include <sodium.h>

#include "context/session_impl.h"
#include "crypto/sodium_init.h"
#include "util/encoding.h"

namespace sspf {

std::string TrustAnchorFingerprint(const std::vector<uint8_t>& public_key) {
  internal::EnsureSodium().IgnoreError();  // SHA-256 needs no initialised state
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, public_key.data(), public_key.size());
  const std::string hex = internal::HexEncode(digest, 16);
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 4) {
    if (i > 0) out += '-';
    out.append(hex, i, 4);
  }
  return out;
}

TrustAnchorInfo Session::TrustAnchor() const {
  TrustAnchorInfo a;
  a.store_id = impl_->store_id;
  a.public_key = impl_->anchor_public_key;
  a.fingerprint = TrustAnchorFingerprint(a.public_key);
  return a;
}

}  // namespace sspf
