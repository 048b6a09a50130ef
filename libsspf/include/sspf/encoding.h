// Copyright (c) libsspf authors.
//
// Base64 (RFC 4648 §4: standard alphabet, '=' padding) of public bytes such
// as access-log leaves, leaf hashes, roots and proofs: the form audit export
// writes and sspf-tool prints.  Not for secrets (the result is an ordinary
// std::string).
//
// All functions here are pure and thread-safe.
#ifndef SSPF_ENCODING_H_
#define SSPF_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sspf/export.h"

namespace sspf {

// The base64 text of `size` bytes at `data` ("" for none).
// REQUIRES: data points to `size` readable bytes (or size == 0).
SSPF_EXPORT std::string Base64Encode(const uint8_t* data, size_t size);
SSPF_EXPORT std::string Base64Encode(const std::vector<uint8_t>& bytes);

}  // namespace sspf

#endif  // SSPF_ENCODING_H_
