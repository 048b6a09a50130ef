// The byte string every layer passes around.
#ifndef SSPF_SRC_UTIL_BYTES_H_
#define SSPF_SRC_UTIL_BYTES_H_

#include <cstdint>
#include <vector>

namespace sspf::internal {

using Bytes = std::vector<uint8_t>;

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_BYTES_H_
