#ifndef SSPF_SRC_SODIUM_INIT_H_
#define SSPF_SRC_SODIUM_INIT_H_

#include "sspf/status.h"

namespace sspf::internal {

// Initialises libsodium exactly once per process (std::call_once).  Every
// entry point that uses libsodium calls it first.
Status EnsureSodium();

}  // namespace sspf::internal

#endif  // SSPF_SRC_SODIUM_INIT_H_
