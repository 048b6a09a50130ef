// Copyright (c) libsspf authors.
// The libsodium wrappers (crypto/crypto.h) and SecretBytes (sspf/secret.h):
// round trips, and that every kind of tampering or wrong key fails.
#include <algorithm>
#include <array>
#include <string>

#include "catch.h"
#include "crypto/crypto.h"
#include "sspf/secret.h"
#include "util/encoding.h"

namespace sspf {
namespace {

using internal::Bytes;
using internal::kAeadNonceSize;
using internal::kAeadTagSize;
using internal::KdfCost;

Bytes B(const std::string& s) { return Bytes(s.begin(), s.end()); }
SecretBytes S(const std::string& s) { return std::move(SecretBytes::Copy(s).value()); }
SecretBytes RandomKey() { return std::move(SecretBytes::Random(32).value()); }
std::string Str(const PlainText& p) { return std::string(p.begin(), p.end()); }
std::string Str(const SecretBytes& s) {
  return std::string(s.view(InsecureSecretAccess::Get()));
}
// The cheapest Argon2id cost libsodium allows: enough to test behaviour.
const KdfCost kFast{1, 8192};

TEST_CASE("AEAD: round trip, randomised nonce, layout", "[crypto][aead]") {
  SecretBytes key = RandomKey();
  const Bytes msg = B("anteckning från skolan");
  const Bytes ad = B("entry:1");
  Result<Bytes> a = internal::AeadSeal(key, msg.data(), msg.size(), ad);
  Result<Bytes> b = internal::AeadSeal(key, msg.data(), msg.size(), ad);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == kAeadNonceSize + msg.size() + kAeadTagSize);
  CHECK(*a != *b);  // a fresh nonce each time
  CHECK(!std::equal(a->begin(), a->begin() + kAeadNonceSize, b->begin()));
  Result<PlainText> open = internal::AeadOpen(key, *a, ad);
  REQUIRE(open.ok());
  CHECK(Str(*open) == "anteckning från skolan");
  CHECK(Str(internal::AeadOpen(key.data(InsecureSecretAccess::Get()), *b, ad).value()) ==
        "anteckning från skolan");
  Result<SecretBytes> secret = internal::AeadOpenSecret(key, *a, ad);
  REQUIRE(secret.ok());
  CHECK(Str(*secret) == "anteckning från skolan");
  // The empty message.
  Result<Bytes> empty = internal::AeadSeal(key, nullptr, 0, ad);
  REQUIRE(empty.ok());
  CHECK(empty->size() == kAeadNonceSize + kAeadTagSize);
  CHECK(internal::AeadOpen(key, *empty, ad).value().empty());
}

TEST_CASE("AEAD: tampering with nonce, ciphertext, tag or AD fails", "[crypto][aead]") {
  SecretBytes key = RandomKey();
  const Bytes msg = B("beslut");
  const Bytes ad = B("entry:1");
  const Bytes sealed = internal::AeadSeal(key, msg.data(), msg.size(), ad).value();
  auto fails = [&](const Bytes& s, const Bytes& with_ad) {
    Result<PlainText> r = internal::AeadOpen(key, s, with_ad);
    Result<SecretBytes> r2 = internal::AeadOpenSecret(key, s, with_ad);
    return r.status().code() == StatusCode::kIntegrityViolation &&
           r2.status().code() == StatusCode::kIntegrityViolation;
  };
  for (size_t i = 0; i < sealed.size(); ++i) {
    INFO(i);
    Bytes bad = sealed;
    bad[i] ^= 0x80;  // every byte: nonce, ciphertext and tag
    CHECK(fails(bad, ad));
  }
  CHECK(fails(sealed, B("entry:2")));
  CHECK(fails(sealed, Bytes{}));
  CHECK(fails(Bytes(sealed.begin(), sealed.end() - 1), ad));
  Bytes longer = sealed;
  longer.push_back(0);
  CHECK(fails(longer, ad));
  Result<PlainText> short_one =
      internal::AeadOpen(key, Bytes(kAeadNonceSize + kAeadTagSize - 1, 0), ad);
  CHECK(short_one.status().message() == "ciphertext too short");
  // The untouched box still opens.
  CHECK(internal::AeadOpen(key, sealed, ad).ok());
}

TEST_CASE("AEAD: a wrong key fails", "[crypto][aead]") {
  SecretBytes key = RandomKey();
  const Bytes msg = B("beslut");
  const Bytes sealed = internal::AeadSeal(key, msg.data(), msg.size(), Bytes{}).value();
  CHECK(internal::AeadOpen(RandomKey(), sealed, Bytes{}).status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK(internal::AeadOpenSecret(RandomKey(), sealed, Bytes{}).status().code() ==
        StatusCode::kIntegrityViolation);
  // A key of the wrong size is refused before any crypto.
  CHECK_FALSE(internal::AeadSeal(S("short"), msg.data(), msg.size(), Bytes{}).ok());
  CHECK_FALSE(internal::AeadOpen(S("short"), sealed, Bytes{}).ok());
}

TEST_CASE("sealed boxes: round trip, wrong key, tampering", "[crypto][box]") {
  internal::BoxKeyPair kp = std::move(internal::NewBoxKeyPair().value());
  internal::BoxKeyPair other = std::move(internal::NewBoxKeyPair().value());
  CHECK(kp.public_key.size() == internal::kBoxPublicKeySize);
  CHECK(kp.secret_key.size() == internal::kBoxSecretKeySize);
  CHECK(kp.public_key != other.public_key);
  const Bytes msg = B("actor key material 0123456789abc");
  const Bytes sealed = internal::SealTo(kp.public_key, msg.data(), msg.size());
  CHECK(sealed.size() == msg.size() + internal::kSealOverhead);
  CHECK(internal::SealTo(kp.public_key, msg.data(), msg.size()) != sealed);  // ephemeral key
  Result<SecretBytes> open = internal::SealOpen(kp.public_key, kp.secret_key, sealed);
  REQUIRE(open.ok());
  CHECK(Str(*open) == "actor key material 0123456789abc");

  CHECK(internal::SealOpen(other.public_key, other.secret_key, sealed).status().code() ==
        StatusCode::kIntegrityViolation);
  Bytes bad = sealed;
  bad[bad.size() / 2] ^= 1;
  CHECK(internal::SealOpen(kp.public_key, kp.secret_key, bad).status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK(internal::SealOpen(kp.public_key, kp.secret_key, Bytes(47, 0)).status().message() ==
        "sealed box malformed");

  std::array<uint8_t, 32> out;
  out.fill(0xAA);
  REQUIRE(internal::SealOpenInto(kp.public_key, kp.secret_key, sealed, out.data(), out.size())
              .ok());
  CHECK(Bytes(out.begin(), out.end()) == msg);
  CHECK(internal::SealOpenInto(kp.public_key, kp.secret_key, sealed, out.data(), 31)
            .message() == "sealed box malformed");
  // A failed open leaves nothing of a half-decrypted message behind.
  out.fill(0xAA);
  CHECK(internal::SealOpenInto(other.public_key, other.secret_key, sealed, out.data(),
                               out.size())
            .code() == StatusCode::kIntegrityViolation);
  CHECK(std::all_of(out.begin(), out.end(), [](uint8_t c) { return c == 0; }));
}

TEST_CASE("Argon2id: deterministic for the same salt, different otherwise", "[crypto][kdf]") {
  const Bytes salt(internal::kArgonSaltSize, 7);
  const Bytes salt2(internal::kArgonSaltSize, 8);
  SecretBytes a = std::move(internal::Argon2id(S("lösenord"), salt, kFast).value());
  SecretBytes b = std::move(internal::Argon2id(S("lösenord"), salt, kFast).value());
  SecretBytes c = std::move(internal::Argon2id(S("lösenord"), salt2, kFast).value());
  SecretBytes d = std::move(internal::Argon2id(S("lösenorD"), salt, kFast).value());
  SecretBytes e = std::move(internal::Argon2id(S("lösenord"), salt, KdfCost{2, 8192}).value());
  CHECK(a.size() == 32);
  CHECK(a.Equals(b));
  CHECK_FALSE(a.Equals(c));
  CHECK_FALSE(a.Equals(d));
  CHECK_FALSE(a.Equals(e));  // the cost is part of the derivation
  CHECK(internal::Argon2id(S("x"), Bytes(15, 0), kFast).status().code() ==
        StatusCode::kInternal);
  CHECK(internal::Argon2id(S("x"), salt, KdfCost{0, 8192}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(internal::Argon2id(S("x"), salt, KdfCost{1, 1024}).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("KDF subkeys differ by id, context and root", "[crypto][kdf]") {
  SecretBytes root = RandomKey();
  SecretBytes k1 = std::move(internal::DeriveSubkey(root, 1, "sspfkeys").value());
  SecretBytes k1b = std::move(internal::DeriveSubkey(root, 1, "sspfkeys").value());
  SecretBytes k2 = std::move(internal::DeriveSubkey(root, 2, "sspfkeys").value());
  SecretBytes kc = std::move(internal::DeriveSubkey(root, 1, "keyring_").value());
  SecretBytes kr = std::move(internal::DeriveSubkey(RandomKey(), 1, "sspfkeys").value());
  CHECK(k1.size() == 32);
  CHECK(k1.Equals(k1b));
  CHECK_FALSE(k1.Equals(k2));
  CHECK_FALSE(k1.Equals(kc));
  CHECK_FALSE(k1.Equals(kr));
  CHECK_FALSE(k1.Equals(root));
  CHECK(internal::DeriveSubkey(S("short"), 1, "sspfkeys").status().code() ==
        StatusCode::kInternal);
}

TEST_CASE("hashes: BLAKE2b-256 vectors, keyed hashes", "[crypto][hash]") {
  CHECK(internal::HexEncode(internal::Hash256(nullptr, 0)) ==
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  const Bytes abc = B("abc");
  CHECK(internal::HexEncode(internal::Hash256(abc.data(), abc.size())) ==
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  SecretBytes k = RandomKey();
  const Bytes h = internal::KeyedHash(k, abc.data(), abc.size());
  CHECK(h.size() == 32);
  CHECK(internal::KeyedHash(k, abc.data(), abc.size()) == h);
  CHECK(internal::KeyedHash(RandomKey(), abc.data(), abc.size()) != h);
  CHECK(h != internal::Hash256(abc.data(), abc.size()));
}

TEST_CASE("associated data is length-prefixed and unambiguous", "[crypto][ad]") {
  CHECK(internal::AdBuilder().Add("ab").bytes() == (Bytes{0, 0, 0, 0, 0, 0, 0, 2, 'a', 'b'}));
  CHECK(internal::AdBuilder().AddU64(0x0102).bytes() == (Bytes{0, 0, 0, 0, 0, 0, 1, 2}));
  CHECK(internal::AdBuilder().Add("a").Add("bc").bytes() !=
        internal::AdBuilder().Add("ab").Add("c").bytes());
}

TEST_CASE("random ids and bytes", "[crypto]") {
  const std::string a = internal::RandomId(), b = internal::RandomId();
  CHECK(a.size() == 32);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != b);
  CHECK(internal::RandomBytes(0).empty());
  CHECK(internal::RandomBytes(16) != internal::RandomBytes(16));
}

TEST_CASE("SecretBytes: compare, move, wipe", "[crypto][secret]") {
  CHECK(S("abc").Equals(S("abc")));
  CHECK_FALSE(S("abc").Equals(S("abd")));
  CHECK_FALSE(S("abc").Equals(S("abcd")));  // sizes differ
  CHECK(SecretBytes().Equals(SecretBytes()));
  SecretBytes zero = std::move(SecretBytes::Allocate(16).value());
  CHECK(zero.size() == 16);
  const uint8_t* z = zero.data(InsecureSecretAccess::Get());
  CHECK(std::all_of(z, z + 16, [](uint8_t c) { return c == 0; }));
  SecretBytes r1 = RandomKey(), r2 = RandomKey();
  CHECK(r1.size() == 32);
  CHECK_FALSE(r1.Equals(r2));

  SecretBytes moved = std::move(r1);
  CHECK(moved.size() == 32);
  CHECK(r1.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
  CHECK(r1.data(InsecureSecretAccess::Get()) == nullptr);
  r2 = std::move(moved);
  CHECK(r2.size() == 32);
  CHECK(moved.empty());  // NOLINT(bugprone-use-after-move)

  std::array<uint8_t, 64> buf;
  buf.fill(0x5A);
  SecureWipe(buf.data(), 40);
  CHECK(std::all_of(buf.begin(), buf.begin() + 40, [](uint8_t c) { return c == 0; }));
  CHECK(std::all_of(buf.begin() + 40, buf.end(), [](uint8_t c) { return c == 0x5A; }));
  SecureWipe(nullptr, 0);  // allowed
}

}  // namespace
}  // namespace sspf
