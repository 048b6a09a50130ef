// Copyright (c) libsspf authors.
// The SQLCipher layer (storage/db.h, storage/schema.h): keys, files that are
// not stores, transactions, the statement cache, status mapping, migrations.
#include <sqlite3.h>

#include <memory>
#include <string>

#include "catch.h"
#include "storage/db.h"
#include "storage/schema.h"
#include "test_util.h"

namespace sspf {
namespace {

using internal::Db;
using internal::Stmt;
using internal::Txn;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

const std::string kWrongKeyMessage = "wrong passphrase or not an sspf store";

SecretBytes Key(uint8_t fill) {
  SecretBytes k = std::move(SecretBytes::Allocate(32).value());
  for (size_t i = 0; i < 32; ++i) k.data(InsecureSecretAccess::Get())[i] = fill;
  return k;
}

std::unique_ptr<Db> OpenOrDie(const std::string& path, uint8_t fill, bool create) {
  Result<std::unique_ptr<Db>> db = Db::Open(path, Key(fill), create);
  REQUIRE(db.ok());
  return std::move(*db);
}

int64_t CountRows(Db* db) {
  Result<Stmt*> st = db->Prepare("SELECT count(*) FROM t");
  REQUIRE(st.ok());
  Result<bool> row = (*st)->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  int64_t n = (*st)->Int(0);
  (*st)->Reset();
  return n;
}

Status Insert(Db* db, int64_t x) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("INSERT INTO t(x) VALUES(?)"));
  return st->Bind(1, x).Run();
}

TEST_CASE("db: an encrypted store reopens with its key only", "[storage][db]") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    std::unique_ptr<Db> db = OpenOrDie(path, 1, /*create=*/true);
    REQUIRE(db->Exec("CREATE TABLE t(x INTEGER PRIMARY KEY)").ok());
    REQUIRE(Insert(db.get(), 42).ok());
  }
  // Encrypted on disk: no SQLite header, no plaintext.
  const std::string file = ReadFile(path);
  REQUIRE(file.size() >= 4096);
  CHECK(file.rfind("SQLite format 3", 0) != 0);
  {
    std::unique_ptr<Db> db = OpenOrDie(path, 1, /*create=*/false);
    CHECK(CountRows(db.get()) == 1);
  }
  Result<std::unique_ptr<Db>> wrong = Db::Open(path, Key(2), /*create=*/false);
  CHECK(wrong.status().code() == StatusCode::kWrongKey);
  CHECK(wrong.status().message() == kWrongKeyMessage);
  // The right key still works after a wrong attempt.
  std::unique_ptr<Db> again = OpenOrDie(path, 1, /*create=*/false);
  CHECK(CountRows(again.get()) == 1);
}

TEST_CASE("db: files that are not stores are refused", "[storage][db]") {
  TempDir dir;
  SECTION("random bytes") {
    const std::string path = dir.File("junk.db");
    WriteFile(path, std::string(8192, 'j'));
    Result<std::unique_ptr<Db>> db = Db::Open(path, Key(1), /*create=*/false);
    CHECK(db.status().code() == StatusCode::kWrongKey);
    CHECK(db.status().message().rfind(kWrongKeyMessage, 0) == 0);
    CHECK(ReadFile(path) == std::string(8192, 'j'));  // and left as it was
  }
  SECTION("a plain SQLite database") {
    const std::string path = dir.File("plain.db");
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    REQUIRE(ReadFile(path).rfind("SQLite format 3", 0) == 0);
    Result<std::unique_ptr<Db>> db = Db::Open(path, Key(1), /*create=*/false);
    CHECK(db.status().code() == StatusCode::kWrongKey);
    CHECK(db.status().message().rfind(kWrongKeyMessage, 0) == 0);
  }
  SECTION("a missing file without create") {
    Result<std::unique_ptr<Db>> db = Db::Open(dir.File("absent.db"), Key(1), false);
    CHECK_FALSE(db.ok());
    CHECK(db.status().code() != StatusCode::kWrongKey);
  }
  SECTION("a key of the wrong size") {
    Result<std::unique_ptr<Db>> db =
        Db::Open(dir.File("k.db"), std::move(SecretBytes::Random(16).value()), true);
    CHECK(db.status().code() == StatusCode::kInternal);
  }
}

TEST_CASE("db: a transaction rolls back on destruction unless committed",
          "[storage][db][txn]") {
  TempDir dir;
  std::unique_ptr<Db> db = OpenOrDie(dir.File("s.db"), 1, true);
  REQUIRE(db->Exec("CREATE TABLE t(x INTEGER PRIMARY KEY)").ok());
  {
    Result<std::unique_ptr<Txn>> txn = Txn::Begin(db.get());
    REQUIRE(txn.ok());
    REQUIRE(Insert(db.get(), 1).ok());
    CHECK(CountRows(db.get()) == 1);  // visible inside the transaction
  }
  CHECK(CountRows(db.get()) == 0);
  {
    Result<std::unique_ptr<Txn>> txn = Txn::Begin(db.get());
    REQUIRE(txn.ok());
    REQUIRE(Insert(db.get(), 2).ok());
    // No nesting: a second BEGIN inside fails and leaves the first alone.
    CHECK_FALSE(Txn::Begin(db.get()).ok());
    REQUIRE((*txn)->Commit().ok());
  }
  CHECK(CountRows(db.get()) == 1);
  {
    Result<std::unique_ptr<Txn>> txn = Txn::Begin(db.get());
    REQUIRE(txn.ok());
    REQUIRE(Insert(db.get(), 3).ok());
    // A failed statement inside does not end the transaction by itself.
    CHECK(Insert(db.get(), 3).code() == StatusCode::kFailedPrecondition);
  }
  CHECK(CountRows(db.get()) == 1);
}

TEST_CASE("db: prepared statements are cached and come back reset", "[storage][db]") {
  TempDir dir;
  std::unique_ptr<Db> db = OpenOrDie(dir.File("s.db"), 1, true);
  Result<Stmt*> a = db->Prepare("SELECT ?1");
  REQUIRE(a.ok());
  (*a)->Bind(1, int64_t{42});
  REQUIRE((*a)->Step().value());
  CHECK((*a)->Int(0) == 42);
  // The same SQL gives the same statement, reset and with bindings cleared.
  Result<Stmt*> b = db->Prepare("SELECT ?1");
  REQUIRE(b.ok());
  CHECK(*b == *a);
  REQUIRE((*b)->Step().value());
  CHECK((*b)->IsNull(0));
  CHECK_FALSE((*b)->Step().value());
  Result<Stmt*> c = db->Prepare("SELECT ?1 + 1");
  REQUIRE(c.ok());
  CHECK(*c != *a);
  // Text, blobs (also empty) and NULL round-trip.
  Result<Stmt*> d = db->Prepare("SELECT ?1, ?2, ?3, ?4");
  REQUIRE(d.ok());
  (*d)->Bind(1, std::string("Malmö")).BindBlob(2, internal::Bytes{0, 1, 2}).BindBlob(
      3, internal::Bytes{}).BindNull(4);
  REQUIRE((*d)->Step().value());
  CHECK((*d)->Text(0) == "Malmö");
  CHECK((*d)->Blob(1) == (internal::Bytes{0, 1, 2}));
  CHECK_FALSE((*d)->IsNull(2));
  CHECK((*d)->Blob(2).empty());
  CHECK((*d)->IsNull(3));
  // Bad SQL is an error, every time (nothing broken is cached).
  CHECK_FALSE(db->Prepare("SELEKT 1").ok());
  CHECK_FALSE(db->Prepare("SELEKT 1").ok());
}

TEST_CASE("db: SQLite result codes map to status codes", "[storage][db]") {
  using internal::SqliteStatus;
  CHECK(SqliteStatus(SQLITE_OK, "x").ok());
  CHECK(SqliteStatus(SQLITE_DONE, "x").ok());
  CHECK(SqliteStatus(SQLITE_BUSY, "x").code() == StatusCode::kBusy);
  CHECK(SqliteStatus(SQLITE_LOCKED, "x").code() == StatusCode::kBusy);
  CHECK(SqliteStatus(SQLITE_FULL, "x").code() == StatusCode::kIoError);
  CHECK(SqliteStatus(SQLITE_IOERR_WRITE, "x").code() == StatusCode::kIoError);
  CHECK(SqliteStatus(SQLITE_READONLY, "x").code() == StatusCode::kIoError);
  CHECK(SqliteStatus(SQLITE_NOTADB, "x").code() == StatusCode::kWrongKey);
  CHECK(SqliteStatus(SQLITE_NOTADB, "x").message() == kWrongKeyMessage);
  CHECK(SqliteStatus(SQLITE_CORRUPT, "x").code() == StatusCode::kIntegrityViolation);
  CHECK(SqliteStatus(SQLITE_CONSTRAINT_UNIQUE, "x").code() ==
        StatusCode::kFailedPrecondition);
  CHECK(SqliteStatus(SQLITE_ERROR, "x").code() == StatusCode::kInternal);
  CHECK(SqliteStatus(SQLITE_FULL, "store query failed").message().rfind(
            "store query failed: ", 0) == 0);
}

int UserVersion(Db* db) {
  Result<Stmt*> st = db->Prepare("PRAGMA user_version");
  REQUIRE(st.ok());
  REQUIRE((*st)->Step().value());
  int v = static_cast<int>((*st)->Int(0));
  (*st)->Reset();
  return v;
}

TEST_CASE("schema: migrations run once and refuse a newer store", "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    std::unique_ptr<Db> db = OpenOrDie(path, 1, true);
    CHECK(UserVersion(db.get()) == 0);
    REQUIRE(internal::Migrate(db.get()).ok());
    CHECK(UserVersion(db.get()) == internal::kSchemaVersion);
    CHECK(db->Exec("SELECT count(*) FROM events").ok());
    REQUIRE(internal::Migrate(db.get()).ok());  // idempotent
    CHECK(UserVersion(db.get()) == internal::kSchemaVersion);
    const std::string newer =
        "PRAGMA user_version = " + std::to_string(internal::kSchemaVersion + 1);
    REQUIRE(db->Exec(newer.c_str()).ok());
  }
  std::unique_ptr<Db> db = OpenOrDie(path, 1, false);
  Status s = internal::Migrate(db.get());
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(s.message() == "the store was made by a newer libsspf (schema " +
                           std::to_string(internal::kSchemaVersion + 1) + ")");
  CHECK(UserVersion(db.get()) == internal::kSchemaVersion + 1);  // left as it was
}

// Every table and index name of the schema, "name" sorted.
std::string SchemaNames(Db* db, const char* type) {
  std::string sql = std::string("SELECT group_concat(name, ',') FROM (SELECT name FROM "
                                "sqlite_master WHERE type = '") +
                    type + "' AND name NOT LIKE 'sqlite_%' ORDER BY name)";
  Result<Stmt*> st = db->Prepare(sql.c_str());
  REQUIRE(st.ok());
  REQUIRE((*st)->Step().value());
  std::string out = (*st)->Text(0);
  (*st)->Reset();
  return out;
}

TEST_CASE("schema: a store at 6 (retention) migrates to 7 (lifecycle)", "[storage][schema]") {
  REQUIRE(internal::kSchemaVersion >= 7);
  TempDir dir;
  std::unique_ptr<Db> db = OpenOrDie(dir.File("s.db"), 1, true);
  REQUIRE(internal::MigrateTo(db.get(), 6).ok());
  CHECK(UserVersion(db.get()) == 6);
  const std::string tables6 = SchemaNames(db.get(), "table");
  CHECK(tables6.find("erasures") != std::string::npos);
  CHECK(tables6.find("consent_refs") == std::string::npos);
  CHECK(SchemaNames(db.get(), "index").find("events_case_erase") != std::string::npos);
  CHECK(SchemaNames(db.get(), "index").find("events_lifecycle_target") == std::string::npos);
  // A guardian registered under schema 6 (no custody column yet).
  REQUIRE(db->Exec("INSERT INTO subjects(id, pnr_index, birth_date, identity, created) "
                   "VALUES('s1', x'01', '2014-01-01', x'02', 1); "
                   "INSERT INTO guardians(id, subject_id, identity, position, created) "
                   "VALUES('g1', 's1', x'03', 0, 1)")
              .ok());
  CHECK(internal::MigrateTo(db.get(), 5).code() == StatusCode::kFailedPrecondition);

  REQUIRE(internal::MigrateTo(db.get(), 7).ok());
  CHECK(UserVersion(db.get()) == 7);
  CHECK(SchemaNames(db.get(), "table").find("consent_refs") != std::string::npos);
  const std::string indexes = SchemaNames(db.get(), "index");
  CHECK(indexes.find("events_case_erase") != std::string::npos);
  CHECK(indexes.find("events_lifecycle_target") != std::string::npos);
  // Every guardian had custody before the column existed.
  Result<Stmt*> st = db->Prepare("SELECT custody FROM guardians WHERE id = 'g1'");
  REQUIRE(st.ok());
  REQUIRE((*st)->Step().value());
  CHECK((*st)->Int(0) == 1);
  (*st)->Reset();
  // Both sides' columns.
  CHECK(db->Exec("SELECT revoked FROM disclosures; SELECT ended FROM grants; "
                 "SELECT erased FROM subjects").ok());
}

TEST_CASE("schema: a store at 7 (lifecycle) migrates to 8 (review sign-off)", "[storage][schema]") {
  REQUIRE(internal::kSchemaVersion >= 8);
  TempDir dir;
  std::unique_ptr<Db> db = OpenOrDie(dir.File("s.db"), 1, true);
  REQUIRE(internal::MigrateTo(db.get(), 7).ok());
  CHECK(UserVersion(db.get()) == 7);
  const std::string tables7 = SchemaNames(db.get(), "table");
  CHECK(tables7.find("consent_refs") != std::string::npos);
  CHECK(tables7.find("review_acks") == std::string::npos);
  CHECK(tables7.find("review_closures") == std::string::npos);
  // A custody change recorded under schema 7 stays as it was.
  REQUIRE(db->Exec("INSERT INTO subjects(id, pnr_index, birth_date, identity, created) "
                   "VALUES('s1', x'01', '2014-01-01', x'02', 1); "
                   "INSERT INTO guardians(id, subject_id, identity, position, created, custody) "
                   "VALUES('g1', 's1', x'03', 0, 1, 0)")
              .ok());
  CHECK(internal::MigrateTo(db.get(), 6).code() == StatusCode::kFailedPrecondition);

  REQUIRE(internal::MigrateTo(db.get(), 8).ok());
  CHECK(UserVersion(db.get()) == 8);
  const std::string tables8 = SchemaNames(db.get(), "table");
  CHECK(tables8.find("consent_refs") != std::string::npos);
  CHECK(tables8.find("review_acks") != std::string::npos);
  CHECK(tables8.find("review_closures") != std::string::npos);
  CHECK(SchemaNames(db.get(), "index").find("events_lifecycle_target") != std::string::npos);
  Result<Stmt*> st = db->Prepare("SELECT custody FROM guardians WHERE id = 'g1'");
  REQUIRE(st.ok());
  REQUIRE((*st)->Step().value());
  CHECK((*st)->Int(0) == 0);
  (*st)->Reset();
  // An ack's note is a sealed reason, never a column of its own.
  CHECK(!db->Exec("SELECT note FROM review_acks").ok());
  CHECK(db->Exec("SELECT flagged_seq, event_seq FROM review_acks; "
                 "SELECT flags_open, flags_acknowledged FROM review_closures")
            .ok());
}

TEST_CASE("schema: a store at 9 migrates to 10 (covering partial events indexes)",
          "[storage][schema]") {
  REQUIRE(internal::kSchemaVersion >= 10);
  TempDir dir;
  std::unique_ptr<Db> db = OpenOrDie(dir.File("s.db"), 1, true);
  REQUIRE(internal::MigrateTo(db.get(), 9).ok());
  // An entry.add (50) and a consent.grant (40) of case c, and a subject
  // event (no case), logged under schema 9.
  REQUIRE(db->Exec("INSERT INTO events VALUES(0, 1795000000, 'p', 1, 2, 50, 'entry:e', 1, '', "
                   "'', '', 'c', 's', ''); "
                   "INSERT INTO events VALUES(1, 1795000001, 'p', 1, 2, 40, 'consent:k', 1, '', "
                   "'', '', 'c', 's', ''); "
                   "INSERT INTO events VALUES(2, 1795000002, 'p', 1, 2, 20, 'subject:s', 1, '', "
                   "'', '', '', 's', '')")
              .ok());
  auto columns = [&](const char* index) {
    // SQLite 3.15 has no pragma_index_info() table function.
    Result<Stmt*> st = db->Prepare((std::string("PRAGMA index_info(") + index + ")").c_str());
    REQUIRE(st.ok());
    std::string out;
    while ((*st)->Step().value()) out += (out.empty() ? "" : ",") + (*st)->Text(2);
    (*st)->Reset();
    return out;
  };
  CHECK(columns("events_state_target") == "target");
  REQUIRE(internal::MigrateTo(db.get(), 10).ok());
  CHECK(UserVersion(db.get()) == 10);
  CHECK(columns("events_subject") == "subject_id,seq,case_id");
  CHECK(columns("events_state_target") == "target,action,allowed");
  CHECK(columns("events_case_consent") == "case_id,seq,action,allowed");
  CHECK(columns("events_case_open") == "time,seq,action,allowed");
  // The rebuilt indexes hold the events logged before.
  auto count = [&](const char* sql) {
    Result<Stmt*> st = db->Prepare(sql);
    REQUIRE(st.ok());
    REQUIRE((*st)->Step().value());
    const int64_t n = (*st)->Int(0);
    (*st)->Reset();
    return n;
  };
  CHECK(count("SELECT count(*) FROM events INDEXED BY events_state_target WHERE target = "
              "'entry:e' AND action IN (50, 60) AND allowed = 1") == 1);
  CHECK(count("SELECT count(*) FROM events INDEXED BY events_case_consent WHERE case_id = 'c' "
              "AND action IN (40, 41) AND allowed = 1") == 1);
  CHECK(count("SELECT count(*) FROM events INDEXED BY events_subject WHERE subject_id = 's' "
              "AND case_id = ''") == 1);
}

}  // namespace
}  // namespace sspf
