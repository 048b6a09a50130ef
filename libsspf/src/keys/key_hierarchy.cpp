#include "keys/key_hierarchy.h"

#include <algorithm>

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
  return SealKeyWithHeader(ActorSealAd(a, version), actor_sk, principal_pk);
}

Bytes OversightSealAd(int64_t version) {
  return internal::AdBuilder()
      .Add("sspf-oversight-key-v1")
      .AddU64(static_cast<uint64_t>(version))
      .bytes();
}

Bytes SealKeyWithHeader(const Bytes& header, const SecretBytes& sk, const Bytes& principal_pk) {
  Bytes msg = header;
  const uint8_t* k = sk.data(InsecureSecretAccess::Get());
  msg.insert(msg.end(), k, k + sk.size());
  Bytes sealed = SealTo(principal_pk, msg.data(), msg.size());
  SecureWipe(msg.data(), msg.size());
  return sealed;
}

namespace {

// Opens a seal of header || 32-byte secret key and checks the header.
Result<SecretBytes> OpenSealWithHeader(const Bytes& header, const Bytes& sealed,
                                       const Bytes& principal_pk,
                                       const SecretBytes& principal_sk) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes plain, SealOpen(principal_pk, principal_sk, sealed));
  const uint8_t* p = plain.data(InsecureSecretAccess::Get());
  if (plain.size() != header.size() + kBoxSecretKeySize ||
      sodium_memcmp(p, header.data(), header.size()) != 0) {
    return IntegrityViolation("key seal is bound to another key or version");
  }
  return SecretBytes::Copy(p + header.size(), kBoxSecretKeySize);
}

}  // namespace

Result<SecretBytes> OpenKeyWithHeader(const Bytes& header, const Bytes& sealed,
                                      const Bytes& principal_pk,
                                      const SecretBytes& principal_sk,
                                      const Bytes& expected_public_key) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes sk, OpenSealWithHeader(header, sealed, principal_pk,
                                                          principal_sk));
  if (BoxPublicKeyOf(sk) != expected_public_key) {
    return IntegrityViolation("sealed key does not match its public key");
  }
  return sk;
}

Bytes ReasonAd(const Bytes& store_id, std::string_view table, std::string_view row_id) {
  return AdBuilder().Add("sspf-reason-v1").Add(store_id).Add(table).Add(row_id).bytes();
}

Bytes ReasonKeyHeader(const Bytes& store_id, std::string_view table, std::string_view row_id,
                      std::string_view holder) {
  return AdBuilder()
      .Add("sspf-reason-key-v1")
      .Add(store_id)
      .Add(table)
      .Add(row_id)
      .Add(holder)
      .bytes();
}

Result<Bytes> ReasonCommitment(const uint8_t* salt, std::string_view text) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Copy(salt, kReasonSaltSize));
  Bytes msg = AdBuilder().Add("sspf-reason-commit-v1").Add(text).bytes();
  Bytes out = KeyedHash(key, msg.data(), msg.size());
  SecureWipe(msg.data(), msg.size());
  return out;
}

Result<SecretBytes> OpenActorKeySeal(Actor a, int64_t version, const Bytes& principal_pk,
                                     const SecretBytes& principal_sk, const Bytes& sealed) {
  return OpenSealWithHeader(ActorSealAd(a, version), sealed, principal_pk, principal_sk);
}

}  // namespace sspf::internal
