// Principal management: add, list, disable, change credential.
#include "context/internal_ops.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::Keyring;

namespace {

Result<std::unique_ptr<internal::Txn>> NoBatch(Session::Impl* impl) {
  if (impl->batch) {
    return FailedPrecondition("principal and key changes cannot run inside a batch");
  }
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn,
                        internal::Txn::Begin(impl->db.get()));
  SSPF_RETURN_IF_ERROR(internal::RefreshPrincipal(impl));
  return txn;
}

}  // namespace

Result<std::string> Session::AddPrincipal(std::string_view name, Actor actor,
                                          Role role, const Credential& credential) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn, NoBatch(impl));
  Impl::Scope scope(std::move(txn));
  Impl::EventArgs e;
  e.action = Action::kPrincipalAdd;
  internal::Decision d = internal::DecideFor(impl, internal::Operation::kManagePrincipals);
  SSPF_RETURN_IF_ERROR(internal::DenyUnlessAllowed(impl, scope, d, e));
  SSPF_RETURN_IF_ERROR(internal::ValidPrincipalName(name));
  SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(credential));
  if (!ParseActor(ActorName(actor))) return InvalidArgument("unknown actor");
  if (!ParseRole(RoleName(role))) return InvalidArgument("unknown role");
  if ((role == Role::kAuditor || role == Role::kAdmin) && actor != Actor::kCoordination) {
    // Auditors and admins never see content; they belong to no content actor.
    return InvalidArgument("auditors and admins belong to actor coordination");
  }
  Db* db = impl->db.get();
  {
    SSPF_ASSIGN_OR_RETURN(internal::Stmt * st,
                          db->Prepare("SELECT 1 FROM principals WHERE name = ?"));
    st->Bind(1, name);
    SSPF_ASSIGN_OR_RETURN(bool exists, st->Step());
    st->Reset();
    if (exists) return AlreadyExists("a principal of that name exists");
  }
  SSPF_ASSIGN_OR_RETURN(internal::BoxKeyPair box, internal::NewBoxKeyPair());
  std::string id = internal::RandomId();
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * ins,
      db->Prepare("INSERT INTO principals(id, name, actor, role, active, created, "
                  "box_public_key) VALUES(?,?,?,?,1,?,?)"));
  ins->Bind(1, id).Bind(2, name).Bind(3, static_cast<int64_t>(actor))
      .Bind(4, static_cast<int64_t>(role)).Bind(5, impl->Now())
      .BindBlob(6, box.public_key);
  SSPF_RETURN_IF_ERROR(ins->Run());

  // The first content member of an actor gets a fresh actor key pair; later
  // members receive the existing key from a member (DeliverActorKeys).
  if (role == Role::kMember || role == Role::kCoordinator) {
    SSPF_ASSIGN_OR_RETURN(internal::Stmt * st,
                          db->Prepare("SELECT 1 FROM actor_keys WHERE actor = ?"));
    st->Bind(1, static_cast<int64_t>(actor));
    SSPF_ASSIGN_OR_RETURN(bool has_key, st->Step());
    st->Reset();
    if (!has_key) {
      SSPF_RETURN_IF_ERROR(
          internal::CreateActorKey(db, actor, impl->Now(), id, box.public_key));
    }
  }
  e.target = "principal:" + id;
  e.allowed = true;
  e.reason = d.reason;
  e.basis = std::string("role:") + RoleName(impl->me.role);
  e.detail = "principal=" + id + " actor=" + ActorName(actor) + " role=" + RoleName(role) +
             " active=1";
  SSPF_RETURN_IF_ERROR(impl->Log(e));

  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(impl->KeyringPath()));
  SSPF_RETURN_IF_ERROR(keyring.Verify(impl->root_key));
  SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(impl->store_id_bytes, name),
                                   internal::KindOf(credential),
                                   credential.secret(InsecureSecretAccess::Get()),
                                   impl->options.passphrase_cost, impl->root_key,
                                   &box.secret_key));
  // Keyring first, under the store's write lock: a crash before the commit
  // leaves an entry without a principal, which opens nothing.
  SSPF_RETURN_IF_ERROR(keyring.Save(impl->KeyringPath(), impl->root_key));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Result<std::vector<PrincipalInfo>> Session::ListPrincipals() {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(Impl::Scope scope, impl->Begin());
  Impl::EventArgs e;
  e.action = Action::kPrincipalList;
  e.target = "principals";
  internal::Decision d = internal::DecideFor(impl, internal::Operation::kManagePrincipals);
  if (!d.allowed && impl->me.role != Role::kAuditor) {
    e.reason = d.reason;
    return impl->Deny(scope, e);
  }
  e.allowed = true;
  e.reason = d.allowed ? d.reason : "auditors may list principals to read the log";
  e.basis = std::string("role:") + RoleName(impl->me.role);
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  std::vector<PrincipalInfo> out;
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      impl->db->Prepare("SELECT id, name, actor, role, active, created FROM principals "
                        "ORDER BY name"));
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    PrincipalInfo p;
    p.id = st->Text(0);
    p.name = st->Text(1);
    p.actor = static_cast<Actor>(st->Int(2));
    p.role = static_cast<Role>(st->Int(3));
    p.active = st->Int(4) != 0;
    p.created = st->Int(5);
    out.push_back(std::move(p));
  }
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return out;
}

Status Session::DisablePrincipal(std::string_view name) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn, NoBatch(impl));
  Impl::Scope scope(std::move(txn));
  Impl::EventArgs e;
  e.action = Action::kPrincipalDisable;
  internal::Decision d = internal::DecideFor(impl, internal::Operation::kManagePrincipals);
  SSPF_RETURN_IF_ERROR(internal::DenyUnlessAllowed(impl, scope, d, e));
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(internal::Stmt * st,
                        db->Prepare("SELECT id, active FROM principals WHERE name = ?"));
  st->Bind(1, name);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such principal");
  std::string id = st->Text(0);
  bool active = st->Int(1) != 0;
  st->Reset();
  if (id == impl->me.id) return FailedPrecondition("a principal cannot disable itself");
  if (!active) return FailedPrecondition("the principal is already disabled");
  SSPF_ASSIGN_OR_RETURN(internal::Stmt * up,
                        db->Prepare("UPDATE principals SET active = 0 WHERE id = ?"));
  up->Bind(1, id);
  SSPF_RETURN_IF_ERROR(up->Run());
  // Its copies of actor keys go too; rotating the keys themselves is
  // `key rotate` (see docs/threat-model.md).
  SSPF_ASSIGN_OR_RETURN(internal::Stmt * del,
                        db->Prepare("DELETE FROM actor_key_seals WHERE principal_id = ?"));
  del->Bind(1, id);
  SSPF_RETURN_IF_ERROR(del->Run());
  e.target = "principal:" + id;
  e.allowed = true;
  e.reason = d.reason;
  e.basis = std::string("role:") + RoleName(impl->me.role);
  e.detail = "principal=" + id + " active=0";
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  return scope.Commit();
}

Status Session::ChangeCredential(const Credential& new_credential) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(new_credential));
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn, NoBatch(impl));
  Impl::Scope scope(std::move(txn));
  Impl::EventArgs e;
  e.action = Action::kPassphraseChange;
  e.target = "principal:" + impl->me.id;
  e.allowed = true;
  e.reason = "own credential changed";
  e.basis = "self";
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(impl->KeyringPath()));
  SSPF_RETURN_IF_ERROR(keyring.Verify(impl->root_key));
  SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(impl->store_id_bytes, impl->me.name),
                                   internal::KindOf(new_credential),
                                   new_credential.secret(InsecureSecretAccess::Get()),
                                   impl->options.passphrase_cost, impl->root_key,
                                   &impl->principal_secret_key));
  SSPF_RETURN_IF_ERROR(keyring.Save(impl->KeyringPath(), impl->root_key));
  return scope.Commit();
}

}  // namespace sspf
