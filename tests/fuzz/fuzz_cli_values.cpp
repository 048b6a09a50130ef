// libFuzzer target for the value parsers behind sspf-tool's options: dates,
// times (the tool's own ParseTime, compiled in from tools/sspf-tool/cli.cpp),
// actor/category/role/action names and lists, personal identity numbers.
// Besides "no crash", it checks round trips callers rely on: a parsed name
// prints back to itself, a parsed date is a real date, a parsed
// YYYY-MM-DD time prints back to the same day.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cli.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "sspf/types.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  const std::string s(reinterpret_cast<const char*>(data), size);

  if (auto a = ParseActor(s); a && ActorName(*a) != s) std::abort();
  if (auto c = ParseCategory(s); c && CategoryName(*c) != s) std::abort();
  if (auto r = ParseRole(s); r && RoleName(*r) != s) std::abort();
  if (auto x = ParseAction(s); x && ActionName(*x) != s) std::abort();

  Result<Date> d = ParseDate(s);
  if (d.ok() && !IsValidDate(*d)) std::abort();

  cli::ParseActorList(s).status().IgnoreError();
  cli::ParseCategoryList(s).status().IgnoreError();
  Result<UnixSeconds> t = cli::ParseTime(s);
  if (t.ok() && d.ok() && s.size() == 10) {
    Date back = DateOf(*t);
    if (!(back == *d)) std::abort();
  }
  ParsePersonalNumber(s, Date{2026, 6, 15}).status().IgnoreError();
  return 0;
}
