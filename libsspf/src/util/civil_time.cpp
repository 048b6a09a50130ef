// Copyright (c) libsspf authors.
// Days-from-civil and civil-from-days follow Howard Hinnant's public-domain
// algorithms (chrono-Compatible Low-Level Date Algorithms): exact for the
// whole proleptic Gregorian calendar, with no dependence on time_t, gmtime
// or the time zone database.
#include "util/civil_time.h"

#include <cstdio>

#include "sspf/pnr.h"

namespace sspf {
namespace {

constexpr int64_t kDaysPerEra = 146097;  // 400 Gregorian years
// Days from 0000-03-01 to 1970-01-01: eras start on 1 March so that the
// leap day is the last day of a year.
constexpr int64_t kEpochShift = 719468;

constexpr char kTimeMessage[] = "time must be YYYY-MM-DDTHH:MM:SSZ";
constexpr char kDateOrTimeMessage[] = "time must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";

bool TwoDigits(std::string_view s, size_t at, int max, int* out) {
  const char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  *out = (a - '0') * 10 + (b - '0');
  return *out <= max;
}

// "THH:MM:SSZ" as seconds since midnight.
bool ParseTimeOfDay(std::string_view s, int64_t* seconds) {
  int hh = 0, mm = 0, ss = 0;
  if (s.size() != 10 || s[0] != 'T' || !TwoDigits(s, 1, 23, &hh) || s[3] != ':' ||
      !TwoDigits(s, 4, 59, &mm) || s[6] != ':' || !TwoDigits(s, 7, 59, &ss) ||
      s[9] != 'Z') {
    return false;
  }
  *seconds = hh * 3600 + mm * 60 + ss;
  return true;
}

// The date part first, so that its message wins, as the callers document.
Result<UnixSeconds> ParseTime(std::string_view text, bool date_alone_ok,
                              const char* message) {
  SSPF_ASSIGN_OR_RETURN(Date d, ParseDate(text.substr(0, 10)));
  int64_t seconds = 0;
  if (text.size() == 10 ? !date_alone_ok : !ParseTimeOfDay(text.substr(10), &seconds)) {
    return InvalidArgument(message);
  }
  return DaysFromCivil(d) * internal::kSecondsPerDay + seconds;
}

}  // namespace

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int64_t DaysFromCivil(Date d) {
  const int64_t y = static_cast<int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const int64_t era = internal::FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;                                     // [0, 399]
  const int64_t mp = d.month > 2 ? d.month - 3 : d.month + 9;            // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;                    // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             // [0, 146096]
  return era * kDaysPerEra + doe - kEpochShift;
}

Date CivilFromDays(int64_t days) {
  days += kEpochShift;
  const int64_t era = internal::FloorDiv(days, kDaysPerEra);
  const int64_t doe = days - era * kDaysPerEra;                          // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                // [0, 11]
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

int WeekdayOfDays(int64_t days) {
  const int64_t w = (days + 4) % 7;  // 1970-01-01 was a Thursday
  return static_cast<int>(w < 0 ? w + 7 : w);
}

std::string FormatRfc3339(UnixSeconds t) {
  // Any int64 (a stored event time is insider-controlled input): the
  // second of the day by remainder, so that no product can overflow.
  const int64_t days = internal::FloorDiv(t, internal::kSecondsPerDay);
  int64_t sod = t % internal::kSecondsPerDay;
  if (sod < 0) sod += internal::kSecondsPerDay;
  const Date d = CivilFromDays(days);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60));
  return buf;
}

Result<UnixSeconds> ParseRfc3339(std::string_view text) {
  return ParseTime(text, /*date_alone_ok=*/false, kTimeMessage);
}

Result<UnixSeconds> ParseDateOrRfc3339(std::string_view text) {
  return ParseTime(text, /*date_alone_ok=*/true, kDateOrTimeMessage);
}

namespace internal {

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

namespace {
// 01:00 UTC on the last Sunday of `month` (March or October).
UnixSeconds LastSundayOneUtc(int year, int month) {
  const int64_t last = DaysFromCivil(Date{year, month, 31});
  return (last - WeekdayOfDays(last)) * kSecondsPerDay + 3600;
}
}  // namespace

bool StockholmSummerTime(UnixSeconds t) {
  const int year = CivilFromDays(FloorDiv(t, kSecondsPerDay)).year;
  return t >= LastSundayOneUtc(year, 3) && t < LastSundayOneUtc(year, 10);
}

int64_t StockholmLocalSeconds(UnixSeconds t) {
  return t + (StockholmSummerTime(t) ? 7200 : 3600);
}

}  // namespace internal
}  // namespace sspf
