#include "util/text.h"

namespace sspf {

std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t p = text.find(sep, start);
    if (p == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      return out;
    }
    out.emplace_back(text.substr(start, p - start));
    start = p + 1;
  }
}

std::string JoinList(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

namespace {
template <typename T>
std::string JoinNames(const std::vector<T>& values, const char* (*name)(T)) {
  std::vector<std::string> names;
  names.reserve(values.size());
  for (T v : values) names.emplace_back(name(v));
  return JoinList(names);
}
}  // namespace

std::string JoinActorNames(const std::vector<Actor>& actors) {
  return JoinNames(actors, ActorName);
}

std::string JoinCategoryNames(const std::vector<Category>& categories) {
  return JoinNames(categories, CategoryName);
}

namespace internal {

Status ValidPrincipalName(std::string_view name) {
  if (name.empty()) return InvalidArgument("a principal name is required");
  if (name.size() > 64) return InvalidArgument("a principal name is at most 64 characters");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
    if (!ok) {
      return InvalidArgument(
          "a principal name may use only ASCII letters A-Z a-z (no å, ä, ö), digits and "
          ". _ - @");
    }
  }
  return Status::Ok();
}

size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t c = b(0);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(k) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

Utf8Check CheckUtf8(std::string_view s, bool (*forbidden)(uint32_t cp)) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return Utf8Check::kInvalid;
    if (forbidden && forbidden(cp)) return Utf8Check::kForbidden;
    i += n;
  }
  return Utf8Check::kOk;
}

std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      unsigned char d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

}  // namespace internal
}  // namespace sspf
