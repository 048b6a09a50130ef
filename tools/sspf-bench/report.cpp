// sspf-bench: the machine description and the report (text or JSON).
#include <sodium.h>
#include <sqlite3.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#ifdef SSPF_BENCH_HAVE_OPENSSL
#include <openssl/opensslv.h>
#endif

#include "bare.h"
#include "bench.h"
#include "storage/page_cipher.h"

namespace sspf::bench {

std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          o += Fmt("\\u%04x", c);
        } else {
          o += c;
        }
    }
  }
  return o;
}

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

}  // namespace

Machine DescribeMachine(const std::string& dir, sqlite3* db) {
  Machine m;
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model;
  bool sha_ni = false;
  while (std::getline(cpu, line)) {
    if (model.empty() && line.rfind("model name", 0) == 0) model = Trim(line.substr(line.find(':') + 1));
    if (line.rfind("flags", 0) == 0 && line.find(" sha_ni") != std::string::npos) sha_ni = true;
  }
  m.push_back({"cpu", model});
  m.push_back({"cpus", std::to_string(::sysconf(_SC_NPROCESSORS_ONLN))});
  m.push_back({"sha_ni", sha_ni ? "yes" : "no"});
  std::ifstream mem("/proc/meminfo");
  while (std::getline(mem, line)) {
    if (line.rfind("MemTotal", 0) == 0) {
      m.push_back({"ram_mib", std::to_string(std::strtol(line.c_str() + 9, nullptr, 10) / 1024)});
      break;
    }
  }
  struct statfs sf;
  if (::statfs(dir.c_str(), &sf) == 0) {
    const char* fs = sf.f_type == 0xEF53 ? "ext4" : sf.f_type == 0x01021994 ? "tmpfs"
                   : sf.f_type == 0x9123683E ? "btrfs" : sf.f_type == 0x58465342 ? "xfs"
                   : sf.f_type == 0x794c7630 ? "overlayfs" : "other";
    m.push_back({"store_fs", fs});
  }
  m.push_back({"store_dir", dir});
  std::string cipher;
  if (db != nullptr) {  // nullptr: no store of the bench's own (--cli-only)
    RawStmt st(db, "PRAGMA cipher_version");
    if (sqlite3_step(st.get()) == SQLITE_ROW) {
      cipher = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
    }
  }
  m.push_back({"sqlcipher", cipher});
  // Which page cipher the store's connections use (storage/page_cipher.h).
  if (db != nullptr) {
    m.push_back({"page_cipher", internal::PreparedPageCipherInUse() ? "prepared" : "stock"});
  }
  m.push_back({"sqlite", sqlite3_libversion()});
  m.push_back({"libsodium", sodium_version_string()});
#ifdef SSPF_BENCH_HAVE_OPENSSL
  m.push_back({"openssl", OPENSSL_VERSION_TEXT});
#endif
  return m;
}

void PrintReport(bool json, const std::vector<Figure>& figs, const Machine& machine,
                 const std::string& command, const std::string& mode,
                 const std::string& sizes_note) {
  if (json) {
    std::printf("{\"figures\":[");
    for (size_t i = 0; i < figs.size(); ++i) {
      const Figure& f = figs[i];
      std::printf("%s{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\",\"baseline\":%.6g,"
                  "\"ratio\":%.4g,\"goal\":\"%s\",\"met\":%s,\"note\":\"%s\"}",
                  i ? "," : "", f.name.c_str(), f.value, f.unit.c_str(), f.baseline, f.ratio,
                  f.goal.c_str(), f.met ? "true" : "false", JsonEscape(f.note).c_str());
    }
    std::printf("],\"machine\":{");
    for (size_t i = 0; i < machine.size(); ++i) {
      std::printf("%s\"%s\":\"%s\"", i ? "," : "", machine[i].first.c_str(),
                  JsonEscape(machine[i].second).c_str());
    }
    std::printf("},\"command\":\"%s\",\"mode\":\"%s\",\"note\":\"%s\"}\n",
                JsonEscape(command).c_str(), mode.c_str(), JsonEscape(sizes_note).c_str());
  } else {
    std::printf("sspf-bench (%s)\n", command.c_str());
    for (const auto& kv : machine) std::printf("  %-10s %s\n", kv.first.c_str(), kv.second.c_str());
    std::printf("\n%-22s %14s %14s %-9s %8s %-7s %s\n", "figure", "libsspf", "baseline",
                "unit", "ratio", "goal", "met");
    for (const Figure& f : figs) {
      std::printf("%-22s %14.4g %14.4g %-9s %8.3f %-7s %s\n", f.name.c_str(), f.value,
                  f.baseline, f.unit.c_str(), f.ratio, f.goal.c_str(),
                  f.goal == kNoGoal ? "-" : f.met ? "yes" : "NO");
    }
    std::printf("\n");
    for (const Figure& f : figs) std::printf("%s: %s\n", f.name.c_str(), f.note.c_str());
    std::printf("\n%s\n", sizes_note.c_str());
  }
}

}  // namespace sspf::bench
