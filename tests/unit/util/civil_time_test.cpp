// Copyright (c) libsspf authors.
// The calendar maths (sspf/civil_time.h, util/civil_time.h): known vectors
// (computed independently with Python's datetime), leap years, round trips
// over a long span, RFC 3339 formatting and strict parsing, Stockholm time.
#include <cstdint>
#include <string>

#include "catch.h"
#include "sspf/civil_time.h"
#include "sspf/options.h"
#include "sspf/pnr.h"
#include "util/civil_time.h"

namespace sspf {
namespace {

std::string Message(const Result<UnixSeconds>& r) {
  return r.ok() ? std::string("ok") : r.status().message();
}

TEST_CASE("leap years and month lengths", "[util][civil_time]") {
  CHECK(IsLeapYear(2024));
  CHECK(IsLeapYear(2000));
  CHECK(IsLeapYear(1600));
  CHECK(IsLeapYear(0));
  CHECK_FALSE(IsLeapYear(1900));
  CHECK_FALSE(IsLeapYear(2100));
  CHECK_FALSE(IsLeapYear(2026));
  CHECK_FALSE(IsLeapYear(1));
  CHECK(DaysInMonth(2024, 2) == 29);
  CHECK(DaysInMonth(2000, 2) == 29);
  CHECK(DaysInMonth(1900, 2) == 28);
  CHECK(DaysInMonth(2026, 2) == 28);
  CHECK(DaysInMonth(2026, 1) == 31);
  CHECK(DaysInMonth(2026, 4) == 30);
  CHECK(DaysInMonth(2026, 12) == 31);
}

TEST_CASE("days from civil: known vectors", "[util][civil_time]") {
  CHECK(DaysFromCivil(Date{1970, 1, 1}) == 0);
  CHECK(DaysFromCivil(Date{1969, 12, 31}) == -1);
  CHECK(DaysFromCivil(Date{1970, 1, 2}) == 1);
  CHECK(DaysFromCivil(Date{2026, 11, 25}) == 20782);
  CHECK(DaysFromCivil(Date{2000, 2, 29}) == 11016);
  CHECK(DaysFromCivil(Date{2000, 3, 1}) == 11017);
  CHECK(DaysFromCivil(Date{2024, 2, 29}) == 19782);
  CHECK(DaysFromCivil(Date{1900, 2, 28}) == -25509);
  CHECK(DaysFromCivil(Date{1900, 3, 1}) == -25508);  // 1900 has no 29 February
  CHECK(DaysFromCivil(Date{1, 1, 1}) == -719162);
  CHECK(DaysFromCivil(Date{9999, 12, 31}) == 2932896);
}

TEST_CASE("civil from days: known vectors and DateOf", "[util][civil_time]") {
  CHECK(CivilFromDays(0) == Date{1970, 1, 1});
  CHECK(CivilFromDays(-1) == Date{1969, 12, 31});
  CHECK(CivilFromDays(11016) == Date{2000, 2, 29});
  CHECK(CivilFromDays(11017) == Date{2000, 3, 1});
  CHECK(CivilFromDays(-25509) == Date{1900, 2, 28});
  CHECK(CivilFromDays(-25508) == Date{1900, 3, 1});
  CHECK(CivilFromDays(-719162) == Date{1, 1, 1});
  CHECK(CivilFromDays(2932896) == Date{9999, 12, 31});
  // DateOf floors: the second before the epoch is still 31 December 1969.
  CHECK(DateOf(0) == Date{1970, 1, 1});
  CHECK(DateOf(-1) == Date{1969, 12, 31});
  CHECK(DateOf(-86400) == Date{1969, 12, 31});
  CHECK(DateOf(-86401) == Date{1969, 12, 30});
  CHECK(DateOf(1795614300) == Date{2026, 11, 25});
  CHECK(DateOf(951868799) == Date{2000, 2, 29});
  CHECK(DateOf(951868800) == Date{2000, 3, 1});
}

TEST_CASE("civil dates round-trip day by day from 1600 to 2400", "[util][civil_time]") {
  // An independent walk through the calendar, one day at a time.
  Date d{1600, 1, 1};
  int64_t days = DaysFromCivil(d);
  CHECK(days == -135140);
  int checked = 0;
  while (d.year < 2400) {
    REQUIRE(DaysFromCivil(d) == days);
    REQUIRE(CivilFromDays(days) == d);
    REQUIRE(IsValidDate(d));
    ++days;
    if (++d.day > DaysInMonth(d.year, d.month)) {
      d.day = 1;
      if (++d.month > 12) {
        d.month = 1;
        ++d.year;
      }
    }
    ++checked;
  }
  CHECK(checked == 800 * 365 + 194);  // 194 leap days in 1600..2399
}

TEST_CASE("far dates round-trip", "[util][civil_time]") {
  for (int64_t days : {int64_t{-1000000000}, int64_t{-719163}, int64_t{-1}, int64_t{0},
                       int64_t{2932897}, int64_t{1000000000}}) {
    Date d = CivilFromDays(days);
    CHECK(d.month >= 1);
    CHECK(d.month <= 12);
    CHECK(d.day >= 1);
    CHECK(d.day <= DaysInMonth(d.year, d.month));
    CHECK(DaysFromCivil(d) == days);
  }
  CHECK(CivilFromDays(-719163) == Date{0, 12, 31});
  CHECK(CivilFromDays(2932897) == Date{10000, 1, 1});
  CHECK(DaysFromCivil(Date{0, 2, 29}) == DaysFromCivil(Date{0, 3, 1}) - 1);
}

TEST_CASE("weekdays", "[util][civil_time]") {
  CHECK(WeekdayOfDays(0) == 4);                                // Thursday 1970-01-01
  CHECK(WeekdayOfDays(-1) == 3);                               // Wednesday
  CHECK(WeekdayOfDays(-4) == 0);                               // Sunday 1969-12-28
  CHECK(WeekdayOfDays(DaysFromCivil(Date{2026, 11, 25})) == 3);  // Wednesday
  CHECK(WeekdayOfDays(DaysFromCivil(Date{2000, 2, 29})) == 2);   // Tuesday
  CHECK(WeekdayOfDays(DaysFromCivil(Date{1, 1, 1})) == 1);       // Monday
  CHECK(WeekdayOfDays(DaysFromCivil(Date{9999, 12, 31})) == 5);  // Friday
}

TEST_CASE("RFC 3339 formatting", "[util][civil_time]") {
  CHECK(FormatRfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(FormatRfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK(FormatRfc3339(1795614300) == "2026-11-25T13:45:00Z");
  CHECK(FormatRfc3339(951868799) == "2000-02-29T23:59:59Z");
  CHECK(FormatRfc3339(-2208988800) == "1900-01-01T00:00:00Z");
  CHECK(FormatRfc3339(253402300799) == "9999-12-31T23:59:59Z");
  CHECK(FormatRfc3339(-62135596800) == "0001-01-01T00:00:00Z");
  // Any stored time, however absurd, formats without overflow (found by
  // fuzz_event_row under UBSan): the time of day is still right.
  CHECK(FormatRfc3339(INT64_MIN).substr(FormatRfc3339(INT64_MIN).size() - 10) == "T08:29:52Z");
  CHECK(FormatRfc3339(INT64_MAX).substr(FormatRfc3339(INT64_MAX).size() - 10) == "T15:30:07Z");
}

TEST_CASE("RFC 3339 parsing: accepted forms and round trips", "[util][civil_time]") {
  CHECK(ParseRfc3339("2026-11-25T13:45:00Z").value() == 1795614300);
  CHECK(ParseRfc3339("2000-02-29T23:59:59Z").value() == 951868799);
  CHECK(ParseRfc3339("1900-01-01T00:00:00Z").value() == -2208988800);
  CHECK(ParseRfc3339("2200-12-31T23:59:59Z").value() == 7289654399);
  CHECK(ParseRfc3339("1970-01-01T00:00:00Z").value() == 0);
  for (UnixSeconds t : {UnixSeconds{-2208988800}, UnixSeconds{-1}, UnixSeconds{0},
                        UnixSeconds{951782400}, UnixSeconds{1795614300},
                        UnixSeconds{7289654399}}) {
    Result<UnixSeconds> back = ParseRfc3339(FormatRfc3339(t));
    REQUIRE(back.ok());
    CHECK(*back == t);
  }
  CHECK(ParseDateOrRfc3339("2026-11-25").value() == 1795564800);
  CHECK(ParseDateOrRfc3339("2026-11-25T13:45:00Z").value() == 1795614300);
  CHECK(ParseDateOrRfc3339("2000-02-29").value() == 951782400);
}

TEST_CASE("RFC 3339 parsing rejects everything else", "[util][civil_time]") {
  const std::string kTime = "time must be YYYY-MM-DDTHH:MM:SSZ";
  for (const char* bad : {
           "2026-11-25",                 // a date alone
           "2026-11-25t13:45:00Z",       // lower-case t
           "2026-11-25T13:45:00z",       // lower-case z
           "2026-11-25 13:45:00Z",       // space for T
           "2026-11-25T13:45:00",        // no zone
           "2026-11-25T13:45:00+00:00",  // an offset
           "2026-11-25T13:45:00.5Z",     // a fraction
           "2026-11-25T13:45Z",          // no seconds
           "2026-11-25T24:00:00Z",       // hour 24
           "2026-11-25T23:60:00Z",       // minute 60
           "2026-11-25T23:59:60Z",       // leap second
           "2026-11-25T1:45:00Z0",       // one-digit hour
           "2026-11-25T13:45:00Z ",      // trailing space
           "2026-11-25T13-45-00Z",       // wrong separators
           "2026-11-25T+1:45:00Z",       // sign in a field
       }) {
    INFO(bad);
    Result<UnixSeconds> r = ParseRfc3339(bad);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(Message(r) == kTime);
  }
  // A bad date part reports the date's own problem.
  CHECK(Message(ParseRfc3339("2026-02-29T00:00:00Z")) == "date: invalid date");
  CHECK(Message(ParseRfc3339("2100-02-29T00:00:00Z")) == "date: invalid date");
  CHECK(Message(ParseRfc3339("2026-13-01T00:00:00Z")) == "date: invalid date");
  CHECK(Message(ParseRfc3339("1899-12-31T23:59:59Z")) == "date: year out of range (1900..2200)");
  CHECK(Message(ParseRfc3339("2201-01-01T00:00:00Z")) == "date: year out of range (1900..2200)");
  CHECK(Message(ParseRfc3339(" 2026-11-25T13:45:00Z")) == "date: expected YYYY-MM-DD");
  CHECK(Message(ParseRfc3339("")) == "date: expected YYYY-MM-DD");
  CHECK(Message(ParseRfc3339("1795614300")) == "date: expected YYYY-MM-DD");
  CHECK(Message(ParseRfc3339("2026/11/25T13:45:00Z")) == "date: expected YYYY-MM-DD");

  const std::string kEither = "time must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";
  CHECK(Message(ParseDateOrRfc3339("2026-11-25T")) == kEither);
  CHECK(Message(ParseDateOrRfc3339("2026-11-25T13:45:00")) == kEither);
  CHECK(Message(ParseDateOrRfc3339("2026-11-25T13:45:60Z")) == kEither);
  CHECK(Message(ParseDateOrRfc3339("2026-02-30")) == "date: invalid date");
  CHECK(Message(ParseDateOrRfc3339("2026-11-2")) == "date: expected YYYY-MM-DD");
}

TEST_CASE("Stockholm local time follows EU summer time", "[util][civil_time]") {
  using internal::StockholmLocalSeconds;
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  const UnixSeconds spring = 1774746000, autumn = 1792890000;
  CHECK(StockholmLocalSeconds(spring - 1) == spring - 1 + 3600);
  CHECK(StockholmLocalSeconds(spring) == spring + 7200);
  CHECK(StockholmLocalSeconds(autumn - 1) == autumn - 1 + 7200);
  CHECK(StockholmLocalSeconds(autumn) == autumn + 3600);
  CHECK(StockholmLocalSeconds(1795614300) == 1795614300 + 3600);  // November: CET
  CHECK(internal::FloorDiv(-1, 86400) == -1);
  CHECK(internal::FloorDiv(-86400, 86400) == -1);
  CHECK(internal::FloorDiv(86399, 86400) == 0);
  CHECK(internal::FloorDiv(-86401, 86400) == -2);
  CHECK(internal::FloorDiv(7, -2) == -4);
}

}  // namespace
}  // namespace sspf
