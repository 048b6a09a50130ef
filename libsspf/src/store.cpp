// Store creation and unlocking; the Session plumbing shared by every
// operation (transactions, batches, logging, actor keys).
#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "audit_log.h"
#include "checkpoint.h"
#include "internal_ops.h"
#include "session_impl.h"
#include "sodium_init.h"
#include "unlock_failures.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::Keyring;
using internal::WrapKind;

// ---- Clock, costs, credentials ------------------------------------------

Clock::~Clock() = default;
KeyProvider::~KeyProvider() = default;

namespace {
class SystemClockImpl : public Clock {
 public:
  UnixSeconds Now() const override { return static_cast<UnixSeconds>(::time(nullptr)); }
};
}  // namespace

std::shared_ptr<const Clock> SystemClock() {
  static const std::shared_ptr<const Clock> clock = std::make_shared<SystemClockImpl>();
  return clock;
}

Date DateOf(UnixSeconds t) {
  // Civil-from-days (proleptic Gregorian), valid for all int64 day counts
  // we can meet; avoids gmtime's dependence on time_t width.
  int64_t days = t / 86400 - (t % 86400 < 0 ? 1 : 0);
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

PassphraseCost PassphraseCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PassphraseCost PassphraseCost::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
PassphraseCost PassphraseCost::Sensitive() {
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}

Credential Credential::Passphrase(SecretBytes passphrase) {
  return Credential(Kind::kPassphrase, std::move(passphrase));
}
Credential Credential::Key(SecretBytes key) {
  return Credential(Kind::kKey, std::move(key));
}

namespace {

}  // namespace

namespace internal {
WrapKind KindOf(const Credential& c) {
  return c.kind() == Credential::Kind::kPassphrase ? WrapKind::kPassphrase
                                                   : WrapKind::kKey;
}

Status CheckNewCredential(const Credential& c) {
  const SecretBytes& s = c.secret(InsecureSecretAccess::Get());
  if (c.kind() == Credential::Kind::kKey && s.size() != internal::kKeySize) {
    return InvalidArgument("a raw key must be exactly 32 bytes");
  }
  if (c.kind() == Credential::Kind::kPassphrase) {
    if (s.empty()) return InvalidArgument("the passphrase is empty");
    if (s.size() < 8) return InvalidArgument("the passphrase is too short (at least 8 characters)");
    if (s.size() > 4096) return InvalidArgument("the passphrase is too long (at most 4096 bytes)");
  }
  return Status::Ok();
}

Status ValidPrincipalName(std::string_view name) {
  if (name.empty()) return InvalidArgument("a principal name is required");
  if (name.size() > 64) return InvalidArgument("a principal name is at most 64 characters");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
    if (!ok) {
      return InvalidArgument(
          "a principal name may use only letters a-z, digits and . _ - @");
    }
  }
  return Status::Ok();
}

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
}  // namespace internal

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

void RemoveStoreFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".keyring", ".unlock-failures"}) {
    ::unlink((path + suffix).c_str());
  }
}

// Derived subkeys of the root key (crypto_kdf ids are fixed forever).
constexpr uint64_t kSubkeySqlcipher = 1;
constexpr uint64_t kSubkeyLookup = 2;
constexpr uint64_t kSubkeyIdentity = 3;
constexpr uint64_t kSubkeyAuditWrap = 4;

Result<SecretBytes> Subkey(const SecretBytes& root, uint64_t id) {
  static const char kCtx[8] = {'s', 's', 'p', 'f', 'k', 'e', 'y', 's'};
  return internal::DeriveSubkey(root, id, kCtx);
}

Bytes AuditWrapAd(const Bytes& store_id) {
  return internal::AdBuilder().Add("sspf-audit-signing-key-v1").Add(store_id).bytes();
}

Bytes ActorSealAd(Actor a, int64_t version) {
  return internal::AdBuilder()
      .Add("sspf-actor-key-v1")
      .AddU64(static_cast<uint64_t>(a))
      .AddU64(static_cast<uint64_t>(version))
      .bytes();
}

}  // namespace

namespace internal {
// Seals an actor secret key (with a small header binding actor and version)
// to a principal's X25519 public key.
Bytes SealActorKey(Actor a, int64_t version, const SecretBytes& actor_sk,
                   const Bytes& principal_pk) {
  Bytes ad = ActorSealAd(a, version);
  Bytes msg = ad;
  const uint8_t* k = actor_sk.data(InsecureSecretAccess::Get());
  msg.insert(msg.end(), k, k + actor_sk.size());
  Bytes sealed = SealTo(principal_pk, msg.data(), msg.size());
  SecureWipe(msg.data(), msg.size());
  return sealed;
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
  return Status::Ok();
}

Status Session::CommitBatch() {
  if (!impl_->batch) return FailedPrecondition("no batch is open");
  std::unique_ptr<internal::Txn> txn = std::move(impl_->batch);
  return txn->Commit();
}

void Session::AbortBatch() { impl_->batch.reset(); }

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
  return internal::MaybeAutoCheckpoint(this, e.seq + 1);
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
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  while (i < text.size()) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return InvalidArgument(w + " contains a control character or NUL");
      }
      ++i;
      continue;
    }
    int n = 0;
    uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
    else return InvalidArgument(w + " is not valid UTF-8");
    for (int k = 1; k <= n; ++k) {
      if (i + k >= text.size() || (s[i + k] & 0xc0) != 0x80) {
        return InvalidArgument(w + " is not valid UTF-8");
      }
      cp = cp << 6 | (s[i + k] & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return InvalidArgument(w + " is not valid UTF-8");
    }
    i += n + 1;
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
  SSPF_ASSIGN_OR_RETURN(impl->lookup_key, Subkey(impl->root_key, kSubkeyLookup));
  SSPF_ASSIGN_OR_RETURN(impl->identity_key, Subkey(impl->root_key, kSubkeyIdentity));
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
  SSPF_ASSIGN_OR_RETURN(SecretBytes wrap_key, Subkey(impl->root_key, kSubkeyAuditWrap));
  SSPF_ASSIGN_OR_RETURN(impl->audit_secret_key,
                        internal::AeadOpenSecret(wrap_key, audit_wrapped,
                                                 AuditWrapAd(stored_id)));
  impl->audit_public_key = audit_pk;
  return Status::Ok();
}

Result<PrincipalInfo> LoadPrincipal(Db* db, std::string_view name, Bytes* pk) {
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT id, name, actor, role, active, created, box_public_key "
                  "FROM principals WHERE name = ?"));
  st->Bind(1, name);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return WrongKey("wrong passphrase or not an sspf store");
  PrincipalInfo p;
  p.id = st->Text(0);
  p.name = st->Text(1);
  p.actor = static_cast<Actor>(st->Int(2));
  p.role = static_cast<Role>(st->Int(3));
  p.active = st->Int(4) != 0;
  p.created = st->Int(5);
  *pk = st->Blob(6);
  st->Reset();
  return p;
}

Status CheckStoreFiles(const std::string& path) {
  if (path.empty()) return InvalidArgument("no store path given");
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
  if (options.path.empty()) return InvalidArgument("no store path given");
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

  auto body = [&]() -> Result<InitResult> {
    SSPF_RETURN_IF_ERROR(OpenWithRoot(impl.get(), keyring, /*create=*/true));
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(internal::SignKeyPair audit, internal::NewSignKeyPair());
    SSPF_ASSIGN_OR_RETURN(SecretBytes wrap_key, Subkey(impl->root_key, kSubkeyAuditWrap));
    SSPF_ASSIGN_OR_RETURN(
        Bytes audit_wrapped,
        internal::AeadSeal(wrap_key, audit.secret_key.data(InsecureSecretAccess::Get()),
                           audit.secret_key.size(), AuditWrapAd(store_id)));
    SSPF_ASSIGN_OR_RETURN(internal::BoxKeyPair admin_box, internal::NewBoxKeyPair());

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

    impl->me.id = internal::RandomId();
    impl->me.name = std::string(admin_name);
    impl->me.actor = Actor::kCoordination;
    impl->me.role = Role::kAdmin;
    impl->me.active = true;
    impl->me.created = impl->Now();
    SSPF_ASSIGN_OR_RETURN(
        internal::Stmt * ins,
        db->Prepare("INSERT INTO principals(id, name, actor, role, active, created, "
                    "box_public_key) VALUES(?,?,?,?,1,?,?)"));
    ins->Bind(1, impl->me.id).Bind(2, impl->me.name)
        .Bind(3, static_cast<int64_t>(impl->me.actor))
        .Bind(4, static_cast<int64_t>(impl->me.role)).Bind(5, impl->me.created)
        .BindBlob(6, admin_box.public_key);
    SSPF_RETURN_IF_ERROR(ins->Run());
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
    e.detail = "principal=" + impl->me.id + " actor=coordination role=admin active=1";
    SSPF_RETURN_IF_ERROR(impl->Log(e));

    InitResult result;
    result.store_id = impl->store_id;
    result.admin_id = impl->me.id;
    SSPF_ASSIGN_OR_RETURN(SecretBytes recovery, SecretBytes::Random(internal::kKeySize));
    SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(store_id, admin_name),
                                     KindOf(credential),
                                     credential.secret(InsecureSecretAccess::Get()),
                                     options.passphrase_cost, impl->root_key,
                                     &admin_box.secret_key));
    SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::RecoveryTag(store_id), WrapKind::kRecovery,
                                     recovery, options.passphrase_cost, impl->root_key,
                                     nullptr));
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
  if (name.empty()) return InvalidArgument("no principal given (use --user or SSPF_USER)");
  SSPF_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Load(options.path + ".keyring"));
  const Bytes tag = Keyring::PrincipalTag(keyring.store_id(), name);
  std::shared_ptr<const Clock> clock = options.clock ? options.clock : SystemClock();
  Result<internal::Unwrapped> unwrapped = keyring.Unlock(tag, kind, secret);
  if (!unwrapped.ok()) {
    if (unwrapped.status().code() == StatusCode::kWrongKey) {
      internal::RecordUnlockFailure(options.path, clock->Now(), tag);
    }
    return unwrapped.status();
  }
  internal::Unwrapped keys = std::move(unwrapped).value();
  auto impl = std::make_unique<Session::Impl>();
  impl->options = options;
  impl->clock = clock;
  impl->root_key = std::move(keys.root_key);
  impl->principal_secret_key = std::move(keys.principal_secret_key);
  SSPF_RETURN_IF_ERROR(OpenWithRoot(impl.get(), keyring, /*create=*/false));
  SSPF_ASSIGN_OR_RETURN(impl->me, LoadPrincipal(impl->db.get(), name,
                                                &impl->principal_public_key));
  Bytes derived(internal::kBoxPublicKeySize);
  crypto_scalarmult_base(derived.data(),
                         impl->principal_secret_key.data(InsecureSecretAccess::Get()));
  if (derived != impl->principal_public_key) {
    return IntegrityViolation("the keyring does not match the principal table");
  }
  SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
  Session::Impl::EventArgs e;
  e.action = Action::kUnlock;
  e.target = "principal:" + impl->me.id;
  if (!impl->me.active) {
    e.reason = "principal disabled";
    return impl->Deny(scope, e);
  }
  e.allowed = true;
  e.reason = "unlocked";
  e.basis = kind == WrapKind::kPassphrase ? "passphrase" : "key";
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  // Best effort: on failure the records are put back for the next unlock,
  // and this unlock (already logged) goes ahead.
  internal::IngestUnlockFailures(impl.get()).IgnoreError();
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
  SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(internal::Stmt * up,
                        db->Prepare("UPDATE principals SET box_public_key = ? WHERE id = ?"));
  up->BindBlob(1, box.public_key).Bind(2, target->id);
  SSPF_RETURN_IF_ERROR(up->Run());
  // Seals to the old key pair are useless now; new ones come by delivery.
  SSPF_ASSIGN_OR_RETURN(internal::Stmt * del,
                        db->Prepare("DELETE FROM actor_key_seals WHERE principal_id = ?"));
  del->Bind(1, target->id);
  SSPF_RETURN_IF_ERROR(del->Run());
  Session::Impl::EventArgs e;
  e.action = Action::kRecoveryReset;
  e.target = "principal:" + target->id;
  e.allowed = true;
  e.reason = "credential reset with the recovery key";
  e.basis = "recovery-key";
  e.detail = "principal=" + target->id;
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  SSPF_RETURN_IF_ERROR(keyring.Put(Keyring::PrincipalTag(keyring.store_id(), principal),
                                   KindOf(new_credential),
                                   new_credential.secret(InsecureSecretAccess::Get()),
                                   options.passphrase_cost, impl->root_key,
                                   &box.secret_key));
  SSPF_RETURN_IF_ERROR(keyring.Save(impl->KeyringPath(), impl->root_key));
  return scope.Commit();
}

}  // namespace sspf
