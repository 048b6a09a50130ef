#include "keys/key_hierarchy.h"

#include <sodium.h>

namespace sspf::internal {

Result<SecretBytes> Subkey(const SecretBytes& root, uint64_t id) {
  static const char kCtx[8] = {'s', 's', 'p', 'f', 'k', 'e', 'y', 's'};
  return internal::DeriveSubkey(root, id, kCtx);
}

Bytes AuditWrapAd(const Bytes& store_id) {
  return internal::AdBuilder().Add("sspf-audit-signing-key-v1").Add(store_id).bytes();
}

Bytes ActorSealAd(Actor a, int64_t version) {
  return internal::AdBuilder()
      .Add("sspf-actor-key-v1")
      .AddU64(static_cast<uint64_t>(a))
      .AddU64(static_cast<uint64_t>(version))
      .bytes();
}

Bytes SealActorKey(Actor a, int64_t version, const SecretBytes& actor_sk,
                   const Bytes& principal_pk) {
  Bytes ad = ActorSealAd(a, version);
  Bytes msg = ad;
  const uint8_t* k = actor_sk.data(InsecureSecretAccess::Get());
  msg.insert(msg.end(), k, k + actor_sk.size());
  Bytes sealed = SealTo(principal_pk, msg.data(), msg.size());
  SecureWipe(msg.data(), msg.size());
  return sealed;
}

Result<SecretBytes> OpenActorKeySeal(Actor a, int64_t version, const Bytes& principal_pk,
                                     const SecretBytes& principal_sk, const Bytes& sealed) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes plain, SealOpen(principal_pk, principal_sk, sealed));
  const Bytes ad = ActorSealAd(a, version);
  if (plain.size() != ad.size() + kBoxSecretKeySize ||
      sodium_memcmp(plain.data(InsecureSecretAccess::Get()), ad.data(), ad.size()) != 0) {
    return IntegrityViolation("actor key seal is bound to another actor or version");
  }
  return SecretBytes::Copy(plain.data(InsecureSecretAccess::Get()) + ad.size(),
                           kBoxSecretKeySize);
}

}  // namespace sspf::internal
