// Copyright (c) libsspf authors.
//
// Calendar and time-of-day arithmetic in UTC: the proleptic Gregorian
// calendar counted in days since 1970-01-01, and the one text form of a
// point in time that the library and sspf-tool write, RFC 3339 in UTC with
// whole seconds ("2026-11-25T13:45:00Z").
//
// All functions here are pure and thread-safe.  Error messages name the
// problem only; they never contain any part of the input.
#ifndef SSPF_CIVIL_TIME_H_
#define SSPF_CIVIL_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "sspf/export.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {

// True if `year` is a leap year of the proleptic Gregorian calendar
// (divisible by 4, and not by 100 unless by 400; year 0 is a leap year).
SSPF_EXPORT bool IsLeapYear(int year);

// The number of days of `month` (1..12) in `year`: 28..31.
// REQUIRES: 1 <= month <= 12.
SSPF_EXPORT int DaysInMonth(int year, int month);

// Days since 1970-01-01 of the civil date `d` (negative before 1970).
// Exact for every year an int can hold.  Does not check that `d` is a real
// date: day 0 is the last day of the previous month, and so on.
// REQUIRES: 1 <= d.month <= 12.
SSPF_EXPORT int64_t DaysFromCivil(Date d);

// The civil date `days` after 1970-01-01 (before it if negative); the
// inverse of DaysFromCivil.
// REQUIRES: the year fits in an int (|days| below about 7.8e11).
SSPF_EXPORT Date CivilFromDays(int64_t days);

// The day of the week of the day `days` after 1970-01-01 (a Thursday):
// 0 = Sunday, 1 = Monday ... 6 = Saturday.
SSPF_EXPORT int WeekdayOfDays(int64_t days);

// "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC, zero-padded, whole seconds).  A
// time whose year is outside 0000..9999 gives a string with more digits (or
// a '-'), which is not RFC 3339.
SSPF_EXPORT std::string FormatRfc3339(UnixSeconds t);

// Parses exactly "YYYY-MM-DDTHH:MM:SSZ": upper-case 'T' and 'Z', no offset
// other than Z, no fraction, no whitespace; the date part as ParseDate
// (sspf/pnr.h) accepts it (a real date, year 1900..2200), hours 00..23,
// minutes and seconds 00..59 (no leap second).  kInvalidArgument otherwise,
// with the message of ParseDate for a bad date part, else "time must be
// YYYY-MM-DDTHH:MM:SSZ".
SSPF_EXPORT Result<UnixSeconds> ParseRfc3339(std::string_view text);

// Parses "YYYY-MM-DD" (midnight UTC of that date) or the form ParseRfc3339
// accepts, with the same checks.  kInvalidArgument otherwise, with the
// message of ParseDate for a bad date part (the first ten characters), else
// "time must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ".
SSPF_EXPORT Result<UnixSeconds> ParseDateOrRfc3339(std::string_view text);

}  // namespace sspf

#endif  // SSPF_CIVIL_TIME_H_
