// Certificates at use (DESIGN §13): what a session checks against its
// pinned trust anchor before it relies on a principal's or an actor's key,
// and how an admin's session (holding the store authority key) issues them.
#ifndef SSPF_SRC_CONTEXT_TRUST_H_
#define SSPF_SRC_CONTEXT_TRUST_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "context/session_impl.h"
#include "keys/certificate.h"
#include "log/audit_log.h"
#include "storage/certificates_table.h"

namespace sspf::internal {

// The certificate in force for principal `id`: its newest certificate, its
// signature checked against the session's pinned anchor and bound to this
// store, which must be the version the access log brings into force
// (1, then one more for each allowed principal.add after the first,
// principal.disable and recovery.reset naming `id`, as EventAttribution
// counts them).  Those events are found by target (events_trust_target)
// and checked: each signed by its author under a certified key, and each
// principal.add and principal.disable made by an admin active in the
// certificate in force at that event.  kIntegrityViolation naming the
// principal when there is no certificate, it does not verify, or a newest
// certificate was deleted (or one added) behind the log's back.
Result<PrincipalCert> CertifiedPrincipal(Session::Impl* impl, std::string_view id);

// The newest actor-key version of `actor` the access log brings into
// force: 1 plus the allowed key.rotate events of that actor, each signed
// by an admin active in the certificate in force then and naming the next
// version.  kIntegrityViolation naming the event otherwise.
Result<int64_t> ActorKeyVersionInForce(Session::Impl* impl, Actor actor);

// One stored principal certificate row, its signature checked against the
// session's pinned anchor and bound to this store, principal and version.
// kIntegrityViolation naming the principal and version otherwise.
Result<PrincipalCert> CheckedPrincipalCert(Session::Impl* impl, const CertRow& row);

// At unlock and whenever the principal's certificate changes: checks the
// session principal's newest certificate against what its keyring entry
// holds (name, box key, signing key) and takes actor, role and status from
// the certificate, not from the principal row (a row edit grants nothing).
// For an admin, unseals the authority key and checks it against the anchor.
Status AdoptCertifiedSelf(Session::Impl* impl);

// The box key to deliver the session's actor key to principal `id`: its
// newest certificate must verify, say active, the session's actor, a
// content role (member or coordinator) and the box key of its row, and its
// first membership event must be its principal.add, made by an admin in
// force (see CertifiedPrincipal).  kIntegrityViolation naming what is
// wrong otherwise.
Result<Bytes> DeliverableBoxKey(Session::Impl* impl, std::string_view id,
                                const Bytes& row_box_key);

// The box key to deliver the oversight key to auditor `id`: as
// DeliverableBoxKey, but its certificate must say active auditor.
Result<Bytes> DeliverableAuditorBoxKey(Session::Impl* impl, std::string_view id,
                                       const Bytes& row_box_key);

// kIntegrityViolation unless oversight-key version `version` with
// public_key carries a valid certificate.
Status CheckOversightKeyCert(Session::Impl* impl, int64_t version, const Bytes& public_key);
// Issues the certificate of an oversight-key version (admin sessions).
Status CertifyOversightKey(Session::Impl* impl, int64_t version, const Bytes& public_key);

// kIntegrityViolation unless actor-key version (actor, version) with
// public_key carries a valid certificate.  Cached per session.
Status CheckActorKeyCert(Session::Impl* impl, Actor actor, int64_t version,
                         const Bytes& public_key);

// Checked at use (DESIGN §13).  kIntegrityViolation naming the event
// unless e, as read from the events table, is signed by the principal it
// names under a signing key the store authority certified for that
// principal (any certificate version: a recovery gives a new key), or, for
// the recovery key's events (recovery.reset only), under the pinned anchor.  Which certificate
// was in force at the event, and whether its author might make it, is left
// to audit verify (EventAttribution, the replay check).  Verified events
// are remembered per session (by seq and leaf hash), so a second check of
// the same event costs one SHA-256.
Status CheckEventSignature(Session::Impl* impl, const EventRecord& e);

// The allowed entry.add or grant.emergency event whose target is `target`
// ("entry:<id>", "grant:<id>"), found through the events_state_target
// index and checked by CheckEventSignature; nullopt when the log holds
// none.  kIntegrityViolation when it holds two.
Result<std::optional<EventRecord>> SignedStateEvent(Session::Impl* impl, Action action,
                                                    std::string_view target);

// The allowed lifecycle events (guardian.custody, consent.confirm,
// entry.revoke, grant.end) whose target is `target` ("guardian:<id>",
// "consent:<id>", "disclosure:<id>", "grant:<id>"), oldest first, found
// through the events_lifecycle_target index, failure details skipped, each
// checked by CheckEventSignature.
Result<std::vector<EventRecord>> SignedLifecycleEvents(Session::Impl* impl,
                                                       std::string_view target);

// A grants row as decisions read it.
struct GrantFacts {
  std::string id, case_id, principal_id;
  UnixSeconds until = 0;
};
// Checked at use: kIntegrityViolation naming the grant unless its row
// agrees with its signed grant.emergency event (case, holder, end time): a
// lengthened grants.until is refused at the decision, not only by verify.
// The caller passes only grants in force by their row, so a signed
// grant.end of the grant is a violation too (its ended column cleared).
Status CheckGrantAtUse(Session::Impl* impl, const GrantFacts& g);

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
// key and oversight key has a certificate with the same public key; once
// an auditor is certified, an oversight key exists.  kIntegrityViolation
// naming the first row that does not.
Status CheckCertifiedState(Session::Impl* impl);

// The principal that signed checkpoint `note`: the signature line named
// "<origin>/<principal id>" that verifies under a certified signing key of
// that principal (any of its certificate versions), or "authority" under
// the anchor.  kIntegrityViolation when no line is by a certified signer:
// the store audit key alone proves nothing about who made it.
Result<std::string> CheckpointAttribution(Session::Impl* impl, std::string_view note);

// The same for many checkpoints (audit verify attributes every stored one):
// the certified signing keys are read and their certificates checked once.
class CheckpointSigners {
 public:
  static Result<CheckpointSigners> Load(Session::Impl* impl);
  Result<std::string> Attribute(std::string_view note) const;

 private:
  std::string origin_;
  std::map<std::string, std::vector<Bytes>> keys_;  // signer -> every certified key
};

// Checks, in log order, that every event is signed by the principal that
// caused it, with the signing key of the certificate in force at that
// event (DESIGN §13).  A principal's first certificate is in force from
// the start of the log; each allowed principal.add, principal.disable and
// recovery.reset of it brings the next version into force.  Exceptions: a
// failed unlock written into the log by the next successful unlock is
// signed by that unlocker; the recovery key's events (recovery.reset, and
// nothing else) are signed by the store authority.
class EventAttribution {
 public:
  // Loads and checks every principal certificate against the anchor.
  static Result<EventAttribution> Load(Session::Impl* impl);
  // kIntegrityViolation naming the event when its signature is missing,
  // does not verify, is by a disabled principal, or is by someone other
  // than the principal the event names.
  Status Check(const EventRecord& e, const Hash& leaf_hash,
               const std::optional<EventSignature>& sig);
  // An event whose signature is not checked (incremental verify: a kept
  // checkpoint covers it): a membership event still brings its principal's
  // next certificate into force, as Check would.
  void Skip(const EventRecord& e) { CountMembershipChange(e); }

 private:
  // Membership events (principal.add, principal.disable, recovery.reset)
  // bring the next certificate of the principal they name into force.
  void CountMembershipChange(const EventRecord& e);

  Bytes store_id_;
  Bytes anchor_;
  std::map<std::string, std::vector<PrincipalCert>> certs_;  // versions ascending
  std::map<std::string, size_t> changes_;  // membership events seen per principal
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_CONTEXT_TRUST_H_
