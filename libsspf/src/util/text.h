// Checks of text that names things.
#ifndef SSPF_SRC_UTIL_TEXT_H_
#define SSPF_SRC_UTIL_TEXT_H_

#include <string_view>

#include "sspf/status.h"

namespace sspf::internal {

// A principal name: 1..64 characters of a-z A-Z 0-9 . _ - @.
Status ValidPrincipalName(std::string_view name);

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_TEXT_H_
