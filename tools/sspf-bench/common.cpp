// sspf-bench: progress, errors, sizes.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench.h"

namespace sspf::bench {
namespace {
bool g_tty = false;
}  // namespace

void SetProgressTty(bool tty) { g_tty = tty; }

void Progress(const char* fmt, ...) {
  if (!g_tty) return;
  va_list ap;
  va_start(ap, fmt);
  std::fputs("\r\033[K", stderr);
  std::vfprintf(stderr, fmt, ap);
  va_end(ap);
  std::fflush(stderr);
}
void ProgressDone() {
  if (g_tty) std::fputs("\r\033[K", stderr);
}

void Die(const std::string& what, const Status& s) {
  ProgressDone();
  std::fprintf(stderr, "sspf-bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}

Sizes SizesFor(bool quick) {
  Sizes s;
  s.quick = quick;
  if (quick) {
    s.tiny_cases = 100;
    s.tiny_events = 1000;
    s.small_cases = 100;
    s.small_events = 30000;  // about 17 MB: within the 64 MiB operation cache, as is most of
                             // the big store; the full run compares stores beyond it
    s.big_cases = 2000;
    s.big_events = 100000;
    s.durable_reads = 150;
    s.batched_reads = 3000;
    s.queries = 30;
    s.signatures = 5000;
  } else {
    s.tiny_cases = 1000;
    s.tiny_events = 1000;  // at least: the cases' own events come first
    s.small_cases = 1000;
    s.small_events = 100000;
    s.big_cases = 100000;
    s.big_events = 1000000;
    s.durable_reads = 600;
    s.batched_reads = 20000;
    s.queries = 100;
    s.signatures = 20000;
  }
  return s;
}

std::string Fmt(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return buf;
}

SecretBytes FixedKey(uint8_t tag) {
  std::vector<uint8_t> k(32, tag);
  return Must(SecretBytes::Copy(k.data(), k.size()), "key");
}

}  // namespace sspf::bench
