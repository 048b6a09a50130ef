// The system clock and the UTC calendar date (public sspf/options.h).
#include <ctime>

#include "sspf/options.h"

namespace sspf {

Clock::~Clock() = default;
KeyProvider::~KeyProvider() = default;

namespace {
class SystemClockImpl : public Clock {
 public:
  UnixSeconds Now() const override { return static_cast<UnixSeconds>(::time(nullptr)); }
};
}  // namespace

std::shared_ptr<const Clock> SystemClock() {
  static const std::shared_ptr<const Clock> clock = std::make_shared<SystemClockImpl>();
  return clock;
}

Date DateOf(UnixSeconds t) {
  // Civil-from-days (proleptic Gregorian), valid for all int64 day counts
  // we can meet; avoids gmtime's dependence on time_t width.
  int64_t days = t / 86400 - (t % 86400 < 0 ? 1 : 0);
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}
}  // namespace sspf
