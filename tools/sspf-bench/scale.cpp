// sspf-bench --scale (issue 15, "scale run"): one store grown on disk to the
// design point, 10^7 events and 10^6 entries, in stages of ten times more
// (10^5, 10^6, 10^7 events), each stage with 10 events per entry and 10
// entries per case, the shape of the design point.  After each stage it
// measures, on the store as it is then: disk bytes per event, a batched and
// a durable audited read, a durable AddEntry, an audit query by case, a full
// Verify (in a child process, with its peak RSS) and an incremental one (CPU
// time, against a checkpoint kept before the last 1 % of events).  Not part
// of the test suite: it takes tens of minutes.
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "bench.h"
#include "session/bench_access.h"
#include "storage/db.h"

namespace sspf::bench {
namespace {

struct Stage {
  uint64_t events = 0, entries = 0, cases = 0;
  double build_s = 0;             // this stage's growth, cumulative wall time
  double disk_bytes = 0;          // store + WAL after a checkpoint
  double batched_read_us = 0, durable_read_ms = 0, add_entry_ms = 0, audit_query_ms = 0;
  double verify_full_s = 0, verify_incremental_cpu_s = 0;
  double verify_peak_rss_mib = 0;
};

double FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<double>(st.st_size) : 0;
}

double CpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void Measure(World& w, std::mt19937_64& rng, Stage* st) {
  auto pick = [&] { return static_cast<size_t>(rng() % w.entry_ids.size()); };
  constexpr int kBatched = 2000, kDurable = 100, kAdds = 50, kQueries = 50;
  Progress("scale: batched reads");
  Must(w.school->BeginBatch(), "begin batch");
  auto a = Clock::now();
  for (int i = 0; i < kBatched; ++i) {
    Must(w.school->ReadEntry(w.entry_ids[pick()], "control").status(), "read entry");
  }
  Must(w.school->CommitBatch(), "commit batch");
  st->batched_read_us = 1e6 * Seconds(a, Clock::now()) / kBatched;
  Progress("scale: durable reads");
  a = Clock::now();
  for (int i = 0; i < kDurable; ++i) {
    Must(w.school->ReadEntry(w.entry_ids[pick()], "control").status(), "read entry");
  }
  st->durable_read_ms = 1e3 * Seconds(a, Clock::now()) / kDurable;
  Progress("scale: durable AddEntry");
  const std::string body(1024, 'y');
  a = Clock::now();
  for (int i = 0; i < kAdds; ++i) {
    Must(w.school->AddEntry(w.case_ids[pick()], Category::kSchool, body).status(), "add entry");
  }
  st->add_entry_ms = 1e3 * Seconds(a, Clock::now()) / kAdds;
  Progress("scale: audit queries");
  a = Clock::now();
  for (int i = 0; i < kQueries; ++i) {
    AuditFilter f;
    f.case_id = w.case_ids[pick()];
    Must(w.auditor->QueryEvents(f).status(), "query events");
  }
  st->audit_query_ms = 1e3 * Seconds(a, Clock::now()) / kQueries;

  // Incremental Verify: a checkpoint kept now, 1 % more events, then Verify
  // against it (CPU time: on a shared machine wall time mostly measures load).
  Progress("scale: incremental Verify");
  VerifyOptions inc;
  inc.kept_checkpoint = Must(w.auditor->Checkpoint(), "checkpoint");
  const uint64_t kept = LogSizeOf(*w.school);
  FillLog(&w, kept + (kept + 99) / 100, "scale: 1 % more events", 13);
  double cpu = CpuSeconds();
  Must(w.auditor->Verify(inc).status(), "incremental verify");
  st->verify_incremental_cpu_s = CpuSeconds() - cpu;

  // Full Verify with its peak RSS, in a child (the auditor's own session).
  Progress("scale: full Verify in a child process");
  RssResult r = MeasureVerifyRss(w.options.path);
  st->verify_full_s = r.verify_s;
  st->verify_peak_rss_mib = r.hwm_mib;
  ProgressDone();
  st->events = LogSizeOf(*w.school);
  st->entries = w.entry_ids.size() + kAdds;
  st->cases = w.cases;
  Must(w.auditor->Checkpoint().status(), "checkpoint");  // folds the WAL at its next commit
  st->disk_bytes = FileBytes(w.options.path) + FileBytes(w.options.path + "-wal");
}

void PrintStages(bool json, const std::vector<Stage>& stages, const Machine& machine,
                 const std::string& command, double total_s) {
  if (json) {
    std::printf("{\"mode\":\"scale\",\"command\":\"%s\",\"total_s\":%.1f,\"stages\":[",
                JsonEscape(command).c_str(), total_s);
    for (size_t i = 0; i < stages.size(); ++i) {
      const Stage& s = stages[i];
      std::printf("%s{\"events\":%" PRIu64 ",\"entries\":%" PRIu64 ",\"cases\":%" PRIu64
                  ",\"built_after_s\":%.1f,\"disk_bytes\":%.0f,\"disk_bytes_per_event\":%.1f,"
                  "\"batched_read_us\":%.1f,\"durable_read_ms\":%.3f,\"add_entry_ms\":%.3f,"
                  "\"audit_query_ms\":%.3f,\"verify_full_s\":%.2f,"
                  "\"verify_incremental_cpu_s\":%.3f,\"verify_peak_rss_mib\":%.1f}",
                  i ? "," : "", s.events, s.entries, s.cases, s.build_s, s.disk_bytes,
                  s.disk_bytes / static_cast<double>(s.events), s.batched_read_us,
                  s.durable_read_ms, s.add_entry_ms, s.audit_query_ms, s.verify_full_s,
                  s.verify_incremental_cpu_s, s.verify_peak_rss_mib);
    }
    std::printf("],\"machine\":{");
    for (size_t i = 0; i < machine.size(); ++i) {
      std::printf("%s\"%s\":\"%s\"", i ? "," : "", JsonEscape(machine[i].first).c_str(),
                  JsonEscape(machine[i].second).c_str());
    }
    std::printf("}}\n");
    return;
  }
  std::printf("%-10s %-9s %-8s %-9s %-8s %-10s %-9s %-9s %-9s %-10s %-10s %-8s\n", "events",
              "entries", "cases", "built(s)", "B/event", "batched us", "durable ms",
              "add ms", "query ms", "verify s", "incr CPU s", "RSS MiB");
  for (const Stage& s : stages) {
    std::printf("%-10" PRIu64 " %-9" PRIu64 " %-8" PRIu64 " %-9.0f %-8.0f %-10.1f %-9.3f "
                "%-9.3f %-9.3f %-10.2f %-10.3f %-8.1f\n",
                s.events, s.entries, s.cases, s.build_s,
                s.disk_bytes / static_cast<double>(s.events), s.batched_read_us,
                s.durable_read_ms, s.add_entry_ms, s.audit_query_ms, s.verify_full_s,
                s.verify_incremental_cpu_s, s.verify_peak_rss_mib);
  }
  std::printf("total %.1f s; %s\n", total_s, command.c_str());
  for (const auto& kv : machine) std::printf("  %s: %s\n", kv.first.c_str(), kv.second.c_str());
}

}  // namespace

int ScaleRun(const std::string& dir, uint64_t top_events, bool json,
             const std::string& command) {
  const auto t0 = Clock::now();
  World w;
  CreateWorld(&w, dir + "/scale");
  std::mt19937_64 rng(99);
  std::vector<Stage> stages;
  for (uint64_t events = 100000; events <= top_events; events *= 10) {
    const uint64_t entries = events / 10;
    const std::string label = Fmt("scale %" PRIu64 " events", events);
    AddCases(&w, entries / 10, 10, label.c_str());
    FillLog(&w, events, label.c_str(), events);
    Stage st;
    st.build_s = Seconds(t0, Clock::now());
    Measure(w, rng, &st);
    stages.push_back(st);
    if (!json) {
      std::fprintf(stderr, "sspf-bench: stage of %" PRIu64 " events done after %.0f s\n",
                   st.events, Seconds(t0, Clock::now()));
    }
  }
  const Machine machine = DescribeMachine(dir, internal::bench::Database(*w.school)->raw());
  PrintStages(json, stages, machine, command, Seconds(t0, Clock::now()));
  return 0;
}

}  // namespace sspf::bench
