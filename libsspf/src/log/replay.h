// The replay check: rebuilds principal, subject, guardian, case-team, consent, disclosure,
// entry and grant state from the access log's replay details
// (log/replay_detail.h) and compares it with the tables (DESIGN §5, §6:
// the defence against page replay and direct edits).
#ifndef SSPF_SRC_LOG_REPLAY_H_
#define SSPF_SRC_LOG_REPLAY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/secret.h"
#include "sspf/types.h"
#include "log/audit_log.h"
#include "storage/db.h"

namespace sspf::internal {

// Rebuilds state from the log and compares with the tables.  lookup_key is
// the store's blind-index key, which subject.add commitments are made with
// (replay_detail.h, SubjectCommitment).
// kIntegrityViolation naming the first mismatch.
//
// Memory: at most fact_budget facts of 24 bytes (and a byte each) are held
// at once; above it the ids are split into partitions, each checked in a
// pass of its own (replay.cpp).  *stats, when given, receives how many
// passes were made and how many facts went to the scratch file.
inline constexpr size_t kDefaultFactBudget = size_t{1} << 18;  // 6 MiB

// How far before its case.close event a case's closing time (cases.closed)
// may lie: a store closed before 2026-12-04 read the clock once for the row
// and once for the event (domain/cases.cpp now reads it once for both).
// The replay check and retention (domain/retention.cpp) hold rows to it.
inline constexpr int64_t kCaseClosedSlack = 60;

// Where a later partition's facts come from.  kFile: the first pass over
// the events keeps them in a sealed scratch file beside the store
// (log/scratch.h), so that the events are read once whatever the number of
// passes; when the file cannot be made or written, as kRescan.  kRescan:
// each pass reads the events again (the tests check both give the same
// verdicts).
enum class ReplayScratch { kFile, kRescan };

struct ReplayStats {
  uint64_t partitions = 0;     // passes over the tables
  uint64_t scratch_facts = 0;  // facts kept in the scratch file for later passes
  uint64_t kept_rows = 0;      // table rows the first pass kept for later passes
};

Status ReplayCheck(Db* db, const SecretBytes& lookup_key,
                   size_t fact_budget = kDefaultFactBudget, ReplayStats* stats = nullptr,
                   ReplayScratch scratch = ReplayScratch::kFile);

// A check that reads some of the replayed tables whole (audit verify's
// index check, for its table digests).  The replay's first pass reads each
// of subjects, cases, case_team and entries in one scan of its own b-tree
// (NOT INDEXED), with the sink's result columns after its own, and gives
// the sink every row of it once; so each table is read once for both.
class TableRowSink {
 public:
  virtual ~TableRowSink() = default;
  // The result columns (SQL expressions) the sink reads from table; none
  // when it has no use for the table.
  virtual std::vector<std::string> ColumnsOf(const std::string& table) = 0;
  // One row of table; the sink's columns begin at result column `first`.
  virtual void Row(const std::string& table, const Stmt& st, int first) = 0;
  // The scan of table went to its end: every row was given.  A table never
  // completed (the replay stopped at a finding, say) must be read by the
  // sink itself.
  virtual void Complete(const std::string& table) = 0;
};

// The same check fed by a caller that reads every event row anyway (audit
// verify), so the events table is read once: Add every event in seq order,
// then Finish compares with the tables (and makes any further partition's
// pass itself).  Same memory as ReplayCheck.  lookup_key must outlive it.
class ReplayStream {
 public:
  static Result<std::unique_ptr<ReplayStream>> New(Db* db, const SecretBytes& lookup_key,
                                                   size_t fact_budget = kDefaultFactBudget,
                                                   ReplayScratch scratch = ReplayScratch::kFile);
  ~ReplayStream();
  // kIntegrityViolation naming e when its detail is malformed.
  Status Add(const EventRecord& e);
  // sink, when given, sees the first pass's whole-table scans (above).
  Status Finish(TableRowSink* sink = nullptr);

 private:
  struct Impl;
  explicit ReplayStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The partition (of `partitions`, a power of two, as ReplayStats gives
// them) whose pass checks the rows of this id: for tests that aim an edit
// at a later pass.
uint64_t ReplayPartitionOf(std::string_view id, uint64_t partitions);

// The replay check's parse of one allowed event's detail alone, before any
// comparison with the tables (for the fuzz target): kInvalidArgument when
// the detail of action a is malformed; the replay check reports that as an
// integrity violation naming the event.
Status CheckReplayDetail(Action a, std::string_view detail);

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_REPLAY_H_
