// The system clock and the UTC calendar date (public sspf/options.h).
#include <ctime>

#include "sspf/options.h"
#include "util/civil_time.h"

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
  return CivilFromDays(internal::FloorDiv(t, internal::kSecondsPerDay));
}
}  // namespace sspf
