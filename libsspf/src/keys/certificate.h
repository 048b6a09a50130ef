// Certificates issued by the store authority (DESIGN §13): the trust anchor
// is an Ed25519 key made at init and held only by admins (sealed to them)
// and by the recovery entry; its public key is pinned inside every
// principal's keyring entry.  The authority certifies each principal
// (id, name, actor, role, status, box key, signing key) and each actor-key
// version.  A session checks the chain to its pinned anchor before it
// seals an entry key to an actor key or delivers an actor key to a
// principal.  Byte formats: docs/audit-log-format.md, "Certificates".
#ifndef SSPF_SRC_KEYS_CERTIFICATE_H_
#define SSPF_SRC_KEYS_CERTIFICATE_H_

#include <cstdint>
#include <string>

#include "crypto/crypto.h"
#include "sspf/types.h"

namespace sspf::internal {

struct PrincipalCert {
  Bytes store_id;
  std::string principal_id;
  std::string name;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  bool active = true;
  Bytes box_public_key;   // X25519, 32 bytes
  Bytes sign_public_key;  // Ed25519, 32 bytes
  uint64_t version = 1;   // 1 at creation, +1 per change (disable, new keys)
};

struct ActorKeyCert {
  Bytes store_id;
  Actor actor = Actor::kSchool;
  uint64_t version = 1;
  Bytes public_key;  // X25519, 32 bytes
};

// The auditors' oversight key (DESIGN §13): an X25519 key whose secret is
// sealed only to active auditors; reasons are sealed to it.
struct OversightKeyCert {
  Bytes store_id;
  uint64_t version = 1;
  Bytes public_key;  // X25519, 32 bytes
};

// The exact bytes the authority signs.
Bytes EncodePrincipalCert(const PrincipalCert& c);
Bytes EncodeActorKeyCert(const ActorKeyCert& c);
Bytes EncodeOversightKeyCert(const OversightKeyCert& c);
// Strict parsers of stored bytes (insider-controlled input):
// kIntegrityViolation for anything that is not exactly one certificate.
Result<PrincipalCert> DecodePrincipalCert(const Bytes& body);
Result<ActorKeyCert> DecodeActorKeyCert(const Bytes& body);
Result<OversightKeyCert> DecodeOversightKeyCert(const Bytes& body);

// The authority's signature over a certificate body.
Result<Bytes> SignCert(const SecretBytes& authority_secret_key, const Bytes& body);
// kIntegrityViolation unless sig is the anchor's signature of body.
Status CheckCertSignature(const Bytes& anchor_public_key, const Bytes& body, const Bytes& sig);

}  // namespace sspf::internal

#endif  // SSPF_SRC_KEYS_CERTIFICATE_H_
