// Store creation, unlocking and recovery; Session's own methods (batches).
#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "log/audit_log.h"
#include "log/checkpoint.h"
#include "context/operation.h"
#include "context/session_impl.h"
#include "crypto/sodium_init.h"
#include "keys/credential.h"
#include "keys/key_hierarchy.h"
#include "log/replay_detail.h"
#include "util/encoding.h"
#include "util/file.h"
#include "util/text.h"
#include "session/rekey.h"
#include "session/unlock_failures.h"
#include "context/trust.h"
#include "storage/certificates_table.h"
#include "storage/principals_table.h"
#include "storage/schema.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::Keyring;
using internal::WrapKind;
using internal::AuditWrapAd;
using internal::Subkey;
using internal::kSubkeyAuditWrap;
using internal::kSubkeyIdentity;
using internal::kSubkeyLookup;
using internal::kSubkeySqlcipher;


namespace {
using internal::KindOf;

bool FileExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool IsSymlink(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

// A store or keyring reached through a symbolic link could be another
// file than the operator thinks (one planted by another local user).
Status RefuseSymlinks(const std::string& path) {
  if (IsSymlink(path)) {
    return InvalidArgument("the store path is a symbolic link; give the real path");
  }
  if (IsSymlink(path + ".keyring")) {
    return InvalidArgument(
        "the keyring path (<store>.keyring) is a symbolic link; give the real path");
  }
  return Status::Ok();
}

void RemoveStoreFiles(const std::string& path) {
  for (const char* suffix :
       {"", "-wal", "-shm", "-journal", ".keyring", ".keyring.next", ".unlock-failures"}) {
    ::unlink((path + suffix).c_str());
  }
}

}  // namespace

// ---- Session plumbing ----------------------------------------------------

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

const PrincipalInfo& Session::principal() const { return impl_->me; }
const std::string& Session::store_id() const { return impl_->store_id; }

Status Session::BeginBatch() {
  if (impl_->batch) return FailedPrecondition("a batch is already open");
  SSPF_ASSIGN_OR_RETURN(impl_->batch, internal::Txn::Begin(impl_->db.get()));
  impl_->batch_memo.Clear();
  return Status::Ok();
}

Status Session::CommitBatch() {
  if (!impl_->batch) return FailedPrecondition("no batch is open");
  std::unique_ptr<internal::Txn> txn = std::move(impl_->batch);
  impl_->batch_memo.Clear();
  impl_->batch_memo_usable = false;
  return txn->Commit();
}

void Session::AbortBatch() {
  impl_->batch.reset();
  impl_->batch_memo.Clear();
  impl_->batch_memo_usable = false;
}

// ---- Store ------------------------------------------------------------------

namespace {

struct Opened {
  std::unique_ptr<Session::Impl> impl;
  Keyring keyring;
};

// Opens the database with an unwrapped root key and loads the store-wide
// keys.  Does not look at principals.
Status OpenWithRoot(Session::Impl* impl, const Keyring& keyring, bool create) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes db_key, Subkey(impl->root_key, kSubkeySqlcipher));
  SSPF_ASSIGN_OR_RETURN(impl->db, Db::Open(impl->options.path, db_key, create));
  SSPF_RETURN_IF_ERROR(internal::Migrate(impl->db.get()));
  SSPF_ASSIGN_OR_RETURN(impl->lookup_key, Subkey(impl->data_key, kSubkeyLookup));
  SSPF_ASSIGN_OR_RETURN(impl->identity_key, Subkey(impl->data_key, kSubkeyIdentity));
  impl->keyring_generation = keyring.generation();
  impl->store_id_bytes = keyring.store_id();
  impl->store_id = internal::HexEncode(keyring.store_id());
  if (create) return Status::Ok();

  SSPF_ASSIGN_OR_RETURN(internal::Stmt * st,
                        impl->db->Prepare("SELECT key, value FROM meta"));
  Bytes stored_id, audit_pk, audit_wrapped;
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    std::string k = st->Text(0);
    if (k == "store_id") stored_id = st->Blob(1);
    if (k == "audit_public_key") audit_pk = st->Blob(1);
    if (k == "audit_secret_key") audit_wrapped = st->Blob(1);
  }
  st->Reset();
  if (stored_id != keyring.store_id()) {
    return IntegrityViolation("the keyring belongs to another store");
  }
  SSPF_ASSIGN_OR_RETURN(SecretBytes wrap_key, Subkey(impl->data_key, kSubkeyAuditWrap));
  SSPF_ASSIGN_OR_RETURN(impl->audit_secret_key,
                        internal::AeadOpenSecret(wrap_key, audit_wrapped,
                                                 AuditWrapAd(stored_id)));
  impl->audit_public_key = audit_pk;
  return Status::Ok();
}

Result<PrincipalInfo> LoadPrincipal(Db* db, std::string_view name, Bytes* pk) {
  SSPF_ASSIGN_OR_RETURN(auto row, internal::PrincipalByName(db, name));
  if (!row) return WrongKey("wrong passphrase or not an sspf store");
  *pk = std::move(row->box_public_key);
  return std::move(row->info);
}

Status CheckStoreFiles(const std::string& path) {
  if (path.empty()) return InvalidArgument("no store path given");
  SSPF_RETURN_IF_ERROR(RefuseSymlinks(path));
  if (!FileExists(path)) {
    return NotFound("no store at this path (create one with init)");
  }
  return Status::Ok();
}

}  // namespace

Result<InitResult> Store::Create(const StoreOptions& options,
                                 std::string_view admin_name,
                                 const Credential& credential) {
  SSPF_RETURN_IF_ERROR(internal::EnsureSodium());
  SSPF_RETURN_IF_ERROR(internal::ValidPrincipalName(admin_name));
  SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(credential));
  SSPF_RETURN_IF_ERROR(ValidateConsentPolicy(options.consent_policy));
  SSPF_RETURN_IF_ERROR(ValidateLegalProvisions(options.legal_provisions));
  if (options.path.empty()) return InvalidArgument("no store path given");
  SSPF_RETURN_IF_ERROR(RefuseSymlinks(options.path));
  const std::string keyring_path = options.path + ".keyring";
  if (FileExists(options.path) || FileExists(keyring_path)) {
    return AlreadyExists("a store or keyring already exists at this path; "
                         "choose another path");
  }
  if (::access(DirOf(options.path).c_str(), W_OK) != 0) {
    return IoError(std::string("cannot create the store: directory is not writable (") +
                   std::strerror(errno) + ")");
  }

  // Create the file ourselves: exclusive (no race with another init) and
  // 0600 from the start; SQLite gives the -wal and -shm files the same mode.
  {
    int fd = ::open(options.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) return AlreadyExists("a store already exists at this path");
      return IoError(std::string("cannot create the store file (") + std::strerror(errno) + ")");
    }
    ::close(fd);
  }
  auto impl = std::make_unique<Session::Impl>();
  impl->options = options;
  impl->clock = options.clock ? options.clock : SystemClock();
  Bytes store_id = internal::RandomBytes(internal::kStoreIdSize);
  Keyring keyring = Keyring::New(store_id);
  SSPF_ASSIGN_OR_RETURN(impl->root_key, SecretBytes::Random(internal::kKeySize));
  SSPF_ASSIGN_OR_RETURN(impl->data_key, SecretBytes::Random(internal::kKeySize));

  auto body = [&]() -> Result<InitResult> {
    SSPF_RETURN_IF_ERROR(OpenWithRoot(impl.get(), keyring, /*create=*/true));
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(internal::SignKeyPair audit, internal::NewSignKeyPair());
    SSPF_ASSIGN_OR_RETURN(SecretBytes wrap_key, Subkey(impl->data_key, kSubkeyAuditWrap));
    SSPF_ASSIGN_OR_RETURN(
        Bytes audit_wrapped,
        internal::AeadSeal(wrap_key, audit.secret_key.data(InsecureSecretAccess::Get()),
                           audit.secret_key.size(), AuditWrapAd(store_id)));
    SSPF_ASSIGN_OR_RETURN(internal::BoxKeyPair admin_box, internal::NewBoxKeyPair());
    SSPF_ASSIGN_OR_RETURN(internal::SignKeyPair admin_sign, internal::NewSignKeyPair());
    // The store authority (DESIGN §13): never derived from the root key;
    // sealed to admins, wrapped in the recovery entry, pinned everywhere.
    SSPF_ASSIGN_OR_RETURN(internal::SignKeyPair authority, internal::NewSignKeyPair());
    impl->anchor_public_key = authority.public_key;
    impl->authority_secret_key = std::move(authority.secret_key);

    SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn, internal::Txn::Begin(db));
    SSPF_ASSIGN_OR_RETURN(internal::Stmt * meta,
                          db->Prepare("INSERT INTO meta(key, value) VALUES(?, ?)"));
    auto put_meta = [&](const char* k, const Bytes& v) -> Status {
      meta->Reset();
      meta->Bind(1, k).BindBlob(2, v);
      return meta->Run();
    };
    SSPF_RETURN_IF_ERROR(put_meta("store_id", store_id));
    SSPF_RETURN_IF_ERROR(put_meta("audit_public_key", audit.public_key));
    SSPF_RETURN_IF_ERROR(put_meta("audit_secret_key", audit_wrapped));
    Bytes created_at = internal::AdBuilder().AddU64(static_cast<uint64_t>(impl->Now())).bytes();
    SSPF_RETURN_IF_ERROR(put_meta("created", created_at));
    // A copy for display and out-of-band pinning; sessions trust only the
    // anchor pinned in their own keyring entry.
    SSPF_RETURN_IF_ERROR(put_meta("authority_public_key", impl->anchor_public_key));

    impl->me.id = internal::RandomId();
    impl->me.name = std::string(admin_name);
    impl->me.actor = Actor::kCoordination;
    impl->me.role = Role::kAdmin;
    impl->me.active = true;
    impl->me.created = impl->Now();
    SSPF_RETURN_IF_ERROR(internal::InsertPrincipal(db, {impl->me, admin_box.public_key}));
    internal::PrincipalCert cert;
    cert.principal_id = impl->me.id;
    cert.name = impl->me.name;
    cert.actor = impl->me.actor;
    cert.role = impl->me.role;
    cert.box_public_key = admin_box.public_key;
    cert.sign_public_key = admin_sign.public_key;
    SSPF_RETURN_IF_ERROR(internal::CertifyPrincipal(impl.get(), cert));
    SSPF_RETURN_IF_ERROR(
        internal::SealAuthorityTo(impl.get(), impl->me.id, admin_box.public_key));
    impl->signing_secret_key = std::move(admin_sign.secret_key);
    impl->signing_public_key = admin_sign.public_key;
    impl->audit_secret_key = std::move(audit.secret_key);
    impl->audit_public_key = audit.public_key;

    Session::Impl::EventArgs e;
    e.action = Action::kStoreInit;
    e.target = "store:" + impl->store_id;
    e.allowed = true;
    e.reason = "store created";
    e.basis = "init";
    SSPF_RETURN_IF_ERROR(impl->Log(e));
    e.action = Action::kPrincipalAdd;
    e.target = "principal:" + impl->me.id;
    e.reason = "first admin";
    e.basis = "init";
    e.detail = internal::EncodeDetail(
        Action::kPrincipalAdd, {impl->me.id, "coordination", "admin", "1",
                                internal::HexEncode(admin_box.public_key),
                                internal::HexEncode(impl->signing_public_key)});
    SSPF_RETURN_IF_ERROR(impl->Log(e));

    InitResult result;
    result.store_id = impl->store_id;
    result.admin_id = impl->me.id;
    SSPF_ASSIGN_OR_RETURN(SecretBytes recovery, SecretBytes::Random(internal::kKeySize));
    internal::EntrySecrets admin_secrets;
    admin_secrets.box_secret_key = &admin_box.secret_key;
    admin_secrets.signing_secret_key = &impl->signing_secret_key;
    admin_secrets.anchor_public_key = impl->anchor_public_key;
    SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(store_id, admin_name),
                                     KindOf(credential),
                                     credential.secret(InsecureSecretAccess::Get()),
                                     options.passphrase_cost, impl->Roots(), admin_secrets));
    internal::EntrySecrets recovery_secrets;
    recovery_secrets.authority_secret_key = &impl->authority_secret_key;
    recovery_secrets.anchor_public_key = impl->anchor_public_key;
    SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::RecoveryTag(store_id), WrapKind::kRecovery,
                                     recovery, options.passphrase_cost, impl->Roots(),
                                     recovery_secrets));
    SSPF_RETURN_IF_ERROR(keyring.SignRoots(impl->authority_secret_key, impl->Roots()));
    result.trust_anchor = impl->anchor_public_key;
    SSPF_RETURN_IF_ERROR(txn->Commit());
    SSPF_RETURN_IF_ERROR(keyring.Save(keyring_path, impl->root_key));
    result.recovery_key = std::move(recovery);
    return result;
  };
  Result<InitResult> r = body();
  impl.reset();  // closes the database before any cleanup
  if (!r.ok()) RemoveStoreFiles(options.path);
  return r;
}

namespace {

Result<std::unique_ptr<Session::Impl>> OpenImpl(const StoreOptions& options,
                                                std::string_view name,
                         WrapKind kind, const SecretBytes& secret) {
  SSPF_RETURN_IF_ERROR(internal::EnsureSodium());
  SSPF_RETURN_IF_ERROR(CheckStoreFiles(options.path));
  SSPF_RETURN_IF_ERROR(ValidateLegalProvisions(options.legal_provisions));
  if (name.empty()) return InvalidArgument("no principal given (use --user or SSPF_USER)");
  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(options.path + ".keyring"));
  const Bytes tag = Keyring::PrincipalTag(keyring.store_id(), name);
  std::shared_ptr<const Clock> clock = options.clock ? options.clock : SystemClock();
  Result<internal::Unwrapped> unwrapped = keyring.Unlock(tag, kind, secret);
  if (!unwrapped.ok()) {
    // A disabled principal's attempt is recorded like a wrong passphrase.
    if (unwrapped.status().code() == StatusCode::kWrongKey ||
        unwrapped.status().code() == StatusCode::kPermissionDenied) {
      internal::RecordUnlockFailure(options.path, clock->Now(), tag);
    }
    return unwrapped.status();
  }
  internal::Unwrapped keys = std::move(unwrapped).value();
  auto impl = std::make_unique<Session::Impl>();
  impl->options = options;
  impl->clock = clock;
  impl->principal_secret_key = std::move(keys.principal_secret_key);
  impl->signing_secret_key = std::move(keys.signing_secret_key);
  impl->signing_public_key = internal::SignPublicKeyOf(impl->signing_secret_key);
  impl->anchor_public_key = std::move(keys.anchor_public_key);
  auto open_with = [&](internal::Unwrapped& k, const Keyring& ring) {
    impl->db.reset();
    impl->root_key = std::move(k.root_key);
    impl->data_key = std::move(k.data_key);
    return OpenWithRoot(impl.get(), ring, /*create=*/false);
  };
  // A process killed while it wrote a keyring leaves its temporary file
  // (which may hold root keys sealed to principals): clear it away.
  internal::RemoveStaleTempFiles(impl->KeyringPath());
  internal::RemoveStaleTempFiles(internal::NextKeyringPath(options.path));
  // An interrupted key rekey (session/rekey.h): the database opens under
  // exactly one of the two root keys; which one says how far it got.
  SSPF_ASSIGN_OR_RETURN(std::optional<Keyring> next, internal::LoadNextKeyring(options.path));
  if (next && next->generation() <= keyring.generation()) {
    ::unlink(internal::NextKeyringPath(options.path).c_str());  // already in force
    next.reset();
  }
  SecretBytes next_root;
  bool rekeyed = false;
  if (next) {
    SSPF_ASSIGN_OR_RETURN(internal::Unwrapped nk, next->Unlock(tag, kind, secret));
    if (nk.anchor_public_key != impl->anchor_public_key) {
      return IntegrityViolation("the unfinished rekey's keyring pins another trust anchor");
    }
    SSPF_ASSIGN_OR_RETURN(next_root, SecretBytes::Copy(nk.root_key.data(InsecureSecretAccess::Get()),
                                                       nk.root_key.size()));
    Status s = open_with(nk, *next);
    if (!s.ok() && s.code() != StatusCode::kWrongKey) return s;
    rekeyed = s.ok();
  }
  if (!rekeyed) SSPF_RETURN_IF_ERROR(open_with(keys, keyring));
  SSPF_ASSIGN_OR_RETURN(impl->me, LoadPrincipal(impl->db.get(), name,
                                                &impl->principal_public_key));
  Bytes derived(internal::kBoxPublicKeySize);
  crypto_scalarmult_base(derived.data(),
                         impl->principal_secret_key.data(InsecureSecretAccess::Get()));
  if (derived != impl->principal_public_key) {
    return IntegrityViolation("the keyring does not match the principal table");
  }
  SSPF_RETURN_IF_ERROR(internal::AdoptCertifiedSelf(impl.get()));
  internal::OpSpec spec{internal::Operation::kUnlock, Action::kUnlock,
                        "principal:" + impl->me.id};
  SSPF_RETURN_IF_ERROR(internal::RunOperation(impl.get(), spec, {}, [&](internal::Op& op) {
    op.event.basis = kind == WrapKind::kPassphrase ? "passphrase" : "key";
    return Status::Ok();
  }));
  // Best effort: on failure the records are put back for the next unlock,
  // and this unlock (already logged) goes ahead.
  internal::IngestUnlockFailures(impl.get()).IgnoreError();
  if (next) {
    const std::string g = std::to_string(next->generation());
    Status finished = internal::FinishRekey(
        impl.get(), *next, std::move(next_root), rekeyed, /*exclusive_held=*/false,
        "interrupted store rekey completed at unlock: keyring generation " + g);
    // Not alone with the store: the old key stays in force until an open
    // that is (the next keyring waits).
    if (!finished.ok() && (rekeyed || finished.code() != StatusCode::kBusy)) return finished;
  }
  SSPF_RETURN_IF_ERROR(impl->DeliverActorKeys());
  return impl;
}

}  // namespace

Result<Session> Store::Open(const StoreOptions& options, std::string_view principal,
                            const Credential& credential) {
  using Impl = Session::Impl;
  // Length rules for new passphrases do not apply to existing ones.
  if (credential.kind() == Credential::Kind::kKey) {
    SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(credential));
  }
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl,
                        OpenImpl(options, principal, KindOf(credential),
                                 credential.secret(InsecureSecretAccess::Get())));
  return Session(std::move(impl));
}

Result<Session> Store::Open(const StoreOptions& options, std::string_view principal,
                            KeyProvider& keys) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes key, keys.KeyFor(principal));
  return Open(options, principal, Credential::Key(std::move(key)));
}

Status Store::ResetWithRecoveryKey(const StoreOptions& options,
                                   const SecretBytes& recovery_key,
                                   std::string_view principal,
                                   const Credential& new_credential) {
  SSPF_RETURN_IF_ERROR(internal::EnsureSodium());
  SSPF_RETURN_IF_ERROR(CheckStoreFiles(options.path));
  SSPF_RETURN_IF_ERROR(internal::CheckNewCredential(new_credential));
  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(options.path + ".keyring"));
  SSPF_ASSIGN_OR_RETURN(
      internal::Unwrapped keys,
      keyring.Unlock(Keyring::RecoveryTag(keyring.store_id()), WrapKind::kRecovery,
                     recovery_key));
  auto impl = std::make_unique<Session::Impl>();
  impl->options = options;
  impl->clock = options.clock ? options.clock : SystemClock();
  impl->root_key = std::move(keys.root_key);
  impl->data_key = std::move(keys.data_key);
  impl->anchor_public_key = std::move(keys.anchor_public_key);
  impl->authority_secret_key = std::move(keys.authority_secret_key);
  if (internal::SignPublicKeyOf(impl->authority_secret_key) != impl->anchor_public_key) {
    return IntegrityViolation("the recovery entry's authority key is not its trust anchor");
  }
  SSPF_RETURN_IF_ERROR(OpenWithRoot(impl.get(), keyring, /*create=*/false));
  Bytes old_pk;
  Result<PrincipalInfo> target = LoadPrincipal(impl->db.get(), principal, &old_pk);
  if (!target.ok()) return NotFound("no such principal");
  // The log names the recovery key as the actor of this change.
  impl->me = *target;
  impl->me.id = "recovery";
  impl->refresh_principal = false;  // the recovery key is not a principal
  impl->me.actor = Actor::kCoordination;
  impl->me.role = Role::kAdmin;

  SSPF_ASSIGN_OR_RETURN(internal::BoxKeyPair box, internal::NewBoxKeyPair());
  SSPF_ASSIGN_OR_RETURN(internal::SignKeyPair sign, internal::NewSignKeyPair());
  SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
  Db* db = impl->db.get();
  // The principal's certified state stays; its keys are new.
  SSPF_ASSIGN_OR_RETURN(internal::PrincipalCert cert,
                        internal::CertifiedPrincipal(impl.get(), target->id));
  cert.box_public_key = box.public_key;
  cert.sign_public_key = sign.public_key;
  SSPF_RETURN_IF_ERROR(internal::CertifyPrincipal(impl.get(), cert));
  SSPF_RETURN_IF_ERROR(internal::SetPrincipalBoxKey(db, target->id, box.public_key));
  if (cert.role == Role::kAdmin && cert.active) {
    SSPF_RETURN_IF_ERROR(internal::SealAuthorityTo(impl.get(), target->id, box.public_key));
  }
  // Seals to the old key pair are useless now; new ones come by delivery
  // (actor keys from a member, the oversight key from another auditor).
  SSPF_RETURN_IF_ERROR(internal::DeletePrincipalSeals(db, target->id));
  Session::Impl::EventArgs e;
  e.action = Action::kRecoveryReset;
  e.target = "principal:" + target->id;
  e.allowed = true;
  e.reason = "credential reset with the recovery key";
  e.basis = "recovery-key";
  e.detail = internal::EncodeDetail(Action::kRecoveryReset,
                                    {target->id, internal::HexEncode(box.public_key),
                                     internal::HexEncode(sign.public_key)});
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  internal::EntrySecrets secrets;
  secrets.box_secret_key = &box.secret_key;
  secrets.signing_secret_key = &sign.secret_key;
  secrets.anchor_public_key = impl->anchor_public_key;
  SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(keyring.store_id(), principal),
                                   KindOf(new_credential),
                                   new_credential.secret(InsecureSecretAccess::Get()),
                                   options.passphrase_cost, impl->Roots(), secrets));
  SSPF_RETURN_IF_ERROR(keyring.Save(impl->KeyringPath(), impl->root_key));
  return scope.Commit();
}

}  // namespace sspf
