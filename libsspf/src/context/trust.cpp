// Checks at use (trust.h): what a decision reads, compared with the signed log.
// One file over 700 lines on purpose: every at-use check shares the same event
// lookups and messages, and a reviewer reads them side by side.
#include "context/trust.h"

#include <algorithm>
#include <initializer_list>
#include <limits>

#include "log/checkpoint.h"
#include "log/note.h"
#include "log/replay_detail.h"
#include "storage/certificates_table.h"
#include "storage/principals_table.h"

namespace sspf::internal {
namespace {

// The recovery key, signing with the store authority, logs the credential
// reset it makes and nothing else (Store::ResetWithRecoveryKey).
bool AuthorityMayLog(Action a) { return a == Action::kRecoveryReset; }

Status NotCertified(const std::string& what) {
  return IntegrityViolation(what + " is not certified by the store authority");
}

Result<PrincipalCert> CheckPrincipalRow(const Bytes& anchor, const Bytes& store_id,
                                        const CertRow& row) {
  SSPF_RETURN_IF_ERROR(CheckCertSignature(anchor, row.body, row.signature));
  SSPF_ASSIGN_OR_RETURN(PrincipalCert cert, DecodePrincipalCert(row.body));
  if (cert.store_id != store_id || cert.principal_id != row.subject ||
      static_cast<int64_t>(cert.version) != row.version) {
    return IntegrityViolation("certificate of principal " + row.subject +
                              " belongs to another store, principal or version");
  }
  return cert;
}

Result<ActorKeyCert> CheckActorKeyRow(const Bytes& anchor, const Bytes& store_id,
                                      const CertRow& row) {
  SSPF_RETURN_IF_ERROR(CheckCertSignature(anchor, row.body, row.signature));
  SSPF_ASSIGN_OR_RETURN(ActorKeyCert cert, DecodeActorKeyCert(row.body));
  if (cert.store_id != store_id ||
      ActorKeySubject(cert.actor, static_cast<int64_t>(cert.version)) != row.subject) {
    return IntegrityViolation("certificate of actor key " + row.subject +
                              " belongs to another store or key");
  }
  return cert;
}

Result<OversightKeyCert> CheckOversightKeyRow(const Bytes& anchor, const Bytes& store_id,
                                              const CertRow& row) {
  SSPF_RETURN_IF_ERROR(CheckCertSignature(anchor, row.body, row.signature));
  SSPF_ASSIGN_OR_RETURN(OversightKeyCert cert, DecodeOversightKeyCert(row.body));
  if (cert.store_id != store_id ||
      OversightKeySubject(static_cast<int64_t>(cert.version)) != row.subject) {
    return IntegrityViolation("certificate of " + row.subject +
                              " belongs to another store or key");
  }
  return cert;
}

}  // namespace

Result<PrincipalCert> CheckedPrincipalCert(Session::Impl* impl, const CertRow& row) {
  Result<PrincipalCert> c = CheckPrincipalRow(impl->anchor_public_key, impl->store_id_bytes, row);
  if (!c.ok()) {
    return IntegrityViolation("certificates: principal " + row.subject + " version " +
                              std::to_string(row.version) + ": " + c.status().message());
  }
  return c;
}

Status AdoptCertifiedSelf(Session::Impl* impl) {
  SSPF_ASSIGN_OR_RETURN(PrincipalCert cert, CertifiedPrincipal(impl, impl->me.id));
  if (cert.name != impl->me.name || cert.box_public_key != impl->principal_public_key ||
      cert.sign_public_key != impl->signing_public_key) {
    return IntegrityViolation("principal " + impl->me.id +
                              ": the keyring entry does not match the certificate");
  }
  impl->me.actor = cert.actor;
  impl->me.role = cert.role;
  impl->me.active = cert.active && impl->me.active;
  impl->certificate_version = static_cast<int64_t>(cert.version);
  impl->certificate_active = cert.active;
  if (cert.role != Role::kAdmin || !cert.active || !impl->authority_secret_key.empty()) {
    return Status::Ok();
  }
  SSPF_ASSIGN_OR_RETURN(std::optional<Bytes> sealed, AuthoritySeal(impl->db.get(), impl->me.id));
  if (!sealed) return Status::Ok();  // certifying will say that the key is missing
  SSPF_ASSIGN_OR_RETURN(SecretBytes sk, SealOpen(impl->principal_public_key,
                                                 impl->principal_secret_key, *sealed));
  if (sk.size() != kSignSecretKeySize || SignPublicKeyOf(sk) != impl->anchor_public_key) {
    return IntegrityViolation("the authority key sealed to principal " + impl->me.id +
                              " is not the pinned trust anchor's");
  }
  impl->authority_secret_key = std::move(sk);
  return Status::Ok();
}

Status CheckOversightKeyCert(Session::Impl* impl, int64_t version, const Bytes& public_key) {
  const std::string what = "oversight key version " + std::to_string(version);
  SSPF_ASSIGN_OR_RETURN(
      std::optional<CertRow> row,
      LatestCert(impl->db.get(), CertKind::kOversightKey, OversightKeySubject(version)));
  if (!row) return NotCertified(what);
  Result<OversightKeyCert> cert =
      CheckOversightKeyRow(impl->anchor_public_key, impl->store_id_bytes, *row);
  if (!cert.ok()) return IntegrityViolation(what + ": " + cert.status().message());
  if (cert->public_key != public_key) {
    return IntegrityViolation(what + " does not match its certificate");
  }
  return Status::Ok();
}

Status CheckActorKeyCert(Session::Impl* impl, Actor actor, int64_t version,
                         const Bytes& public_key) {
  auto key = std::make_pair(actor, version);
  auto it = impl->certified_actor_keys.find(key);
  if (it != impl->certified_actor_keys.end()) {
    if (it->second != public_key) {
      return IntegrityViolation(std::string("actor key ") + ActorName(actor) + " version " +
                                std::to_string(version) + " does not match its certificate");
    }
    return Status::Ok();
  }
  const std::string subject = ActorKeySubject(actor, version);
  const std::string what =
      std::string("actor key ") + ActorName(actor) + " version " + std::to_string(version);
  SSPF_ASSIGN_OR_RETURN(std::optional<CertRow> row,
                        LatestCert(impl->db.get(), CertKind::kActorKey, subject));
  if (!row) return NotCertified(what);
  Result<ActorKeyCert> cert = CheckActorKeyRow(impl->anchor_public_key, impl->store_id_bytes,
                                               *row);
  if (!cert.ok()) return IntegrityViolation(what + ": " + cert.status().message());
  if (cert->public_key != public_key) {
    return IntegrityViolation(what + " does not match its certificate");
  }
  impl->certified_actor_keys.emplace(key, public_key);
  return Status::Ok();
}

namespace {

// The most events a session remembers as verified before it starts over.
constexpr size_t kMaxVerifiedEvents = size_t{1} << 16;

Status LoadSignKeys(Session::Impl* impl, const std::string& principal,
                    std::vector<Bytes>* keys) {
  keys->clear();
  return ForEachCertOf(impl->db.get(), CertKind::kPrincipal, principal,
                       [&](const CertRow& row) -> Status {
                         SSPF_ASSIGN_OR_RETURN(PrincipalCert c, CheckedPrincipalCert(impl, row));
                         keys->push_back(c.sign_public_key);
                         return Status::Ok();
                       });
}

}  // namespace

Status CheckEventSignature(Session::Impl* impl, const EventRecord& e) {
  const Bytes leaf = EncodeLeaf(e);
  const Hash h = LeafHash(leaf.data(), leaf.size());
  auto seen = impl->verified_events.find(e.seq);
  if (seen != impl->verified_events.end() && seen->second == h) return Status::Ok();
  const std::string ev = "event " + std::to_string(e.seq);
  SSPF_ASSIGN_OR_RETURN(std::optional<EventSignature> sig,
                        EventSignatureOf(impl->db.get(), e.seq));
  if (!sig) return IntegrityViolation(ev + ": not signed (event inserted directly?)");
  const Bytes msg = EventSignedMessage(impl->store_id_bytes, e.seq, h);
  bool ok = false;
  if (sig->signer_id == kAuthoritySigner) {
    ok = e.principal_id == "recovery" && AuthorityMayLog(e.action) &&
         VerifyDetached(impl->anchor_public_key, msg, sig->signature);
  } else if (sig->signer_id == e.principal_id) {
    std::vector<Bytes>& keys = impl->certified_sign_keys[e.principal_id];
    auto verifies = [&] {
      return std::any_of(keys.begin(), keys.end(), [&](const Bytes& k) {
        return VerifyDetached(k, msg, sig->signature);
      });
    };
    ok = verifies();
    if (!ok) {  // a certificate issued since the keys were cached
      SSPF_RETURN_IF_ERROR(LoadSignKeys(impl, e.principal_id, &keys));
      ok = verifies();
    }
  }
  if (!ok) {
    return IntegrityViolation(ev + ": not signed by " + e.principal_id +
                              " under a certified key (forged or edited event)");
  }
  if (impl->verified_events.size() >= kMaxVerifiedEvents) impl->verified_events.clear();
  impl->verified_events[e.seq] = h;
  return Status::Ok();
}

namespace {

bool IsMembershipAction(Action a) {
  return a == Action::kPrincipalAdd || a == Action::kPrincipalDisable ||
         a == Action::kRecoveryReset;
}

// The principal a membership event names (its detail starts
// "principal=<id>"), or "" for any other event.
std::string MembershipSubject(const EventRecord& e) {
  if (!e.allowed || !IsMembershipAction(e.action) || e.detail.rfind("principal=", 0) != 0) {
    return "";
  }
  const size_t end = e.detail.find(' ');
  return e.detail.substr(10, end == std::string::npos ? std::string::npos : end - 10);
}

// The allowed membership and key.rotate events whose target is `target`
// and whose seq is below `before`, seq ascending, found through the
// events_trust_target index.
Result<std::vector<EventRecord>> TrustEvents(Session::Impl* impl, const std::string& target,
                                             uint64_t before) {
  static const std::string sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_trust_target WHERE target = ? AND action IN (" +
      std::to_string(static_cast<int>(Action::kPrincipalAdd)) + ", " +
      std::to_string(static_cast<int>(Action::kPrincipalDisable)) + ", " +
      std::to_string(static_cast<int>(Action::kRecoveryReset)) + ", " +
      std::to_string(static_cast<int>(Action::kKeyRotate)) +
      ") AND allowed = 1 AND seq < ? ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, target).Bind(2, before > uint64_t{INT64_MAX} ? INT64_MAX
                                                           : static_cast<int64_t>(before));
  std::vector<EventRecord> out;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    EventRecord e = ReadEventRow(st);
    if (e.target == target) out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

// The signed membership events (principal.add, principal.disable,
// recovery.reset) naming principal `id` before event `before`, seq
// ascending: each brings `id`'s next certificate into force, as
// EventAttribution counts them in verify.
Result<std::vector<EventRecord>> MembershipEvents(Session::Impl* impl, std::string_view id,
                                                  uint64_t before) {
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> all,
                        TrustEvents(impl, "principal:" + std::string(id), before));
  std::vector<EventRecord> out;
  for (EventRecord& e : all) {
    if (MembershipSubject(e) != id) continue;
    SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
    out.push_back(std::move(e));
  }
  return out;
}

// The version in force after `changes` membership events (the first
// certificate is in force from the start, the addition included).
int64_t VersionInForce(size_t changes) {
  return changes == 0 ? 1 : static_cast<int64_t>(changes);
}

// Version `version` of principal `id`'s certificate, checked.
Result<PrincipalCert> PrincipalCertVersion(Session::Impl* impl, const std::string& id,
                                           int64_t version) {
  std::optional<PrincipalCert> found;
  SSPF_RETURN_IF_ERROR(ForEachCertOf(impl->db.get(), CertKind::kPrincipal, id,
                                     [&](const CertRow& row) -> Status {
                                       if (row.version != version) return Status::Ok();
                                       SSPF_ASSIGN_OR_RETURN(found,
                                                             CheckedPrincipalCert(impl, row));
                                       return Status::Ok();
                                     }));
  if (!found) {
    return NotCertified("principal " + id + " in its certificate version " +
                        std::to_string(version));
  }
  return *found;
}

// kIntegrityViolation naming event e (a principal.add, principal.disable
// or key.rotate) unless its author was an active admin by the certificate
// in force at e (counted from the author's own membership events before
// it) and e is signed with that certificate's key.
Status SignedByAdminInForce(Session::Impl* impl, const EventRecord& e) {
  const std::string ev = "event " + std::to_string(e.seq) + " (" + ActionName(e.action) + ")";
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> before,
                        MembershipEvents(impl, e.principal_id, e.seq));
  const int64_t version = VersionInForce(before.size());
  Result<PrincipalCert> cert = PrincipalCertVersion(impl, e.principal_id, version);
  if (!cert.ok()) return IntegrityViolation(ev + ": " + cert.status().message());
  if (cert->role != Role::kAdmin || !cert->active) {
    return IntegrityViolation(ev + ": made by " + e.principal_id +
                              ", not an active admin in its certificate version " +
                              std::to_string(version) + " in force then");
  }
  const Bytes leaf = EncodeLeaf(e);
  const Hash h = LeafHash(leaf.data(), leaf.size());
  SSPF_ASSIGN_OR_RETURN(std::optional<EventSignature> sig,
                        EventSignatureOf(impl->db.get(), e.seq));
  if (!sig || sig->signer_id != e.principal_id ||
      !VerifyDetached(cert->sign_public_key,
                      EventSignedMessage(impl->store_id_bytes, e.seq, h), sig->signature)) {
    return IntegrityViolation(ev + ": not signed with the key of " + e.principal_id +
                              "'s certificate version " + std::to_string(version));
  }
  return Status::Ok();
}

// Principal `id`'s newest certificate, checked, which must be the version
// its membership events bring into force, each of them made by an admin in
// force (or, recovery.reset, by the recovery key).  `changes`, when given,
// receives those events.
Result<PrincipalCert> CertInForce(Session::Impl* impl, std::string_view id,
                                  std::vector<EventRecord>* changes) {
  const std::string who = "principal " + std::string(id);
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events,
                        MembershipEvents(impl, id, std::numeric_limits<uint64_t>::max()));
  for (const EventRecord& e : events) {
    if (e.action != Action::kRecoveryReset) SSPF_RETURN_IF_ERROR(SignedByAdminInForce(impl, e));
  }
  SSPF_ASSIGN_OR_RETURN(std::optional<CertRow> row,
                        LatestCert(impl->db.get(), CertKind::kPrincipal, id));
  if (!row) return NotCertified(who);
  const int64_t in_force = VersionInForce(events.size());
  if (row->version != in_force) {
    return IntegrityViolation(who + ": its newest certificate is version " +
                              std::to_string(row->version) + " but the access log brings " +
                              "version " + std::to_string(in_force) +
                              " into force (a certificate deleted or added)");
  }
  Result<PrincipalCert> cert = CheckPrincipalRow(impl->anchor_public_key, impl->store_id_bytes,
                                                 *row);
  if (!cert.ok()) return IntegrityViolation(who + ": " + cert.status().message());
  if (changes) *changes = std::move(events);
  return cert;
}

// A principal certified active, of `actor`, in one of `roles`, with the box
// key of its row, whose addition is in the log.
Result<Bytes> CertifiedRecipient(Session::Impl* impl, std::string_view id,
                                 const Bytes& row_box_key, Actor actor,
                                 std::initializer_list<Role> roles, const std::string& as) {
  std::vector<EventRecord> changes;
  SSPF_ASSIGN_OR_RETURN(PrincipalCert cert, CertInForce(impl, id, &changes));
  const std::string who = "principal " + std::string(id);
  if (!cert.active) return IntegrityViolation(who + " is disabled in its certificate");
  if (cert.actor != actor || std::find(roles.begin(), roles.end(), cert.role) == roles.end()) {
    return IntegrityViolation(who + " is not certified as " + as);
  }
  if (cert.box_public_key != row_box_key) {
    return IntegrityViolation(who + ": the box key of its row is not the certified one");
  }
  // Every membership event was checked to be by an admin in force; the
  // first must be the addition.
  if (changes.empty() || changes.front().action != Action::kPrincipalAdd) {
    return IntegrityViolation(who + ": its addition by an admin is not in the access log");
  }
  return cert.box_public_key;
}

}  // namespace

Result<PrincipalCert> CertifiedPrincipal(Session::Impl* impl, std::string_view id) {
  return CertInForce(impl, id, nullptr);
}

Result<int64_t> ActorKeyVersionInForce(Session::Impl* impl, Actor actor) {
  const std::string what = std::string("actor key of ") + ActorName(actor);
  SSPF_ASSIGN_OR_RETURN(
      std::vector<EventRecord> events,
      TrustEvents(impl, std::string("actor:") + ActorName(actor),
                  std::numeric_limits<uint64_t>::max()));
  int64_t version = 1;
  for (const EventRecord& e : events) {
    if (e.action != Action::kKeyRotate || IsFailureDetail(e.detail)) continue;
    SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
    SSPF_RETURN_IF_ERROR(SignedByAdminInForce(impl, e));
    Result<std::vector<std::string>> v = DecodeDetail(Action::kKeyRotate, e.detail);
    if (!v.ok() || v->size() < 2 || (*v)[0] != ActorName(actor) ||
        (*v)[1] != std::to_string(version + 1)) {
      return IntegrityViolation(what + ": event " + std::to_string(e.seq) +
                                " does not rotate it to version " +
                                std::to_string(version + 1));
    }
    ++version;
  }
  return version;
}

Result<Bytes> DeliverableBoxKey(Session::Impl* impl, std::string_view id,
                                const Bytes& row_box_key) {
  return CertifiedRecipient(impl, id, row_box_key, impl->me.actor,
                            {Role::kMember, Role::kCoordinator},
                            std::string("a member of actor ") + ActorName(impl->me.actor));
}

Result<Bytes> DeliverableAuditorBoxKey(Session::Impl* impl, std::string_view id,
                                       const Bytes& row_box_key) {
  return CertifiedRecipient(impl, id, row_box_key, Actor::kCoordination, {Role::kAuditor},
                            "an auditor");
}

Result<std::optional<EventRecord>> SignedStateEvent(Session::Impl* impl, Action action,
                                                    std::string_view target) {
  static const std::string sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_state_target WHERE target = ? AND action IN (" +
      std::to_string(static_cast<int>(Action::kEntryAdd)) + ", " +
      std::to_string(static_cast<int>(Action::kGrantEmergency)) + ") AND allowed = 1";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, target);
  std::optional<EventRecord> found;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    EventRecord e = ReadEventRow(st);
    if (e.action != action || e.target != target) return Status::Ok();
    if (found) {
      return IntegrityViolation(std::string(target) + ": events " + std::to_string(found->seq) +
                                " and " + std::to_string(e.seq) + " both record its " +
                                ActionName(action) + " (replayed event)");
    }
    found = std::move(e);
    return Status::Ok();
  }));
  if (found) SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, *found));
  return found;
}

Result<std::vector<EventRecord>> SignedLifecycleEvents(Session::Impl* impl,
                                                       std::string_view target) {
  static const std::string sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_lifecycle_target WHERE target = ? AND action IN (" +
      std::to_string(static_cast<int>(Action::kGuardianCustody)) + ", " +
      std::to_string(static_cast<int>(Action::kConsentConfirm)) + ", " +
      std::to_string(static_cast<int>(Action::kEntryRevoke)) + ", " +
      std::to_string(static_cast<int>(Action::kGrantEnd)) + ") AND allowed = 1 ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, target);
  std::vector<EventRecord> out;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    EventRecord e = ReadEventRow(st);
    if (e.target == target && !IsFailureDetail(e.detail)) out.push_back(std::move(e));
    return Status::Ok();
  }));
  for (const EventRecord& e : out) SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
  return out;
}

Status CheckGrantAtUse(Session::Impl* impl, const GrantFacts& g) {
  const std::string what = "grant " + g.id;
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> ends,
                        SignedLifecycleEvents(impl, "grant:" + g.id));
  for (const EventRecord& e : ends) {
    if (e.action == Action::kGrantEnd) {
      return IntegrityViolation(what + " was ended by event " + std::to_string(e.seq) +
                                " but its row says in force (direct edit)");
    }
  }
  SSPF_ASSIGN_OR_RETURN(std::optional<EventRecord> ev,
                        SignedStateEvent(impl, Action::kGrantEmergency, "grant:" + g.id));
  if (!ev) return IntegrityViolation(what + " has no grant.emergency event in the log (direct edit)");
  Result<std::vector<std::string>> v = DecodeDetail(Action::kGrantEmergency, ev->detail);
  if (!v.ok() || (*v)[0] != g.id || (*v)[1] != g.case_id || (*v)[2] != g.principal_id ||
      (*v)[3] != std::to_string(g.until) || ev->principal_id != g.principal_id) {
    return IntegrityViolation(what + " differs from its signed event " + std::to_string(ev->seq) +
                              " (direct edit)");
  }
  return Status::Ok();
}

Status CertifyPrincipal(Session::Impl* impl, PrincipalCert cert) {
  if (impl->authority_secret_key.empty()) {
    return PermissionDenied("only an admin holds the store authority key");
  }
  SSPF_ASSIGN_OR_RETURN(std::optional<CertRow> latest,
                        LatestCert(impl->db.get(), CertKind::kPrincipal, cert.principal_id));
  cert.store_id = impl->store_id_bytes;
  cert.version = latest ? static_cast<uint64_t>(latest->version) + 1 : 1;
  CertRow row;
  row.kind = CertKind::kPrincipal;
  row.subject = cert.principal_id;
  row.version = static_cast<int64_t>(cert.version);
  row.body = EncodePrincipalCert(cert);
  SSPF_ASSIGN_OR_RETURN(row.signature, SignCert(impl->authority_secret_key, row.body));
  row.created = impl->Now();
  return InsertCert(impl->db.get(), row);
}

namespace {

Status InsertSignedCert(Session::Impl* impl, CertKind kind, std::string subject, Bytes body) {
  if (impl->authority_secret_key.empty()) {
    return PermissionDenied("only an admin holds the store authority key");
  }
  CertRow row;
  row.kind = kind;
  row.subject = std::move(subject);
  row.version = 1;
  row.body = std::move(body);
  SSPF_ASSIGN_OR_RETURN(row.signature, SignCert(impl->authority_secret_key, row.body));
  row.created = impl->Now();
  return InsertCert(impl->db.get(), row);
}

}  // namespace

Status CertifyActorKey(Session::Impl* impl, Actor actor, int64_t version,
                       const Bytes& public_key) {
  ActorKeyCert cert;
  cert.store_id = impl->store_id_bytes;
  cert.actor = actor;
  cert.version = static_cast<uint64_t>(version);
  cert.public_key = public_key;
  return InsertSignedCert(impl, CertKind::kActorKey, ActorKeySubject(actor, version),
                          EncodeActorKeyCert(cert));
}

Status CertifyOversightKey(Session::Impl* impl, int64_t version, const Bytes& public_key) {
  OversightKeyCert cert;
  cert.store_id = impl->store_id_bytes;
  cert.version = static_cast<uint64_t>(version);
  cert.public_key = public_key;
  return InsertSignedCert(impl, CertKind::kOversightKey, OversightKeySubject(version),
                          EncodeOversightKeyCert(cert));
}

Status SealAuthorityTo(Session::Impl* impl, std::string_view principal_id,
                       const Bytes& box_public_key) {
  if (impl->authority_secret_key.empty()) {
    return PermissionDenied("only an admin holds the store authority key");
  }
  const SecretBytes& sk = impl->authority_secret_key;
  Bytes sealed = SealTo(box_public_key, sk.data(InsecureSecretAccess::Get()), sk.size());
  return PutAuthoritySeal(impl->db.get(), principal_id, sealed);
}

Result<EventAttribution> EventAttribution::Load(Session::Impl* impl) {
  EventAttribution a;
  a.store_id_ = impl->store_id_bytes;
  a.anchor_ = impl->anchor_public_key;
  SSPF_RETURN_IF_ERROR(ForEachCert(impl->db.get(), [&](const CertRow& row) -> Status {
    if (row.kind != CertKind::kPrincipal) return Status::Ok();
    SSPF_ASSIGN_OR_RETURN(PrincipalCert c, CheckPrincipalRow(a.anchor_, a.store_id_, row));
    std::vector<PrincipalCert>& versions = a.certs_[row.subject];
    if (c.version != versions.size() + 1) {
      return IntegrityViolation("certificates: principal " + row.subject + " skips version " +
                                std::to_string(versions.size() + 1));
    }
    versions.push_back(std::move(c));
    return Status::Ok();
  }));
  return a;
}

Status EventAttribution::Check(const EventRecord& e, const Hash& leaf_hash,
                               const std::optional<EventSignature>& sig) {
  const std::string ev = "event " + std::to_string(e.seq);
  if (!sig) return IntegrityViolation(ev + ": not signed (event inserted directly?)");
  const Bytes msg = EventSignedMessage(store_id_, e.seq, leaf_hash);
  if (sig->signer_id == kAuthoritySigner) {
    if (e.principal_id != "recovery") {
      return IntegrityViolation(ev + ": signed by the store authority but made by principal " +
                                e.principal_id);
    }
    if (!AuthorityMayLog(e.action)) {
      return IntegrityViolation(ev + ": signed by the store authority, which logs " +
                                "recovery.reset only, but records " + ActionName(e.action));
    }
    if (!VerifyDetached(anchor_, msg, sig->signature)) {
      return IntegrityViolation(ev + ": the authority's signature does not verify");
    }
    // A recovery.reset brings the principal's next certificate into force.
    CountMembershipChange(e);
    return Status::Ok();
  }
  auto it = certs_.find(sig->signer_id);
  if (it == certs_.end()) {
    return IntegrityViolation(ev + ": signed by " + sig->signer_id +
                              ", who has no certificate");
  }
  const size_t changes = changes_[sig->signer_id];
  const size_t index = changes == 0 ? 0 : changes - 1;
  if (index >= it->second.size()) {
    return IntegrityViolation(ev + ": no certificate of " + sig->signer_id +
                              " is in force here");
  }
  const PrincipalCert& cert = it->second[index];
  // A disabled principal's open session is denied from its next operation
  // on, and those denials are signed with its key; nothing else may be.
  if (!cert.active && e.allowed) {
    return IntegrityViolation(ev + ": signed by " + sig->signer_id +
                              ", disabled in its certificate version " +
                              std::to_string(cert.version));
  }
  if (!VerifyDetached(cert.sign_public_key, msg, sig->signature)) {
    return IntegrityViolation(ev + ": the signature of " + sig->signer_id +
                              " does not verify (forged or edited event)");
  }
  const bool ingested_failure = e.action == Action::kUnlock && !e.allowed &&
                                e.basis == "recorded-outside-the-log";
  if (e.principal_id != sig->signer_id && !ingested_failure) {
    return IntegrityViolation(ev + ": made in the name of " + e.principal_id +
                              " but signed by " + sig->signer_id);
  }
  // Erasure is an admin's (docs/retention.md): a retention event signed by
  // anyone else was planted, however valid its signature.
  if (e.allowed && (e.action == Action::kRetentionRun || e.action == Action::kRetentionErase) &&
      cert.role != Role::kAdmin) {
    return IntegrityViolation(ev + ": " + ActionName(e.action) + " signed by " +
                              sig->signer_id + ", who is no admin");
  }
  CountMembershipChange(e);
  return Status::Ok();
}

void EventAttribution::CountMembershipChange(const EventRecord& e) {
  const std::string subject = MembershipSubject(e);
  if (!subject.empty()) ++changes_[subject];
}

Result<std::string> CheckpointAttribution(Session::Impl* impl, std::string_view note) {
  SSPF_ASSIGN_OR_RETURN(CheckpointSigners signers, CheckpointSigners::Load(impl));
  return signers.Attribute(note);
}

Result<CheckpointSigners> CheckpointSigners::Load(Session::Impl* impl) {
  CheckpointSigners out;
  out.origin_ = LogOrigin(impl->store_id);
  // Every certified signing key, by principal (all versions: a checkpoint
  // made before a recovery carries the old key).
  out.keys_[kAuthoritySigner].push_back(impl->anchor_public_key);
  SSPF_RETURN_IF_ERROR(ForEachCert(impl->db.get(), [&](const CertRow& row) -> Status {
    if (row.kind != CertKind::kPrincipal) return Status::Ok();
    Result<PrincipalCert> c = CheckPrincipalRow(impl->anchor_public_key, impl->store_id_bytes,
                                                row);
    if (c.ok()) out.keys_[row.subject].push_back(c->sign_public_key);
    return Status::Ok();
  }));
  return out;
}

Result<std::string> CheckpointSigners::Attribute(std::string_view note) const {
  const std::string prefix = origin_ + "/";
  SSPF_ASSIGN_OR_RETURN(std::vector<std::string> names, NoteKeyNames(note));
  auto opens = [&](const std::string& name, const Bytes& key) {
    if (key.size() != kEd25519PublicKeySize) return false;
    Ed25519PublicKey pk;
    std::copy(key.begin(), key.end(), pk.begin());
    Result<VerifierKey> vk = MakeVerifierKey(name, pk);
    return vk.ok() && OpenCheckpoint(note, *vk, origin_).ok();
  };
  for (const std::string& name : names) {
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string signer = name.substr(prefix.size());
    auto it = keys_.find(signer);
    if (it == keys_.end()) continue;
    for (const Bytes& key : it->second) {
      if (opens(name, key)) return signer;
    }
  }
  return IntegrityViolation(
      "the checkpoint is not signed by any certified principal (the store audit key alone "
      "can be used by every principal)");
}

Status CheckCertifiedState(Session::Impl* impl) {
  Db* db = impl->db.get();
  std::map<std::string, PrincipalCert> principals;  // newest version each
  std::map<std::string, Bytes> actor_keys;          // subject -> public key
  std::map<std::string, Bytes> oversight_keys;      // subject -> public key
  SSPF_RETURN_IF_ERROR(ForEachCert(db, [&](const CertRow& row) -> Status {
    if (row.kind == CertKind::kPrincipal) {
      SSPF_ASSIGN_OR_RETURN(PrincipalCert c, CheckedPrincipalCert(impl, row));
      principals[row.subject] = std::move(c);
      return Status::Ok();
    }
    if (row.kind == CertKind::kActorKey) {
      Result<ActorKeyCert> c = CheckActorKeyRow(impl->anchor_public_key,
                                                impl->store_id_bytes, row);
      if (!c.ok()) {
        return IntegrityViolation("certificates: actor key " + row.subject + ": " +
                                  c.status().message());
      }
      actor_keys[row.subject] = c->public_key;
      return Status::Ok();
    }
    if (row.kind == CertKind::kOversightKey) {
      Result<OversightKeyCert> c = CheckOversightKeyRow(impl->anchor_public_key,
                                                        impl->store_id_bytes, row);
      if (!c.ok()) {
        return IntegrityViolation("certificates: " + row.subject + ": " + c.status().message());
      }
      oversight_keys[row.subject] = c->public_key;
      return Status::Ok();
    }
    return IntegrityViolation("certificates: unknown kind " +
                              std::to_string(static_cast<int>(row.kind)) + " for " +
                              row.subject);
  }));
  SSPF_ASSIGN_OR_RETURN(std::vector<PrincipalRow> rows, AllPrincipals(db));
  for (const PrincipalRow& r : rows) {
    auto it = principals.find(r.info.id);
    const std::string name = "principals row " + r.info.id;
    if (it == principals.end()) return IntegrityViolation(name + " has no certificate");
    const PrincipalCert& c = it->second;
    if (c.name != r.info.name || c.actor != r.info.actor || c.role != r.info.role ||
        c.active != r.info.active || c.box_public_key != r.box_public_key) {
      return IntegrityViolation(name + " differs from its certificate (version " +
                                std::to_string(c.version) + ")");
    }
  }
  bool has_auditor = false;
  for (const auto& [id, c] : principals) has_auditor |= c.role == Role::kAuditor;
  SSPF_ASSIGN_OR_RETURN(Stmt * ov, db->Prepare("SELECT version, public_key FROM oversight_keys "
                                               "ORDER BY version"));
  size_t oversight_rows = 0;
  SSPF_RETURN_IF_ERROR(ForEachRow(ov, [&]() -> Status {
    const std::string subject = OversightKeySubject(ov->Int(0));
    auto it = oversight_keys.find(subject);
    if (it == oversight_keys.end() || it->second != ov->Blob(1)) {
      return IntegrityViolation("oversight_keys row " + subject +
                                (it == oversight_keys.end() ? " has no certificate"
                                                            : " differs from its certificate"));
    }
    ++oversight_rows;
    return Status::Ok();
  }));
  // Without the key, reasons would be sealed to nobody in oversight.
  if (has_auditor && (oversight_rows == 0 || oversight_keys.empty())) {
    return IntegrityViolation("an auditor is certified but the oversight key is missing");
  }
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT actor, version, public_key FROM "
                                               "actor_keys ORDER BY actor, version"));
  return ForEachRow(st, [&]() -> Status {
    const std::string subject = ActorKeySubject(static_cast<Actor>(st->Int(0)), st->Int(1));
    auto it = actor_keys.find(subject);
    if (it == actor_keys.end() || it->second != st->Blob(2)) {
      return IntegrityViolation("actor_keys row " + subject +
                                (it == actor_keys.end() ? " has no certificate"
                                                        : " differs from its certificate"));
    }
    return Status::Ok();
  });
}

}  // namespace sspf::internal
