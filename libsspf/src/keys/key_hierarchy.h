// The key hierarchy below the store root key (DESIGN §5): the subkey ids,
// the associated-data labels of wrapped and sealed keys, and the seal of an
// actor key to a principal.  Ids and labels are fixed forever.
#ifndef SSPF_SRC_KEYS_KEY_HIERARCHY_H_
#define SSPF_SRC_KEYS_KEY_HIERARCHY_H_

#include <string_view>

#include "crypto/crypto.h"
#include "sspf/types.h"

namespace sspf::internal {

// Derived subkeys of the root key (crypto_kdf ids).
inline constexpr uint64_t kSubkeySqlcipher = 1;
inline constexpr uint64_t kSubkeyLookup = 2;
inline constexpr uint64_t kSubkeyIdentity = 3;
inline constexpr uint64_t kSubkeyAuditWrap = 4;

Result<SecretBytes> Subkey(const SecretBytes& root, uint64_t id);

// Associated data of the wrapped audit signing key.
Bytes AuditWrapAd(const Bytes& store_id);
// Associated data (and plaintext header) of an actor key seal.
Bytes ActorSealAd(Actor a, int64_t version);

// Seals an actor secret key (with a small header binding actor and version)
// to a principal's X25519 public key.
Bytes SealActorKey(Actor a, int64_t version, const SecretBytes& actor_sk,
                   const Bytes& principal_pk);
// Opens a seal made by SealActorKey: the actor's X25519 secret key.
// kIntegrityViolation when it does not open with the principal's key pair
// or is bound to another actor or version.  (The caller still checks the
// key against the actor's certified public key.)
Result<SecretBytes> OpenActorKeySeal(Actor a, int64_t version, const Bytes& principal_pk,
                                     const SecretBytes& principal_sk, const Bytes& sealed);

// Associated data (and plaintext header) of an oversight key seal.
Bytes OversightSealAd(int64_t version);

// Seals an X25519 secret key, prefixed with `header`, to a principal's
// X25519 public key (actor keys, the oversight key).
Bytes SealKeyWithHeader(const Bytes& header, const SecretBytes& sk, const Bytes& principal_pk);
// Opens such a seal with the principal's key pair: kIntegrityViolation
// unless it carries exactly `header` and a secret key whose public half is
// expected_public_key.
Result<SecretBytes> OpenKeyWithHeader(const Bytes& header, const Bytes& sealed,
                                      const Bytes& principal_pk,
                                      const SecretBytes& principal_sk,
                                      const Bytes& expected_public_key);

// Reasons (DESIGN §13).  The reason text is encrypted with its own random
// key; AD binds it to (store id, table, row id).  The plaintext is
// salt (32 bytes) || text; the commitment kept in the log's replay detail
// is BLAKE2b-256 keyed with the salt over "sspf-reason-commit-v1" || text.
inline constexpr size_t kReasonSaltSize = 32;
Bytes ReasonAd(const Bytes& store_id, std::string_view table, std::string_view row_id);
// Prefixed to the reason key inside each seal (holder: "actor:<n>:<v>" or
// "oversight:<v>"), so a seal cannot be moved to another row or holder.
Bytes ReasonKeyHeader(const Bytes& store_id, std::string_view table, std::string_view row_id,
                      std::string_view holder);
Result<Bytes> ReasonCommitment(const uint8_t* salt, std::string_view text);

}  // namespace sspf::internal

#endif  // SSPF_SRC_KEYS_KEY_HIERARCHY_H_
