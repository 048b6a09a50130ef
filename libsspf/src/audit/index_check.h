// B-tree integrity for audit verify (DESIGN §13): every index agrees with
// its table, and the page structure is sound.  PRAGMA integrity_check does
// this with one b-tree lookup per index per row, which on a large access log
// is random access into indexes far bigger than the page cache.  This check
// does the same work with sequential reads only: PRAGMA quick_check (page
// structure, NOT NULL) and, for every index, a keyed digest (the sum of
// SipHash-2-4 over rowid and key columns, each tagged integer, other bytes
// or NULL, with a random key per run) of one scan
// of its table against one scan of the index itself, plus the order of
// the index scan (each entry after the one before it, by key and then
// rowid, as SQLite sorts them; quick_check of SQLite 3.15 checks only the
// rowid order of tables) and adjacent-key duplicates of UNIQUE indexes.
// The order matters because decisions seek in the indexes: an index whose
// entries are all there but out of order (an insider can point an index's
// schema row at a b-tree built in another order) passes a digest, while a
// seek in it misses entries, the withdrawal of a consent say.  The events
// table's side is fed by verify's own pass over the events.  A schema this check does not
// know (an expression index, a secondary index of a WITHOUT ROWID table,
// events indexes other than the known ones, a DESC or COLLATE key column)
// falls back to integrity_check.
#ifndef SSPF_SRC_AUDIT_INDEX_CHECK_H_
#define SSPF_SRC_AUDIT_INDEX_CHECK_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "log/audit_log.h"
#include "log/replay.h"
#include "sspf/secret.h"
#include "storage/db.h"

namespace sspf::internal::audit {

class IndexCheck : public TableRowSink {
 public:
  // Reads the indexes of the schema.
  static Result<IndexCheck> Load(Db* db);

  // The table side of the events indexes: every event row once.
  void AddEvent(const EventRecord& e);

  // The table side of other tables' indexes from the replay check's scans
  // of whole tables (TableRowSink, log/replay.h): such a table is not
  // read again by Check.  Each row's digest is the same as Check's own
  // scan would give.
  std::vector<std::string> ColumnsOf(const std::string& table) override;
  void Row(const std::string& table, const Stmt& st, int first) override;
  void Complete(const std::string& table) override;
  // The tables whose side came from the replay's scans (for tests).
  const std::set<std::string>& tables_from_replay() const { return complete_; }

  // kIntegrityViolation naming the first index (and table) that disagrees,
  // or the first page-level finding.
  Status Check(Db* db);

  // True when the schema has an index this check does not know, so Check
  // runs PRAGMA integrity_check instead (correct, but slow: a lookup in
  // every index for every row).  The store's own schema never does.
  bool falls_back() const { return fallback_; }

 private:
  struct Index {
    std::string name, table, where;  // where: a partial index's condition, or ""
    std::vector<std::string> columns;
    bool unique = false;
    uint64_t table_sum = 0, table_rows = 0;
  };
  // One key column's value as hashed (Value), and as SQLite orders it
  // (its storage class, and a real's value: not hashed).
  struct Key {
    enum Kind : uint8_t { kNull = 0, kInteger = 1, kBytes = 2 };
    Kind kind = kNull;
    int64_t integer = 0;
    std::string_view bytes;
    Stmt::Type type = Stmt::Type::kNull;
    double real = 0;
    static Key Integer(int64_t v) { return Key{kInteger, v, {}, Stmt::Type::kInteger, 0}; }
    static Key Bytes(std::string_view b) { return Key{kBytes, 0, b, Stmt::Type::kText, 0}; }
    bool operator==(const Key& o) const {
      return kind == o.kind && integer == o.integer && bytes == o.bytes;
    }
  };
  // <0, 0, >0 as a is before, equal to or after b in an index with the
  // BINARY collation, ascending (NULL, numbers, text, blobs).
  static int Compare(const Key& a, const Key& b);
  IndexCheck() = default;
  // The hash of one index entry (or of the row it stands for).
  uint64_t Entry(int64_t rowid, const Key* values, size_t n);
  uint64_t Entry(int64_t rowid, std::initializer_list<Key> values);
  static Key Value(const Stmt* st, int col);
  // The result columns of a scan of table for the digests of its indexes
  // (rowid; then per index its key columns and its condition, or 1), the
  // indexes in *mine, their table sums reset; none when it has no index.
  std::vector<std::string> TableColumns(const std::string& table, std::vector<size_t>* mine);
  // Adds one row, its columns from `first` as TableColumns named them.
  void AddTableRow(const std::vector<size_t>& mine, const Stmt& st, int first);
  Status CheckTable(Db* db, const std::string& table);
  Status CheckIndex(Db* db, const Index& index);

  SecretBytes key_;
  std::string buf_;  // Entry's input, reused
  std::vector<Key> row_values_;  // AddTableRow's, reused
  std::map<std::string, std::vector<size_t>> sunk_;  // tables the replay reads for us
  std::set<std::string> complete_;  // ... and read to their end
  std::vector<Index> indexes_;
  bool fallback_ = false;  // PRAGMA integrity_check instead
  // Index positions of the known events indexes (KnownEventsIndexes).
  int events_case_ = -1, events_subject_ = -1, events_principal_ = -1, events_time_ = -1;
  int events_state_target_ = -1, events_case_consent_ = -1, events_trust_target_ = -1;
  int events_case_erase_ = -1;
  int events_lifecycle_target_ = -1;
  int events_case_open_ = -1;
};

// PRAGMA integrity_check (full = true) or quick_check as one violation line.
Status CheckBtreePragma(Db* db, bool full);

}  // namespace sspf::internal::audit

#endif  // SSPF_SRC_AUDIT_INDEX_CHECK_H_
