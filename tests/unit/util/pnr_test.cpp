// Copyright (c) libsspf authors.
//
// Every number in this file is generated (MakeTestPersonalNumber or the
// random generator below); no real person's number is used.
#include <random>
#include <string>

#include "catch.h"
#include "sspf/pnr.h"

namespace sspf {
namespace {

constexpr Date kToday{2025, 6, 15};

// "YYYYMMDDNNNC" -> the 10-digit form with the given separator (0 = none).
std::string Short(const std::string& twelve, char sep) {
  std::string out = twelve.substr(2, 6);
  if (sep != 0) out.push_back(sep);
  return out + twelve.substr(8);
}

std::string Long(const std::string& twelve, bool dash) {
  return dash ? twelve.substr(0, 8) + "-" + twelve.substr(8) : twelve;
}

std::string WithCheckDigit(const std::string& twelve, int digit) {
  std::string out = twelve;
  out[11] = static_cast<char>('0' + digit);
  return out;
}

// Random fictitious numbers: random real date + random serial.
struct Generator {
  std::mt19937 rng{20250615};
  Date RandomDate(int from_year, int to_year) {
    std::uniform_int_distribution<int> y(from_year, to_year), m(1, 12),
        d(1, 31);
    for (;;) {
      Date date{y(rng), m(rng), d(rng)};
      if (IsValidDate(date)) return date;
    }
  }
  int RandomSerial() { return std::uniform_int_distribution<int>(1, 999)(rng); }
};

void RequireError(std::string_view input, const char* message_part,
                  Date today = kToday) {
  auto r = ParsePersonalNumber(input, today);
  INFO("input length " << input.size());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find(message_part) != std::string::npos);
  // The message must never echo the input: no digits at all except those of
  // the fixed texts ("10 or 12").
  std::string msg = r.status().message();
  const std::string allowed = "(expected 10 or 12 digits)";
  auto pos = msg.find(allowed);
  if (pos != std::string::npos) msg.erase(pos, allowed.size());
  for (char c : msg) CHECK_FALSE((c >= '0' && c <= '9'));
}

TEST_CASE("all accepted forms normalise to 12 digits", "[pnr]") {
  const std::string n = MakeTestPersonalNumber({1990, 3, 7}, 123, false);
  REQUIRE(n.size() == 12);
  for (const std::string& form :
       {n, Long(n, true), Short(n, 0), Short(n, '-'), "  " + Short(n, '-') +
        "\t\n"}) {
    auto r = ParsePersonalNumber(form, kToday);
    REQUIRE(r.ok());
    CHECK(r->digits == n);
    CHECK(r->birth_date == Date{1990, 3, 7});
    CHECK_FALSE(r->coordination_number);
    CHECK(FormatPersonalNumber(*r) == Long(n, true));
  }
}

TEST_CASE("random generated numbers round-trip in every form", "[pnr]") {
  Generator g;
  for (int i = 0; i < 2000; ++i) {
    const Date birth = g.RandomDate(1926, 2024);
    const bool coord = i % 3 == 0;
    const std::string n = MakeTestPersonalNumber(birth, g.RandomSerial(), coord);
    for (const std::string& form :
         {n, Long(n, true), Short(n, 0), Short(n, '-')}) {
      auto r = ParsePersonalNumber(form, kToday);
      INFO("iteration " << i);
      REQUIRE(r.ok());
      CHECK(r->digits == n);
      CHECK(r->birth_date == birth);
      CHECK(r->coordination_number == coord);
    }
    // Any other check digit is rejected.
    const int good = n[11] - '0';
    const int bad = (good + 1 + i % 9) % 10;
    RequireError(WithCheckDigit(n, bad), "invalid check digit");
    RequireError(Short(WithCheckDigit(n, bad), '-'), "invalid check digit");
  }
}

TEST_CASE("leap years", "[pnr]") {
  // 2000 is a leap year (divisible by 400), 1900 is not, 2004 is, 2023 not.
  CHECK(ParsePersonalNumber(MakeTestPersonalNumber({2000, 2, 29}, 1, false),
                            kToday)
            .ok());
  CHECK(ParsePersonalNumber(MakeTestPersonalNumber({2004, 2, 29}, 2, false),
                            kToday)
            .ok());
  CHECK(MakeTestPersonalNumber({1900, 2, 29}, 1, false).empty());
  CHECK(MakeTestPersonalNumber({2023, 2, 29}, 1, false).empty());
  // Build a 29 Feb number in a non-leap year by hand: take a valid 28 Feb
  // number and fix the check digit for day 29.
  for (int year : {1900, 2023, 2021}) {
    for (int d = 0; d < 10; ++d) {
      std::string n = std::to_string(year) + "0229" + "123" + std::to_string(d);
      auto r = ParsePersonalNumber(n, kToday);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().message().find("invalid") != std::string::npos);
    }
  }
  // "000229+NNNC" on kToday means 1900 (not a leap year): invalid date even
  // with the right check digit; "000229-" means 2000: valid.
  const std::string n2000 = MakeTestPersonalNumber({2000, 2, 29}, 55, false);
  CHECK(ParsePersonalNumber(Short(n2000, '-'), kToday).ok());
  RequireError(Short(n2000, '+'), "invalid date");
}

TEST_CASE("samordningsnummer: day + 60", "[pnr]") {
  const std::string n = MakeTestPersonalNumber({2011, 1, 31}, 900, true);
  CHECK(n.substr(6, 2) == "91");
  auto r = ParsePersonalNumber(Short(n, '-'), kToday);
  REQUIRE(r.ok());
  CHECK(r->coordination_number);
  CHECK(r->birth_date == Date{2011, 1, 31});
  CHECK(r->digits == n);
  // Day 60 + 0 and 60 + 32 are not days.
  for (const char* dd : {"60", "92", "99", "00", "32"}) {
    for (int d = 0; d < 10; ++d) {
      std::string x = std::string("201101") + dd + "900" + std::to_string(d);
      auto bad = ParsePersonalNumber(x, kToday);
      REQUIRE_FALSE(bad.ok());
    }
  }
  // 29 Feb + 60 = 89 only in leap years.
  CHECK(ParsePersonalNumber(MakeTestPersonalNumber({2012, 2, 29}, 7, true),
                            kToday)
            .ok());
}

TEST_CASE("century inference for the 10-digit forms", "[pnr]") {
  // Born on today's date 2010: '-' -> 2010, age 15.
  const std::string today_2010 =
      MakeTestPersonalNumber({2010, 6, 15}, 42, false);
  auto a = ParsePersonalNumber(Short(today_2010, '-'), kToday);
  REQUIRE(a.ok());
  CHECK(a->birth_date.year == 2010);
  // Born tomorrow's date: the 2025 reading is in the future, so '-' means
  // 1925 (age 99)...
  const std::string tomorrow =
      MakeTestPersonalNumber({2025, 6, 16}, 42, false);
  auto b = ParsePersonalNumber(Short(tomorrow, '-'), kToday);
  REQUIRE(b.ok());
  CHECK(b->birth_date == Date{1925, 6, 16});
  CHECK(AgeOn(b->birth_date, kToday) == 99);
  auto b0 = ParsePersonalNumber(Short(tomorrow, 0), kToday);
  REQUIRE(b0.ok());
  CHECK(b0->birth_date.year == 1925);
  // ...and '+' means the same person too: they turn 100 this year.
  auto c = ParsePersonalNumber(Short(tomorrow, '+'), kToday);
  REQUIRE(c.ok());
  CHECK(c->birth_date == Date{1925, 6, 16});
  // Born today's date: '-' -> 2025 (a newborn), '+' -> 1925 (age 100).
  const std::string born_today =
      MakeTestPersonalNumber({2025, 6, 15}, 1, false);
  auto d = ParsePersonalNumber(Short(born_today, '-'), kToday);
  REQUIRE(d.ok());
  CHECK(d->birth_date.year == 2025);
  auto e = ParsePersonalNumber(Short(born_today, '+'), kToday);
  REQUIRE(e.ok());
  CHECK(e->birth_date.year == 1925);
  CHECK(AgeOn(e->birth_date, kToday) == 100);
  // yy greater than today's yy: '-' -> 19yy, '+' -> 18yy.
  const std::string n1999 = MakeTestPersonalNumber({1999, 12, 31}, 3, false);
  auto f = ParsePersonalNumber(Short(n1999, '-'), kToday);
  REQUIRE(f.ok());
  CHECK(f->birth_date.year == 1999);
  auto g = ParsePersonalNumber(Short(n1999, '+'), kToday);
  REQUIRE(g.ok());
  CHECK(g->birth_date.year == 1899);
  CHECK(g->digits.substr(0, 4) == "1899");
  // The same short number read on a different day of the year.
  auto h = ParsePersonalNumber(Short(tomorrow, '-'), Date{2025, 6, 16});
  REQUIRE(h.ok());
  CHECK(h->birth_date.year == 2025);
  // Around New Year.
  const std::string jan1 = MakeTestPersonalNumber({2000, 1, 1}, 8, false);
  auto i = ParsePersonalNumber(Short(jan1, 0), Date{2000, 1, 1});
  REQUIRE(i.ok());
  CHECK(i->birth_date.year == 2000);
  auto j = ParsePersonalNumber(Short(jan1, 0), Date{1999, 12, 31});
  REQUIRE(j.ok());
  CHECK(j->birth_date.year == 1900);
}

TEST_CASE("birth date in the future is rejected", "[pnr]") {
  const std::string n = MakeTestPersonalNumber({2025, 6, 16}, 5, false);
  RequireError(n, "birth date after today");
  RequireError(Long(n, true), "birth date after today");
  CHECK(ParsePersonalNumber(n, Date{2025, 6, 16}).ok());
}

TEST_CASE("invalid dates", "[pnr]") {
  // Month 13 and day 0 with every check digit, so the check digit cannot be
  // what rejects them.
  for (const char* body : {"20101301123", "20100100123", "20100431123",
                           "17991231123"}) {
    for (int d = 0; d < 10; ++d) {
      RequireError(std::string(body) + std::to_string(d), "invalid date");
    }
  }
}

TEST_CASE("garbage and wrong forms", "[pnr]") {
  const std::string n = MakeTestPersonalNumber({2008, 8, 8}, 808, false);
  RequireError("", "wrong length");
  RequireError("   ", "wrong length");
  RequireError(n.substr(0, 11), "wrong length");
  RequireError(n + "0", "wrong length");
  RequireError(n.substr(0, 9), "wrong length");
  RequireError(n + n, "wrong length");
  RequireError(n.substr(2) + "12", "invalid date");  // 12 digits, year 0808
  RequireError(Long(n, false).substr(0, 8) + "+" + n.substr(8),
               "unexpected character");               // '+' on 12 digits
  RequireError(Short(n, 0).insert(3, "-"), "unexpected character");
  RequireError(Short(n, '-') + "-", "unexpected character");
  RequireError(Short(n, '-').insert(6, "-"), "unexpected character");
  RequireError("-" + Short(n, 0), "unexpected character");
  RequireError(Short(n, 0).replace(2, 1, "a"), "unexpected character");
  RequireError(Short(n, ' '), "unexpected character");
  RequireError(Short(n, '/'), "unexpected character");
  RequireError(Short(n, 0) + "x", "unexpected character");
  RequireError(std::string("\xc3\xa5") + Short(n, 0), "unexpected character");
  RequireError(std::string("1\0", 2) + Short(n, 0), "unexpected character");
}

TEST_CASE("error messages never contain the input digits", "[pnr]") {
  Generator g;
  for (int i = 0; i < 500; ++i) {
    std::string n =
        MakeTestPersonalNumber(g.RandomDate(1930, 2020), g.RandomSerial(), false);
    n[11] = static_cast<char>('0' + (n[11] - '0' + 5) % 10);
    // RequireError checks the message has no digits at all.
    RequireError(n, "invalid check digit");
    RequireError(n + "7", "wrong length");
    RequireError(n.substr(0, 6) + "x" + n.substr(6), "unexpected character");
  }
}

TEST_CASE("MakeTestPersonalNumber rejects bad input", "[pnr]") {
  CHECK(MakeTestPersonalNumber({2010, 1, 1}, -1, false).empty());
  CHECK(MakeTestPersonalNumber({2010, 1, 1}, 1000, false).empty());
  CHECK(MakeTestPersonalNumber({2010, 13, 1}, 1, false).empty());
  // Serial 000 is never assigned (Skatteverket uses 001-999).
  CHECK(MakeTestPersonalNumber({2010, 1, 1}, 0, false).empty());
  CHECK(MakeTestPersonalNumber({2010, 1, 1}, 0, true).empty());
  CHECK(MakeTestPersonalNumber({2010, 1, 1}, 1, false).substr(8, 3) == "001");
  CHECK(MakeTestPersonalNumber({2010, 1, 1}, 999, true).substr(6, 5) ==
        "61999");
}

TEST_CASE("AgeOn", "[pnr]") {
  CHECK(AgeOn({2010, 6, 15}, {2025, 6, 14}) == 14);
  CHECK(AgeOn({2010, 6, 15}, {2025, 6, 15}) == 15);
  CHECK(AgeOn({2010, 6, 15}, {2010, 6, 15}) == 0);
  CHECK(AgeOn({2010, 6, 15}, {2010, 6, 14}) == -1);
  // 29 February birthdays: Lag (1930:173) ends the year on 28 February in
  // common years, so the person is a year older on 28 February.
  CHECK(AgeOn({2008, 2, 29}, {2026, 2, 27}) == 17);
  CHECK(AgeOn({2008, 2, 29}, {2026, 2, 28}) == 18);
  CHECK(AgeOn({2008, 2, 29}, {2026, 3, 1}) == 18);
  // In a leap year the birthday is 29 February itself.
  CHECK(AgeOn({2008, 2, 29}, {2028, 2, 28}) == 19);
  CHECK(AgeOn({2008, 2, 29}, {2028, 2, 29}) == 20);
  CHECK(AgeOn({2008, 2, 29}, {2028, 3, 1}) == 20);
  // 1900 is not a leap year (2000 is).
  CHECK(AgeOn({1896, 2, 29}, {1900, 2, 28}) == 4);
  CHECK(AgeOn({1996, 2, 29}, {2000, 2, 28}) == 3);
  // Other birthdays are unaffected: 28 February and 1 March births.
  CHECK(AgeOn({2008, 2, 28}, {2026, 2, 28}) == 18);
  CHECK(AgeOn({2008, 2, 28}, {2026, 2, 27}) == 17);
  CHECK(AgeOn({2008, 3, 1}, {2026, 2, 28}) == 17);
  CHECK(AgeOn({2008, 3, 1}, {2026, 3, 1}) == 18);
  CHECK(AgeOn({2008, 3, 1}, {2028, 2, 29}) == 19);
}

TEST_CASE("serial number 000 is rejected in every form", "[pnr]") {
  // Build a 000 serial by hand from a generated number: replace NNN, then
  // fix the check digit so that only the serial is wrong.
  auto with_serial_000 = [](const std::string& twelve) {
    std::string out = twelve.substr(0, 8) + "000";
    int sum = 0;
    for (size_t i = 0; i < 9; ++i) {
      int d = (out[2 + i] - '0') * (i % 2 == 0 ? 2 : 1);
      sum += d / 10 + d % 10;
    }
    out.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
    return out;
  };
  for (bool coord : {false, true}) {
    for (Date birth : {Date{1973, 3, 12}, Date{2010, 6, 1}, Date{2012, 2, 29}}) {
      const std::string good = MakeTestPersonalNumber(birth, 1, coord);
      REQUIRE(good.size() == 12);
      REQUIRE(ParsePersonalNumber(good, kToday).ok());
      const std::string n = with_serial_000(good);
      INFO("coordination " << coord << " year " << birth.year);
      for (const std::string& form :
           {n, Long(n, true), Short(n, 0), Short(n, '-')}) {
        RequireError(form, "invalid serial number");
      }
      // The '+' form (100 or older): the same number as a centenarian's.
      RequireError(Short(with_serial_000(MakeTestPersonalNumber(
                             Date{1920, birth.month, birth.day == 29 ? 28 : birth.day},
                             1, coord)),
                         '+'),
                   "invalid serial number");
    }
  }
  // The examples from the issue (a valid check digit, serial 000).
  RequireError("19730312-0005", "invalid serial number");
  RequireError("7303120005", "invalid serial number");
  RequireError("761162-0001", "invalid serial number");
  RequireError("197611620001", "invalid serial number");
}

TEST_CASE("ParseDate and FormatDate", "[pnr]") {
  auto d = ParseDate("2024-02-29");
  REQUIRE(d.ok());
  CHECK(*d == Date{2024, 2, 29});
  CHECK(FormatDate(*d) == "2024-02-29");
  CHECK(FormatDate({1900, 1, 1}) == "1900-01-01");
  CHECK(ParseDate("1900-01-01").ok());
  CHECK(ParseDate("2200-12-31").ok());
  CHECK(ParseDate("2000-02-29").ok());
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-04-31",
                          "2024-00-10", "2024-13-01", "2024-01-00"}) {
    auto r = ParseDate(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "date: invalid date");
  }
  for (const char* bad : {"1899-12-31", "2201-01-01", "0000-01-01"}) {
    auto r = ParseDate(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "date: year out of range (1900..2200)");
  }
  for (const char* bad :
       {"", "2024-1-01", "2024/01/01", "20240101", " 2024-01-01",
        "2024-01-01 ", "2024-01-0a", "+024-01-01", "2024-01-01T00",
        "2024--1-01", "2024-01-1 "}) {
    auto r = ParseDate(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "date: expected YYYY-MM-DD");
  }
  // Every valid day of a leap and a non-leap year round-trips.
  for (int year : {2023, 2024}) {
    int count = 0;
    for (int m = 1; m <= 12; ++m) {
      for (int dd = 1; dd <= 31; ++dd) {
        Date x{year, m, dd};
        if (!IsValidDate(x)) continue;
        ++count;
        auto r = ParseDate(FormatDate(x));
        REQUIRE(r.ok());
        CHECK(*r == x);
      }
    }
    CHECK(count == (year == 2024 ? 366 : 365));
  }
}

}  // namespace
}  // namespace sspf
