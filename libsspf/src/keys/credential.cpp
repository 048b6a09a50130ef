#include "keys/credential.h"

#include <sodium.h>

namespace sspf {

PassphraseCost PassphraseCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PassphraseCost PassphraseCost::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
PassphraseCost PassphraseCost::Sensitive() {
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}

Credential Credential::Passphrase(SecretBytes passphrase) {
  return Credential(Kind::kPassphrase, std::move(passphrase));
}
Credential Credential::Key(SecretBytes key) {
  return Credential(Kind::kKey, std::move(key));
}

namespace internal {
WrapKind KindOf(const Credential& c) {
  return c.kind() == Credential::Kind::kPassphrase ? WrapKind::kPassphrase
                                                   : WrapKind::kKey;
}

Status CheckNewCredential(const Credential& c) {
  const SecretBytes& s = c.secret(InsecureSecretAccess::Get());
  if (c.kind() == Credential::Kind::kKey && s.size() != internal::kKeySize) {
    return InvalidArgument("a raw key must be exactly 32 bytes");
  }
  if (c.kind() == Credential::Kind::kPassphrase) {
    if (s.empty()) return InvalidArgument("the passphrase is empty");
    if (s.size() < 8) return InvalidArgument("the passphrase is too short (at least 8 characters)");
    if (s.size() > 4096) return InvalidArgument("the passphrase is too long (at most 4096 bytes)");
  }
  return Status::Ok();
}
}  // namespace internal

}  // namespace sspf
