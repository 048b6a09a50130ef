// Copyright (c) libsspf authors.
// Hex and base64 (util/encoding.h, sspf/encoding.h): RFC 4648 vectors,
// strict decoding, round trips.
#include <string>

#include "catch.h"
#include "sspf/encoding.h"
#include "util/encoding.h"

namespace sspf {
namespace {

using internal::Base64Decode;
using internal::Bytes;
using internal::HexDecode;
using internal::HexEncode;

Bytes B(const std::string& s) { return Bytes(s.begin(), s.end()); }

TEST_CASE("hex: encoding, strict decoding", "[util][encoding]") {
  CHECK(HexEncode(Bytes{}) == "");
  CHECK(HexEncode(Bytes{0x00, 0xff, 0x10, 0xab}) == "00ff10ab");
  CHECK(HexDecode("00ff10ab").value() == (Bytes{0x00, 0xff, 0x10, 0xab}));
  CHECK(HexDecode("00FF10AB").value() == (Bytes{0x00, 0xff, 0x10, 0xab}));
  CHECK(HexDecode("").value().empty());
  CHECK(HexDecode("abc").status().code() == StatusCode::kInvalidArgument);
  CHECK(HexDecode("0g").status().code() == StatusCode::kInvalidArgument);
  CHECK(HexDecode(" 0").status().code() == StatusCode::kInvalidArgument);
  CHECK(HexDecode("0x00").status().code() == StatusCode::kInvalidArgument);
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  CHECK(HexDecode(HexEncode(all)).value() == all);
}

TEST_CASE("base64: RFC 4648 test vectors", "[util][encoding]") {
  const char* kVectors[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                               {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                               {"foobar", "Zm9vYmFy"}};
  for (const auto& v : kVectors) {
    INFO(v[0]);
    CHECK(Base64Encode(B(v[0])) == v[1]);
    CHECK(Base64Decode(v[1]).value() == B(v[0]));
  }
  CHECK(Base64Encode(Bytes{0xfb, 0xff}) == "+/8=");  // standard alphabet
}

TEST_CASE("base64: decoding is strict and canonical", "[util][encoding]") {
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Zh==", "Zm9=", "Zm9v=", "Zm9vYg",
                          " Zm9v", "Zm9v ", "Zm9v\n", "Zm 9v", "Zm-_", "Zm9v====", "=",
                          "Zg==Zg==", "Z==="}) {
    INFO(bad);
    CHECK(Base64Decode(bad).status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("base64: round trips of every length", "[util][encoding]") {
  Bytes b;
  for (int n = 0; n < 70; ++n) {
    Result<Bytes> back = Base64Decode(Base64Encode(b));
    REQUIRE(back.ok());
    CHECK(*back == b);
    CHECK(Base64Encode(b).size() == (b.size() + 2) / 3 * 4);
    b.push_back(static_cast<uint8_t>(n * 37 + 255));
  }
}

}  // namespace
}  // namespace sspf
