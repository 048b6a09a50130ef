#include "keys/key_hierarchy.h"

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

}  // namespace sspf::internal
