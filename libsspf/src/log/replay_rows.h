// The rows of the replayed tables as the replay check reads them
// (replay.cpp): live from a query, or kept by the check's first pass for a
// later partition's pass and read back from a sealed scratch file
// (log/scratch.h), so that each table is scanned once whatever the number
// of passes.
#ifndef SSPF_SRC_LOG_REPLAY_ROWS_H_
#define SSPF_SRC_LOG_REPLAY_ROWS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "log/scratch.h"
#include "sspf/status.h"
#include "sspf/types.h"
#include "storage/db.h"

namespace sspf::internal {

// A column digest kept instead of the column's bytes (an entry body as its
// commitment).
using ColumnDigest = std::string (*)(const std::vector<uint8_t>&);

// One row.  A kept row holds, per column, what each accessor of a live
// row returned when it was kept (the integer and the bytes, as SQLite
// converts them), so that a check reads the same values either way.
class ReplayRow {
 public:
  explicit ReplayRow(const Stmt* st) : st_(st) {}
  // A kept row from its encoding (AppendColumns); kInternal when malformed.
  static Status Parse(const uint8_t* p, size_t n, ReplayRow* out);
  ReplayRow() = default;

  bool live() const { return st_ != nullptr; }
  // Values of a kept row (its query's columns, then any appended).
  size_t kept_columns() const { return values_.size(); }

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::string Text(int col) const;
  Bytes Blob(int col) const;
  // digest(Blob(col)); for a kept row, the digest computed when it was
  // kept (AppendColumns with that column's digest).
  std::string Digest(int col, ColumnDigest digest) const;

 private:
  struct Value {
    bool null = true;
    int64_t i = 0;
    std::string_view bytes;
  };
  const Value* At(int col) const;

  const Stmt* st_ = nullptr;
  std::vector<Value> values_;
};

// Appends the encoding of the first `columns` columns of st's current row
// to *out; column digest_col (if >= 0 and not null) as digest(its blob).
void AppendColumns(const Stmt& st, int columns, int digest_col, ColumnDigest digest,
                   Bytes* out);

// The rows kept for later partitions: a sealed scratch file per partition
// (made when its first row comes), in it one segment per table.  A
// partition whose file could not be made or written is not kept: its pass
// runs the queries again.
class KeptRows {
 public:
  KeptRows(std::string dir, size_t partitions) : dir_(std::move(dir)), files_(partitions) {}

  // Keeps one row of table (a number of the check's) for partition part.
  void Add(size_t part, int table, const Bytes& record);
  // Ends table's segment in every file (after its query's last row).
  void EndTable(int table);
  // After the first pass: every table's rows were offered.
  void Complete() { complete_ = true; }
  // The rows of partition part are all kept and can be read back.
  bool Has(size_t part) const { return complete_ && part < files_.size() && !files_[part].bad; }
  // The kept rows of table for partition part, in query order.
  Status ForEach(size_t part, int table, const std::function<Status(const ReplayRow&)>& fn);

  uint64_t rows() const { return rows_; }

 private:
  struct File {
    std::unique_ptr<SealedScratch> scratch;
    std::map<int, std::pair<size_t, size_t>> segments;  // table -> chunks [first, end)
    size_t chunks = 0;  // sealed so far
    bool bad = false;
  };
  std::string dir_;
  std::vector<File> files_;
  bool complete_ = false;
  uint64_t rows_ = 0;
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_REPLAY_ROWS_H_
