// Insider attacks on storage classes (DESIGN §13; found by an independent
// review on 2026-12-04): SQLite keeps each value with its own storage class
// whatever the column's declared type.  An insider with the root-derived
// SQLCipher key rewrites a column as a blob of the same bytes, or an integer
// as a real: every accessor of the library reads the same text, so the leaf
// hash, the event's signature and the replay all agree, but every SQL filter
// on the column misses the row.  Each attack first shows that it reaches its
// goal (the row is gone from a filtered read), then that audit verify, full
// and incremental, names the row and the column.
#include <string>
#include <vector>

#include "catch.h"
#include "insider_util.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kAppendOnly =
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT "
    "RAISE(ABORT, 'access log is append-only'); END;";

bool HasSeq(const std::vector<AuditEvent>& events, int64_t seq) {
  for (const AuditEvent& e : events) {
    if (static_cast<int64_t>(e.seq) == seq) return true;
  }
  return false;
}

// The message of a verify with options o ("ok" when it passes).
std::string VerifyWith(Session& auditor, const VerifyOptions& o) {
  Result<VerifyReport> r = auditor.Verify(o);
  if (r.ok()) return "ok";
  CHECK(r.status().code() == StatusCode::kIntegrityViolation);
  return r.status().message();
}

// An edit of one event row, with the append-only trigger dropped and put
// back as the insider would.
void EditEvent(internal::Db* db, const std::string& set, int64_t seq) {
  InsiderExec(db, "DROP TRIGGER events_no_update");
  InsiderExec(db, "UPDATE events SET " + set + " WHERE seq = " + std::to_string(seq));
  InsiderExec(db, kAppendOnly);
}

// Rewrites column of the row `id` of table as a blob of the same bytes.  A
// blob matches no parent key: the insider turns the foreign keys off.
void AsBlob(internal::Db* db, const std::string& table, const std::string& column,
            const std::string& id) {
  InsiderExec(db, "PRAGMA foreign_keys = OFF");
  InsiderExec(db, "UPDATE " + table + " SET " + column + " = CAST(" + column +
                      " AS BLOB) WHERE id = '" + id + "'");
}

}  // namespace

TEST_CASE("an event's case and subject ids stored as blobs are named by verify",
          "[attack][insider][storage-class]") {
  InsiderWorld w;
  REQUIRE(w.police->ShowCase(w.case_id).ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  // The police member's case.show, the last one so far.
  const int64_t seq = Count(db.get(), "SELECT max(seq) FROM events WHERE action = " +
                                          std::to_string(static_cast<int>(Action::kCaseShow)));
  REQUIRE(seq > 0);
  Result<CaseInfo> shown = w.coord->ShowCase(w.case_id);
  REQUIRE(shown.ok());
  const std::string subject = shown->subject_id;
  AuditFilter by_case;
  by_case.case_id = w.case_id;
  REQUIRE(HasSeq(w.auditor->QueryEvents(by_case).value(), seq));
  Result<std::string> kept = w.auditor->Checkpoint();
  REQUIRE(kept.ok());

  EditEvent(db.get(), "case_id = CAST(case_id AS BLOB), subject_id = CAST(subject_id AS BLOB)",
            seq);
  // The goal: the police member's read is gone from the case's history and
  // from the family's log extract (loggutdrag).
  CHECK_FALSE(HasSeq(w.auditor->QueryEvents(by_case).value(), seq));
  CHECK_FALSE(HasSeq(w.auditor->ExtractSubject(subject).value(), seq));

  const std::string named = "event " + std::to_string(seq) + ": column case_id holds a blob, " +
                            "declared TEXT";
  VerifyOptions incremental;
  incremental.kept_checkpoint = *kept;
  CHECK(VerifyWith(*w.auditor, incremental).find(named) != std::string::npos);
  VerifyOptions full;
  full.full = true;
  CHECK(VerifyWith(*w.auditor, full).find(named) != std::string::npos);
  CHECK(VerifyWith(*w.auditor, {}).find("storage class was changed") != std::string::npos);
}

TEST_CASE("a denied event's outcome stored as a real is named by verify",
          "[attack][insider][storage-class]") {
  InsiderWorld w;
  // The admin is on no case team: her look at the case is denied.
  REQUIRE_FALSE(w.admin->ShowCase(w.case_id).ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const int64_t seq = Count(db.get(), "SELECT max(seq) FROM events WHERE allowed = 0");
  REQUIRE(seq > 0);
  AuditFilter denied;
  denied.allowed = false;
  REQUIRE(HasSeq(w.auditor->QueryEvents(denied).value(), seq));

  EditEvent(db.get(), "allowed = 0.5", seq);
  // The goal: gone from `audit query --denied`, though it reads as denied.
  CHECK_FALSE(HasSeq(w.auditor->QueryEvents(denied).value(), seq));

  const std::string verify = VerifyWith(*w.auditor, {});
  CHECK(verify.find("event " + std::to_string(seq) + ": column allowed holds a real, " +
                    "declared INTEGER") != std::string::npos);
}

TEST_CASE("an entry's case id stored as a blob is named by verify",
          "[attack][insider][storage-class]") {
  InsiderWorld w;
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "frånvaro");
  REQUIRE(e.ok());
  REQUIRE(w.school->ListEntries(w.case_id).value().size() == 1);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  AsBlob(db.get(), "entries", "case_id", *e);
  // The goal: the entry is gone from the case's record.
  CHECK(w.school->ListEntries(w.case_id).value().empty());

  const std::string verify = VerifyWith(*w.auditor, {});
  INFO(verify);
  // Named by the index check's scan of entries (the replay's scan stopped
  // at the row, so the index check scanned the table itself).
  CHECK(verify.find("table entries row ") != std::string::npos);
  CHECK(verify.find(": column case_id holds a blob, declared TEXT") != std::string::npos);
}

TEST_CASE("a guardian's subject id stored as a blob is named by verify",
          "[attack][insider][storage-class]") {
  InsiderWorld w;
  const SubjectInfo subject = w.TwoGuardianCase(421);
  REQUIRE(subject.guardians.size() == 2);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  AsBlob(db.get(), "guardians", "subject_id", subject.guardians[1].id);
  // The goal: the second guardian is gone from a lookup by the subject.
  CHECK(Count(db.get(), "SELECT count(*) FROM guardians WHERE subject_id = '" + subject.id +
                            "'") == 1);

  const std::string verify = VerifyWith(*w.auditor, {});
  INFO(verify);
  CHECK(verify.find("column subject_id holds a blob, declared TEXT") != std::string::npos);
  CHECK(verify.find("guardians") != std::string::npos);
}

TEST_CASE("a column's declared type taken away in sqlite_master is named by verify",
          "[attack][insider][storage-class]") {
  InsiderWorld w;
  REQUIRE(w.police->ShowCase(w.case_id).ok());
  {
    // The insider first takes the type away, so that the column accepts
    // any storage class and no declared type says otherwise.
    std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
    REQUIRE(Count(db.get(), "SELECT count(*) FROM sqlite_master WHERE name = 'events' AND "
                            "instr(sql, 'case_id TEXT NOT NULL') > 0") == 1);
    InsiderExec(db.get(), "PRAGMA writable_schema = ON");
    InsiderExec(db.get(), "UPDATE sqlite_master SET sql = replace(sql, 'case_id TEXT NOT NULL', "
                          "'case_id NOT NULL') WHERE name = 'events'");
    InsiderExec(db.get(), "PRAGMA writable_schema = OFF");
  }
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);  // schema reread
  InsiderExec(db.get(), "CREATE TABLE t(a); DROP TABLE t;");  // other connections reread it
  const int64_t seq = Count(db.get(), "SELECT max(seq) FROM events WHERE action = " +
                                          std::to_string(static_cast<int>(Action::kCaseShow)));
  EditEvent(db.get(), "case_id = CAST(case_id AS BLOB)", seq);
  AuditFilter by_case;
  by_case.case_id = w.case_id;
  CHECK_FALSE(HasSeq(w.auditor->QueryEvents(by_case).value(), seq));

  const std::string verify = VerifyWith(*w.auditor, {});
  CHECK(verify.find("table events: the store declares column 12 as case_id (no type) NOT NULL, "
                    "schema ") != std::string::npos);
  CHECK(verify.find("as case_id TEXT NOT NULL (the schema was edited with SQL)") !=
        std::string::npos);
}
