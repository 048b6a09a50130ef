// Copyright (c) libsspf authors.
//
// Swedish personal identity numbers (personnummer) and coordination numbers
// (samordningsnummer), and the strict date format used across the API.
//
// All functions here are pure and thread-safe.  Error messages name the
// problem only; they never contain any part of the input.
#ifndef SSPF_PNR_H_
#define SSPF_PNR_H_

#include <string>
#include <string_view>

#include "sspf/export.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {

// A validated personal identity number.
struct PersonalNumber {
  // Normalised form, exactly 12 digits "YYYYMMDDNNNC" (no separator).  For a
  // samordningsnummer the DD part keeps the +60 (61..91).  This is the form
  // to hash for lookup.
  std::string digits;
  // The real birth date (for a samordningsnummer: the day minus 60).
  Date birth_date;
  // True for a samordningsnummer (day of month 61..91).
  bool coordination_number = false;
};

// Parses and validates `text` as of the date `today`.
//
// Accepted forms (leading/trailing ASCII whitespace is ignored):
//   YYYYMMDDNNNC      YYYYMMDD-NNNC
//   YYMMDDNNNC        YYMMDD-NNNC      YYMMDD+NNNC
// With the 10-digit forms the century is inferred from `today`:
//   - no separator or '-': the most recent century in which the birth date is
//     not after `today` (the person is under 100);
//   - '+': the person turns 100 or more during today's calendar year.  This
//     follows the population-register convention that the separator changes
//     from '-' to '+' at the start of the year of the 100th birthday, so the
//     person may still be 99 on `today`.
// Checks: the Luhn check digit over the 10-digit form YYMMDDNNNC, a real
// calendar date (leap years; years 1800..), a samordningsnummer day of 61..91
// mapping to a real date, a serial number NNN of 001..999 (Skatteverket
// never assigns 000), and a birth date not after `today`.
//
// Errors, all kInvalidArgument with one of these messages:
//   "personal identity number: unexpected character"  (letters, a separator
//       in the wrong place, more than one separator, '+' on a 12-digit form)
//   "personal identity number: wrong length (expected 10 or 12 digits)"
//   "personal identity number: invalid date"
//   "personal identity number: invalid date (birth date after today)"
//   "personal identity number: invalid serial number"  (NNN is 000)
//   "personal identity number: invalid check digit"
// REQUIRES: `today` is a real date.
SSPF_EXPORT Result<PersonalNumber> ParsePersonalNumber(std::string_view text,
                                                       Date today);

// "YYYYMMDD-NNNC".  Returns "" if `pnr.digits` is not 12 digits.
SSPF_EXPORT std::string FormatPersonalNumber(const PersonalNumber& pnr);

// Age in whole years on the date `on` (negative if `on` is before `birth`).
// A person born on 29 February becomes a year older on 28 February in years
// that are not leap years: Lag (1930:173) om beräkning av lagstadgad tid ends
// a period of years that would end on a missing day on the month's last day
// (applying it to age is an analogy; docs/access-rules.md).
// REQUIRES: both are real dates.
SSPF_EXPORT int AgeOn(Date birth, Date on);

// True if `d` is a real date of the proleptic Gregorian calendar with year
// 1..9999.
SSPF_EXPORT bool IsValidDate(Date d);

// Parses exactly "YYYY-MM-DD" (no whitespace, no other separators), a real
// date with year 1900..2200.  kInvalidArgument otherwise, with the message
// "date: expected YYYY-MM-DD", "date: year out of range (1900..2200)" or
// "date: invalid date".
SSPF_EXPORT Result<Date> ParseDate(std::string_view text);

// "YYYY-MM-DD" (zero-padded).  REQUIRES: IsValidDate(d).
SSPF_EXPORT std::string FormatDate(Date d);

// FOR TESTS AND DEMOS ONLY: builds a fictitious 12-digit number
// "YYYYMMDDNNNC" with a correct check digit, so that tests and demos never
// use a real person's number.  `serial` (1..999) becomes NNN (000 is never assigned, and is rejected); with
// `coordination` the day is written +60 (a samordningsnummer).  Note that a
// generated number is well-formed and may by chance be assigned to a real
// person; never use it for anything but test data.  Returns "" if `birth` is
// not a real date or `serial` is out of range.
SSPF_EXPORT std::string MakeTestPersonalNumber(Date birth, int serial,
                                               bool coordination);

}  // namespace sspf

#endif  // SSPF_PNR_H_
