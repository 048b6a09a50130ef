// A writer process for the reliability tests.
//
//   sspf_rel_writer STORE CASE_ID loop       AddEntry until killed
//   sspf_rel_writer STORE CASE_ID count N    N AddEntry calls, then exit 0
//   sspf_rel_writer STORE CASE_ID rewrap     RewrapEntryKeys once, then exit 0
//   sspf_rel_writer STORE CASE_ID rekey      RekeyStore once as admin, then exit 0
//
// Prints "ok <entry id>" on stdout, line-buffered, only AFTER AddEntry
// returned OK: each such line is an acknowledged (durable) write.  kBusy
// (another writer holds the lock past the busy timeout) is retried and
// counted; "busy <n>" is printed at the end in count mode.  Any other error
// is printed to stderr and ends the process with exit code 1.  In rewrap
// mode it prints "batch <done> <total>" after each committed batch and
// "done <n>" at the end.  In rekey mode it prints "recovery <hex>" when the
// library hands over the new recovery key (before returning from that
// callback), "step <done> <total>" after each step and "done" at the end.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "rel_util.h"
#include "util/encoding.h"

using namespace sspf;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s STORE CASE_ID loop|count N|rewrap\n", argv[0]);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::string path = argv[1], case_id = argv[2], mode = argv[3];
  long n = mode == "count" && argc > 4 ? std::atol(argv[4]) : -1;
  long busy = 0;
  const bool rekey = mode == "rekey";
  const char* who = rekey ? "admin" : "school1";
  const uint8_t key = rekey ? reliability::kAdminKey : reliability::kSchoolKey;
  Result<Session> s =
      Store::Open(reliability::OptionsFor(path), who, reliability::KeyCred(key));
  while (!s.ok() && s.status().code() == StatusCode::kBusy) {
    ++busy;
    s = Store::Open(reliability::OptionsFor(path), who, reliability::KeyCred(key));
  }
  if (!s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
    return 1;
  }
  std::printf("open\n");
  if (rekey) {
    Result<RekeyResult> r = s->RekeyStore(
        [](const SecretBytes& k) {
          std::printf("recovery %s\n",
                      internal::HexEncode(k.data(InsecureSecretAccess::Get()), k.size()).c_str());
          return Status::Ok();
        },
        [](uint64_t d, uint64_t total) {
          std::printf("step %llu %llu\n", static_cast<unsigned long long>(d),
                      static_cast<unsigned long long>(total));
        });
    if (!r.ok()) {
      std::fprintf(stderr, "rekey: %s\n", r.status().ToString().c_str());
      return 1;
    }
    std::printf("done\n");
    return 0;
  }
  if (mode == "rewrap") {
    Result<uint64_t> done = s->RewrapEntryKeys([](uint64_t d, uint64_t total) {
      std::printf("batch %llu %llu\n", static_cast<unsigned long long>(d),
                  static_cast<unsigned long long>(total));
    });
    if (!done.ok()) {
      std::fprintf(stderr, "rewrap: %s\n", done.status().ToString().c_str());
      return 1;
    }
    std::printf("done %llu\n", static_cast<unsigned long long>(*done));
    return 0;
  }
  const std::string body(300, 'w');
  for (long i = 0; n < 0 || i < n;) {
    Result<std::string> id = s->AddEntry(case_id, Category::kSchool, body);
    if (id.ok()) {
      std::printf("ok %s\n", id->c_str());
      ++i;
    } else if (id.status().code() == StatusCode::kBusy) {
      ++busy;
    } else {
      std::fprintf(stderr, "add entry: %s\n", id.status().ToString().c_str());
      return 1;
    }
  }
  std::printf("busy %ld\n", busy);
  return 0;
}
