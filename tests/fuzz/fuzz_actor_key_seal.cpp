// libFuzzer target for opening actor key seals (keys/key_hierarchy.h,
// OpenActorKeySeal): the actor_key_seals table is insider-controlled input.
// Input: a mode byte, an actor byte, 8 bytes of version, then a payload.
// Odd modes seal the payload to the fixed principal key first, so the
// header check after the box opens is reached; even modes open the payload
// as it is.  Either way: the actor key (32 bytes, and the header matched)
// or kIntegrityViolation, never a crash.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "keys/key_hierarchy.h"

namespace {

struct Principal {
  sspf::internal::Bytes pk;
  sspf::SecretBytes sk;
};

const Principal& Fixed() {
  static const Principal* p = [] {
    if (sodium_init() < 0) std::abort();
    unsigned char seed[crypto_box_SEEDBYTES] = {7};
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    crypto_box_seed_keypair(pk, sk, seed);
    auto secret = sspf::SecretBytes::Copy(sk, sizeof(sk));
    if (!secret.ok()) std::abort();
    return new Principal{sspf::internal::Bytes(pk, pk + sizeof(pk)), std::move(*secret)};
  }();
  return *p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  using namespace sspf::internal;
  if (size < 10) return 0;
  const Principal& me = Fixed();
  const Actor actor = static_cast<Actor>(data[1]);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | data[2 + i];
  const int64_t version = static_cast<int64_t>(v);
  Bytes payload(data + 10, data + size);
  const Bytes sealed = (data[0] & 1) ? SealTo(me.pk, payload.data(), payload.size()) : payload;
  Result<SecretBytes> key = OpenActorKeySeal(actor, version, me.pk, me.sk, sealed);
  if (key.ok()) {
    const Bytes ad = ActorSealAd(actor, version);
    if (key->size() != kBoxSecretKeySize || !(data[0] & 1) ||
        payload.size() != ad.size() + kBoxSecretKeySize ||
        std::memcmp(payload.data(), ad.data(), ad.size()) != 0) {
      std::abort();
    }
  } else if (key.status().code() != StatusCode::kIntegrityViolation) {
    std::abort();
  }
  return 0;
}
