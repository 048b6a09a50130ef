// Credentials that unlock a principal's keyring entry: the rules for new
// ones and the keyring wrap kind each maps to.
#ifndef SSPF_SRC_KEYS_CREDENTIAL_H_
#define SSPF_SRC_KEYS_CREDENTIAL_H_

#include "keys/keyring.h"
#include "sspf/options.h"

namespace sspf::internal {

// Rules for a new credential: passphrase 8..4096 bytes, raw key 32 bytes.
Status CheckNewCredential(const Credential& c);
WrapKind KindOf(const Credential& c);

}  // namespace sspf::internal

#endif  // SSPF_SRC_KEYS_CREDENTIAL_H_
