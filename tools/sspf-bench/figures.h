// sspf-bench: the figures, measured on two populated stores.
#ifndef SSPF_TOOLS_SSPF_BENCH_FIGURES_H_
#define SSPF_TOOLS_SSPF_BENCH_FIGURES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bare.h"
#include "bench.h"

namespace sspf::bench {

// Each method measures one figure; call them in the order of main.cpp, which
// fixes the random sequence of entries and cases read.  nullopt: the two
// sides disagreed (printed on stderr).
class Figures {
 public:
  // bare on the big store's school connection, audit_bare on its auditor's.
  Figures(const Sizes& sz, World& tiny, World& small, World& big, Bare& bare, Bare& audit_bare);

  // Each of these three: the figure against the same-work baseline (with
  // the goal), then its floor line against the row-only append (no goal).
  std::vector<Figure> AuditedRead();
  std::vector<Figure> BatchedRead();
  std::optional<std::vector<Figure>> AuditQuery();
  Figure Growth();
  // log_verify, log_verify_floor and log_verify_sha_floor.
  std::optional<std::vector<Figure>> LogVerify();
  Figure VerifyPeakRss();
  // Needs the small store; after VerifyPeakRss.
  Figure VerifyRssGrowth();
  // Extends the big store's log by 1 % after a kept checkpoint; after the
  // other verify figures.
  Figure VerifyIncremental();
  // event_signature_read and event_signature_verify; after AuditedRead,
  // BatchedRead and LogVerify, whose per-operation times they use.
  std::vector<Figure> EventSignature();

 private:
  // A random entry of w, among its first `among` entries.
  size_t Pick(const World& w, size_t among = SIZE_MAX);
  // Each side reads its own random entries (so that none reads what
  // another side has just brought into the page cache).
  double Batched(World& w, Bare* b, int reads, double* bare_s, double* floor_s,
                 size_t among = SIZE_MAX);
  // One batch that reads each of w's first n entries once.
  void ReadEach(World& w, size_t n);

  const Sizes& sz_;
  World& tiny_;
  World& small_;
  World& big_;
  Bare& bare_;
  Bare& audit_bare_;
  std::mt19937_64 rng_{42};
  uint64_t tiny_n_ = 0, small_n_ = 0;
  std::string big_desc_;
  // Per operation, from the figures above (seconds).
  double durable_read_s_ = 0, batched_read_s_ = 0, verify_event_s_ = 0;
  uint64_t verified_events_ = 0;
  double big_verify_hwm_mib_ = 0;
};

}  // namespace sspf::bench

#endif  // SSPF_TOOLS_SSPF_BENCH_FIGURES_H_
