// libFuzzer target for the purpose field of an event (context/
// sealed_reasons.h, ParsePurposeField): the purpose column of the events
// table is written by whoever holds the SQLCipher key, so its bytes are
// insider-controlled input.  A field either parses into parts that encode
// back to the same bytes, or is refused (nullopt); never a crash.  A note
// reference's parts never hold a space, so they cannot smuggle a second one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "context/sealed_reasons.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf::internal;
  const std::string_view field(reinterpret_cast<const char*>(data), size);
  std::optional<PurposeField> p = ParsePurposeField(field);
  if (!p) return 0;
  if (EncodePurposeField(*p) != field) std::abort();
  if (!p->note_id.empty()) {
    if (p->code.find(' ') != std::string::npos || p->note_id.find(' ') != std::string::npos ||
        p->commitment.size() != 64) {
      std::abort();
    }
  } else if (!p->commitment.empty()) {
    std::abort();
  }
  return 0;
}
