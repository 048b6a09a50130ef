// Shared by the reliability tests and their writer process: fixed raw keys
// (no Argon2id, so processes start fast) and the principals of the scenario.
#ifndef SSPF_TESTS_RELIABILITY_REL_UTIL_H_
#define SSPF_TESTS_RELIABILITY_REL_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sspf/store.h"

namespace sspf::reliability {

inline constexpr uint8_t kAdminKey = 1, kCoordKey = 2, kSchoolKey = 3, kAuditorKey = 4;

inline SecretBytes FixedKey(uint8_t tag) {
  std::vector<uint8_t> k(32, tag);
  return std::move(SecretBytes::Copy(k.data(), k.size()).value());
}
inline Credential KeyCred(uint8_t tag) { return Credential::Key(FixedKey(tag)); }

inline StoreOptions OptionsFor(const std::string& path) {
  StoreOptions o;
  o.path = path;
  o.passphrase_cost = PassphraseCost::Interactive();
  o.checkpoint_every_events = 50;  // exercise automatic checkpoints too
  return o;
}

}  // namespace sspf::reliability

#endif  // SSPF_TESTS_RELIABILITY_REL_UTIL_H_
