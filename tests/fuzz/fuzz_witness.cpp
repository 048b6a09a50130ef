// Copyright (c) libsspf authors.
//
// Fuzzes what a witness and `audit verify --witness-key` parse from other
// parties: the consistency proof document (ConsistencyProofFromJson),
// cosigner vkeys (ParseCosignerKey) and cosignature/v1 lines
// (VerifyCosignature with a fixed key), on arbitrary bytes.  None may
// crash; accepted values must round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "log/note.h"
#include "sspf/json.h"

namespace {

using sspf::internal::VerifierKey;

// The golang.org/x/mod/sumdb/note test key PeterNeumann as a cosigner key
// (type 0x04), so the corpus note signed by it reaches the signature check.
const VerifierKey& Cosigner() {
  static const VerifierKey key =
      sspf::internal::ParseCosignerKey(
          "PeterNeumann+18b9780b+BBpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .value();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  auto proof = sspf::ConsistencyProofFromJson(in);
  if (proof.ok()) {
    // What parses encodes to a document that parses to the same proof.
    auto again = sspf::ConsistencyProofFromJson(sspf::ConsistencyProofJson(*proof));
    if (!again.ok() || again->old_size != proof->old_size ||
        again->new_size != proof->new_size || again->old_root != proof->old_root ||
        again->new_root != proof->new_root || again->proof != proof->proof) {
      abort();
    }
  }

  auto vkey = sspf::internal::ParseCosignerKey(in);
  if (vkey.ok()) {
    auto text = sspf::internal::FormatCosignerKey(vkey->name, vkey->public_key);
    if (!text.ok() || *text != in) abort();
  }

  auto t = sspf::internal::VerifyCosignature(in, Cosigner());
  if (t.ok() && *t > (uint64_t{1} << 63) - 1) abort();
  return 0;
}
