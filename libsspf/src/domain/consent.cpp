// Consent (samtycke): append-only versions per consent id.  Version 1 is
// the grant; a withdrawal is a new version with withdrawn_at set.  The
// consents table refuses UPDATE and DELETE (triggers).
#include <algorithm>
#include <map>

#include "domain/domain_internal.h"
#include "context/trust.h"
#include "crypto/crypto.h"
#include "keys/key_hierarchy.h"
#include "sspf/civil_time.h"
#include "util/encoding.h"
#include "sspf/lists.h"
#include "sspf/pnr.h"

namespace sspf {

using internal::Db;
using internal::EncodeDetail;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {

namespace {

template <typename T, typename ParseFn>
Result<std::vector<T>> SplitNames(const std::string& text, ParseFn parse) {
  std::vector<T> out;
  for (const std::string& item : SplitList(text)) {
    std::optional<T> v = parse(item);
    if (!v) return IntegrityViolation("consent record holds an unknown name");
    out.push_back(*v);
  }
  return out;
}

constexpr const char* kLatestColumns =
    "c.id, c.version, c.case_id, c.party_youth, c.guardian_id, c.actors, c.categories, "
    "c.valid_from, c.valid_until, c.withdrawn_at, c.purpose, c.form_ref, c.recorded_by";

Result<ConsentInfo> ReadConsentRow(Stmt* st) {
  ConsentInfo c;
  c.id = st->Text(0);
  c.version = static_cast<int>(st->Int(1));
  c.case_id = st->Text(2);
  c.party.youth = st->Int(3) != 0;
  if (!c.party.youth) c.party.guardian_id = st->Text(4);
  SSPF_ASSIGN_OR_RETURN(c.actors, SplitNames<Actor>(st->Text(5), ParseActor));
  SSPF_ASSIGN_OR_RETURN(c.categories, SplitNames<Category>(st->Text(6), ParseCategory));
  c.valid_from = st->Int(7);
  SSPF_ASSIGN_OR_RETURN(c.valid_until, ParseDate(st->Text(8)));
  if (!st->IsNull(9)) c.withdrawn_at = st->Int(9);
  c.purpose = st->Text(10);
  c.form_ref = st->Text(11);
  c.recorded_by = st->Text(12);
  return c;
}

// One consent version as its signed consent.grant / consent.withdraw event
// states it (a withdrawal copies the version before it).
struct SignedConsent {
  uint64_t seq = 0;
  std::string signer, party, actors, categories, valid_until;
  UnixSeconds valid_from = 0;
  std::optional<UnixSeconds> withdrawn_at;
  bool matched = false;
};

// A non-negative decimal of a detail.
bool ParseInt64(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  *out = std::stoll(s);
  return true;
}

std::string PartyOf(const ConsentParty& p) {
  return p.youth ? std::string("youth") : "guardian:" + p.guardian_id;
}

// Checked at use (DESIGN §13): every consent version of the case in the
// table against the case's signed consent events, found through the
// events_case_consent index, each signature checked (cached per session).
// A row without its event, an event without its row, or any field that
// differs is kIntegrityViolation naming the consent: the decision fails
// closed.  An insider who deletes a withdrawal together with its event
// leaves a hole in the Merkle tree that audit verify reports.
Status CheckConsentsAtUse(Session::Impl* impl, std::string_view case_id,
                          const std::vector<std::pair<int64_t, ConsentInfo>>& rows) {
  static const std::string sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_case_consent WHERE case_id = ? AND action IN (" +
      std::to_string(static_cast<int>(Action::kConsentGrant)) + ", " +
      std::to_string(static_cast<int>(Action::kConsentWithdraw)) +
      ") AND allowed = 1 ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, case_id);
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events, ReadEventRows(st));
  const std::string of_case = "consents of case " + std::string(case_id) + ": ";
  std::map<std::pair<std::string, int64_t>, SignedConsent> signed_versions;
  for (const EventRecord& e : events) {
    if (IsFailureDetail(e.detail) || e.case_id != case_id) continue;
    SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
    const std::string bad = of_case + "event " + std::to_string(e.seq) + " is malformed";
    Result<std::vector<std::string>> v = DecodeDetail(e.action, e.detail);
    if (!v.ok()) return IntegrityViolation(bad);
    const std::vector<std::string>& f = *v;
    SignedConsent c;
    c.seq = e.seq;
    c.signer = e.principal_id;
    int64_t version = 0;
    UnixSeconds time = 0;
    if (!ParseInt64(f[1], &version) ||
        !ParseInt64(e.action == Action::kConsentGrant ? f[6] : f[2], &time)) {
      return IntegrityViolation(bad);
    }
    if (e.action == Action::kConsentGrant) {
      if (f[2] != case_id || version != 1) return IntegrityViolation(bad);
      c.party = f[3];
      c.actors = f[4];
      c.categories = f[5];
      c.valid_from = time;
      c.valid_until = f[7];
    } else {
      auto before = signed_versions.find({f[0], version - 1});
      if (before == signed_versions.end() || before->second.withdrawn_at) {
        return IntegrityViolation(bad + " (a withdrawal of no consent in force)");
      }
      c.party = before->second.party;
      c.actors = before->second.actors;
      c.categories = before->second.categories;
      c.valid_from = before->second.valid_from;
      c.valid_until = before->second.valid_until;
      c.withdrawn_at = time;
    }
    if (!signed_versions.emplace(std::make_pair(f[0], version), std::move(c)).second) {
      return IntegrityViolation(of_case + "event " + std::to_string(e.seq) +
                                " repeats a consent version (replayed event)");
    }
  }
  for (const auto& row : rows) {
    const ConsentInfo& c = row.second;
    const std::string name = "consent " + c.id + " version " + std::to_string(c.version);
    auto it = signed_versions.find({c.id, c.version});
    if (it == signed_versions.end()) {
      return IntegrityViolation(of_case + name + " has no signed event (direct edit)");
    }
    SignedConsent& e = it->second;
    if (e.party != PartyOf(c.party) || e.actors != JoinActorNames(c.actors) ||
        e.categories != JoinCategoryNames(c.categories) || e.valid_from != c.valid_from ||
        e.valid_until != FormatDate(c.valid_until) || e.withdrawn_at != c.withdrawn_at ||
        e.signer != c.recorded_by) {
      return IntegrityViolation(of_case + name + " differs from its signed event " +
                                std::to_string(e.seq) + " (direct edit)");
    }
    e.matched = true;
  }
  for (const auto& [key, e] : signed_versions) {
    if (!e.matched) {
      return IntegrityViolation(of_case + "consent " + key.first + " version " +
                                std::to_string(key.second) + " of event " +
                                std::to_string(e.seq) +
                                " is not in the table (row deleted or page replay)");
    }
  }
  return Status::Ok();
}

}  // namespace

// The latest version of every consent of a case (shared with entries.cpp).
// A decision must not trust one b-tree alone (DESIGN §13: an old page
// copied back decrypts fine): every version of the case's consents is read
// through the case index, and the latest version of each is checked
// against the primary-key index.  A stale page of either one, which would
// bring back a withdrawn consent, makes the two disagree; a stale table
// page leaves an index entry without its row (SQLITE_CORRUPT).  One extra
// covering-index seek per consent of the case.
// This is the reading itself; LatestConsents below adds the batch's memo.
static Result<std::vector<ConsentInfo>> ReadLatestConsents(Session::Impl* impl,
                                                           std::string_view case_id) {
  Db* db = impl->db.get();
  static const std::string sql =
      std::string("SELECT ") + kLatestColumns +
      ", c.recorded FROM consents c INDEXED BY consents_case WHERE c.case_id = ? "
      "ORDER BY c.id, c.version";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  st->Bind(1, case_id);
  std::vector<std::pair<int64_t, ConsentInfo>> latest;  // (recorded, latest version)
  std::vector<int64_t> versions;                         // versions seen per consent
  std::vector<std::pair<int64_t, ConsentInfo>> all;      // every version
  Status s = ForEachRow(st, [&]() -> Status {
    SSPF_ASSIGN_OR_RETURN(ConsentInfo c, ReadConsentRow(st));
    all.emplace_back(st->Int(13), c);
    if (!latest.empty() && latest.back().second.id == c.id) {
      ++versions.back();
      latest.back() = {st->Int(13), std::move(c)};
    } else {
      versions.push_back(1);
      latest.emplace_back(st->Int(13), std::move(c));
    }
    return Status::Ok();
  });
  SSPF_RETURN_IF_ERROR(s);
  SSPF_ASSIGN_OR_RETURN(
      Stmt * pk, db->Prepare("SELECT max(version), count(*) FROM consents WHERE id = ?"));
  for (size_t i = 0; i < latest.size(); ++i) {
    const ConsentInfo& c = latest[i].second;
    pk->Bind(1, c.id);
    SSPF_ASSIGN_OR_RETURN(bool row, pk->Step());
    const int64_t max_version = row ? pk->Int(0) : 0;
    const int64_t count = row ? pk->Int(1) : 0;
    pk->Reset();
    if (max_version != c.version || count != versions[i]) {
      return IntegrityViolation("consents of case " + std::string(case_id) + ": consent " +
                                c.id + " has latest version " + std::to_string(c.version) +
                                " by the case index but " + std::to_string(max_version) +
                                " by its key (page replay or damage; run audit verify)");
    }
  }
  SSPF_RETURN_IF_ERROR(CheckConsentsAtUse(impl, case_id, all));
  std::stable_sort(latest.begin(), latest.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<ConsentInfo> out;
  out.reserve(latest.size());
  for (auto& l : latest) out.push_back(std::move(l.second));
  return out;
}

// In a batch, once per case (Session::Impl::BatchMemo).
Result<std::vector<ConsentInfo>> LatestConsents(Session::Impl* impl, std::string_view case_id) {
  if (impl->batch_memo_usable) {
    auto memo = impl->batch_memo.consents.find(case_id);
    if (memo != impl->batch_memo.consents.end()) return memo->second;
  }
  SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> out, ReadLatestConsents(impl, case_id));
  if (impl->batch_memo_usable) impl->batch_memo.consents.emplace(std::string(case_id), out);
  return out;
}

ConsentRecord ToRecord(const ConsentInfo& c) {
  ConsentRecord r;
  r.id = c.id;
  r.party_is_youth = c.party.youth;
  r.guardian_id = c.party.guardian_id;
  r.actors = c.actors;
  r.categories = c.categories;
  r.valid_from = c.valid_from;
  r.valid_until = c.valid_until;
  r.withdrawn_at = c.withdrawn_at;
  return r;
}

// Evaluates, as of now, whether consent for the case covers moving category
// c from actor `from` to actor `to`, using only `records` (the caller picks
// them: every latest record of the case, or the ones a disclosure named).
// The subject's birth date and guardians come from the store.
Result<std::pair<std::string, Date>> CaseSubjectBirth(Db* db, std::string_view case_id) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT s.id, s.birth_date FROM cases k JOIN subjects s ON "
                             "s.id = k.subject_id WHERE k.id = ?"));
  st->Bind(1, case_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such case");
  std::string subject_id = st->Text(0);
  std::string birth_text = st->Text(1);
  st->Reset();
  SSPF_ASSIGN_OR_RETURN(Date birth, ParseDate(birth_text));
  return std::make_pair(std::move(subject_id), birth);
}

Status AddProvisionFacts(Session::Impl* impl, std::string_view case_id,
                         std::string_view provision, AccessRequest* request,
                         BasisState* basis) {
  basis->kind = BasisKind::kLegalProvision;
  basis->provision = std::string(provision);
  if (const LegalProvision* rule =
          FindLegalProvision(impl->options.legal_provisions, provision)) {
    basis->rule = *rule;
    basis->provision = rule->citation;
  }
  SSPF_ASSIGN_OR_RETURN(auto subject, CaseSubjectBirth(impl->db.get(), case_id));
  request->subject_age = AgeOn(subject.second, impl->Today());
  return Status::Ok();
}

Result<ConsentEvaluation> EvaluateCaseConsent(Session::Impl* impl, std::string_view case_id,
                                              const std::vector<ConsentRecord>& records,
                                              Actor from, Actor to, Category c) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(auto subject, CaseSubjectBirth(db, case_id));
  const std::string& subject_id = subject.first;
  const Date birth = subject.second;
  // Only guardians with custody (vårdnadshavare med vårdnad) must consent;
  // their custody is checked against the access log.
  SSPF_ASSIGN_OR_RETURN(std::vector<std::string> guardian_ids,
                        GuardiansWithCustody(impl, subject_id));
  return EvaluateConsent(impl->options.consent_policy, birth, guardian_ids, records,
                         impl->Now(), impl->Today(), from, to, c);
}

Date ConsentLatestEnd(Date today, int max_months) {
  const int64_t months = int64_t{today.year} * 12 + (today.month - 1) + std::max(1, max_months);
  Date d;
  d.year = static_cast<int>(months / 12);
  d.month = static_cast<int>(months % 12) + 1;
  d.day = std::min(today.day, DaysInMonth(d.year, d.month));
  return d;
}

}  // namespace internal

namespace {

// The case of a consent; kNotFound (a facts error: not logged) when there
// is no such consent.
Result<std::string> ConsentCase(Db* db, std::string_view consent_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT case_id FROM consents WHERE id = ? LIMIT 1"));
  st->Bind(1, consent_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such consent");
  std::string case_id = st->Text(0);
  st->Reset();
  return case_id;
}

// Each actor's own reference to the consents (the recording actor's
// form_ref of version 1, then the consent.confirm rows), for listings.
Status LoadReferences(Db* db, std::vector<ConsentInfo>* consents) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * first, db->Prepare("SELECT c.form_ref, c.recorded_by, c.recorded, p.actor FROM "
                                "consents c JOIN principals p ON p.id = c.recorded_by "
                                "WHERE c.id = ? AND c.version = 1 AND c.form_ref <> ''"));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * refs, db->Prepare("SELECT actor, reference, recorded_by, recorded FROM "
                               "consent_refs WHERE consent_id = ? ORDER BY rowid"));
  for (ConsentInfo& c : *consents) {
    c.references.clear();
    for (Stmt* st : {first, refs}) {
      st->Bind(1, c.id);
      const bool is_first = st == first;
      SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
        ConsentReference r;
        r.actor = static_cast<Actor>(st->Int(is_first ? 3 : 0));
        r.reference = st->Text(is_first ? 0 : 1);
        r.recorded_by = st->Text(is_first ? 1 : 2);
        r.recorded = st->Int(is_first ? 2 : 3);
        c.references.push_back(std::move(r));
        return Status::Ok();
      }));
    }
  }
  return Status::Ok();
}

template <typename T>
void Dedupe(std::vector<T>* v) {
  std::vector<T> out;
  for (const T& x : *v) {
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  }
  *v = std::move(out);
}

}  // namespace

Result<std::string> Session::GrantConsent(const ConsentInput& input) {
  Impl* impl = impl_.get();
  ConsentInput c = input;
  if (c.actors.empty()) return InvalidArgument("a consent must name at least one actor");
  if (c.categories.empty()) return InvalidArgument("a consent must name at least one category");
  for (Actor a : c.actors) {
    if (!ParseActor(ActorName(a))) return InvalidArgument("unknown actor");
  }
  for (Category k : c.categories) {
    if (!ParseCategory(CategoryName(k))) return InvalidArgument("unknown category");
  }
  Dedupe(&c.actors);
  Dedupe(&c.categories);
  if (c.actors.size() < 2) {
    return InvalidArgument("a consent names at least two actors that may exchange information "
                           "(e.g. school,social)");
  }
  if (!IsValidDate(c.valid_until)) return InvalidArgument("valid_until is not a real date");
  if (c.valid_until < impl->Today()) {
    return InvalidArgument("valid_until is in the past");
  }
  const Date latest = internal::ConsentLatestEnd(impl->Today(), impl->options.consent_max_months);
  if (latest < c.valid_until) {
    const int months = std::max(1, impl->options.consent_max_months);
    return InvalidArgument("a consent lasts at most " + std::to_string(months) +
                           (months == 1 ? " month" : " months") + ": give a last day of " +
                           FormatDate(latest) +
                           " or earlier, and record a new consent when it runs out");
  }
  SSPF_RETURN_IF_ERROR(impl->CheckText("the purpose", c.purpose, false));
  if (c.purpose.empty()) {
    return InvalidArgument("a consent names the kind of collaboration as a purpose code (" +
                           PurposeCodeList(impl->options.purposes) + ")");
  }
  {
    Result<std::string> code = NormalizePurpose(impl->options.purposes, c.purpose);
    if (!code.ok()) {
      // Never the rejected text (it may hold personal data).
      return InvalidArgument("the consent's purpose is not a purpose code: use one of " +
                             PurposeCodeList(impl->options.purposes) +
                             " (or its Swedish or English label)");
    }
    c.purpose = *code;
  }
  SSPF_RETURN_IF_ERROR(impl->CheckText("the form reference", c.form_ref, false));
  if (!c.party.youth) {
    SSPF_RETURN_IF_ERROR(impl->CheckText("the guardian id", c.party.guardian_id, true));
  }

  OpSpec spec{Operation::kGrantConsent, Action::kConsentGrant, "consent:?"};
  spec.case_id = c.case_id;
  return internal::RunOperationFor<std::string>(impl, spec, {}, [&](Op& op)
                                                    -> Result<std::string> {
    Db* db = impl->db.get();
    if (!op.case_open) return FailedPrecondition("the case is closed");
    if (!c.party.youth) {
      SSPF_ASSIGN_OR_RETURN(
          Stmt * st, db->Prepare("SELECT 1 FROM guardians WHERE id = ? AND subject_id = ?"));
      st->Bind(1, c.party.guardian_id).Bind(2, op.event.subject_id);
      SSPF_ASSIGN_OR_RETURN(bool found, st->Step());
      st->Reset();
      if (!found) {
        return InvalidArgument("guardian " + c.party.guardian_id +
                               " is not a guardian of the case's subject");
      }
      SSPF_ASSIGN_OR_RETURN(std::vector<std::string> with,
                            internal::GuardiansWithCustody(impl, op.event.subject_id));
      if (std::find(with.begin(), with.end(), c.party.guardian_id) == with.end()) {
        return FailedPrecondition("guardian " + c.party.guardian_id +
                                  " has no custody (vårdnad) and cannot consent for the youth; "
                                  "record custody first (subject custody)");
      }
    }
    std::string id = internal::RandomId();
    const UnixSeconds now = impl->Now();
    std::string actors = JoinActorNames(c.actors);
    std::string categories = JoinCategoryNames(c.categories);
    std::string until = FormatDate(c.valid_until);
    SSPF_ASSIGN_OR_RETURN(
        Stmt * ins,
        db->Prepare("INSERT INTO consents(id, version, case_id, party_youth, guardian_id, "
                    "actors, categories, valid_from, valid_until, withdrawn_at, purpose, "
                    "form_ref, recorded_by, recorded) VALUES(?,1,?,?,?,?,?,?,?,NULL,?,?,?,?)"));
    ins->Bind(1, id).Bind(2, c.case_id).Bind(3, int64_t{c.party.youth ? 1 : 0});
    if (c.party.youth) {
      ins->BindNull(4);
    } else {
      ins->Bind(4, c.party.guardian_id);
    }
    ins->Bind(5, actors).Bind(6, categories).Bind(7, now).Bind(8, until).Bind(9, c.purpose)
        .Bind(10, c.form_ref).Bind(11, impl->me.id).Bind(12, now);
    SSPF_RETURN_IF_ERROR(ins->Run());
    op.event.target = "consent:" + id;
    const std::string party =
        c.party.youth ? std::string("youth") : "guardian:" + c.party.guardian_id;
    op.event.detail = EncodeDetail(Action::kConsentGrant,
                                   {id, "1", c.case_id, party, actors, categories,
                                    std::to_string(now), until});
    return id;
  });
}

Status Session::WithdrawConsent(std::string_view consent_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kWithdrawConsent, Action::kConsentWithdraw,
              "consent:" + std::string(consent_id)};
  int64_t version = 0;
  bool withdrawn = false;
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(std::string case_id, ConsentCase(impl->db.get(), consent_id));
    // The version to build on, read as a decision reads it (both indexes
    // must agree): a stale index page must not let a second withdrawal
    // build on version 1 again.
    SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> latest,
                          internal::LatestConsents(impl, case_id));
    auto it = std::find_if(latest.begin(), latest.end(),
                           [&](const ConsentInfo& c) { return c.id == consent_id; });
    if (it == latest.end()) {
      return IntegrityViolation("consent " + std::string(consent_id) +
                                " is missing from its case's index (page replay or damage; "
                                "run audit verify)");
    }
    version = it->version;
    withdrawn = it->withdrawn_at.has_value();
    return internal::LoadCase(op, case_id);
  };
  return internal::RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    Db* db = impl->db.get();
    // A withdrawal is recorded even on a closed case: it must stop reads of
    // what was disclosed under it.
    if (withdrawn) return FailedPrecondition("the consent is already withdrawn");
    const UnixSeconds now = impl->Now();
    const int64_t next = version + 1;
    SSPF_ASSIGN_OR_RETURN(
        Stmt * ins,
        db->Prepare("INSERT INTO consents(id, version, case_id, party_youth, guardian_id, "
                    "actors, categories, valid_from, valid_until, withdrawn_at, purpose, "
                    "form_ref, recorded_by, recorded) "
                    "SELECT id, ?, case_id, party_youth, guardian_id, actors, categories, "
                    "valid_from, valid_until, ?, purpose, form_ref, ?, ? FROM consents "
                    "WHERE id = ? AND version = ?"));
    ins->Bind(1, next).Bind(2, now).Bind(3, impl->me.id).Bind(4, now).Bind(5, consent_id)
        .Bind(6, version);
    SSPF_RETURN_IF_ERROR(ins->Run());
    if (db->Changes() != 1) return Internal("consent withdrawal wrote no row");
    op.event.detail = EncodeDetail(Action::kConsentWithdraw,
                                   {consent_id, std::to_string(next), std::to_string(now)});
    return Status::Ok();
  });
}

Result<int> internal::GuardianPosition(Db* db, std::string_view guardian_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT position FROM guardians WHERE id = ?"));
  st->Bind(1, guardian_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  const int64_t position = row ? st->Int(0) : -1;
  st->Reset();
  if (!row || position < 0) {
    return IntegrityViolation("consent names guardian " + std::string(guardian_id) +
                              ", which is not in the guardians table");
  }
  return static_cast<int>(position + 1);
}

Result<std::vector<ConsentInfo>> Session::ListConsents(std::string_view case_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kListConsent, Action::kConsentList};
  spec.case_id = std::string(case_id);
  return internal::RunOperationFor<std::vector<ConsentInfo>>(
      impl, spec, {}, [&](Op&) -> Result<std::vector<ConsentInfo>> {
        SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> out,
                              internal::LatestConsents(impl, case_id));
        SSPF_RETURN_IF_ERROR(LoadReferences(impl->db.get(), &out));
        for (ConsentInfo& c : out) {
          if (c.party.youth) continue;
          SSPF_ASSIGN_OR_RETURN(c.guardian_position,
                                internal::GuardianPosition(impl->db.get(), c.party.guardian_id));
        }
        return out;
      });
}

Status Session::ConfirmConsent(std::string_view consent_id, std::string_view reference) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the consent reference", reference, true));
  OpSpec spec{Operation::kConfirmConsent, Action::kConsentConfirm,
              "consent:" + std::string(consent_id)};
  std::vector<ConsentInfo> consent;  // the consent, latest version
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(std::string case_id, ConsentCase(impl->db.get(), consent_id));
    return internal::LoadCase(op, case_id);
  };
  return internal::RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    Db* db = impl->db.get();
    // Read as a decision reads it: the case's consents against their events.
    SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> latest,
                          internal::LatestConsents(impl, op.event.case_id));
    for (const ConsentInfo& c : latest) {
      if (c.id == consent_id) consent.push_back(c);
    }
    if (consent.empty()) {
      return IntegrityViolation("consent " + std::string(consent_id) +
                                " is missing from its case's index (run audit verify)");
    }
    if (consent[0].withdrawn_at) {
      return FailedPrecondition("the consent is withdrawn; nothing to confirm");
    }
    SSPF_RETURN_IF_ERROR(internal::CaseNotErasedAtUse(impl, op.event.case_id));
    SSPF_RETURN_IF_ERROR(LoadReferences(db, &consent));
    for (const ConsentReference& r : consent[0].references) {
      if (r.actor == impl->me.actor) {
        return AlreadyExists(std::string("actor ") + ActorName(r.actor) +
                             " has already recorded its reference to this consent");
      }
    }
    const internal::Bytes salt = internal::RandomBytes(internal::kReasonSaltSize);
    SSPF_ASSIGN_OR_RETURN(internal::Bytes commitment,
                          internal::ReasonCommitment(salt.data(), reference));
    const UnixSeconds now = impl->Now();
    SSPF_ASSIGN_OR_RETURN(
        Stmt * ins, db->Prepare("INSERT INTO consent_refs(consent_id, actor, reference, salt, "
                                "recorded_by, recorded) VALUES(?,?,?,?,?,?)"));
    ins->Bind(1, consent_id).Bind(2, static_cast<int64_t>(impl->me.actor)).Bind(3, reference)
        .BindBlob(4, salt).Bind(5, impl->me.id).Bind(6, now);
    SSPF_RETURN_IF_ERROR(ins->Run());
    op.event.detail = EncodeDetail(Action::kConsentConfirm,
                                   {consent_id, ActorName(impl->me.actor), internal::HexEncode(commitment)});
    return Status::Ok();
  });
}

}  // namespace sspf
