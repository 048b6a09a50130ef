// Text encodings of bytes: lower-case hex and RFC 4648 base64 (standard
// alphabet, padded).  Decoders are strict and name no input in errors.
#ifndef SSPF_SRC_UTIL_ENCODING_H_
#define SSPF_SRC_UTIL_ENCODING_H_

#include <string>
#include <string_view>

#include "sspf/encoding.h"
#include "sspf/status.h"
#include "util/bytes.h"

namespace sspf::internal {

std::string HexEncode(const uint8_t* p, size_t n);
inline std::string HexEncode(const Bytes& b) { return HexEncode(b.data(), b.size()); }
// Strict: even length, [0-9a-fA-F] only.
Result<Bytes> HexDecode(std::string_view hex);
// Public (sspf/encoding.h), for the tools.
using ::sspf::Base64Encode;
// Strict: canonical (re-encoding gives back the input), so padded, standard
// alphabet, zero padding bits, no white space, nothing after the last group.
// "" decodes to no bytes.
Result<Bytes> Base64Decode(std::string_view b64);

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_ENCODING_H_
