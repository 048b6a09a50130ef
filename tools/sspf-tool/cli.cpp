// sspf-tool's shared helpers (cli.h): parsing, opening, id prefixes, output.
// One file over 700 lines on purpose: every command goes through these, and
// splitting them would scatter the rules of how a command reads its input.
#include "cli.h"

#include "agent_wire.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace sspf::cli {

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument: return kExitUsage;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kPermissionDenied:
    case StatusCode::kConsentRequired: return kExitDenied;
    case StatusCode::kWrongKey: return kExitWrongKey;
    case StatusCode::kIntegrityViolation: return kExitIntegrity;
    default: return kExitOther;
  }
}

namespace {
std::vector<Command>& Registry() {
  static std::vector<Command> r;
  return r;
}

std::string Hint(StatusCode code) {
  switch (code) {
    case StatusCode::kWrongKey:
      return " (check --user, --passphrase-file and --store)";
    case StatusCode::kBusy:
      return " (another process holds the store; try again)";
    case StatusCode::kIntegrityViolation:
      return " (do not write to this store; keep a copy and tell your auditor)";
    default:
      return "";
  }
}
}  // namespace

void RegisterCommand(Command c) { Registry().push_back(std::move(c)); }
const std::vector<Command>& Commands() { return Registry(); }

int ReportError(std::ostream& err, bool json, const Status& status, int exit,
                const std::string& line) {
  if (json) {
    err << ErrorJson(status, exit) << "\n";
  } else {
    std::string text = line;
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    err << text << "\n";
  }
  return exit;
}

bool WantsJson(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--json") return true;
  }
  return false;
}

int Fail(Context& ctx, const Status& s) {
  // The library's messages are for every host; a hint for this tool reads
  // "(sspf-tool: --note-file F)" there (util/purposes.cpp).  Here the tool
  // itself speaks, so it is "(--note-file F)".
  std::string message = s.message();
  const std::string kToTool = "(sspf-tool: ";
  for (size_t p = message.find(kToTool); p != std::string::npos; p = message.find(kToTool, p)) {
    message.replace(p, kToTool.size(), "(");
  }
  const Status shown(s.code(), message);
  return ReportError(*ctx.err, ctx.globals.json, shown, ExitCodeFor(s.code()),
                     "sspf-tool: " + message + Hint(s.code()));
}

int UsageError(Context& ctx, const std::string& message) {
  return ReportError(*ctx.err, ctx.globals.json || WantsJson(ctx.args),
                     InvalidArgument(ctx.command + ": " + message), kExitUsage,
                     "sspf-tool " + ctx.command + ": " + message + " (see sspf-tool " +
                         ctx.command + " --help)");
}

namespace {
// A Count option's value that is no whole number: SafeParseError says what
// the option takes.
class NotAWholeNumber : public po::invalid_option_value {
 public:
  using po::invalid_option_value::invalid_option_value;
};
}  // namespace

void validate(boost::any& v, const std::vector<std::string>& values, Count*, int) {
  po::validators::check_first_occurrence(v);
  const std::string& text = po::validators::get_single_string(values);
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw NotAWholeNumber(text);
  }
  v = Count{std::stoull(text), true};
}

namespace {
void AddGlobals(po::options_description& g, Globals& globals) {
  g.add_options()
      ("store", po::value<std::string>(&globals.store),
       "store file (default $SSPF_STORE, else ./sspf.db)")
      ("user", po::value<std::string>(&globals.user),
       "principal name (default $SSPF_USER)")
      ("json", po::bool_switch(&globals.json), "machine output: one JSON document")
      ("passphrase-file", po::value<std::string>(&globals.passphrase_file),
       "read the passphrase from this file (default $SSPF_PASSPHRASE_FILE, "
       "else prompt); never give a passphrase on the command line")
      ("help,h", "show this help");
}
}  // namespace

namespace {

// The option a parse error is about, as typed up to '=' and only while it
// looks like an option name: a mistyped "--pn=<personnummer>" must not
// echo the number into a terminal log (DESIGN: no personal data in error
// messages).
std::string OptionNameOnly(std::string name) {
  name = name.substr(0, name.find('='));
  size_t n = 0;
  while (n < name.size() && n < 40 &&
         (std::isalnum(static_cast<unsigned char>(name[n])) || name[n] == '-' || name[n] == '_')) {
    ++n;
  }
  return name.substr(0, n);
}

// One line about a boost parse error that names the option, never a value.
std::string SafeParseError(const po::error& e) {
  std::string option;
  if (const auto* named = dynamic_cast<const po::error_with_option_name*>(&e)) {
    option = OptionNameOnly(named->get_option_name());
  }
  const std::string which = option.empty() ? "an option" : "'" + option + "'";
  if (dynamic_cast<const po::unknown_option*>(&e)) return "unknown option " + which;
  if (dynamic_cast<const po::ambiguous_option*>(&e)) return "ambiguous option " + which;
  if (dynamic_cast<const NotAWholeNumber*>(&e)) {
    return (option.empty() ? std::string("the option") : option) +
           " takes a whole number (up to 15 digits, no sign)";
  }
  if (dynamic_cast<const po::invalid_option_value*>(&e) ||
      dynamic_cast<const po::validation_error*>(&e)) {
    return "invalid value for " + which;
  }
  if (dynamic_cast<const po::multiple_occurrences*>(&e)) return which + " is given twice";
  if (dynamic_cast<const po::too_many_positional_options_error*>(&e)) {
    return "too many arguments";
  }
  if (dynamic_cast<const po::invalid_command_line_syntax*>(&e)) {
    return "bad syntax near " + which + " (missing value?)";
  }
  return "bad command line near " + which;
}

// How a message names an argument: "--case", or for a positional one the
// name the usage line gives it ("ID", "GUARDIAN_ID").
std::string ArgumentName(const std::string& name, const std::vector<std::string>& positional) {
  if (std::find(positional.begin(), positional.end(), name) == positional.end()) {
    return "--" + name;
  }
  std::string upper = name;
  for (char& c : upper) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return upper;
}

}  // namespace

bool ParseArgs(Context& ctx, const std::string& usage, po::options_description& desc,
               const std::vector<std::string>& positional, po::variables_map* vm,
               int* exit) {
  po::options_description globals("Global options");
  AddGlobals(globals, ctx.globals);
  po::options_description all;
  all.add(desc).add(globals);
  po::positional_options_description pos;
  for (const std::string& p : positional) pos.add(p.c_str(), 1);
  try {
    po::store(po::command_line_parser(ctx.args).options(all).positional(pos).run(), *vm);
    if (vm->count("help")) {
      *ctx.out << "Usage: sspf-tool " << usage << "\n\n" << desc << "\n" << globals;
      *exit = kExitOk;
      return false;
    }
    po::notify(*vm);
  } catch (const po::required_option& e) {
    // A positional argument reads as "the option '--id' is required" to
    // boost: name it as the usage line does.
    std::string name = e.get_option_name();
    while (!name.empty() && name[0] == '-') name.erase(0, 1);
    if (std::find(positional.begin(), positional.end(), name) != positional.end()) {
      *exit = UsageError(ctx, "missing argument " + ArgumentName(name, positional) + " in '" +
                                  usage.substr(0, usage.find('\n')) + "'");
    } else {
      *exit = UsageError(ctx, e.what());
    }
    return false;
  } catch (const po::error& e) {
    *exit = UsageError(ctx, SafeParseError(e));
    return false;
  }
  // Environment defaults (DESIGN §9).
  Globals& g = ctx.globals;
  if (g.store.empty()) {
    const char* s = std::getenv("SSPF_STORE");
    g.store = s && *s ? s : "./sspf.db";
  }
  if (g.user.empty()) {
    const char* u = std::getenv("SSPF_USER");
    if (u) g.user = u;
  }
  if (g.passphrase_file.empty()) {
    const char* f = std::getenv("SSPF_PASSPHRASE_FILE");
    if (f) g.passphrase_file = f;
  }
  return true;
}

SessionHandle::SessionHandle(Session owned)
    : owned_(std::make_unique<Session>(std::move(owned))), session_(owned_.get()) {}

SessionHandle SessionHandle::Borrow(Session* session) {
  SessionHandle h;
  h.session_ = session;
  return h;
}

namespace {
struct AgentSession {
  Session* session = nullptr;
  std::string store;
  std::string user;
};
AgentSession& TheAgentSession() {
  static AgentSession a;
  return a;
}
}  // namespace

void SetAgentSession(Session* session, const std::string& store, const std::string& user) {
  TheAgentSession() = AgentSession{session, store, user};
}

namespace {

// The options whose value is an id (or KIND:ID): the commands name records
// by these, and a person may type any unique prefix of 6+ digits instead.
// Not "guardian": subject add's --guardian is a name ("Deedee" is hex);
// subject custody's positional GUARDIAN_ID is "guardian-id".
bool IsIdOption(const std::string& name) {
  static const char* const kIdOptions[] = {"id",      "case",   "subject",    "supersedes",
                                           "consent", "grant",  "basis",      "party",
                                           "target",  "disclosure", "goal", "guardian-id"};
  return std::any_of(std::begin(kIdOptions), std::end(kIdOptions),
                     [&](const char* o) { return name == o; });
}

// A prefix to look up: 6 to 31 hex digits.  Anything else (a full id, or
// a value too short to be a prefix) is used as typed, so the command
// reports a missing record as before.
bool IsIdPrefix(const std::string& v) {
  return v.size() >= 6 && v.size() < 32 &&
         std::all_of(v.begin(), v.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// A human case number, "2026-0042" (or "2026-42"): Session::ResolveId
// checks it; only --case and the positional id take one.
bool IsCaseNumber(const std::string& v) {
  auto digits = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  return v.size() >= 6 && v.size() <= 14 && v[4] == '-' && digits(v.substr(0, 4)) &&
         digits(v.substr(5));
}

// A guardian named by position or name in --party guardian:X: anything but
// a full id (an id prefix is resolved first, and a name such as "Deedee"
// that no id starts with is then taken as a name).
bool IsGuardianHandle(const std::string& option, const std::string& v) {
  if (option != "party" || v.rfind("guardian:", 0) != 0) return false;
  const std::string tail = v.substr(9);
  const bool full_id = tail.size() == 32 && std::all_of(tail.begin(), tail.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
  return !tail.empty() && !full_id;
}

// Calls fn for every id or id prefix in the id options of vm: the whole
// value, or the part after "KIND:" ("consent:PREFIX", "guardian:PREFIX"),
// and for a case number in --case or the positional id.
Status ForEachIdPrefix(po::variables_map& vm,
                       const std::function<Status(const std::string&, std::string*)>& fn) {
  for (auto& option : vm) {
    if (!IsIdOption(option.first)) continue;
    const bool numbers = option.first == "case" || option.first == "id";
    auto one = [&](std::string* v) -> Status {
      const size_t colon = v->find(':');
      std::string tail = colon == std::string::npos ? *v : v->substr(colon + 1);
      if (!IsIdPrefix(tail) && !(numbers && colon == std::string::npos && IsCaseNumber(tail))) {
        return Status::Ok();
      }
      SSPF_RETURN_IF_ERROR(fn(option.first, &tail));
      *v = (colon == std::string::npos ? "" : v->substr(0, colon + 1)) + tail;
      return Status::Ok();
    };
    boost::any& value = option.second.value();
    if (std::string* single = boost::any_cast<std::string>(&value)) {
      SSPF_RETURN_IF_ERROR(one(single));
    } else if (auto* many = boost::any_cast<std::vector<std::string>>(&value)) {
      for (std::string& v : *many) SSPF_RETURN_IF_ERROR(one(&v));
    }
  }
  return Status::Ok();
}

// Replaces every id prefix in the id options of vm by the full id
// (Session::ResolveId) and stores the values again into the variables the
// options are bound to.
Status ResolveIdOptions(Session& s, po::variables_map& vm,
                        const std::vector<std::string>& positional) {
  SSPF_RETURN_IF_ERROR(
      ForEachIdPrefix(vm, [&](const std::string& option, std::string* v) -> Status {
        Result<IdMatch> m = s.ResolveId(*v);
        if (!m.ok() && option == "party" && m.status().code() == StatusCode::kNotFound) {
          return Status::Ok();  // a guardian's name, resolved below
        }
        if (!m.ok()) {
          return Status(m.status().code(),
                        ArgumentName(option, positional) + ": " + m.status().message());
        }
        *v = m->id;
        return Status::Ok();
      }));
  // --party guardian:POSITION or guardian:NAME: the guardian id, found
  // among the guardians of the youth of --case (decided and logged as
  // subject show), so the consent's event names the guardian id.
  auto party = vm.find("party");
  if (party != vm.end()) {
    if (std::string* v = boost::any_cast<std::string>(&party->second.value())) {
      if (IsGuardianHandle("party", *v)) {
        auto c = vm.find("case");
        const std::string* case_id =
            c == vm.end() ? nullptr : boost::any_cast<std::string>(&c->second.value());
        if (case_id == nullptr) return InvalidArgument("--party guardian:X needs --case");
        Result<GuardianMatch> g = s.ResolveGuardian(*case_id, v->substr(9));
        if (!g.ok()) return Status(g.status().code(), "--party: " + g.status().message());
        *v = "guardian:" + g->guardian_id;
      }
    }
  }
  vm.notify();  // the bound variables get the full ids
  return Status::Ok();
}

bool HasIdPrefix(po::variables_map& vm) {
  bool any = false;
  (void)ForEachIdPrefix(vm, [&](const std::string&, std::string*) {
    any = true;
    return Status::Ok();
  });
  auto party = vm.find("party");
  if (party != vm.end()) {
    if (const std::string* v = boost::any_cast<std::string>(&party->second.value())) {
      any = any || IsGuardianHandle("party", *v);
    }
  }
  return any;
}

// The session of the command: the agent's, or one unlocked now.
SessionHandle OpenHandle(Context& ctx, int* exit) {
  const AgentSession& agent = TheAgentSession();
  if (agent.session != nullptr) {
    if (AbsolutePath(ctx.globals.store) != agent.store || ctx.globals.user != agent.user) {
      *exit = UsageError(ctx, "this agent serves another store or user; start an agent "
                              "for this one (sspf-tool agent --help)");
      return {};
    }
    return SessionHandle::Borrow(agent.session);
  }
  Result<Session> own = OpenSession(ctx.globals);
  if (!own.ok()) {
    *exit = Fail(ctx, own.status());
    return {};
  }
  return SessionHandle(std::move(*own));
}

}  // namespace

SessionHandle ParseAndOpen(Context& ctx, const std::string& usage,
                           po::options_description& desc,
                           const std::vector<std::string>& positional,
                           int* exit, const std::function<Status()>& check) {
  po::variables_map vm;
  if (!ParseArgs(ctx, usage, desc, positional, &vm, exit)) return {};
  // Id prefixes are resolved before `check`, which may copy the values; so
  // with a prefix the session is opened (the passphrase asked for) first.
  SessionHandle s;
  if (HasIdPrefix(vm)) {
    s = OpenHandle(ctx, exit);
    if (!s) return {};
    Status resolved = ResolveIdOptions(*s, vm, positional);
    if (!resolved.ok()) {
      *exit = resolved.code() == StatusCode::kInvalidArgument
                  ? UsageError(ctx, resolved.message())
                  : Fail(ctx, resolved);
      return {};
    }
  }
  if (check) {
    Status st = check();
    if (!st.ok()) {
      *exit = st.code() == StatusCode::kInvalidArgument ? UsageError(ctx, st.message())
                                                        : Fail(ctx, st);
      return {};
    }
  }
  if (!s) s = OpenHandle(ctx, exit);
  return s;
}

std::string AbsolutePath(const std::string& path) { return agent_wire::AbsolutePath(path); }

namespace {
// The purpose codes of SSPF_PURPOSES_FILE: one "code<TAB>Swedish
// label<TAB>English label" per line; empty lines and lines starting with
// '#' are skipped.
Result<std::vector<PurposeCode>> ReadPurposesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read SSPF_PURPOSES_FILE");
  std::vector<PurposeCode> out;
  std::string line;
  for (int n = 1; std::getline(in, line) && n <= 1000; ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t a = line.find('\t');
    const size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos || line.find('\t', b + 1) != std::string::npos) {
      return InvalidArgument("SSPF_PURPOSES_FILE line " + std::to_string(n) +
                             ": want code<TAB>Swedish label<TAB>English label");
    }
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  Status valid = ValidatePurposeCodes(out);
  if (!valid.ok()) return InvalidArgument("SSPF_PURPOSES_FILE: " + valid.message());
  return out;
}
}  // namespace

Result<std::vector<RetentionRule>> ReadRetentionFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read SSPF_RETENTION_FILE");
  std::vector<RetentionRule> out;
  std::string line;
  for (int n = 1; std::getline(in, line) && n <= 1000; ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string where = "SSPF_RETENTION_FILE line " + std::to_string(n);
    const std::vector<std::string> f = SplitList(line, '\t');
    if (f.size() != 8) {
      return InvalidArgument(where + ": want id<TAB>actor<TAB>categories<TAB>from<TAB>years"
                                     "<TAB>birth days<TAB>citation<TAB>summary");
    }
    RetentionRule r;
    r.id = f[0];
    std::optional<Actor> a = ParseActor(f[1]);
    if (!a) return InvalidArgument(where + ": unknown actor");
    r.actor = *a;
    if (f[2] != "*") {
      Result<std::vector<Category>> cats = ParseCategoryList(f[2]);
      if (!cats.ok()) return InvalidArgument(where + ": categories are '*' or a comma list");
      r.categories = *cats;
    }
    std::optional<RetentionFrom> from = ParseRetentionFrom(f[3]);
    if (!from) {
      return InvalidArgument(where + ": from is case-closed, last-entry, birth, decision or "
                                     "never");
    }
    r.from = *from;
    if (f[4].empty() || f[4].size() > 3 || f[4].find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument(where + ": years must be a whole number");
    }
    r.years = std::stoi(f[4]);
    if (f[5] != "-") {
      for (const std::string& d : SplitList(f[5])) {
        if (d.empty() || d.size() > 2 || d.find_first_not_of("0123456789") != std::string::npos) {
          return InvalidArgument(where + ": birth days are '-' or a comma list of days");
        }
        r.birth_days.push_back(std::stoi(d));
      }
    }
    r.citation = f[6];
    r.summary = f[7];
    out.push_back(std::move(r));
  }
  Status valid = ValidateRetentionRules(out);
  if (!valid.ok()) return InvalidArgument("SSPF_RETENTION_FILE: " + valid.message());
  return out;
}

Result<StoreOptions> OptionsFor(const Globals& g) {
  StoreOptions o;
  o.path = g.store;
  const char* kdf = std::getenv("SSPF_KDF");
  if (kdf && std::string(kdf) == "interactive") {
    o.passphrase_cost = PassphraseCost::Interactive();
  }
  const char* tolerance = std::getenv("SSPF_CLOCK_TOLERANCE");
  if (tolerance && *tolerance) {
    const std::string t(tolerance);
    if (t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument("SSPF_CLOCK_TOLERANCE must be a whole number of seconds");
    }
    o.clock_tolerance_seconds = std::stoll(t);
  }
  // The longest a consent may last, in months (default 12), e.g.
  // SSPF_CONSENT_MAX_MONTHS=6.
  const char* max_months = std::getenv("SSPF_CONSENT_MAX_MONTHS");
  if (max_months && *max_months) {
    const std::string m(max_months);
    if (m.size() > 3 || m.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(m) < 1 || std::stoi(m) > 120) {
      return InvalidArgument("SSPF_CONSENT_MAX_MONTHS must be a whole number of months, 1 to 120");
    }
    o.consent_max_months = std::stoi(m);
  }
  // Actors that are not public authorities (a free school, a club), e.g.
  // SSPF_NON_AUTHORITIES=school,leisure.
  const char* private_actors = std::getenv("SSPF_NON_AUTHORITIES");
  if (private_actors && *private_actors) {
    Result<std::vector<Actor>> actors = ParseActorList(private_actors);
    if (!actors.ok()) {
      return InvalidArgument("SSPF_NON_AUTHORITIES: a comma-separated list of actors");
    }
    for (Actor a : *actors) o.public_authorities.Set(a, false);
  }
  const char* purposes = std::getenv("SSPF_PURPOSES_FILE");
  if (purposes && *purposes) {
    SSPF_ASSIGN_OR_RETURN(o.purposes, ReadPurposesFile(purposes));
  }
  const char* retention = std::getenv("SSPF_RETENTION_FILE");
  if (retention && *retention) {
    SSPF_ASSIGN_OR_RETURN(o.retention_rules, ReadRetentionFile(retention));
  }
  return o;
}

Result<SecretBytes> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read the passphrase file");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  Result<SecretBytes> s = SecretBytes::Copy(line);
  SecureWipe(line.data(), line.size());
  if (s.ok() && s->empty()) return InvalidArgument("the passphrase file is empty");
  return s;
}

namespace {
// Reads one line from the terminal with echo off.
Result<SecretBytes> Prompt(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return InvalidArgument(
        "no terminal to ask for a passphrase: use --passphrase-file or "
        "SSPF_PASSPHRASE_FILE");
  }
  ssize_t w = ::write(fd, prompt.data(), prompt.size());
  (void)w;
  termios old{};
  bool tty = ::tcgetattr(fd, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') {
    if (line.size() < 4096) line.push_back(c);
  }
  if (tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  ::close(fd);
  Result<SecretBytes> s = SecretBytes::Copy(line);
  SecureWipe(line.data(), line.size());
  c = 0;
  return s;
}
}  // namespace

Result<SecretBytes> ReadPassphrase(const Globals& g, const std::string& prompt) {
  if (!g.passphrase_file.empty()) return ReadSecretFile(g.passphrase_file);
  return Prompt(prompt);
}

Result<SecretBytes> ReadNewPassphrase(const std::string& file, const std::string& what) {
  if (!file.empty()) return ReadSecretFile(file);
  SSPF_ASSIGN_OR_RETURN(SecretBytes a, Prompt("New passphrase for " + what + ": "));
  SSPF_ASSIGN_OR_RETURN(SecretBytes b, Prompt("Repeat the passphrase: "));
  if (!a.Equals(b)) return InvalidArgument("the two passphrases differ");
  return a;
}

Result<Session> OpenSession(const Globals& g) {
  if (g.user.empty()) return InvalidArgument("no principal given: use --user NAME or SSPF_USER");
  SSPF_ASSIGN_OR_RETURN(SecretBytes pass,
                        ReadPassphrase(g, "Passphrase for " + g.user + ": "));
  SSPF_ASSIGN_OR_RETURN(StoreOptions options, OptionsFor(g));
  return Store::Open(options, g.user, Credential::Passphrase(std::move(pass)));
}

void PrintJson(Context& ctx, const std::string& document) { *ctx.out << document << "\n"; }

void Wipe(std::string* s) {
  if (!s->empty()) SecureWipe(&(*s)[0], s->size());
  s->clear();
}

void PrintSecretJson(Context& ctx, std::string document) {
  *ctx.out << document << "\n";
  ctx.out->flush();
  Wipe(&document);
}

int ShowCreated(Context& ctx, const Result<std::string>& id, const std::string& what) {
  return Show(ctx, id, CreatedJson,
              [&](const std::string& v) { *ctx.out << what << " " << v << "\n"; });
}

std::function<void(uint64_t, uint64_t)> TerminalProgress(Context& ctx, const std::string& what) {
  if (::isatty(STDERR_FILENO) != 1) return {};
  std::ostream* err = ctx.err;
  return [err, what](uint64_t done, uint64_t total) {
    int pct = total ? static_cast<int>(done * 100 / total) : 100;
    *err << "\r" << what << ": " << pct << "% (" << done << "/" << total << ")" << std::flush;
  };
}

void ClearProgress(Context& ctx) {
  if (::isatty(STDERR_FILENO) == 1) *ctx.err << "\r\033[K" << std::flush;
}

int IdCommand(Context& ctx, const std::string& usage, const char* id_help,
              const std::function<Status(Session&, const std::string&)>& run,
              const std::string& done_text,
              const std::function<std::string(std::string_view)>& done_json) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), id_help);
  int exit = 0;
  SessionHandle s = ParseAndOpen(ctx, usage, desc, {"id"}, &exit);
  if (!s) return exit;
  Status st = run(*s, id);
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, done_text + " " + id, done_json(id));
}

Status ReadBody(const std::string& file, const std::string& command, const std::string& what,
                std::string* body) {
  // The library's default entry limit plus one byte, so that the library
  // reports the limit.
  constexpr size_t kMaxBodyRead = (1u << 20) + 1;
  std::ifstream f;
  std::istream* in = &std::cin;
  if (!file.empty() && file != "-") {
    f.open(file, std::ios::binary);
    if (!f) return InvalidArgument("cannot read the file of " + what);
    in = &f;
  } else if (::isatty(STDIN_FILENO)) {
    // Otherwise the tool would seem to hang.
    std::cerr << "sspf-tool " << command << ": type " << what
              << ", then press Ctrl-D on an empty line (or give a file)\n";
  }
  body->resize(kMaxBodyRead);
  in->read(&(*body)[0], static_cast<std::streamsize>(body->size()));
  body->resize(static_cast<size_t>(in->gcount()));
  return Status::Ok();
}

int PrintDone(Context& ctx, const std::string& text, const std::string& document) {
  if (ctx.globals.json) {
    PrintJson(ctx, document);
  } else {
    *ctx.out << text << "\n";
  }
  return kExitOk;
}

// ---- Text options (names, reasons) ------------------------------------------------

namespace {
// The most values a repeated option reads from one file (more than the
// library accepts, so that the library names its own limit).
constexpr size_t kMaxFileValues = 16;

// Reads at most cap bytes of `file` ("-": stdin) into *text; *over when
// there was more.
Status ReadCapped(const std::string& file, size_t cap, const std::string& option,
                  std::string* text, bool* over) {
  std::ifstream f;
  std::istream* in = &std::cin;
  if (file != "-") {
    f.open(file, std::ios::binary);
    if (!f) return InvalidArgument("cannot read the " + option + " file");
    in = &f;
  }
  text->assign(cap + 1, '\0');
  in->read(&(*text)[0], static_cast<std::streamsize>(text->size()));
  text->resize(static_cast<size_t>(in->gcount()));
  *over = text->size() > cap;
  return Status::Ok();
}
}  // namespace

TextArg::TextArg(std::string option, std::string what, bool repeated)
    : option_(std::move(option)), what_(std::move(what)), repeated_(repeated) {}

TextArg::~TextArg() {
  for (std::string& v : values_) Wipe(&v);
}

void TextArg::AddTo(po::options_description& desc, const std::string& help) {
  const std::string file_option = option_ + "-file";
  desc.add_options()
      (option_.c_str(), po::value<std::vector<std::string>>(&values_),
       (help + ".  NOTE: values on argv are visible to other local users in "
               "/proc/PID/cmdline; use --" + file_option + " for real data").c_str())
      (file_option.c_str(), po::value<std::string>(&file_),
       (repeated_ ? "read them from this file, one per line ('-': stdin)"
                  : "read it from this file ('-': stdin)"));
}

const std::string& TextArg::value() const {
  static const std::string kNone;
  return values_.empty() ? kNone : values_.front();
}

Status TextArg::Read(bool required) {
  const std::string opt = "--" + option_, file_opt = opt + "-file";
  if (!values_.empty() && !file_.empty()) {
    return InvalidArgument("give either " + opt + " or " + file_opt + ", not both");
  }
  if (!repeated_ && values_.size() > 1) return InvalidArgument(opt + " is given more than once");
  const size_t max = StoreOptions().max_text_bytes;
  const std::string limit = std::to_string(max) + " bytes";
  std::string text;
  if (!file_.empty()) {
    // One value and its line end, or kMaxFileValues of them.
    bool over = false;
    const size_t cap = (max + 2) * (repeated_ ? kMaxFileValues : 1);
    SSPF_RETURN_IF_ERROR(ReadCapped(file_, cap, file_opt, &text, &over));
    if (over) {
      Wipe(&text);
      return InvalidArgument(file_opt + " is over the limit (" +
                             (repeated_ ? std::to_string(kMaxFileValues) + " lines of " : "") +
                             limit + ")");
    }
  } else if (values_.empty() && required && ::isatty(STDIN_FILENO) == 1) {
    std::cerr << what_ << ": " << std::flush;
    std::getline(std::cin, text);
  } else {
    if (required && values_.empty()) {
      return InvalidArgument(opt + " or " + file_opt + " is required");
    }
    return Status::Ok();
  }
  // A single value is the whole text but one line end (a line break inside
  // it is refused by the library, as on argv); a repeated one is a line each.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = repeated_ ? text.find('\n', pos) : std::string::npos;
    if (end == std::string::npos) end = text.size();
    std::string v = text.substr(pos, end - pos);
    pos = end + 1;
    if (!v.empty() && v.back() == '\n') v.pop_back();
    if (!v.empty() && v.back() == '\r') v.pop_back();
    if (v.size() > max) {
      Wipe(&v);
      Wipe(&text);
      return InvalidArgument(file_opt + ": a value is over the limit (" + limit + ")");
    }
    if (!v.empty()) values_.push_back(std::move(v));
  }
  Wipe(&text);
  if (required && values_.empty()) {
    return InvalidArgument("no value for " + opt + " (give " + file_opt + " F, or " +
                           file_opt + " - for stdin)");
  }
  return Status::Ok();
}

Status ReadTextArgs(std::initializer_list<std::pair<TextArg*, bool>> args, bool other_stdin) {
  int stdin_readers = other_stdin ? 1 : 0;
  for (const auto& a : args) stdin_readers += a.first->reads_stdin() ? 1 : 0;
  if (stdin_readers > 1) return InvalidArgument("only one option may read stdin ('-')");
  for (const auto& a : args) SSPF_RETURN_IF_ERROR(a.first->Read(a.second));
  return Status::Ok();
}

std::vector<std::string> SplitArgList(const std::string& s) {
  std::vector<std::string> items = SplitList(s);
  // "sara, per" as people type it: the spaces around an item are not part
  // of it (no name, id, actor or category has any).
  for (std::string& item : items) {
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? std::string() : item.substr(first, last - first + 1);
  }
  if (items.back().empty()) items.pop_back();
  return items;
}

namespace {
template <typename T>
Result<std::vector<T>> ParseNameList(const std::string& s,
                                     std::optional<T> (*parse)(std::string_view),
                                     const std::string& what, const char* names,
                                     const char* none_given) {
  std::vector<T> out;
  for (const std::string& item : SplitArgList(s)) {
    std::optional<T> v = parse(item);
    if (!v) return InvalidArgument("unknown " + what + " '" + item + "' (use " + names + ")");
    out.push_back(*v);
  }
  if (out.empty()) return InvalidArgument(none_given);
  return out;
}
}  // namespace

Result<std::vector<Actor>> ParseActorList(const std::string& s) {
  return ParseNameList(s, ParseActor, "actor", "school, social, police, leisure, coordination",
                       "no actors given");
}

Result<std::vector<Category>> ParseCategoryList(const std::string& s) {
  return ParseNameList(s, ParseCategory, "category",
                       "identity, school, social, police, leisure, health, plan, meeting",
                       "no categories given");
}

Result<std::vector<std::string>> SplitNames(const std::string& s) {
  std::vector<std::string> out = SplitArgList(s);
  for (const std::string& item : out) {
    if (item.empty()) return InvalidArgument("empty name in the list");
  }
  return out;
}

std::string TrustAnchorLines(const std::vector<uint8_t>& public_key, const std::string& indent) {
  return indent + "trust-anchor " + Base64(public_key) + "\n" + indent + "fingerprint  " +
         TrustAnchorFingerprint(public_key) + "\n";
}

Result<UnixSeconds> ParseTime(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos &&
      s.size() < 16) {
    return static_cast<UnixSeconds>(std::stoll(s));
  }
  return ParseDateOrRfc3339(s);
}

}  // namespace sspf::cli
