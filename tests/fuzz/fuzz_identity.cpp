// libFuzzer target for the field framing of sealed identity records
// (domain subjects' and guardians' identity column, opened by OpenIdentity
// into SplitAdParts): whoever holds the store's keys can seal any bytes,
// so the decrypted plaintext is insider-controlled input.  Accepted bytes
// must be exactly the AdBuilder encoding of the parts; anything else is
// kIntegrityViolation naming the record, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  using namespace sspf::internal;
  Result<std::vector<std::string>> parts = SplitAdParts(data, size, "identity record");
  if (parts.ok()) {
    AdBuilder again;
    for (const std::string& p : *parts) again.Add(p);
    if (again.bytes() != Bytes(data, data + size)) std::abort();
  } else if (parts.status().code() != StatusCode::kIntegrityViolation ||
             parts.status().message() != "identity record is malformed") {
    std::abort();
  }
  return 0;
}
