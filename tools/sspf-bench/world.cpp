// sspf-bench: the populated stores the figures are measured on.
#include <algorithm>
#include <cinttypes>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench.h"
#include "session/bench_access.h"
#include "sspf/pnr.h"

namespace sspf::bench {

Session World::Open(const char* name, uint8_t key_tag) {
  return Must(Store::Open(options, name, Credential::Key(FixedKey(key_tag))),
              std::string("open as ") + name);
}

uint64_t LogSizeOf(Session& s) { return Must(internal::bench::LogSize(s), "log size"); }

// The log is filled through internal::bench::AppendEntryReads: Session::Impl::Log,
// the same code every operation uses, including the automatic checkpoints.
void Build(World* w, const std::string& dir, uint64_t cases, uint64_t events,
           const char* label) {
  CreateWorld(w, dir);
  AddCases(w, cases, 1, label);
  FillLog(w, events, label, 7);
}

void CreateWorld(World* w, const std::string& dir) {
  w->dir = dir;
  std::filesystem::create_directories(dir);
  w->options.path = dir + "/store.db";
  w->options.passphrase_cost = PassphraseCost::Interactive();
  Must(Store::Create(w->options, "admin", Credential::Key(FixedKey(kAdminKey))).status(),
       "create store");
  w->admin.emplace(w->Open("admin", kAdminKey));
  Must(w->admin->AddPrincipal("coord", Actor::kCoordination, Role::kCoordinator,
                              Credential::Key(FixedKey(kCoordKey))).status(), "add coord");
  Must(w->admin->AddPrincipal("school1", Actor::kSchool, Role::kMember,
                              Credential::Key(FixedKey(kSchoolKey))).status(), "add school1");
  Must(w->admin->AddPrincipal("auditor", Actor::kCoordination, Role::kAuditor,
                              Credential::Key(FixedKey(kAuditorKey))).status(), "add auditor");
  w->coord.emplace(w->Open("coord", kCoordKey));
  w->school.emplace(w->Open("school1", kSchoolKey));
  w->auditor.emplace(w->Open("auditor", kAuditorKey));
}

void AddCases(World* w, uint64_t cases, int entries_per_case, const char* label) {
  const std::string body(1024, 'x');
  constexpr uint64_t kChunk = 500;
  for (uint64_t i = w->cases; i < cases; i += kChunk) {
    Must(w->coord->BeginBatch(), "begin batch");
    std::vector<std::string> chunk_cases;
    std::vector<std::string> chunk_subjects;
    for (uint64_t j = i; j < std::min(cases, i + kChunk); ++j) {
      // Unique numbers: 3650 birth dates x 999 serials (up to 3.6 million).
      const int day = static_cast<int>(j % 3650);
      const int serial = static_cast<int>(j / 3650) + 1;
      Date birth = DateOf(static_cast<UnixSeconds>(1262304000) + day * int64_t{86400});
      Session::NewSubject ns;
      ns.personal_number = MakeTestPersonalNumber(birth, serial, false);
      ns.name = "Bench Subject";
      SubjectInfo sub = Must(w->coord->AddSubject(ns), "add subject");
      chunk_cases.push_back(Must(w->coord->OpenCase(sub.id, {"school1"}), "open case"));
      chunk_subjects.push_back(sub.id);
    }
    Must(w->coord->CommitBatch(), "commit batch");
    Must(w->school->BeginBatch(), "begin batch");
    for (size_t c = 0; c < chunk_cases.size(); ++c) {
      for (int e = 0; e < entries_per_case; ++e) {
        w->entry_ids.push_back(
            Must(w->school->AddEntry(chunk_cases[c], Category::kSchool, body), "add entry"));
        w->subject_ids.push_back(chunk_subjects[c]);
        w->case_ids.push_back(chunk_cases[c]);
      }
    }
    w->cases += chunk_cases.size();
    Must(w->school->CommitBatch(), "commit batch");
    Progress("%s: %" PRIu64 "/%" PRIu64 " cases", label, w->cases, cases);
  }
}

// Fills the log with realistic read events spread over the cases.
void FillLog(World* w, uint64_t events, const char* label, uint64_t seed) {
  uint64_t have = LogSizeOf(*w->school);
  std::mt19937_64 rng(seed);
  constexpr uint64_t kTxn = 20000;
  while (have < events) {
    Must(w->school->BeginBatch(), "begin batch");
    const uint64_t stop = std::min(events, have + kTxn);
    Must(internal::bench::AppendEntryReads(*w->school, stop - have, [&](uint64_t) {
           const size_t k = static_cast<size_t>(rng() % w->case_ids.size());
           return internal::bench::EntryRef{w->entry_ids[k], w->case_ids[k],
                                            w->subject_ids[k]};
         }), "append event");
    have = stop;
    Must(w->school->CommitBatch(), "commit batch");
    Progress("%s: %" PRIu64 "/%" PRIu64 " events", label, have, events);
  }
  ProgressDone();
}

}  // namespace sspf::bench
