// sspf-bench: what its files share (main.cpp has the overview).
#ifndef SSPF_TOOLS_SSPF_BENCH_BENCH_H_
#define SSPF_TOOLS_SSPF_BENCH_BENCH_H_

#include <chrono>
#include <map>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "log/audit_log.h"
#include "log/merkle.h"
#include "util/bytes.h"
#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sspf::bench {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Progress on stderr when it is a terminal (SetProgressTty).
void SetProgressTty(bool tty);
void Progress(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void ProgressDone();

[[noreturn]] void Die(const std::string& what, const Status& s);
template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}
inline void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what, s);
}

std::string Fmt(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

struct Sizes {
  bool quick = false;
  // growth: the small store, out of the page cache like the big one, and
  // the tiny one, which fits in it (reported beside, not as the figure).
  uint64_t small_cases = 0, small_events = 0;
  uint64_t tiny_cases = 0, tiny_events = 0;
  uint64_t big_cases = 0, big_events = 0;      // everything else
  int durable_reads = 0;                       // audited_read, per side
  int batched_reads = 0;                       // batched_read, per side
  int queries = 0;                             // audit_query, per side
  int signatures = 0;                          // event_signature_*, bare side
};
Sizes SizesFor(bool quick);

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  double baseline = 0;
  double ratio = 0;
  std::string goal;  // e.g. ">= 0.7"; kNoGoal: informational, met is true
  bool met = false;
  std::string note;
};

inline constexpr char kNoGoal[] = "none";

SecretBytes FixedKey(uint8_t tag);

// ---- A populated store (world.cpp) ---------------------------------------------

struct World {
  std::string dir;
  StoreOptions options;
  std::optional<Session> admin, coord, school, auditor;
  // Parallel, one element per entry: its case and subject (a case with
  // several entries appears several times).
  std::vector<std::string> case_ids, subject_ids, entry_ids;
  uint64_t cases = 0;

  Session Open(const char* name, uint8_t key_tag);
};

constexpr uint8_t kAdminKey = 1, kCoordKey = 2, kSchoolKey = 3, kAuditorKey = 4;

uint64_t LogSizeOf(Session& s);

// Builds a store with `cases` subjects/cases (one 1 KiB school entry each)
// and then fills the log up to `events` events through the library's own
// append path, inside big transactions.
void Build(World* w, const std::string& dir, uint64_t cases, uint64_t events,
           const char* label);
// The store with its admin, coordinator, school member and auditor.
void CreateWorld(World* w, const std::string& dir);
// Adds subjects and cases until the store has `cases`, each new case with
// entries_per_case 1 KiB school entries, in batches.
void AddCases(World* w, uint64_t cases, int entries_per_case, const char* label);
// Appends read events (by the school principal, about random entries)
// until the log holds `events` events.
void FillLog(World* w, uint64_t events, const char* label, uint64_t seed);

// ---- SHA-256 over the leaves (hashes.cpp) ------------------------------------------

struct Leaves {
  std::vector<uint8_t> bytes;     // all leaves, back to back
  std::vector<uint64_t> offsets;  // n + 1
  size_t count() const { return offsets.empty() ? 0 : offsets.size() - 1; }
};
Leaves CollectLeaves(Session& s);

using Hash = internal::Hash;
// The RFC 6962 root over the leaves (n leaf and n - 1 node hashes, O(log n)
// memory: the least a verifier must compute) with libsodium's SHA-256, and
// with OpenSSL's.
Hash SodiumRoot(const Leaves& l);
#ifdef SSPF_BENCH_HAVE_OPENSSL
Hash OpensslRoot(const Leaves& l);
#endif

// ---- log_verify's same-work baseline (same_work.cpp) ---------------------------

// Each signer's Ed25519 public key: the latest certificate of every
// principal, and the store authority's key (read before the timing).
using SigningKeys = std::map<std::string, internal::Bytes>;
SigningKeys LoadSigningKeys(Session& s, sqlite3* db);

// The 14 columns of an events row (seq, time, ... detail, in the table's
// order) from column `first` of r.
void ReadEventColumns(sqlite3_stmt* r, int first, internal::EventRecord* e);

// What a bare verifier of the whole log must do, on the store's own
// connection: every event, leaf hash and signature, every interior node.
struct BareVerify {
  uint64_t events = 0, nodes = 0;
  Hash root{};
};
// nullopt (printed on stderr) when the log does not verify.
std::optional<BareVerify> BareVerifyLog(Session& s, sqlite3* db, const SigningKeys& keys);

// The log in memory, for the physical floor: the leaves, each event's
// signature and its signer's key.
struct InMemoryLog {
  Leaves leaves;
  internal::Bytes store_id;
  std::vector<internal::Bytes> signatures;
  std::vector<const internal::Bytes*> public_keys;  // into a SigningKeys; null if unknown
};
InMemoryLog CollectSignedLeaves(Session& s, sqlite3* db, const SigningKeys& keys);
// Leaf hashes, signature checks and the root over memory; nullopt when a
// signature fails.
std::optional<Hash> InMemoryVerify(const InMemoryLog& m);

// ---- Peak RSS of Verify in a child process (rss.cpp) ----------------------------

// Child mode (--verify-child PATH).
int VerifyChild(const std::string& path, bool incremental = false);

struct RssResult {
  double hwm_mib = 0, before_mib = 0, child_maxrss_mib = 0;
  double verify_s = 0;     // the child's full Verify, wall time
  uint64_t tree_size = 0;  // events it verified
};
RssResult MeasureVerifyRss(const std::string& path);

// ---- The scale run (scale.cpp) -----------------------------------------------

// sspf-bench --scale: builds the store in stages up to top_events events
// (10 events per entry, 10 entries per case), measures per-operation costs,
// disk use, full and incremental Verify and Verify's peak RSS at each stage.
int ScaleRun(const std::string& dir, uint64_t top_events, bool json,
             const std::string& command);

// ---- Output (report.cpp) ---------------------------------------------------------

// s as the inside of a JSON string.
std::string JsonEscape(const std::string& s);
using Machine = std::vector<std::pair<std::string, std::string>>;
Machine DescribeMachine(const std::string& dir, sqlite3* db);
void PrintReport(bool json, const std::vector<Figure>& figs, const Machine& machine,
                 const std::string& command, const std::string& mode,
                 const std::string& sizes_note);

}  // namespace sspf::bench

#endif  // SSPF_TOOLS_SSPF_BENCH_BENCH_H_
