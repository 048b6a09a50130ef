// Calendar helpers the library uses beside the public sspf/civil_time.h:
// floor division for day and hour arithmetic, and local time in
// Europe/Stockholm (the review report's office hours).
#ifndef SSPF_SRC_UTIL_CIVIL_TIME_H_
#define SSPF_SRC_UTIL_CIVIL_TIME_H_

#include <cstdint>

#include "sspf/civil_time.h"

namespace sspf::internal {

inline constexpr int64_t kSecondsPerDay = 86400;

// a / b rounded towards minus infinity.  REQUIRES: b != 0.
int64_t FloorDiv(int64_t a, int64_t b);

// Local time in Europe/Stockholm as seconds since 1970-01-01 00:00 local:
// CET (UTC+1), or CEST (UTC+2) from 01:00 UTC on the last Sunday of March
// until 01:00 UTC on the last Sunday of October (EU summer time, Directive
// 2000/84/EC, as in force since 1996).
int64_t StockholmLocalSeconds(UnixSeconds t);
// True when t falls in Stockholm summer time (CEST) by the rule above.
bool StockholmSummerTime(UnixSeconds t);

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_CIVIL_TIME_H_
