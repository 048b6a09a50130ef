// Text encodings of bytes: lower-case hex and RFC 4648 base64 (standard
// alphabet, padded).  Decoders are strict and name no input in errors.
#ifndef SSPF_SRC_UTIL_ENCODING_H_
#define SSPF_SRC_UTIL_ENCODING_H_

#include <string>
#include <string_view>

#include "sspf/status.h"
#include "util/bytes.h"

namespace sspf::internal {

std::string HexEncode(const uint8_t* p, size_t n);
inline std::string HexEncode(const Bytes& b) { return HexEncode(b.data(), b.size()); }
// Strict: even length, [0-9a-fA-F] only.
Result<Bytes> HexDecode(std::string_view hex);
std::string Base64Encode(const uint8_t* p, size_t n);
inline std::string Base64Encode(const Bytes& b) { return Base64Encode(b.data(), b.size()); }
// Strict: padded, standard alphabet, nothing after the last group.
Result<Bytes> Base64Decode(std::string_view b64);

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_ENCODING_H_
