// Copyright (c) libsspf authors.
//
// libFuzzer target for the personnummer and date parsers.  Besides "no
// crash", it checks the properties callers rely on: an accepted number
// normalises to 12 digits that parse back to the same value, and an error
// message never contains a digit run from the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sspf/pnr.h"

namespace {

constexpr sspf::Date kToday{2025, 6, 15};

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto pnr = sspf::ParsePersonalNumber(input, kToday);
  if (pnr.ok()) {
    if (pnr->digits.size() != 12 || !AllDigits(pnr->digits)) std::abort();
    if (!sspf::IsValidDate(pnr->birth_date)) std::abort();
    if (kToday < pnr->birth_date) std::abort();
    auto again = sspf::ParsePersonalNumber(pnr->digits, kToday);
    if (!again.ok() || again->digits != pnr->digits ||
        !(again->birth_date == pnr->birth_date) ||
        again->coordination_number != pnr->coordination_number) {
      std::abort();
    }
    const std::string formatted = sspf::FormatPersonalNumber(*pnr);
    auto formatted_again = sspf::ParsePersonalNumber(formatted, kToday);
    if (!formatted_again.ok() || formatted_again->digits != pnr->digits) {
      std::abort();
    }
  } else {
    const std::string& msg = pnr.status().message();
    // The only digits allowed in a message are those of "10 or 12".
    for (size_t i = 0; i + 1 < msg.size(); ++i) {
      const bool two_digits = msg[i] >= '0' && msg[i] <= '9' &&
                              msg[i + 1] >= '0' && msg[i + 1] <= '9';
      if (two_digits && msg.compare(i, 2, "10") != 0 &&
          msg.compare(i, 2, "12") != 0) {
        std::abort();
      }
    }
  }

  auto date = sspf::ParseDate(input);
  if (date.ok()) {
    if (!sspf::IsValidDate(*date)) std::abort();
    if (sspf::FormatDate(*date) != input) std::abort();
  }
  return 0;
}
