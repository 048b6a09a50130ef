// Copyright (c) libsspf authors.
// UTF-8 validation, principal names and comma lists (util/text.h,
// sspf/lists.h).
#include <string>
#include <vector>

#include "catch.h"
#include "sspf/lists.h"
#include "util/text.h"

namespace sspf {
namespace {

using internal::CheckUtf8;
using internal::DecodeUtf8;
using internal::IsValidUtf8;
using internal::Utf8Check;

bool IsAsciiControl(uint32_t cp) { return cp < 0x20; }

TEST_CASE("UTF-8: valid sequences decode to their code points", "[util][text]") {
  struct Vector {
    std::string bytes;
    uint32_t cp;
  };
  const Vector kVectors[] = {
      {"A", 0x41},
      {std::string(1, '\0'), 0},
      {"\x7F", 0x7F},
      {"\xC2\x80", 0x80},
      {"\xC3\xA5", 0xE5},              // å
      {"\xDF\xBF", 0x7FF},
      {"\xE0\xA0\x80", 0x800},
      {"\xE2\x80\x94", 0x2014},        // em dash
      {"\xED\x9F\xBF", 0xD7FF},        // just below the surrogates
      {"\xEE\x80\x80", 0xE000},        // just above them
      {"\xEF\xBF\xBF", 0xFFFF},
      {"\xF0\x90\x80\x80", 0x10000},
      {"\xF0\x9F\x98\x80", 0x1F600},
      {"\xF4\x8F\xBF\xBF", 0x10FFFF},  // the last code point
  };
  for (const Vector& v : kVectors) {
    INFO(v.cp);
    uint32_t cp = 0xFFFFFFFF;
    CHECK(DecodeUtf8(v.bytes, 0, &cp) == v.bytes.size());
    CHECK(cp == v.cp);
    CHECK(IsValidUtf8(v.bytes));
    CHECK(IsValidUtf8("x" + v.bytes + "y"));
  }
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("Förvaltningsrätten i Malmö — beslut"));
  uint32_t cp = 0;
  CHECK(DecodeUtf8("a\xC3\xA5", 1, &cp) == 2);
  CHECK(cp == 0xE5);
}

TEST_CASE("UTF-8: overlongs, surrogates, out of range and truncation are rejected",
          "[util][text]") {
  const char* kBad[] = {
      "\x80",              // stray continuation byte
      "\xBF",
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong U+7F
      "\xE0\x80\xAF",      // overlong '/' in three bytes
      "\xE0\x9F\xBF",      // overlong U+7FF
      "\xF0\x80\x80\xAF",  // overlong '/' in four bytes
      "\xF0\x8F\xBF\xBF",  // overlong U+FFFF
      "\xED\xA0\x80",      // U+D800, a surrogate
      "\xED\xBF\xBF",      // U+DFFF
      "\xED\xA0\xBD\xED\xB8\x80",  // a CESU-8 surrogate pair
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",
      "\xF8\x88\x80\x80\x80",  // five-byte form
      "\xFE",
      "\xFF",
      "\xC3",              // truncated two-byte
      "\xE2\x80",          // truncated three-byte
      "\xF0\x9F\x98",      // truncated four-byte
      "\xE2\x80\x41",      // continuation replaced by ASCII
      "\xC3\xC3\xA5",      // lead byte where a continuation belongs
  };
  for (const char* bad : kBad) {
    INFO(std::string(bad).size());
    std::string s(bad);
    uint32_t cp = 0;
    CHECK(DecodeUtf8(s, 0, &cp) == 0);
    CHECK_FALSE(IsValidUtf8(s));
    CHECK_FALSE(IsValidUtf8("ok " + s));
    CHECK_FALSE(IsValidUtf8(s + " ok"));
  }
  // Truncation at the very end of a longer text.
  std::string text = "Anteckning \xE2\x80\x94";
  CHECK(IsValidUtf8(text));
  text.pop_back();
  CHECK_FALSE(IsValidUtf8(text));
}

TEST_CASE("UTF-8: the first problem wins", "[util][text]") {
  CHECK(CheckUtf8("plain text", IsAsciiControl) == Utf8Check::kOk);
  CHECK(CheckUtf8("tab\there", IsAsciiControl) == Utf8Check::kForbidden);
  CHECK(CheckUtf8("tab\there") == Utf8Check::kOk);  // nothing forbidden
  CHECK(CheckUtf8("a\x01\xFF", IsAsciiControl) == Utf8Check::kForbidden);
  CHECK(CheckUtf8("a\xFF\x01", IsAsciiControl) == Utf8Check::kInvalid);
  // An overlong encoding of a control character is invalid, not a control.
  CHECK(CheckUtf8("\xC0\x81", IsAsciiControl) == Utf8Check::kInvalid);
  CHECK(CheckUtf8("\xE2\x80\x94", [](uint32_t cp) { return cp == 0x2014; }) ==
        Utf8Check::kForbidden);
}

TEST_CASE("principal names", "[util][text]") {
  CHECK(internal::ValidPrincipalName("anna.admin").ok());
  CHECK(internal::ValidPrincipalName("A-b_c.d@e9").ok());
  CHECK(internal::ValidPrincipalName(std::string(64, 'a')).ok());
  CHECK(internal::ValidPrincipalName("").code() == StatusCode::kInvalidArgument);
  CHECK(internal::ValidPrincipalName(std::string(65, 'a')).code() ==
        StatusCode::kInvalidArgument);
  CHECK(internal::ValidPrincipalName("anna admin").code() == StatusCode::kInvalidArgument);
  CHECK(internal::ValidPrincipalName("\xC3\xA5sa").code() == StatusCode::kInvalidArgument);
  CHECK(internal::ValidPrincipalName("a,b").code() == StatusCode::kInvalidArgument);
}

TEST_CASE("comma lists split at every separator", "[util][text][lists]") {
  using V = std::vector<std::string>;
  CHECK(SplitList("") == V{""});
  CHECK(SplitList("school") == V{"school"});
  CHECK(SplitList("school,police") == V{"school", "police"});
  CHECK(SplitList("school,") == V{"school", ""});
  CHECK(SplitList(",school") == V{"", "school"});
  CHECK(SplitList(",,") == V{"", "", ""});
  CHECK(SplitList("a b  c", ' ') == V{"a", "b", "", "c"});
  CHECK(SplitList("k=v,w", '=') == V{"k", "v,w"});
}

TEST_CASE("comma lists join and round-trip", "[util][text][lists]") {
  using V = std::vector<std::string>;
  CHECK(JoinList(V{}) == "");
  CHECK(JoinList(V{"a"}) == "a");
  CHECK(JoinList(V{"a", "b", "c"}) == "a,b,c");
  CHECK(JoinList(V{"a", "", "c"}) == "a,,c");
  CHECK(JoinList(V{"a", "b"}, ' ') == "a b");
  for (const V& v : {V{"x"}, V{"x", "y"}, V{"", "y", ""}, V{"id-1", "id-2", "id-3"}}) {
    CHECK(SplitList(JoinList(v)) == v);
  }
  CHECK(JoinActorNames({}) == "");
  CHECK(JoinActorNames({Actor::kSchool}) == "school");
  CHECK(JoinActorNames({Actor::kSchool, Actor::kPolice, Actor::kCoordination}) ==
        "school,police,coordination");
  CHECK(JoinCategoryNames({Category::kHealth, Category::kPlan}) == "health,plan");
  CHECK(JoinCategoryNames({}) == "");
}

}  // namespace
}  // namespace sspf
