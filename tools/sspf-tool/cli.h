// sspf-tool's small framework: global options, the command registry,
// passphrase input, exit codes and output.  Commands live in cmd_*.cpp and
// register themselves from a Register*Commands function called by main().
// The tool links only sspf::sspf and Boost.ProgramOptions: no SQL, no
// libsodium, nothing from libsspf/src.  Every --json document is made by the
// library (sspf/json.h); the tool only prints it.
#ifndef SSPF_TOOL_CLI_H_
#define SSPF_TOOL_CLI_H_

#include <boost/program_options.hpp>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sspf/civil_time.h"
#include "sspf/encoding.h"
#include "sspf/file.h"
#include "sspf/lists.h"
#include "sspf/json.h"
#include "sspf/pnr.h"
#include "sspf/store.h"

namespace sspf::cli {

namespace po = boost::program_options;

// Exit codes (DESIGN §9).
enum Exit : int {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,
  kExitDenied = 3,
  kExitNotFound = 4,
  kExitWrongKey = 5,
  kExitIntegrity = 6,
};
int ExitCodeFor(StatusCode code);

struct Globals {
  std::string store;            // --store, $SSPF_STORE, ./sspf.db
  std::string user;             // --user, $SSPF_USER
  bool json = false;            // --json
  std::string passphrase_file;  // --passphrase-file, $SSPF_PASSPHRASE_FILE
};

// Everything a command gets.
struct Context {
  Globals globals;
  std::vector<std::string> args;  // the arguments after the command words
  std::string command;            // "user add"
  std::ostream* out;
  std::ostream* err;
};

using CommandFn = std::function<int(Context&)>;

struct Command {
  std::string path;     // "user add", "audit verify"
  std::string summary;  // one line for the command list
  CommandFn run;
};

void RegisterCommand(Command c);
const std::vector<Command>& Commands();

// A whole number option ("--limit N", "--index N"): decimal digits only,
// so that "-1" is refused instead of wrapping around to 2^64 - 1.  The
// command checks its own range.
struct Count {
  uint64_t value = 0;
  bool given = false;  // set when the option was on the command line
};
void validate(boost::any& v, const std::vector<std::string>& values, Count*, int);

// Parses ctx.args against the command's own options plus the global
// options, with positional names in order.  Handles --help (prints usage
// built from `usage` + desc, returns kExitOk through *exit) and bad usage
// (one line on stderr, kExitUsage).  Returns false when the command should
// return *exit now.
bool ParseArgs(Context& ctx, const std::string& usage, po::options_description& desc,
               const std::vector<std::string>& positional, po::variables_map* vm,
               int* exit);

// Prints one line "sspf-tool: <message>" (plus a hint for the code) to
// stderr and returns the exit code for the status.  Under --json the line is
// the error document instead (ErrorJson: code, exit, message), also on
// stderr, so that stdout only ever carries a result document.
int Fail(Context& ctx, const Status& s);
int UsageError(Context& ctx, const std::string& message);
// The same for errors before a command runs (main): `line` as text, or the
// error document of `status` with exit code `exit` when json.
int ReportError(std::ostream& err, bool json, const Status& status, int exit,
                const std::string& line);
// True when the arguments ask for --json (also before they are parsed, so
// that usage errors can be reported as JSON).
bool WantsJson(const std::vector<std::string>& args);

// The session a command works in: its own (unlocked by OpenSession), or
// the one an agent holds for many commands (agent.cpp), borrowed.  Empty
// when the command should return now.  Used like a pointer: s->ReadEntry().
class SessionHandle {
 public:
  SessionHandle() = default;
  explicit SessionHandle(Session owned);
  static SessionHandle Borrow(Session* session);
  explicit operator bool() const { return session_ != nullptr; }
  Session* operator->() const { return session_; }
  Session& operator*() const { return *session_; }

 private:
  std::unique_ptr<Session> owned_;
  Session* session_ = nullptr;
};

// Inside `sspf-tool agent`: the session every command borrows instead of
// unlocking, and the store (as given to the agent, made absolute) and user
// it belongs to; a command for another store or user is refused.  nullptr
// ends it.
void SetAgentSession(Session* session, const std::string& store, const std::string& user);

// What most commands do first: ParseArgs, then `check` (if given: checks
// and converts the option values before the passphrase is asked for), then
// OpenSession (or the agent's session).  An id prefix (6 to 31 hex digits,
// as in git) in an id option (--case, --subject, the
// positional id, --basis consent:ID, ...) is first replaced by the full id
// it names (Session::ResolveId), so `check` sees full ids; the session is
// then opened before `check`.  An ambiguous or unknown prefix fails the
// command (exit 2, or 4 for unknown).  Returns the session, or an empty
// handle with *exit set when the command should return now (after --help, a
// usage error, a failed check or a failed unlock, already reported).  A
// check that fails with kInvalidArgument is reported as a usage error, any
// other as Fail.
SessionHandle ParseAndOpen(Context& ctx, const std::string& usage,
                                    po::options_description& desc,
                                    const std::vector<std::string>& positional,
                                    int* exit,
                                    const std::function<Status()>& check = nullptr);

// A command whose one positional argument is an id (e.g. "case close ID"):
// opens the session, runs run(session, id), and on success prints
// done_text + " " + id, or with --json done_json(id).  The exit code as
// Fail gives it otherwise.
int IdCommand(Context& ctx, const std::string& usage, const char* id_help,
              const std::function<Status(Session&, const std::string&)>& run,
              const std::string& done_text,
              const std::function<std::string(std::string_view)>& done_json);

// The store options for the globals (path, system clock, defaults; the
// environment variable SSPF_KDF=interactive lowers the Argon2id cost for
// demos and tests, SSPF_CLOCK_TOLERANCE=SECONDS sets
// StoreOptions::clock_tolerance_seconds), SSPF_PURPOSES_FILE=F replaces
// StoreOptions::purposes by the lines "code<TAB>label_sv<TAB>label_en" of F).
// kInvalidArgument for a tolerance that is not a whole number of seconds or
// a purposes file that cannot be read or does not validate.
// SSPF_RETENTION_FILE=F replaces StoreOptions::retention_rules by the lines
// of F (cmd_retention.cpp, ReadRetentionFile; docs/retention.md).
Result<StoreOptions> OptionsFor(const Globals& g);
// The retention rules of a file: one rule a line, tab-separated: id, actor,
// categories ("*" or a comma list), from, years, birth days ("-" or a comma
// list), citation, summary.  Empty lines and '#' lines are skipped.
Result<std::vector<RetentionRule>> ReadRetentionFile(const std::string& path);

// Reads the passphrase of the --user from --passphrase-file (first line) or,
// on a terminal, a prompt without echo.  Never from argv.
Result<SecretBytes> ReadPassphrase(const Globals& g, const std::string& prompt);
// A new passphrase: from `file` if given, else prompted twice on the terminal.
Result<SecretBytes> ReadNewPassphrase(const std::string& file, const std::string& what);
// Reads a secret from a file (first line, without the line end).
Result<SecretBytes> ReadSecretFile(const std::string& path);

// Unlocks the store as --user.
Result<Session> OpenSession(const Globals& g);

// `path` made absolute against the working directory (no symbolic links
// resolved: the store refuses those itself).
std::string AbsolutePath(const std::string& path);

// The tool describing itself (reference.cpp), from the registered commands
// and their own --help text: the man page sspf-tool(1) in roff (overview is
// the text of `sspf-tool --help`), and a bash completion script.
void PrintManPage(std::ostream& out, const std::string& version, const std::string& overview);
void PrintBashCompletion(std::ostream& out);
// The registered command closest to the typed command words (a typo: at
// most 2 edits), or "" when none is close.
std::string SuggestCommand(const std::vector<std::string>& words);

// Prints a JSON document made by sspf/json.h (one line) to ctx.out.
void PrintJson(Context& ctx, const std::string& document);
// The same for a document holding identity data, content or a key: the
// text is wiped after printing.
void PrintSecretJson(Context& ctx, std::string document);
// Reads a long text (an entry body, meeting minutes) from `file`, or from
// stdin when file is "" or "-" (with a hint on stderr when stdin is a
// terminal, naming `command` and `what`): at most the library's default
// entry limit plus one byte, so that the library reports the limit.
// kInvalidArgument when the file cannot be read.
Status ReadBody(const std::string& file, const std::string& command, const std::string& what,
                std::string* body);
// For commands that create or change one thing: under --json prints
// `document`, else `text` and a newline.  Returns kExitOk.
int PrintDone(Context& ctx, const std::string& text, const std::string& document);
// A progress callback that shows "<what>: N% (done/total)" on ctx.err when
// stderr is a terminal, or an empty function otherwise; ClearProgress
// erases the line afterwards (nothing when not a terminal).
std::function<void(uint64_t, uint64_t)> TerminalProgress(Context& ctx, const std::string& what);
void ClearProgress(Context& ctx);
// For commands that create one thing: Fail, or print the CreatedJson
// document or "<what> <id>".
int ShowCreated(Context& ctx, const Result<std::string>& id, const std::string& what);
// Wipes and clears a string that held a secret or content.
void Wipe(std::string* s);

// What most commands do last: reports a failed result (Fail), or prints its
// value: the document json(value) under --json (wiped after printing, as it
// may hold identity data or content), else text(value).
template <typename T, typename Json, typename Text>
int Show(Context& ctx, const Result<T>& result, Json json, Text text) {
  if (!result.ok()) return Fail(ctx, result.status());
  if (ctx.globals.json) {
    PrintSecretJson(ctx, json(*result));
  } else {
    text(*result);
  }
  return kExitOk;
}

// A text option that may carry a name or a reason: nothing personal belongs
// on argv (DESIGN §9 says so of passphrases; the same holds for names).
// --OPT TEXT is kept for test data, but argv is visible to other local
// users in /proc/PID/cmdline, so --OPT-file F reads the value
// from a file instead, or from stdin when F is "-"; a repeated option
// (--guardian) reads one value per line, empty lines ignored.  When neither
// is given and the value is required, it is asked for with a one-line
// prompt on stderr if stdin is a terminal.  A value from a file, stdin or
// the prompt loses one line end and is checked by the library like one from
// argv (UTF-8, no control characters, StoreOptions::max_text_bytes); longer
// than that is a usage error.  The values are wiped on destruction.
class TextArg {
 public:
  // option: "name" for --name and --name-file; what: "Name of the youth"
  // (the prompt); repeated: the option may be given more than once.
  TextArg(std::string option, std::string what, bool repeated = false);
  ~TextArg();
  TextArg(const TextArg&) = delete;
  TextArg& operator=(const TextArg&) = delete;

  // Adds --OPT (with `help` and the /proc warning) and --OPT-file to desc.
  void AddTo(po::options_description& desc, const std::string& help);
  // After parsing: reads --OPT-file, or prompts for a missing required
  // value.  kInvalidArgument (a usage error, one line naming the option,
  // never the value) when both forms are given, the file cannot be read or
  // is over the limit, or a required value is missing.
  Status Read(bool required);
  bool reads_stdin() const { return file_ == "-"; }
  // The value ("" when none was given), and every value of a repeated option.
  const std::string& value() const;
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::string option_, what_;
  bool repeated_;
  std::vector<std::string> values_;
  std::string file_;
};
// Reads each arg (TextArg::Read with its `required`); a usage error when
// more than one of them, or one of them and another option (other_stdin),
// would read stdin.
Status ReadTextArgs(std::initializer_list<std::pair<TextArg*, bool>> args,
                    bool other_stdin = false);

// Helpers for option values.
// A comma list as std::getline reads it: SplitList (sspf/lists.h) without a
// last empty item, so "" gives none and "a," gives "a", and each item
// without the spaces around it ("sara, per" gives "sara" and "per").
std::vector<std::string> SplitArgList(const std::string& s);
// SplitArgList, and each item a name (ParseActor, ParseCategory); at least one.
Result<std::vector<Actor>> ParseActorList(const std::string& s);
Result<std::vector<Category>> ParseCategoryList(const std::string& s);
// SplitArgList with no empty item.
Result<std::vector<std::string>> SplitNames(const std::string& s);
inline std::string JoinActors(const std::vector<Actor>& v) { return JoinActorNames(v); }
inline std::string JoinCategories(const std::vector<Category>& v) { return JoinCategoryNames(v); }
inline std::string FormatTime(UnixSeconds t) { return FormatRfc3339(t); }  // "2026-11-25T13:45:00Z"
// Accepts "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ" or unix seconds.
Result<UnixSeconds> ParseTime(const std::string& s);
// A kept checkpoint named by --checkpoint (none when path is empty); a usage
// error when the file cannot be read or is over 1 MiB (cmd_audit.cpp).
Status ReadCheckpoint(const std::string& path, std::optional<std::string>* note);

// Writes a public file (a checkpoint) atomically, mode 0644 (sspf/file.h).
inline Status WriteFileAtomically(const std::string& path, const std::string& data) {
  return ::sspf::WriteFileAtomically(path, data, 0644);
}
inline std::string Base64(const std::vector<uint8_t>& b) { return Base64Encode(b); }
// The trust anchor as init and audit trust-anchor print it: the lines
// "trust-anchor <base64 key>" and "fingerprint  <fingerprint>", each after
// `indent` and ending in a newline.
std::string TrustAnchorLines(const std::vector<uint8_t>& public_key, const std::string& indent);

// Registration functions, one per command file.
void RegisterStoreCommands();   // init, whoami, user ...   (cmd_store.cpp)
void RegisterSubjectCaseCommands();   // subject, case        (cmd_subject_case.cpp)
void RegisterConsentEntryCommands();  // consent, entry, grant (cmd_consent_entry.cpp)
void RegisterAuditCommands();   // audit ...                (cmd_audit.cpp)
void RegisterWitnessCommands(); // audit witness ...        (cmd_witness.cpp)
void RegisterReviewCommands();  // audit review, ack ...    (cmd_review.cpp)
void RegisterRetentionCommands();  // retention ...          (cmd_retention.cpp)
void RegisterPlanCommands();    // plan, meeting, due       (cmd_plan.cpp)

// Runs one command line (argv without the program name) as main() does,
// writing to out and err; forward: a command may go to a running agent
// (agent.cpp), false inside the agent itself.  *command (if given) gets the
// command's path ("case list"), or "" when none matched.
int RunCommandLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   bool forward, std::string* command = nullptr);

}  // namespace sspf::cli

#endif  // SSPF_TOOL_CLI_H_
