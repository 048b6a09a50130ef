// Copyright (c) libsspf authors.
//
// Checkpoints of the access log (C2SP tlog-checkpoint) and their Ed25519
// signatures (C2SP signed-note, the format of golang.org/x/mod/sumdb/note).
//
// A signed checkpoint looks like this (the dash is U+2014 EM DASH):
//
//   <origin>\n
//   <tree size, decimal>\n
//   <root hash, base64>\n
//   [extension lines\n]
//   \n
//   — <key name> base64(key id (4 bytes, big-endian) || signature (64))\n
//
// The signature covers the body (everything before the blank line,
// including its final newline).  key id = SHA-256(key name || 0x0A || 0x01
// || Ed25519 public key)[0:4], read big-endian.  A verifier key is written
// "<name>+<key id as 8 lower-case hex digits>+base64(0x01 || public key)".
//
// All functions are pure and thread-safe.  This header does not include
// <sodium.h>.
#ifndef SSPF_SRC_NOTE_H_
#define SSPF_SRC_NOTE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "log/merkle.h"
#include "sspf/secret.h"
#include "sspf/status.h"

namespace sspf::internal {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SecretKeySize = 64;  // libsodium: seed || pk
inline constexpr size_t kEd25519SignatureSize = 64;
// Signature type byte of Ed25519 in C2SP signed-note.
inline constexpr uint8_t kNoteAlgEd25519 = 0x01;
// Key type byte of an Ed25519 cosigner (C2SP tlog-cosignature,
// cosignature/v1): used in its key id and its vkey.
inline constexpr uint8_t kNoteAlgCosignatureV1 = 0x04;
// OpenNote rejects notes with more signature lines than this (the spec
// requires accepting at least 16).
inline constexpr size_t kMaxNoteSignatures = 100;

using Ed25519PublicKey = std::array<uint8_t, kEd25519PublicKeySize>;

// The body of a checkpoint.
struct Checkpoint {
  std::string origin;  // non-empty; the log's identity (store origin)
  uint64_t size = 0;   // number of leaves
  Hash root{};         // RFC 6962 root of the first `size` leaves
  std::vector<std::string> extensions;  // optional extra lines, non-empty

  bool operator==(const Checkpoint& o) const {
    return origin == o.origin && size == o.size && root == o.root &&
           extensions == o.extensions;
  }
};

// Formats the note body: origin, size, base64(root) and the extension
// lines, each followed by "\n".  Returns a Result (not a plain string, as
// first sketched) because an origin or extension that is empty, contains a
// newline or a control character, or is not UTF-8, would produce a body that
// ParseCheckpoint rejects; such input is kInvalidArgument.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// Parses a note body strictly: valid UTF-8, no control characters other
// than "\n", every line terminated by "\n" and non-empty, at least three
// lines, a decimal size without sign or leading zeros that fits in 64 bits,
// and a root that is canonical standard base64 of exactly 32 bytes.
// Errors: kInvalidArgument naming the offending line.
Result<Checkpoint> ParseCheckpoint(std::string_view body);

// True if `name` is usable as a signed-note key name: non-empty valid UTF-8
// without Unicode white space, '+' or control characters.
bool IsValidKeyName(std::string_view name);

// The signed-note key id of an Ed25519 key.  REQUIRES: nothing; the name is
// hashed as given.
uint32_t NoteKeyId(std::string_view key_name, const Ed25519PublicKey& key);

// The key id with another type byte (kNoteAlgCosignatureV1 for a witness):
// SHA-256(name || 0x0A || alg || key)[0:4], big-endian.
uint32_t NoteKeyIdFor(std::string_view key_name, uint8_t alg, const Ed25519PublicKey& key);

// Signs `body` with Ed25519 and returns the complete note: body, a blank
// line and one signature line.  `secret_key` is a 64-byte libsodium Ed25519
// secret key (seed || public key); its public half must match its seed.
// Errors: kInvalidArgument if the key name is invalid, the body is not a
// valid note text (non-empty, ends in "\n", UTF-8, no control characters
// but "\n") or the key is malformed; kInternal if libsodium fails.
Result<std::string> SignNote(std::string_view body, std::string_view key_name,
                             const SecretBytes& secret_key);

// Adds one more signature line, by key_name, over the body of an already
// signed note (a cosignature in the sense of C2SP signed-note: several
// signers of one text).  Errors as SignNote, and kInvalidArgument for a
// malformed note.
Result<std::string> CosignNote(std::string_view note, std::string_view key_name,
                               const SecretBytes& secret_key);

// The key names of a note's signature lines, in order (unverified).
// kInvalidArgument for a malformed note.
Result<std::vector<std::string>> NoteKeyNames(std::string_view note);

// A trusted signed-note verifier key (Ed25519 only).
struct VerifierKey {
  std::string name;
  uint32_t key_id = 0;
  Ed25519PublicKey public_key{};
};

// Builds a verifier key from a name and public key (key id computed).
// Errors: kInvalidArgument if the name is invalid.
Result<VerifierKey> MakeVerifierKey(std::string_view name,
                                    const Ed25519PublicKey& public_key);

// "<name>+<key id, 8 lower-case hex>+<base64(0x01 || public key)>", the
// vkey string understood by golang.org/x/mod/sumdb/note.NewVerifier.
// Errors: kInvalidArgument if the name is invalid.
Result<std::string> FormatVerifierKey(std::string_view name,
                                      const Ed25519PublicKey& public_key);

// Parses a vkey string.  Strict: exactly 8 lower-case hex digits, canonical
// base64 of 33 bytes starting with 0x01, and a key id that matches the name
// and key.  Errors: kInvalidArgument.
Result<VerifierKey> ParseVerifierKey(std::string_view vkey);

// The same for a cosigner (witness) key: type byte kNoteAlgCosignatureV1 in
// the key id and the vkey, "<name>+<id>+base64(0x04 || public key)".
Result<VerifierKey> MakeCosignerKey(std::string_view name, const Ed25519PublicKey& public_key);
Result<std::string> FormatCosignerKey(std::string_view name, const Ed25519PublicKey& public_key);
Result<VerifierKey> ParseCosignerKey(std::string_view vkey);

// Appends a C2SP tlog-cosignature (cosignature/v1) line by `key_name` to a
// signed note: the signed message is "cosignature/v1\ntime <timestamp>\n"
// followed by the note body, and the line holds base64(key id ||
// timestamp as 8 bytes big-endian || Ed25519 signature).  secret_key as in
// SignNote.  Errors: kInvalidArgument for a malformed note, key name or
// key, or a timestamp above 2^63 - 1; kInternal if libsodium fails.
Result<std::string> AddCosignature(std::string_view note, std::string_view key_name,
                                   const SecretBytes& secret_key, uint64_t timestamp);

// Checks the cosignature/v1 lines of `cosigner` (a key from
// ParseCosignerKey) on a signed note: every line with its name and key id
// must be 72 bytes and verify, and there must be at least one.  Returns the
// newest timestamp.  Errors: kInvalidArgument for a malformed note;
// kIntegrityViolation for a missing or invalid cosignature.
Result<uint64_t> VerifyCosignature(std::string_view note, const VerifierKey& cosigner);

// Verifies a signed note against one trusted key and returns its body.
// Signature lines whose (name, key id) differ from the key's are ignored
// (C2SP signed-note), but they must still be well formed.  Every line that
// matches the key is verified.
// Errors: kInvalidArgument for a malformed note (not UTF-8, control
// characters, no blank line before the signatures, a malformed signature
// line, more than kMaxNoteSignatures signatures);
// kIntegrityViolation if a matching signature does not verify or no
// signature by the key is present.
Result<std::string> OpenNote(std::string_view note, const VerifierKey& key);

// OpenNote followed by ParseCheckpoint; additionally requires the
// checkpoint's origin to equal `expected_origin` (kIntegrityViolation
// otherwise), so a checkpoint of another log signed by the same key is not
// mistaken for this one.
Result<Checkpoint> OpenCheckpoint(std::string_view note,
                                  const VerifierKey& key,
                                  std::string_view expected_origin);

}  // namespace sspf::internal

#endif  // SSPF_SRC_NOTE_H_
