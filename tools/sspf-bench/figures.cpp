// sspf-bench: the figures of DESIGN §11, each beside its bare baseline.
#include "figures.h"

#include <sqlite3.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "session/bench_access.h"
#include "storage/db.h"

namespace sspf::bench {
namespace {

struct Timing {
  double sspf_s = 0, bare_s = 0;
};

enum class Goal { kAtLeast, kAtMost };

// A figure with its two measured sides and ratio value / baseline.
Figure Measured(const char* name, const char* unit, double value, double baseline,
                std::string note) {
  Figure f;
  f.name = name;
  f.unit = unit;
  f.value = value;
  f.baseline = baseline;
  f.ratio = f.value / f.baseline;
  f.note = std::move(note);
  return f;
}

// A figure measured as the ratio value / baseline, met when the ratio is at
// least (or at most) limit.
Figure RatioFigure(const char* name, const char* unit, double value, double baseline, Goal goal,
                   double limit, std::string note) {
  Figure f = Measured(name, unit, value, baseline, std::move(note));
  f.goal = Fmt("%s %g", goal == Goal::kAtLeast ? ">=" : "<=", limit);
  f.met = goal == Goal::kAtLeast ? f.ratio >= limit : f.ratio <= limit;
  return f;
}

// An informational figure (no DESIGN goal): ratio = baseline / value, the
// share of value that the bare operation accounts for.
Figure ShareFigure(const char* name, const char* unit, double value, double baseline,
                   std::string note) {
  Figure f = Measured(name, unit, value, baseline, std::move(note));
  f.ratio = baseline / value;
  f.goal = kNoGoal;
  f.met = true;
  return f;
}

}  // namespace

Figures::Figures(const Sizes& sz, World& tiny, World& small, World& big, Bare& bare,
                 Bare& audit_bare)
    : sz_(sz), tiny_(tiny), small_(small), big_(big), bare_(bare), audit_bare_(audit_bare) {
  // None with --verify-only.
  tiny_n_ = tiny.school ? LogSizeOf(*tiny.school) : 0;
  small_n_ = small.school ? LogSizeOf(*small.school) : 0;
  big_desc_ = Fmt("%" PRIu64 " events, %zu cases/entries", LogSizeOf(*big.school),
                  big.case_ids.size());
}

size_t Figures::Pick(const World& w, size_t among) {
  return static_cast<size_t>(rng_() % std::min(among, w.entry_ids.size()));
}

void Figures::ReadEach(World& w, size_t n) {
  Must(w.school->BeginBatch(), "begin batch");
  for (size_t k = 0; k < std::min(n, w.entry_ids.size()); ++k) {
    Must(w.school->ReadEntry(w.entry_ids[k], "control").status(), "read entry");
  }
  Must(w.school->CommitBatch(), "commit batch");
}

// batched_read and growth: many reads in one batch; with b, the same reads
// bare in one write transaction, each appending its event as the library
// does (*bare_s, LogWork::kSigned), then again appending the row alone
// (*floor_s, LogWork::kRowOnly).
double Figures::Batched(World& w, Bare* b, int reads, double* bare_s, double* floor_s,
                        size_t among) {
  std::vector<size_t> ks(static_cast<size_t>(reads));
  for (auto& k : ks) k = Pick(w, among);
  auto a = Clock::now();
  Must(w.school->BeginBatch(), "begin batch");
  for (size_t k : ks) {
    Must(w.school->ReadEntry(w.entry_ids[k], "control").status(), "read entry");
  }
  Must(w.school->CommitBatch(), "commit batch");
  auto m = Clock::now();
  if (b) {
    for (LogWork work : {LogWork::kSigned, LogWork::kRowOnly}) {
      b->set_log_work(work);
      for (auto& k : ks) k = Pick(w, among);
      auto c = Clock::now();
      RawExec(b->db(), "BEGIN IMMEDIATE");
      for (size_t k : ks) {
        b->Read(w.entry_ids[k]);
        b->Insert(w.entry_ids[k], w.case_ids[k], w.subject_ids[k]);
      }
      RawExec(b->db(), "COMMIT");
      *(work == LogWork::kSigned ? bare_s : floor_s) = Seconds(c, Clock::now());
    }
    b->set_log_work(LogWork::kSigned);
  }
  return Seconds(a, m);
}

namespace {

// What the same-work baseline checks of the entry read, for the notes.
constexpr const char* kSameWorkCheck =
    "the entry's entry.add event read through events_state_target, its leaf hashed and "
    "its Ed25519 signature checked the first time (the library's session keeps the "
    "events it verified)";

// What the same-work baseline appends for each event, for the notes.
constexpr const char* kSameWorkAppend =
    "the events row into bare_events (the events table's shape, indexes and size), its "
    "leaf hash, an Ed25519 signature row into bare_event_signatures and the Merkle nodes "
    "it completes into bare_tree_nodes (copies of event_signatures and tree_nodes)";

// The floor line of a figure: the same library time against the baseline
// whose log append is the events row alone (the figure before events were
// signed and the baselines did the same work); no goal.
Figure FloorFigure(const char* name, const char* unit, double value, double floor,
                   bool per_second, std::string note) {
  Figure f;
  f.name = name;
  f.unit = unit;
  f.value = value;
  f.baseline = floor;
  f.ratio = value / floor;
  f.goal = kNoGoal;
  f.met = true;
  f.note = std::move(note) + (per_second ? "; ratio = value / baseline (higher is better)"
                                         : "; ratio = value / baseline (lower is better)");
  return f;
}

}  // namespace

// (1) audited_read: durable, one transaction per read.  Interleaved in
// rounds so that the three sides see the same disk weather.
std::vector<Figure> Figures::AuditedRead() {
  double sspf_s = 0, bare_s = 0, floor_s = 0;
  const int kRound = 25;
  for (int done = 0; done < sz_.durable_reads; done += kRound) {
    auto a = Clock::now();
    for (int i = 0; i < kRound; ++i) {
      size_t k = Pick(big_);
      Must(big_.school->ReadEntry(big_.entry_ids[k], "control").status(), "read entry");
    }
    sspf_s += Seconds(a, Clock::now());
    for (LogWork work : {LogWork::kSigned, LogWork::kRowOnly}) {
      bare_.set_log_work(work);
      auto b = Clock::now();
      for (int i = 0; i < kRound; ++i) {
        size_t k = Pick(big_);
        bare_.DurableRead(big_.entry_ids[k], big_.case_ids[k], big_.subject_ids[k]);
      }
      (work == LogWork::kSigned ? bare_s : floor_s) += Seconds(b, Clock::now());
    }
    bare_.set_log_work(LogWork::kSigned);
    Progress("audited_read: %d/%d", done + kRound, sz_.durable_reads);
  }
  ProgressDone();
  const double n = std::ceil(sz_.durable_reads / double(kRound)) * kRound;
  durable_read_s_ = sspf_s / n;
  std::vector<Figure> out;
  out.push_back(RatioFigure(
      "audited_read", "reads/s", n / sspf_s, n / bare_s, Goal::kAtLeast, 0.8,
      Fmt("%.0f ReadEntry calls, each its own transaction with a durable commit "
          "(WAL, synchronous=FULL), vs the same work written directly on the same "
          "connection: SELECT+unseal+decrypt, %s, then %s, COMMIT; store of %s; %.2f ms "
          "vs %.2f ms per read",
          n, kSameWorkCheck, kSameWorkAppend, big_desc_.c_str(), 1e3 * sspf_s / n,
          1e3 * bare_s / n)));
  out.push_back(FloorFigure(
      "audited_read_floor", "reads/s", n / sspf_s, n / floor_s, true,
      Fmt("floor: the same ReadEntry calls vs SELECT+unseal+decrypt+INSERT of the events "
          "row alone+COMMIT (no signature made or checked, no Merkle nodes); %.2f ms per "
          "read",
          1e3 * floor_s / n)));
  return out;
}

// (2) batched_read: many reads in one batch.
std::vector<Figure> Figures::BatchedRead() {
  Progress("batched_read");
  double bare_s = 0, floor_s = 0;
  Batched(big_, &bare_, sz_.batched_reads / 10, &bare_s, &floor_s);  // warm the caches
  double sspf_s = Batched(big_, &bare_, sz_.batched_reads, &bare_s, &floor_s);
  ProgressDone();
  batched_read_s_ = sspf_s / sz_.batched_reads;
  const double n = sz_.batched_reads;
  std::vector<Figure> out;
  out.push_back(RatioFigure(
      "batched_read", "reads/s", n / sspf_s, n / bare_s, Goal::kAtLeast, 0.7,
      Fmt("%d ReadEntry calls in one BeginBatch/CommitBatch (decision, unseal, "
          "decrypt, log append) vs the same work written directly in one write "
          "transaction: point SELECT+unseal+decrypt, %s, then %s; store of %s; %.1f us "
          "vs %.1f us per read",
          sz_.batched_reads, kSameWorkCheck, kSameWorkAppend, big_desc_.c_str(),
          1e6 * sspf_s / n, 1e6 * bare_s / n)));
  out.push_back(FloorFigure(
      "batched_read_floor", "reads/s", n / sspf_s, n / floor_s, true,
      Fmt("floor: the same batch vs point SELECT+unseal+decrypt+INSERT of the events row "
          "alone (no signature made or checked, no Merkle nodes); %.1f us per read",
          1e6 * floor_s / n)));
  return out;
}

// (3) audit_query: by case, latency.  Each side queries its own random
// cases, so that none finds in the page cache what another side has just
// read (a second query of a case costs half the first); the three are
// interleaved to share the disk weather.  Both bare sides are first checked
// to return the library's rows for one case, untimed.
std::optional<std::vector<Figure>> Figures::AuditQuery() {
  auto pick = [&] { return static_cast<size_t>(rng_() % big_.case_ids.size()); };
  {
    AuditFilter flt;
    flt.case_id = big_.case_ids[pick()];
    const size_t lib_rows = Must(big_.auditor->QueryEvents(flt), "query events").size();
    for (LogWork work : {LogWork::kSigned, LogWork::kRowOnly}) {
      audit_bare_.set_log_work(work);
      const size_t n = audit_bare_.Query(*flt.case_id);
      if (n != lib_rows) {
        std::fprintf(stderr, "sspf-bench: QueryEvents returned %zu rows, bare %zu\n",
                     lib_rows, n);
        return std::nullopt;
      }
    }
  }
  double sspf_s = 0, bare_s = 0, floor_s = 0;
  size_t rows = 0, bare_rows = 0, floor_rows = 0;
  for (int i = 0; i < sz_.queries; ++i) {
    AuditFilter flt;
    flt.case_id = big_.case_ids[pick()];
    auto a = Clock::now();
    rows += Must(big_.auditor->QueryEvents(flt), "query events").size();
    sspf_s += Seconds(a, Clock::now());
    for (LogWork work : {LogWork::kSigned, LogWork::kRowOnly}) {
      audit_bare_.set_log_work(work);
      const std::string& case_id = big_.case_ids[pick()];
      auto b = Clock::now();
      const size_t n = audit_bare_.Query(case_id);
      (work == LogWork::kSigned ? bare_s : floor_s) += Seconds(b, Clock::now());
      (work == LogWork::kSigned ? bare_rows : floor_rows) += n;
    }
    audit_bare_.set_log_work(LogWork::kSigned);
    Progress("audit_query: %zu rows", rows);
  }
  ProgressDone();
  const double q = sz_.queries;
  std::vector<Figure> out;
  out.push_back(RatioFigure(
      "audit_query", "ms", 1e3 * sspf_s / q, 1e3 * bare_s / q, Goal::kAtMost, 1.5,
      Fmt("QueryEvents(case) on %s, %d random cases, %.1f rows per query; includes "
          "the durable log append of the query itself (audit gate) vs the same work "
          "written directly on the auditor's connection, for other random cases (%.1f "
          "rows per query): the durable append (%s) and COMMIT, the principals' names, "
          "then the indexed SELECT of all columns with each row's signature, its leaf "
          "re-encoded and hashed",
          big_desc_.c_str(), sz_.queries, double(rows) / q, double(bare_rows) / q,
          kSameWorkAppend)));
  out.push_back(FloorFigure(
      "audit_query_floor", "ms", 1e3 * sspf_s / q, 1e3 * floor_s / q, false,
      Fmt("floor: the same queries vs a durable INSERT of the events row alone and COMMIT, "
          "then the indexed SELECT of all columns (no signatures, no leaf hashes, no "
          "names), for other random cases (%.1f rows per query); %.3f ms per query",
          double(floor_rows) / q, 1e3 * floor_s / q)));
  return out;
}

// (5) growth: per-operation cost of an audited read (batched: CPU and
// page-cache cost without the fsync, which is size-independent) and of a
// durable one, small store vs big store.  Both are larger than the page
// cache, so the ratio measures the growth with the log's size and not the
// step from a store that fits in the cache to one that does not (issue 15);
// that step is the tiny store's ratio, in the note.
Figure Figures::Growth() {
  Progress("growth");
  const int reads = sz_.batched_reads / 2;
  // The same working set in every store: the reads go to the first `among`
  // entries, each read once before the timing.  Otherwise the store with
  // fewer entries would repeat more of its reads, and a repeated read skips
  // the check of the entry's signed event that the session has made once
  // (about 50 us): the ratio would measure the share of first reads, not
  // the cost of a read as the store grows.
  const size_t among = std::min({tiny_.entry_ids.size(), small_.entry_ids.size(),
                                 big_.entry_ids.size()});
  for (World* w : {&tiny_, &small_, &big_}) ReadEach(*w, among);
  double dummy = 0;
  Batched(small_, nullptr, reads / 10, &dummy, &dummy, among);
  Batched(tiny_, nullptr, reads / 10, &dummy, &dummy, among);
  double s_tiny = 0, s_small = 0, s_big = 0;
  for (int rep = 0; rep < 3; ++rep) {  // alternate to share the weather
    s_tiny += Batched(tiny_, nullptr, reads, &dummy, &dummy, among);
    s_small += Batched(small_, nullptr, reads, &dummy, &dummy, among);
    s_big += Batched(big_, nullptr, reads, &dummy, &dummy, among);
  }
  double d_small = 0, d_big = 0;
  const int durable = std::max(20, sz_.durable_reads / 5);
  for (int i = 0; i < durable; ++i) {
    auto a = Clock::now();
    Must(small_.school->ReadEntry(small_.entry_ids[Pick(small_, among)], "control").status(),
         "read");
    auto b = Clock::now();
    Must(big_.school->ReadEntry(big_.entry_ids[Pick(big_, among)], "control").status(), "read");
    auto c = Clock::now();
    d_small += Seconds(a, b);
    d_big += Seconds(b, c);
  }
  ProgressDone();
  const double per = 1e6 / (3.0 * reads);
  return RatioFigure(
      "growth", "us/read", per * s_big, per * s_small, Goal::kAtMost, 1.3,
      Fmt("audited ReadEntry (batched, so without the constant fsync) at %s vs "
          "%" PRIu64 " events, %zu cases (both larger than the %d MiB page cache), each reading "
          "among the same number of entries (%zu, each read once before); durable "
          "reads: %.2f ms vs %.2f ms (ratio %.2f); in the cache: %" PRIu64 " events, "
          "%zu cases, %.1f us/read (big store's ratio to it %.2f)",
          big_desc_.c_str(), small_n_, small_.case_ids.size(),
          static_cast<int>(internal::kOperationCacheKiB / 1024), among, 1e3 * d_big / durable,
          1e3 * d_small / durable, d_big / d_small, tiny_n_, tiny_.case_ids.size(),
          per * s_tiny, s_big / s_tiny));
}

// (4) log_verify: Session::Verify vs the same work done directly on the
// same encrypted store (the goal), vs the same hashes and signature checks
// over the leaves in memory (the physical floor), and, labelled and
// without a goal, vs the RFC 6962 root alone in memory (the SHA-256 floor
// of the figure before events were signed).
std::optional<std::vector<Figure>> Figures::LogVerify() {
  const SigningKeys keys = LoadSigningKeys(*big_.auditor, bare_.db());
  Progress("log_verify: same work, directly on the store");
  auto a = Clock::now();
  std::optional<BareVerify> same = BareVerifyLog(*big_.auditor, bare_.db(), keys);
  const double same_s = Seconds(a, Clock::now());
  if (!same) return std::nullopt;

  Progress("log_verify: Session::Verify");
  auto c = Clock::now();
  VerifyReport rep = Must(big_.auditor->Verify(VerifyOptions()), "verify");
  const double verify_s = Seconds(c, Clock::now());
  // Verify logs itself first, so its tree is one event larger.
  if (rep.root.size() != 32 ||
      (rep.tree_size == same->events &&
       !std::equal(rep.root.begin(), rep.root.end(), same->root.begin()))) {
    std::fprintf(stderr, "sspf-bench: Verify's root differs from the bare root\n");
    return std::nullopt;
  }

  Progress("log_verify: collecting leaves and signatures");
  InMemoryLog mem = CollectSignedLeaves(*big_.auditor, bare_.db(), keys);
  const size_t n_leaves = mem.leaves.count();
  Progress("log_verify: in memory, hashes and signatures");
  a = Clock::now();
  std::optional<Hash> mem_root = InMemoryVerify(mem);
  const double mem_s = Seconds(a, Clock::now());
  Progress("log_verify: in memory, libsodium SHA-256");
  a = Clock::now();
  Hash r1 = SodiumRoot(mem.leaves);
  const double sodium_s = Seconds(a, Clock::now());
  double openssl_s = 0;
#ifdef SSPF_BENCH_HAVE_OPENSSL
  Progress("log_verify: in memory, OpenSSL SHA-256");
  a = Clock::now();
  Hash r2 = OpensslRoot(mem.leaves);
  openssl_s = Seconds(a, Clock::now());
  if (r1 != r2) {
    std::fprintf(stderr, "sspf-bench: OpenSSL and libsodium roots differ\n");
    return std::nullopt;
  }
#endif
  ProgressDone();
  if (!mem_root || *mem_root != r1 || (n_leaves == same->events && r1 != same->root)) {
    std::fprintf(stderr, "sspf-bench: the in-memory log does not verify\n");
    return std::nullopt;
  }
  const double leaf_mib = mem.leaves.bytes.size() / 1048576.0;
  mem = InMemoryLog();
  verify_event_s_ = verify_s / rep.tree_size;
  verified_events_ = rep.tree_size;
  const double verify_rate = rep.tree_size / verify_s;
  const double best_sha = openssl_s > 0 ? std::min(sodium_s, openssl_s) : sodium_s;
  std::vector<Figure> out;
  out.push_back(RatioFigure(
      "log_verify", "events/s", verify_rate, same->events / same_s, Goal::kAtLeast, 0.7,
      Fmt("Session::Verify of %" PRIu64 " events (%.2f s: leaves, signatures, every stored "
          "node, time order, replay, index digests, quick_check, checkpoints, certificates) "
          "vs the same-work baseline on the same encrypted connection (%.2f s: three "
          "sequential scans of events, stored leaf hashes and event_signatures, leaf "
          "re-encoded and hashed, Ed25519 check per event, %" PRIu64 " interior nodes "
          "checked level by level)",
          rep.tree_size, verify_s, same_s, same->nodes)));
  out.push_back(RatioFigure(
      "log_verify_floor", "events/s", verify_rate, n_leaves / mem_s, Goal::kAtLeast, 0.3,
      Fmt("physical floor: Session::Verify vs the leaf hashes, Ed25519 signature checks and "
          "RFC 6962 root over the same %.1f MiB of leaves and signatures already in memory "
          "(%.2f s)",
          leaf_mib, mem_s)));
  Figure sha = ShareFigure(
      "log_verify_sha_floor", "events/s", verify_rate, n_leaves / best_sha,
      Fmt("physical floor of hashing alone, no goal (the log_verify figure before events "
          "were signed): the RFC 6962 root over the leaves in memory with the faster "
          "SHA-256, libsodium %.3f s, OpenSSL %.3f s%s; ratio = value / baseline",
          sodium_s, openssl_s, openssl_s > 0 ? "" : " (not built)"));
  sha.ratio = sha.value / sha.baseline;
  out.push_back(std::move(sha));
  return out;
}

// (6) verify_peak_rss_mib in a child process.
Figure Figures::VerifyPeakRss() {
  Progress("verify_peak_rss_mib");
  RssResult r = MeasureVerifyRss(big_.options.path);
  ProgressDone();
  big_verify_hwm_mib_ = r.hwm_mib;
  Figure f;
  f.name = "verify_peak_rss_mib";
  f.unit = "MiB";
  f.value = r.hwm_mib;
  f.baseline = r.before_mib;
  f.ratio = r.hwm_mib - r.before_mib;
  f.goal = "<= 64";
  f.met = r.hwm_mib <= 64;
  f.note = Fmt("VmHWM of a child process around Verify only (reset with clear_refs "
               "after unlocking) over %s; baseline = RSS just before Verify, ratio = "
               "growth in MiB; whole child incl. unlock: maxrss %.1f MiB",
               big_desc_.c_str(), r.child_maxrss_mib);
  return f;
}

// (6a) verify_rss_growth_mib: how much more memory Verify needs for the big
// store's log than for the small store's (issue 15: at most 8 MiB from 10^5
// to 10^6 events, the full run's two sizes).  After VerifyPeakRss.
Figure Figures::VerifyRssGrowth() {
  Progress("verify_rss_growth_mib");
  RssResult r = MeasureVerifyRss(small_.options.path);
  ProgressDone();
  const uint64_t big_n = LogSizeOf(*big_.school);
  Figure f;
  f.name = "verify_rss_growth_mib";
  f.unit = "MiB";
  f.value = big_verify_hwm_mib_;
  f.baseline = r.hwm_mib;
  f.ratio = big_verify_hwm_mib_ - r.hwm_mib;
  f.goal = "<= 8";
  f.met = f.ratio <= 8;
  f.note = Fmt("VmHWM of Verify (as verify_peak_rss_mib) over %s vs over the small store "
               "of %" PRIu64 " events, %zu cases; ratio = the difference in MiB (%.1f x "
               "the events)",
               big_desc_.c_str(), small_n_, small_.case_ids.size(),
               double(big_n) / double(small_n_));
  return f;
}

namespace {

// CPU seconds of this process so far (Verify is single-threaded): on a
// shared machine the wall time of a long verify mostly measures the load.
double CpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

// (6b) verify_incremental: Verify against a checkpoint kept when the log
// held 99 % of its events (only the last 1 % get their signatures checked)
// vs a full Verify (--full) of the same log, in the same run; CPU time.
Figure Figures::VerifyIncremental() {
  Progress("verify_incremental: extending the log by 1 %%");
  VerifyOptions inc;
  inc.kept_checkpoint = Must(big_.auditor->Checkpoint(), "checkpoint");
  const uint64_t kept_size = LogSizeOf(*big_.school);
  FillLog(&big_, kept_size + (kept_size + 98) / 99, "verify_incremental", 11);
  Progress("verify_incremental: incremental Verify");
  auto a = Clock::now();
  double cpu = CpuSeconds();
  VerifyReport ri = Must(big_.auditor->Verify(inc), "incremental verify");
  const double inc_cpu = CpuSeconds() - cpu;
  const double inc_s = Seconds(a, Clock::now());
  Progress("verify_incremental: full Verify");
  VerifyOptions full = inc;
  full.full = true;
  auto b = Clock::now();
  cpu = CpuSeconds();
  VerifyReport rf = Must(big_.auditor->Verify(full), "full verify");
  const double full_cpu = CpuSeconds() - cpu;
  const double full_s = Seconds(b, Clock::now());
  ProgressDone();
  return RatioFigure(
      "verify_incremental", "s (CPU)", inc_cpu, full_cpu, Goal::kAtMost, 0.1,
      Fmt("value: CPU time of Session::Verify of %" PRIu64 " events against a checkpoint "
          "kept at %" PRIu64 " (%" PRIu64 " events checked fully; every leaf hash, the "
          "time order and the replay still cover the whole log); baseline: the same Verify "
          "with full = true (%" PRIu64 " events checked fully); wall time %.2f s vs %.2f s "
          "(ratio %.3f)",
          ri.tree_size, kept_size, ri.events_checked, rf.events_checked, inc_s, full_s,
          inc_s / full_s));
}

// (7) event_signature_read / event_signature_verify: what the per-event
// Ed25519 signature (DESIGN §13, attribution) costs, as the share of an
// audited read and of Verify's time per event that a bare libsodium sign or
// verify of a message of the same size takes in this run.
std::vector<Figure> Figures::EventSignature() {
  Progress("event_signature: bare Ed25519");
  const BareSignatures b = BareEd25519(internal::bench::StoreIdBytes(*big_.school), sz_.signatures);
  ProgressDone();
  std::vector<Figure> out;
  out.push_back(ShareFigure(
      "event_signature_read", "us/read", 1e6 * batched_read_s_, 1e6 * b.sign_s,
      Fmt("value: an audited ReadEntry in a batch (batched_read of this run, which signs "
          "its event); baseline: bare crypto_sign_detached of a %zu-byte message (the "
          "size of EventSignedMessage), mean of %d; ratio: the signature's share of the "
          "batched read. Durable read (audited_read): %.3f ms, of which the signature is "
          "%.1f%%",
          b.message_bytes, b.count, 1e3 * durable_read_s_,
          100 * b.sign_s / durable_read_s_)));
  out.push_back(ShareFigure(
      "event_signature_verify", "us/event", 1e6 * verify_event_s_, 1e6 * b.verify_s,
      Fmt("value: Session::Verify time per event (log_verify of this run, %" PRIu64
          " events, %.2f s, one signature check per event); baseline: bare "
          "crypto_sign_verify_detached of a %zu-byte message, mean of %d; ratio: the "
          "share of Verify's time that checking the event signatures takes (%.2f s of "
          "%.2f s if each costs the bare verify)",
          verified_events_, verify_event_s_ * verified_events_, b.message_bytes, b.count,
          b.verify_s * verified_events_, verify_event_s_ * verified_events_)));
  return out;
}

}  // namespace sspf::bench
