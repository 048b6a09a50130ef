// sspf-tool-core: the full command line of libsspf (DESIGN §9), run by the
// light front end sspf-tool (client_main.cpp).
#include <sys/prctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "agent.h"
#include "agent_wire.h"
#include "cli.h"
#include "sspf/sspf.h"

namespace {

using sspf::cli::Command;

// No core dump may carry a passphrase or decrypted record.
void DisableCoreDumps() {
  rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void PrintOverview(std::ostream& out, const std::string& prefix) {
  out << "sspf-tool: encrypted SSPF case records with an auditable access log\n\n"
         "Usage: sspf-tool [global options] COMMAND [options]\n\n"
         "Commands:\n";
  for (const Command& c : sspf::cli::Commands()) {
    if (!prefix.empty() && c.path.rfind(prefix, 0) != 0) continue;
    out << "  " << c.path;
    for (size_t i = c.path.size(); i < 20; ++i) out << ' ';
    out << "  " << c.summary << "\n";
  }
  out << "\nGlobal options (before or after the command):\n"
         "  --store PATH            store file (default $SSPF_STORE, else ./sspf.db)\n"
         "  --user NAME             principal (default $SSPF_USER)\n"
         "  --passphrase-file FILE  passphrase file (default $SSPF_PASSPHRASE_FILE,\n"
         "                          else a prompt without echo; never on argv)\n"
         "  --json                  machine output: one JSON document on stdout\n"
         "  --version               print the version and exit\n"
         "  --man                   print the manual page sspf-tool(1) (roff)\n"
         "  --completion bash       print the bash completion script\n\n"
         "Exit codes: 0 ok, 1 other error, 2 usage or invalid input, 3 denied,\n"
         "4 not found, 5 wrong passphrase / not a store, 6 integrity violation.\n"
         "Run 'sspf-tool COMMAND --help' for a command's options and an example.\n";
}

}  // namespace

namespace sspf::cli {

int RunCommandLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   bool forward, std::string* command) {
  if (command != nullptr) command->clear();
  // Under --json even a usage error is a JSON document (on stderr).
  const bool json = sspf::cli::WantsJson(args);
  auto usage = [json, &err](const std::string& message) {
    return sspf::cli::ReportError(err, json, sspf::InvalidArgument(message),
                                  sspf::cli::kExitUsage, "sspf-tool: " + message);
  };
  // Anywhere on the line: after the command, boost would take "--passphrase"
  // as a prefix of --passphrase-file (its value a file name, or "given
  // twice" beside --passphrase-file).
  for (const std::string& a : args) {
    if (a.find("--passphrase=") == 0 || a == "--passphrase") {
      return usage("passphrases are never accepted on the command line; "
                   "use --passphrase-file or the prompt");
    }
  }
  // Global options may come before the command words.
  static const std::set<std::string> kValued = {"--store", "--user", "--passphrase-file"};
  std::vector<std::string> leading;
  // The first option before the command words that is no global option,
  // as its name only (up to '=', and only while it looks like an option
  // name: a value typed there must not reach a terminal log).
  std::string stray;
  size_t i = 0;
  while (i < args.size() && (args[i].rfind("--", 0) == 0 || args[i] == "-h")) {
    const std::string& a = args[i];
    const std::string name = a.substr(0, a.find('='));
    if (stray.empty() && !kValued.count(name) && name != "--json") {
      stray = name.size() <= 40 && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-", 2) ==
                                       std::string::npos
                  ? "'" + name + "'"
                  : "(not shown)";
    }
    if (a == "--help" || a == "-h") {
      PrintOverview(out, "");
      return 0;
    }
    if (a == "--version") {
      out << "sspf-tool " << sspf_version() << "\n";
      return 0;
    }
    if (a == "--man") {  // the man page sspf-tool(1), made from the help texts
      std::ostringstream overview;
      PrintOverview(overview, "");
      sspf::cli::PrintManPage(out, sspf_version(), overview.str());
      return 0;
    }
    if (a == "--completion") {
      if (i + 1 >= args.size() || args[i + 1] != "bash") {
        return usage("--completion takes the shell: --completion bash");
      }
      sspf::cli::PrintBashCompletion(out);
      return 0;
    }
    leading.push_back(a);
    if (kValued.count(a) && a.find('=') == std::string::npos) {
      if (i + 1 >= args.size()) {
        return usage(a + " needs a value");
      }
      leading.push_back(args[i + 1]);
      i += 2;
    } else {
      ++i;
    }
  }
  // The longest registered command path matching the next words.
  const Command* best = nullptr;
  size_t best_words = 0;
  for (const Command& c : sspf::cli::Commands()) {
    std::istringstream ws(c.path);
    std::string w;
    size_t n = 0;
    bool match = true;
    while (ws >> w) {
      if (i + n >= args.size() || args[i + n] != w) {
        match = false;
        break;
      }
      ++n;
    }
    if (match && n > best_words) {
      best = &c;
      best_words = n;
    }
  }
  if (best == nullptr) {
    // "sspf-tool --stor x whoami", "sspf-tool -x whoami": a mistyped option,
    // not a command.
    if (stray.empty() && i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
      const std::string& a = args[i];
      stray = a.size() == 2 && std::isalpha(static_cast<unsigned char>(a[1])) ? "'" + a + "'"
                                                                            : "(not shown)";
    }
    if (!stray.empty()) {
      return usage("unknown option " + stray + " (the global options are --store, --user, "
                   "--passphrase-file and --json; see sspf-tool --help)");
    }
    if (i >= args.size()) {
      if (json) return usage("no command given (see sspf-tool --help)");
      err << "sspf-tool: no command given; the commands are:\n\n";
      PrintOverview(err, "");
      return 2;
    }
    // The command words the user typed (up to the first option).
    std::vector<std::string> words;
    for (size_t k = i; k < args.size() && args[k].rfind("-", 0) != 0; ++k) {
      words.push_back(args[k]);
    }
    std::string typed_path;
    for (const std::string& w : words) typed_path += (typed_path.empty() ? "" : " ") + w;
    // A group alone ("sspf-tool user", "sspf-tool plan action"), or a typo.
    auto starts_group = [&](const std::string& prefix) {
      return std::any_of(sspf::cli::Commands().begin(), sspf::cli::Commands().end(),
                         [&](const Command& c) { return c.path.rfind(prefix + " ", 0) == 0; });
    };
    const bool group = starts_group(args[i]);
    if (!words.empty() && starts_group(typed_path)) {
      const size_t after = i + words.size();
      bool help = after < args.size() && (args[after] == "--help" || args[after] == "-h");
      const std::string line = "'" + typed_path + "' needs a subcommand";
      if (json && !help) return usage(line + " (see sspf-tool " + typed_path + " --help)");
      if (!help) err << "sspf-tool: " << line << "; they are:\n\n";
      PrintOverview(help ? out : err, typed_path + " ");
      return help ? 0 : 2;
    }
    // Echo only what looks like command words: a personnummer or a name
    // typed in the wrong place must not reach a terminal log.
    std::string typed;
    for (const std::string& w : words) typed += (typed.empty() ? "" : " ") + w;
    const bool wordlike =
        typed.size() <= 40 && typed.find_first_not_of("abcdefghijklmnopqrstuvwxyz- ") ==
                                  std::string::npos;
    if (!wordlike) typed = "(not shown: not a command word)";
    const std::string suggestion = sspf::cli::SuggestCommand(words);
    return usage("unknown command " + (wordlike ? "'" + typed + "'" : typed) + " (" +
                 (suggestion.empty() ? std::string("see sspf-tool ") +
                                           (group ? args[i] + " " : "") + "--help"
                                     : "did you mean '" + suggestion + "'?") +
                 ")");
  }
  if (command != nullptr) *command = best->path;
  if (forward) {
    if (std::optional<int> code = ForwardToAgent(best->path, args)) return *code;
  }
  sspf::cli::Context ctx;
  ctx.command = best->path;
  ctx.args = leading;
  ctx.args.insert(ctx.args.end(), args.begin() + static_cast<long>(i + best_words), args.end());
  ctx.out = &out;
  ctx.err = &err;
  ctx.globals.json = json;
  try {
    return best->run(ctx);
  } catch (const std::exception&) {
    // Never print exception text: it could carry input.
    return sspf::cli::ReportError(err, json,
                                  sspf::Internal("internal error in " + best->path),
                                  sspf::cli::kExitOther,
                                  "sspf-tool: internal error in " + best->path);
  }
}

}  // namespace sspf::cli

int main(int argc, char** argv) {
  DisableCoreDumps();
  sspf::cli::RegisterStoreCommands();
  sspf::cli::RegisterSubjectCaseCommands();
  sspf::cli::RegisterConsentEntryCommands();
  sspf::cli::RegisterAuditCommands();
  sspf::cli::RegisterWitnessCommands();
  sspf::cli::RegisterRetentionCommands();
  sspf::cli::RegisterPlanCommands();
  sspf::cli::RegisterAgentCommands();
  // The front end (client_main.cpp) already asked the agent, if any.
  const bool forward = std::getenv(sspf::agent_wire::kFrontEndTriedEnv) == nullptr;
  ::unsetenv(sspf::agent_wire::kFrontEndTriedEnv);
  return sspf::cli::RunCommandLine(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                   std::cerr, forward);
}
