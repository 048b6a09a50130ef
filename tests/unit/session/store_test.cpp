// Foundation: store creation, unlocking, keyring, principals, actor keys.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "log/audit_log.h"
#include "catch.h"
#include "crypto/crypto.h"
#include "keys/keyring.h"
#include "context/session_impl.h"
#include "storage/schema.h"
#include "sspf/civil_time.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kAdminPass = "correct horse battery staple";
constexpr const char* kSchoolPass = "skolans-hemliga-fras-1";
constexpr const char* kPolicePass = "polisens-hemliga-fras-2";

struct Fixture {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  SecretBytes recovery;

  Fixture() {
    Result<InitResult> r = Store::Create(options, "admin.anna", Pass(kAdminPass));
    REQUIRE(r.ok());
    recovery = std::move(r->recovery_key);
  }
  Session Open(const std::string& name, const std::string& pass) {
    Result<Session> s = Store::Open(options, name, Pass(pass));
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    return std::move(s).value();
  }
  void AddMembers() {
    Session admin = Open("admin.anna", kAdminPass);
    REQUIRE(admin.AddPrincipal("sara.skola", Actor::kSchool, Role::kMember, Pass(kSchoolPass)).ok());
    REQUIRE(admin.AddPrincipal("per.polis", Actor::kPolice, Role::kMember, Pass(kPolicePass)).ok());
  }
};

// Shannon entropy in bits per byte.
double Entropy(const std::string& data) {
  double counts[256] = {0};
  for (unsigned char c : data) counts[c] += 1;
  double h = 0;
  for (double c : counts) {
    if (c == 0) continue;
    double p = c / static_cast<double>(data.size());
    h -= p * std::log2(p);
  }
  return h;
}

std::string AllStoreBytes(const StoreOptions& o) {
  return ReadFile(o.path) + ReadFile(o.path + "-wal") + ReadFile(o.path + ".keyring");
}

}  // namespace

TEST_CASE("create and unlock with the right passphrase only", "[store]") {
  Fixture f;
  Session s = f.Open("admin.anna", kAdminPass);
  CHECK(s.principal().name == "admin.anna");
  CHECK(s.principal().actor == Actor::kCoordination);
  CHECK(s.principal().role == Role::kAdmin);

  Result<Session> wrong = Store::Open(f.options, "admin.anna", Pass("wrong passphrase!"));
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == StatusCode::kWrongKey);
  CHECK(wrong.status().message().find("wrong passphrase") != std::string::npos);
  CHECK(wrong.status().message().find("wrong passphrase!") == std::string::npos);

  // An unknown principal looks exactly like a wrong passphrase.
  Result<Session> unknown = Store::Open(f.options, "nobody", Pass(kAdminPass));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kWrongKey);
  CHECK(unknown.status().message() == wrong.status().message());
}

TEST_CASE("files reveal no names, passphrases or SQLite header", "[store]") {
  Fixture f;
  f.AddMembers();
  std::string bytes = AllStoreBytes(f.options);
  REQUIRE(bytes.size() > 4096);
  for (const char* needle : {"admin.anna", "sara.skola", "per.polis", kAdminPass, kSchoolPass,
                             kPolicePass, "SQLite format 3", "principals", "CREATE TABLE"}) {
    INFO(needle);
    CHECK(bytes.find(needle) == std::string::npos);
  }
}

TEST_CASE("the store file is encrypted throughout (does not compress)", "[store]") {
  Fixture f;
  f.AddMembers();
  std::string db = ReadFile(f.options.path) + ReadFile(f.options.path + "-wal");
  // Ciphertext is close to 8 bits per byte; any plaintext page pulls it down.
  CHECK(Entropy(db) > 7.9);

  // The same measure on a plain SQLite file of similar content fails, so the
  // check can fail.
  std::string plain_path = f.dir.File("plain.db");
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(plain_path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "CREATE TABLE principals(id TEXT, name TEXT);"
                       "INSERT INTO principals VALUES('0123456789abcdef', 'admin.anna');"
                       "INSERT INTO principals VALUES('fedcba9876543210', 'sara.skola');",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  CHECK(Entropy(ReadFile(plain_path)) < 7.0);
}

TEST_CASE("a passphrase change rejects the old passphrase", "[store]") {
  Fixture f;
  {
    Session s = f.Open("admin.anna", kAdminPass);
    Status st = s.ChangeCredential(Pass("a brand new passphrase"));
    REQUIRE(st.ok());
  }
  CHECK(Store::Open(f.options, "admin.anna", Pass(kAdminPass)).status().code() ==
        StatusCode::kWrongKey);
  f.Open("admin.anna", "a brand new passphrase");
  // Too short a new passphrase is refused and changes nothing.
  Session s = f.Open("admin.anna", "a brand new passphrase");
  CHECK(s.ChangeCredential(Pass("short")).code() == StatusCode::kInvalidArgument);
  f.Open("admin.anna", "a brand new passphrase");
}

TEST_CASE("the recovery key sets a new passphrase", "[store]") {
  Fixture f;
  f.AddMembers();
  // A wrong recovery key is refused.
  Result<SecretBytes> bad = SecretBytes::Random(32);
  REQUIRE(bad.ok());
  CHECK(Store::ResetWithRecoveryKey(f.options, *bad, "sara.skola", Pass("recovered passphrase"))
            .code() == StatusCode::kWrongKey);
  // The recovery key cannot be used as a principal's raw key.
  Result<SecretBytes> copy = SecretBytes::Copy(f.recovery.data(InsecureSecretAccess::Get()),
                                               f.recovery.size());
  REQUIRE(copy.ok());
  CHECK_FALSE(Store::Open(f.options, "admin.anna", Credential::Key(std::move(*copy))).ok());

  REQUIRE(Store::ResetWithRecoveryKey(f.options, f.recovery, "sara.skola",
                                      Pass("recovered passphrase"))
              .ok());
  CHECK(Store::Open(f.options, "sara.skola", Pass(kSchoolPass)).status().code() ==
        StatusCode::kWrongKey);
  Session sara = f.Open("sara.skola", "recovered passphrase");
  // Sara got a new key pair: her old actor-key seal is gone until another
  // school member delivers it.
  CHECK(internal::SessionAccess::Get(sara)->ActorKey(Actor::kSchool, 1).status().code() ==
        StatusCode::kPermissionDenied);
}

TEST_CASE("a disabled principal is refused", "[store]") {
  Fixture f;
  f.AddMembers();
  {
    Session admin = f.Open("admin.anna", kAdminPass);
    REQUIRE(admin.DisablePrincipal("sara.skola").ok());
    CHECK(admin.DisablePrincipal("sara.skola").code() == StatusCode::kFailedPrecondition);
    CHECK(admin.DisablePrincipal("admin.anna").code() == StatusCode::kFailedPrecondition);
    CHECK(admin.DisablePrincipal("nobody").code() == StatusCode::kNotFound);
    Result<std::vector<PrincipalInfo>> list = admin.ListPrincipals();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 3);
    for (const PrincipalInfo& p : *list) CHECK(p.active == (p.name != "sara.skola"));
  }
  // Disabling removes the keyring entry (DESIGN §13): her passphrase no
  // longer unwraps the root key; a tombstone says why.
  Result<Session> s = Store::Open(f.options, "sara.skola", Pass(kSchoolPass));
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kPermissionDenied);
  CHECK(s.status().message().find("disabled") != std::string::npos);
  Result<internal::Keyring> k = internal::Keyring::Load(f.options.path + ".keyring");
  REQUIRE(k.ok());
  CHECK_FALSE(k->Has(internal::Keyring::PrincipalTag(k->store_id(), "sara.skola")));
  CHECK(k->Has(internal::Keyring::PrincipalTag(k->store_id(), "admin.anna")));
}

TEST_CASE("only admins manage principals", "[store]") {
  Fixture f;
  f.AddMembers();
  Session sara = f.Open("sara.skola", kSchoolPass);
  Result<std::string> r = sara.AddPrincipal("eve", Actor::kSchool, Role::kAdmin, Pass("eve's passphrase"));
  CHECK(r.status().code() == StatusCode::kPermissionDenied);
  CHECK(sara.DisablePrincipal("per.polis").code() == StatusCode::kPermissionDenied);
  CHECK(sara.ListPrincipals().status().code() == StatusCode::kPermissionDenied);
  // The refused principal cannot unlock.
  CHECK_FALSE(Store::Open(f.options, "eve", Pass("eve's passphrase")).ok());
}

TEST_CASE("principal input is validated", "[store]") {
  Fixture f;
  Session admin = f.Open("admin.anna", kAdminPass);
  CHECK(admin.AddPrincipal("", Actor::kSchool, Role::kMember, Pass("long enough pass")).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(admin.AddPrincipal("bad name", Actor::kSchool, Role::kMember, Pass("long enough pass"))
            .status().code() == StatusCode::kInvalidArgument);
  CHECK(admin.AddPrincipal(std::string(65, 'a'), Actor::kSchool, Role::kMember, Pass("long enough pass"))
            .status().code() == StatusCode::kInvalidArgument);
  CHECK(admin.AddPrincipal("ok", static_cast<Actor>(42), Role::kMember, Pass("long enough pass"))
            .status().code() == StatusCode::kInvalidArgument);
  CHECK(admin.AddPrincipal("ok", Actor::kSchool, Role::kMember, Pass("short")).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(admin.AddPrincipal("ok", Actor::kSchool, Role::kAuditor, Pass("long enough pass"))
            .status().code() == StatusCode::kInvalidArgument);
  REQUIRE(admin.AddPrincipal("ok", Actor::kSchool, Role::kMember, Pass("long enough pass")).ok());
  CHECK(admin.AddPrincipal("ok", Actor::kPolice, Role::kMember, Pass("long enough pass"))
            .status().code() == StatusCode::kAlreadyExists);
}

TEST_CASE("a raw host key unlocks like a passphrase", "[store]") {
  Fixture f;
  Session admin = f.Open("admin.anna", kAdminPass);
  Result<SecretBytes> key = SecretBytes::Random(32);
  REQUIRE(key.ok());
  Result<SecretBytes> copy = SecretBytes::Copy(key->data(InsecureSecretAccess::Get()), 32);
  REQUIRE(admin.AddPrincipal("hsm.user", Actor::kSocial, Role::kMember,
                             Credential::Key(std::move(*copy))).ok());

  struct Provider : KeyProvider {
    const SecretBytes* key;
    Result<SecretBytes> KeyFor(std::string_view) override {
      return SecretBytes::Copy(key->data(InsecureSecretAccess::Get()), key->size());
    }
  } provider;
  provider.key = &key.value();
  Result<Session> s = Store::Open(f.options, "hsm.user", provider);
  REQUIRE(s.ok());
  CHECK(s->principal().actor == Actor::kSocial);
  Result<SecretBytes> short_key = SecretBytes::Random(16);
  CHECK(Store::Open(f.options, "hsm.user", Credential::Key(std::move(*short_key))).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("keyring tampering is detected", "[store]") {
  Fixture f;
  f.AddMembers();
  const std::string path = f.options.path + ".keyring";
  const std::string original = ReadFile(path);

  SECTION("a flipped byte in another principal's entry breaks the MAC") {
    // Entries follow the 29-byte header; flip a byte inside the last entry
    // (per.polis), then unlock as the admin (first entry).
    std::string t = original;
    t[t.size() - 40] ^= 0x01;
    WriteFile(path, t);
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("a truncated keyring is refused with a clear error") {
    WriteFile(path, original.substr(0, original.size() / 2));
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == StatusCode::kIntegrityViolation);
    CHECK(s.status().message().find("keyring") != std::string::npos);
  }
  SECTION("a missing keyring") {
    std::filesystem::remove(path);
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == StatusCode::kNotFound);
    CHECK(s.status().message().find("keyring") != std::string::npos);
  }
  SECTION("a keyring of another store") {
    TempDir other_dir;
    StoreOptions other = TestOptions(other_dir, f.clock);
    REQUIRE(Store::Create(other, "admin.anna", Pass(kAdminPass)).ok());
    WriteFile(path, ReadFile(other.path + ".keyring"));
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(s.ok());
    // The other store's root key cannot open this database.
    CHECK(s.status().code() == StatusCode::kWrongKey);
  }
}

TEST_CASE("a crash between keyring temp write and rename keeps the old keyring", "[store]") {
  Fixture f;
  const std::string path = f.options.path + ".keyring";
  const std::string before = ReadFile(path);
  Session admin = f.Open("admin.anna", kAdminPass);
  Result<internal::Keyring> k = internal::Keyring::Load(path);
  REQUIRE(k.ok());
  Result<SecretBytes> pass = SecretBytes::Copy(std::string("another passphrase"));
  Session::Impl* impl = internal::SessionAccess::Get(admin);
  internal::EntrySecrets secrets;
  secrets.box_secret_key = &impl->principal_secret_key;
  secrets.signing_secret_key = &impl->signing_secret_key;
  secrets.anchor_public_key = impl->anchor_public_key;
  REQUIRE(k->Put(internal::Keyring::PrincipalTag(k->store_id(), "admin.anna"),
                 internal::WrapKind::kPassphrase, *pass, PassphraseCost::Interactive(),
                 impl->Roots(), secrets)
              .ok());
  Status crash = k->Save(path, internal::SessionAccess::Get(admin)->root_key,
                         [] { return IoError("simulated crash before rename"); });
  CHECK(crash.code() == StatusCode::kIoError);
  CHECK(ReadFile(path) == before);
  f.Open("admin.anna", kAdminPass);
  CHECK(Store::Open(f.options, "admin.anna", Pass("another passphrase")).status().code() ==
        StatusCode::kWrongKey);
  // Without the crash the same write takes effect.
  REQUIRE(k->Save(path, internal::SessionAccess::Get(admin)->root_key).ok());
  f.Open("admin.anna", "another passphrase");
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(f.options.path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a member of actor A unseals A's key and not B's", "[store][keys]") {
  Fixture f;
  f.AddMembers();
  Session sara = f.Open("sara.skola", kSchoolPass);
  Session per = f.Open("per.polis", kPolicePass);
  CHECK(internal::SessionAccess::Get(sara)->ActorKey(Actor::kSchool, 1).ok());
  CHECK(internal::SessionAccess::Get(per)->ActorKey(Actor::kPolice, 1).ok());
  CHECK(internal::SessionAccess::Get(sara)->ActorKey(Actor::kPolice, 1).status().code() == StatusCode::kPermissionDenied);

  // Even with the police seal in hand, the school principal's key cannot
  // open it.
  Result<internal::Stmt*> st = internal::SessionAccess::Get(sara)->db->Prepare(
      "SELECT sealed FROM actor_key_seals WHERE actor = 3");
  REQUIRE(st.ok());
  REQUIRE(*(*st)->Step());
  internal::Bytes police_seal = (*st)->Blob(0);
  (*st)->Reset();
  CHECK(internal::SealOpen(internal::SessionAccess::Get(sara)->principal_public_key, internal::SessionAccess::Get(sara)->principal_secret_key,
                           police_seal)
            .status()
            .code() == StatusCode::kIntegrityViolation);
  // Admins hold no actor keys at all.
  Session admin = f.Open("admin.anna", kAdminPass);
  CHECK_FALSE(internal::SessionAccess::Get(admin)->ActorKey(Actor::kCoordination, 1).ok());
  CHECK_FALSE(internal::SessionAccess::Get(admin)->ActorKey(Actor::kSchool, 1).ok());
}

TEST_CASE("a second member receives the actor key from a member", "[store][keys]") {
  Fixture f;
  f.AddMembers();
  {
    Session admin = f.Open("admin.anna", kAdminPass);
    REQUIRE(admin.AddPrincipal("sven.skola", Actor::kSchool, Role::kMember,
                               Pass("svens-hemliga-fras")).ok());
  }
  {
    Session sven = f.Open("sven.skola", "svens-hemliga-fras");
    CHECK(internal::SessionAccess::Get(sven)->ActorKey(Actor::kSchool, 1).status().code() ==
          StatusCode::kPermissionDenied);
  }
  f.Open("sara.skola", kSchoolPass);  // delivers on unlock
  Session sven = f.Open("sven.skola", "svens-hemliga-fras");
  REQUIRE(internal::SessionAccess::Get(sven)->ActorKey(Actor::kSchool, 1).ok());
  Session sara = f.Open("sara.skola", kSchoolPass);
  Result<const SecretBytes*> a = internal::SessionAccess::Get(sara)->ActorKey(Actor::kSchool, 1);
  Result<const SecretBytes*> b = internal::SessionAccess::Get(sven)->ActorKey(Actor::kSchool, 1);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK((*a)->Equals(**b));
}

TEST_CASE("bad store files get clear errors and stay unchanged", "[store]") {
  TempDir dir;
  auto clock = std::make_shared<FakeClock>();
  StoreOptions o = TestOptions(dir, clock);

  SECTION("no store at the path") {
    Result<Session> s = Store::Open(o, "admin.anna", Pass(kAdminPass));
    CHECK(s.status().code() == StatusCode::kNotFound);
    CHECK_FALSE(std::filesystem::exists(o.path));
  }
  SECTION("a random file with a valid keyring") {
    Fixture f;
    std::string random(8192, '\0');
    internal::Bytes r = internal::RandomBytes(random.size());
    random.assign(r.begin(), r.end());
    WriteFile(f.options.path, random);
    std::filesystem::remove(f.options.path + "-wal");
    std::filesystem::remove(f.options.path + "-shm");
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == StatusCode::kWrongKey);
    CHECK(s.status().message().find("not an sspf store") != std::string::npos);
    CHECK(ReadFile(f.options.path) == random);
  }
  SECTION("a plain SQLite file with a valid keyring") {
    Fixture f;
    std::filesystem::remove(f.options.path);
    std::filesystem::remove(f.options.path + "-wal");
    std::filesystem::remove(f.options.path + "-shm");
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(f.options.path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "CREATE TABLE t(x)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    std::string before = ReadFile(f.options.path);
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == StatusCode::kWrongKey);
    CHECK(ReadFile(f.options.path) == before);
  }
  SECTION("a truncated store") {
    Fixture f;
    f.AddMembers();
    {
      Session s = f.Open("admin.anna", kAdminPass);
      REQUIRE(internal::SessionAccess::Get(s)->db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    }
    std::string full = ReadFile(f.options.path);
    REQUIRE(full.size() > 8192);
    std::string cut = full.substr(0, full.size() / 2 + 100);
    WriteFile(f.options.path, cut);
    Result<Session> s = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
    // Either refused at open, or the first read of a missing page fails: in
    // no case does it look like success with silently lost data.
    if (s.ok()) {
      CHECK_FALSE(s->ListPrincipals().ok());
    } else {
      CHECK((s.status().code() == StatusCode::kWrongKey ||
             s.status().code() == StatusCode::kIntegrityViolation));
    }
  }
  SECTION("init where a store exists") {
    REQUIRE(Store::Create(o, "admin.anna", Pass(kAdminPass)).ok());
    std::string db = ReadFile(o.path), kr = ReadFile(o.path + ".keyring");
    Result<InitResult> again = Store::Create(o, "admin.bo", Pass(kAdminPass));
    CHECK(again.status().code() == StatusCode::kAlreadyExists);
    CHECK(ReadFile(o.path) == db);
    CHECK(ReadFile(o.path + ".keyring") == kr);
  }
  SECTION("init in a directory that cannot be written") {
    StoreOptions ro = o;
    if (::geteuid() == 0) {
      ro.path = "/sys/sspf-test-store.db";  // root ignores mode bits; sysfs refuses
    } else {
      std::filesystem::create_directory(dir.File("ro"));
      ::chmod(dir.File("ro").c_str(), 0555);
      ro.path = dir.File("ro") + "/store.db";
    }
    Result<InitResult> r = Store::Create(ro, "admin.anna", Pass(kAdminPass));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kIoError);
    CHECK_FALSE(std::filesystem::exists(ro.path));
    CHECK_FALSE(std::filesystem::exists(ro.path + ".keyring"));
  }
}

TEST_CASE("schema version and migrations", "[store]") {
  Fixture f;
  Session s = f.Open("admin.anna", kAdminPass);
  Result<internal::Stmt*> st = internal::SessionAccess::Get(s)->db->Prepare("PRAGMA user_version");
  REQUIRE(st.ok());
  REQUIRE(*(*st)->Step());
  CHECK((*st)->Int(0) == internal::kSchemaVersion);
  (*st)->Reset();
  // A store from a newer library is refused, not silently used.
  REQUIRE(internal::SessionAccess::Get(s)->db->Exec("PRAGMA user_version = 99").ok());
  Result<Session> newer = Store::Open(f.options, "admin.anna", Pass(kAdminPass));
  CHECK(newer.status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("every principal change is in the access log", "[store][audit]") {
  Fixture f;
  f.AddMembers();
  Session admin = f.Open("admin.anna", kAdminPass);
  REQUIRE(admin.DisablePrincipal("per.polis").ok());
  CHECK_FALSE(Store::Open(f.options, "per.polis", Pass(kPolicePass)).ok());
  // The failed attempt (its keyring entry is gone) reaches the log with the
  // next unlock.
  Session again = f.Open("admin.anna", kAdminPass);
  std::vector<std::string> actions;
  REQUIRE(internal::ForEachEvent(internal::SessionAccess::Get(admin)->db.get(), 0, [&](const internal::EventRecord& e) {
            actions.push_back(std::string(ActionName(e.action)) + (e.allowed ? "+" : "-"));
            return Status::Ok();
          }).ok());
  std::vector<std::string> expected = {"store.init+", "principal.add+", "unlock+",
                                       "principal.add+", "principal.add+", "unlock+",
                                       "principal.disable+", "unlock+", "unlock-"};
  CHECK(actions == expected);
}

TEST_CASE("a principal disabled while its session is open is denied at once", "[store]") {
  Fixture f;
  f.AddMembers();
  Session sara = f.Open("sara.skola", kSchoolPass);
  REQUIRE(sara.ListCases().ok());
  REQUIRE(internal::SessionAccess::Get(sara)->ActorKey(Actor::kSchool, 1).ok());
  {
    Session admin = f.Open("admin.anna", kAdminPass);
    REQUIRE(admin.DisablePrincipal("sara.skola").ok());
  }
  Result<std::vector<CaseInfo>> cases = sara.ListCases();
  REQUIRE_FALSE(cases.ok());
  CHECK(cases.status().code() == StatusCode::kPermissionDenied);
  CHECK(cases.status().message().find("disabled") != std::string::npos);
  // Its cached actor keys are gone with it.
  CHECK(internal::SessionAccess::Get(sara)->actor_keys.empty());
}

TEST_CASE("failed unlocks reach the access log at the next unlock", "[store][audit]") {
  Fixture f;
  f.AddMembers();
  const std::string pending = f.options.path + ".unlock-failures";
  CHECK_FALSE(Store::Open(f.options, "sara.skola", Pass("not saras passphrase")).ok());
  f.clock->Advance(5);
  CHECK_FALSE(Store::Open(f.options, "sara.skola", Pass("still not it")).ok());
  CHECK_FALSE(Store::Open(f.options, "mallory", Pass(kAdminPass)).ok());
  // Outside the log meanwhile: no name, no passphrase in the file.
  std::string recorded = ReadFile(pending);
  CHECK(std::count(recorded.begin(), recorded.end(), '\n') == 3);
  for (const char* needle : {"sara", "mallory", "not saras passphrase", "still not it"}) {
    CHECK(recorded.find(needle) == std::string::npos);
  }

  f.clock->Advance(60);
  Session admin = f.Open("admin.anna", kAdminPass);
  CHECK_FALSE(std::filesystem::exists(pending));
  std::string sara_id;
  Result<std::vector<PrincipalInfo>> list = admin.ListPrincipals();
  REQUIRE(list.ok());
  for (const PrincipalInfo& p : *list) {
    if (p.name == "sara.skola") sara_id = p.id;
  }
  std::vector<internal::EventRecord> failures;
  REQUIRE(internal::ForEachEvent(internal::SessionAccess::Get(admin)->db.get(), 0, [&](const internal::EventRecord& e) {
            if (e.action == Action::kUnlock && !e.allowed) failures.push_back(e);
            return Status::Ok();
          }).ok());
  REQUIRE(failures.size() == 3);
  CHECK(failures[0].principal_id == sara_id);
  CHECK(failures[0].actor == Actor::kSchool);
  CHECK(failures[1].principal_id == sara_id);
  // Written at the unlock that ingests them (event times never go
  // backwards); each reason keeps the attempt's own time.
  const UnixSeconds first_attempt = f.clock->Now() - 65;
  CHECK(failures[0].time == f.clock->Now());
  CHECK(failures[1].time == failures[0].time);
  CHECK(failures[0].reason.find("(attempt at " + FormatRfc3339(first_attempt) + ")") !=
        std::string::npos);
  CHECK(failures[1].reason.find("(attempt at " + FormatRfc3339(first_attempt + 5) + ")") !=
        std::string::npos);
  CHECK(failures[2].principal_id == "unknown");
  CHECK(failures[2].target == "principal:?");
  // Ingested once only.
  f.Open("admin.anna", kAdminPass);
  size_t again = 0;
  REQUIRE(internal::ForEachEvent(internal::SessionAccess::Get(admin)->db.get(), 0, [&](const internal::EventRecord& e) {
            if (e.action == Action::kUnlock && !e.allowed) ++again;
            return Status::Ok();
          }).ok());
  CHECK(again == 3);

  // Malformed records are counted, not trusted.
  WriteFile(pending, "1 123 zz\ngarbage\n");
  f.Open("admin.anna", kAdminPass);
  std::string last_reason;
  REQUIRE(internal::ForEachEvent(internal::SessionAccess::Get(admin)->db.get(), 0, [&](const internal::EventRecord& e) {
            if (e.action == Action::kUnlock && !e.allowed) last_reason = e.reason;
            return Status::Ok();
          }).ok());
  CHECK(last_reason.find("2 further failed-unlock records") != std::string::npos);
}
