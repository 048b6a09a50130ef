// Copyright (c) libsspf authors.
// The keyring file (keys/keyring.h) and the atomic write under it
// (util/file.h, sspf/file.h): round trips, tampering, truncation, wrong
// credentials, credential kinds, and a temp path that someone planted.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "catch.h"
#include "crypto/crypto.h"
#include "keys/keyring.h"
#include "sspf/file.h"
#include "test_util.h"
#include "util/file.h"

namespace sspf {
namespace {

using internal::Bytes;
using internal::Keyring;
using internal::Unwrapped;
using internal::WrapKind;
using testing::ReadFile;
using testing::Secret;
using testing::TempDir;
using testing::WriteFile;

constexpr char kPass[] = "correct horse battery staple";

SecretBytes RandomSecret() { return std::move(SecretBytes::Random(32).value()); }

mode_t ModeOf(const std::string& path) {
  struct stat st;
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// A keyring with a passphrase entry for anna (with a principal key), a raw
// key entry for bob and the recovery entry, saved at path.
struct Fixture {
  TempDir dir;
  std::string path = dir.File("store.db.keyring");
  Bytes store_id = internal::RandomBytes(internal::kStoreIdSize);
  SecretBytes root = RandomSecret();
  SecretBytes data = RandomSecret();
  internal::RootSecrets roots{&root, &data};
  internal::BoxKeyPair anna_box = std::move(internal::NewBoxKeyPair().value());
  SecretBytes& anna_sk = anna_box.secret_key;
  SecretBytes bob_key = RandomSecret();
  SecretBytes recovery = RandomSecret();
  Bytes anna = Keyring::PrincipalTag(store_id, "anna");
  Bytes bob = Keyring::PrincipalTag(store_id, "bob");
  Bytes rec = Keyring::RecoveryTag(store_id);

  internal::SignKeyPair authority_pair = std::move(internal::NewSignKeyPair().value());
  Bytes anchor = authority_pair.public_key;
  SecretBytes& authority = authority_pair.secret_key;
  SecretBytes anna_signing = std::move(SecretBytes::Random(64).value());

  Fixture() {
    Keyring k = Keyring::New(store_id);
    internal::EntrySecrets anna_secrets;
    anna_secrets.box_secret_key = &anna_sk;
    anna_secrets.signing_secret_key = &anna_signing;
    anna_secrets.anchor_public_key = anchor;
    internal::EntrySecrets bob_secrets;  // a raw key entry without principal keys
    bob_secrets.anchor_public_key = anchor;
    internal::EntrySecrets recovery_secrets;
    recovery_secrets.authority_secret_key = &authority;
    recovery_secrets.anchor_public_key = anchor;
    REQUIRE(k.Put(anna, WrapKind::kPassphrase, Secret(kPass), PassphraseCost::Interactive(),
                  roots, anna_secrets)
                .ok());
    REQUIRE(k.Put(bob, WrapKind::kKey, bob_key, PassphraseCost::Interactive(), roots,
                  bob_secrets)
                .ok());
    REQUIRE(k.Put(rec, WrapKind::kRecovery, recovery, PassphraseCost::Interactive(), roots,
                  recovery_secrets)
                .ok());
    REQUIRE(k.SignRoots(authority, roots).ok());
    REQUIRE(k.Save(path, root).ok());
  }

  Bytes File() const {
    std::string s = ReadFile(path);
    return Bytes(s.begin(), s.end());
  }
};

TEST_CASE("keyring: save and load round-trip", "[keys][keyring]") {
  Fixture f;
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  CHECK(k->store_id() == f.store_id);
  CHECK(k->Has(f.anna));
  CHECK(k->Has(f.bob));
  CHECK(k->Has(f.rec));
  CHECK_FALSE(k->Has(Keyring::PrincipalTag(f.store_id, "carl")));
  CHECK(k->Verify(f.root).ok());
  // Serialising what was loaded gives back the file byte for byte.
  CHECK(k->Serialize(f.root).value() == f.File());

  Result<Unwrapped> a = k->Unlock(f.anna, WrapKind::kPassphrase, Secret(kPass));
  REQUIRE(a.ok());
  CHECK(a->root_key.Equals(f.root));
  CHECK(a->data_key.Equals(f.data));
  CHECK(a->principal_secret_key.Equals(f.anna_sk));
  CHECK(a->signing_secret_key.Equals(f.anna_signing));
  CHECK(a->anchor_public_key == f.anchor);  // the pin comes back as it was put
  CHECK(a->authority_secret_key.empty());
  Result<Unwrapped> b = k->Unlock(f.bob, WrapKind::kKey, f.bob_key);
  REQUIRE(b.ok());
  CHECK(b->root_key.Equals(f.root));
  CHECK(b->data_key.Equals(f.data));
  CHECK(b->principal_secret_key.empty());
  Result<Unwrapped> r = k->Unlock(f.rec, WrapKind::kRecovery, f.recovery);
  REQUIRE(r.ok());
  CHECK(r->root_key.Equals(f.root));
  CHECK(r->data_key.Equals(f.data));
  CHECK(r->authority_secret_key.Equals(f.authority));
  CHECK(r->principal_secret_key.empty());

  // Tags are bound to the store and the name.
  CHECK(Keyring::PrincipalTag(f.store_id, "anna") == f.anna);
  CHECK(Keyring::PrincipalTag(internal::RandomBytes(16), "anna") != f.anna);
  CHECK(f.anna != f.bob);
  CHECK(f.rec != f.anna);
}

TEST_CASE("keyring: a removed entry no longer opens", "[keys][keyring]") {
  Fixture f;
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  k->Remove(f.bob);
  CHECK_FALSE(k->Has(f.bob));
  REQUIRE(k->Save(f.path, f.root).ok());
  Result<Keyring> again = Keyring::Load(f.path);
  REQUIRE(again.ok());
  CHECK(again->Unlock(f.bob, WrapKind::kKey, f.bob_key).status().code() ==
        StatusCode::kWrongKey);
  CHECK(again->Unlock(f.rec, WrapKind::kRecovery, f.recovery).ok());
}

TEST_CASE("keyring: a wrong passphrase or key is kWrongKey", "[keys][keyring]") {
  Fixture f;
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  Result<Unwrapped> u = k->Unlock(f.anna, WrapKind::kPassphrase, Secret("wrong passphrase"));
  CHECK(u.status().code() == StatusCode::kWrongKey);
  CHECK(u.status().message() == "wrong passphrase or not an sspf store");
  CHECK(k->Unlock(f.bob, WrapKind::kKey, RandomSecret()).status().code() ==
        StatusCode::kWrongKey);
  CHECK(k->Unlock(f.rec, WrapKind::kRecovery, RandomSecret()).status().code() ==
        StatusCode::kWrongKey);
  // An unknown name looks the same as a wrong passphrase.
  Result<Unwrapped> nobody = k->Unlock(Keyring::PrincipalTag(f.store_id, "nobody"),
                                       WrapKind::kPassphrase, Secret(kPass));
  CHECK(nobody.status().code() == StatusCode::kWrongKey);
  CHECK(nobody.status().message() == u.status().message());
  // A MAC key from another root key does not verify.
  CHECK(k->Verify(RandomSecret()).code() == StatusCode::kIntegrityViolation);
}

TEST_CASE("keyring: a credential opens only entries of its kind", "[keys][keyring]") {
  Fixture f;
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  // The right secret, the wrong kind.
  CHECK(k->Unlock(f.bob, WrapKind::kPassphrase, f.bob_key).status().code() ==
        StatusCode::kWrongKey);
  CHECK(k->Unlock(f.bob, WrapKind::kRecovery, f.bob_key).status().code() ==
        StatusCode::kWrongKey);
  CHECK(k->Unlock(f.rec, WrapKind::kKey, f.recovery).status().code() ==
        StatusCode::kWrongKey);
  CHECK(k->Unlock(f.rec, WrapKind::kPassphrase, f.recovery).status().code() ==
        StatusCode::kWrongKey);
  CHECK(k->Unlock(f.anna, WrapKind::kKey, Secret(kPass)).status().code() ==
        StatusCode::kWrongKey);
  // A passphrase is never used as a raw key of the wrong size.
  Result<Keyring> k2 = Keyring::Load(f.path);
  REQUIRE(k2.ok());
  CHECK_FALSE(k2->Unlock(f.bob, WrapKind::kKey, Secret("short")).ok());
}

TEST_CASE("keyring: tampering is detected by the MAC", "[keys][keyring]") {
  Fixture f;
  const Bytes good = f.File();
  SECTION("the MAC itself") {
    Bytes bad = good;
    bad.back() ^= 0x01;
    Result<Keyring> k = Keyring::Parse(bad);
    REQUIRE(k.ok());  // structure is fine; the MAC needs the root key
    CHECK(k->Unlock(f.anna, WrapKind::kPassphrase, Secret(kPass)).status().code() ==
          StatusCode::kIntegrityViolation);
    CHECK(k->Verify(f.root).code() == StatusCode::kIntegrityViolation);
  }
  SECTION("another principal's entry") {
    // The last entry is the recovery entry; its sealed bytes end before its
    // (empty) root seal's length (4) and the MAC (32).  Anna's own entry
    // still opens, but the keyring as a whole no longer verifies.
    Bytes bad = good;
    bad[bad.size() - 37] ^= 0x01;
    Result<Keyring> k = Keyring::Parse(bad);
    REQUIRE(k.ok());
    Result<Unwrapped> u = k->Unlock(f.anna, WrapKind::kPassphrase, Secret(kPass));
    CHECK(u.status().code() == StatusCode::kIntegrityViolation);
    CHECK(u.status().message() == "keyring has been tampered with (MAC mismatch)");
    CHECK(k->Unlock(f.rec, WrapKind::kRecovery, f.recovery).status().code() ==
          StatusCode::kWrongKey);
  }
  SECTION("the store id") {
    Bytes bad = good;
    bad[9] ^= 0x01;  // after magic (8) and version (1)
    Result<Keyring> k = Keyring::Parse(bad);
    REQUIRE(k.ok());
    CHECK_FALSE(k->Unlock(f.bob, WrapKind::kKey, f.bob_key).ok());
    CHECK(k->Verify(f.root).code() == StatusCode::kIntegrityViolation);
  }
}

TEST_CASE("keyring: a new generation reseals the root keys to principals' box keys",
          "[keys][keyring][rekey]") {
  Fixture f;
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  CHECK(k->generation() == 1);
  CHECK(k->PrincipalTags() == std::vector<Bytes>{f.anna});  // bob and recovery hold no box key
  SecretBytes new_root = RandomSecret();
  internal::RootSecrets next_roots{&new_root, &f.data};
  Keyring next = *k;
  next.set_generation(2);
  REQUIRE(next.ResealRoots(f.anna, f.anna_box.public_key, next_roots).ok());
  CHECK(next.ResealRoots(f.rec, f.anna_box.public_key, next_roots).code() ==
        StatusCode::kNotFound);
  REQUIRE(next.SignRoots(f.authority, next_roots).ok());
  const std::string next_path = f.dir.File("next.keyring");
  REQUIRE(next.Save(next_path, new_root).ok());
  Result<Keyring> loaded = Keyring::Load(next_path);
  REQUIRE(loaded.ok());
  CHECK(loaded->generation() == 2);
  // Anna's passphrase is unchanged; it now yields the new root key and the
  // same data key.
  Result<Unwrapped> a = loaded->Unlock(f.anna, WrapKind::kPassphrase, Secret(kPass));
  REQUIRE(a.ok());
  CHECK(a->root_key.Equals(new_root));
  CHECK(a->data_key.Equals(f.data));
  // Bob's entry still wraps the old root inside it: opening it fails the MAC
  // (the rekey removes such entries).
  CHECK(loaded->Unlock(f.bob, WrapKind::kKey, f.bob_key).status().code() ==
        StatusCode::kIntegrityViolation);
}

TEST_CASE("keyring: root keys someone else sealed to a principal are refused",
          "[keys][keyring][rekey][attack]") {
  // The insider knows the root key and anna's public box key, so she can
  // seal other root keys to anna and MAC the file under them; what she
  // cannot do is sign them with the store authority anna pins.
  Fixture f;
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  SecretBytes evil_root = RandomSecret();
  internal::RootSecrets evil{&evil_root, &f.data};
  SECTION("unsigned") {
    REQUIRE(k->ResealRoots(f.anna, f.anna_box.public_key, evil).ok());
  }
  SECTION("signed by another authority") {
    REQUIRE(k->ResealRoots(f.anna, f.anna_box.public_key, evil).ok());
    internal::SignKeyPair other = std::move(internal::NewSignKeyPair().value());
    REQUIRE(k->SignRoots(other.secret_key, evil).ok());
  }
  SECTION("a seal of another generation") {
    k->set_generation(7);  // the old seal's header says generation 1
    evil_root = SecretBytes::Copy(f.root.data(InsecureSecretAccess::Get()), 32).value();
    REQUIRE(k->SignRoots(f.authority, f.roots).ok());
  }
  REQUIRE(k->Save(f.path, evil_root).ok());
  Result<Keyring> again = Keyring::Load(f.path);
  REQUIRE(again.ok());
  Result<Unwrapped> u = again->Unlock(f.anna, WrapKind::kPassphrase, Secret(kPass));
  CHECK(u.status().code() == StatusCode::kIntegrityViolation);
  CHECK_FALSE(u.ok());
}

TEST_CASE("keyring: truncated and malformed files are refused", "[keys][keyring]") {
  Fixture f;
  const Bytes good = f.File();
  REQUIRE(good.size() > 100);
  for (size_t len : {size_t{0}, size_t{4}, size_t{8}, size_t{9}, size_t{20}, size_t{29},
                     size_t{60}, good.size() / 2, good.size() - 32, good.size() - 1}) {
    INFO(len);
    Result<Keyring> k = Keyring::Parse(Bytes(good.begin(), good.begin() + len));
    CHECK(k.status().code() == StatusCode::kIntegrityViolation);
  }
  Bytes longer = good;
  longer.push_back(0);
  CHECK(Keyring::Parse(longer).status().code() == StatusCode::kIntegrityViolation);
  Bytes magic = good;
  magic[0] = 'X';
  CHECK(Keyring::Parse(magic).status().message() == "not an sspf keyring file");
  Bytes version = good;
  version[8] = 99;
  CHECK(Keyring::Parse(version).status().message() == "unsupported keyring version");

  WriteFile(f.path, std::string(good.begin(), good.begin() + 40));
  CHECK(Keyring::Load(f.path).status().code() == StatusCode::kIntegrityViolation);
  CHECK(Keyring::Load(f.dir.File("absent.keyring")).status().code() == StatusCode::kNotFound);
}

TEST_CASE("atomic write: mode 0600 and the old file replaced", "[keys][file]") {
  Fixture f;
  CHECK(ModeOf(f.path) == 0600);
  ::chmod(f.path.c_str(), 0644);
  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  const mode_t old_umask = ::umask(0);
  Status s = k->Save(f.path, f.root);
  ::umask(old_umask);
  REQUIRE(s.ok());
  CHECK(ModeOf(f.path) == 0600);
  CHECK_FALSE(Exists(internal::AtomicWriteTempPath(f.path)));
  // The public form sets the mode it is given, whatever the umask.
  const std::string pub = f.dir.File("checkpoint.note");
  const mode_t strict = ::umask(077);
  s = WriteFileAtomically(pub, "note\n", 0644);
  ::umask(strict);
  REQUIRE(s.ok());
  CHECK(ReadFile(pub) == "note\n");
  CHECK(ModeOf(pub) == 0644);
  REQUIRE(WriteFileAtomically(pub, "", 0600).ok());
  CHECK(ReadFile(pub).empty());
  CHECK(ModeOf(pub) == 0600);
}

TEST_CASE("atomic write: a planted symlink at the temp path is refused", "[keys][file]") {
  Fixture f;
  const Bytes before = f.File();
  const std::string victim = f.dir.File("victim");
  WriteFile(victim, "do not touch");
  ::chmod(victim.c_str(), 0644);
  const std::string tmp = internal::AtomicWriteTempPath(f.path);
  REQUIRE(::symlink(victim.c_str(), tmp.c_str()) == 0);

  Result<Keyring> k = Keyring::Load(f.path);
  REQUIRE(k.ok());
  Status s = k->Save(f.path, f.root);
  CHECK(s.code() == StatusCode::kIoError);
  CHECK(s.message().rfind("cannot write the keyring: ", 0) == 0);
  CHECK(ReadFile(victim) == "do not touch");  // not followed, not truncated
  CHECK(ModeOf(victim) == 0644);
  CHECK(f.File() == before);                  // the keyring is unchanged
  struct stat st;
  REQUIRE(::lstat(tmp.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));                 // and the link is left alone

  // A dangling link is refused just the same (O_EXCL, O_NOFOLLOW).
  REQUIRE(::unlink(tmp.c_str()) == 0);
  const std::string nowhere = f.dir.File("nowhere");
  REQUIRE(::symlink(nowhere.c_str(), tmp.c_str()) == 0);
  CHECK(k->Save(f.path, f.root).code() == StatusCode::kIoError);
  CHECK_FALSE(Exists(nowhere));
  CHECK(f.File() == before);

  // So is a directory; the public form names the file in its message.
  REQUIRE(::unlink(tmp.c_str()) == 0);
  const std::string pub = f.dir.File("checkpoint.note");
  REQUIRE(::mkdir(internal::AtomicWriteTempPath(pub).c_str(), 0700) == 0);
  Status p = WriteFileAtomically(pub, "note\n", 0644);
  CHECK(p.code() == StatusCode::kIoError);
  CHECK(p.message().find(pub) != std::string::npos);
  CHECK_FALSE(Exists(pub));

  // With the link gone the same write goes through.
  REQUIRE(k->Save(f.path, f.root).ok());
  CHECK(ModeOf(f.path) == 0600);
}

TEST_CASE("atomic write: a crash before the rename leaves the old file", "[keys][file]") {
  Fixture f;
  const Bytes before = f.File();
  const std::string tmp = internal::AtomicWriteTempPath(f.path);
  Status crash = internal::AtomicWriteFile(f.path, "new contents", 0600, "the keyring",
                                           [] { return IoError("simulated crash"); });
  CHECK(crash.message() == "simulated crash");
  CHECK(f.File() == before);
  CHECK(ReadFile(tmp) == "new contents");  // the leftover of the "crash"
  // The next write removes the leftover regular file and succeeds.
  REQUIRE(internal::AtomicWriteFile(f.path, "newer", 0600, "the keyring").ok());
  CHECK(ReadFile(f.path) == "newer");
  CHECK_FALSE(Exists(tmp));
  // An error before the rename removes the temp file and names the file.
  Status missing =
      internal::AtomicWriteFile(f.dir.File("no/such/dir/keyring"), "x", 0600, "the keyring");
  CHECK(missing.code() == StatusCode::kIoError);
  CHECK(missing.message().rfind("cannot write the keyring: ", 0) == 0);
}

}  // namespace
}  // namespace sspf
