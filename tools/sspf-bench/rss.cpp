// sspf-bench: verify_peak_rss_mib, measured in a child process.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "bench.h"

namespace sspf::bench {

namespace {

long ReadStatusKib(const char* field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(field);
  while (std::getline(f, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::strtol(line.c_str() + n + 1, nullptr, 10);
    }
  }
  return -1;
}

}  // namespace

// Child mode: opens the store as the auditor (raw key: no Argon2id memory),
// resets the peak-RSS counter, verifies, prints "<hwm_kib> <rss_before_kib>
// <tree_size> <verify wall seconds>"; incremental: from a checkpoint made
// just before.
int VerifyChild(const std::string& path, bool incremental) {
  StoreOptions o;
  o.path = path;
  Session s = Must(Store::Open(o, "auditor", Credential::Key(FixedKey(kAuditorKey))),
                   "open as auditor");
  VerifyOptions vo;
  if (incremental) vo.kept_checkpoint = Must(s.Checkpoint(), "checkpoint");
  const long before = ReadStatusKib("VmRSS");
  {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";  // resets VmHWM to the current RSS
  }
  const auto start = Clock::now();
  VerifyReport r = Must(s.Verify(vo), "verify");
  const double verify_s = Seconds(start, Clock::now());
  std::printf("%ld %ld %" PRIu64 " %.6f\n", ReadStatusKib("VmHWM"), before, r.tree_size,
              verify_s);
  return 0;
}

RssResult MeasureVerifyRss(const std::string& path) {
  int fds[2];
  if (::pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl("/proc/self/exe", "sspf-bench", "--verify-child", path.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "sspf-bench: verify child failed\n");
    std::exit(1);
  }
  long hwm = 0, before = 0;
  unsigned long long tree_size = 0;
  double verify_s = 0;
  std::sscanf(out.c_str(), "%ld %ld %llu %lf", &hwm, &before, &tree_size, &verify_s);
  struct rusage ru;
  ::getrusage(RUSAGE_CHILDREN, &ru);
  RssResult r;
  r.hwm_mib = hwm / 1024.0;
  r.before_mib = before / 1024.0;
  r.child_maxrss_mib = ru.ru_maxrss / 1024.0;
  r.verify_s = verify_s;
  r.tree_size = tree_size;
  return r;
}

}  // namespace sspf::bench
