// RAII over SQLCipher: one connection (Db), cached prepared statements (Stmt)
// and transactions (Txn).  Only this layer and the files that run SQL include
// sqlite3.h.  Never runs caller-supplied SQL (DESIGN §5).
#ifndef SSPF_SRC_DB_H_
#define SSPF_SRC_DB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sspf/secret.h"
#include "sspf/status.h"
#include "util/bytes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sspf::internal {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept;
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* st) const noexcept;
};

// Maps an SQLite result code to a Status (BUSY -> kBusy, FULL/IOERR/READONLY ->
// kIoError, NOTADB -> kWrongKey, CORRUPT -> kIntegrityViolation).
Status SqliteStatus(int rc, std::string_view what);

// A name read from the store's schema (a trigger, a table) as a message
// shows it: an insider chooses it, so only a plain SQL identifier of at
// most 64 characters is shown; anything else as "(name not shown)".
std::string ShownSchemaName(const std::string& name);

// A prepared statement.  Bind* indices are 1-based as in SQLite.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* st) : st_(st) {}
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
  Stmt& BindBlob(int i, const uint8_t* p, size_t n);
  Stmt& BindBlob(int i, const Bytes& b) { return BindBlob(i, b.data(), b.size()); }
  Stmt& BindNull(int i);
  template <typename T>
  Stmt& BindOpt(int i, const std::optional<T>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }
  // true: a row is available; false: done.  Errors as Status.
  Result<bool> Step();
  // Steps to completion, expecting no rows.
  Status Run();
  int64_t Int(int col) const;
  std::string Text(int col) const;
  Bytes Blob(int col) const;
  // The column's bytes without a copy (text or blob, as Text and Blob);
  // valid until the next Step or Reset, or another accessor on col.
  std::string_view TextView(int col) const;
  std::string_view BlobView(int col) const;
  bool IsNull(int col) const;
  bool IsInteger(int col) const;  // stored as an integer (before any conversion)
  // The column's storage class, read before any accessor converts it.
  enum class Type { kInteger, kReal, kText, kBlob, kNull };
  Type TypeOf(int col) const;
  double Real(int col) const;
  int Columns() const;  // of the result
  // The declared type of result column col when it is a column of a table
  // (as written in CREATE TABLE), "" for an expression.
  std::string_view DeclaredType(int col) const;
  std::string_view ColumnName(int col) const;
  void Reset();  // resets and clears bindings

 private:
  sqlite3_stmt* st_;
  Status bind_error_;
};

// Storage classes against declared types (DESIGN §13).  SQLite keeps each
// value with its own storage class, whatever the column's declared type:
// an insider's `UPDATE events SET case_id = CAST(case_id AS BLOB)` keeps
// the bytes, so every accessor above reads the same text and the leaf hash,
// the signature and the replay agree, but every SQL filter on the column
// (`case_id = ?` bound to text) now misses the row: an event hidden from
// the case's history and from the log extract (loggutdrag).  Likewise
// `allowed = 0.5` for a denied event.  A check of each row against the
// declared types of its result columns finds such a row.
//
// Columns declared INTEGER, TEXT or BLOB (the only types of the schema)
// must hold that class; NULL passes unless the check is strict (the
// events table, all NOT NULL); expressions and other types are not checked.
class DeclaredClasses {
 public:
  explicit DeclaredClasses(bool strict) : strict_(strict) {}
  // "" when st's current row holds the declared classes; otherwise "column
  // NAME holds a blob, declared TEXT (...)" for the first column that does
  // not.
  // Call before any accessor has converted the row's values (Text on a
  // blob changes what TypeOf says).  Reads the declared types of st's
  // columns on the first call: use one check per statement.
  std::string Mismatch(const Stmt& st);

 private:
  bool strict_;
  bool read_ = false;
  std::vector<std::pair<int, Stmt::Type>> expected_;  // column, class
};

class Db {
 public:
  // Opens (or creates, when create is true and the file is absent) an
  // SQLCipher database keyed with a raw 32-byte key, applies the settings of
  // DESIGN §5 and checks the key.  kWrongKey if the key does not open it.
  static Result<std::unique_ptr<Db>> Open(const std::string& path,
                                          const SecretBytes& key, bool create);
  ~Db();

  Status Exec(const char* sql);
  // One statement without rows through the statement cache (Prepare), so
  // that a statement run on every operation, such as a savepoint's, is
  // parsed once per connection and not on each sqlite3_exec.
  Status ExecCached(const char* sql);
  // A cached prepared statement, reset with bindings cleared.  The pointer
  // stays valid for the lifetime of the Db.  Not reentrant per SQL text.
  Result<Stmt*> Prepare(const char* sql);
  int64_t Changes() const;
  sqlite3* raw() const { return db_.get(); }
  // The database file's path ("" for a temporary or in-memory one).
  std::string path() const;

  // The most decrypted pages this connection keeps, in KiB (PRAGMA
  // cache_size).  Open sets kOperationCacheKiB; ScanCache lowers it.
  Status SetCacheKiB(int64_t kib);
  int64_t cache_kib() const { return cache_kib_; }

  // Key rekey (DESIGN §5), in three steps so that the caller can write the
  // new keyring while it holds the store alone:
  // - TakeExclusive checkpoints the WAL into the file, switches to the
  //   DELETE journal and takes an exclusive lock that it keeps (no other
  //   connection can read or write until ReleaseExclusive).  kBusy when
  //   another connection has the store open.
  // - Rekey re-encrypts every page under new_key in one transaction: a
  //   crash at any point leaves a rollback journal under the old key, which
  //   the next open with the old key plays back.
  // - ReleaseExclusive goes back to WAL and normal locking.
  Status TakeExclusive();
  Status Rekey(const SecretBytes& new_key);
  Status ReleaseExclusive();

 private:
  Db() = default;
  std::unique_ptr<sqlite3, SqliteCloser> db_;
  int64_t cache_kib_ = 0;
  // Declared after db_ so statements are finalised first.
  std::map<std::string, std::pair<std::unique_ptr<sqlite3_stmt, StmtFinalizer>,
                                  std::unique_ptr<Stmt>>,
           std::less<>>
      cache_;
};

// The page cache of a session's operations (DESIGN §11): 64 MiB, so that
// the index pages an operation steps through (the log's four indexes grow
// with every event) stay decrypted in memory up to about 10^6 events.  Pages
// are allocated as they are read, so a short-lived session pays only for
// what it reads.
inline constexpr int64_t kOperationCacheKiB = 64 * 1024;
// The page cache of a sequential pass over the whole store (audit verify):
// a scan reads each page once, so a large cache only raises the peak memory.
inline constexpr int64_t kScanCacheKiB = 8 * 1024;

// Lowers db's page cache to kScanCacheKiB for its lifetime (the pages
// beyond it are freed), then puts the previous size back.
class ScanCache {
 public:
  explicit ScanCache(Db* db);
  ~ScanCache();
  ScanCache(const ScanCache&) = delete;
  ScanCache& operator=(const ScanCache&) = delete;

 private:
  Db* db_;
  int64_t previous_kib_;
};

// Steps st to the end, calling fn at each row (read the columns from st);
// stops at the first error of a step or of fn and returns it.  Resets st
// in every case.
Status ForEachRow(Stmt* st, const std::function<Status()>& fn);

// Steps st to the end and returns its first column as text, one item per
// row; resets st.  For the one-column list queries (team names, guardian
// ids).
Result<std::vector<std::string>> TextColumn(Stmt* st);

// BEGIN IMMEDIATE on construction; rolls back on destruction unless
// Commit() succeeded.  Waits up to the busy timeout for other writers.
class Txn {
 public:
  static Result<std::unique_ptr<Txn>> Begin(Db* db);
  ~Txn();
  Status Commit();

 private:
  explicit Txn(Db* db) : db_(db) {}
  Db* db_;
  bool done_ = false;
};

// A SAVEPOINT inside the current transaction: Rollback() undoes what was
// written since it began and keeps the transaction open; Release() keeps
// it.  Destruction without either releases (keeps the writes).
// REQUIRES: a transaction is open.
class Savepoint {
 public:
  static Result<Savepoint> Begin(Db* db);
  Savepoint(Savepoint&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint();
  Status Rollback();
  Status Release();

 private:
  explicit Savepoint(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_DB_H_
