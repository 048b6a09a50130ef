// sspf-bench: the performance figures of DESIGN §11, each measured beside a
// bare baseline in the same run on the same machine.
//
// Files: common.cpp (progress, sizes), world.cpp (the populated stores),
// bare.cpp (the bare SQLCipher + libsodium baselines), hashes.cpp (raw
// SHA-256 roots), rss.cpp (peak RSS of Verify in a child), figures.cpp (the
// §11 figures and the event signature cost), report.cpp (machine and output),
// main.cpp (arguments, run).
//
//   sspf-bench [--quick] [--verify-only | --cli-only] [--events N] [--json] [--dir DIR] [--keep]
//
// The libsspf side goes through the public Session API.  The bare baselines
// are written directly against SQLCipher + libsodium on the same connection
// (white box, through session/bench_access.h only: the store's own handle and
// the principal's actor key), so the two sides read the same pages with the
// same cipher settings.  Nothing is
// hard-coded: every number printed is measured in this run.
#include <sodium.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "bare.h"
#include "bench.h"
#include "cli_agent.h"
#include "figures.h"

namespace sspf::bench {
namespace {

int Main(int argc, char** argv) {
  bool quick = false, json = false, keep = false, verify_only = false, cli_only = false;
  bool scale = false;
  uint64_t events = 0;  // --events: the big store's size instead of the mode's
  std::string base;
  std::string command = "sspf-bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verify-child" && i + 1 < argc) {
      // A second argument "incremental": from a checkpoint kept just before
      // (to profile what an incremental verify does for the whole log).
      const bool incremental = i + 2 < argc && std::string(argv[i + 2]) == "incremental";
      return VerifyChild(argv[i + 1], incremental);
    }
    command += " " + a;
    if (a == "--quick") {
      quick = true;
    } else if (a == "--verify-only") {
      verify_only = true;
    } else if (a == "--scale") {
      scale = true;
    } else if (a == "--cli-only") {
      cli_only = true;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--events" && i + 1 < argc) {
      char* end = nullptr;
      events = std::strtoull(argv[++i], &end, 10);
      command += std::string(" ") + argv[i];
      if (!end || *end != '\0' || events < 10000) {
        std::fprintf(stderr, "sspf-bench: --events takes a number of at least 10000\n");
        return 2;
      }
    } else if (a == "--dir" && i + 1 < argc) {
      base = argv[++i];
      command += std::string(" ") + argv[i];
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: sspf-bench [--quick] [--verify-only | --cli-only | --scale] [--events N]"
                  " [--json] [--dir DIR] [--keep]\n"
                  "  --quick  small sizes (10^3..10^5 events), under 2 minutes on 2 cores\n"
                  "  --verify-only  only the big store and the figures log_verify,\n"
                  "           verify_peak_rss_mib and verify_incremental\n"
                  "  --cli-only  only cli_agent, cli_agent_command_ms and cli_no_unlock_ms\n"
                  "           (sspf-tool through its agent vs the same API calls), seconds\n"
                  "  --scale  the design point: one store grown on disk in stages of\n"
                  "           10^5, 10^6 and 10^7 events (--events: the last stage, a power\n"
                  "           of ten from 10^5), 10 events per entry, 10 entries per case;\n"
                  "           per-operation costs, disk bytes per event, full and\n"
                  "           incremental Verify and peak RSS at each stage (tens of minutes;\n"
                  "           needs about 800 bytes of disk per event: 7.7 GB)\n"
                  "  --events N  the big store holds N events (default 10^5 with --quick,\n"
                  "           10^6 without); the number of cases stays the mode's\n"
                  "  --json   one JSON document on stdout\n"
                  "  --dir    where the throwaway stores go (default $TMPDIR or /tmp)\n"
                  "  --keep   keep the stores\n");
      return 0;
    } else {
      std::fprintf(stderr, "sspf-bench: unknown argument %s (try --help)\n", a.c_str());
      return 2;
    }
  }
  SetProgressTty(::isatty(2) != 0);
  if (sodium_init() < 0) return 1;
  Sizes sz = SizesFor(quick);
  if (events != 0) sz.big_events = events;
  if (base.empty()) {
    const char* t = std::getenv("TMPDIR");
    base = t && *t ? t : "/tmp";
  }
  char tmpl[4096];
  std::snprintf(tmpl, sizeof(tmpl), "%s/sspf-bench-XXXXXX", base.c_str());
  if (!::mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string dir = tmpl;
  const std::string mode =
      std::string(quick ? "quick" : "full") + (verify_only ? " (verify figures only)" : "");
  if (scale) {
    uint64_t top = events != 0 ? events : 10000000;
    uint64_t p = 100000;
    while (p < top) p *= 10;
    if (p != top) {
      std::fprintf(stderr, "sspf-bench: with --scale, --events takes 100000, 1000000, 10000000, ...\n");
      return 2;
    }
    const int rc = ScaleRun(dir, top, json, command);
    std::error_code ec;
    if (!keep) std::filesystem::remove_all(dir, ec);
    else std::fprintf(stderr, "sspf-bench: store kept in %s/scale\n", dir.c_str());
    return rc;
  }
  if (cli_only) {
    const std::vector<Figure> figs = CliAgentFigures(SSPF_BENCH_TOOL, dir + "/cli");
    PrintReport(json, figs, DescribeMachine(dir, nullptr), command, "cli only",
                "a store made with sspf-tool itself (SSPF_KDF=interactive)");
    std::error_code ec;
    if (!keep) std::filesystem::remove_all(dir, ec);
    return 0;
  }
  const auto t_start = Clock::now();
  std::vector<Figure> figs;

  World tiny, small, big;
  if (!verify_only) {
    Build(&tiny, dir + "/tiny", sz.tiny_cases, sz.tiny_events, "tiny store");
    Build(&small, dir + "/small", sz.small_cases, sz.small_events, "small store");
  }
  Build(&big, dir + "/big", sz.big_cases, sz.big_events, "big store");

  Bare bare(*big.school);
  if (!verify_only) {
    Progress("bare_events: copying the %" PRIu64 " events", sz.big_events);
    bare.FillEvents();
    ProgressDone();
  }
  // audit_query's bare side runs on the auditor's connection, as the
  // library's query does: the two share one page cache.
  Bare audit_bare(*big.auditor, /*reads_entries=*/false);
  const double build_s = Seconds(t_start, Clock::now());
  Figures measure(sz, tiny, small, big, bare, audit_bare);
  if (!verify_only) {
    for (Figure& r : measure.AuditedRead()) figs.push_back(std::move(r));
    for (Figure& r : measure.BatchedRead()) figs.push_back(std::move(r));
    std::optional<std::vector<Figure>> q = measure.AuditQuery();
    if (!q) return 1;
    for (Figure& r : *q) figs.push_back(std::move(r));
    figs.push_back(measure.Growth());
  }
  bare.DropEvents();  // the verify figures check the store without the bare side's table
  std::optional<std::vector<Figure>> verify_figs = measure.LogVerify();
  if (!verify_figs) return 1;
  for (Figure& v : *verify_figs) figs.push_back(std::move(v));
  figs.push_back(measure.VerifyPeakRss());
  if (!verify_only) figs.push_back(measure.VerifyRssGrowth());
  figs.push_back(measure.VerifyIncremental());
  if (!verify_only) {
    for (Figure& sig : measure.EventSignature()) figs.push_back(std::move(sig));
    for (Figure& cli : CliAgentFigures(SSPF_BENCH_TOOL, dir + "/cli")) {
      figs.push_back(std::move(cli));
    }
  }

  const double total_s = Seconds(t_start, Clock::now());
  const Machine machine = DescribeMachine(dir, bare.db());
  const std::string sizes_note =
      Fmt("%s mode; stores built in %.1f s (log filled through Session::Impl::Log inside "
          "transactions of 20000 events, the append path every operation uses; bare_events "
          "copied from events outside --verify-only); total "
          "%.1f s",
          mode.c_str(), build_s, total_s);
  PrintReport(json, figs, machine, command, mode, sizes_note);

  if (!keep) {
    tiny = World();
    small = World();
    big = World();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  } else {
    std::fprintf(stderr, "sspf-bench: stores kept in %s\n", dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace sspf::bench

int main(int argc, char** argv) { return sspf::bench::Main(argc, argv); }
