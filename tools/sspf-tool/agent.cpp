// sspf-tool agent and lock: unlock once per working session (like ssh-agent).
// The wire protocol and the client are in agent_wire.cpp, shared with the
// light front end (client_main.cpp).
//
// `sspf-tool agent` reads the passphrase in the foreground, then a child
// process unlocks the store and serves sspf-tool commands over a Unix socket
// in a private directory ($XDG_RUNTIME_DIR/sspf, else /tmp/sspf-agent-UID,
// mode 0700; the socket 0600).  Every connection's peer uid is checked with
// SO_PEERCRED, and the client checks the agent's uid the same way, so that
// neither side talks to another user.  A client sends its argv, working
// directory, SSPF_STORE/SSPF_USER and (only for a command that reads it) its
// stdin; the agent runs the command in-process with the session it holds
// (SessionHandle::Borrow) and sends back the exit code, stdout and stderr.
//
// The agent ends, wiping the session's keys (libsodium guarded, locked
// memory), after its idle timeout, on `sspf-tool lock`, on SIGTERM/SIGINT,
// and after a `key rekey` it ran.  No other process can rekey the store
// under it: a rekey needs the store to itself and is refused while any
// session, an agent's included, has it open.  It writes nothing to disk but
// the socket; core dumps are off (main.cpp).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "agent.h"
#include "agent_wire.h"
#include "cli.h"

namespace sspf::cli {
namespace {

using agent_wire::kReplyMagic;
using agent_wire::kRequestMagic;
using agent_wire::Location;
using agent_wire::LocationOf;
using agent_wire::PeerIsMe;
using agent_wire::ReadMessage;
using agent_wire::SetIoTimeouts;
using agent_wire::WriteMessage;

// OK when `dir` is a real directory of ours that nobody else may enter.
Status CheckPrivateDir(const std::string& dir) {
  switch (agent_wire::CheckPrivateDir(dir)) {
    case agent_wire::DirState::kMissing: return NotFound("no agent directory " + dir);
    case agent_wire::DirState::kNotPrivate:
      return PermissionDenied(agent_wire::NotPrivateMessage(dir));
    case agent_wire::DirState::kPrivate: break;
  }
  return Status::Ok();
}

// Closes every open descriptor above 2 but `keep` (listed from
// /proc/self/fd, collected first so the listing's own fd is not pulled away
// from under the iterator).
void CloseFdsAbove2Except(int keep) {
  std::vector<int> fds;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int fd = std::stoi(name);
    if (fd > 2 && fd != keep) fds.push_back(fd);
  }
  for (int fd : fds) ::close(fd);
}

constexpr uint64_t kDefaultIdleSeconds = 15 * 60;

// ---- Secret-holding buffers ---------------------------------------------------

// A string that is wiped when it goes: requests and replies carry entry
// bodies and names.
struct WipedString {
  std::string s;
  WipedString() = default;
  explicit WipedString(std::string v) : s(std::move(v)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { Wipe(&s); }
};

// An ostream buffer that grows by doubling and wipes every buffer it gives
// up, so that no copy of a command's output stays in freed memory.
class WipingBuf : public std::streambuf {
 public:
  ~WipingBuf() override { Release(); }
  const char* data() const { return buf_.data(); }
  size_t size() const { return size_; }

 protected:
  int_type overflow(int_type ch) override {
    if (ch == traits_type::eof()) return traits_type::not_eof(ch);
    char c = traits_type::to_char_type(ch);
    Append(&c, 1);
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    Append(s, static_cast<size_t>(n));
    return n;
  }

 private:
  void Append(const char* s, size_t n) {
    if (size_ + n > buf_.size()) {
      std::string bigger(std::max(buf_.size() * 2, size_ + n + 4096), '\0');
      if (size_ > 0) std::memcpy(&bigger[0], buf_.data(), size_);
      Release();
      buf_.swap(bigger);
    }
    std::memcpy(&buf_[size_], s, n);
    size_ += n;
  }
  void Release() {
    Wipe(&buf_);
    size_ = 0;
  }
  std::string buf_;
  size_t size_ = 0;
};

// One request and its reply; false when the agent did not answer.
bool Exchange(int fd, const std::vector<const std::string*>& request,
              std::vector<std::string>* reply) {
  return WriteMessage(fd, kRequestMagic, request) && ReadMessage(fd, kReplyMagic, reply);
}

void RestoreEnv(const char* name, const std::string& field) {
  if (!field.empty() && field[0] == '1') {
    ::setenv(name, field.c_str() + 1, 1);
  } else {
    ::unsetenv(name);
  }
}

// ---- The agent ----------------------------------------------------------------

volatile sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

void Reply(int fd, int exit, const char* out, size_t out_n, const char* err, size_t err_n) {
  const std::string code = std::to_string(exit);
  const std::string o(out, out_n), e(err, err_n);
  WipedString wo(o), we(e);
  WriteMessage(fd, kReplyMagic, {&code, &wo.s, &we.s});
}

void ReplyText(int fd, int exit, const std::string& err_line) {
  const std::string line = "sspf-tool: " + err_line + "\n";
  Reply(fd, exit, "", 0, line.data(), line.size());
}

// Why the agent ended (for the log line of `agent --foreground`).
enum class End { kRunning, kIdle, kLock, kSignal, kRekeyed };

class Agent {
 public:
  Agent(Session session, Location loc, uint64_t idle_seconds)
      : session_(std::move(session)), loc_(std::move(loc)), idle_seconds_(idle_seconds) {}

  Status Listen() {
    const std::string dir = agent_wire::DirOf(loc_.socket);
    if (std::getenv("SSPF_AGENT_SOCK") == nullptr) {
      if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return IoError("cannot create the agent directory " + dir);
      }
    }
    SSPF_RETURN_IF_ERROR(CheckPrivateDir(dir));
    sockaddr_un addr{};
    if (loc_.socket.size() >= sizeof addr.sun_path) {
      return InvalidArgument("the agent socket path is too long: set XDG_RUNTIME_DIR");
    }
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, loc_.socket.c_str(), loc_.socket.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return IoError("cannot create the agent socket");
    ::unlink(loc_.socket.c_str());  // a stale socket (Start checked none answers)
    mode_t old = ::umask(077);
    int rc = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::umask(old);
    if (rc != 0 || ::chmod(loc_.socket.c_str(), 0600) != 0 || ::listen(fd_, 16) != 0) {
      return IoError("cannot listen on the agent socket " + loc_.socket);
    }
    return Status::Ok();
  }

  End Serve() {
    SetAgentSession(&session_, loc_.store, loc_.user);
    auto last = std::chrono::steady_clock::now();
    End end = End::kRunning;
    while (end == End::kRunning) {
      if (g_stop) {
        end = End::kSignal;
        break;
      }
      const auto idle = std::chrono::steady_clock::now() - last;
      const int64_t left_ms =
          static_cast<int64_t>(idle_seconds_) * 1000 -
          std::chrono::duration_cast<std::chrono::milliseconds>(idle).count();
      if (left_ms <= 0) {
        end = End::kIdle;
        break;
      }
      pollfd p{fd_, POLLIN, 0};
      int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left_ms, 60000)));
      if (n <= 0) continue;  // timeout or a signal: check above
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      SetIoTimeouts(c);
      if (!PeerIsMe(c)) {
        ReplyText(c, kExitDenied, "the agent serves only the user who started it");
      } else {
        end = Handle(c);
        last = std::chrono::steady_clock::now();
      }
      ::close(c);
    }
    SetAgentSession(nullptr, "", "");
    ::close(fd_);
    ::unlink(loc_.socket.c_str());
    return end;
  }

 private:
  End Handle(int c) {
    std::vector<std::string> req;
    if (!ReadMessage(c, kRequestMagic, &req) || req.empty()) return End::kRunning;
    struct WipeAll {
      std::vector<std::string>* v;
      ~WipeAll() {
        for (std::string& s : *v) Wipe(&s);
      }
    } wipe{&req};
    const std::string& type = req[0];
    if (type == "ping") {
      ReplyText(c, kExitOk, "agent running");
      return End::kRunning;
    }
    if (type == "lock") {
      ReplyText(c, kExitOk, "agent locked: its keys are wiped");
      return End::kLock;
    }
    // run: cwd, SSPF_STORE, SSPF_USER, stdin, args...
    if (type != "run" || req.size() < 5) {
      ReplyText(c, kExitUsage, "unknown agent request");
      return End::kRunning;
    }
    if (::chdir(req[1].c_str()) != 0) {
      ReplyText(c, kExitOther, "the agent cannot enter the command's working directory");
      return End::kRunning;
    }
    RestoreEnv("SSPF_STORE", req[2]);
    RestoreEnv("SSPF_USER", req[3]);
    std::vector<std::string> args(req.begin() + 5, req.end());
    std::istringstream in(req[4]);
    WipingBuf out_buf, err_buf;
    std::ostream out(&out_buf), err(&err_buf);
    std::streambuf* old_in = std::cin.rdbuf(in.rdbuf());
    std::streambuf* old_out = std::cout.rdbuf(&out_buf);
    std::streambuf* old_err = std::cerr.rdbuf(&err_buf);
    std::string command;
    const int exit = RunCommandLine(args, out, err, /*forward=*/false, &command);
    std::cin.rdbuf(old_in);
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    std::string drained = in.str();
    Wipe(&drained);
    ::chdir("/");
    Reply(c, exit, out_buf.data(), out_buf.size(), err_buf.data(), err_buf.size());
    if (command == "key rekey" && exit == kExitOk) return End::kRekeyed;
    return End::kRunning;
  }

  Session session_;
  Location loc_;
  uint64_t idle_seconds_;
  int fd_ = -1;
};

// Sends `type` to the agent for `args`; the agent's reply, or nullopt when
// none answers.
std::optional<std::vector<std::string>> Ask(const Location& loc, const std::string& type,
                                            std::string* why) {
  int fd = agent_wire::Connect(loc.socket, why);
  if (fd < 0) return std::nullopt;
  std::vector<std::string> reply;
  bool ok = Exchange(fd, {&type}, &reply);
  ::close(fd);
  if (!ok || reply.size() != 3) return std::nullopt;
  return reply;
}

const char* EndText(End end) {
  switch (end) {
    case End::kIdle: return "idle timeout";
    case End::kLock: return "sspf-tool lock";
    case End::kSignal: return "signal";
    case End::kRekeyed: return "the store was rekeyed";
    case End::kRunning: break;
  }
  return "ended";
}

int AgentCmd(Context& ctx) {
  po::options_description desc("Options");
  Count idle;
  bool foreground = false;
  desc.add_options()
      ("idle-timeout", po::value<Count>(&idle),
       "end after this many seconds without a command (default 900 = 15 minutes; "
       "1 to 86400)")
      ("foreground", po::bool_switch(&foreground),
       "stay in the foreground (for systemd or a terminal of its own) and print "
       "why it ended; default: run in the background and return once unlocked");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx,
                 "agent [--idle-timeout SECONDS] [--foreground]\n\n"
                 "Unlocks the store once and serves your sspf-tool commands for the same store\n"
                 "and user until it has been idle for --idle-timeout, `sspf-tool lock`, or a\n"
                 "rekey it ran. Commands without a passphrase option then need no\n"
                 "passphrase: they are run by the agent over a Unix socket in\n"
                 "$XDG_RUNTIME_DIR/sspf (else /tmp/sspf-agent-UID), mode 0700, that only your\n"
                 "user may use (checked on every connection). The keys stay in the agent's\n"
                 "locked memory and are wiped when it ends; nothing is written to disk. The\n"
                 "agent runs commands with the environment it was started with (SSPF_KDF,\n"
                 "SSPF_PURPOSES_FILE, ...); each command's own working directory, SSPF_STORE\n"
                 "and SSPF_USER are used.\n"
                 "A rekey by anyone else is refused (exit 1) while an agent or another\n"
                 "session has the store open: lock every agent first.\n\n"
                 "Example:\n"
                 "  sspf-tool --store kommun.db --user sara.samordnare agent\n"
                 "  sspf-tool --store kommun.db --user sara.samordnare case list   # no prompt\n"
                 "  sspf-tool --store kommun.db --user sara.samordnare lock",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  if (idle.given && (idle.value < 1 || idle.value > 86400)) {
    return UsageError(ctx, "--idle-timeout must be 1 to 86400 seconds");
  }
  if (ctx.globals.user.empty()) {
    return UsageError(ctx, "no principal given: use --user NAME or SSPF_USER");
  }
  const Location loc = LocationOf(ctx.globals.store, ctx.globals.user);
  std::string why;
  if (Ask(loc, "ping", &why)) {
    return Fail(ctx, AlreadyExists("an agent already runs for this store and user "
                                   "(sspf-tool lock ends it)"));
  }
  Result<SecretBytes> pass = ReadPassphrase(ctx.globals, "Passphrase for " + loc.user + ": ");
  if (!pass.ok()) return Fail(ctx, pass.status());
  Result<StoreOptions> options = OptionsFor(ctx.globals);
  if (!options.ok()) return UsageError(ctx, options.status().message());

  // The child unlocks (no database connection crosses a fork) and reports
  // over a pipe: "ok" once it listens, or the exit code and message.
  int ready[2] = {-1, -1};
  if (!foreground && ::pipe2(ready, O_CLOEXEC) != 0) {
    return Fail(ctx, IoError("cannot start the agent"));
  }
  pid_t pid = foreground ? 0 : ::fork();
  if (pid < 0) return Fail(ctx, IoError("cannot start the agent"));
  if (pid > 0) {  // the caller's process: wait for the child's word
    ::close(ready[1]);
    std::string word;
    char buf[512];
    ssize_t n;
    while ((n = ::read(ready[0], buf, sizeof buf)) > 0) word.append(buf, static_cast<size_t>(n));
    ::close(ready[0]);
    if (word.rfind("ok", 0) != 0) {
      int status = 0;
      ::waitpid(pid, &status, 0);
      int code = WIFEXITED(status) ? WEXITSTATUS(status) : kExitOther;
      *ctx.err << (word.empty() ? "sspf-tool: the agent did not start\n" : word);
      return code == 0 ? kExitOther : code;
    }
    const uint64_t secs = idle.given ? idle.value : kDefaultIdleSeconds;
    return PrintDone(ctx,
                     "agent for " + loc.user + " on " + loc.store + ": socket " + loc.socket +
                         " (idle timeout " + std::to_string(secs) +
                         " s; sspf-tool lock ends it)",
                     "{\"schema_version\":1,\"socket\":\"" + loc.socket +
                         "\",\"idle_timeout_seconds\":" + std::to_string(secs) + "}");
  }
  // The agent itself.
  auto tell = [&](const std::string& word) {
    if (!foreground) {
      (void)!::write(ready[1], word.data(), word.size());
      ::close(ready[1]);
      ready[1] = -1;
    }
  };
  if (!foreground) {
    ::close(ready[0]);
    ::setsid();
    // A daemon keeps no descriptor of its caller's but 0-2 (replaced by
    // /dev/null below) and the ready pipe: an inherited pipe end would keep
    // the caller's reader waiting for EOF as long as the agent lives.
    CloseFdsAbove2Except(ready[1]);
  }
  Result<Session> session =
      Store::Open(*options, loc.user, Credential::Passphrase(std::move(*pass)));
  if (!session.ok()) {
    std::ostringstream line;
    Context quiet = ctx;
    quiet.err = &line;
    const int code = Fail(quiet, session.status());
    tell(line.str());
    if (!foreground) ::_exit(code);
    *ctx.err << line.str();
    return code;
  }
  Agent agent(std::move(*session), loc, idle.given ? idle.value : kDefaultIdleSeconds);
  Status listening = agent.Listen();
  if (!listening.ok()) {
    std::ostringstream line;
    Context quiet = ctx;
    quiet.err = &line;
    const int code = Fail(quiet, listening);
    tell(line.str());
    if (!foreground) ::_exit(code);
    *ctx.err << line.str();
    return code;
  }
  struct sigaction sa{};
  sa.sa_handler = OnStopSignal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  if (foreground) {
    *ctx.err << "sspf-tool: agent listening on " << loc.socket << "\n" << std::flush;
  } else {
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::close(null);
    }
    if (::chdir("/") != 0) {
      // Commands chdir to their own directory; "/" only avoids pinning one.
    }
    tell("ok");
  }
  const End end = agent.Serve();
  if (foreground) *ctx.err << "sspf-tool: agent ended (" << EndText(end) << ")\n";
  return kExitOk;
}

int LockCmd(Context& ctx) {
  po::options_description desc("Options");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx,
                 "lock\n\n"
                 "Ends the agent of this store and user (sspf-tool agent): it wipes its keys and\n"
                 "removes its socket. Commands then ask for the passphrase again. Nothing to do\n"
                 "(exit 0) when no agent runs.\n\n"
                 "Example:\n"
                 "  sspf-tool --store kommun.db --user sara.samordnare lock",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  const Location loc = LocationOf(ctx.globals.store, ctx.globals.user);
  std::string why;
  auto reply = Ask(loc, "lock", &why);
  const bool locked = reply && (*reply)[0] == "0";
  return PrintDone(ctx, locked ? "agent locked: its keys are wiped" : "no agent was running",
                   std::string("{\"schema_version\":1,\"locked\":") +
                       (locked ? "true" : "false") + "}");
}

}  // namespace

std::optional<int> ForwardToAgent(const std::string& command,
                                  const std::vector<std::string>& args) {
  if (command == "agent" || command == "lock") return std::nullopt;
  std::cout << std::flush;
  std::cerr << std::flush;
  return agent_wire::Forward(command, args);
}

void RegisterAgentCommands() {
  RegisterCommand({"agent", "unlock once and serve commands until idle, lock or rekey",
                   AgentCmd});
  RegisterCommand({"lock", "end the agent and wipe its keys", LockCmd});
}

}  // namespace sspf::cli
