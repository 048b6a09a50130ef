// Checks of text: UTF-8 validation and names.  The comma lists are public
// (sspf/lists.h) and implemented in text.cpp.
#ifndef SSPF_SRC_UTIL_TEXT_H_
#define SSPF_SRC_UTIL_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/lists.h"
#include "sspf/options.h"
#include "sspf/status.h"

namespace sspf::internal {

// A principal name: 1..64 characters of a-z A-Z 0-9 . _ - @.
Status ValidPrincipalName(std::string_view name);

// Decodes the UTF-8 sequence that starts at s[i] into *cp and returns its
// length (1..4), or 0 if it is not valid UTF-8: a stray continuation byte,
// a lead byte 0xF8..0xFF, an overlong form, a surrogate (U+D800..U+DFFF), a
// code point above U+10FFFF, or a sequence cut short by the end of s.  The
// same rules as Go's utf8.DecodeRune (so signed notes accept exactly what
// Go accepts).  REQUIRES: i < s.size().
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp);

enum class Utf8Check { kOk, kInvalid, kForbidden };

// Scans s from the start and reports the first problem: kInvalid where a
// sequence is not valid UTF-8 (DecodeUtf8), kForbidden where a code point is
// one for which `forbidden` (if given) returns true; kOk if there is none.
Utf8Check CheckUtf8(std::string_view s, bool (*forbidden)(uint32_t cp) = nullptr);

inline bool IsValidUtf8(std::string_view s) { return CheckUtf8(s) == Utf8Check::kOk; }

// s with ASCII letters and the two-byte UTF-8 Latin-1 capitals U+00C0..U+00DE
// (Å, Ä, Ö, É, ...; not U+00D7, ×) in lower case: the case folding of
// searches by name and of purpose codes and labels ("Åsa" finds "åsa").
std::string FoldCase(std::string_view s);

// NormalizePurpose (sspf/options.h) without its check of the list, for a
// list already checked by ValidatePurposeCodes (util/purposes.cpp).
Result<std::string> MatchPurposeCode(const std::vector<PurposeCode>& codes,
                                     std::string_view purpose);

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_TEXT_H_
