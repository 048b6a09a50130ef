// The replay check (replay.h): every state change the log records must be
// in the tables, and every row of the replayed tables must come from the
// log, with the same values.
//
// One file over 700 lines on purpose: the log side (facts from events) and
// the table side (facts from rows) of each replayed table sit next to each
// other, so that a field added to one side is seen to need the other.
//
// Memory: each state change becomes one 24-byte "fact" (a keyed 64-bit hash
// of its key, one of its values, the event's seq and action), so 10^6 state
// changes cost ~24 MiB and the check never holds rows or event texts.  The
// hash key is random per run, so nobody who edits the tables can aim for a
// collision.
#include <algorithm>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "log/audit_log.h"
#include "crypto/crypto.h"
#include "log/replay.h"
#include "log/replay_detail.h"
#include "sspf/civil_time.h"

namespace sspf::internal {
namespace {

// What a fact records; part of its hashed key.
enum class Tag : uint8_t {
  kPrincipal = 1,  // principal.add: id -> (actor, role)
  kDisabled,       // principal.disable: id
  kCase,           // case.open: id -> subject
  kClosed,         // case.close: id
  kTeam,           // case.open team, case.team_add: (case, member)
  kConsent,        // consent.grant / consent.withdraw: (id, version) -> fields
  kEntry,          // entry.add: id -> (case, category, author, actor)
  kDisclosure,     // entry.disclose: id -> (entry, to, basis)
  kGrant,          // grant.emergency: id -> (case, principal, until)
  kActorKey,       // key.rotate: (actor, version)
  kSubject,        // subject.add: id -> commitment to birth date and blind index
  kGuardians,      // subject.add: subject id -> its guardian ids in order
  kSubjectLegacy,  // subject.add without a detail (older events): id
  kEntryLegacy,    // entry.add with five keys (older events)
  kDisclosureLegacy,  // entry.disclose with four keys (older events)
  kEntryBody,      // entry.add body=: id -> commitment to the body ciphertext
};

// Actions whose allowed events must carry a detail.
constexpr Action kReplayedActions[] = {
    Action::kPrincipalAdd,   Action::kPrincipalDisable, Action::kRecoveryReset,
    Action::kCaseOpen,       Action::kCaseClose,        Action::kCaseTeamAdd,
    Action::kConsentGrant,   Action::kConsentWithdraw,  Action::kEntryAdd,
    Action::kEntryDisclose,  Action::kGrantEmergency,   Action::kKeyRotate,
    Action::kSubjectAdd};

struct Fact {
  uint64_t key = 0;
  uint64_t value = 0;
  uint64_t seq_action = 0;  // seq | action << 48 | tag << 56
  uint64_t seq() const { return seq_action & ((uint64_t{1} << 48) - 1); }
  Action action() const { return static_cast<Action>(seq_action >> 48 & 0xff); }
  Tag tag() const { return static_cast<Tag>(seq_action >> 56); }
};

class Hasher {
 public:
  static Result<Hasher> New() {
    SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Random(32));
    return Hasher(std::move(key));
  }
  uint64_t Of(Tag tag, std::initializer_list<std::string_view> parts) const {
    std::string buf(1, static_cast<char>(tag));
    for (std::string_view p : parts) {
      buf.push_back('\0');
      buf.append(p.data(), p.size());
    }
    Bytes h = KeyedHash(key_, reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | h[i];
    return v;
  }

 private:
  explicit Hasher(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

std::string EventName(uint64_t seq) { return "event " + std::to_string(seq); }

std::string ActionLabel(Action a) {
  const char* n = ActionName(a);
  return n ? n : std::to_string(static_cast<int>(a));
}

// ---- Strict parsing of the detail grammar ------------------------------

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

bool ValidId(std::string_view s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), IsIdChar);
}

bool ValidDecimal(std::string_view s) {
  if (s.empty() || s.size() > 19) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A reason commitment in a detail: 64 lower-case hex characters, or "-".
bool ValidCommitment(std::string_view s) {
  if (s == "-") return true;
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The commitment column of a LEFT JOIN with sealed_reasons, as in a detail.
std::string CommitmentOf(Stmt* st, int col) {
  return st->IsNull(col) ? std::string("-") : HexEncode(st->Blob(col));
}

bool ValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= DaysInMonth(y, m);
}

Status Need(bool ok, const char* what) {
  return ok ? Status::Ok() : InvalidArgument(std::string("bad ") + what);
}

// A list of actor (or category) names, non-empty, in stored order.
template <typename T>
Result<std::string> NameList(const std::string& v, std::optional<T> (*parse)(std::string_view),
                             const char* what) {
  if (v.empty()) return InvalidArgument(std::string("empty ") + what);
  for (const std::string& item : SplitDetailList(v)) {
    if (!parse(item)) return InvalidArgument(std::string("bad ") + what);
  }
  return v;
}

// Table values of actor/category lists: names or numbers, comma-separated.
template <typename T>
std::optional<std::string> NormalizeList(const std::string& v,
                                         std::optional<T> (*parse)(std::string_view),
                                         const char* (*name)(T), int max) {
  if (v.empty()) return std::nullopt;
  std::string out;
  for (const std::string& item : SplitDetailList(v)) {
    std::optional<T> x = parse(item);
    if (!x && ValidDecimal(item) && item.size() < 4) {
      int n = std::stoi(item);
      if (n >= 1 && n <= max) x = static_cast<T>(n);
    }
    if (!x) return std::nullopt;
    if (!out.empty()) out += ',';
    out += name(*x);
  }
  return out;
}

std::string NameOr(const char* n, int64_t v) { return n ? n : "?" + std::to_string(v); }

// ---- The check -------------------------------------------------------------

class Replay {
 public:
  Replay(Db* db, const SecretBytes& lookup_key, Hasher hasher)
      : db_(db), lookup_key_(lookup_key), h_(std::move(hasher)) {}

  // One event's detail alone (CheckReplayDetail).
  Status CollectOne(const EventRecord& e) { return Collect(e); }

  Status Run() {
    SSPF_RETURN_IF_ERROR(CollectFacts());
    return Finish();
  }

  // One event of a stream in seq order (ReplayStream): the rows the
  // CollectFacts query selects.
  Status AddEvent(const EventRecord& e) {
    if (e.detail.empty() &&
        !(e.allowed && std::find(std::begin(kReplayedActions), std::end(kReplayedActions),
                                 e.action) != std::end(kReplayedActions))) {
      return Status::Ok();
    }
    return AddFactsOf(e);
  }

  Status Finish() {
    std::sort(facts_.begin(), facts_.end(), [](const Fact& a, const Fact& b) {
      return a.key != b.key ? a.key < b.key : a.seq_action < b.seq_action;
    });
    used_.assign(facts_.size(), 0);
    for (size_t i = 1; i < facts_.size(); ++i) {
      // A member named twice (case.open, then case.team_add) is harmless.
      if (facts_[i].key == facts_[i - 1].key && facts_[i].tag() != Tag::kTeam) {
        return IntegrityViolation(EventName(facts_[i].seq()) + ": " +
                                  ActionLabel(facts_[i].action()) +
                                  " repeats the state change of " +
                                  EventName(facts_[i - 1].seq()) + " (replayed event)");
      }
    }
    SSPF_RETURN_IF_ERROR(CheckPrincipals());
    SSPF_RETURN_IF_ERROR(CheckSubjects());
    SSPF_RETURN_IF_ERROR(CheckCases());
    SSPF_RETURN_IF_ERROR(CheckTeam());
    SSPF_RETURN_IF_ERROR(CheckConsents());
    SSPF_RETURN_IF_ERROR(CheckEntries());
    SSPF_RETURN_IF_ERROR(CheckDisclosures());
    SSPF_RETURN_IF_ERROR(CheckGrants());
    SSPF_RETURN_IF_ERROR(CheckActorKeys());
    for (size_t i = 0; i < facts_.size(); ++i) {
      if (!used_[i]) {
        return IntegrityViolation(
            EventName(facts_[i].seq()) + ": the " + ActionLabel(facts_[i].action()) +
            " it records is not in the tables (row deleted, page replay or rollback)");
      }
    }
    return Status::Ok();
  }

 private:
  void Add(const EventRecord& e, Tag tag, std::initializer_list<std::string_view> key,
           uint64_t value) {
    Fact f;
    f.key = h_.Of(tag, key);
    f.value = value;
    f.seq_action = e.seq | static_cast<uint64_t>(e.action) << 48 |
                   static_cast<uint64_t>(tag) << 56;
    facts_.push_back(f);
  }

  Status CollectFacts() {
    std::string in;
    for (Action a : kReplayedActions) {
      in += (in.empty() ? "" : ",") + std::to_string(static_cast<int>(a));
    }
    const std::string sql =
        "SELECT seq, action, allowed, detail, subject_id FROM events WHERE detail != '' OR "
        "(allowed = 1 AND action IN (" + in + ")) ORDER BY seq";
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql.c_str()));
    Status s;
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) { s = row.status(); break; }
      if (!*row) break;
      EventRecord e;
      e.seq = static_cast<uint64_t>(st->Int(0));
      e.action = static_cast<Action>(st->Int(1));
      e.allowed = st->Int(2) != 0;
      e.detail = st->Text(3);
      e.subject_id = st->Text(4);
      s = AddFactsOf(e);
      if (!s.ok()) break;
    }
    st->Reset();
    return s;
  }

  // The facts of one selected event; kIntegrityViolation naming it.
  Status AddFactsOf(const EventRecord& e) {
    if (e.seq >= (uint64_t{1} << 48)) {
      return IntegrityViolation(EventName(e.seq) + ": sequence number out of range");
    }
    if (!e.allowed) {
      return IntegrityViolation(EventName(e.seq) + ": a denied event carries a replay detail");
    }
    Status s = Collect(e);
    if (!s.ok()) {
      return IntegrityViolation(EventName(e.seq) + ": malformed replay detail of " +
                                ActionLabel(e.action) + " (" + s.message() + ")");
    }
    return Status::Ok();
  }

  Status Collect(const EventRecord& e) {
    const std::string& d = e.detail;
    if (IsFailureDetail(d)) return Status::Ok();  // allowed, then failed: no state
    switch (e.action) {
      case Action::kPrincipalAdd: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "principal id"));
        SSPF_RETURN_IF_ERROR(Need(ParseActor(v[1]).has_value(), "actor"));
        SSPF_RETURN_IF_ERROR(Need(ParseRole(v[2]).has_value(), "role"));
        SSPF_RETURN_IF_ERROR(Need(v[3] == "1", "active"));
        Add(e, Tag::kPrincipal, {v[0]}, h_.Of(Tag::kPrincipal, {v[1], v[2]}));
        return Status::Ok();
      }
      case Action::kPrincipalDisable: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "principal id"));
        SSPF_RETURN_IF_ERROR(Need(v[1] == "0", "active"));
        Add(e, Tag::kDisabled, {v[0]}, 0);
        return Status::Ok();
      }
      case Action::kRecoveryReset: {
        // Changes only the principal's key pair, which is not replayed.
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        return Need(ValidId(v[0]), "principal id");
      }
      case Action::kSubjectAdd: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        if (v.empty()) {  // an older event: the subject exists, nothing more
          SSPF_RETURN_IF_ERROR(Need(ValidId(e.subject_id), "subject id"));
          Add(e, Tag::kSubjectLegacy, {e.subject_id}, 0);
          return Status::Ok();
        }
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "subject id"));
        SSPF_RETURN_IF_ERROR(Need(v[1].size() == 32 && v[1].find_first_not_of(
                                                            "0123456789abcdef") ==
                                                            std::string::npos,
                                  "born"));
        if (!v[2].empty()) {
          for (const std::string& g : SplitDetailList(v[2])) {
            SSPF_RETURN_IF_ERROR(Need(ValidId(g), "guardian id"));
          }
        }
        Add(e, Tag::kSubject, {v[0]}, h_.Of(Tag::kSubject, {v[1]}));
        Add(e, Tag::kGuardians, {v[0]}, h_.Of(Tag::kGuardians, {v[2]}));
        return Status::Ok();
      }
      case Action::kCaseOpen: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "subject id"));
        SSPF_RETURN_IF_ERROR(Need(v[2] == "1", "open"));
        Add(e, Tag::kCase, {v[0]}, h_.Of(Tag::kCase, {v[1]}));
        if (!v[3].empty()) {
          for (const std::string& m : SplitDetailList(v[3])) {
            SSPF_RETURN_IF_ERROR(Need(ValidId(m), "team member id"));
            Add(e, Tag::kTeam, {v[0], m}, 0);
          }
        }
        return Status::Ok();
      }
      case Action::kCaseClose: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(v[1] == "0", "open"));
        Add(e, Tag::kClosed, {v[0]}, 0);
        return Status::Ok();
      }
      case Action::kCaseTeamAdd: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "member id"));
        Add(e, Tag::kTeam, {v[0], v[1]}, 0);
        return Status::Ok();
      }
      case Action::kConsentGrant: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "consent id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]) && v[1] != "0", "version"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[2]), "case id"));
        bool party_ok = v[3] == "youth" ||
                        (v[3].rfind("guardian:", 0) == 0 && ValidId(v[3].substr(9)));
        SSPF_RETURN_IF_ERROR(Need(party_ok, "party"));
        SSPF_RETURN_IF_ERROR(NameList<Actor>(v[4], &ParseActor, "actors").status());
        SSPF_RETURN_IF_ERROR(NameList<Category>(v[5], &ParseCategory, "categories").status());
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[6]), "from"));
        SSPF_RETURN_IF_ERROR(Need(ValidDate(v[7]), "until"));
        Add(e, Tag::kConsent, {v[0], v[1]},
            h_.Of(Tag::kConsent, {"grant", v[2], v[3], v[4], v[5], v[6], v[7]}));
        return Status::Ok();
      }
      case Action::kConsentWithdraw: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "consent id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]) && v[1] != "0", "version"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[2]), "withdrawn"));
        Add(e, Tag::kConsent, {v[0], v[1]}, h_.Of(Tag::kConsent, {"withdraw", v[2]}));
        return Status::Ok();
      }
      case Action::kEntryAdd: {
        SSPF_ASSIGN_OR_RETURN(auto v,
                              DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "entry id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ParseCategory(v[2]).has_value(), "category"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[3]), "author id"));
        SSPF_RETURN_IF_ERROR(Need(ParseActor(v[4]).has_value(), "actor"));
        if (v.size() == 5) {
          Add(e, Tag::kEntryLegacy, {v[0]}, h_.Of(Tag::kEntry, {v[1], v[2], v[3], v[4]}));
          return Status::Ok();
        }
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[5]), "created"));
        SSPF_RETURN_IF_ERROR(Need(v[6] == "-" || ValidId(v[6]), "supersedes"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[7]) && v[7] != "0", "key"));
        Add(e, Tag::kEntry, {v[0]},
            h_.Of(Tag::kEntry, {v[1], v[2], v[3], v[4], v[5], v[6], v[7]}));
        if (v.size() > 8) {
          SSPF_RETURN_IF_ERROR(Need(v[8] != "-" && ValidCommitment(v[8]), "body"));
          Add(e, Tag::kEntryBody, {v[0]}, h_.Of(Tag::kEntryBody, {v[8]}));
        }
        return Status::Ok();
      }
      case Action::kEntryDisclose: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "disclosure id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "entry id"));
        SSPF_RETURN_IF_ERROR(Need(ParseActor(v[2]).has_value(), "to"));
        bool basis_ok = v[3] == "provision";
        if (v[3].rfind("provision-until:", 0) == 0) {
          const std::string t = v[3].substr(16);
          basis_ok = !t.empty() && t.size() < 19 &&
                     t.find_first_not_of("0123456789") == std::string::npos;
        }
        if (v[3].rfind("grant:", 0) == 0) basis_ok = ValidId(v[3].substr(6));
        if (v[3].rfind("consent:", 0) == 0) {
          basis_ok = true;
          for (const std::string& id : SplitDetailList(v[3].substr(8))) basis_ok &= ValidId(id);
        }
        SSPF_RETURN_IF_ERROR(Need(basis_ok, "basis"));
        if (v.size() == 4) {
          Add(e, Tag::kDisclosureLegacy, {v[0]}, h_.Of(Tag::kDisclosure, {v[1], v[2], v[3]}));
          return Status::Ok();
        }
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[4]), "by"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[5]), "created"));
        SSPF_RETURN_IF_ERROR(Need(ValidCommitment(v[6]), "reason"));
        Add(e, Tag::kDisclosure, {v[0]},
            h_.Of(Tag::kDisclosure, {v[1], v[2], v[3], v[4], v[5], v[6]}));
        return Status::Ok();
      }
      case Action::kGrantEmergency: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "grant id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[2]), "principal id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[3]), "until"));
        SSPF_RETURN_IF_ERROR(Need(ValidCommitment(v[4]), "reason"));
        Add(e, Tag::kGrant, {v[0]}, h_.Of(Tag::kGrant, {v[1], v[2], v[3], v[4]}));
        return Status::Ok();
      }
      case Action::kKeyRotate: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ParseActor(v[0]).has_value(), "actor"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]) && v[1] != "0" && v[1] != "1", "version"));
        Add(e, Tag::kActorKey, {v[0], v[1]}, 0);
        return Status::Ok();
      }
      default:
        if (d.empty()) return Status::Ok();
        return InvalidArgument("this action carries no replay detail");
    }
  }

  // The fact with this key, or null.  Marks it (and equal-key duplicates,
  // which only team facts may have) used.
  const Fact* Find(uint64_t key) {
    auto it = std::lower_bound(facts_.begin(), facts_.end(), key,
                               [](const Fact& f, uint64_t k) { return f.key < k; });
    if (it == facts_.end() || it->key != key) return nullptr;
    const Fact* first = &*it;
    for (; it != facts_.end() && it->key == key; ++it) {
      used_[static_cast<size_t>(it - facts_.begin())] = 1;
    }
    return first;
  }

  // Looks up the fact for a row and compares its value.
  Status Match(const std::string& row, Tag tag, std::initializer_list<std::string_view> key,
               uint64_t value) {
    const Fact* f = Find(h_.Of(tag, key));
    if (!f) return IntegrityViolation(row + " has no event in the log (direct edit)");
    if (f->value != value) {
      return IntegrityViolation(row + " differs from " + EventName(f->seq()) +
                                " (direct edit, page replay or rollback)");
    }
    return Status::Ok();
  }

  // Match against the full fact, or else against the fact of an older
  // event that carried fewer fields (compared on those only).
  Status MatchOrLegacy(const std::string& row, Tag tag, Tag legacy, std::string_view id,
                       uint64_t value, uint64_t legacy_value) {
    if (Find(h_.Of(tag, {id})) || !Find(h_.Of(legacy, {id}))) {
      return Match(row, tag, {id}, value);
    }
    return Match(row, legacy, {id}, legacy_value);
  }

  // Steps st to the end, calling fn per row.
  static Status Rows(Stmt* st, const std::function<Status()>& fn) {
    Status s;
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) { s = row.status(); break; }
      if (!*row) break;
      s = fn();
      if (!s.ok()) break;
    }
    st->Reset();
    return s;
  }

  Status CheckPrincipals() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db_->Prepare("SELECT id, actor, role, active FROM principals"));
    return Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      std::string row = "principals row " + id;
      std::string actor = NameOr(ActorName(static_cast<Actor>(st->Int(1))), st->Int(1));
      std::string role = NameOr(RoleName(static_cast<Role>(st->Int(2))), st->Int(2));
      int64_t active = st->Int(3);
      SSPF_RETURN_IF_ERROR(Match(row, Tag::kPrincipal, {id}, h_.Of(Tag::kPrincipal, {actor, role})));
      const Fact* disabled = Find(h_.Of(Tag::kDisabled, {id}));
      if (active == 1 && disabled) {
        return IntegrityViolation(row + " is active although " + EventName(disabled->seq()) +
                                  " disabled it (page replay or rollback)");
      }
      if (active != 1 && !disabled) {
        return IntegrityViolation(row + " is disabled without an event (direct edit)");
      }
      return Status::Ok();
    });
  }

  // Birth date and blind index through the commitment in subject.add; the
  // guardians (all of whom must consent) in their order.
  Status CheckSubjects() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db_->Prepare("SELECT id, birth_date, pnr_index FROM subjects"));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * gs, db_->Prepare("SELECT id FROM guardians WHERE subject_id = ? ORDER BY position"));
    SSPF_RETURN_IF_ERROR(Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      std::string row = "subjects row " + id;
      if (!Find(h_.Of(Tag::kSubject, {id})) && Find(h_.Of(Tag::kSubjectLegacy, {id}))) {
        return Status::Ok();  // an older event: nothing to compare
      }
      const std::string commitment = SubjectCommitment(lookup_key_, id, st->Text(1), st->Blob(2));
      SSPF_RETURN_IF_ERROR(
          Match(row + " (birth date or blind index)", Tag::kSubject, {id},
                h_.Of(Tag::kSubject, {commitment})));
      gs->Bind(1, id);
      std::vector<std::string> guardians;
      SSPF_RETURN_IF_ERROR(Rows(gs, [&]() -> Status {
        guardians.push_back(gs->Text(0));
        return Status::Ok();
      }));
      return Match("guardians of subjects row " + id + " (a guardian row deleted, added or moved)",
                   Tag::kGuardians, {id}, h_.Of(Tag::kGuardians, {DetailList(guardians)}));
    }));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * orphan, db_->Prepare("SELECT id, subject_id FROM guardians WHERE subject_id NOT IN "
                                    "(SELECT id FROM subjects) LIMIT 1"));
    return Rows(orphan, [&]() -> Status {
      return IntegrityViolation("guardians row " + orphan->Text(0) + " names subject " +
                                orphan->Text(1) + ", which has no row (direct edit)");
    });
  }

  Status CheckCases() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT id, subject_id, open FROM cases"));
    return Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      std::string row = "cases row " + id;
      SSPF_RETURN_IF_ERROR(Match(row, Tag::kCase, {id}, h_.Of(Tag::kCase, {st->Text(1)})));
      const Fact* closed = Find(h_.Of(Tag::kClosed, {id}));
      int64_t open = st->Int(2);
      if (open == 1 && closed) {
        return IntegrityViolation(row + " is open although " + EventName(closed->seq()) +
                                  " closed it (page replay or rollback)");
      }
      if (open != 1 && !closed) {
        return IntegrityViolation(row + " is closed without an event (direct edit)");
      }
      return Status::Ok();
    });
  }

  Status CheckTeam() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT case_id, principal_id FROM case_team"));
    return Rows(st, [&]() -> Status {
      std::string c = st->Text(0), p = st->Text(1);
      return Match("case_team row " + c + "/" + p, Tag::kTeam, {c, p}, 0);
    });
  }

  Status CheckConsents() {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st,
        db_->Prepare("SELECT id, version, case_id, party_youth, guardian_id, actors, "
                     "categories, valid_from, valid_until, withdrawn_at FROM consents"));
    SSPF_RETURN_IF_ERROR(Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      std::string version = std::to_string(st->Int(1));
      std::string row = "consents row " + id + " version " + version;
      uint64_t value;
      if (st->IsNull(9)) {
        std::string party = st->Int(3) != 0 ? "youth" : "guardian:" + st->Text(4);
        std::optional<std::string> actors =
            NormalizeList<Actor>(st->Text(5), &ParseActor, &ActorName, 5);
        std::optional<std::string> cats =
            NormalizeList<Category>(st->Text(6), &ParseCategory, &CategoryName, 8);
        if (!actors || !cats) return IntegrityViolation(row + " has unreadable lists (direct edit)");
        value = h_.Of(Tag::kConsent, {"grant", st->Text(2), party, *actors, *cats,
                                      std::to_string(st->Int(7)), st->Text(8)});
      } else {
        value = h_.Of(Tag::kConsent, {"withdraw", std::to_string(st->Int(9))});
      }
      return Match(row, Tag::kConsent, {id, version}, value);
    }));
    // A withdrawal is a copy of the version before it plus withdrawn_at; the
    // log names only the time, so the copy is checked here.
    SSPF_ASSIGN_OR_RETURN(
        Stmt * copy,
        db_->Prepare("SELECT a.id, a.version FROM consents a WHERE a.withdrawn_at IS NOT NULL "
                     "AND NOT EXISTS (SELECT 1 FROM consents b WHERE b.id = a.id AND "
                     "b.version = a.version - 1 AND b.case_id = a.case_id AND "
                     "b.party_youth = a.party_youth AND b.guardian_id IS a.guardian_id AND "
                     "b.actors = a.actors AND b.categories = a.categories AND "
                     "b.valid_until = a.valid_until) LIMIT 1"));
    return Rows(copy, [&]() -> Status {
      return IntegrityViolation("consents row " + copy->Text(0) + " version " +
                                std::to_string(copy->Int(1)) +
                                " is a withdrawal that does not copy the version before it "
                                "(direct edit)");
    });
  }

  Status CheckEntries() {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st,
        db_->Prepare("SELECT id, case_id, category, author_id, author_actor, created, "
                     "supersedes, key_version, body FROM entries"));
    return Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      // No erasure path exists yet, so nothing explains a missing body.  A
      // body= commitment (newer entries) must match the stored ciphertext;
      // older entries' content is not covered (legacy).
      if (st->IsNull(8)) {
        return IntegrityViolation("entries row " + id +
                                  " has no content and no erasure event (direct edit)");
      }
      if (const Fact* body = Find(h_.Of(Tag::kEntryBody, {id}))) {
        if (body->value != h_.Of(Tag::kEntryBody, {EntryBodyCommitment(st->Blob(8))})) {
          return IntegrityViolation("entries row " + id + ": its content is not the content " +
                                    "signed in " + EventName(body->seq()) + " (replaced)");
        }
      }
      std::string cat = NameOr(CategoryName(static_cast<Category>(st->Int(2))), st->Int(2));
      std::string actor = NameOr(ActorName(static_cast<Actor>(st->Int(4))), st->Int(4));
      const std::string supersedes = st->IsNull(6) ? "-" : st->Text(6);
      return MatchOrLegacy(
          "entries row " + id, Tag::kEntry, Tag::kEntryLegacy, id,
          h_.Of(Tag::kEntry, {st->Text(1), cat, st->Text(3), actor, std::to_string(st->Int(5)),
                              supersedes, std::to_string(st->Int(7))}),
          h_.Of(Tag::kEntry, {st->Text(1), cat, st->Text(3), actor}));
    });
  }

  Status CheckDisclosures() {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db_->Prepare("SELECT d.id, d.entry_id, d.to_actor, d.consent_id, "
                                "d.grant_id, d.provision, d.until, d.decided_by, d.created, "
                                "r.commitment FROM disclosures d LEFT JOIN sealed_reasons r "
                                "ON r.tbl = 'disclosures' AND r.row_id = d.id"));
    return Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      std::string row = "disclosures row " + id;
      int bases = (st->IsNull(3) ? 0 : 1) + (st->IsNull(4) ? 0 : 1) + (st->IsNull(5) ? 0 : 1);
      if (bases != 1) return IntegrityViolation(row + " has no single basis (direct edit)");
      std::string basis = !st->IsNull(3)   ? "consent:" + st->Text(3)
                          : !st->IsNull(4) ? "grant:" + st->Text(4)
                          : !st->IsNull(6) ? "provision-until:" + std::to_string(st->Int(6))
                                           : "provision";
      std::string to = NameOr(ActorName(static_cast<Actor>(st->Int(2))), st->Int(2));
      return MatchOrLegacy(row, Tag::kDisclosure, Tag::kDisclosureLegacy, id,
                           h_.Of(Tag::kDisclosure, {st->Text(1), to, basis, st->Text(7),
                                                    std::to_string(st->Int(8)),
                                                    CommitmentOf(st, 9)}),
                           h_.Of(Tag::kDisclosure, {st->Text(1), to, basis}));
    });
  }

  Status CheckGrants() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db_->Prepare("SELECT g.id, g.case_id, g.principal_id, g.until, "
                                       "r.commitment FROM grants g LEFT JOIN sealed_reasons r "
                                       "ON r.tbl = 'grants' AND r.row_id = g.id"));
    return Rows(st, [&]() -> Status {
      std::string id = st->Text(0);
      return Match("grants row " + id, Tag::kGrant, {id},
                   h_.Of(Tag::kGrant, {st->Text(1), st->Text(2), std::to_string(st->Int(3)),
                                       CommitmentOf(st, 4)}));
    });
  }

  // Version 1 of an actor key comes with the actor's first member
  // (principal.add); every later version with a key.rotate, whose row must
  // still be there (a rollback of the rotation is caught by the unused
  // fact).  A version without an event is a planted key, which has no
  // certificate: CheckCertifiedState names it.
  Status CheckActorKeys() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db_->Prepare("SELECT actor, version FROM actor_keys WHERE version > 1"));
    return Rows(st, [&]() -> Status {
      std::string actor = NameOr(ActorName(static_cast<Actor>(st->Int(0))), st->Int(0));
      Find(h_.Of(Tag::kActorKey, {actor, std::to_string(st->Int(1))}));
      return Status::Ok();
    });
  }

  Db* db_;
  const SecretBytes& lookup_key_;
  Hasher h_;
  std::vector<Fact> facts_;
  std::vector<uint8_t> used_;
};

}  // namespace

Status CheckReplayDetail(Action a, std::string_view detail) {
  SSPF_ASSIGN_OR_RETURN(Hasher hasher, Hasher::New());
  SSPF_ASSIGN_OR_RETURN(SecretBytes lookup_key, SecretBytes::Allocate(32));
  Replay replay(nullptr, lookup_key, std::move(hasher));
  EventRecord e;
  e.action = a;
  e.allowed = true;
  e.detail = std::string(detail);
  return replay.CollectOne(e);
}

struct ReplayStream::Impl {
  Replay replay;
};

ReplayStream::ReplayStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReplayStream::~ReplayStream() = default;

Result<std::unique_ptr<ReplayStream>> ReplayStream::New(Db* db, const SecretBytes& lookup_key) {
  SSPF_ASSIGN_OR_RETURN(Hasher hasher, Hasher::New());
  return std::unique_ptr<ReplayStream>(
      new ReplayStream(std::make_unique<Impl>(Impl{Replay(db, lookup_key, std::move(hasher))})));
}

Status ReplayStream::Add(const EventRecord& e) { return impl_->replay.AddEvent(e); }

Status ReplayStream::Finish() { return impl_->replay.Finish(); }

Status ReplayCheck(Db* db, const SecretBytes& lookup_key) {
  SSPF_ASSIGN_OR_RETURN(Hasher hasher, Hasher::New());
  Replay replay(db, lookup_key, std::move(hasher));
  return replay.Run();
}

}  // namespace sspf::internal
