// sspf-tool: the light front end (issue 14, "unlock once per working
// session").
//
// A command through a running agent is a process start, a round trip over
// the agent's socket and the agent's work.  The full tool (sspf-tool-core)
// loads libsspf, SQLCipher, OpenSSL, libsodium and Boost before main, some
// 6,000 symbol relocations, which no forwarded command needs.  So `sspf-tool`
// is this small program, linked only against the C and C++ runtimes: when an
// agent for the command's store and user answers, it forwards the command
// (agent_wire.cpp); otherwise (no agent, a passphrase option, `agent`,
// `lock`, `--version`, `--help` without a command, ...) it replaces itself
// with the full tool, with the same argv and environment and in the same
// process (execv), so exit codes, signals, /proc/PID and the core-dump limit
// are those of one process.
//
// The full tool is found next to this binary (the build tree) or at
// SSPF_TOOL_CORE_RELPATH from it (an installed tree: ../libexec/sspf/).
#include <limits.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "agent_wire.h"

#ifndef SSPF_TOOL_CORE_RELPATH
#define SSPF_TOOL_CORE_RELPATH "../libexec/sspf/sspf-tool-core"
#endif

namespace {

// As in the full tool: no core dump may carry a passphrase or a record.
// (The limit survives execv; the full tool sets both again.)
void DisableCoreDumps() {
  rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

// The command words of `args` (at most two, e.g. "entry add") after the
// leading global options, or nullopt when the full tool is to run it
// itself: no command, a leading --help/--version/--man/--completion, or the
// commands `agent` and `lock`, which hold or end the agent.
std::optional<std::string> ForwardableCommand(const std::vector<std::string>& args) {
  size_t i = 0;
  while (i < args.size() && args[i].rfind("--", 0) == 0) {
    const std::string& a = args[i];
    if (a == "--help" || a == "--version" || a == "--man" || a == "--completion") {
      return std::nullopt;
    }
    const bool valued = (a == "--store" || a == "--user" || a == "--passphrase-file");
    i += valued ? 2 : 1;
  }
  if (i < args.size() && args[i] == "-h") return std::nullopt;
  std::string command;
  for (size_t n = 0; n < 2 && i + n < args.size() && args[i + n].rfind("-", 0) != 0; ++n) {
    command += (n == 0 ? "" : " ") + args[i + n];
  }
  if (command.empty() || command == "agent" || command.rfind("agent ", 0) == 0 ||
      command == "lock" || command.rfind("lock ", 0) == 0) {
    return std::nullopt;
  }
  return command;
}

void Say(const std::string& line) {
  const std::string text = "sspf-tool: " + line + "\n";
  (void)!::write(STDERR_FILENO, text.data(), text.size());
}

// The full tool's path, or "" when neither place has it.
std::string CorePath() {
  char self[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = '\0';
  const std::string dir = sspf::agent_wire::DirOf(self);
  for (const std::string& candidate :
       {dir + "/sspf-tool-core", dir + "/" + SSPF_TOOL_CORE_RELPATH}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  DisableCoreDumps();
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (std::optional<std::string> command = ForwardableCommand(args)) {
    if (std::optional<int> code = sspf::agent_wire::Forward(*command, args)) return *code;
    // Tried and no agent answered: the full tool need not try again (and
    // say again why a socket was not used).
    ::setenv(sspf::agent_wire::kFrontEndTriedEnv, "1", 1);
  }
  const std::string core = CorePath();
  if (core.empty()) {
    Say("the full tool sspf-tool-core is missing next to this program and in "
        SSPF_TOOL_CORE_RELPATH "; reinstall sspf-tool");
    return 1;
  }
  ::execv(core.c_str(), argv);
  Say("cannot run " + core + ": " + std::strerror(errno) + "; reinstall sspf-tool");
  return 1;
}
