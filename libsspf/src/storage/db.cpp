#include "storage/db.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>

#include "storage/page_cipher.h"
#include "util/encoding.h"

namespace sspf::internal {

void SqliteCloser::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}
void StmtFinalizer::operator()(sqlite3_stmt* st) const noexcept {
  sqlite3_finalize(st);
}

namespace {

// The store's own triggers (storage/schema.cpp): each keeps a table that
// libsspf only appends to from being updated or deleted from.
constexpr const char* kOwnTriggers[] = {
    "events_no_update",           "events_no_delete",
    "tree_no_update",             "tree_no_delete",
    "consents_no_update",         "consents_no_delete",
    "event_signatures_no_update", "event_signatures_no_delete",
    "erasures_no_update",         "erasures_no_delete"};

// The trigger or view the authorizer refused last on this thread, for the
// message of the statement that failed (SqliteStatus).
thread_local std::string t_refused;

// The authorizer of every store connection (Db::Open).  A statement that
// libsspf prepares never runs a trigger's code or reads through a view:
// the schema has no views, and its own triggers guard tables it never
// updates or deletes from.  An insider with the SQLCipher key can add a
// trigger to the schema, and SQLite would run it inside another
// principal's statements: drop her event with RAISE(IGNORE), delete the
// consent withdrawal she just wrote (DESIGN §13).  So any access made from
// inside a trigger or view is refused while the statement is prepared,
// before anything runs; a cached statement is prepared again, and so
// checked again, when the schema changes.
int RefuseTriggersAndViews(void*, int, const char*, const char*, const char*,
                           const char* inner) {
  if (inner == nullptr) return SQLITE_OK;
  t_refused = inner;
  return SQLITE_DENY;
}

bool OwnTrigger(const std::string& name) {
  return std::any_of(std::begin(kOwnTriggers), std::end(kOwnTriggers),
                     [&](const char* t) { return name == t; });
}

}  // namespace

std::string ShownSchemaName(const std::string& name) {
  const bool plain = !name.empty() && name.size() <= 64 &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                     });
  return plain ? name : "(name not shown)";
}

Status SqliteStatus(int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_AUTH:
      // Only RefuseTriggersAndViews refuses anything.
      if (OwnTrigger(t_refused)) {
        return IntegrityViolation(
            std::string(what) + ": it would run trigger " + t_refused +
            ", which guards a table that only grows; no libsspf statement runs it unless it "
            "was redefined with SQL: the statement was not run; report it to the store's "
            "auditor");
      }
      return IntegrityViolation(
          std::string(what) + ": the store's schema has a trigger or view " +
          ShownSchemaName(t_refused) +
          " that libsspf does not make, and it would run inside this statement (added with "
          "SQL by someone with the store key): the statement was not run; report it to the "
          "store's auditor");
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
      return Status::Ok();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Busy(msg + " (another process is writing; retry)");
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return IoError(msg);
    case SQLITE_NOTADB:
      return WrongKey("wrong passphrase or not an sspf store");
    case SQLITE_CORRUPT:
      // SQLCipher checks each page's HMAC: a flipped byte, or an old page
      // that no longer fits the b-tree around it, shows up here.
      return IntegrityViolation(msg + " (the store file is damaged: a page fails its "
                                      "authentication or does not fit its b-tree)");
    case SQLITE_CONSTRAINT:
      return FailedPrecondition(msg);
    default:
      return Internal(msg);
  }
}

Stmt& Stmt::Bind(int i, int64_t v) {
  int rc = sqlite3_bind_int64(st_, i, v);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(rc, "bind");
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view text) {
  int rc = sqlite3_bind_text(st_, i, text.data(), static_cast<int>(text.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(rc, "bind");
  return *this;
}
Stmt& Stmt::BindBlob(int i, const uint8_t* p, size_t n) {
  static const uint8_t kEmpty = 0;
  int rc = sqlite3_bind_blob(st_, i, n == 0 ? &kEmpty : p, static_cast<int>(n),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(rc, "bind");
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  int rc = sqlite3_bind_null(st_, i);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(rc, "bind");
  return *this;
}

namespace {

// The first table a statement names (after FROM, INTO or UPDATE), so that a
// damaged page is reported with the table it was read for.  Our own SQL
// only: it holds no values.
std::string TableOf(const char* sql) {
  const std::string text = sql ? sql : "";
  size_t best = std::string::npos;
  for (const char* kw : {"FROM ", "INTO ", "UPDATE "}) {
    size_t p = text.find(kw);
    if (p != std::string::npos && (best == std::string::npos || p < best)) {
      best = p + std::char_traits<char>::length(kw);
    }
  }
  if (best == std::string::npos) return "";
  size_t end = best;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '_')) {
    ++end;
  }
  return text.substr(best, end - best);
}

}  // namespace

Result<bool> Stmt::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int code = sqlite3_extended_errcode(sqlite3_db_handle(st_));
  std::string what = "store query failed";
  if ((code & 0xff) == SQLITE_CORRUPT) {
    const std::string table = TableOf(sqlite3_sql(st_));
    if (!table.empty()) what += " reading table " + table;
  }
  Status s = SqliteStatus(code, what);
  sqlite3_reset(st_);
  return s.ok() ? Internal("store query failed") : s;
}

Status Stmt::Run() {
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(st_, col); }
std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}
Bytes Stmt::Blob(int col) const {
  const uint8_t* p = static_cast<const uint8_t*>(sqlite3_column_blob(st_, col));
  int n = sqlite3_column_bytes(st_, col);
  return p ? Bytes(p, p + n) : Bytes();
}
std::string_view Stmt::TextView(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}
std::string_view Stmt::BlobView(int col) const {
  const void* p = sqlite3_column_blob(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}
bool Stmt::IsNull(int col) const {
  return sqlite3_column_type(st_, col) == SQLITE_NULL;
}
int Stmt::Columns() const { return sqlite3_column_count(st_); }
bool Stmt::IsInteger(int col) const {
  return sqlite3_column_type(st_, col) == SQLITE_INTEGER;
}
std::string_view Stmt::DeclaredType(int col) const {
  const char* t = sqlite3_column_decltype(st_, col);
  return t ? std::string_view(t) : std::string_view();
}

std::string_view Stmt::ColumnName(int col) const {
  const char* n = sqlite3_column_name(st_, col);
  return n ? std::string_view(n) : std::string_view();
}

namespace {

const char* ClassName(Stmt::Type t) {
  switch (t) {
    case Stmt::Type::kInteger: return "an integer";
    case Stmt::Type::kReal: return "a real";
    case Stmt::Type::kText: return "text";
    case Stmt::Type::kBlob: return "a blob";
    case Stmt::Type::kNull: return "NULL";
  }
  return "?";
}

const char* DeclaredName(Stmt::Type t) {
  switch (t) {
    case Stmt::Type::kInteger: return "INTEGER";
    case Stmt::Type::kText: return "TEXT";
    case Stmt::Type::kBlob: return "BLOB";
    default: return "?";
  }
}

}  // namespace

std::string DeclaredClasses::Mismatch(const Stmt& st) {
  if (!read_) {
    read_ = true;
    for (int c = 0; c < st.Columns(); ++c) {
      const std::string_view t = st.DeclaredType(c);
      if (t == "INTEGER") expected_.emplace_back(c, Stmt::Type::kInteger);
      else if (t == "TEXT") expected_.emplace_back(c, Stmt::Type::kText);
      else if (t == "BLOB") expected_.emplace_back(c, Stmt::Type::kBlob);
    }
  }
  for (const auto& [col, want] : expected_) {
    const Stmt::Type got = st.TypeOf(col);
    if (got == want || (got == Stmt::Type::kNull && !strict_)) continue;
    return "column " + std::string(st.ColumnName(col)) + " holds " + ClassName(got) +
           ", declared " + DeclaredName(want) +
           " (its storage class was changed with SQL: filters on the column miss the row)";
  }
  return "";
}

Stmt::Type Stmt::TypeOf(int col) const {
  switch (sqlite3_column_type(st_, col)) {
    case SQLITE_INTEGER: return Type::kInteger;
    case SQLITE_FLOAT: return Type::kReal;
    case SQLITE_TEXT: return Type::kText;
    case SQLITE_BLOB: return Type::kBlob;
    default: return Type::kNull;
  }
}
double Stmt::Real(int col) const { return sqlite3_column_double(st_, col); }
void Stmt::Reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
  bind_error_ = Status::Ok();
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path,
                                     const SecretBytes& key, bool create) {
  if (key.size() != 32) return Internal("store key has the wrong size");
  std::unique_ptr<Db> db(new Db());
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
              (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  db->db_.reset(handle);  // owns the handle even when the open failed
  if (rc != SQLITE_OK) return SqliteStatus(rc, "cannot open the store");
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, 10000);
  // No trigger or view runs inside the store's own statements.
  sqlite3_set_authorizer(handle, RefuseTriggersAndViews, nullptr);

  // The same page cipher with its OpenSSL contexts kept (page_cipher.h);
  // SQLCipher copies the registered provider when the key attaches its codec.
  UsePreparedPageCipher();
  // Raw key, never SQLCipher's own passphrase KDF: "x'<64 hex>'".
  std::string hex =
      HexEncode(key.data(InsecureSecretAccess::Get()), key.size());
  std::string blob = "x'" + hex + "'";
  rc = sqlite3_key(handle, blob.data(), static_cast<int>(blob.size()));
  SecureWipe(hex.data(), hex.size());
  SecureWipe(blob.data(), blob.size());
  if (rc != SQLITE_OK) return SqliteStatus(rc, "cannot key the store");
  // 4 KiB pages (SQLCipher 4's default; 3.x defaults to 1 KiB): a quarter of
  // the per-page decrypt/HMAC work for scans and shallower B-trees.  Must be
  // the same on every open of the store, so it is fixed here.
  SSPF_RETURN_IF_ERROR(db->Exec("PRAGMA cipher_page_size = 4096"));
  // The decrypted page cache of a session's operations (db.h).
  SSPF_RETURN_IF_ERROR(db->SetCacheKiB(kOperationCacheKiB));

  // A wrong key only shows on the first read (SQLITE_NOTADB).
  {
    Result<Stmt*> st = db->Prepare("PRAGMA cipher_version");
    if (!st.ok()) return WrongKey("wrong passphrase or not an sspf store");
    Result<bool> row = (*st)->Step();
    if (!row.ok() || !*row) {
      return WrongKey("wrong passphrase or not an sspf store (no SQLCipher)");
    }
    (*st)->Reset();
  }
  Status s = db->Exec("SELECT count(*) FROM sqlite_master");
  if (!s.ok()) {
    if (s.code() == StatusCode::kIoError || s.code() == StatusCode::kBusy) return s;
    return WrongKey("wrong passphrase or not an sspf store");
  }
  SSPF_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  SSPF_RETURN_IF_ERROR(db->Exec("PRAGMA secure_delete = ON"));
  SSPF_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store = MEMORY"));
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("PRAGMA journal_mode = WAL"));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row || st->Text(0) != "wal") {
      st->Reset();
      return IoError("cannot switch the store to WAL mode (read-only directory?)");
    }
    st->Reset();
  }
  SSPF_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL"));
  return db;
}

Db::~Db() = default;

std::string Db::path() const {
  const char* p = sqlite3_db_filename(db_.get(), "main");
  return p ? p : "";
}

Status Db::SetCacheKiB(int64_t kib) {
  // Negative: a size in KiB, not pages.
  const std::string sql = "PRAGMA cache_size = -" + std::to_string(kib);
  SSPF_RETURN_IF_ERROR(Exec(sql.c_str()));
  cache_kib_ = kib;
  return Status::Ok();
}

ScanCache::ScanCache(Db* db) : db_(db), previous_kib_(db->cache_kib()) {
  // Best effort: a cache that stays large costs memory, not correctness.
  (void)db_->SetCacheKiB(std::min(previous_kib_, kScanCacheKiB));
}

ScanCache::~ScanCache() { (void)db_->SetCacheKiB(previous_kib_); }

namespace {

// Runs a journal_mode pragma and checks the mode it reports.
Status JournalMode(Db* db, const char* sql, const char* want) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  const bool ok = row && st->Text(0) == want;
  st->Reset();
  if (!ok) {
    return Busy("another session has the store open; close every other session "
                "(every sspf-tool process, and agents: sspf-tool lock) of this store, then retry");
  }
  return Status::Ok();
}

}  // namespace

Status Db::TakeExclusive() {
  SSPF_RETURN_IF_ERROR(Exec("PRAGMA locking_mode = EXCLUSIVE"));
  Status s = Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  if (s.ok()) s = JournalMode(this, "PRAGMA journal_mode = DELETE", "delete");
  // The lock is taken by the first write and kept from then on.
  if (s.ok()) s = Exec("BEGIN EXCLUSIVE");
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok()) {
    ReleaseExclusive().IgnoreError();
    if (s.code() == StatusCode::kBusy) {
      return Busy("another session has the store open; close every other session "
                  "(every sspf-tool process, and agents: sspf-tool lock) of this store, then retry");
    }
  }
  return s;
}

Status Db::Rekey(const SecretBytes& new_key) {
  if (new_key.size() != 32) return Internal("store key has the wrong size");
  std::string hex = HexEncode(new_key.data(InsecureSecretAccess::Get()), new_key.size());
  std::string blob = "x'" + hex + "'";
  int rc = sqlite3_rekey(db_.get(), blob.data(), static_cast<int>(blob.size()));
  SecureWipe(hex.data(), hex.size());
  SecureWipe(blob.data(), blob.size());
  if (rc != SQLITE_OK) return SqliteStatus(rc, "cannot rekey the store");
  // sqlite3_rekey reports some failures only through the next read.
  return Exec("SELECT count(*) FROM sqlite_master");
}

Status Db::ReleaseExclusive() {
  Status s = JournalMode(this, "PRAGMA journal_mode = WAL", "wal");
  Status n = Exec("PRAGMA locking_mode = NORMAL");
  // Normal locking takes effect at the next access.
  Status r = Exec("SELECT count(*) FROM sqlite_master");
  if (!s.ok()) return IoError("cannot switch the store back to WAL mode");
  return n.ok() ? r : n;
}

Status Db::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) {
    return SqliteStatus(sqlite3_extended_errcode(db_.get()), "store statement failed");
  }
  return Status::Ok();
}

Status Db::ExecCached(const char* sql) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, Prepare(sql));
  Status s = st->Run();
  st->Reset();
  return s;
}

Result<Stmt*> Db::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second.second->Reset();
    return it->second.second.get();
  }
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql, -1, &st, nullptr);
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> owned(st);
  if (rc != SQLITE_OK) return SqliteStatus(rc, "cannot prepare store statement");
  auto stmt = std::make_unique<Stmt>(st);
  Stmt* raw = stmt.get();
  cache_.emplace(sql, std::make_pair(std::move(owned), std::move(stmt)));
  return raw;
}

int64_t Db::Changes() const { return sqlite3_changes(db_.get()); }

Result<std::unique_ptr<Txn>> Txn::Begin(Db* db) {
  SSPF_RETURN_IF_ERROR(db->ExecCached("BEGIN IMMEDIATE"));
  return std::unique_ptr<Txn>(new Txn(db));
}

Txn::~Txn() {
  if (!done_) db_->Exec("ROLLBACK").IgnoreError();
}

Status Txn::Commit() {
  Status s = db_->ExecCached("COMMIT");
  if (s.ok()) {
    done_ = true;
  }
  return s;
}

Result<Savepoint> Savepoint::Begin(Db* db) {
  SSPF_RETURN_IF_ERROR(db->ExecCached("SAVEPOINT sspf_op"));
  return Savepoint(db);
}

Savepoint::~Savepoint() {
  if (db_) db_->ExecCached("RELEASE sspf_op").IgnoreError();
}

Status Savepoint::Rollback() {
  Db* db = db_;
  db_ = nullptr;
  SSPF_RETURN_IF_ERROR(db->ExecCached("ROLLBACK TO sspf_op"));
  return db->ExecCached("RELEASE sspf_op");
}

Status Savepoint::Release() {
  Db* db = db_;
  db_ = nullptr;
  return db->ExecCached("RELEASE sspf_op");
}

Status ForEachRow(Stmt* st, const std::function<Status()>& fn) {
  Status s;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) {
      s = row.status();
      break;
    }
    if (!*row) break;
    s = fn();
    if (!s.ok()) break;
  }
  st->Reset();
  return s;
}

Result<std::vector<std::string>> TextColumn(Stmt* st) {
  std::vector<std::string> out;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&] {
    out.push_back(st->Text(0));
    return Status::Ok();
  }));
  return out;
}

}  // namespace sspf::internal
