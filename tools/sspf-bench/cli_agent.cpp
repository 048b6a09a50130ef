// sspf-bench: cli_agent (issue "the coordinator's working day").  A school
// member's 80 typical commands (whoami, case list, case show, entry list,
// entry add, entry read, consent list, entry read again; ten rounds) run as
// separate `sspf-tool` processes through a running agent, against the same
// 80 operations as in-process API calls on an open session, in alternating
// rounds, in the same run and on the same store.  Also the cost of one command through the agent and
// of `sspf-tool --version` (a command that does not unlock).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench.h"
#include "cli_agent.h"

namespace sspf::bench {
namespace {

// Runs the tool with `args`, feeding `input` on stdin; its exit code, and its
// stdout in *out when given.  Its stderr goes to `err_path`.  Started with
// posix_spawn (vfork semantics), so the figure does not include copying this
// benchmark's own page tables, which a fork of a large process would add
// and which a shell starting the tool does not pay.
int RunTool(const std::string& tool, const std::vector<std::string>& args,
            const std::string& input, std::string* out, const std::string& err_path) {
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return -1;
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return -1;
  }
  // Only fds 0-2 go to the tool (the pipes are close-on-exec): an agent it
  // starts must not hold the pipe open (read() below would never see EOF).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(tool.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, tool.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (spawned != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    return -1;
  }
  if (!input.empty()) (void)!::write(in_pipe[1], input.data(), input.size());
  ::close(in_pipe[1]);
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out_pipe[0], buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  ::close(out_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) *out = got;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string MustRun(const std::string& tool, const std::vector<std::string>& args,
                    const std::string& input = "") {
  std::string out;
  const std::string err_path = std::filesystem::temp_directory_path() / "sspf-bench-cli.err";
  int rc = RunTool(tool, args, input, &out, err_path);
  if (rc != 0) {
    std::string line;
    std::getline(std::ifstream(err_path), line);
    Die("sspf-tool " + args.back(), Internal("exit " + std::to_string(rc) + ": " + line));
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// The last word of a line such as "case 3f2a..." or "Added ...: ID".
std::string LastWord(const std::string& s) {
  size_t sp = s.find_last_of(" \t\n");
  return sp == std::string::npos ? s : s.substr(sp + 1);
}

// A fictitious personnummer (serial 001-999, valid check digit) for a youth
// born in 2011.
std::string TestPnr() {
  const std::string ten = "1103104" + std::string("21");
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) {
    int d = (ten[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return "20" + ten + std::to_string((10 - sum % 10) % 10);
}

// A per-command figure with the absolute goal of issue 14: at most 20 ms.
Figure AtMost20Ms(const char* name, double ms, const char* note) {
  Figure f;
  f.name = name;
  f.value = ms;
  f.unit = "ms (wall, per command)";
  f.baseline = 20;
  f.ratio = ms / 20;
  f.goal = "<= 20 ms";
  f.met = ms <= 20;
  f.note = note;
  return f;
}

}  // namespace

std::vector<Figure> CliAgentFigures(const std::string& tool, const std::string& dir) {
  std::vector<Figure> figs;
  std::filesystem::create_directories(dir + "/run");
  std::filesystem::permissions(dir + "/run", std::filesystem::perms::owner_all);
  ::setenv("XDG_RUNTIME_DIR", (dir + "/run").c_str(), 1);
  ::setenv("SSPF_KDF", "interactive", 1);
  ::unsetenv("SSPF_AGENT_SOCK");
  const std::string store = dir + "/agent.db";
  auto pw = [&](const std::string& who) {
    std::string path = dir + "/" + who + ".pw";
    std::ofstream(path) << who << " bench passphrase 42\n";
    return path;
  };
  const std::string anna = pw("anna"), kim = pw("kim"), sara = pw("sara");
  Progress("cli_agent: setting up a store with sspf-tool");
  MustRun(tool, {"--store", store, "init", "--admin", "anna", "--passphrase-file", anna});
  MustRun(tool, {"--store", store, "--user", "anna", "--passphrase-file", anna, "user", "add",
                 "kim", "--actor", "coordination", "--role", "coordinator",
                 "--new-passphrase-file", kim});
  MustRun(tool, {"--store", store, "--user", "anna", "--passphrase-file", anna, "user", "add",
                 "sara", "--actor", "school", "--role", "member", "--new-passphrase-file", sara});
  MustRun(tool, {"--store", store, "--user", "sara", "--passphrase-file", sara, "whoami"});
  const std::string pnr = TestPnr();
  const std::string subject =
      LastWord(MustRun(tool, {"--store", store, "--user", "kim", "--passphrase-file", kim,
                              "subject", "add", "--pnr", "-", "--name", "Bench Testsson"},
                       pnr + "\n"));
  const std::string case_id =
      LastWord(MustRun(tool, {"--store", store, "--user", "kim", "--passphrase-file", kim,
                              "case", "open", "--subject", subject, "--team", "sara"}));
  const std::string first =
      LastWord(MustRun(tool, {"--store", store, "--user", "sara", "--passphrase-file", sara,
                              "entry", "add", "--case", case_id, "--category", "school"},
                       "Första anteckningen.\n"));

  // The in-process side (the same operations on an open session) and the
  // agent's side (separate sspf-tool processes) run in alternating rounds,
  // both sessions open on the store at once, so that both see the same
  // disk: a durable commit's fsync is most of each operation, and its time
  // drifts from second to second (one block after the other measured 2.3
  // to 4.2 on an idle machine).
  constexpr int kRounds = 10;
  StoreOptions options;
  options.path = store;
  options.passphrase_cost = PassphraseCost::Interactive();
  std::ifstream pwf(sara);
  std::string pass_line;
  std::getline(pwf, pass_line);
  Session s = Must(Store::Open(options, "sara",
                               Credential::Passphrase(
                                   Must(SecretBytes::Copy(pass_line), "cli_agent: key"))),
                   "cli_agent: open");
  const Purpose purpose{"follow-up", ""};
  auto api_round = [&] {
    (void)s.principal();
    Must(s.ListCases(), "ListCases");
    Must(s.ShowCase(case_id), "ShowCase");
    Must(s.ListEntries(case_id), "ListEntries");
    std::string id =
        Must(s.AddEntry(case_id, Category::kSchool, "Anteckning i processen.\n"), "AddEntry");
    Must(s.ReadEntry(first, purpose), "ReadEntry");
    Must(s.ListConsents(case_id), "ListConsents");
    Must(s.ReadEntry(id, purpose), "ReadEntry");
  };

  Progress("cli_agent: starting the agent");
  MustRun(tool, {"--store", store, "--user", "sara", "--passphrase-file", sara, "agent",
                 "--idle-timeout", "600"});
  const std::vector<std::string> g = {"--store", store, "--user", "sara"};
  auto cmd = [&](std::vector<std::string> words) {
    std::vector<std::string> a = g;
    a.insert(a.end(), words.begin(), words.end());
    return a;
  };
  auto tool_round = [&] {
    MustRun(tool, cmd({"whoami"}));
    MustRun(tool, cmd({"case", "list"}));
    MustRun(tool, cmd({"case", "show", case_id}));
    MustRun(tool, cmd({"entry", "list", "--case", case_id}));
    std::string id = LastWord(MustRun(
        tool, cmd({"entry", "add", "--case", case_id, "--category", "school"}),
        "Anteckning via agenten.\n"));
    MustRun(tool, cmd({"entry", "read", first, "--purpose", "follow-up"}));
    MustRun(tool, cmd({"consent", "list", "--case", case_id}));
    MustRun(tool, cmd({"entry", "read", id, "--purpose", "follow-up"}));
  };
  // One untimed round each: the first use of a session reads what later
  // ones find in its memory, on both sides.
  api_round();
  tool_round();
  Progress("cli_agent: API calls and commands through the agent, in turns");
  double api_s = 0, tool_s = 0;
  for (int r = 0; r < kRounds; ++r) {
    const auto a0 = Clock::now();
    api_round();
    const auto t0 = Clock::now();
    tool_round();
    api_s += Seconds(a0, t0);
    tool_s += Seconds(t0, Clock::now());
  }
  MustRun(tool, cmd({"lock"}));

  Progress("cli_agent: sspf-tool --version");
  constexpr int kVersions = 40;
  const auto v0 = Clock::now();
  for (int i = 0; i < kVersions; ++i) MustRun(tool, {"--version"});
  const double version_s = Seconds(v0, Clock::now());
  ProgressDone();

  const int n = 8 * kRounds;
  Figure f;
  f.name = "cli_agent";
  f.value = tool_s;
  f.unit = "s (wall, " + std::to_string(n) + " commands)";
  f.baseline = api_s;
  f.ratio = tool_s / api_s;
  f.goal = "<= 3";
  f.met = f.ratio <= 3.0;
  f.note = Fmt("%d sspf-tool processes through the agent (%.1f ms each) vs the same %d "
               "operations in-process on an open session (%.1f ms each), in alternating "
               "rounds of 8 after one untimed round each; every read and write is logged "
               "durably on both sides",
               n, tool_s * 1000 / n, n, api_s * 1000 / n);
  figs.push_back(f);

  figs.push_back(AtMost20Ms("cli_agent_command_ms", tool_s * 1000 / n,
                            "the mean of the commands above: process start, the agent "
                            "round trip, the work"));
  figs.push_back(AtMost20Ms("cli_no_unlock_ms", version_s * 1000 / kVersions,
                            "sspf-tool --version, a command that does not unlock (process "
                            "start and exit)"));
  return figs;
}

}  // namespace sspf::bench
