// Purpose codes (sspf/options.h): the closed list of purposes a read may
// state, so that the access log never holds free text.
#include <string>
#include <vector>

#include "sspf/options.h"
#include "util/text.h"

namespace sspf {
namespace {

bool IsCodeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

}  // namespace

std::vector<PurposeCode> DefaultPurposeCodes() {
  return {
      {"sspf-meeting", "SSPF-möte", "SSPF meeting"},
      {"planning", "planering", "planning"},
      {"follow-up", "uppföljning", "follow-up"},
      {"emergency", "akut", "emergency"},
      {"log-review", "loggranskning", "log review"},
      {"investigation", "utredning", "investigation"},
      {"control", "kontroll", "control"},
  };
}

Status ValidatePurposeCodes(const std::vector<PurposeCode>& codes) {
  if (codes.empty()) return InvalidArgument("the list of purpose codes is empty");
  std::vector<std::pair<std::string, size_t>> seen;  // folded name, owning code
  for (size_t i = 0; i < codes.size(); ++i) {
    const PurposeCode& p = codes[i];
    bool ok = !p.code.empty() && p.code.size() <= 64;
    for (char c : p.code) ok = ok && IsCodeChar(c);
    if (!ok) {
      return InvalidArgument("purpose code " + std::to_string(i + 1) +
                             " is not 1-64 ASCII letters, digits, '-', '_' or '.'");
    }
    if (p.label_sv.empty() || p.label_en.empty()) {
      return InvalidArgument("purpose code " + p.code + " lacks a Swedish or English label");
    }
    for (const std::string* name : {&p.code, &p.label_sv, &p.label_en}) {
      const std::string f = internal::FoldCase(*name);
      for (const auto& [other, owner] : seen) {
        if (other == f && owner != i) {
          return InvalidArgument("purpose code " + p.code + " repeats a code or label of " +
                                 codes[owner].code);
        }
      }
      seen.emplace_back(f, i);
    }
  }
  return Status::Ok();
}

std::string PurposeCodeList(const std::vector<PurposeCode>& codes) {
  std::string out;
  for (const PurposeCode& p : codes) out += (out.empty() ? "" : ", ") + p.code;
  return out;
}

Result<std::string> NormalizePurpose(const std::vector<PurposeCode>& codes,
                                     std::string_view purpose) {
  if (purpose.empty()) return std::string();
  SSPF_RETURN_IF_ERROR(ValidatePurposeCodes(codes));
  return internal::MatchPurposeCode(codes, purpose);
}

namespace internal {

Result<std::string> MatchPurposeCode(const std::vector<PurposeCode>& codes,
                                     std::string_view purpose) {
  if (purpose.empty()) return std::string();
  // The code itself, as hosts and the CLI pass it: in a valid list no other
  // code or label folds to it, so this is the answer the folding gives.
  for (const PurposeCode& p : codes) {
    if (purpose == p.code) return p.code;
  }
  const std::string f = internal::FoldCase(purpose);
  for (const PurposeCode& p : codes) {
    if (f == internal::FoldCase(p.code) || f == internal::FoldCase(p.label_sv) ||
        f == internal::FoldCase(p.label_en)) {
      return p.code;
    }
  }
  return InvalidArgument("the purpose is not a purpose code: use one of " +
                         PurposeCodeList(codes) +
                         " (or its Swedish or English label); put free text in a "
                         "purpose note (sspf-tool: --note-file F)");
}

}  // namespace internal

}  // namespace sspf
