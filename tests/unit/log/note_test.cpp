// Copyright (c) libsspf authors.
//
// Tests for checkpoints and signed notes, anchored to the test vectors of
// golang.org/x/mod/sumdb/note (note_test.go) and the C2SP specs.
#include "log/note.h"

#include <sodium.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catch.h"
#include "util/encoding.h"

namespace sspf::internal {
namespace {

// From golang.org/x/mod/sumdb/note note_test.go (TestSign, TestOpen).
const std::string kPeterSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const std::string kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kEnochVkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

std::vector<uint8_t> B64(const std::string& s) {
  std::vector<uint8_t> out(s.size());
  size_t len = 0;
  REQUIRE(sodium_base642bin(out.data(), out.size(), s.data(), s.size(),
                            nullptr, &len, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) == 0);
  out.resize(len);
  return out;
}

// The 64-byte libsodium secret key behind kPeterSkey (whose base64 part is
// 0x01 || Ed25519 seed).
SecretBytes PeterSecretKey(Ed25519PublicKey* pk = nullptr) {
  REQUIRE(sodium_init() >= 0);
  const std::string b64 = kPeterSkey.substr(kPeterSkey.rfind("+A") + 1);
  std::vector<uint8_t> typed = B64(b64);
  REQUIRE(typed.size() == 33);
  REQUIRE(typed[0] == 1);
  auto sk = SecretBytes::Allocate(64);
  REQUIRE(sk.ok());
  Ed25519PublicKey pub;
  REQUIRE(crypto_sign_seed_keypair(
              pub.data(), sk->data(InsecureSecretAccess::Get()),
              typed.data() + 1) == 0);
  sodium_memzero(typed.data(), typed.size());
  if (pk != nullptr) *pk = pub;
  return std::move(*sk);
}

VerifierKey Key(const std::string& vkey) {
  auto k = ParseVerifierKey(vkey);
  REQUIRE(k.ok());
  return *k;
}

StatusCode Code(const Result<std::string>& r) { return r.status().code(); }

TEST_CASE("Go sumdb/note verifier keys parse and format byte for byte",
          "[note]") {
  VerifierKey peter = Key(kPeterVkey);
  CHECK(peter.name == "PeterNeumann");
  CHECK(peter.key_id == 0xc74f20a3u);
  Ed25519PublicKey derived;
  SecretBytes sk = PeterSecretKey(&derived);
  CHECK(peter.public_key == derived);
  CHECK(NoteKeyId("PeterNeumann", derived) == 0xc74f20a3u);
  auto formatted = FormatVerifierKey("PeterNeumann", derived);
  REQUIRE(formatted.ok());
  CHECK(*formatted == kPeterVkey);

  VerifierKey enoch = Key(kEnochVkey);
  CHECK(enoch.key_id == 0xaf0cfe78u);
  CHECK(*FormatVerifierKey(enoch.name, enoch.public_key) == kEnochVkey);
}

TEST_CASE("mangled verifier keys are rejected (as in Go's TestNewVerifier)",
          "[note]") {
  // Every proper substring and every single-byte increment must fail.
  const std::string& k = kPeterVkey;
  for (size_t i = 0; i <= k.size(); ++i) {
    for (size_t j = i + 1; j <= k.size(); ++j) {
      if (i == 0 && j == k.size()) continue;
      INFO(k.substr(i, j - i));
      CHECK_FALSE(ParseVerifierKey(k.substr(i, j - i)).ok());
    }
  }
  for (size_t i = 0; i < k.size(); ++i) {
    std::string m = k;
    m[i] = static_cast<char>(m[i] + 1);
    INFO(m);
    CHECK_FALSE(ParseVerifierKey(m).ok());
  }
  // Wrong key length / unknown algorithm, each with an adjusted key id.
  CHECK_FALSE(ParseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiB"
                               "fsVkmqq/LDE4izWy10TWBADKEY==")
                  .ok());
  CHECK_FALSE(ParseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiB"
                               "fsVkmqq/LDE4izWy10TW")
                  .ok());
  // Upper-case hex, empty and odd inputs.
  CHECK_FALSE(ParseVerifierKey("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiB"
                               "fsVkmqq/LDE4izWy10TW")
                  .ok());
  CHECK_FALSE(ParseVerifierKey("").ok());
  CHECK_FALSE(ParseVerifierKey("+++").ok());
  CHECK(ParseVerifierKey("a b+c74f20a3+x").status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("SignNote reproduces the Go sumdb/note signature", "[note]") {
  SecretBytes sk = PeterSecretKey();
  auto note = SignNote(kText, "PeterNeumann", sk);
  REQUIRE(note.ok());
  CHECK(*note == kText + "\n" + kPeterSig);
  auto body = OpenNote(*note, Key(kPeterVkey));
  REQUIRE(body.ok());
  CHECK(*body == kText);
}

TEST_CASE("OpenNote verifies the Go TestOpen vectors", "[note]") {
  const VerifierKey peter = Key(kPeterVkey);
  const VerifierKey enoch = Key(kEnochVkey);
  const std::string both = kText + "\n" + kPeterSig + kEnochSig;

  // The other key's signature is ignored; either key opens the note.
  auto by_peter = OpenNote(both, peter);
  REQUIRE(by_peter.ok());
  CHECK(*by_peter == kText);
  auto by_enoch = OpenNote(both, enoch);
  REQUIRE(by_enoch.ok());
  CHECK(*by_enoch == kText);
  CHECK(OpenNote(kText + "\n" + kEnochSig + kPeterSig, peter).ok());

  // Only an unknown key's signature: rejected.
  CHECK(Code(OpenNote(kText + "\n" + kEnochSig, peter)) ==
        StatusCode::kIntegrityViolation);

  // Repeated signatures (up to the limit) are fine; more are malformed.
  std::string many = kText + "\n";
  for (int i = 0; i < 16; ++i) many += kPeterSig;
  CHECK(OpenNote(many, peter).ok());
  std::string too_many = kText + "\n";
  for (int i = 0; i < 101; ++i) too_many += kPeterSig;
  CHECK(Code(OpenNote(too_many, peter)) == StatusCode::kInvalidArgument);

  // A signature by the known key that does not verify rejects the note.
  const std::string bad_sig =
      kPeterSig.substr(0, 60) + "ABCD" + kPeterSig.substr(60);
  CHECK(Code(OpenNote(kText + "\n" + bad_sig, peter)) ==
        StatusCode::kIntegrityViolation);
  CHECK(Code(OpenNote(kText + "\n" + kPeterSig + bad_sig, peter)) ==
        StatusCode::kIntegrityViolation);
  // ...but an unknown key's bad signature is ignored.
  const std::string enoch_bad =
      kEnochSig.substr(0, 60) + "ABCD" + kEnochSig.substr(60);
  CHECK(OpenNote(kText + "\n" + kPeterSig + enoch_bad, peter).ok());

  // Malformed encodings (Go's badMsgs).
  const std::vector<std::string> bad_msgs = {
      kText,
      kText + "\n",
      kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1),
      "\x01" + kText + "\n" + kPeterSig,
      "\xff" + kText + "\n" + kPeterSig,
      kText + "\n" +
          "\xE2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      kText + "\n" + kPeterSig + "Unexpected line.\n",
      kText + "\n" + "- PeterNeumann " + kPeterSig.substr(17),  // ASCII dash
      kText + "\n" + "\xE2\x80\x94 PeterNeumann\n",
      kText + "\n" + "\xE2\x80\x94 PeterNeumann AAAA\n",  // < 5 bytes
      kText + "\n" + "\xE2\x80\x94 PeterNeumann x08go/\n",  // bad base64
      kText + "\n" + "\xE2\x80\x94 Peter+Neumann x08go/ZJ\n",
      "If you think\r\n\n" + kPeterSig,
      "",
      "\n\n",
  };
  for (const std::string& msg : bad_msgs) {
    INFO(msg);
    CHECK(Code(OpenNote(msg, peter)) == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("tampering is detected", "[note]") {
  const VerifierKey peter = Key(kPeterVkey);
  const std::string note = kText + "\n" + kPeterSig;

  std::string body = note;
  body.replace(body.find("cryptography"), 12, "cryptographY");
  CHECK(Code(OpenNote(body, peter)) == StatusCode::kIntegrityViolation);

  // Renamed signer, changed key id: the signature no longer matches the key
  // and is ignored, so the note has no valid signature.
  std::string renamed = note;
  renamed.replace(renamed.find("PeterNeumann"), 12, "CarmenSandiego");
  CHECK(Code(OpenNote(renamed, peter)) == StatusCode::kIntegrityViolation);
  std::string wrong_id = note;
  wrong_id.replace(wrong_id.find("x08g"), 4, "xxxx");
  CHECK(Code(OpenNote(wrong_id, peter)) == StatusCode::kIntegrityViolation);

  // Flipping any base64 character of the signature is caught (either as a
  // malformed line, a foreign key id or a failed verification).
  const size_t sig_start = note.rfind(' ') + 1;
  for (size_t i = sig_start; i + 2 < note.size(); ++i) {
    std::string t = note;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    INFO(i);
    CHECK_FALSE(OpenNote(t, peter).ok());
  }

  // Same key under another name, or another key under the same name/id.
  auto other_name = MakeVerifierKey("PeterNeumann2", peter.public_key);
  REQUIRE(other_name.ok());
  CHECK(Code(OpenNote(note, *other_name)) == StatusCode::kIntegrityViolation);
  VerifierKey impostor = peter;
  impostor.public_key = Key(kEnochVkey).public_key;
  CHECK(Code(OpenNote(note, impostor)) == StatusCode::kIntegrityViolation);
}

// C2SP tlog-cosignature, cosignature/v1: the key id with type 0x04, the
// signed message "cosignature/v1\ntime <t>\n" || body, and the signature
// bytes key id || big-endian timestamp || Ed25519 signature, checked here
// with libsodium directly rather than through the code under test.
TEST_CASE("cosignature/v1 lines follow C2SP tlog-cosignature byte for byte", "[note]") {
  Ed25519PublicKey pk;
  const SecretBytes sk = PeterSecretKey(&pk);
  const std::string name = "witness.example.com/w1";
  // The checkpoint of the spec's example, with some log signature line.
  const std::string body =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  auto logged = SignNote(body, "example.com/behind-the-sofa", sk);
  REQUIRE(logged.ok());

  uint8_t digest[32];
  std::string pre = name + "\n\x04";
  pre.append(reinterpret_cast<const char*>(pk.data()), pk.size());
  crypto_hash_sha256(digest, reinterpret_cast<const uint8_t*>(pre.data()), pre.size());
  const uint32_t want_id = (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) |
                           (uint32_t{digest[2]} << 8) | digest[3];
  CHECK(NoteKeyIdFor(name, kNoteAlgCosignatureV1, pk) == want_id);
  CHECK(NoteKeyIdFor(name, kNoteAlgCosignatureV1, pk) != NoteKeyId(name, pk));

  auto vkey = FormatCosignerKey(name, pk);
  REQUIRE(vkey.ok());
  const std::string b64 = vkey->substr(vkey->rfind('+') + 1);
  const std::vector<uint8_t> typed = B64(b64);
  REQUIRE(typed.size() == 33);
  CHECK(typed[0] == 0x04);
  CHECK(std::equal(pk.begin(), pk.end(), typed.begin() + 1));
  auto parsed = ParseCosignerKey(*vkey);
  REQUIRE(parsed.ok());
  CHECK(parsed->key_id == want_id);
  CHECK_FALSE(ParseVerifierKey(*vkey).ok());  // not a plain note key
  CHECK_FALSE(ParseCosignerKey(kPeterVkey).ok());

  const uint64_t t = 1679315147;
  auto cosigned = AddCosignature(*logged, name, sk, t);
  REQUIRE(cosigned.ok());
  REQUIRE(cosigned->substr(0, logged->size()) == *logged);
  const std::string line = cosigned->substr(logged->size());
  const std::string prefix = "\xE2\x80\x94 " + name + " ";
  REQUIRE(line.substr(0, prefix.size()) == prefix);
  REQUIRE(line.back() == '\n');
  const std::vector<uint8_t> blob = B64(line.substr(prefix.size(), line.size() - prefix.size() - 1));
  REQUIRE(blob.size() == 4 + 8 + 64);
  CHECK(((uint32_t{blob[0]} << 24) | (uint32_t{blob[1]} << 16) | (uint32_t{blob[2]} << 8) |
         blob[3]) == want_id);
  uint64_t got_t = 0;
  for (int i = 4; i < 12; ++i) got_t = (got_t << 8) | blob[i];
  CHECK(got_t == t);
  const std::string message = "cosignature/v1\ntime 1679315147\n" + body;
  CHECK(crypto_sign_verify_detached(blob.data() + 12,
                                    reinterpret_cast<const uint8_t*>(message.data()),
                                    message.size(), pk.data()) == 0);

  // Byte for byte the line of an independent implementation (python3-
  // cryptography, from the C2SP text; also the fuzz_witness corpus): Ed25519
  // is deterministic.  Key: the Go test key PeterNeumann.
  auto peter_line = AddCosignature(*logged, "PeterNeumann", sk, t);
  REQUIRE(peter_line.ok());
  CHECK(peter_line->substr(logged->size()) ==
        "\xE2\x80\x94 PeterNeumann GLl4CwAAAABkGFDLJeR//pqzhnEKVvEm2wWbh2RJ6oru5+cUUfm5X9NnlaGr"
        "8aSH9QE5RVZD4QGlxl2F5UpVIIi94p178KLfqPPsAA==\n");

  auto checked = VerifyCosignature(*cosigned, *parsed);
  REQUIRE(checked.ok());
  CHECK(*checked == t);
  // The log's signature still verifies; the cosignature is another line.
  auto log_key = MakeVerifierKey("example.com/behind-the-sofa", pk);
  REQUIRE(log_key.ok());
  CHECK(OpenNote(*cosigned, *log_key).ok());

  // Missing, on another body, with another timestamp: refused.
  CHECK(VerifyCosignature(*logged, *parsed).status().code() ==
        StatusCode::kIntegrityViolation);
  std::string other = *cosigned;
  other.replace(other.find("20852163"), 8, "20852164");
  CHECK(VerifyCosignature(other, *parsed).status().code() == StatusCode::kIntegrityViolation);
  std::vector<uint8_t> later = blob;
  later[11] ^= 1;
  const std::string retimed = *logged + prefix +
                              Base64Encode(later.data(), later.size()) + "\n";
  CHECK(VerifyCosignature(retimed, *parsed).status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK_FALSE(AddCosignature(*logged, name, sk, uint64_t{1} << 63).ok());
  CHECK(AddCosignature(*logged, name, sk, (uint64_t{1} << 63) - 1).ok());
}

TEST_CASE("checkpoints round-trip through a signed note", "[note]") {
  REQUIRE(sodium_init() >= 0);
  Ed25519PublicKey pk;
  auto sk = SecretBytes::Allocate(64);
  REQUIRE(sk.ok());
  crypto_sign_keypair(pk.data(), sk->data(InsecureSecretAccess::Get()));
  const std::string origin = "sspf.example/store/7f3a";
  auto vkey_text = FormatVerifierKey(origin, pk);
  REQUIRE(vkey_text.ok());
  const VerifierKey vkey = Key(*vkey_text);
  CHECK(vkey.public_key == pk);

  Checkpoint cp;
  cp.origin = origin;
  cp.size = 1234567;
  cp.root = LeafHash(reinterpret_cast<const uint8_t*>("x"), 1);
  cp.extensions = {"Timestamp: 1718000000", "ext two"};
  auto body = FormatCheckpoint(cp);
  REQUIRE(body.ok());
  auto parsed = ParseCheckpoint(*body);
  REQUIRE(parsed.ok());
  CHECK(*parsed == cp);

  auto note = SignNote(*body, origin, *sk);
  REQUIRE(note.ok());
  auto opened = OpenCheckpoint(*note, vkey, origin);
  REQUIRE(opened.ok());
  CHECK(*opened == cp);
  CHECK(OpenCheckpoint(*note, vkey, "other.example/log").status().code() ==
        StatusCode::kIntegrityViolation);

  // A second (witness) signature by an unknown key does not disturb it.
  Ed25519PublicKey pk2;
  auto sk2 = SecretBytes::Allocate(64);
  REQUIRE(sk2.ok());
  crypto_sign_keypair(pk2.data(), sk2->data(InsecureSecretAccess::Get()));
  auto cosigned = SignNote(*body, "witness.example", *sk2);
  REQUIRE(cosigned.ok());
  const std::string witness_line = cosigned->substr(body->size() + 1);
  CHECK(OpenCheckpoint(*note + witness_line, vkey, origin).ok());
  auto witness = MakeVerifierKey("witness.example", pk2);
  REQUIRE(witness.ok());
  CHECK(OpenNote(*note + witness_line, *witness).ok());

  // Empty tree.
  Checkpoint empty{origin, 0, EmptyRoot(), {}};
  auto empty_body = FormatCheckpoint(empty);
  REQUIRE(empty_body.ok());
  CHECK(*empty_body == origin +
                           "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
}

TEST_CASE("ParseCheckpoint accepts the C2SP example and is strict",
          "[note]") {
  auto cp = ParseCheckpoint(
      "example.com/behind-the-sofa\n20852163\n"
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  REQUIRE(cp.ok());
  CHECK(cp->origin == "example.com/behind-the-sofa");
  CHECK(cp->size == 20852163u);
  CHECK(cp->extensions.empty());
  CHECK(ParseCheckpoint("o\n18446744073709551615\n"
                        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
            ->size == UINT64_MAX);

  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  const std::vector<std::string> bad = {
      "",
      "o\n1\n" + root,                          // no final newline
      "o\n1\n",                                 // no root
      "\n1\n" + root + "\n",                    // empty origin
      "o\n01\n" + root + "\n",                  // leading zero
      "o\n+1\n" + root + "\n",                  // sign
      "o\n-0\n" + root + "\n",
      "o\n 1\n" + root + "\n",
      "o\n1 \n" + root + "\n",
      "o\n0x10\n" + root + "\n",
      "o\n18446744073709551616\n" + root + "\n",  // 2^64
      "o\n99999999999999999999999\n" + root + "\n",
      "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",   // no padding
      "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",  // noncanonical
      "o\n1\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n",  // URL alphabet
      "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n",      // 30 bytes
      "o\n1\nAA" + root + "==\n",
      "o\n1\n" + root + "\n\n",                 // empty extension line
      "o\n1\n" + root + "\n\next\n",
      "o\r\n1\n" + root + "\n",                 // CR
      "o\t\n1\n" + root + "\n",                 // control character
      "o\xff\n1\n" + root + "\n",               // not UTF-8
      "o\xc0\xaf\n1\n" + root + "\n",           // overlong UTF-8
      "o\xed\xa0\x80\n1\n" + root + "\n",       // surrogate
  };
  for (const std::string& b : bad) {
    INFO(b);
    CHECK(ParseCheckpoint(b).status().code() == StatusCode::kInvalidArgument);
  }
  // Non-ASCII origins are fine when they are valid UTF-8.
  CHECK(ParseCheckpoint("l\xC3\xA4n.se/logg\n0\n" + root + "\n").ok());

  Checkpoint c{"a\nb", 1, Hash{}, {}};
  CHECK(FormatCheckpoint(c).status().code() == StatusCode::kInvalidArgument);
  c.origin = "";
  CHECK_FALSE(FormatCheckpoint(c).ok());
  c.origin = "ok";
  c.extensions = {""};
  CHECK_FALSE(FormatCheckpoint(c).ok());
}

TEST_CASE("key names and signing inputs are validated", "[note]") {
  CHECK(IsValidKeyName("example.com/log42"));
  CHECK(IsValidKeyName("l\xC3\xA4n"));
  CHECK_FALSE(IsValidKeyName(""));
  CHECK_FALSE(IsValidKeyName("a+b"));
  CHECK_FALSE(IsValidKeyName("a b"));
  CHECK_FALSE(IsValidKeyName("a\tb"));
  CHECK_FALSE(IsValidKeyName("a\xC2\xA0" "b"));      // U+00A0
  CHECK_FALSE(IsValidKeyName("a\xE3\x80\x80" "b"));  // U+3000
  CHECK_FALSE(IsValidKeyName("a\xff"));

  SecretBytes sk = PeterSecretKey();
  CHECK(Code(SignNote(kText, "a+b", sk)) == StatusCode::kInvalidArgument);
  CHECK(Code(SignNote(kText, "", sk)) == StatusCode::kInvalidArgument);
  CHECK(Code(SignNote("abc", "PeterNeumann", sk)) ==
        StatusCode::kInvalidArgument);
  CHECK(Code(SignNote("", "PeterNeumann", sk)) ==
        StatusCode::kInvalidArgument);
  CHECK(Code(SignNote("a\x01\n", "PeterNeumann", sk)) ==
        StatusCode::kInvalidArgument);
  CHECK(Code(FormatVerifierKey("a b", Ed25519PublicKey{})) ==
        StatusCode::kInvalidArgument);

  auto short_key = SecretBytes::Allocate(32);
  REQUIRE(short_key.ok());
  CHECK(Code(SignNote(kText, "PeterNeumann", *short_key)) ==
        StatusCode::kInvalidArgument);
  // A secret key whose public half does not belong to its seed.
  auto broken = SecretBytes::Copy(sk.data(InsecureSecretAccess::Get()), 64);
  REQUIRE(broken.ok());
  broken->data(InsecureSecretAccess::Get())[40] ^= 1;
  CHECK(Code(SignNote(kText, "PeterNeumann", *broken)) ==
        StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sspf::internal
