// Copyright (c) libsspf authors.
#include "log/note.h"

#include <sodium.h>

#include <cstring>
#include <utility>

#include "crypto/sodium_init.h"
#include "util/encoding.h"
#include "util/text.h"

namespace sspf::internal {
namespace {

// U+2014 EM DASH followed by a space: the start of every signature line.
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";

bool IsControl(uint32_t cp) { return cp < 0x20; }
bool IsControlButNewline(uint32_t cp) { return cp < 0x20 && cp != '\n'; }

// Signed notes must be UTF-8 without control characters other than "\n";
// with allow_newline false, not even that (for single lines).
bool IsCleanText(std::string_view s, bool allow_newline) {
  return CheckUtf8(s, allow_newline ? IsControlButNewline : IsControl) == Utf8Check::kOk;
}

// Go's unicode.IsSpace, which is what sumdb/note forbids in key names.
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
         cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// Standard padded base64 (RFC 4648 §4), canonical only (Base64Decode in
// util/encoding.h), and never empty.
bool Base64Decode(std::string_view in, std::vector<uint8_t>* out) {
  Result<Bytes> b = internal::Base64Decode(in);
  if (in.empty() || !b.ok()) return false;
  *out = std::move(*b);
  return true;
}

std::string Hex8(uint32_t v) {
  const uint8_t be[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                         static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
  return HexEncode(be, sizeof be);
}

std::string KeyLabel(std::string_view name, uint32_t id) {
  return std::string(name) + "+" + Hex8(id);
}

Status CheckNoteText(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgument("note text must be non-empty and end in a newline");
  }
  if (!IsCleanText(text, /*allow_newline=*/true)) {
    return InvalidArgument(
        "note text must be UTF-8 without control characters");
  }
  return Status::Ok();
}

Status CheckLine(std::string_view line, const char* what) {
  if (line.empty() || !IsCleanText(line, /*allow_newline=*/false)) {
    return InvalidArgument(std::string("checkpoint ") + what +
                           " must be a non-empty UTF-8 line without control "
                           "characters");
  }
  return Status::Ok();
}

bool ParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

struct SigLine {
  std::string_view name;
  uint32_t key_id;
  std::vector<uint8_t> sig;  // without the key id
};

}  // namespace

Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  SSPF_RETURN_IF_ERROR(CheckLine(checkpoint.origin, "origin"));
  for (const std::string& ext : checkpoint.extensions) {
    SSPF_RETURN_IF_ERROR(CheckLine(ext, "extension line"));
  }
  std::string out = checkpoint.origin;
  out += '\n';
  out += std::to_string(checkpoint.size);
  out += '\n';
  out += Base64Encode(checkpoint.root.data(), checkpoint.root.size());
  out += '\n';
  for (const std::string& ext : checkpoint.extensions) {
    out += ext;
    out += '\n';
  }
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view body) {
  SSPF_RETURN_IF_ERROR(CheckNoteText(body));
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t nl = body.find('\n', start);  // found: body ends in '\n'
    lines.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.size() < 3) {
    return InvalidArgument("checkpoint needs origin, size and root lines");
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return InvalidArgument("checkpoint line " + std::to_string(i + 1) +
                             " is empty");
    }
  }
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  if (!ParseDecimal(lines[1], &cp.size)) {
    return InvalidArgument(
        "checkpoint size is not a canonical 64-bit decimal number");
  }
  std::vector<uint8_t> root;
  if (!Base64Decode(lines[2], &root) || root.size() != kHashSize) {
    return InvalidArgument(
        "checkpoint root is not canonical base64 of 32 bytes");
  }
  std::memcpy(cp.root.data(), root.data(), kHashSize);
  for (size_t i = 3; i < lines.size(); ++i) {
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

bool IsValidKeyName(std::string_view name) {
  return !name.empty() &&
         CheckUtf8(name, [](uint32_t cp) {
           return cp < 0x20 || cp == '+' || IsUnicodeSpace(cp);
         }) == Utf8Check::kOk;
}

uint32_t NoteKeyIdFor(std::string_view key_name, uint8_t alg, const Ed25519PublicKey& key) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(
      &st, reinterpret_cast<const uint8_t*>(key_name.data()), key_name.size());
  const uint8_t sep[2] = {'\n', alg};
  crypto_hash_sha256_update(&st, sep, sizeof(sep));
  crypto_hash_sha256_update(&st, key.data(), key.size());
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) |
         (uint32_t{digest[2]} << 8) | uint32_t{digest[3]};
}

uint32_t NoteKeyId(std::string_view key_name, const Ed25519PublicKey& key) {
  return NoteKeyIdFor(key_name, kNoteAlgEd25519, key);
}

namespace {

void PutBe32(uint32_t v, uint8_t* out) {
  out[0] = static_cast<uint8_t>(v >> 24);
  out[1] = static_cast<uint8_t>(v >> 16);
  out[2] = static_cast<uint8_t>(v >> 8);
  out[3] = static_cast<uint8_t>(v);
}

// Checks a 64-byte libsodium Ed25519 secret key (its public half must match
// its seed: otherwise we would emit signatures no verifier accepts) and
// returns the public key.
Result<Ed25519PublicKey> CheckSecretKey(const SecretBytes& secret_key) {
  if (secret_key.size() != kEd25519SecretKeySize) {
    return InvalidArgument("Ed25519 secret key must be 64 bytes");
  }
  const uint8_t* sk = secret_key.data(InsecureSecretAccess::Get());
  SSPF_ASSIGN_OR_RETURN(SecretBytes derived,
                        SecretBytes::Allocate(kEd25519SecretKeySize));
  Ed25519PublicKey pk;
  if (crypto_sign_ed25519_seed_keypair(
          pk.data(), derived.data(InsecureSecretAccess::Get()), sk) != 0) {
    return Internal("Ed25519 key derivation failed");
  }
  if (sodium_memcmp(pk.data(), sk + 32, pk.size()) != 0) {
    return InvalidArgument("Ed25519 secret key is inconsistent");
  }
  return pk;
}

std::string SignatureLine(std::string_view key_name, const uint8_t* blob, size_t size) {
  std::string line(kSigPrefix);
  line += key_name;
  line += ' ';
  line += Base64Encode(blob, size);
  line += '\n';
  return line;
}

}  // namespace

Result<std::string> SignNote(std::string_view body, std::string_view key_name,
                             const SecretBytes& secret_key) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  if (!IsValidKeyName(key_name)) {
    return InvalidArgument("invalid signed-note key name");
  }
  SSPF_RETURN_IF_ERROR(CheckNoteText(body));
  SSPF_ASSIGN_OR_RETURN(Ed25519PublicKey pk, CheckSecretKey(secret_key));

  uint8_t blob[4 + kEd25519SignatureSize];
  PutBe32(NoteKeyId(key_name, pk), blob);
  if (crypto_sign_ed25519_detached(
          blob + 4, nullptr, reinterpret_cast<const uint8_t*>(body.data()),
          body.size(), secret_key.data(InsecureSecretAccess::Get())) != 0) {
    return Internal("Ed25519 signing failed");
  }

  std::string note(body);
  note += '\n';
  note += SignatureLine(key_name, blob, sizeof(blob));
  return note;
}

namespace {

Result<VerifierKey> MakeKey(std::string_view name, uint8_t alg,
                            const Ed25519PublicKey& public_key) {
  if (!IsValidKeyName(name)) {
    return InvalidArgument("invalid signed-note key name");
  }
  VerifierKey key;
  key.name = std::string(name);
  key.key_id = NoteKeyIdFor(name, alg, public_key);
  key.public_key = public_key;
  return key;
}

Result<std::string> FormatKey(std::string_view name, uint8_t alg,
                              const Ed25519PublicKey& public_key) {
  SSPF_ASSIGN_OR_RETURN(VerifierKey key, MakeKey(name, alg, public_key));
  uint8_t typed[1 + kEd25519PublicKeySize];
  typed[0] = alg;
  std::memcpy(typed + 1, public_key.data(), public_key.size());
  return KeyLabel(key.name, key.key_id) + "+" +
         Base64Encode(typed, sizeof(typed));
}

Result<VerifierKey> ParseKey(std::string_view vkey, uint8_t alg) {
  // The base64 part may itself contain '+', so split at the first two only.
  const size_t p1 = vkey.find('+');
  if (p1 == std::string_view::npos) {
    return InvalidArgument("verifier key: missing '+'");
  }
  const size_t p2 = vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return InvalidArgument("verifier key: missing second '+'");
  }
  const std::string_view name = vkey.substr(0, p1);
  const std::string_view hex = vkey.substr(p1 + 1, p2 - p1 - 1);
  const std::string_view b64 = vkey.substr(p2 + 1);
  if (!IsValidKeyName(name)) {
    return InvalidArgument("verifier key: invalid key name");
  }
  if (hex.size() != 8) {
    return InvalidArgument("verifier key: key id must be 8 hex digits");
  }
  Result<Bytes> id_bytes = HexDecode(hex);
  if (hex.find_first_not_of("0123456789abcdef") != std::string_view::npos ||
      !id_bytes.ok()) {
    return InvalidArgument("verifier key: key id must be lower-case hex digits");
  }
  uint32_t id = 0;
  for (uint8_t b : *id_bytes) id = (id << 8) | b;
  std::vector<uint8_t> typed;
  if (!Base64Decode(b64, &typed) || typed.size() != 1 + kEd25519PublicKeySize ||
      typed[0] != alg) {
    return InvalidArgument("verifier key: expected base64 of 0x0" + std::to_string(alg) +
                           " and a 32-byte Ed25519 key");
  }
  VerifierKey key;
  key.name = std::string(name);
  key.key_id = id;
  std::memcpy(key.public_key.data(), typed.data() + 1, kEd25519PublicKeySize);
  if (NoteKeyIdFor(name, alg, key.public_key) != id) {
    return InvalidArgument("verifier key: key id does not match name and key");
  }
  return key;
}

}  // namespace

Result<VerifierKey> MakeVerifierKey(std::string_view name,
                                    const Ed25519PublicKey& public_key) {
  return MakeKey(name, kNoteAlgEd25519, public_key);
}

Result<std::string> FormatVerifierKey(std::string_view name,
                                      const Ed25519PublicKey& public_key) {
  return FormatKey(name, kNoteAlgEd25519, public_key);
}

Result<VerifierKey> ParseVerifierKey(std::string_view vkey) {
  return ParseKey(vkey, kNoteAlgEd25519);
}

Result<VerifierKey> MakeCosignerKey(std::string_view name, const Ed25519PublicKey& public_key) {
  return MakeKey(name, kNoteAlgCosignatureV1, public_key);
}

Result<std::string> FormatCosignerKey(std::string_view name,
                                      const Ed25519PublicKey& public_key) {
  return FormatKey(name, kNoteAlgCosignatureV1, public_key);
}

Result<VerifierKey> ParseCosignerKey(std::string_view vkey) {
  return ParseKey(vkey, kNoteAlgCosignatureV1);
}

namespace {

// Splits a note into its text (with the final newline) and its parsed
// signature lines.  Every line is parsed before any is verified, so a
// malformed note is reported as such whatever order its lines come in.
Status ParseNote(std::string_view note, std::string_view* text, std::vector<SigLine>* lines) {
  if (!IsCleanText(note, /*allow_newline=*/true)) {
    return InvalidArgument(
        "malformed note: not UTF-8 or contains control characters");
  }
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidArgument("malformed note: no blank line before signatures");
  }
  *text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return InvalidArgument("malformed note: no signature lines");
  }
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (lines->size() == kMaxNoteSignatures) {
      return InvalidArgument("malformed note: too many signatures");
    }
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
      return InvalidArgument("malformed note: bad signature line prefix");
    }
    line.remove_prefix(kSigPrefix.size());
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) {
      return InvalidArgument("malformed note: signature line lacks a space");
    }
    SigLine parsed;
    parsed.name = line.substr(0, sp);
    std::vector<uint8_t> blob;
    if (!IsValidKeyName(parsed.name) ||
        !Base64Decode(line.substr(sp + 1), &blob) || blob.size() < 5) {
      return InvalidArgument("malformed note: bad signature line");
    }
    parsed.key_id = (uint32_t{blob[0]} << 24) | (uint32_t{blob[1]} << 16) |
                    (uint32_t{blob[2]} << 8) | uint32_t{blob[3]};
    parsed.sig.assign(blob.begin() + 4, blob.end());
    lines->push_back(std::move(parsed));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> NoteKeyNames(std::string_view note) {
  std::string_view text;
  std::vector<SigLine> lines;
  SSPF_RETURN_IF_ERROR(ParseNote(note, &text, &lines));
  std::vector<std::string> names;
  for (const SigLine& line : lines) names.emplace_back(line.name);
  return names;
}

Result<std::string> CosignNote(std::string_view note, std::string_view key_name,
                               const SecretBytes& secret_key) {
  std::string_view text;
  std::vector<SigLine> lines;
  SSPF_RETURN_IF_ERROR(ParseNote(note, &text, &lines));
  SSPF_ASSIGN_OR_RETURN(std::string signed_text, SignNote(text, key_name, secret_key));
  // SignNote gives text, a blank line and one signature line: append that line.
  return std::string(note) + signed_text.substr(text.size() + 1);
}

Result<std::string> OpenNote(std::string_view note, const VerifierKey& key) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  std::string_view text;
  std::vector<SigLine> lines;
  SSPF_RETURN_IF_ERROR(ParseNote(note, &text, &lines));

  size_t verified = 0;
  for (const SigLine& line : lines) {
    if (line.name != key.name || line.key_id != key.key_id) continue;
    if (line.sig.size() != kEd25519SignatureSize ||
        crypto_sign_ed25519_verify_detached(
            line.sig.data(), reinterpret_cast<const uint8_t*>(text.data()),
            text.size(), key.public_key.data()) != 0) {
      return IntegrityViolation("invalid signature for key " +
                                KeyLabel(key.name, key.key_id));
    }
    ++verified;
  }
  if (verified == 0) {
    return IntegrityViolation("note has no signature by key " +
                              KeyLabel(key.name, key.key_id));
  }
  return std::string(text);
}

namespace {

// "cosignature/v1\ntime <t>\n" || body: the message a cosignature/v1 signs.
std::string CosignedMessage(std::string_view body, uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(body);
}

constexpr uint64_t kMaxCosignatureTime = (uint64_t{1} << 63) - 1;

}  // namespace

Result<std::string> AddCosignature(std::string_view note, std::string_view key_name,
                                   const SecretBytes& secret_key, uint64_t timestamp) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  std::string_view text;
  std::vector<SigLine> lines;
  SSPF_RETURN_IF_ERROR(ParseNote(note, &text, &lines));
  if (lines.size() >= kMaxNoteSignatures) {
    return InvalidArgument("malformed note: too many signatures");
  }
  if (!IsValidKeyName(key_name)) {
    return InvalidArgument("invalid signed-note key name");
  }
  if (timestamp > kMaxCosignatureTime) {
    return InvalidArgument("cosignature timestamp above 2^63 - 1");
  }
  SSPF_ASSIGN_OR_RETURN(Ed25519PublicKey pk, CheckSecretKey(secret_key));
  uint8_t blob[4 + 8 + kEd25519SignatureSize];
  PutBe32(NoteKeyIdFor(key_name, kNoteAlgCosignatureV1, pk), blob);
  PutBe32(static_cast<uint32_t>(timestamp >> 32), blob + 4);
  PutBe32(static_cast<uint32_t>(timestamp), blob + 8);
  const std::string message = CosignedMessage(text, timestamp);
  if (crypto_sign_ed25519_detached(blob + 12, nullptr,
                                   reinterpret_cast<const uint8_t*>(message.data()),
                                   message.size(),
                                   secret_key.data(InsecureSecretAccess::Get())) != 0) {
    return Internal("Ed25519 signing failed");
  }
  return std::string(note) + SignatureLine(key_name, blob, sizeof(blob));
}

Result<uint64_t> VerifyCosignature(std::string_view note, const VerifierKey& cosigner) {
  SSPF_RETURN_IF_ERROR(EnsureSodium());
  std::string_view text;
  std::vector<SigLine> lines;
  SSPF_RETURN_IF_ERROR(ParseNote(note, &text, &lines));
  bool found = false;
  uint64_t newest = 0;
  for (const SigLine& line : lines) {
    if (line.name != cosigner.name || line.key_id != cosigner.key_id) continue;
    uint64_t t = 0;
    bool ok = line.sig.size() == 8 + kEd25519SignatureSize;
    if (ok) {
      for (size_t i = 0; i < 8; ++i) t = (t << 8) | line.sig[i];
      const std::string message = CosignedMessage(text, t);
      ok = t <= kMaxCosignatureTime &&
           crypto_sign_ed25519_verify_detached(
               line.sig.data() + 8, reinterpret_cast<const uint8_t*>(message.data()),
               message.size(), cosigner.public_key.data()) == 0;
    }
    if (!ok) {
      return IntegrityViolation("invalid cosignature by witness " +
                                KeyLabel(cosigner.name, cosigner.key_id));
    }
    found = true;
    if (t > newest) newest = t;
  }
  if (!found) {
    return IntegrityViolation("no cosignature by witness " +
                              KeyLabel(cosigner.name, cosigner.key_id));
  }
  return newest;
}

Result<Checkpoint> OpenCheckpoint(std::string_view note,
                                  const VerifierKey& key,
                                  std::string_view expected_origin) {
  SSPF_ASSIGN_OR_RETURN(std::string body, OpenNote(note, key));
  SSPF_ASSIGN_OR_RETURN(Checkpoint cp, ParseCheckpoint(body));
  if (cp.origin != expected_origin) {
    return IntegrityViolation("checkpoint is for another log origin");
  }
  return cp;
}

}  // namespace sspf::internal
