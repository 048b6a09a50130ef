// Store paths: Store::Create, Store::Open and Store::ResetWithRecoveryKey
// refuse a store path or keyring path (<path>.keyring) that is a symbolic
// link, before they read or write anything; the link's target stays as it
// was.
#include <unistd.h>

#include <string>

#include "catch.h"
#include "sspf/file.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kAdminPass = "correct horse battery staple";
constexpr const char* kNewPass = "en helt ny lösenfras 7";

void Symlink(const std::string& target, const std::string& link) {
  REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
}

void WriteText(const std::string& path, const std::string& text) {
  REQUIRE(WriteFileAtomically(path, text, 0600).ok());
}

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

void ExpectSymlinkRefusal(const Status& s, const std::string& what) {
  INFO(s.ToString());
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message().find(what + " is a symbolic link; give the real path") !=
        std::string::npos);
}

// A real store, and the bytes of its two files.
struct RealStore {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  SecretBytes recovery;
  std::string store_bytes, keyring_bytes;

  RealStore() {
    Result<InitResult> r = Store::Create(options, "admin.anna", Pass(kAdminPass));
    REQUIRE(r.ok());
    recovery = std::move(r->recovery_key);
    Snapshot();
  }
  std::string keyring() const { return options.path + ".keyring"; }
  void Snapshot() {
    store_bytes = ReadFile(options.path);
    keyring_bytes = ReadFile(keyring());
    REQUIRE(!store_bytes.empty());
    REQUIRE(!keyring_bytes.empty());
  }
  // The files at `store` and `keyring` hold what Snapshot saw.
  void ExpectUntouched(const std::string& store, const std::string& keyring) const {
    CHECK(ReadFile(store) == store_bytes);
    CHECK(ReadFile(keyring) == keyring_bytes);
  }
  // Open, and ResetWithRecoveryKey, at `options`: both refused.
  void ExpectBothRefused(const StoreOptions& at, const std::string& what) const {
    Result<Session> s = Store::Open(at, "admin.anna", Pass(kAdminPass));
    ExpectSymlinkRefusal(s.status(), what);
    ExpectSymlinkRefusal(
        Store::ResetWithRecoveryKey(at, recovery, "admin.anna", Pass(kNewPass)), what);
  }
};

}  // namespace

TEST_CASE("create refuses a store path that is a symbolic link", "[store][paths]") {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  const std::string target = dir.File("victim.txt");
  WriteText(target, "someone else's file\n");
  Symlink(target, options.path);
  ExpectSymlinkRefusal(Store::Create(options, "admin.anna", Pass(kAdminPass)).status(),
                       "the store path");
  CHECK(ReadFile(target) == "someone else's file\n");
  CHECK_FALSE(Exists(options.path + ".keyring"));
}

TEST_CASE("create refuses a dangling symbolic link as the store path", "[store][paths]") {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  const std::string target = dir.File("not-yet.db");
  Symlink(target, options.path);
  ExpectSymlinkRefusal(Store::Create(options, "admin.anna", Pass(kAdminPass)).status(),
                       "the store path");
  CHECK_FALSE(Exists(target));
  CHECK_FALSE(Exists(options.path + ".keyring"));
}

TEST_CASE("create refuses a keyring path that is a symbolic link", "[store][paths]") {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  const std::string target = dir.File("victim.keyring");
  WriteText(target, "someone else's keyring\n");
  Symlink(target, options.path + ".keyring");
  ExpectSymlinkRefusal(Store::Create(options, "admin.anna", Pass(kAdminPass)).status(),
                       "the keyring path (<store>.keyring)");
  CHECK(ReadFile(target) == "someone else's keyring\n");
  CHECK_FALSE(Exists(options.path));
}

TEST_CASE("open and recovery refuse a store path that is a symbolic link", "[store][paths]") {
  RealStore real;
  TempDir other;
  StoreOptions at = real.options;
  at.path = other.File("link.db");
  Symlink(real.options.path, at.path);
  Symlink(real.keyring(), at.path + ".keyring");
  real.ExpectBothRefused(at, "the store path");
  real.ExpectUntouched(real.options.path, real.keyring());
  CHECK_FALSE(Exists(at.path + ".unlock-failures"));
  // The real path still opens.
  CHECK(Store::Open(real.options, "admin.anna", Pass(kAdminPass)).ok());
}

TEST_CASE("open and recovery refuse a keyring path that is a symbolic link", "[store][paths]") {
  RealStore real;
  const std::string moved = real.dir.File("elsewhere.keyring");
  REQUIRE(::rename(real.keyring().c_str(), moved.c_str()) == 0);
  Symlink(moved, real.keyring());
  real.ExpectBothRefused(real.options, "the keyring path (<store>.keyring)");
  real.ExpectUntouched(real.options.path, moved);
  CHECK_FALSE(Exists(real.options.path + ".unlock-failures"));
  // With the real file back in place the store opens with the old passphrase.
  REQUIRE(::unlink(real.keyring().c_str()) == 0);
  REQUIRE(::rename(moved.c_str(), real.keyring().c_str()) == 0);
  CHECK(Store::Open(real.options, "admin.anna", Pass(kAdminPass)).ok());
}
