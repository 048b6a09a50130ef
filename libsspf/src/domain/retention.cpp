// Retention (gallring, DESIGN §7): the plan (a dry run) and the run.
// One file over 700 lines on purpose: the deadline a run erases by, and
// the at-use checks of everything that deadline is computed from (the
// case's close, its entries, its subject, against their signed events),
// sit beside each other, so that a new input to a rule is seen to need a
// check of its own.
//
// A run executes one erasure decision (gallringsbeslut).  It logs
// retention.run with the decision, then erases case by case, each case in
// one transaction with one retention.erase event, so that a kill leaves
// every case either as it was or fully processed; running again finishes
// the job.  Erasing an entry deletes its body and every seal of its key
// (crypto-shredding) and the reason texts of its disclosures; a case whose
// entries are all erased loses its grant reasons, its purpose notes and
// the actors' references to its consents; a subject whose cases are all
// erased loses its identity, birth date, blind index and guardian names
// (the guardian rows and their custody flags stay).  Each erasure leaves a
// tombstone (erasures), which the replay check explains from the event.
// Then a checkpoint is signed and the WAL truncated and the file vacuumed,
// so that nothing erased survives in free pages or old WAL frames.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "crypto/crypto.h"
#include "domain/domain_internal.h"
#include "context/trust.h"
#include "log/checkpoint.h"
#include "log/replay.h"
#include "log/replay_detail.h"
#include "sspf/civil_time.h"
#include "sspf/pnr.h"
#include "util/encoding.h"

namespace sspf {

using internal::Db;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace {

struct EntryFacts {
  std::string id;
  Actor actor = Actor::kSocial;
  Category category = Category::kSocial;
  UnixSeconds created = 0;
  bool erased = false;
};

struct CaseFacts {
  std::string id, subject_id;
  bool open = true;
  std::optional<UnixSeconds> closed;
  std::optional<Date> birth;
  bool case_erased = false;
  bool subject_erased = false;
  std::vector<EntryFacts> entries;
};

Date PlusYears(Date d, int years) {
  Date out{d.year + years, d.month, d.day};
  // Lag (1930:173): a period ending on a missing 29 February ends on the 28th.
  if (out.month == 2 && out.day == 29 && !IsLeapYear(out.year)) out.day = 28;
  return out;
}

UnixSeconds AddYears(UnixSeconds t, int years) {
  const int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  const int64_t second_of_day = t - days * 86400;
  return DaysFromCivil(PlusYears(CivilFromDays(days), years)) * 86400 + second_of_day;
}

struct Verdict {
  std::string rule;
  std::string state;  // see RetentionPlanEntry::state
  std::optional<UnixSeconds> due;
};

bool RuleApplies(const RetentionRule& r, const CaseFacts& c, const EntryFacts& e) {
  if (r.actor != e.actor) return false;
  if (!r.categories.empty() &&
      std::find(r.categories.begin(), r.categories.end(), e.category) == r.categories.end()) {
    return false;
  }
  if (!r.birth_days.empty()) {
    if (!c.birth) return true;  // unknown birth day: the rule may keep it
    return std::find(r.birth_days.begin(), r.birth_days.end(), c.birth->day) !=
           r.birth_days.end();
  }
  return true;
}

// The verdict of every rule that applies: kNever beats an undecided
// kDecision beats the latest deadline (docs/retention.md).
Verdict Evaluate(const std::vector<RetentionRule>& rules, const std::set<std::string>& decided,
                 const CaseFacts& c, const EntryFacts& e, UnixSeconds last_by_actor,
                 UnixSeconds now) {
  std::vector<const RetentionRule*> applying;
  for (const RetentionRule& r : rules) {
    if (RuleApplies(r, c, e)) applying.push_back(&r);
  }
  if (applying.empty()) return {"", "no-rule", std::nullopt};
  for (const RetentionRule* r : applying) {
    if (r->from == RetentionFrom::kNever) return {r->id, "never", std::nullopt};
  }
  for (const RetentionRule* r : applying) {
    if (r->from == RetentionFrom::kDecision && !decided.count(r->id)) {
      return {r->id, "decision", std::nullopt};
    }
  }
  Verdict v{applying.front()->id, "pending", std::nullopt};
  bool unknown = false;
  for (const RetentionRule* r : applying) {
    std::optional<UnixSeconds> d;
    switch (r->from) {
      case RetentionFrom::kCaseClosed:
      case RetentionFrom::kDecision:
        if (c.closed) d = AddYears(*c.closed, r->years);
        break;
      case RetentionFrom::kLastEntry:
        d = AddYears(last_by_actor, r->years);
        break;
      case RetentionFrom::kBirth:
        if (c.birth) d = DaysFromCivil(PlusYears(*c.birth, r->years)) * 86400;
        break;
      case RetentionFrom::kNever:
        break;
    }
    if (!d) {
      unknown = true;
      v.rule = r->id;
      continue;
    }
    if (!unknown && (!v.due || *d > *v.due)) {
      v.due = d;
      v.rule = r->id;
    }
  }
  if (unknown) v.due.reset();
  if (c.open) {
    v.state = "case-open";
  } else if (v.due && *v.due <= now) {
    v.state = "due";
  }
  return v;
}

Status CheckDecisionText(std::string_view d) {
  if (d.empty() || d.size() > 128) {
    return InvalidArgument(
        "the erasure decision reference must be 1-128 bytes "
        "(e.g. \"SN 2026/123 § 45\")");
  }
  for (size_t i = 0; i < d.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(d[i]);
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view(" .,:/-_()").find(static_cast<char>(c)) != std::string_view::npos;
    const bool section =
        c == 0xC2 && i + 1 < d.size() && static_cast<unsigned char>(d[i + 1]) == 0xA7;
    if (section) {
      ++i;
      continue;
    }
    if (!plain) {
      return InvalidArgument(
          "the erasure decision reference may hold only letters A-Z, digits, "
          "space and . , : / § - _ ( ): give its register number, not names");
    }
  }
  return Status::Ok();
}

Status CheckRequest(const Session::Impl* impl, const RetentionRequest& req, bool run,
                    std::set<std::string>* decided) {
  const std::vector<RetentionRule>& rules = impl->options.retention_rules;
  SSPF_RETURN_IF_ERROR(ValidateRetentionRules(rules));
  if (run || !req.decision.empty()) SSPF_RETURN_IF_ERROR(CheckDecisionText(req.decision));
  for (const std::string& id : req.decided_rules) {
    auto it = std::find_if(rules.begin(), rules.end(),
                           [&](const RetentionRule& r) { return r.id == id; });
    if (it == rules.end()) return InvalidArgument("no retention rule " + id);
    if (it->from != RetentionFrom::kDecision) {
      return InvalidArgument("retention rule " + id + " does not wait for an erasure decision");
    }
    decided->insert(id);
  }
  return Status::Ok();
}

Result<bool> Tombstoned(Db* db, const std::string& target) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT 1 FROM erasures WHERE target = ?"));
  st->Bind(1, target);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  st->Reset();
  return row;
}

Result<CaseFacts> LoadCaseRow(Db* db, const std::string& case_id);

// Every event of the case, oldest first, through events_case.  The id is
// looked up as text and as a blob of the same bytes, and action and
// outcome are filtered here, not in SQL: an insider who changed an event's
// storage class (audit verify names it) does not hide it from retention.
Result<std::vector<internal::EventRecord>> CaseEvents(Session::Impl* impl,
                                                      const std::string& case_id) {
  static const std::string sql =
      std::string("SELECT ") + internal::kEventColumns +
      " FROM events INDEXED BY events_case WHERE case_id IN (?1, CAST(?1 AS BLOB)) "
      "ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, case_id);
  return internal::ReadEventRows(st);
}

// The allowed events of `action` among `events` whose detail names the
// case first, each checked by CheckEventSignature, with their details.
Result<std::vector<std::pair<internal::EventRecord, std::vector<std::string>>>> SignedOfCase(
    Session::Impl* impl, const std::vector<internal::EventRecord>& events, Action action,
    const std::string& case_id, size_t case_field) {
  std::vector<std::pair<internal::EventRecord, std::vector<std::string>>> out;
  for (const internal::EventRecord& e : events) {
    if (!e.allowed || e.action != action) continue;
    Result<std::vector<std::string>> v = internal::DecodeDetail(e.action, e.detail);
    if (!v.ok() || v->size() <= case_field || (*v)[case_field] != case_id) continue;
    SSPF_RETURN_IF_ERROR(internal::CheckEventSignature(impl, e));
    out.emplace_back(e, std::move(*v));
  }
  return out;
}

// The case's last signed case.close or case.reopen in the log, failure
// details skipped; nullopt when it has none.
Result<std::optional<internal::EventRecord>> LastCloseOrReopen(Session::Impl* impl,
                                                               const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(std::vector<internal::EventRecord> events, CaseEvents(impl, case_id));
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    const internal::EventRecord& e = *it;
    if (!e.allowed || (e.action != Action::kCaseClose && e.action != Action::kCaseReopen)) {
      continue;
    }
    const char* open = e.action == Action::kCaseClose ? "0" : "1";
    Result<std::vector<std::string>> v = internal::DecodeDetail(e.action, e.detail);
    if (!v.ok() || v->size() < 2 || (*v)[0] != case_id || (*v)[1] != open) continue;
    SSPF_RETURN_IF_ERROR(internal::CheckEventSignature(impl, e));
    return std::optional<internal::EventRecord>(e);
  }
  return std::optional<internal::EventRecord>();
}

// Retention reads whether a case is closed, and since when, from its
// signed events, not from its row (DESIGN §13): an insider who moved
// cases.closed back, or closed an open case in its row, would have had
// its records erased early.  The row must agree, else nothing is erased.
Status CaseStateFromLog(Session::Impl* impl, CaseFacts* c) {
  SSPF_ASSIGN_OR_RETURN(std::optional<internal::EventRecord> last,
                        LastCloseOrReopen(impl, c->id));
  const bool closed = last && last->action == Action::kCaseClose;
  const bool agrees =
      closed ? !c->open && c->closed && *c->closed <= last->time &&
                   *c->closed >= last->time - internal::kCaseClosedSlack
             : c->open && !c->closed;
  if (!agrees) {
    std::string log = !last ? "the log never closed it"
                      : closed ? "event " + std::to_string(last->seq) + " closed it at " +
                                     FormatRfc3339(last->time)
                               : "event " + std::to_string(last->seq) + " reopened it";
    const std::string row = c->open ? std::string("open")
                            : c->closed ? "closed at " + FormatRfc3339(*c->closed)
                                        : std::string("closed");
    return IntegrityViolation("case " + c->id + ": its row says " + row + ", but " + log +
                              " (the row was edited with SQL): nothing was erased; report "
                              "it to the store's auditor");
  }
  if (closed) c->closed = last->time;
  return Status::Ok();
}

// What else a deadline counts from, checked against the signed log before
// anything of the case is erased (DESIGN §13): each entry's case,
// category, author's actor and creation time against its entry.add, and
// the subject's birth date against the commitment of its subject.add.  An
// insider who moved an entry's creation time back, gave it a category
// with a shorter rule, or moved the youth's birth date, would otherwise
// have it erased early.  Legacy events that carry fewer fields are
// compared on what they carry.
Status CheckDeadlineFactsAtUse(Session::Impl* impl, const CaseFacts& c) {
  const std::string refused = " (the row was edited with SQL): nothing was erased; report it "
                              "to the store's auditor";
  SSPF_ASSIGN_OR_RETURN(std::vector<internal::EventRecord> events, CaseEvents(impl, c.id));
  // The case's subject is the one its case.open names (a birth-based
  // deadline is the subject's).
  SSPF_ASSIGN_OR_RETURN(auto opened, SignedOfCase(impl, events, Action::kCaseOpen, c.id, 0));
  if (opened.empty() || opened.front().second.size() < 2 ||
      opened.front().second[1] != c.subject_id) {
    return IntegrityViolation("case " + c.id + ": its subject is not the one its case.open " +
                              "names" + refused);
  }
  // Every entry the log added to the case has its row in the case (the
  // last entry of an actor is what a last-entry deadline counts from).
  SSPF_ASSIGN_OR_RETURN(auto entry_adds, SignedOfCase(impl, events, Action::kEntryAdd, c.id, 1));
  for (const auto& added : entry_adds) {
    const std::string& id = added.second[0];
    const bool present = std::any_of(c.entries.begin(), c.entries.end(),
                                     [&](const EntryFacts& e) { return e.id == id; });
    if (!present) {
      return IntegrityViolation("case " + c.id + ": entry " + id + " that event " +
                                std::to_string(added.first.seq) + " added is not among its rows" +
                                refused);
    }
  }
  for (const EntryFacts& e : c.entries) {
    if (e.erased) {
      // Only a signed retention.erase explains an entry without its body.
      const Status erased = internal::ErasedEntryAtUse(impl, c.id, e.id);
      if (erased.code() == StatusCode::kIntegrityViolation) {
        return IntegrityViolation(erased.message() +
                                  ": nothing was erased; report it to the store's auditor");
      }
      if (erased.code() != StatusCode::kFailedPrecondition) {
        return erased.ok() ? Internal("entry " + e.id + ": erasure not explained") : erased;
      }
    }
    SSPF_ASSIGN_OR_RETURN(std::optional<internal::EventRecord> add,
                          internal::SignedStateEvent(impl, Action::kEntryAdd, "entry:" + e.id));
    if (!add) return IntegrityViolation("entry " + e.id + " has no entry.add in the log" + refused);
    Result<std::vector<std::string>> v = internal::DecodeDetail(Action::kEntryAdd, add->detail);
    const bool agrees = v.ok() && v->size() >= 5 && (*v)[0] == e.id && (*v)[1] == c.id &&
                        ParseCategory((*v)[2]) == e.category && ParseActor((*v)[4]) == e.actor &&
                        (v->size() < 6 || (*v)[5] == std::to_string(e.created));
    if (!agrees) {
      return IntegrityViolation("entry " + e.id + ": its row differs from event " +
                                std::to_string(add->seq) + " that added it" + refused);
    }
  }
  if (c.subject_erased) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(const internal::EventRecord added,
                        internal::SignedSubjectAdd(impl, c.subject_id));
  Result<std::vector<std::string>> v = internal::DecodeDetail(Action::kSubjectAdd, added.detail);
  if (!v.ok() || v->size() < 2) return Status::Ok();  // legacy: no commitment
  SSPF_ASSIGN_OR_RETURN(
      Stmt * row, impl->db->Prepare("SELECT birth_date, pnr_index FROM subjects WHERE id = ?"));
  row->Bind(1, c.subject_id);
  SSPF_ASSIGN_OR_RETURN(bool has, row->Step());
  const std::string commitment =
      has ? internal::SubjectCommitment(impl->lookup_key, c.subject_id, row->Text(0),
                                        row->Blob(1))
          : std::string();
  row->Reset();
  if (commitment != (*v)[1]) {
    return IntegrityViolation("subject " + c.subject_id + ": its birth date is not the one " +
                              "signed in event " + std::to_string(added.seq) + refused);
  }
  return Status::Ok();
}

Result<CaseFacts> LoadCaseFacts(Session::Impl* impl, const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(CaseFacts c, LoadCaseRow(impl->db.get(), case_id));
  SSPF_RETURN_IF_ERROR(CaseStateFromLog(impl, &c));
  return c;
}

Result<CaseFacts> LoadCaseRow(Db* db, const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT c.subject_id, c.open, c.closed, s.birth_date, s.erased "
                             "FROM cases c JOIN subjects s ON s.id = c.subject_id "
                             "WHERE c.id = ?"));
  st->Bind(1, case_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such case");
  CaseFacts c;
  c.id = case_id;
  c.subject_id = st->Text(0);
  c.open = st->Int(1) != 0;
  if (!st->IsNull(2)) c.closed = st->Int(2);
  const std::string birth = st->Text(3);
  c.subject_erased = st->Int(4) != 0;
  st->Reset();
  Result<Date> born = ParseDate(birth);
  // An erased subject has no birth date: a row marked erased counts from
  // none (its date, unchecked, could be any).
  if (born.ok() && !c.subject_erased) c.birth = *born;
  SSPF_ASSIGN_OR_RETURN(c.case_erased, Tombstoned(db, "case:" + case_id));
  SSPF_ASSIGN_OR_RETURN(Stmt * es,
                        db->Prepare("SELECT id, author_actor, category, created, body IS NULL "
                                    "FROM entries WHERE case_id = ? ORDER BY created, id"));
  es->Bind(1, case_id);
  SSPF_RETURN_IF_ERROR(internal::ForEachRow(es, [&]() -> Status {
    EntryFacts e;
    e.id = es->Text(0);
    e.actor = static_cast<Actor>(es->Int(1));
    e.category = static_cast<Category>(es->Int(2));
    e.created = es->Int(3);
    e.erased = es->Int(4) != 0;
    c.entries.push_back(std::move(e));
    return Status::Ok();
  }));
  return c;
}

// What one case's run would do.
struct CaseWork {
  std::vector<RetentionPlanEntry> entries;  // every entry not yet erased
  std::vector<std::pair<std::string, std::string>> due;  // entry id, rule
  bool erase_case = false;  // closed, every entry erased after the run
};

CaseWork PlanCase(const Session::Impl* impl, const std::set<std::string>& decided,
                  const CaseFacts& c, UnixSeconds now) {
  CaseWork w;
  std::map<Actor, UnixSeconds> last;
  for (const EntryFacts& e : c.entries) last[e.actor] = std::max(last[e.actor], e.created);
  bool all = true;
  for (const EntryFacts& e : c.entries) {
    if (e.erased) continue;
    Verdict v = Evaluate(impl->options.retention_rules, decided, c, e, last[e.actor], now);
    RetentionPlanEntry p;
    p.entry_id = e.id;
    p.case_id = c.id;
    p.subject_id = c.subject_id;
    p.actor = e.actor;
    p.category = e.category;
    p.rule = v.rule;
    p.state = v.state;
    p.due = v.due;
    if (v.state == "due") {
      w.due.emplace_back(e.id, v.rule);
    } else {
      all = false;
    }
    w.entries.push_back(std::move(p));
  }
  w.erase_case = !c.open && !c.case_erased && all;
  return w;
}

Result<std::vector<std::string>> AllCaseIds(Db* db) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT id FROM cases ORDER BY opened, id"));
  return internal::TextColumn(st);
}

Result<std::vector<std::string>> SubjectCaseIds(Db* db, const std::string& subject_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT id FROM cases WHERE subject_id = ? ORDER BY id"));
  st->Bind(1, subject_id);
  return internal::TextColumn(st);
}

Result<RetentionPlan> BuildPlan(Session::Impl* impl, const std::set<std::string>& decided) {
  Db* db = impl->db.get();
  RetentionPlan plan;
  plan.as_of = impl->Now();
  SSPF_ASSIGN_OR_RETURN(std::vector<std::string> ids, AllCaseIds(db));
  // Per subject: whether every case is (or after the run will be) erased.
  std::map<std::string, std::pair<bool, std::vector<std::string>>> subjects;
  std::set<std::string> erased_subjects;
  for (const std::string& id : ids) {
    SSPF_ASSIGN_OR_RETURN(CaseFacts c, LoadCaseFacts(impl, id));
    CaseWork w = PlanCase(impl, decided, c, plan.as_of);
    plan.due_entries += w.due.size();
    for (RetentionPlanEntry& e : w.entries) plan.entries.push_back(std::move(e));
    if (w.erase_case) plan.cases.push_back(id);
    if (c.subject_erased) erased_subjects.insert(c.subject_id);
    auto& s = subjects[c.subject_id];
    if (s.second.empty()) s.first = true;
    s.first = s.first && (c.case_erased || w.erase_case);
    s.second.push_back(id);
  }
  for (auto& [sid, s] : subjects) {
    if (s.first && !erased_subjects.count(sid)) plan.subjects.push_back({sid, s.second});
  }
  return plan;
}

Status Exec(Db* db, const char* sql, const std::string& arg) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql));
  st->Bind(1, arg);
  return st->Run();
}

Status Tombstone(Session::Impl* impl, const std::string& target, const std::string& case_id,
                 UnixSeconds when, const std::string& rule, const std::string& decision) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("INSERT INTO erasures(target, case_id, "
                                                     "erased, rule, decision) VALUES(?,?,?,?,?)"));
  st->Bind(1, target).Bind(2, case_id).Bind(3, when).Bind(4, rule).Bind(5, decision);
  return st->Run();
}

// The texts of a fully erased case: its grants' reasons, the purpose
// notes of reads in it and the actors' references to its consents (their
// commitments stay).
Status EraseCaseTexts(Db* db, const std::string& case_id) {
  SSPF_RETURN_IF_ERROR(Exec(db,
                            "UPDATE sealed_reasons SET ciphertext = x'' WHERE tbl = 'grants' "
                            "AND row_id IN (SELECT id FROM grants WHERE case_id = ?)",
                            case_id));
  SSPF_RETURN_IF_ERROR(Exec(db,
                            "DELETE FROM reason_seals WHERE tbl = 'grants' AND row_id IN "
                            "(SELECT id FROM grants WHERE case_id = ?)",
                            case_id));
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT purpose FROM events WHERE case_id = ? "
                                               "AND instr(purpose, ' note=') > 0"));
  st->Bind(1, case_id);
  std::vector<std::string> notes;
  SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
    std::optional<internal::PurposeField> p = internal::ParsePurposeField(st->Text(0));
    if (p) notes.push_back(p->note_id);
    return Status::Ok();
  }));
  // Each actor's own reference to the case's consents (consent confirm) is
  // free text: it goes, salt and all; the row and its commitment stay.
  SSPF_RETURN_IF_ERROR(Exec(db,
                            "UPDATE consent_refs SET reference = '', salt = x'' WHERE "
                            "consent_id IN (SELECT id FROM consents WHERE case_id = ?)",
                            case_id));
  for (const std::string& n : notes) {
    SSPF_RETURN_IF_ERROR(Exec(db,
                              "UPDATE sealed_reasons SET ciphertext = x'' WHERE "
                              "tbl = 'purpose_notes' AND row_id = ?",
                              n));
    SSPF_RETURN_IF_ERROR(
        Exec(db, "DELETE FROM reason_seals WHERE tbl = 'purpose_notes' AND row_id = ?", n));
  }
  return Status::Ok();
}

Status EraseEntry(Db* db, const std::string& entry_id) {
  SSPF_RETURN_IF_ERROR(Exec(db, "UPDATE entries SET body = NULL WHERE id = ?", entry_id));
  SSPF_RETURN_IF_ERROR(Exec(db, "DELETE FROM entry_keys WHERE entry_id = ?", entry_id));
  SSPF_RETURN_IF_ERROR(Exec(db,
                            "UPDATE sealed_reasons SET ciphertext = x'' WHERE "
                            "tbl = 'disclosures' AND row_id IN "
                            "(SELECT id FROM disclosures WHERE entry_id = ?)",
                            entry_id));
  return Exec(db,
              "DELETE FROM reason_seals WHERE tbl = 'disclosures' AND row_id IN "
              "(SELECT id FROM disclosures WHERE entry_id = ?)",
              entry_id);
}

Status EraseSubject(Db* db, const std::string& subject_id) {
  SSPF_RETURN_IF_ERROR(Exec(db,
                            "UPDATE subjects SET identity = NULL, erased = 1, birth_date = '', "
                            "pnr_index = randomblob(32) WHERE id = ?",
                            subject_id));
  return Exec(db, "UPDATE guardians SET identity = NULL WHERE subject_id = ?", subject_id);
}

struct CaseOutcome {
  uint64_t entries = 0;
  bool case_erased = false;
  bool subject_erased = false;
};

// One case's erasure, inside its operation's transaction: recomputed from
// the rows as they are now.
Result<CaseOutcome> EraseCase(Session::Impl* impl, Op& op, const std::string& case_id,
                              const RetentionRequest& req, const std::set<std::string>& decided) {
  Db* db = impl->db.get();
  const UnixSeconds now = impl->Now();
  SSPF_ASSIGN_OR_RETURN(CaseFacts c, LoadCaseFacts(impl, case_id));
  CaseWork w = PlanCase(impl, decided, c, now);
  if (!w.due.empty() || w.erase_case) SSPF_RETURN_IF_ERROR(CheckDeadlineFactsAtUse(impl, c));
  CaseOutcome out;
  std::vector<std::string> listed;
  for (const auto& [entry_id, rule] : w.due) {
    SSPF_RETURN_IF_ERROR(EraseEntry(db, entry_id));
    SSPF_RETURN_IF_ERROR(Tombstone(impl, "entry:" + entry_id, case_id, now, rule, req.decision));
    listed.push_back(entry_id + ":" + rule);
  }
  out.entries = w.due.size();
  if (w.erase_case) {
    SSPF_RETURN_IF_ERROR(EraseCaseTexts(db, case_id));
    SSPF_RETURN_IF_ERROR(Tombstone(impl, "case:" + case_id, case_id, now, "-", req.decision));
    out.case_erased = true;
  }
  if ((w.erase_case || c.case_erased) && !c.subject_erased) {
    bool all = true;
    SSPF_ASSIGN_OR_RETURN(std::vector<std::string> cases, SubjectCaseIds(db, c.subject_id));
    for (const std::string& other : cases) {
      if (other == case_id) continue;
      SSPF_ASSIGN_OR_RETURN(bool gone, Tombstoned(db, "case:" + other));
      all = all && gone;
    }
    if (all) {
      SSPF_RETURN_IF_ERROR(EraseSubject(db, c.subject_id));
      SSPF_RETURN_IF_ERROR(
          Tombstone(impl, "subject:" + c.subject_id, case_id, now, "-", req.decision));
      out.subject_erased = true;
    }
  }
  op.event.reason += "; gallringsbeslut " + req.decision + "; " +
                     std::to_string(out.entries) + " entries erased";
  op.event.detail = internal::EncodeDetail(
      Action::kRetentionErase,
      {case_id, std::to_string(now), listed.empty() ? "-" : internal::DetailList(listed),
       out.case_erased ? "1" : "0", out.subject_erased ? c.subject_id : "-",
       internal::RetentionDecisionCommitment(req.decision)});
  return out;
}

// PRAGMA wal_checkpoint(TRUNCATE): true when it completed (no reader held
// an older snapshot).
Result<bool> TruncateWal(Db* db) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("PRAGMA wal_checkpoint(TRUNCATE)"));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  const bool done = row && st->Int(0) == 0;
  st->Reset();
  return done;
}

Result<int64_t> FreePages(Db* db) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("PRAGMA freelist_count"));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  const int64_t n = row ? st->Int(0) : -1;
  st->Reset();
  return n;
}

constexpr const char* kRefusedInBatch = "a retention run cannot be part of a batch";

}  // namespace

namespace internal {

namespace {

// The first retention.erase event of the case whose detail `match`es, if
// any (events_case_erase, migration 6).
Result<std::optional<EventRecord>> ErasureEventWhere(
    Session::Impl* impl, const std::string& case_id,
    const std::function<bool(const std::vector<std::string>&)>& match) {
  const std::string sql = std::string("SELECT ") + kEventColumns +
                          " FROM events INDEXED BY events_case_erase WHERE case_id = ? AND "
                          "action = " +
                          std::to_string(static_cast<int>(Action::kRetentionErase)) +
                          " AND allowed = 1 ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, case_id);
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events, ReadEventRows(st));
  for (EventRecord& e : events) {
    Result<std::vector<std::string>> v = DecodeDetail(Action::kRetentionErase, e.detail);
    if (v.ok() && (*v)[0] == case_id && match(*v)) return std::optional<EventRecord>(std::move(e));
  }
  return std::optional<EventRecord>();
}

// The retention.erase event of the case that names the entry, if any.
Result<std::optional<EventRecord>> ErasureEventOf(Session::Impl* impl, const std::string& case_id,
                                                  const std::string& entry_id) {
  return ErasureEventWhere(impl, case_id, [&](const std::vector<std::string>& v) {
    if (v[2] == "-") return false;
    for (const std::string& item : SplitDetailList(v[2])) {
      if (item.substr(0, item.find(':')) == entry_id) return true;
    }
    return false;
  });
}

// An erasure event must be signed, and by an admin.
Status CheckErasureSigner(Session::Impl* impl, const EventRecord& e, const std::string& what) {
  SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
  SSPF_ASSIGN_OR_RETURN(PrincipalCert by, CertifiedPrincipal(impl, e.principal_id));
  if (by.role != Role::kAdmin) {
    return IntegrityViolation(what + ": erased by event " + std::to_string(e.seq) +
                              " of a principal who is no admin");
  }
  return Status::Ok();
}

}  // namespace

Status ErasedEntryAtUse(Session::Impl* impl, const std::string& case_id,
                        const std::string& entry_id) {
  SSPF_ASSIGN_OR_RETURN(std::optional<EventRecord> e, ErasureEventOf(impl, case_id, entry_id));
  if (!e) {
    return IntegrityViolation("entry " + entry_id +
                              ": its content is missing and no erasure event explains it "
                              "(direct edit)");
  }
  SSPF_RETURN_IF_ERROR(CheckErasureSigner(impl, *e, "entry " + entry_id));
  return FailedPrecondition("entry " + entry_id + " was erased under retention (event " +
                            std::to_string(e->seq) + ")");
}

Status NotErasedAtUse(Session::Impl* impl, const std::string& case_id,
                      const std::string& entry_id) {
  SSPF_ASSIGN_OR_RETURN(std::optional<EventRecord> e, ErasureEventOf(impl, case_id, entry_id));
  if (!e) return Status::Ok();
  return IntegrityViolation("entry " + entry_id + " has content although event " +
                            std::to_string(e->seq) +
                            " erased it (page replay or rollback)");
}

Status CaseNotErasedAtUse(Session::Impl* impl, const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(
      std::optional<EventRecord> e,
      ErasureEventWhere(impl, case_id, [](const std::vector<std::string>& v) { return v[3] == "1"; }));
  if (!e) return Status::Ok();
  SSPF_RETURN_IF_ERROR(CheckErasureSigner(impl, *e, "case " + case_id));
  return FailedPrecondition("case " + case_id + " was erased under retention (event " +
                            std::to_string(e->seq) + "): open a new case");
}


Result<std::vector<RetentionPlanEntry>> CaseRetention(Session::Impl* impl,
                                                      const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(CaseFacts c, sspf::LoadCaseFacts(impl, case_id));
  return sspf::PlanCase(impl, {}, c, impl->Now()).entries;
}

}  // namespace internal

Result<RetentionPlan> Session::PlanRetention(const RetentionRequest& request) {
  Impl* impl = impl_.get();
  std::set<std::string> decided;
  SSPF_RETURN_IF_ERROR(CheckRequest(impl, request, false, &decided));
  OpSpec spec{Operation::kRetention, Action::kRetentionPlan, "retention"};
  return internal::RunOperationFor<RetentionPlan>(impl, spec, {},
                                                  [&](Op& op) -> Result<RetentionPlan> {
    SSPF_ASSIGN_OR_RETURN(RetentionPlan plan, BuildPlan(impl, decided));
    op.event.reason += "; " + std::to_string(plan.due_entries) + " entries due";
    return plan;
  });
}

Result<RetentionRunResult> Session::RunRetention(
    const RetentionRequest& request,
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  Impl* impl = impl_.get();
  if (impl->batch) return FailedPrecondition(kRefusedInBatch);
  std::set<std::string> decided;
  SSPF_RETURN_IF_ERROR(CheckRequest(impl, request, true, &decided));
  // The run's decision, logged before anything is erased.
  OpSpec spec{Operation::kRetention, Action::kRetentionRun, "retention"};
  spec.refused_in_batch = kRefusedInBatch;
  SSPF_ASSIGN_OR_RETURN(
      std::vector<std::string> work,
      internal::RunOperationFor<std::vector<std::string>>(
          impl, spec, {}, [&](Op& op) -> Result<std::vector<std::string>> {
            SSPF_ASSIGN_OR_RETURN(RetentionPlan plan, BuildPlan(impl, decided));
            std::set<std::string> cases(plan.cases.begin(), plan.cases.end());
            for (const RetentionPlanEntry& e : plan.entries) {
              if (e.state == "due") cases.insert(e.case_id);
            }
            for (const RetentionPlanSubject& s : plan.subjects) {
              for (const std::string& c : s.case_ids) cases.insert(c);
            }
            op.event.reason += "; gallringsbeslut " + request.decision + "; " +
                               std::to_string(cases.size()) + " cases";
            return std::vector<std::string>(cases.begin(), cases.end());
          }));
  RetentionRunResult out;
  out.decision = request.decision;
  for (const std::string& case_id : work) {
    OpSpec one{Operation::kRetention, Action::kRetentionErase};
    one.case_id = case_id;
    one.refused_in_batch = kRefusedInBatch;
    SSPF_ASSIGN_OR_RETURN(CaseOutcome o,
                          internal::RunOperationFor<CaseOutcome>(
                              impl, one, {}, [&](Op& op) -> Result<CaseOutcome> {
                                return EraseCase(impl, op, case_id, request, decided);
                              }));
    ++out.cases;
    out.entries_erased += o.entries;
    out.cases_erased += o.case_erased ? 1 : 0;
    out.subjects_erased += o.subject_erased ? 1 : 0;
    if (progress) progress(out.cases, work.size());
  }
  Db* db = impl->db.get();
  {
    SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn, internal::Txn::Begin(db));
    SSPF_ASSIGN_OR_RETURN(out.checkpoint,
                          internal::MakeCheckpoint(db, impl->Signer(), impl->Now()));
    SSPF_RETURN_IF_ERROR(txn->Commit());
  }
  // secure_delete (db.cpp) zeroes what a delete frees; VACUUM rebuilds the
  // file without free pages; TRUNCATE empties the WAL, whose old frames
  // hold the pages as they were before.
  SSPF_ASSIGN_OR_RETURN(bool first, TruncateWal(db));
  Status vacuum = db->Exec("VACUUM");
  SSPF_ASSIGN_OR_RETURN(bool second, TruncateWal(db));
  out.compacted = first && vacuum.ok() && second;
  SSPF_ASSIGN_OR_RETURN(out.free_pages, FreePages(db));
  return out;
}

}  // namespace sspf
