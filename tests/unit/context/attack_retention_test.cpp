// Insider attacks on retention (gallring; DESIGN §13, found by an
// independent review on 2026-12-04).  A retention run counted from the
// closing time in the case's row, and the replay check compared neither
// the closing time nor, with it in place only for the run, whether the case
// was closed at all.  An insider who moved cases.closed back had a school
// record erased two years early; one who marked an open case closed for the
// admin's run had its police and school records shredded, and put the row
// back after.  Crypto-shredding cannot be undone, so the run must refuse at
// use: it now reads whether and since when a case is closed from its signed
// case.close and case.reopen events, and refuses a row that disagrees.
// Verify names a closing time that differs from the close's.  A second
// review found a run still taking other inputs from rows, each edited only
// for the run: the entries a case has, whether the subject is erased,
// which subject the case is for, and a case.reopen found by SQL filters
// (the last tests below).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catch.h"
#include "insider_util.h"
#include "sspf/civil_time.h"
#include "sspf/pnr.h"
#include "sspf/retention.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr int64_t kYear = 365 * 86400;

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A host's rule for the school's notes.
RetentionRule SchoolRule(const std::string& id, RetentionFrom from, int years,
                         const std::string& citation, const std::string& summary) {
  RetentionRule r;
  r.id = id;
  r.actor = Actor::kSchool;
  r.categories = {Category::kSchool};
  r.from = from;
  r.years = years;
  r.citation = citation;
  r.summary = summary;
  return r;
}

// School notes three years after the case is closed.
RetentionRule SchoolNotesAfterClose() {
  return SchoolRule("bun-sspf", RetentionFrom::kCaseClosed, 3, "BUN 2025/88 § 7",
                    "SSPF notes: 3 years after the case is closed");
}

// The insider world with the given retention rules and one school and one
// police entry on its case.
struct RetentionWorld {
  InsiderWorld w;
  std::string school_entry, police_entry;
  explicit RetentionWorld(std::vector<RetentionRule> rules) : w(std::move(rules)) {
    Result<std::string> s = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro");
    Result<std::string> p = w.police->AddEntry(w.case_id, Category::kPolice, "Anmälan");
    REQUIRE(s.ok());
    REQUIRE(p.ok());
    school_entry = *s;
    police_entry = *p;
  }
  void Edit(const std::string& set) {
    std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
    InsiderExec(db.get(), "UPDATE cases SET " + set + " WHERE id = '" + w.case_id + "'");
  }
  // The run's refusal: nothing erased, both entries still readable.
  void CheckRefused(const Result<RetentionRunResult>& run, const std::string& says) {
    REQUIRE_FALSE(run.ok());
    INFO(run.status().ToString());
    CHECK(run.status().code() == StatusCode::kIntegrityViolation);
    CHECK(Contains(run.status().message(), says));
    CHECK(Contains(run.status().message(), "nothing was erased"));
    CHECK(w.school->ReadEntry(school_entry, "uppföljning").ok());
    CHECK(w.police->ReadEntry(police_entry, "uppföljning").ok());
  }
};

std::string VerifyWith(Session& auditor, std::optional<std::string> kept) {
  VerifyOptions o;
  o.kept_checkpoint = std::move(kept);
  Result<VerifyReport> r = auditor.Verify(o);
  return r.ok() ? "ok" : r.status().message();
}


// The second review's attacks (below): edits made only for the length of
// the admin's run, so that verify found nothing afterwards.
constexpr int64_t kMonth = 30 * 86400;

RetentionRule SchoolRule(const std::string& id, RetentionFrom from, int years) {
  return SchoolRule(id, from, years, "BUN 2025/88 § 1", "school notes");
}

// The admin's run is refused and erases nothing.
void CheckRunRefused(InsiderWorld& w, const std::string& says) {
  Result<RetentionRunResult> run = w.admin->RunRetention({"BUN 2027/9", {}});
  REQUIRE_FALSE(run.ok());
  INFO(run.status().ToString());
  CHECK(run.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Contains(run.status().message(), says));
  CHECK(Contains(run.status().message(), "nothing was erased"));
}

void CheckReadable(Session& s, const std::string& entry) {
  Result<EntryContent> r = s.ReadEntry(entry, "uppföljning");
  INFO(r.status().ToString());
  CHECK(r.ok());
}

std::string SubjectOfCase(internal::Db* db) {
  internal::Stmt* st = db->Prepare("SELECT subject_id FROM cases").value();
  REQUIRE(st->Step().value());
  std::string id = st->Text(0);
  st->Reset();
  return id;
}

}  // namespace

TEST_CASE("a closing time moved back does not bring a retention deadline forward",
          "[attack][insider][retention]") {
  RetentionWorld rw({SchoolNotesAfterClose()});
  InsiderWorld& w = rw.w;
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  w.clock->Advance(kYear);  // a year after the close: two more to keep
  Result<std::string> kept = w.auditor->Checkpoint();
  REQUIRE(kept.ok());
  Result<RetentionPlan> plan = w.admin->PlanRetention({});
  REQUIRE(plan.ok());
  REQUIRE(plan->due_entries == 0);

  rw.Edit("closed = closed - " + std::to_string(5 * kYear));
  // The plan and the run both read the case's state from its events.
  CHECK(w.admin->PlanRetention({}).status().code() == StatusCode::kIntegrityViolation);
  rw.CheckRefused(w.admin->RunRetention({"BUN 2030/4", {}}), "closed it at");
  // Verify names the row while it is edited.
  for (const std::optional<std::string>& from :
       {std::optional<std::string>(), std::optional<std::string>(*kept)}) {
    CHECK(Contains(VerifyWith(*w.auditor, from), "its closing time"));
  }

  // Put back, the run erases nothing early, and three years after the
  // close it erases the school note.
  rw.Edit("closed = closed + " + std::to_string(5 * kYear));
  Result<RetentionRunResult> early = w.admin->RunRetention({"BUN 2030/4", {}});
  REQUIRE(early.ok());
  CHECK(early->entries_erased == 0);
  w.clock->Advance(2 * kYear + 86400);
  Result<RetentionRunResult> due = w.admin->RunRetention({"BUN 2032/1", {}});
  REQUIRE(due.ok());
  CHECK(due->entries_erased == 1);
  CHECK_FALSE(w.school->ReadEntry(rw.school_entry, "uppföljning").ok());
  // The refused plan's own event says what the session found, edit put
  // back or not; from a checkpoint kept after it, verify is ok again.
  CHECK(Contains(VerifyWith(*w.auditor, *kept),
                 "(retention.plan) records an integrity violation found at use"));
  Result<std::string> after = w.auditor->Checkpoint();
  REQUIRE(after.ok());
  CHECK(VerifyWith(*w.auditor, *after) == "ok");
}

TEST_CASE("an open case marked closed for a retention run keeps its records",
          "[attack][insider][retention]") {
  RetentionWorld rw(DefaultRetentionRules());
  InsiderWorld& w = rw.w;
  rw.Edit("open = 0, closed = " + std::to_string(w.clock->Now() - 86400));
  rw.CheckRefused(w.admin->RunRetention({"PM 2027/1", {"police-records", "school-records"}}),
                  "the log never closed it");
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt), "is closed without an event"));

  // Closed and reopened in the log, the row closed again: the reopen
  // decides.
  rw.Edit("open = 1, closed = NULL");
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  REQUIRE(w.coord->ReopenCase(w.case_id).ok());
  rw.Edit("open = 0, closed = " + std::to_string(w.clock->Now()));
  rw.CheckRefused(w.admin->RunRetention({"PM 2027/1", {"police-records", "school-records"}}),
                  "reopened it");
  rw.Edit("open = 1, closed = NULL");
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt),
                 "(retention.run) records an integrity violation found at use"));
  Result<std::string> after = w.auditor->Checkpoint();
  REQUIRE(after.ok());
  CHECK(VerifyWith(*w.auditor, *after) == "ok");
}

TEST_CASE("an open case with a closing time in its row is named by verify",
          "[attack][insider][retention]") {
  RetentionWorld rw({SchoolNotesAfterClose()});
  InsiderWorld& w = rw.w;
  rw.Edit("closed = " + std::to_string(w.clock->Now()));
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt), "is open but has a closing time"));
}

TEST_CASE("an entry's creation time or category edited does not bring its deadline forward",
          "[attack][insider][retention]") {
  RetentionWorld rw({SchoolRule("school-last-entry", RetentionFrom::kLastEntry, 1,
                                "BUN 2025/88 § 8",
                                "school notes: 1 year after the actor's last entry")});
  InsiderWorld& w = rw.w;
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  w.clock->Advance(kYear / 2);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  InsiderExec(db.get(), "UPDATE entries SET created = created - " + std::to_string(2 * kYear) +
                            " WHERE id = '" + rw.school_entry + "'");
  Result<RetentionRunResult> run = w.admin->RunRetention({"BUN 2027/2", {}});
  REQUIRE_FALSE(run.ok());
  CHECK(run.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Contains(run.status().message(), "its row differs from event"));
  CHECK(Contains(run.status().message(), "nothing was erased"));
  // (Reading the entry is refused too while its row is edited.)
  CHECK(Count(db.get(), "SELECT count(*) FROM entries WHERE body IS NOT NULL AND id = '" +
                            rw.school_entry + "'") == 1);
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt), rw.school_entry));

  // Put back, nothing is due for another half year.
  InsiderExec(db.get(), "UPDATE entries SET created = created + " + std::to_string(2 * kYear) +
                            " WHERE id = '" + rw.school_entry + "'");
  Result<RetentionRunResult> early = w.admin->RunRetention({"BUN 2027/2", {}});
  REQUIRE(early.ok());
  CHECK(early->entries_erased == 0);
  CHECK(w.school->ReadEntry(rw.school_entry, "uppföljning").ok());
}

TEST_CASE("a birth date moved back does not bring a birth-based deadline forward",
          "[attack][insider][retention]") {
  RetentionWorld rw({SchoolRule("school-at-18", RetentionFrom::kBirth, 18, "BUN 2025/88 § 9",
                                "school notes: when the youth turns 18")});
  InsiderWorld& w = rw.w;  // the youth is 15
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  InsiderExec(db.get(), "UPDATE subjects SET birth_date = printf('%04d', "
                        "CAST(substr(birth_date, 1, 4) AS INTEGER) - 5) || substr(birth_date, 5)");
  rw.CheckRefused(w.admin->RunRetention({"BUN 2027/3", {}}), "its birth date is not the one");
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt), "(birth date or blind index)"));
}

TEST_CASE("the newest entry moved out of its case does not bring a last-entry deadline forward",
          "[attack][insider][retention]") {
  InsiderWorld w({SchoolRule("school-last-entry", RetentionFrom::kLastEntry, 1)});
  Result<std::string> e1 = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro 1");
  REQUIRE(e1.ok());
  w.clock->Advance(10 * kMonth);
  Result<std::string> e2 = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro 2");
  REQUIRE(e2.ok());
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  w.clock->Advance(3 * kMonth);  // 13 months after e1, 3 after e2: nothing due
  REQUIRE(w.admin->PlanRetention({}).value().due_entries == 0);

  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  InsiderExec(db.get(), "PRAGMA foreign_keys = OFF");
  InsiderExec(db.get(), "UPDATE entries SET case_id = 'elsewhere' WHERE id = '" + *e2 + "'");
  CheckRunRefused(w, "that event");
  // Instead its body set aside, as if erased, and its time moved back so
  // that the older entry is the last: no erasure explains the missing body
  // (the first check the run makes of such an entry).
  InsiderExec(db.get(), "UPDATE entries SET case_id = '" + w.case_id + "' WHERE id = '" + *e2 +
                            "'");
  InsiderExec(db.get(), "CREATE TEMP TABLE kept AS SELECT body, created FROM entries WHERE id = '" +
                            *e2 + "'; UPDATE entries SET body = NULL, created = created - " +
                            std::to_string(kYear) + " WHERE id = '" + *e2 + "'");
  CheckRunRefused(w, "no erasure event explains it");
  InsiderExec(db.get(), "UPDATE entries SET body = (SELECT body FROM kept), created = (SELECT "
                        "created FROM kept) WHERE id = '" + *e2 + "'");
  CheckReadable(*w.school, *e1);
  CheckReadable(*w.school, *e2);
}

TEST_CASE("a subject marked erased does not switch the birth-date check off",
          "[attack][insider][retention]") {
  InsiderWorld w({SchoolRule("school-at-18", RetentionFrom::kBirth, 18)});  // the youth is 15
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro");
  REQUIRE(e.ok());
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  const std::string birth = [&] {
    internal::Stmt* st = db->Prepare("SELECT birth_date FROM subjects").value();
    REQUIRE(st->Step().value());
    std::string b = st->Text(0);
    st->Reset();
    return b;
  }();
  InsiderExec(db.get(), "UPDATE subjects SET erased = 1, birth_date = '2000-01-01'");
  Result<RetentionRunResult> run = w.admin->RunRetention({"BUN 2027/9", {}});
  INFO(run.status().ToString());
  // A subject marked erased has no birth date to count from: nothing is due.
  if (run.ok()) CHECK(run->entries_erased == 0);
  InsiderExec(db.get(), "UPDATE subjects SET erased = 0, birth_date = '" + birth + "'");
  CheckReadable(*w.school, *e);
}

TEST_CASE("a case pointed at an older subject does not take that subject's birth date",
          "[attack][insider][retention]") {
  InsiderWorld w({SchoolRule("school-at-18", RetentionFrom::kBirth, 18)});  // the youth is 15
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro");
  REQUIRE(e.ok());
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  Result<SubjectInfo> older = w.coord->AddSubject(
      {MakeTestPersonalNumber(Date{DateOf(w.clock->Now()).year - 19, 3, 3}, 236, false),
       "Äldre Testsson", {}});
  REQUIRE(older.ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  const std::string own = SubjectOfCase(db.get());
  InsiderExec(db.get(), "UPDATE cases SET subject_id = '" + older->id + "' WHERE id = '" +
                            w.case_id + "'");
  CheckRunRefused(w, "its subject is not the one its case.open names");
  InsiderExec(db.get(),
              "UPDATE cases SET subject_id = '" + own + "' WHERE id = '" + w.case_id + "'");
  CheckReadable(*w.school, *e);
}

TEST_CASE("a case.reopen rewritten as a blob is still found by retention",
          "[attack][insider][retention]") {
  InsiderWorld w({SchoolRule("school-after-close", RetentionFrom::kCaseClosed, 3)});
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  w.clock->Advance(86400);
  REQUIRE(w.coord->ReopenCase(w.case_id).ok());
  w.clock->Advance(3 * kYear + 86400);  // three years after the close; the case is open
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro");
  REQUIRE(e.ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  const int64_t closed_at =
      Count(db.get(), "SELECT time FROM events WHERE action = " +
                          std::to_string(static_cast<int>(Action::kCaseClose)) +
                          " AND allowed = 1 AND case_id = '" + w.case_id + "'");
  const std::string reopen = std::to_string(static_cast<int>(Action::kCaseReopen));
  const std::string guard =
      "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT "
      "RAISE(ABORT, 'access log is append-only'); END;";
  InsiderExec(db.get(), "DROP TRIGGER events_no_update; UPDATE events SET case_id = "
                        "CAST(case_id AS BLOB), action = CAST(action AS TEXT) WHERE action = " +
                            reopen + " AND case_id = '" + w.case_id + "';" + guard);
  InsiderExec(db.get(), "UPDATE cases SET open = 0, closed = " + std::to_string(closed_at) +
                            " WHERE id = '" + w.case_id + "'");
  CheckRunRefused(w, "reopened it");
  InsiderExec(db.get(), "UPDATE cases SET open = 1, closed = NULL WHERE id = '" + w.case_id +
                            "'");
  CheckReadable(*w.school, *e);
}
