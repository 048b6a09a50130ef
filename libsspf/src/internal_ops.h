// Helpers shared by the files that implement Session operations.
#ifndef SSPF_SRC_INTERNAL_OPS_H_
#define SSPF_SRC_INTERNAL_OPS_H_

#include <string>
#include <string_view>

#include "keyring.h"
#include "policy.h"
#include "session_impl.h"

namespace sspf::internal {

Status ValidPrincipalName(std::string_view name);
// Rules for a new credential: passphrase 8..4096 bytes, raw key 32 bytes.
Status CheckNewCredential(const Credential& c);
WrapKind KindOf(const Credential& c);

// An AccessRequest filled with the session principal's facts.
AccessRequest RequestFor(const Session::Impl* impl, Operation op);
// Decide() for operations that need no case facts.
Decision DecideFor(const Session::Impl* impl, Operation op);

Bytes SealActorKey(Actor a, int64_t version, const SecretBytes& actor_sk,
                   const Bytes& principal_pk);
Status CreateActorKey(Db* db, Actor a, UnixSeconds now,
                      const std::string& principal_id, const Bytes& principal_pk);

}  // namespace sspf::internal

#endif  // SSPF_SRC_INTERNAL_OPS_H_
