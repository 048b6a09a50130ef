// The plumbing of every operation: transactions and batches, the principal
// re-check, the access request, logging and denial, actor keys.
#include <sodium.h>

#include "context/internal_ops.h"
#include "keys/key_hierarchy.h"
#include "log/audit_log.h"
#include "util/text.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::Stmt;
using internal::ActorSealAd;

namespace internal {
AccessRequest RequestFor(const Session::Impl* impl, Operation op) {
  AccessRequest r;
  r.op = op;
  r.principal_active = impl->me.active;
  r.actor = impl->me.actor;
  r.role = impl->me.role;
  return r;
}

Decision DecideFor(const Session::Impl* impl, Operation op) {
  return Decide(RequestFor(impl, op));
}

Status DenyUnlessAllowed(Session::Impl* impl, Session::Impl::Scope& scope, const Decision& d,
                         Session::Impl::EventArgs& e) {
  if (d.allowed) return Status::Ok();
  e.reason = d.reason;
  return impl->Deny(scope, e, d.code == StatusCode::kConsentRequired);
}

// Creates the first key pair of an actor and seals it to one principal.
Status CreateActorKey(Db* db, Actor a, UnixSeconds now,
                      const std::string& principal_id, const Bytes& principal_pk) {
  SSPF_ASSIGN_OR_RETURN(BoxKeyPair kp, NewBoxKeyPair());
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st,
      db->Prepare("INSERT INTO actor_keys(actor, version, public_key, created) "
                  "VALUES(?, 1, ?, ?)"));
  st->Bind(1, static_cast<int64_t>(a)).BindBlob(2, kp.public_key).Bind(3, now);
  SSPF_RETURN_IF_ERROR(st->Run());
  Bytes sealed = SealActorKey(a, 1, kp.secret_key, principal_pk);
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins,
      db->Prepare("INSERT INTO actor_key_seals(actor, version, principal_id, sealed) "
                  "VALUES(?,?,?,?)"));
  ins->Bind(1, static_cast<int64_t>(a)).Bind(2, int64_t{1}).Bind(3, principal_id)
      .BindBlob(4, sealed);
  return ins->Run();
}
}  // namespace internal

Result<Session::Impl::Scope> Session::Impl::Begin() {
  if (batch) {
    SSPF_RETURN_IF_ERROR(internal::RefreshPrincipal(this));
    return Scope();
  }
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn,
                        internal::Txn::Begin(db.get()));
  SSPF_RETURN_IF_ERROR(internal::RefreshPrincipal(this));
  return Scope(std::move(txn));
}

namespace internal {
Status RefreshPrincipal(Session::Impl* impl) {
  if (!impl->refresh_principal) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        impl->db->Prepare("SELECT active, role FROM principals WHERE id = ?"));
  st->Bind(1, impl->me.id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  bool active = row && st->Int(0) != 0;
  if (row) impl->me.role = static_cast<Role>(st->Int(1));
  st->Reset();
  impl->me.active = active;
  if (!active) {
    impl->actor_keys.clear();
    impl->actor_public_keys.clear();
  }
  return Status::Ok();
}
}  // namespace internal

Status Session::Impl::Log(const EventArgs& a) {
  internal::EventRecord e;
  e.time = Now();
  e.principal_id = me.id;
  e.actor = me.actor;
  e.role = me.role;
  e.action = a.action;
  e.target = a.target;
  e.allowed = a.allowed;
  e.reason = a.reason;
  e.basis = a.basis;
  e.purpose = a.purpose;
  e.case_id = a.case_id;
  e.subject_id = a.subject_id;
  e.detail = a.detail;
  SSPF_RETURN_IF_ERROR(internal::AppendEvent(db.get(), &e));
  return internal::MaybeAutoCheckpoint(db.get(), Signer(), Now(), e.seq + 1);
}

Status Session::Impl::Deny(Scope& scope, EventArgs e, bool consent_missing) {
  e.allowed = false;
  std::string reason = e.reason;
  SSPF_RETURN_IF_ERROR(Log(e));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return consent_missing ? ConsentRequired("denied: " + reason)
                         : PermissionDenied("denied: " + reason);
}

Status Session::Impl::CheckText(std::string_view what, std::string_view text,
                                bool required) const {
  std::string w(what);
  if (required && text.empty()) return InvalidArgument(w + " is required");
  if (text.size() > options.max_text_bytes) {
    return InvalidArgument(w + " is too long (at most " +
                           std::to_string(options.max_text_bytes) + " bytes)");
  }
  // UTF-8 validation (no overlongs, no surrogates), no control characters.
  switch (internal::CheckUtf8(text, [](uint32_t cp) {
    return (cp < 0x20 && cp != '\t') || cp == 0x7f;
  })) {
    case internal::Utf8Check::kOk: break;
    case internal::Utf8Check::kInvalid: return InvalidArgument(w + " is not valid UTF-8");
    case internal::Utf8Check::kForbidden:
      return InvalidArgument(w + " contains a control character or NUL");
  }
  return Status::Ok();
}

Result<const SecretBytes*> Session::Impl::ActorKey(Actor actor, int64_t version) {
  auto key = std::make_pair(actor, version);
  auto it = actor_keys.find(key);
  if (it != actor_keys.end()) return &it->second;
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT s.sealed, k.public_key FROM actor_key_seals s "
                  "JOIN actor_keys k ON k.actor = s.actor AND k.version = s.version "
                  "WHERE s.actor = ? AND s.version = ? AND s.principal_id = ?"));
  st->Bind(1, static_cast<int64_t>(actor)).Bind(2, version).Bind(3, me.id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return PermissionDenied(std::string("this principal holds no key of actor ") +
                            ActorName(actor) +
                            " (a member of that actor must unlock once to deliver it)");
  }
  Bytes sealed = st->Blob(0);
  Bytes actor_pk = st->Blob(1);
  st->Reset();
  SSPF_ASSIGN_OR_RETURN(SecretBytes plain,
                        internal::SealOpen(principal_public_key, principal_secret_key, sealed));
  Bytes ad = ActorSealAd(actor, version);
  if (plain.size() != ad.size() + internal::kBoxSecretKeySize ||
      sodium_memcmp(plain.data(InsecureSecretAccess::Get()), ad.data(), ad.size()) != 0) {
    return IntegrityViolation("actor key seal is bound to another actor or version");
  }
  SSPF_ASSIGN_OR_RETURN(
      SecretBytes sk,
      SecretBytes::Copy(plain.data(InsecureSecretAccess::Get()) + ad.size(),
                        internal::kBoxSecretKeySize));
  // The unsealed key must match the published public key.
  Bytes derived(internal::kBoxPublicKeySize);
  crypto_scalarmult_base(derived.data(), sk.data(InsecureSecretAccess::Get()));
  if (derived != actor_pk) return IntegrityViolation("actor key does not match its public key");
  actor_public_keys[key] = actor_pk;
  auto ins = actor_keys.emplace(key, std::move(sk));
  return &ins.first->second;
}

Status Session::Impl::DeliverActorKeys() {
  if (me.role != Role::kMember && me.role != Role::kCoordinator) return Status::Ok();
  // Members of my actor (content roles) lacking a seal of a version I hold.
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT p.id, p.box_public_key, k.version FROM principals p "
                  "JOIN actor_keys k ON k.actor = p.actor "
                  "JOIN actor_key_seals mine ON mine.actor = k.actor AND "
                  "  mine.version = k.version AND mine.principal_id = ? "
                  "WHERE p.actor = ? AND p.active = 1 AND p.role IN (1, 2) AND "
                  "NOT EXISTS (SELECT 1 FROM actor_key_seals s WHERE s.actor = k.actor "
                  "  AND s.version = k.version AND s.principal_id = p.id)"));
  st->Bind(1, me.id).Bind(2, static_cast<int64_t>(me.actor));
  struct Pending {
    std::string id;
    Bytes pk;
    int64_t version;
  };
  std::vector<Pending> pending;
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    pending.push_back({st->Text(0), st->Blob(1), st->Int(2)});
  }
  st->Reset();
  if (pending.empty()) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(Scope scope, Begin());
  for (const Pending& p : pending) {
    SSPF_ASSIGN_OR_RETURN(const SecretBytes* sk, ActorKey(me.actor, p.version));
    Bytes sealed = internal::SealActorKey(me.actor, p.version, *sk, p.pk);
    SSPF_ASSIGN_OR_RETURN(
        internal::Stmt * ins,
        db->Prepare("INSERT OR IGNORE INTO actor_key_seals(actor, version, "
                    "principal_id, sealed) VALUES(?,?,?,?)"));
    ins->Bind(1, static_cast<int64_t>(me.actor)).Bind(2, p.version).Bind(3, p.id)
        .BindBlob(4, sealed);
    SSPF_RETURN_IF_ERROR(ins->Run());
    EventArgs e;
    e.action = Action::kActorKeyDeliver;
    e.target = "principal:" + p.id;
    e.allowed = true;
    e.reason = "actor key delivered to a member of the same actor";
    e.basis = "actor-member";
    SSPF_RETURN_IF_ERROR(Log(e));
  }
  return scope.Commit();
}

}  // namespace sspf
