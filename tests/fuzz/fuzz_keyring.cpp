// libFuzzer target for the keyring file parser (internal::Keyring::Parse)
// and the unlock path behind it.  Whatever the bytes, Parse must return a
// Status (never crash, never read out of bounds), and a parsed keyring must
// survive Has() and Unlock() with a fixed 32-byte secret for the raw-key and
// recovery kinds.
//
// Not exercised: Unlock with a passphrase.  The Argon2id cost is read from
// the (not yet authenticated) entry, so a fuzzed opslimit/memlimit would
// make one input run for hours or allocate gigabytes; see docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "keys/keyring.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  using namespace sspf::internal;
  const Bytes file(data, data + size);
  Result<Keyring> k = Keyring::Parse(file);
  if (!k.ok()) {
    if (k.status().code() == StatusCode::kOk) std::abort();
    return 0;
  }
  static const SecretBytes secret = [] {
    std::vector<uint8_t> b(32, 0x5a);
    return std::move(SecretBytes::Copy(b.data(), b.size()).value());
  }();
  // The seeds are keyrings with a raw-key principal named "fuzz" and a
  // recovery entry, so mutations reach the matching-entry path.
  const Bytes tags[] = {Keyring::PrincipalTag(k->store_id(), "fuzz"),
                        Keyring::RecoveryTag(k->store_id()), Bytes(32, 0)};
  for (const Bytes& tag : tags) {
    if (k->Has(tag) && tag.size() != 32) std::abort();
    for (WrapKind kind : {WrapKind::kKey, WrapKind::kRecovery}) {
      Result<Unwrapped> u = k->Unlock(tag, kind, secret);
      if (u.ok() && u->root_key.size() != kKeySize) std::abort();
    }
  }
  return 0;
}
