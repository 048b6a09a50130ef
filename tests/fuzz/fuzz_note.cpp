// Copyright (c) libsspf authors.
//
// Fuzzes the checkpoint and signed-note parsers: ParseCheckpoint,
// ParseVerifierKey and OpenNote / OpenCheckpoint with a fixed trusted key,
// on arbitrary bytes.  None may crash; accepted values must round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "log/note.h"

namespace {

using sspf::internal::Checkpoint;
using sspf::internal::VerifierKey;

// The golang.org/x/mod/sumdb/note test key, so corpus notes signed by it
// reach the signature check.
const VerifierKey& TrustedKey() {
  static const VerifierKey* key = [] {
    auto k = sspf::internal::ParseVerifierKey(
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    if (!k.ok()) abort();
    return new VerifierKey(*k);
  }();
  return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  auto cp = sspf::internal::ParseCheckpoint(in);
  if (cp.ok()) {
    // A strictly parsed checkpoint formats back to exactly its input.
    auto text = sspf::internal::FormatCheckpoint(*cp);
    if (!text.ok() || *text != in) abort();
  }

  auto vkey = sspf::internal::ParseVerifierKey(in);
  if (vkey.ok()) {
    auto text =
        sspf::internal::FormatVerifierKey(vkey->name, vkey->public_key);
    if (!text.ok() || *text != in) abort();
  }

  auto body = sspf::internal::OpenNote(in, TrustedKey());
  if (body.ok() && (body->empty() || body->back() != '\n')) abort();
  sspf::internal::OpenCheckpoint(in, TrustedKey(), "PeterNeumann")
      .status()
      .IgnoreError();
  return 0;
}
