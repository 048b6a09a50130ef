// libFuzzer target for the replay details (log/replay_detail.h,
// log/replay.h): the detail column of the events table is written by
// whoever holds the SQLCipher key, so its bytes are insider-controlled
// input.  Input: two bytes of action number (big-endian), then the detail.
// DecodeDetail and the replay check's own parse of the values must return
// a Status, never crash; the replay check turns a failure into an integrity
// violation naming the event.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "log/replay.h"
#include "log/replay_detail.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  using namespace sspf::internal;
  if (size < 2) return 0;
  const Action a = static_cast<Action>(static_cast<uint16_t>(data[0] << 8 | data[1]));
  const std::string_view detail(reinterpret_cast<const char*>(data + 2), size - 2);
  Result<std::vector<std::string>> v = DecodeDetail(a, detail);
  if (v.ok()) {
    if (v->size() > DetailKeys(a).size()) std::abort();
  } else if (v.status().code() != StatusCode::kInvalidArgument) {
    std::abort();
  }
  for (const std::string& item : SplitDetailList(detail)) {
    if (item.find(',') != std::string::npos) std::abort();
  }
  Status s = CheckReplayDetail(a, detail);
  if (!s.ok() && s.code() != StatusCode::kInvalidArgument &&
      s.code() != StatusCode::kIntegrityViolation) {
    std::abort();
  }
  return 0;
}
