#include "log/replay_detail.h"

#include <cassert>
#include <cstring>
#include <map>

#include "sspf/lists.h"

namespace sspf::internal {
namespace {

const std::map<Action, std::vector<const char*>>& Layouts() {
  static const auto* layouts = new std::map<Action, std::vector<const char*>>{
      {Action::kPrincipalAdd, {"principal", "actor", "role", "active"}},
      {Action::kPrincipalDisable, {"principal", "active"}},
      {Action::kRecoveryReset, {"principal"}},
      {Action::kCaseOpen, {"case", "subject", "open", "team"}},
      {Action::kCaseClose, {"case", "open"}},
      {Action::kCaseTeamAdd, {"case", "member"}},
      {Action::kConsentGrant,
       {"consent", "version", "case", "party", "actors", "categories", "from", "until"}},
      {Action::kConsentWithdraw, {"consent", "version", "withdrawn"}},
      {Action::kEntryAdd, {"entry", "case", "category", "author", "actor"}},
      {Action::kEntryDisclose, {"disclosure", "entry", "to", "basis", "reason"}},
      {Action::kGrantEmergency, {"grant", "case", "principal", "until", "reason"}},
      {Action::kKeyRotate, {"actor", "version"}},
  };
  return *layouts;
}

}  // namespace

const std::vector<const char*>& DetailKeys(Action a) {
  static const std::vector<const char*> kNone;
  auto it = Layouts().find(a);
  return it == Layouts().end() ? kNone : it->second;
}

bool IsReplayed(Action a) { return !DetailKeys(a).empty(); }

std::string EncodeDetail(Action a, std::initializer_list<std::string_view> values) {
  const std::vector<const char*>& keys = DetailKeys(a);
  assert(keys.size() == values.size());
  std::string out;
  size_t i = 0;
  for (std::string_view v : values) {
    if (i == keys.size()) break;
    if (!out.empty()) out.push_back(' ');
    out += keys[i++];
    out.push_back('=');
    out.append(v.data(), v.size());
  }
  return out;
}

Result<std::vector<std::string>> DecodeDetail(Action a, std::string_view detail) {
  const std::vector<const char*>& keys = DetailKeys(a);
  std::vector<std::string> tokens = SplitList(detail, ' ');
  if (tokens.size() != keys.size()) {
    return InvalidArgument("expected " + std::to_string(keys.size()) + " fields, got " +
                           std::to_string(tokens.size()));
  }
  std::vector<std::string> values;
  size_t i = 0;
  for (const char* key : keys) {
    const std::string& t = tokens[i++];
    size_t eq = t.find('=');
    if (eq == std::string::npos || t.compare(0, eq, key) != 0 || eq != std::strlen(key)) {
      return InvalidArgument(std::string("expected key ") + key);
    }
    std::string v = t.substr(eq + 1);
    for (char c : v) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '=') {
        return InvalidArgument(std::string("bad character in ") + key);
      }
    }
    values.push_back(std::move(v));
  }
  return values;
}

std::string FailureDetail(StatusCode code) {
  return std::string("outcome=") + StatusCodeName(code);
}

bool IsFailureDetail(std::string_view detail) {
  return detail.substr(0, 8) == "outcome=" && detail.find(' ') == std::string_view::npos;
}

std::string DetailList(const std::vector<std::string>& items) { return JoinList(items); }

std::vector<std::string> SplitDetailList(std::string_view value) { return SplitList(value); }

}  // namespace sspf::internal
