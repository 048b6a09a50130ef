// Copyright (c) libsspf authors.
#include "sspf/pnr.h"

#include <cstdio>

#include "sspf/civil_time.h"

namespace sspf {
namespace {

constexpr char kPnrPrefix[] = "personal identity number: ";

Status PnrError(const char* what) {
  return InvalidArgument(std::string(kPnrPrefix) + what);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

int DigitsToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Luhn over the first nine digits of the 10-digit form; returns the check
// digit that should follow them.
int LuhnCheckDigit(std::string_view nine) {
  int sum = 0;
  for (size_t i = 0; i < nine.size(); ++i) {
    int d = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d / 10 + d % 10;
  }
  return (10 - sum % 10) % 10;
}

// Month/day ordering only, so that a century can be chosen before knowing
// whether 29 February exists in it.
bool MonthDayAfter(int m1, int d1, int m2, int d2) {
  return m1 != m2 ? m1 > m2 : d1 > d2;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsValidDate(Date d) {
  if (d.year < 1 || d.year > 9999) return false;
  if (d.month < 1 || d.month > 12) return false;
  return d.day >= 1 && d.day <= DaysInMonth(d.year, d.month);
}

int AgeOn(Date birth, Date on) {
  int age = on.year - birth.year;
  // Lag (1930:173) om beräkning av lagstadgad tid: a period in years that
  // would end on a day the month lacks ends on the month's last day, so a
  // 29 February birthday falls on 28 February in a common year.
  int birth_day = birth.day;
  if (birth.month == 2 && birth_day == 29 && DaysInMonth(on.year, 2) == 28) {
    birth_day = 28;
  }
  if (MonthDayAfter(birth.month, birth_day, on.month, on.day)) --age;
  return age;
}

Result<PersonalNumber> ParsePersonalNumber(std::string_view text, Date today) {
  std::string_view s = Trim(text);
  std::string digits;
  digits.reserve(12);
  char separator = 0;
  size_t separator_pos = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      if (digits.size() == 12) {
        return PnrError("wrong length (expected 10 or 12 digits)");
      }
      digits.push_back(c);
    } else if ((c == '-' || c == '+') && separator == 0) {
      separator = c;
      separator_pos = i;
    } else {
      return PnrError("unexpected character");
    }
  }
  if (digits.size() != 10 && digits.size() != 12) {
    return PnrError("wrong length (expected 10 or 12 digits)");
  }
  if (separator != 0) {
    // The separator belongs right before the last four digits, with only
    // digits after it.
    if (separator_pos != s.size() - 5) return PnrError("unexpected character");
    if (separator == '+' && digits.size() == 12) {
      return PnrError("unexpected character");
    }
  }

  const bool long_form = digits.size() == 12;
  std::string_view ten = std::string_view(digits).substr(long_form ? 2 : 0);
  const int month = DigitsToInt(ten.substr(2, 2));
  int day = DigitsToInt(ten.substr(4, 2));
  const bool coordination = day > 60;
  if (coordination) day -= 60;
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return PnrError("invalid date");
  }

  int year;
  if (long_form) {
    year = DigitsToInt(std::string_view(digits).substr(0, 4));
  } else {
    const int yy = DigitsToInt(ten.substr(0, 2));
    if (separator == '+') {
      const int limit = today.year - 100;
      year = limit - ((limit - yy) % 100 + 100) % 100;
    } else {
      year = today.year - ((today.year - yy) % 100 + 100) % 100;
      if (year == today.year &&
          MonthDayAfter(month, day, today.month, today.day)) {
        year -= 100;
      }
    }
  }
  const Date birth{year, month, day};
  if (year < 1800 || !IsValidDate(birth)) return PnrError("invalid date");

  // Skatteverket assigns serial numbers (födelsenummer) 001-999 only.
  if (ten.substr(6, 3) == "000") return PnrError("invalid serial number");
  if (LuhnCheckDigit(ten.substr(0, 9)) != ten[9] - '0') {
    return PnrError("invalid check digit");
  }
  if (today < birth) {
    return PnrError("invalid date (birth date after today)");
  }

  PersonalNumber out;
  char century[16];
  std::snprintf(century, sizeof(century), "%04d", year);
  out.digits = std::string(century, 2) + std::string(ten);
  out.birth_date = birth;
  out.coordination_number = coordination;
  return out;
}

std::string FormatPersonalNumber(const PersonalNumber& pnr) {
  if (pnr.digits.size() != 12) return "";
  for (char c : pnr.digits) {
    if (!IsDigit(c)) return "";
  }
  return pnr.digits.substr(0, 8) + "-" + pnr.digits.substr(8);
}

Result<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return InvalidArgument("date: expected YYYY-MM-DD");
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(text[i])) return InvalidArgument("date: expected YYYY-MM-DD");
  }
  Date d{DigitsToInt(text.substr(0, 4)), DigitsToInt(text.substr(5, 2)),
         DigitsToInt(text.substr(8, 2))};
  if (d.year < 1900 || d.year > 2200) {
    return InvalidArgument("date: year out of range (1900..2200)");
  }
  if (!IsValidDate(d)) return InvalidArgument("date: invalid date");
  return d;
}

std::string FormatDate(Date d) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string MakeTestPersonalNumber(Date birth, int serial, bool coordination) {
  if (!IsValidDate(birth) || serial < 1 || serial > 999) return "";
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d%03d", birth.year, birth.month,
                birth.day + (coordination ? 60 : 0), serial);
  std::string out(buf);
  out.push_back(static_cast<char>('0' + LuhnCheckDigit(out.substr(2, 9))));
  return out;
}

}  // namespace sspf
