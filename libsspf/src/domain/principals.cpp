// Principal management: add, list, disable, change credential; the first
// key pair of an actor.
#include <algorithm>

#include "domain/domain_internal.h"
#include "context/trust.h"
#include "storage/certificates_table.h"
#include "storage/principals_table.h"
#include "util/encoding.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::EncodeDetail;
using internal::Keyring;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {
// Creates the first key pair of an actor and seals it to one principal.
Status CreateActorKey(Session::Impl* impl, Actor a, const std::string& principal_id,
                      const Bytes& principal_pk) {
  Db* db = impl->db.get();
  const UnixSeconds now = impl->Now();
  SSPF_ASSIGN_OR_RETURN(BoxKeyPair kp, NewBoxKeyPair());
  SSPF_RETURN_IF_ERROR(CertifyActorKey(impl, a, 1, kp.public_key));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st,
      db->Prepare("INSERT INTO actor_keys(actor, version, public_key, created) "
                  "VALUES(?, 1, ?, ?)"));
  st->Bind(1, static_cast<int64_t>(a)).BindBlob(2, kp.public_key).Bind(3, now);
  SSPF_RETURN_IF_ERROR(st->Run());
  return InsertActorKeySeal(db, a, 1, principal_id,
                            SealActorKey(a, 1, kp.secret_key, principal_pk));
}

Status InsertActorKeySeal(Db* db, Actor a, int64_t version, const std::string& principal_id,
                          const Bytes& sealed) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins,
      db->Prepare("INSERT INTO actor_key_seals(actor, version, principal_id, sealed) "
                  "VALUES(?,?,?,?)"));
  ins->Bind(1, static_cast<int64_t>(a)).Bind(2, version).Bind(3, principal_id)
      .BindBlob(4, sealed);
  return ins->Run();
}
}  // namespace internal

namespace {

constexpr char kNotInBatch[] = "principal and key changes cannot run inside a batch";

// Wraps the root key for a principal under its credential in the keyring
// file (after the event is appended, before the commit: a crash in between
// leaves an entry without a principal, which opens nothing).
Status PutKeyring(Session::Impl* impl, std::string_view name, const Credential& credential,
                  const SecretBytes* box_secret_key, const SecretBytes* signing_secret_key) {
  internal::EntrySecrets secrets;
  secrets.box_secret_key = box_secret_key;
  secrets.signing_secret_key = signing_secret_key;
  secrets.anchor_public_key = impl->anchor_public_key;
  SSPF_RETURN_IF_ERROR(internal::RefuseWhilePendingRekey(impl->options.path));
  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(impl->KeyringPath()));
  SSPF_RETURN_IF_ERROR(keyring.Verify(impl->root_key));
  SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(impl->store_id_bytes, name),
                                   internal::KindOf(credential),
                                   credential.secret(InsecureSecretAccess::Get()),
                                   impl->options.passphrase_cost, impl->Roots(), secrets));
  return keyring.Save(impl->KeyringPath(), impl->root_key);
}

}  // namespace

Result<std::string> Session::AddPrincipal(std::string_view name, Actor actor,
                                          Role role, const Credential& credential) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kManagePrincipals, Action::kPrincipalAdd};
  spec.refused_in_batch = kNotInBatch;
  std::optional<internal::BoxKeyPair> box;
  std::optional<internal::SignKeyPair> sign;
  return internal::RunOperationFor<std::string>(impl, spec, {}, [&](Op& op)
                                                    -> Result<std::string> {
    SSPF_RETURN_IF_ERROR(internal::ValidPrincipalName(name));
    SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(credential));
    if (!ParseActor(ActorName(actor))) return InvalidArgument("unknown actor");
    if (!ParseRole(RoleName(role))) return InvalidArgument("unknown role");
    if ((role == Role::kAuditor || role == Role::kAdmin) && actor != Actor::kCoordination) {
      // Auditors and admins never see content; they belong to no content actor.
      return InvalidArgument("auditors and admins belong to actor coordination");
    }
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(auto existing, internal::PrincipalByName(db, name));
    if (existing) return AlreadyExists("a principal of that name exists");
    SSPF_ASSIGN_OR_RETURN(box, internal::NewBoxKeyPair());
    SSPF_ASSIGN_OR_RETURN(sign, internal::NewSignKeyPair());
    internal::PrincipalRow row;
    row.info.id = internal::RandomId();
    row.info.name = std::string(name);
    row.info.actor = actor;
    row.info.role = role;
    row.info.created = impl->Now();
    row.box_public_key = box->public_key;
    SSPF_RETURN_IF_ERROR(internal::InsertPrincipal(db, row));
    const std::string& id = row.info.id;
    internal::PrincipalCert cert;
    cert.principal_id = id;
    cert.name = row.info.name;
    cert.actor = actor;
    cert.role = role;
    cert.box_public_key = box->public_key;
    cert.sign_public_key = sign->public_key;
    SSPF_RETURN_IF_ERROR(internal::CertifyPrincipal(impl, cert));
    if (role == Role::kAdmin) {
      SSPF_RETURN_IF_ERROR(internal::SealAuthorityTo(impl, id, box->public_key));
    }
    // The first auditor gets a fresh oversight key (DESIGN §13); later
    // auditors receive it from an auditor at their first unlock.
    if (role == Role::kAuditor) {
      SSPF_RETURN_IF_ERROR(internal::EnsureOversightKey(impl, id, box->public_key));
    }
    // The first content member of an actor gets a fresh actor key pair; later
    // members receive the existing key from a member (DeliverActorKeys).
    if (role == Role::kMember || role == Role::kCoordinator) {
      SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT 1 FROM actor_keys WHERE actor = ?"));
      st->Bind(1, static_cast<int64_t>(actor));
      SSPF_ASSIGN_OR_RETURN(bool has_key, st->Step());
      st->Reset();
      if (!has_key) {
        SSPF_RETURN_IF_ERROR(
            internal::CreateActorKey(impl, actor, id, box->public_key));
      }
    }
    op.event.target = "principal:" + id;
    op.event.detail =
        EncodeDetail(Action::kPrincipalAdd, {id, ActorName(actor), RoleName(role), "1",
                                             internal::HexEncode(box->public_key),
                                             internal::HexEncode(sign->public_key)});
    op.after_log = [&] {
      return PutKeyring(impl, name, credential, &box->secret_key, &sign->secret_key);
    };
    return id;
  });
}

Result<std::vector<PrincipalInfo>> Session::ListPrincipals() {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kListPrincipals, Action::kPrincipalList, "principals"};
  return internal::RunOperationFor<std::vector<PrincipalInfo>>(impl, spec, {}, [&](Op&)
      -> Result<std::vector<PrincipalInfo>> {
    SSPF_ASSIGN_OR_RETURN(std::vector<internal::PrincipalRow> rows,
                          internal::AllPrincipals(impl->db.get()));
    std::vector<PrincipalInfo> out;
    for (internal::PrincipalRow& r : rows) out.push_back(std::move(r.info));
    return out;
  });
}

Result<std::vector<StaffMember>> Session::ListStaff(std::optional<Actor> actor) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kListStaff, Action::kStaffList,
              actor ? std::string("staff:") + ActorName(*actor) : std::string("staff")};
  return internal::RunOperationFor<std::vector<StaffMember>>(impl, spec, {}, [&](Op& op)
      -> Result<std::vector<StaffMember>> {
    SSPF_ASSIGN_OR_RETURN(std::vector<internal::PrincipalRow> rows,
                          internal::AllPrincipals(impl->db.get()));
    std::vector<StaffMember> out;
    for (const internal::PrincipalRow& r : rows) {
      if (!r.info.active) continue;
      // Actor, role and status as certified: a row edit adds no one.
      SSPF_ASSIGN_OR_RETURN(internal::PrincipalCert cert,
                            internal::CertifiedPrincipal(impl, r.info.id));
      if (cert.actor != r.info.actor || cert.role != r.info.role || !cert.active ||
          cert.name != r.info.name) {
        return IntegrityViolation("principal " + r.info.id +
                                  ": its row differs from its certificate (direct edit)");
      }
      if (cert.role != Role::kMember && cert.role != Role::kCoordinator) continue;
      if (actor && cert.actor != *actor) continue;
      out.push_back({r.info.id, r.info.name, cert.actor, cert.role});
    }
    std::sort(out.begin(), out.end(), [](const StaffMember& a, const StaffMember& b) {
      return a.actor != b.actor ? a.actor < b.actor : a.name < b.name;
    });
    op.event.reason += " (" + std::to_string(out.size()) + " staff)";
    return out;
  });
}

Status Session::DisablePrincipal(std::string_view name) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kManagePrincipals, Action::kPrincipalDisable};
  spec.refused_in_batch = kNotInBatch;
  return internal::RunOperation(impl, spec, {}, [&](Op& op) -> Status {
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(auto target, internal::PrincipalByName(db, name));
    if (!target) return NotFound("no such principal");
    const std::string id = target->info.id;
    op.event.target = "principal:" + id;
    if (id == impl->me.id) return FailedPrecondition("a principal cannot disable itself");
    if (!target->info.active) return FailedPrecondition("the principal is already disabled");
    SSPF_ASSIGN_OR_RETURN(internal::PrincipalCert cert, internal::CertifiedPrincipal(impl, id));
    cert.active = false;
    SSPF_RETURN_IF_ERROR(internal::CertifyPrincipal(impl, cert));
    SSPF_RETURN_IF_ERROR(internal::DisablePrincipalRow(db, id));
    SSPF_RETURN_IF_ERROR(internal::DeleteAuthoritySeal(db, id));
    // Its copies of actor keys go too; rotating the keys themselves is
    // `key rotate` (see docs/threat-model.md).
    SSPF_RETURN_IF_ERROR(internal::DeletePrincipalSeals(db, id));
    op.event.detail = EncodeDetail(Action::kPrincipalDisable, {id, "0"});
    // Its keyring entry goes too: its passphrase no longer unwraps the root
    // key from the live keyring (a copy made earlier needs `key rekey`).
    op.after_log = [impl, name = std::string(name)] {
      SSPF_RETURN_IF_ERROR(internal::RefuseWhilePendingRekey(impl->options.path));
      SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(impl->KeyringPath()));
      SSPF_RETURN_IF_ERROR(keyring.Verify(impl->root_key));
      keyring.Disable(Keyring::PrincipalTag(impl->store_id_bytes, name));
      return keyring.Save(impl->KeyringPath(), impl->root_key);
    };
    return Status::Ok();
  });
}

Result<int64_t> Session::RotateActorKey(Actor a) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kManageKeys, Action::kKeyRotate,
              std::string("actor:") + ActorName(a)};
  spec.refused_in_batch = kNotInBatch;
  return internal::RunOperationFor<int64_t>(impl, spec, {}, [&](Op& op) -> Result<int64_t> {
    if (!ParseActor(ActorName(a))) return InvalidArgument("unknown actor");
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db->Prepare("SELECT MAX(version) FROM actor_keys WHERE actor = ?"));
    st->Bind(1, static_cast<int64_t>(a));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    const bool has_key = row && !st->IsNull(0);
    const int64_t version = has_key ? st->Int(0) + 1 : 1;
    st->Reset();
    if (!has_key) {
      return FailedPrecondition("the actor has no key yet (add a member of that actor first)");
    }
    // Rotates from the version in force, never from a deleted newest one.
    SSPF_ASSIGN_OR_RETURN(int64_t in_force, internal::ActorKeyVersionInForce(impl, a));
    if (version != in_force + 1) {
      return IntegrityViolation(std::string("actor key of ") + ActorName(a) + ": the newest " +
                                "version is " + std::to_string(version - 1) + " but the " +
                                "access log rotated it to version " + std::to_string(in_force));
    }
    // The active content members of a, each by its newest certificate (a
    // principal row edited by an insider gains nothing).
    std::vector<std::string> ids;
    SSPF_ASSIGN_OR_RETURN(Stmt * members,
                          db->Prepare("SELECT id FROM principals WHERE actor = ? AND "
                                      "active = 1 AND role IN (1, 2) ORDER BY id"));
    members->Bind(1, static_cast<int64_t>(a));
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool more, members->Step());
      if (!more) break;
      ids.push_back(members->Text(0));
    }
    members->Reset();
    std::vector<std::pair<std::string, Bytes>> recipients;
    for (const std::string& id : ids) {
      SSPF_ASSIGN_OR_RETURN(internal::PrincipalCert cert,
                            internal::CertifiedPrincipal(impl, id));
      if (!cert.active || cert.actor != a ||
          (cert.role != Role::kMember && cert.role != Role::kCoordinator)) {
        continue;
      }
      recipients.emplace_back(id, cert.box_public_key);
    }
    if (recipients.empty()) {
      return FailedPrecondition("the actor has no active member to hold a new key");
    }
    // The new secret lives only in this scope; SecretBytes wipes it.
    SSPF_ASSIGN_OR_RETURN(internal::BoxKeyPair kp, internal::NewBoxKeyPair());
    SSPF_RETURN_IF_ERROR(internal::CertifyActorKey(impl, a, version, kp.public_key));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * ins,
        db->Prepare("INSERT INTO actor_keys(actor, version, public_key, created) "
                    "VALUES(?, ?, ?, ?)"));
    ins->Bind(1, static_cast<int64_t>(a)).Bind(2, version).BindBlob(3, kp.public_key)
        .Bind(4, impl->Now());
    SSPF_RETURN_IF_ERROR(ins->Run());
    for (const auto& [id, box] : recipients) {
      SSPF_RETURN_IF_ERROR(internal::InsertActorKeySeal(
          db, a, version, id, internal::SealActorKey(a, version, kp.secret_key, box)));
    }
    op.event.reason += " (" + std::to_string(recipients.size()) + " members)";
    std::vector<std::string> member_ids;
    for (const auto& r : recipients) member_ids.push_back(r.first);
    op.event.detail = EncodeDetail(Action::kKeyRotate, {ActorName(a), std::to_string(version),
                                                        internal::DetailList(member_ids)});
    return version;
  });
}

Status Session::ChangeCredential(const Credential& new_credential) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(new_credential));
  OpSpec spec{Operation::kChangeOwnCredential, Action::kPassphraseChange,
              "principal:" + impl->me.id};
  spec.refused_in_batch = kNotInBatch;
  return internal::RunOperation(impl, spec, {}, [&](Op& op) -> Status {
    op.after_log = [&] {
      return PutKeyring(impl, impl->me.name, new_credential, &impl->principal_secret_key,
                        &impl->signing_secret_key);
    };
    return Status::Ok();
  });
}

}  // namespace sspf
