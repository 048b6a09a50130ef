// Key rekey: Session::RekeyStore and the finishing steps that any later
// open also runs (session/rekey.h has the protocol).
#include "session/rekey.h"

#include <unistd.h>

#include <algorithm>

#include "context/operation.h"
#include "context/trust.h"
#include "keys/key_hierarchy.h"
#include "storage/principals_table.h"
#include "util/file.h"

namespace sspf {

namespace internal {
namespace {

constexpr char kMetaGeneration[] = "keyring_generation";

Bytes U64Bytes(uint64_t v) {
  Bytes b(8);
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return b;
}

// The generation whose completion the log records (1 for a store that was
// never rekeyed).
Result<uint64_t> LoggedGeneration(Db* db) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT value FROM meta WHERE key = ?"));
  st->Bind(1, kMetaGeneration);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  uint64_t g = 1;
  if (row) {
    Bytes v = st->Blob(0);
    if (v.size() != 8) {
      st->Reset();
      return IntegrityViolation("meta keyring_generation is malformed");
    }
    g = 0;
    for (uint8_t b : v) g = g << 8 | b;
  }
  st->Reset();
  return g;
}

Status SetLoggedGeneration(Db* db, uint64_t g) {
  SSPF_ASSIGN_OR_RETURN(Stmt * del, db->Prepare("DELETE FROM meta WHERE key = ?"));
  del->Bind(1, kMetaGeneration);
  SSPF_RETURN_IF_ERROR(del->Run());
  SSPF_ASSIGN_OR_RETURN(Stmt * ins, db->Prepare("INSERT INTO meta(key, value) VALUES(?, ?)"));
  ins->Bind(1, kMetaGeneration).BindBlob(2, U64Bytes(g));
  return ins->Run();
}

// A store.rekey event outside the decision runner: the decision was the
// admin's "begun" event; these record what happened after it.  With a
// completed generation, logs it once (and records it in meta).
Status LogRekey(Session::Impl* impl, const std::string& reason,
                std::optional<uint64_t> completed) {
  SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
  SSPF_ASSIGN_OR_RETURN(uint64_t logged, LoggedGeneration(impl->db.get()));
  if (!completed || logged < *completed) {
    Session::Impl::EventArgs e;
    e.action = Action::kStoreRekey;
    e.target = "store:" + impl->store_id;
    e.allowed = true;
    e.reason = reason;
    e.basis = "key-rekey";
    SSPF_RETURN_IF_ERROR(impl->Log(e));
    if (completed) SSPF_RETURN_IF_ERROR(SetLoggedGeneration(impl->db.get(), *completed));
  }
  return scope.Commit();
}

}  // namespace

Status FinishRekey(Session::Impl* impl, const Keyring& next, SecretBytes next_root,
                   bool rekeyed_already, bool exclusive_held, const std::string& reason) {
  Db* db = impl->db.get();
  if (!rekeyed_already) {
    if (!exclusive_held) SSPF_RETURN_IF_ERROR(db->TakeExclusive());
    SSPF_ASSIGN_OR_RETURN(SecretBytes db_key, Subkey(next_root, kSubkeySqlcipher));
    Status s = db->Rekey(db_key);
    if (!s.ok()) {
      db->ReleaseExclusive().IgnoreError();
      return s;
    }
    exclusive_held = true;
  }
  impl->root_key = std::move(next_root);
  impl->keyring_generation = next.generation();
  if (exclusive_held) SSPF_RETURN_IF_ERROR(db->ReleaseExclusive());
  SSPF_RETURN_IF_ERROR(LogRekey(impl, reason, next.generation()));
  // The same bytes, atomically, under the keyring's name; then the next
  // file goes (a crash in between leaves a next keyring of the current
  // generation, which the next open removes).
  SSPF_RETURN_IF_ERROR(next.Save(impl->KeyringPath(), impl->root_key));
  ::unlink(NextKeyringPath(impl->options.path).c_str());
  return Status::Ok();
}

}  // namespace internal

using internal::Keyring;
using internal::Op;
using internal::OpSpec;
using internal::Operation;

Result<RekeyResult> Session::RekeyStore(
    const std::function<Status(const SecretBytes& recovery_key)>& keep_recovery_key,
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  Impl* impl = impl_.get();
  constexpr uint64_t kSteps = 3;
  auto report = [&](uint64_t done) {
    if (progress) progress(done, kSteps);
  };
  if (!keep_recovery_key) {
    return InvalidArgument("a rekey needs somewhere to keep the new recovery key");
  }
  if (impl->batch) return FailedPrecondition("a rekey cannot run inside a batch");
  SSPF_RETURN_IF_ERROR(internal::RefuseWhilePendingRekey(impl->options.path));
  internal::Db* db = impl->db.get();
  // Alone with the store from here to the end: nobody can write the
  // keyring or the database under the old key meanwhile.
  SSPF_RETURN_IF_ERROR(db->TakeExclusive());
  bool exclusive = true;
  auto release = [&] {
    if (exclusive) db->ReleaseExclusive().IgnoreError();
    exclusive = false;
  };

  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(impl->KeyringPath()));
  const uint64_t generation = keyring.generation() + 1;
  std::vector<std::pair<internal::Bytes, internal::Bytes>> recipients;  // tag, box key
  OpSpec spec{Operation::kManageKeys, Action::kStoreRekey, "store:" + impl->store_id};
  Status decided = internal::RunOperation(impl, spec, {}, [&](Op& op) -> Status {
    if (impl->authority_secret_key.empty()) {
      return FailedPrecondition("this session does not hold the store authority key "
                                "(only an active admin's does)");
    }
    SSPF_RETURN_IF_ERROR(keyring.Verify(impl->root_key));
    SSPF_ASSIGN_OR_RETURN(std::vector<internal::PrincipalRow> rows,
                          internal::AllPrincipals(impl->db.get()));
    size_t refused = 0;
    for (const internal::PrincipalRow& row : rows) {
      // The certified box key, never the table's (an insider may have
      // swapped that one).
      // Only the certificate in force (by the log's membership events): a
      // former member who deleted her "disabled" certificate gets nothing.
      Result<internal::PrincipalCert> in_force = internal::CertifiedPrincipal(impl, row.info.id);
      if (!in_force.ok()) {
        if (in_force.status().code() != StatusCode::kIntegrityViolation) {
          return in_force.status();
        }
        ++refused;
        continue;
      }
      const internal::PrincipalCert& cert = *in_force;
      if (!cert.active) continue;
      internal::Bytes tag = Keyring::PrincipalTag(impl->store_id_bytes, cert.name);
      if (!keyring.Has(tag)) continue;
      recipients.emplace_back(std::move(tag), cert.box_public_key);
    }
    op.event.reason += " begun: keyring generation " + std::to_string(generation) + " for " +
                       std::to_string(recipients.size()) + " principals";
    if (refused > 0) {
      op.event.reason += " (" + std::to_string(refused) +
                         " refused: certificate not the one in force)";
    }
    return Status::Ok();
  });
  if (!decided.ok()) {
    release();
    return decided;
  }

  // Build the next keyring: the entries of active principals with the new
  // root key sealed to their certified keys; nothing else wraps a root key.
  SSPF_ASSIGN_OR_RETURN(SecretBytes new_root, SecretBytes::Random(internal::kKeySize));
  SSPF_ASSIGN_OR_RETURN(SecretBytes recovery, SecretBytes::Random(internal::kKeySize));
  const internal::RootSecrets roots{&new_root, &impl->data_key};
  Keyring next = keyring;
  next.set_generation(generation);
  auto build = [&]() -> Status {
    next.DropEntriesWithRootsInside();
    for (const internal::Bytes& tag : keyring.PrincipalTags()) {
      auto it = std::find_if(recipients.begin(), recipients.end(),
                             [&](const auto& r) { return r.first == tag; });
      if (it == recipients.end()) {
        next.Remove(tag);  // no active certified principal: nothing for it
        continue;
      }
      SSPF_RETURN_IF_ERROR(next.ResealRoots(tag, it->second, roots));
    }
    internal::EntrySecrets recovery_secrets;
    recovery_secrets.authority_secret_key = &impl->authority_secret_key;
    recovery_secrets.anchor_public_key = impl->anchor_public_key;
    SSPF_RETURN_IF_ERROR(next.Put(Keyring::RecoveryTag(impl->store_id_bytes),
                                  internal::WrapKind::kRecovery, recovery,
                                  impl->options.passphrase_cost, roots, recovery_secrets));
    SSPF_RETURN_IF_ERROR(next.SignRoots(impl->authority_secret_key, roots));
    // The next keyring takes its name only once the new recovery key is
    // kept: a crash before that leaves a temporary file that no open reads
    // (the old keys stay in force); a crash after it is finished by the
    // next open, so the key that was kept is the one that counts.
    return next.Save(internal::NextKeyringPath(impl->options.path), new_root, [&] {
      report(1);
      SSPF_RETURN_IF_ERROR(keep_recovery_key(recovery));
      report(2);
      return Status::Ok();
    });
  };
  Status built = build();
  if (!built.ok()) {
    ::unlink(internal::AtomicWriteTempPath(internal::NextKeyringPath(impl->options.path)).c_str());
    ::unlink(internal::NextKeyringPath(impl->options.path).c_str());
    release();
    internal::LogRekey(impl,
                       std::string("store rekey abandoned before the database changed: ") +
                           StatusCodeName(built.code()),
                       std::nullopt)
        .IgnoreError();
    return built;
  }
  exclusive = false;  // FinishRekey releases it
  SSPF_RETURN_IF_ERROR(internal::FinishRekey(
      impl, next, std::move(new_root), /*rekeyed_already=*/false, /*exclusive_held=*/true,
      "store rekey completed: keyring generation " + std::to_string(generation)));
  report(3);
  RekeyResult result;
  result.generation = generation;
  result.principals = recipients.size();
  return result;
}

}  // namespace sspf
