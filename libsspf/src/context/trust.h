// Certificates at use (DESIGN §13): what a session checks against its
// pinned trust anchor before it relies on a principal's or an actor's key,
// and how an admin's session (holding the store authority key) issues them.
#ifndef SSPF_SRC_CONTEXT_TRUST_H_
#define SSPF_SRC_CONTEXT_TRUST_H_

#include <string_view>

#include "context/session_impl.h"
#include "keys/certificate.h"

namespace sspf::internal {

// The newest certificate of principal `id`, its signature checked against
// the session's pinned anchor and bound to this store.  kIntegrityViolation
// when there is none or it does not verify.
Result<PrincipalCert> CertifiedPrincipal(Session::Impl* impl, std::string_view id);

// At unlock and whenever the principal's certificate changes: checks the
// session principal's newest certificate against what its keyring entry
// holds (name, box key, signing key) and takes actor, role and status from
// the certificate, not from the principal row (a row edit grants nothing).
// For an admin, unseals the authority key and checks it against the anchor.
Status AdoptCertifiedSelf(Session::Impl* impl);

// The box key to deliver the session's actor key to principal `id`: its
// newest certificate must verify, say active, the session's actor, a
// content role (member or coordinator) and the box key of its row, and its
// addition must be in the access log.  kIntegrityViolation naming what is
// wrong otherwise.
Result<Bytes> DeliverableBoxKey(Session::Impl* impl, std::string_view id,
                                const Bytes& row_box_key);

// kIntegrityViolation unless actor-key version (actor, version) with
// public_key carries a valid certificate.  Cached per session.
Status CheckActorKeyCert(Session::Impl* impl, Actor actor, int64_t version,
                         const Bytes& public_key);

// Issues the next version of a principal's certificate (cert.version is
// set here).  REQUIRES: the session holds the authority key
// (kPermissionDenied otherwise).
Status CertifyPrincipal(Session::Impl* impl, PrincipalCert cert);
// Issues the certificate of a new actor-key version.
Status CertifyActorKey(Session::Impl* impl, Actor actor, int64_t version,
                       const Bytes& public_key);
// Seals the authority secret key to an admin's box key.
Status SealAuthorityTo(Session::Impl* impl, std::string_view principal_id,
                       const Bytes& box_public_key);

// The state a verifier checks (audit verify): every certificate verifies
// under the anchor and belongs to this store; every principal row agrees
// with its newest certificate (actor, role, status, box key); every actor
// key has a certificate with the same public key.  kIntegrityViolation
// naming the first row that does not.
Status CheckCertifiedState(Session::Impl* impl);

}  // namespace sspf::internal

#endif  // SSPF_SRC_CONTEXT_TRUST_H_
