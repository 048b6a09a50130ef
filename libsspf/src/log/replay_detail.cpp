#include "log/replay_detail.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <map>

#include "crypto/crypto.h"
#include "sspf/civil_time.h"
#include "sspf/lists.h"
#include "util/encoding.h"

namespace sspf::internal {
namespace {

struct Layout {
  std::vector<const char*> keys;
  // Events written before the layout grew carry only the first n keys, for
  // each n here.
  std::vector<size_t> legacy{};
  // An empty detail is the legacy form (subject.add, key.deliver).
  bool empty_legacy = false;
};

const std::map<Action, Layout>& Layouts() {
  static const auto* layouts = new std::map<Action, Layout>{
      {Action::kPrincipalAdd, {{"principal", "actor", "role", "active", "box", "sign"}, {4}}},
      {Action::kPrincipalDisable, {{"principal", "active"}}},
      {Action::kRecoveryReset, {{"principal", "box", "sign"}, {1}}},
      {Action::kSubjectAdd, {{"subject", "born", "guardians", "identity"}, {3}, true}},
      {Action::kCaseOpen, {{"case", "subject", "open", "team"}}},
      {Action::kCaseClose, {{"case", "open"}}},
      {Action::kCaseTeamAdd, {{"case", "member"}}},
      {Action::kConsentGrant,
       {{"consent", "version", "case", "party", "actors", "categories", "from", "until"}}},
      {Action::kConsentWithdraw, {{"consent", "version", "withdrawn"}}},
      {Action::kEntryAdd,
       {{"entry", "case", "category", "author", "actor", "created", "supersedes", "key",
         "body"},
        {5, 8}}},
      {Action::kEntryDisclose,
       {{"disclosure", "entry", "to", "basis", "by", "created", "reason"}, {4}}},
      {Action::kGrantEmergency, {{"grant", "case", "principal", "until", "reason"}}},
      {Action::kKeyRotate, {{"actor", "version", "members"}, {2}}},
      {Action::kActorKeyDeliver, {{"key", "version", "principal"}, {}, true}},
      {Action::kGuardianCustody, {{"subject", "guardian", "custody"}}},
      {Action::kCaseReopen, {{"case", "open"}}},
      {Action::kCaseTeamRemove, {{"case", "member"}}},
      {Action::kEntryRevoke, {{"disclosure", "entry", "revoked"}}},
      {Action::kGrantEnd, {{"grant", "ended"}}},
      {Action::kConsentConfirm, {{"consent", "actor", "reference"}}},
      {Action::kAuditAck, {{"ack", "flagged", "by", "created", "note"}}},
      {Action::kAuditReviewClose,
       {{"closure", "since", "until", "by", "created", "open", "acknowledged"}}},
      {Action::kRetentionErase,
       {{"case", "erased", "entries", "case_erased", "subject", "decision"}}},
  };
  return *layouts;
}

const Layout* LayoutOf(Action a) {
  auto it = Layouts().find(a);
  return it == Layouts().end() ? nullptr : &it->second;
}

}  // namespace

const std::vector<const char*>& DetailKeys(Action a) {
  static const std::vector<const char*> kNone;
  const Layout* l = LayoutOf(a);
  return l ? l->keys : kNone;
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
  const Layout* layout = LayoutOf(a);
  const bool legacy_empty = layout && layout->empty_legacy && detail.empty();
  std::vector<std::string> tokens =
      legacy_empty ? std::vector<std::string>{} : SplitList(detail, ' ');
  const bool legacy =
      layout && (legacy_empty || (!tokens.empty() &&
                                  std::find(layout->legacy.begin(), layout->legacy.end(),
                                            tokens.size()) != layout->legacy.end()));
  if (tokens.size() != keys.size() && !legacy) {
    return InvalidArgument("expected " + std::to_string(keys.size()) + " fields, got " +
                           std::to_string(tokens.size()));
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const char* key = keys[i];
    const std::string& t = tokens[i];
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

std::string SubjectCommitment(const SecretBytes& lookup_key, std::string_view subject_id,
                              std::string_view birth_date, const std::vector<uint8_t>& pnr_index) {
  std::string in = "sspf-subject-v1";
  for (std::string_view part : {subject_id, birth_date}) {
    in.push_back('\0');
    in.append(part.data(), part.size());
  }
  in.push_back('\0');
  in.append(pnr_index.begin(), pnr_index.end());
  Bytes h = KeyedHash(lookup_key, reinterpret_cast<const uint8_t*>(in.data()), in.size());
  return HexEncode(h.data(), 16);
}

std::string EntryBodyCommitment(const std::vector<uint8_t>& ciphertext) {
  Bytes h = Hash256(ciphertext.data(), ciphertext.size());
  return HexEncode(h.data(), h.size());
}

std::string IdentityCommitment(const std::vector<uint8_t>& subject_identity,
                               const std::vector<std::vector<uint8_t>>& guardian_identities) {
  AdBuilder b;
  b.Add("sspf-identity-commitment-v1").Add(subject_identity);
  for (const std::vector<uint8_t>& g : guardian_identities) b.Add(g);
  Bytes h = Hash256(b.bytes().data(), b.bytes().size());
  return HexEncode(h.data(), h.size());
}

std::string RetentionDecisionCommitment(std::string_view decision) {
  Bytes h = Hash256(reinterpret_cast<const uint8_t*>(decision.data()), decision.size());
  return HexEncode(h.data(), h.size());
}

std::string FailureDetail(StatusCode code) {
  return std::string("outcome=") + StatusCodeName(code);
}

bool IsFailureDetail(std::string_view detail) {
  return detail.substr(0, 8) == "outcome=" && detail.find(' ') == std::string_view::npos;
}

std::string DetailList(const std::vector<std::string>& items) { return JoinList(items); }

int CaseNumberYear(UnixSeconds t) {
  int64_t days = t / 86400;
  if (t % 86400 < 0) --days;
  return CivilFromDays(days).year;
}

std::string FormatCaseNumber(int year, uint64_t n) {
  std::string count = std::to_string(n);
  if (count.size() < 4) count.insert(0, 4 - count.size(), '0');
  return std::to_string(year) + "-" + count;
}

std::optional<std::string> ParseCaseNumber(std::string_view text) {
  auto digits = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (text.size() < 6 || text[4] != '-') return std::nullopt;
  std::string_view year = text.substr(0, 4), count = text.substr(5);
  if (!digits(year) || !digits(count) || count.size() > 9) return std::nullopt;
  const uint64_t n = std::stoull(std::string(count));
  if (n == 0) return std::nullopt;
  return FormatCaseNumber(std::stoi(std::string(year)), n);
}

std::vector<std::string> SplitDetailList(std::string_view value) { return SplitList(value); }

}  // namespace sspf::internal
