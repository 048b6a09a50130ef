// The replay check (replay.h): every state change the log records must be
// in the tables, and every row of the replayed tables must come from the
// log, with the same values.
// One file over 700 lines on purpose: the log side (facts from events) and
// the table side (facts from rows) of each replayed table sit next to each
// other, so that a reviewer sees each key and value built the same way on
// both sides, and a field added to one side is seen to need the other.
//
// Memory: each state change becomes one 24-byte "fact" (a keyed 64-bit hash
// of its key, one of its values, the event's seq and action), and the check
// never holds rows or event texts.  The facts are bounded by a budget
// (kDefaultFactBudget, 6 MiB): when they reach it, the ids are split into
// twice as many partitions (by a hash of the row's id) and only the first
// partition is kept in memory; the facts of the others go to a sealed
// scratch file beside the store (log/scratch.h).  After the pass, each
// further partition gets a pass of its own: its facts read back from the
// file, and its table rows too, which the first pass kept as it scanned
// the tables (ForRows, log/replay_rows.h).  So peak memory does not grow
// with the number of cases, and the events and the tables are each read
// once.  Without the file (a file system without O_TMPFILE, a full disk),
// each further pass reads the events with a detail and the tables again.  Beside
// the facts the check keeps the principals' logged state (keys, certificate
// changes), which grows with staff, not cases.
// The hash key is random per run, so nobody who edits the tables can aim
// for a collision.
#include <algorithm>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "log/audit_log.h"
#include "crypto/crypto.h"
#include "log/replay.h"
#include "log/replay_detail.h"
#include "log/replay_rows.h"
#include "log/scratch.h"
#include "keys/certificate.h"
#include "keys/key_hierarchy.h"
#include "sspf/civil_time.h"
#include "storage/certificates_table.h"
#include "util/encoding.h"

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
  kSeal,              // an actor-key seal: (actor, version, principal, epoch)
  kCustody,        // guardian.custody: (subject, guardian) -> custody 1|0 (toggles)
  kRevoked,        // entry.revoke: disclosure id -> revoked time
  kGrantEnded,     // grant.end: grant id -> ended time
  kConsentRef,     // consent.confirm: (consent, actor) -> reference commitment
  kReviewAck,      // audit.ack: id -> (flagged seq, auditor, time, note commitment)
  kReviewClosure,  // audit.review_close: id -> (period, auditor, time, counts)
  kErased,         // retention.erase: (id, entry|case|subject) -> tombstone
  kCaseNumber,     // case.open: id -> its number (CaseNumberYear, log order)
  kIdentity,       // subject.add identity=: subject id -> commitment to the identity records
};

// Tags whose state toggles (close/reopen, add/remove, custody on/off): a
// key may have many facts, and the last one (by seq) decides.
bool Toggles(Tag t) { return t == Tag::kTeam || t == Tag::kClosed || t == Tag::kCustody; }
// The team fact values: on the team, removed from it.
constexpr uint64_t kOnTeam = 0, kOffTeam = 1;
// The close and reopen fact values: a close holds its event's time (even),
// which the case's row must hold as its closing time; a reopen is odd.
constexpr uint64_t kReopened = 1;
uint64_t ClosedAt(UnixSeconds t) { return static_cast<uint64_t>(t < 0 ? 0 : t) << 1; }
bool IsClose(uint64_t value) { return (value & 1) == 0; }
UnixSeconds CloseTime(uint64_t value) { return static_cast<UnixSeconds>(value >> 1); }

// Actions whose allowed events must carry a detail.
constexpr Action kReplayedActions[] = {
    Action::kPrincipalAdd,   Action::kPrincipalDisable, Action::kRecoveryReset,
    Action::kCaseOpen,       Action::kCaseClose,        Action::kCaseTeamAdd,
    Action::kConsentGrant,   Action::kConsentWithdraw,  Action::kEntryAdd,
    Action::kEntryDisclose,  Action::kGrantEmergency,   Action::kKeyRotate,
    Action::kSubjectAdd,     Action::kActorKeyDeliver,  Action::kGuardianCustody,
    Action::kCaseReopen,     Action::kCaseTeamRemove,   Action::kEntryRevoke,
    Action::kGrantEnd,       Action::kConsentConfirm,   Action::kAuditAck,
    Action::kAuditReviewClose, Action::kRetentionErase};

// The low bits of a fact's key are the partition hash of its first key part
// (the row's id), so that facts can be dropped by partition.
constexpr int kPartBits = 16;
constexpr uint64_t kPartMask = (uint64_t{1} << kPartBits) - 1;
// Rows of later partitions are kept up to this many partitions (a scratch
// file and a 16 KiB buffer each); beyond, each pass runs the queries.
constexpr uint64_t kMaxKeptPartitions = 64;

uint64_t PartOf(std::string_view first) {
  const uint64_t h = std::hash<std::string_view>{}(first);
  return (h ^ (h >> 32)) & kPartMask;
}

struct Fact {
  uint64_t key = 0;
  uint64_t value = 0;
  uint64_t seq_action = 0;  // seq | action << 48 | tag << 56
  uint64_t seq() const { return seq_action & ((uint64_t{1} << 48) - 1); }
  Action action() const { return static_cast<Action>(seq_action >> 48 & 0xff); }
  Tag tag() const { return static_cast<Tag>(seq_action >> 56); }
};
static_assert(std::is_trivially_copyable_v<Fact> && sizeof(Fact) == 24,
              "facts go to the scratch file as bytes");

class Hasher {
 public:
  static Result<Hasher> New() {
    SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Random(16));
    return Hasher(std::move(key));
  }
  // SipHash-2-4 (a PRF under the run's random key) of the tag and the
  // length-prefixed parts: a fact's value only has to tell two values apart
  // within one run, and every event and row is hashed, so a 64-bit PRF
  // suffices where a 32-byte BLAKE2b cost four times as much (and an
  // allocation per call).
  uint64_t Of(Tag tag, std::initializer_list<std::string_view> parts) const {
    buf_.assign(1, static_cast<char>(tag));
    for (std::string_view p : parts) {
      const size_t n = p.size();
      const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                           static_cast<char>(n >> 8), static_cast<char>(n)};
      buf_.append(len, sizeof len);
      buf_.append(p.data(), n);
    }
    return ShortHash(key_, reinterpret_cast<const uint8_t*>(buf_.data()), buf_.size());
  }

 private:
  explicit Hasher(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
  mutable std::string buf_;  // reused: no allocation per call once grown
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
std::string CommitmentOf(const ReplayRow& r, int col) {
  return r.IsNull(col) ? std::string("-") : HexEncode(r.Blob(col));
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

bool ValidKeyHex(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// What the log says about one principal (all passes rebuild it).
struct Logged {
  uint32_t index = 0;       // order of principal.add
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  uint32_t epoch = 0;       // disables and recoveries so far: each drops its seals
  uint64_t keys_seq = 0;    // the event that set its keys
  bool keys_known = false;  // false after a legacy event without keys
  std::string box, sign;    // hex
  uint32_t legacy_delivery_epoch = UINT32_MAX;  // a key.deliver without detail
};

// ---- The check -------------------------------------------------------------

class Replay {
 public:
  Replay(Db* db, const SecretBytes& lookup_key, Hasher hasher, size_t budget,
         ReplayScratch scratch = ReplayScratch::kFile)
      : db_(db), lookup_key_(lookup_key), h_(std::move(hasher)),
        budget_(std::max<size_t>(budget, 2)),
        later_usable_(db != nullptr && scratch == ReplayScratch::kFile),
        keep_rows_(later_usable_) {
    // The whole budget at once: the vector never grows by doubling (which
    // held the old and the new array at once and rounded up to twice the
    // facts), and pages not yet written stay out of the resident set.
    facts_.reserve(budget_);
  }

  // One event's detail alone (CheckReplayDetail).
  Status CollectOne(const EventRecord& e) { return Collect(e); }

  Status Run() {
    SSPF_RETURN_IF_ERROR(CollectFacts());
    return Finish(nullptr);
  }

  // Passes the last check needed (tests of the budget).
  uint64_t Partitions() const { return uint64_t{1} << bits_; }
  // Facts kept in the scratch file (0 when each pass rescans the events).
  uint64_t ScratchFacts() const { return later_ && later_usable_ ? later_->records() : 0; }
  // Rows the first pass kept for later passes (0 when each pass runs the
  // table queries).
  uint64_t KeptRowCount() const { return kept_ ? kept_->rows() : 0; }

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

  // Checks the partition collected so far, then collects and checks every
  // further one, then the state kept beside the facts.
  Status Finish(TableRowSink* sink) {
    sink_ = sink;
    for (;;) {
      SSPF_RETURN_IF_ERROR(CheckPartition());
      if (pass_ + 1 >= (uint64_t{1} << bits_)) break;
      ++pass_;
      facts_.clear();
      if (later_ && later_usable_) {
        // The first pass saw every event: the state kept beside the facts
        // is complete, and the facts of this partition are in the file.
        SSPF_RETURN_IF_ERROR(FactsFromScratch());
        continue;
      }
      later_.reset();
      later_usable_ = false;
      logged_.clear();
      by_index_.clear();
      cert_changes_.clear();
      actor_has_key_.clear();
      legacy_rotations_.clear();
      SSPF_RETURN_IF_ERROR(CollectFacts());
    }
    SSPF_RETURN_IF_ERROR(CheckPrincipalKeys());
    return CheckSealHolders();
  }

 private:
  // The facts of the current partition against the rows of its ids.
  Status CheckPartition() {
    // By key, then in log order, so that the last fact of a key is its
    // latest state.
    std::sort(facts_.begin(), facts_.end(), [](const Fact& a, const Fact& b) {
      return a.key != b.key ? a.key < b.key : a.seq() < b.seq();
    });
    used_.assign(facts_.size(), 0);
    for (size_t i = 1; i < facts_.size(); ++i) {
      // A toggling state has one fact per change (a member named twice, by
      // case.open and then case.team_add, is harmless too).
      if (facts_[i].key == facts_[i - 1].key && !Toggles(facts_[i].tag())) {
        return IntegrityViolation(EventName(facts_[i].seq()) + ": " +
                                  ActionLabel(facts_[i].action()) +
                                  " repeats the state change of " +
                                  EventName(facts_[i - 1].seq()) + " (replayed event)");
      }
    }
    // The first pass keeps the rows of the later partitions (ForRows),
    // one scratch file per partition: up to kMaxKeptPartitions of them.
    if (pass_ == 0 && bits_ > 0 && keep_rows_ && Partitions() <= kMaxKeptPartitions) {
      kept_ = std::make_unique<KeptRows>(StoreDirectory(), static_cast<size_t>(Partitions()));
      kept_bits_ = bits_;
    }
    SSPF_RETURN_IF_ERROR(CheckPrincipals());
    SSPF_RETURN_IF_ERROR(CheckSubjects());
    SSPF_RETURN_IF_ERROR(CheckCases());
    SSPF_RETURN_IF_ERROR(CheckTeam());
    SSPF_RETURN_IF_ERROR(CheckConsents());
    SSPF_RETURN_IF_ERROR(CheckConsentRefs());
    SSPF_RETURN_IF_ERROR(CheckEntries());
    SSPF_RETURN_IF_ERROR(CheckDisclosures());
    SSPF_RETURN_IF_ERROR(CheckGrants());
    SSPF_RETURN_IF_ERROR(CheckActorKeys());
    SSPF_RETURN_IF_ERROR(CheckSeals());
    SSPF_RETURN_IF_ERROR(CheckReviewSignOffs());
    SSPF_RETURN_IF_ERROR(CheckErasures());
    if (pass_ == 0 && kept_) kept_->Complete();
    for (size_t i = 0; i < facts_.size(); ++i) {
      if (!used_[i] && facts_[i].tag() == Tag::kSeal && SealDropped(facts_[i].value)) continue;
      // A member whose last team fact removed it has no row; a custody
      // fact of a guardian row that is gone is named by the guardians list.
      if (!used_[i] && facts_[i].tag() == Tag::kTeam && LastOfKey(i).value == kOffTeam) continue;
      if (!used_[i] && facts_[i].tag() == Tag::kCustody) continue;
      if (!used_[i]) {
        return IntegrityViolation(
            EventName(facts_[i].seq()) + ": the " + ActionLabel(facts_[i].action()) +
            " it records is not in the tables (row deleted, page replay or rollback)");
      }
    }
    return Status::Ok();
  }

  // The key of a fact: its keyed hash, the low bits the partition of its
  // first part.
  uint64_t KeyOf(Tag tag, std::initializer_list<std::string_view> key) const {
    return (h_.Of(tag, key) & ~kPartMask) | PartOf(*key.begin());
  }

  bool InPass(uint64_t part) const { return (part >> (kPartBits - bits_)) == pass_; }

  void Add(const EventRecord& e, Tag tag, std::initializer_list<std::string_view> key,
           uint64_t value) {
    const bool now = InPass(PartOf(*key.begin()));
    if (!now && !later_usable_) return;  // collected again in its own pass
    Fact f;
    f.key = KeyOf(tag, key);
    f.value = value;
    f.seq_action = e.seq | static_cast<uint64_t>(e.action) << 48 |
                   static_cast<uint64_t>(tag) << 56;
    if (now) {
      Keep(f);
    } else {
      Later(f);
    }
  }

  // A fact of the current partition.  Over budget: split every partition
  // in two and keep the first half of this one (the second gets a pass
  // after it); the facts of the second half go to the scratch file when
  // they come from the log (from the file, they are there already).
  void Keep(const Fact& f) {
    facts_.push_back(f);
    while (facts_.size() >= budget_ && bits_ < kPartBits) {
      ++bits_;
      pass_ *= 2;
      auto out = std::partition(facts_.begin(), facts_.end(),
                                [&](const Fact& x) { return InPass(x.key & kPartMask); });
      if (!from_scratch_) {
        for (auto it = out; it != facts_.end(); ++it) Later(*it);
      }
      facts_.erase(out, facts_.end());
    }
  }

  // A fact of a later partition, into the scratch file (made on first use
  // beside the store).  When the file cannot be made or written, each
  // later pass reads the events again instead.
  void Later(const Fact& f) {
    if (!later_usable_) return;
    if (!later_) {
      Result<std::unique_ptr<SealedScratch>> made =
          SealedScratch::Create(StoreDirectory(), sizeof(Fact));
      if (!made.ok()) {
        later_usable_ = false;
        return;
      }
      later_ = std::move(*made);
    }
    if (!later_->Append(&f).ok()) later_usable_ = false;
  }

  // The directory of the store's file, where the scratch file goes (the
  // store's disk was chosen for its size; a temporary directory may be a
  // small RAM disk).
  std::string StoreDirectory() const {
    const std::string dir = db_->path();
    const size_t slash = dir.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : dir.substr(0, slash);
  }

  // The facts of the current partition, from the scratch file.
  Status FactsFromScratch() {
    from_scratch_ = true;
    return later_->ForEach([&](const uint8_t* records, size_t count) -> Status {
      for (size_t i = 0; i < count; ++i) {
        Fact f;
        std::memcpy(&f, records + i * sizeof(Fact), sizeof(Fact));
        if (InPass(f.key & kPartMask)) Keep(f);
      }
      return Status::Ok();
    });
  }

  // The last fact with the key of facts_[i] (facts_ is sorted).
  const Fact& LastOfKey(size_t i) const {
    while (i + 1 < facts_.size() && facts_[i + 1].key == facts_[i].key) ++i;
    return facts_[i];
  }

  Logged* LoggedOf(const std::string& id) {
    auto it = logged_.find(id);
    return it == logged_.end() ? nullptr : &it->second;
  }

  // A seal fact's value: the principal's index and epoch.
  static uint64_t SealValue(const Logged& p) { return uint64_t{p.index} << 32 | p.epoch; }
  // A seal dropped by a later disable or recovery of its principal.
  bool SealDropped(uint64_t value) const {
    const uint32_t index = static_cast<uint32_t>(value >> 32);
    return index < by_index_.size() &&
           static_cast<uint32_t>(value) < by_index_[index]->second.epoch;
  }

  // A row whose id is in another partition (checked in its own pass).
  bool Other(std::string_view id) const { return !InPass(PartOf(id)); }

  // The keys of a principal.add or recovery.reset from its detail values
  // at `at` (box, sign), or unknown for an older event without them.
  static void SetKeys(const EventRecord& e, Logged* p, const std::vector<std::string>& v,
                      size_t at) {
    p->keys_seq = e.seq;
    p->keys_known = v.size() > at + 1;
    p->box = p->keys_known ? v[at] : "";
    p->sign = p->keys_known ? v[at + 1] : "";
  }

  void AddSeal(const EventRecord& e, std::string_view actor, std::string_view version,
               const std::string& principal) {
    Logged* p = LoggedOf(principal);
    if (!p) return;  // named by the table side: a seal of a principal never added
    const std::string epoch = std::to_string(p->epoch);
    Add(e, Tag::kSeal, {actor, version, principal, epoch}, SealValue(*p));
  }

  Status CollectFacts() {
    std::string in;
    for (Action a : kReplayedActions) {
      in += (in.empty() ? "" : ",") + std::to_string(static_cast<int>(a));
    }
    const std::string sql =
        "SELECT seq, action, allowed, detail, subject_id, target, time FROM events WHERE "
        "detail != '' OR "
        "(allowed = 1 AND action IN (" + in + ")) ORDER BY seq";
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql.c_str()));
    case_numbers_.clear();  // every pass counts from the log's start
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
      e.target = st->Text(5);
      e.time = st->Int(6);
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
        if (v.size() > 4) {
          SSPF_RETURN_IF_ERROR(Need(ValidKeyHex(v[4]) && ValidKeyHex(v[5]), "keys"));
        }
        Add(e, Tag::kPrincipal, {v[0]}, h_.Of(Tag::kPrincipal, {v[1], v[2]}));
        auto ins = logged_.emplace(v[0], Logged());
        if (!ins.second) return Status::Ok();  // the repeat is named by the fact
        Logged& p = ins.first->second;
        p.index = static_cast<uint32_t>(by_index_.size());
        by_index_.push_back(&*ins.first);
        p.actor = *ParseActor(v[1]);
        p.role = *ParseRole(v[2]);
        SetKeys(e, &p, v, 4);
        // The first content member of an actor brings its key, version 1.
        if ((p.role == Role::kMember || p.role == Role::kCoordinator) &&
            actor_has_key_.insert(p.actor).second) {
          Add(e, Tag::kActorKey, {v[1], "1"}, 0);
          AddSeal(e, v[1], "1", v[0]);
        }
        return Status::Ok();
      }
      case Action::kPrincipalDisable: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "principal id"));
        SSPF_RETURN_IF_ERROR(Need(v[1] == "0", "active"));
        Add(e, Tag::kDisabled, {v[0]}, 0);
        if (Logged* p = LoggedOf(v[0])) ++p->epoch;  // its seals are deleted
        ++cert_changes_[v[0]];
        return Status::Ok();
      }
      case Action::kRecoveryReset: {
        // New key pairs; the old seals are deleted.
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "principal id"));
        if (v.size() > 1) {
          SSPF_RETURN_IF_ERROR(Need(ValidKeyHex(v[1]) && ValidKeyHex(v[2]), "keys"));
        }
        ++cert_changes_[v[0]];
        Logged* p = LoggedOf(v[0]);
        if (!p) return Status::Ok();  // the principals side names it
        ++p->epoch;
        SetKeys(e, p, v, 1);
        return Status::Ok();
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
        if (v.size() > 3) Add(e, Tag::kIdentity, {v[0]}, h_.Of(Tag::kIdentity, {v[3]}));
        return Status::Ok();
      }
      case Action::kCaseOpen: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "subject id"));
        SSPF_RETURN_IF_ERROR(Need(v[2] == "1", "open"));
        // The case number: this event's place among its year's case.open
        // events, counted over the whole log whatever the partition.
        const int year = CaseNumberYear(e.time);
        const std::string number = FormatCaseNumber(year, ++case_numbers_[year]);
        Add(e, Tag::kCase, {v[0]}, h_.Of(Tag::kCase, {v[1]}));
        Add(e, Tag::kCaseNumber, {v[0]}, h_.Of(Tag::kCaseNumber, {number}));
        if (!v[3].empty()) {
          for (const std::string& m : SplitDetailList(v[3])) {
            SSPF_RETURN_IF_ERROR(Need(ValidId(m), "team member id"));
            Add(e, Tag::kTeam, {v[0], m}, kOnTeam);
          }
        }
        return Status::Ok();
      }
      case Action::kCaseClose: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(v[1] == "0", "open"));
        Add(e, Tag::kClosed, {v[0]}, ClosedAt(e.time));
        return Status::Ok();
      }
      case Action::kCaseReopen: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(v[1] == "1", "open"));
        Add(e, Tag::kClosed, {v[0]}, kReopened);
        return Status::Ok();
      }
      case Action::kCaseTeamRemove: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "member id"));
        Add(e, Tag::kTeam, {v[0], v[1]}, kOffTeam);
        return Status::Ok();
      }
      case Action::kGuardianCustody: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "subject id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "guardian id"));
        SSPF_RETURN_IF_ERROR(Need(v[2] == "1" || v[2] == "0", "custody"));
        Add(e, Tag::kCustody, {v[0], v[1]}, h_.Of(Tag::kCustody, {v[2]}));
        return Status::Ok();
      }
      case Action::kEntryRevoke: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "disclosure id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "entry id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[2]), "revoked"));
        Add(e, Tag::kRevoked, {v[0]}, h_.Of(Tag::kRevoked, {v[1], v[2]}));
        return Status::Ok();
      }
      case Action::kGrantEnd: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "grant id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]), "ended"));
        Add(e, Tag::kGrantEnded, {v[0]}, h_.Of(Tag::kGrantEnded, {v[1]}));
        return Status::Ok();
      }
      case Action::kConsentConfirm: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "consent id"));
        SSPF_RETURN_IF_ERROR(Need(ParseActor(v[1]).has_value(), "actor"));
        SSPF_RETURN_IF_ERROR(Need(v[2] != "-" && ValidCommitment(v[2]), "reference"));
        Add(e, Tag::kConsentRef, {v[0], v[1]}, h_.Of(Tag::kConsentRef, {v[2]}));
        return Status::Ok();
      }
      case Action::kAuditAck: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "ack id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]), "flagged"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[2]), "by"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[3]), "created"));
        SSPF_RETURN_IF_ERROR(Need(v[4] != "-" && ValidCommitment(v[4]), "note"));
        Add(e, Tag::kReviewAck, {v[0]},
            h_.Of(Tag::kReviewAck, {std::to_string(e.seq), v[1], v[2], v[3], v[4]}));
        return Status::Ok();
      }
      case Action::kAuditReviewClose: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "closure id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]) && ValidDecimal(v[2]), "period"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[3]), "by"));
        SSPF_RETURN_IF_ERROR(
            Need(ValidDecimal(v[4]) && ValidDecimal(v[5]) && ValidDecimal(v[6]), "counts"));
        Add(e, Tag::kReviewClosure, {v[0]},
            h_.Of(Tag::kReviewClosure,
                  {std::to_string(e.seq), v[1], v[2], v[3], v[4], v[5], v[6]}));
        return Status::Ok();
      }
      case Action::kCaseTeamAdd: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[1]), "member id"));
        Add(e, Tag::kTeam, {v[0], v[1]}, kOnTeam);
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
        if (v.size() == 2) {  // an older event: its members are not named
          legacy_rotations_.insert(v[0] + ":" + v[1]);
          return Status::Ok();
        }
        SSPF_RETURN_IF_ERROR(Need(!v[2].empty(), "members"));
        for (const std::string& m : SplitDetailList(v[2])) {
          SSPF_RETURN_IF_ERROR(Need(ValidId(m), "member id"));
          AddSeal(e, v[0], v[1], m);
        }
        return Status::Ok();
      }
      case Action::kActorKeyDeliver: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        if (v.empty()) {  // an older event: which key is not named
          const std::string prefix = "principal:";
          SSPF_RETURN_IF_ERROR(Need(e.target.rfind(prefix, 0) == 0 &&
                                        ValidId(e.target.substr(prefix.size())),
                                    "target"));
          if (Logged* p = LoggedOf(e.target.substr(prefix.size()))) {
            p->legacy_delivery_epoch = p->epoch;
          }
          return Status::Ok();
        }
        SSPF_RETURN_IF_ERROR(Need(v[0] == "oversight" || ParseActor(v[0]).has_value(), "key"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]) && v[1] != "0", "version"));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[2]), "principal id"));
        // Oversight seals are checked by their certificates and the auditors'
        // role (CheckCertifiedState), not replayed here.
        if (v[0] != "oversight") AddSeal(e, v[0], v[1], v[2]);
        return Status::Ok();
      }
      case Action::kRetentionErase: {
        SSPF_ASSIGN_OR_RETURN(auto v, DecodeDetail(e.action, d));
        SSPF_RETURN_IF_ERROR(Need(ValidId(v[0]), "case id"));
        SSPF_RETURN_IF_ERROR(Need(ValidDecimal(v[1]), "erased"));
        SSPF_RETURN_IF_ERROR(Need(v[3] == "0" || v[3] == "1", "case_erased"));
        SSPF_RETURN_IF_ERROR(Need(v[4] == "-" || ValidId(v[4]), "subject"));
        SSPF_RETURN_IF_ERROR(Need(v[5] != "-" && ValidCommitment(v[5]), "decision"));
        if (v[2] != "-") {
          for (const std::string& item : SplitDetailList(v[2])) {
            const size_t colon = item.find(':');
            SSPF_RETURN_IF_ERROR(Need(colon != std::string::npos &&
                                          ValidId(item.substr(0, colon)) &&
                                          ValidId(item.substr(colon + 1)),
                                      "entries"));
            Add(e, Tag::kErased, {item.substr(0, colon), "entry"},
                h_.Of(Tag::kErased, {v[0], v[1], item.substr(colon + 1), v[5]}));
          }
        }
        if (v[3] == "1") {
          Add(e, Tag::kErased, {v[0], "case"}, h_.Of(Tag::kErased, {v[0], v[1], "-", v[5]}));
        }
        if (v[4] != "-") {
          Add(e, Tag::kErased, {v[4], "subject"}, h_.Of(Tag::kErased, {v[0], v[1], "-", v[5]}));
        }
        return Status::Ok();
      }
      default:
        if (d.empty()) return Status::Ok();
        return InvalidArgument("this action carries no replay detail");
    }
  }

  // The fact with this key, or null, without marking it used (the
  // tombstone's own row does, CheckErasures).
  const Fact* Peek(uint64_t key) const {
    auto it = std::lower_bound(facts_.begin(), facts_.end(), key,
                               [](const Fact& f, uint64_t k) { return f.key < k; });
    return it == facts_.end() || it->key != key ? nullptr : &*it;
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

  // The last fact with this key (a toggling state's latest), or null.
  // Marks every fact of the key used.
  const Fact* FindLast(uint64_t key) {
    const Fact* first = Find(key);
    if (!first) return nullptr;
    return &LastOfKey(static_cast<size_t>(first - facts_.data()));
  }

  // Looks up the fact for a row and compares its value.
  Status Match(const std::string& row, Tag tag, std::initializer_list<std::string_view> key,
               uint64_t value) {
    const Fact* f = Find(KeyOf(tag, key));
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
    if (Find(KeyOf(tag, {id})) || !Find(KeyOf(legacy, {id}))) {
      return Match(row, tag, {id}, value);
    }
    return Match(row, legacy, {id}, legacy_value);
  }

  // A one-way end of a row (a disclosure revoked, a grant ended): the
  // nullable time in column `col` must match the event that set it
  // (`extra` values first), and a row whose event exists must carry it.
  Status MatchEnd(const std::string& row, Tag tag, const std::string& id, const ReplayRow& r,
                  int col, std::optional<std::string> entry, const char* what) {
    const uint64_t key = KeyOf(tag, {id});
    if (r.IsNull(col)) {
      if (const Fact* f = Find(key)) {
        return IntegrityViolation(row + " is not " + what + " although " + EventName(f->seq()) +
                                  " says so (revived by a direct edit or page replay)");
      }
      return Status::Ok();
    }
    const std::string t = std::to_string(r.Int(col));
    const uint64_t value = entry ? h_.Of(tag, {*entry, t}) : h_.Of(tag, {t});
    return Match(row + " (" + what + ")", tag, {id}, value);
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

  // The replayed tables, each a segment of a partition's kept rows.
  enum RowTable : int {
    kPrincipalRows, kSubjectRows, kCaseRows, kTeamRows, kConsentRows, kConsentRefRows,
    kEntryRows, kDisclosureRows, kGrantRows, kErasureRows, kActorKeyRows, kSealRows,
    kReviewAckRows, kReviewClosureRows,
  };
  static constexpr const char* kRowTableNames[] = {
      "principals", "subjects",    "cases",   "case_team",  "consents",       "consent_refs",
      "entries",    "disclosures", "grants",  "erasures",   "actor_keys",     "actor_key_seals",
      "review_acks", "review_closures"};
  static_assert(sizeof(kRowTableNames) / sizeof(kRowTableNames[0]) == kReviewClosureRows + 1,
                "one name per replayed table");
  // The id a row's partition is taken from.
  using IdOf = std::string (*)(const ReplayRow&);
  static std::string FirstColumn(const ReplayRow& r) { return r.Text(0); }
  static std::string ActorColumn(const ReplayRow& r) {
    return NameOr(ActorName(static_cast<Actor>(r.Int(0))), r.Int(0));
  }
  // How a row is kept beyond its columns: one column as a digest (an
  // entry body as its commitment), values appended (a subject's guardians).
  struct RowKeeping {
    int digest_col = -1;
    ColumnDigest digest = nullptr;
    std::function<Status(const std::string& id, Bytes* record)> append;
  };

  // The rows of table whose ids are in this pass, in query order.  The
  // first pass reads the query and keeps the rows of later partitions in
  // their partition's scratch file (KeptRows), so that each later pass
  // reads only its own rows back instead of scanning the table again.
  // Without the file (kRescan, too many partitions, a file that could not
  // be written), a later pass runs the query again.
  Status ForRows(RowTable table, const char* sql, IdOf id_of,
                 const std::function<Status(const ReplayRow&)>& fn) {
    return ForRows(table, sql, id_of, fn, RowKeeping());
  }
  Status ForRows(RowTable table, const char* sql, IdOf id_of,
                 const std::function<Status(const ReplayRow&)>& fn, const RowKeeping& keep,
                 const char* sunk_table = nullptr, int sunk_columns = 0) {
    if (pass_ > 0 && kept_ && kept_->Has(KeptPart(pass_))) {
      return kept_->ForEach(KeptPart(pass_), table, [&](const ReplayRow& r) -> Status {
        return Other(id_of(r)) ? Status::Ok() : fn(r);
      });
    }
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql));
    const bool keeping = pass_ == 0 && kept_ != nullptr;
    // The sink's columns come after the check's own, which alone are kept.
    const int own = st->Columns() - sunk_columns;
    const std::string sunk = sunk_table ? sunk_table : "";
    const ReplayRow live(st);
    Bytes record;
    DeclaredClasses classes(/*strict=*/false);
    Status s = Rows(st, [&]() -> Status {
      // Before any accessor converts a value (storage/db.h).
      const std::string mismatch = classes.Mismatch(*st);
      if (!mismatch.empty()) {
        return IntegrityViolation(std::string(kRowTableNames[table]) + " row " + id_of(live) +
                                  ": " + mismatch);
      }
      if (sunk_columns > 0) sink_->Row(sunk, *st, own);
      const std::string id = id_of(live);
      if (!Other(id)) return fn(live);
      if (!keeping) return Status::Ok();
      record.clear();
      AppendColumns(*st, own, keep.digest_col, keep.digest, &record);
      if (keep.append) SSPF_RETURN_IF_ERROR(keep.append(id, &record));
      kept_->Add(KeptPart(PartOf(id) >> (kPartBits - bits_)), table, record);
      return Status::Ok();
    });
    if (keeping) kept_->EndTable(table);
    if (s.ok() && sunk_columns > 0) sink_->Complete(sunk);
    return s;
  }
  // ForRows over a whole table, `SELECT columns FROM name NOT INDEXED`:
  // its own b-tree in rowid order.  In the first pass, the sink's columns
  // (TableRowSink) follow the check's own, and the sink sees every row.
  Status ForTable(RowTable table, const char* name, const char* columns, IdOf id_of,
                  const std::function<Status(const ReplayRow&)>& fn) {
    return ForTable(table, name, columns, id_of, fn, RowKeeping());
  }
  Status ForTable(RowTable table, const char* name, const char* columns, IdOf id_of,
                  const std::function<Status(const ReplayRow&)>& fn, const RowKeeping& keep) {
    std::vector<std::string> extra;
    if (pass_ == 0 && sink_) extra = sink_->ColumnsOf(name);
    std::string sql = std::string("SELECT ") + columns;
    for (const std::string& c : extra) sql += ", " + c;
    sql += std::string(" FROM ") + name + " NOT INDEXED";
    return ForRows(table, sql.c_str(), id_of, fn, keep, name, static_cast<int>(extra.size()));
  }

  // The kept rows' file of partition `part` (as numbered now): partitions
  // split after the first pass share their parent's file.
  size_t KeptPart(uint64_t part) const {
    return static_cast<size_t>(part >> (bits_ - kept_bits_));
  }

  Status CheckPrincipals() {
    return ForRows(kPrincipalRows, "SELECT id, actor, role, active FROM principals", &FirstColumn,
                   [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      std::string row = "principals row " + id;
      std::string actor = NameOr(ActorName(static_cast<Actor>(r.Int(1))), r.Int(1));
      std::string role = NameOr(RoleName(static_cast<Role>(r.Int(2))), r.Int(2));
      int64_t active = r.Int(3);
      SSPF_RETURN_IF_ERROR(Match(row, Tag::kPrincipal, {id}, h_.Of(Tag::kPrincipal, {actor, role})));
      const Fact* disabled = Find(KeyOf(Tag::kDisabled, {id}));
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

  // A subject's guardians in their order: for a live row by their query,
  // for a kept one from the values kept after its five columns.
  static constexpr const char* kGuardiansSql =
      "SELECT id, identity IS NULL, custody, identity FROM guardians WHERE subject_id = ? "
      "ORDER BY position";
  static constexpr int kSubjectColumns = 5, kGuardianColumns = 4;
  struct Guardian {
    std::string id;
    bool name_gone = false;
    bool custody = false;
    Bytes identity;  // empty when null
  };
  static Guardian GuardianAt(const ReplayRow& r, int at) {
    Guardian g;
    g.id = r.Text(at);
    g.name_gone = r.Int(at + 1) != 0;
    g.custody = r.Int(at + 2) != 0;
    if (!r.IsNull(at + 3)) g.identity = r.Blob(at + 3);
    return g;
  }
  Status GuardiansOf(const ReplayRow& subject, const std::string& id, std::vector<Guardian>* out) {
    out->clear();
    if (!subject.live()) {
      for (size_t at = kSubjectColumns; at + kGuardianColumns <= subject.kept_columns();
           at += kGuardianColumns) {
        out->push_back(GuardianAt(subject, static_cast<int>(at)));
      }
      return Status::Ok();
    }
    SSPF_ASSIGN_OR_RETURN(Stmt * gs, db_->Prepare(kGuardiansSql));
    gs->Bind(1, id);
    const ReplayRow g(gs);
    return Rows(gs, [&]() -> Status {
      out->push_back(GuardianAt(g, 0));
      return Status::Ok();
    });
  }
  // Keeps a subject's guardian rows after its own columns.
  Status AppendGuardians(const std::string& id, Bytes* record) {
    SSPF_ASSIGN_OR_RETURN(Stmt * gs, db_->Prepare(kGuardiansSql));
    gs->Bind(1, id);
    return Rows(gs, [&]() -> Status {
      AppendColumns(*gs, gs->Columns(), -1, nullptr, record);
      return Status::Ok();
    });
  }

  // Birth date and blind index through the commitment in subject.add; the
  // guardians (all of whom must consent) in their order.
  Status CheckSubjects() {
    std::vector<Guardian> guardian_rows;
    RowKeeping keep;
    keep.append = [&](const std::string& id, Bytes* record) { return AppendGuardians(id, record); };
    SSPF_RETURN_IF_ERROR(ForTable(kSubjectRows, "subjects",
                                  "id, birth_date, pnr_index, erased, identity", &FirstColumn, [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      std::string row = "subjects row " + id;
      if (!Find(KeyOf(Tag::kSubject, {id})) && Find(KeyOf(Tag::kSubjectLegacy, {id}))) {
        return Status::Ok();  // an older event: nothing to compare
      }
      const Fact* erased = Peek(KeyOf(Tag::kErased, {id, "subject"}));
      if (erased && r.Int(3) == 0) {
        return IntegrityViolation(row + " is not marked erased although " +
                                  EventName(erased->seq()) + " erased it (page replay or rollback)");
      }
      if (!erased && r.Int(3) != 0) {
        return IntegrityViolation(row + " is marked erased without an erasure event (direct edit)");
      }
      if (erased) {
        // Identity, birth date and blind index are gone; the commitment
        // was to them.
        if (!r.IsNull(4)) {
          return IntegrityViolation(row + " is erased but keeps an identity record (direct edit)");
        }
        if (!Find(KeyOf(Tag::kSubject, {id}))) {
          return IntegrityViolation(row + " has no event in the log (direct edit)");
        }
        Find(KeyOf(Tag::kIdentity, {id}));  // its records are gone with the commitment's subject
      } else {
        const std::string commitment =
            SubjectCommitment(lookup_key_, id, r.Text(1), r.Blob(2));
        SSPF_RETURN_IF_ERROR(Match(row + " (birth date or blind index)", Tag::kSubject, {id},
                                   h_.Of(Tag::kSubject, {commitment})));
        // Only a retention.erase event takes the identity away.
        if (r.IsNull(4)) {
          return IntegrityViolation(row + " has no identity record and no erasure event "
                                          "(direct edit)");
        }
      }
      SSPF_RETURN_IF_ERROR(GuardiansOf(r, id, &guardian_rows));
      std::vector<std::string> guardians;
      std::vector<Bytes> guardian_identities;
      std::string name_mismatch;  // a guardian whose name is there or gone wrongly
      for (const Guardian& g : guardian_rows) {
        guardians.push_back(g.id);
        guardian_identities.push_back(g.identity);
        if (g.name_gone != (erased != nullptr) && name_mismatch.empty()) name_mismatch = g.id;
        // Custody: every guardian has it from subject.add; the last
        // guardian.custody event decides after that.
        const std::string custody = g.custody ? "1" : "0";
        const Fact* last = FindLast(KeyOf(Tag::kCustody, {id, g.id}));
        const bool logged = last ? last->value == h_.Of(Tag::kCustody, {"1"}) : true;
        if (logged != g.custody) {
          return IntegrityViolation("guardians row " + g.id + ": custody " + custody +
                                    " differs from " +
                                    (last ? EventName(last->seq()) : std::string("subject.add")) +
                                    " (direct edit or page replay)");
        }
      }
      SSPF_RETURN_IF_ERROR(
          Match("guardians of subjects row " + id + " (a guardian row deleted, added or moved)",
                Tag::kGuardians, {id}, h_.Of(Tag::kGuardians, {DetailList(guardians)})));
      // A guardian's name goes with the subject's identity, and only then.
      if (name_mismatch.empty()) {
        // The identity records as signed in subject.add (events before
        // identity= carry no commitment).
        if (erased || !Peek(KeyOf(Tag::kIdentity, {id}))) return Status::Ok();
        return Match(row + " (identity record of the youth or a guardian re-encrypted)",
                     Tag::kIdentity, {id},
                     h_.Of(Tag::kIdentity, {IdentityCommitment(r.Blob(4), guardian_identities)}));
      }
      return IntegrityViolation(
          "guardians row " + name_mismatch +
          (erased ? " keeps a name although " + EventName(erased->seq()) +
                        " erased its subject (page replay or rollback)"
                  : " has no name and its subject no erasure event (direct edit)"));
    }, keep));
    if (pass_ > 0) return Status::Ok();  // the table as a whole: once
    SSPF_ASSIGN_OR_RETURN(
        Stmt * orphan, db_->Prepare("SELECT id, subject_id FROM guardians WHERE subject_id NOT IN "
                                    "(SELECT id FROM subjects) LIMIT 1"));
    return Rows(orphan, [&]() -> Status {
      return IntegrityViolation("guardians row " + orphan->Text(0) + " names subject " +
                                orphan->Text(1) + ", which has no row (direct edit)");
    });
  }

  Status CheckCases() {
    return ForTable(kCaseRows, "cases", "id, subject_id, open, number, closed", &FirstColumn,
                   [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      std::string row = "cases row " + id;
      SSPF_RETURN_IF_ERROR(Match(row, Tag::kCase, {id}, h_.Of(Tag::kCase, {r.Text(1)})));
      SSPF_RETURN_IF_ERROR(Match(row + " (its case number " + r.Text(3) + ")",
                                 Tag::kCaseNumber, {id},
                                 h_.Of(Tag::kCaseNumber, {r.Text(3)})));
      // The last close or reopen decides.
      const Fact* state = FindLast(KeyOf(Tag::kClosed, {id}));
      const Fact* closed = state && IsClose(state->value) ? state : nullptr;
      int64_t open = r.Int(2);
      if (open == 1 && closed) {
        return IntegrityViolation(row + " is open although " + EventName(closed->seq()) +
                                  " closed it (page replay or rollback)");
      }
      if (open != 1 && !closed) {
        return IntegrityViolation(row + " is closed without an event" +
                                  (state ? ", and " + EventName(state->seq()) + " reopened it"
                                         : std::string()) +
                                  " (direct edit or page replay)");
      }
      // Retention counts from the closing time: it must be the close's.
      if (closed) {
        const UnixSeconds at = CloseTime(closed->value);
        if (r.IsNull(4) || r.Int(4) > at || r.Int(4) < at - kCaseClosedSlack) {
          const std::string stored =
              r.IsNull(4) ? std::string("is empty") : FormatRfc3339(r.Int(4));
          return IntegrityViolation(row + ": its closing time " + stored + ", but " +
                                    EventName(closed->seq()) + " closed it at " +
                                    FormatRfc3339(at) + " (direct edit)");
        }
      } else if (!r.IsNull(4)) {
        return IntegrityViolation(row + " is open but has a closing time (direct edit)");
      }
      return Status::Ok();
    });
  }

  Status CheckTeam() {
    return ForTable(kTeamRows, "case_team", "case_id, principal_id", &FirstColumn,
                   [&](const ReplayRow& r) -> Status {
      std::string c = r.Text(0), p = r.Text(1);
      const std::string row = "case_team row " + c + "/" + p;
      const Fact* last = FindLast(KeyOf(Tag::kTeam, {c, p}));
      if (!last) return IntegrityViolation(row + " has no event in the log (direct edit)");
      if (last->value != kOnTeam) {
        return IntegrityViolation(row + ": " + EventName(last->seq()) +
                                  " removed the member (direct edit or page replay)");
      }
      return Status::Ok();
    });
  }

  // Each actor's own reference to a consent: the row's salted commitment
  // of its reference text against its consent.confirm event.  Retention
  // erases the text and salt with the consent's case (the commitment stays
  // in the log): the case's tombstone explains an empty row, and is itself
  // checked against its retention.erase event (CheckErasures), so a
  // planted or deleted tombstone fails the same check.
  Status CheckConsentRefs() {
    return ForRows(
        kConsentRefRows,
        "SELECT r.consent_id, r.actor, r.reference, r.salt, e.target IS NOT NULL "
        "FROM consent_refs r LEFT JOIN consents c ON c.id = r.consent_id AND "
        "c.version = 1 LEFT JOIN erasures e ON e.target = 'case:' || c.case_id",
        &FirstColumn, [&](const ReplayRow& r) -> Status {
      const std::string id = r.Text(0);
      const std::string actor = NameOr(ActorName(static_cast<Actor>(r.Int(1))), r.Int(1));
      const std::string row = "consent_refs row " + id + "/" + actor;
      const Bytes salt = r.Blob(3);
      const bool text_gone = r.Text(2).empty() && salt.empty();
      if (r.Int(4) != 0) {
        if (!text_gone) {
          return IntegrityViolation(row + " keeps its reference although its case is erased "
                                          "(page replay or rollback)");
        }
        if (!Find(KeyOf(Tag::kConsentRef, {id, actor}))) {
          return IntegrityViolation(row + " has no event in the log (direct edit)");
        }
        return Status::Ok();
      }
      if (text_gone) {
        return IntegrityViolation(row + " has no reference and its case no erasure event "
                                        "(direct edit)");
      }
      if (salt.size() != kReasonSaltSize) return IntegrityViolation(row + " has a bad salt");
      SSPF_ASSIGN_OR_RETURN(Bytes commitment, ReasonCommitment(salt.data(), r.Text(2)));
      return Match(row, Tag::kConsentRef, {id, actor},
                   h_.Of(Tag::kConsentRef, {HexEncode(commitment)}));
    });
  }

  Status CheckConsents() {
    SSPF_RETURN_IF_ERROR(ForRows(
        kConsentRows,
        "SELECT id, version, case_id, party_youth, guardian_id, actors, "
        "categories, valid_from, valid_until, withdrawn_at FROM consents",
        &FirstColumn, [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      std::string version = std::to_string(r.Int(1));
      std::string row = "consents row " + id + " version " + version;
      uint64_t value;
      if (r.IsNull(9)) {
        std::string party = r.Int(3) != 0 ? "youth" : "guardian:" + r.Text(4);
        std::optional<std::string> actors =
            NormalizeList<Actor>(r.Text(5), &ParseActor, &ActorName, 5);
        std::optional<std::string> cats =
            NormalizeList<Category>(r.Text(6), &ParseCategory, &CategoryName, 8);
        if (!actors || !cats) return IntegrityViolation(row + " has unreadable lists (direct edit)");
        value = h_.Of(Tag::kConsent, {"grant", r.Text(2), party, *actors, *cats,
                                      std::to_string(r.Int(7)), r.Text(8)});
      } else {
        value = h_.Of(Tag::kConsent, {"withdraw", std::to_string(r.Int(9))});
      }
      return Match(row, Tag::kConsent, {id, version}, value);
    }));
    if (pass_ > 0) return Status::Ok();  // the table as a whole: once
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
    RowKeeping keep;
    keep.digest_col = 8;  // the body, kept as its commitment
    keep.digest = &EntryBodyCommitment;
    return ForTable(kEntryRows, "entries",
                    "id, case_id, category, author_id, author_actor, created, supersedes, "
                    "key_version, body",
                    &FirstColumn, [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      // Only a retention.erase event explains a missing body, and an
      // erased entry's body must stay gone.  A body= commitment (newer
      // entries) must match the stored ciphertext; older entries' content
      // is not covered (legacy).
      const Fact* erased = Peek(KeyOf(Tag::kErased, {id, "entry"}));
      if (r.IsNull(8) && !erased) {
        return IntegrityViolation("entries row " + id +
                                  " has no content and no erasure event (direct edit)");
      }
      if (!r.IsNull(8) && erased) {
        return IntegrityViolation("entries row " + id + " has content although " +
                                  EventName(erased->seq()) +
                                  " erased it (page replay or rollback)");
      }
      if (r.IsNull(8)) {
        Find(KeyOf(Tag::kEntryBody, {id}));  // the commitment is to the erased body
      } else if (const Fact* body = Find(KeyOf(Tag::kEntryBody, {id}))) {
        if (body->value != h_.Of(Tag::kEntryBody, {r.Digest(8, &EntryBodyCommitment)})) {
          return IntegrityViolation("entries row " + id + ": its content is not the content " +
                                    "signed in " + EventName(body->seq()) + " (replaced)");
        }
      }
      std::string cat = NameOr(CategoryName(static_cast<Category>(r.Int(2))), r.Int(2));
      std::string actor = NameOr(ActorName(static_cast<Actor>(r.Int(4))), r.Int(4));
      const std::string supersedes = r.IsNull(6) ? "-" : r.Text(6);
      return MatchOrLegacy(
          "entries row " + id, Tag::kEntry, Tag::kEntryLegacy, id,
          h_.Of(Tag::kEntry, {r.Text(1), cat, r.Text(3), actor, std::to_string(r.Int(5)),
                              supersedes, std::to_string(r.Int(7))}),
          h_.Of(Tag::kEntry, {r.Text(1), cat, r.Text(3), actor}));
    }, keep);
  }

  Status CheckDisclosures() {
    return ForRows(
        kDisclosureRows,
        "SELECT d.id, d.entry_id, d.to_actor, d.consent_id, d.grant_id, d.provision, d.until, "
        "d.decided_by, d.created, r.commitment, d.revoked FROM disclosures d LEFT JOIN "
        "sealed_reasons r ON r.tbl = 'disclosures' AND r.row_id = d.id",
        &FirstColumn, [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      std::string row = "disclosures row " + id;
      int bases = (r.IsNull(3) ? 0 : 1) + (r.IsNull(4) ? 0 : 1) + (r.IsNull(5) ? 0 : 1);
      if (bases != 1) return IntegrityViolation(row + " has no single basis (direct edit)");
      std::string basis = !r.IsNull(3)   ? "consent:" + r.Text(3)
                          : !r.IsNull(4) ? "grant:" + r.Text(4)
                          : !r.IsNull(6) ? "provision-until:" + std::to_string(r.Int(6))
                                         : "provision";
      std::string to = NameOr(ActorName(static_cast<Actor>(r.Int(2))), r.Int(2));
      SSPF_RETURN_IF_ERROR(MatchEnd(row, Tag::kRevoked, id, r, 10, r.Text(1), "revoked"));
      return MatchOrLegacy(row, Tag::kDisclosure, Tag::kDisclosureLegacy, id,
                           h_.Of(Tag::kDisclosure, {r.Text(1), to, basis, r.Text(7),
                                                    std::to_string(r.Int(8)),
                                                    CommitmentOf(r, 9)}),
                           h_.Of(Tag::kDisclosure, {r.Text(1), to, basis}));
    });
  }

  Status CheckGrants() {
    return ForRows(kGrantRows,
                   "SELECT g.id, g.case_id, g.principal_id, g.until, r.commitment, g.ended FROM "
                   "grants g LEFT JOIN sealed_reasons r ON r.tbl = 'grants' AND r.row_id = g.id",
                   &FirstColumn, [&](const ReplayRow& r) -> Status {
      std::string id = r.Text(0);
      SSPF_RETURN_IF_ERROR(
          MatchEnd("grants row " + id, Tag::kGrantEnded, id, r, 5, std::nullopt, "ended"));
      return Match("grants row " + id, Tag::kGrant, {id},
                   h_.Of(Tag::kGrant, {r.Text(1), r.Text(2), std::to_string(r.Int(3)),
                                       CommitmentOf(r, 4)}));
    });
  }

  // The id in an erasures row's target ("<kind>:<id>").
  static std::string ErasedId(const ReplayRow& r) {
    const std::string target = r.Text(0);
    const size_t colon = target.find(':');
    return colon == std::string::npos ? "" : target.substr(colon + 1);
  }

  // Every tombstone comes from a retention.erase event, with its case,
  // time, rule and decision (and every such event's tombstones exist: an
  // unused fact is a deleted tombstone).
  Status CheckErasures() {
    return ForRows(kErasureRows, "SELECT target, case_id, erased, rule, decision FROM erasures",
                   &ErasedId, [&](const ReplayRow& r) -> Status {
      const std::string target = r.Text(0);
      const std::string kind = target.substr(0, target.find(':'));
      return Match("erasures row " + target, Tag::kErased, {ErasedId(r), kind},
                   h_.Of(Tag::kErased, {r.Text(1), std::to_string(r.Int(2)), r.Text(3),
                                        RetentionDecisionCommitment(r.Text(4))}));
    });
  }

  // Version 1 of an actor key comes with the actor's first content member
  // (principal.add); every later version with a key.rotate.  A version
  // without an event is a planted key; a rollback of a rotation leaves its
  // fact unused.
  Status CheckActorKeys() {
    return ForRows(kActorKeyRows, "SELECT actor, version FROM actor_keys", &ActorColumn,
                   [&](const ReplayRow& r) -> Status {
      const std::string actor = ActorColumn(r);
      const std::string version = std::to_string(r.Int(1));
      return Match("actor_keys row " + std::to_string(r.Int(0)) + ":" + version +
                       " (actor " + actor + ")",
                   Tag::kActorKey, {actor, version}, 0);
    });
  }

  // Every seal of an actor-key version to a principal comes from a logged
  // key creation, rotation or delivery since the principal's last disable
  // or recovery (which delete its seals).  Older events that did not name
  // the key are accepted for the principal (key.deliver) or the version
  // (key.rotate) they concern.
  Status CheckSeals() {
    return ForRows(kSealRows, "SELECT actor, version, principal_id FROM actor_key_seals",
                   &ActorColumn, [&](const ReplayRow& r) -> Status {
      const std::string actor = ActorColumn(r);
      const std::string version = std::to_string(r.Int(1));
      const std::string id = r.Text(2);
      const std::string row = "actor_key_seals row " + std::to_string(r.Int(0)) + ":" +
                              version + " of principal " + id;
      const Logged* p = LoggedOf(id);
      if (!p) return IntegrityViolation(row + ": the log never added that principal");
      const std::string epoch = std::to_string(p->epoch);
      if (Find(KeyOf(Tag::kSeal, {actor, version, id, epoch}))) {
        return Match(row, Tag::kSeal, {actor, version, id, epoch}, SealValue(*p));
      }
      if (p->legacy_delivery_epoch == p->epoch ||
          legacy_rotations_.count(actor + ":" + version)) {
        return Status::Ok();
      }
      return IntegrityViolation(row + " has no key delivery, rotation or creation in the log "
                                "since the principal's last disable or recovery (planted seal)");
    });
  }

  // Beside the facts: each principal's keys and certificate versions as
  // the log sets them, and who holds seals.
  Status CheckPrincipalKeys() {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT id, box_public_key FROM principals"));
    SSPF_RETURN_IF_ERROR(Rows(st, [&]() -> Status {
      const std::string id = st->Text(0);
      const Logged* p = LoggedOf(id);
      if (!p) return IntegrityViolation("principals row " + id + " has no event in the log");
      if (p->keys_known && HexEncode(st->Blob(1)) != p->box) {
        return IntegrityViolation("principals row " + id + ": box key differs from the one " +
                                  EventName(p->keys_seq) + " set (key swapped)");
      }
      return Status::Ok();
    }));
    struct Certs {
      int64_t count = 0, newest = 0;
      std::string box, sign;
    };
    std::map<std::string, Certs> certs;
    Status bad;
    SSPF_RETURN_IF_ERROR(ForEachCert(db_, [&](const CertRow& row) -> Status {
      if (row.kind != CertKind::kPrincipal) return Status::Ok();
      Certs& c = certs[row.subject];
      ++c.count;
      if (row.version > c.newest) {
        Result<PrincipalCert> cert = DecodePrincipalCert(row.body);
        if (!cert.ok()) {
          return IntegrityViolation("certificates row principal " + row.subject + " version " +
                                    std::to_string(row.version) + " is malformed");
        }
        c.newest = row.version;
        c.box = HexEncode(cert->box_public_key);
        c.sign = HexEncode(cert->sign_public_key);
      }
      return Status::Ok();
    }));
    for (const auto& [id, c] : certs) {
      const std::string name = "certificates of principal " + id;
      const Logged* p = LoggedOf(id);
      if (!p) return IntegrityViolation(name + ": the log never added that principal");
      auto changes = cert_changes_.find(id);
      const int64_t expected = 1 + (changes == cert_changes_.end() ? 0 : changes->second);
      if (c.newest != expected || c.count != expected) {
        return IntegrityViolation(name + ": " + std::to_string(c.count) + " versions up to " +
                                  std::to_string(c.newest) + ", the log explains " +
                                  std::to_string(expected) +
                                  " (a certificate deleted, rolled back or added)");
      }
      if (p->keys_known && (c.box != p->box || c.sign != p->sign)) {
        return IntegrityViolation(name + ": the keys of version " + std::to_string(c.newest) +
                                  " differ from the ones " + EventName(p->keys_seq) + " set");
      }
    }
    for (const auto& [id, p] : logged_) {
      if (!certs.count(id)) {
        return IntegrityViolation("principal " + id + " added in the log has no certificate");
      }
    }
    return Status::Ok();
  }

  // The auditor's sign-offs: every acknowledgement (with its sealed note's
  // commitment) and every closed period comes from its signed event.
  Status CheckReviewSignOffs() {
    SSPF_RETURN_IF_ERROR(ForRows(
        kReviewAckRows,
        "SELECT a.id, a.flagged_seq, a.auditor_id, a.created, r.commitment, a.event_seq FROM "
        "review_acks a LEFT JOIN sealed_reasons r ON r.tbl = 'review_acks' AND r.row_id = a.id",
        &FirstColumn, [&](const ReplayRow& r) -> Status {
      const std::string id = r.Text(0);
      return Match("review_acks row " + id, Tag::kReviewAck, {id},
                   h_.Of(Tag::kReviewAck, {std::to_string(r.Int(5)), std::to_string(r.Int(1)),
                                           r.Text(2), std::to_string(r.Int(3)),
                                           CommitmentOf(r, 4)}));
    }));
    return ForRows(kReviewClosureRows,
                   "SELECT id, since, until, auditor_id, created, flags_open, "
                   "flags_acknowledged, event_seq FROM review_closures",
                   &FirstColumn, [&](const ReplayRow& r) -> Status {
      const std::string id = r.Text(0);
      return Match("review_closures row " + id, Tag::kReviewClosure, {id},
                   h_.Of(Tag::kReviewClosure,
                         {std::to_string(r.Int(7)), std::to_string(r.Int(1)),
                          std::to_string(r.Int(2)), r.Text(3),
                          std::to_string(r.Int(4)), std::to_string(r.Int(5)),
                          std::to_string(r.Int(6))}));
    });
  }

  // A seal only to a content member of the key's actor (by the log).
  Status CheckSealHolders() {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db_->Prepare("SELECT actor, version, principal_id FROM actor_key_seals"));
    return Rows(st, [&]() -> Status {
      const Logged* p = LoggedOf(st->Text(2));
      const bool content = p && (p->role == Role::kMember || p->role == Role::kCoordinator);
      if (!p || !content || static_cast<int64_t>(p->actor) != st->Int(0)) {
        return IntegrityViolation(
            "actor_key_seals row " + std::to_string(st->Int(0)) + ":" +
            std::to_string(st->Int(1)) + " of principal " + st->Text(2) +
            " seals the key to a principal who is no content member of that actor (by the "
            "log)");
      }
      return Status::Ok();
    });
  }

  Db* db_;
  const SecretBytes& lookup_key_;
  Hasher h_;
  const size_t budget_;
  int bits_ = 0;       // 2^bits_ partitions
  uint64_t pass_ = 0;  // the partition being collected or checked
  TableRowSink* sink_ = nullptr;  // sees the first pass's whole-table scans
  std::vector<Fact> facts_;
  std::vector<uint8_t> used_;
  // The facts of the partitions after the current one, collected in the
  // first pass over the events (null until one is needed).
  std::unique_ptr<SealedScratch> later_;
  bool later_usable_;          // false: later passes read the events again
  bool from_scratch_ = false;  // this pass's facts come from later_
  // The rows of later partitions, kept by the first pass (null: each pass
  // runs the table queries), and the partition bits they were kept at.
  const bool keep_rows_;
  std::unique_ptr<KeptRows> kept_;
  int kept_bits_ = 0;
  std::map<std::string, Logged> logged_;
  std::vector<const std::pair<const std::string, Logged>*> by_index_;
  std::map<std::string, int64_t> cert_changes_;  // disables and recoveries
  std::set<Actor> actor_has_key_;
  std::set<std::string> legacy_rotations_;  // "<actor>:<version>"
  std::map<int, uint64_t> case_numbers_;      // year -> case.open events so far
};

}  // namespace

Status CheckReplayDetail(Action a, std::string_view detail) {
  SSPF_ASSIGN_OR_RETURN(Hasher hasher, Hasher::New());
  SSPF_ASSIGN_OR_RETURN(SecretBytes lookup_key, SecretBytes::Allocate(32));
  Replay replay(nullptr, lookup_key, std::move(hasher), kDefaultFactBudget);
  EventRecord e;
  e.action = a;
  e.allowed = true;
  e.detail = std::string(detail);
  return replay.CollectOne(e);
}

uint64_t ReplayPartitionOf(std::string_view id, uint64_t partitions) {
  int bits = 0;
  while (bits < kPartBits && (uint64_t{1} << bits) < partitions) ++bits;
  return PartOf(id) >> (kPartBits - bits);
}

struct ReplayStream::Impl {
  Replay replay;
};

ReplayStream::ReplayStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReplayStream::~ReplayStream() = default;

Result<std::unique_ptr<ReplayStream>> ReplayStream::New(Db* db, const SecretBytes& lookup_key,
                                                        size_t fact_budget,
                                                        ReplayScratch scratch) {
  SSPF_ASSIGN_OR_RETURN(Hasher hasher, Hasher::New());
  return std::unique_ptr<ReplayStream>(new ReplayStream(std::make_unique<Impl>(
      Impl{Replay(db, lookup_key, std::move(hasher), fact_budget, scratch)})));
}

Status ReplayStream::Add(const EventRecord& e) { return impl_->replay.AddEvent(e); }

Status ReplayStream::Finish(TableRowSink* sink) { return impl_->replay.Finish(sink); }

Status ReplayCheck(Db* db, const SecretBytes& lookup_key, size_t fact_budget,
                   ReplayStats* stats, ReplayScratch scratch) {
  SSPF_ASSIGN_OR_RETURN(Hasher hasher, Hasher::New());
  Replay replay(db, lookup_key, std::move(hasher), fact_budget, scratch);
  Status s = replay.Run();
  if (stats) {
    stats->partitions = replay.Partitions();
    stats->scratch_facts = replay.ScratchFacts();
    stats->kept_rows = replay.KeptRowCount();
  }
  return s;
}

}  // namespace sspf::internal
