// sspf-tool agent and lock: unlock once per working session (like ssh-agent).
// (One file over 700 lines on purpose: the client, the daemon and their one
// wire protocol are reviewed together.)
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
#include "cli.h"

namespace sspf::cli {
namespace {

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

constexpr char kRequestMagic[] = "SSPF-AGENT-Q1";
constexpr char kReplyMagic[] = "SSPF-AGENT-R1";
constexpr uint64_t kMaxField = uint64_t{64} << 20;  // a field of a message
constexpr uint32_t kMaxFields = 4096;
constexpr size_t kMaxStdin = size_t{16} << 20;
constexpr int kIoTimeoutSeconds = 30;
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

// ---- Framing ------------------------------------------------------------------

bool WriteAll(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = ::send(fd, c, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    c += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool ReadAll(int fd, void* p, size_t n) {
  char* c = static_cast<char*>(p);
  while (n > 0) {
    ssize_t r = ::recv(fd, c, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    c += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool WriteU64(int fd, uint64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (56 - 8 * i));
  return WriteAll(fd, b, 8);
}

bool ReadU64(int fd, uint64_t* v) {
  unsigned char b[8];
  if (!ReadAll(fd, b, 8)) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) *v = (*v << 8) | b[i];
  return true;
}

bool WriteField(int fd, const char* p, size_t n) { return WriteU64(fd, n) && WriteAll(fd, p, n); }

// A message: the magic, then a count and that many length-prefixed fields.
bool WriteMessage(int fd, const char* magic, const std::vector<const std::string*>& fields) {
  if (!WriteAll(fd, magic, std::strlen(magic)) || !WriteU64(fd, fields.size())) return false;
  for (const std::string* f : fields) {
    if (!WriteField(fd, f->data(), f->size())) return false;
  }
  return true;
}

bool ReadMessage(int fd, const char* magic, std::vector<std::string>* fields) {
  std::string m(std::strlen(magic), '\0');
  if (!ReadAll(fd, &m[0], m.size()) || m != magic) return false;
  uint64_t count = 0;
  if (!ReadU64(fd, &count) || count > kMaxFields) return false;
  fields->resize(static_cast<size_t>(count));
  for (std::string& f : *fields) {
    uint64_t n = 0;
    if (!ReadU64(fd, &n) || n > kMaxField) return false;
    f.resize(static_cast<size_t>(n));
    if (n > 0 && !ReadAll(fd, &f[0], f.size())) return false;
  }
  return true;
}

void SetIoTimeouts(int fd) {
  timeval tv{kIoTimeoutSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool PeerIsMe(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  return cred.uid == ::geteuid();
}

// ---- Where the socket is ----------------------------------------------------------

// FNV-1a, 64 bits: names the socket of a store and user.  Not a security
// measure: the directory is private and both ends check the peer's uid.
std::string SocketName(const std::string& store, const std::string& user) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  mix(store);
  mix(user);
  static const char kHex[] = "0123456789abcdef";
  std::string name = "agent-";
  for (int i = 15; i >= 0; --i) name += kHex[(h >> (4 * i)) & 0xf];
  return name + ".sock";
}

std::string AgentDir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/sspf";
  return "/tmp/sspf-agent-" + std::to_string(::geteuid());
}

// OK when `dir` is a real directory of ours that nobody else may enter.
Status CheckPrivateDir(const std::string& dir) {
  struct stat st{};
  if (::lstat(dir.c_str(), &st) != 0) return NotFound("no agent directory " + dir);
  if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    return PermissionDenied("the agent directory " + dir +
                            " is not a private directory of this user (mode 0700); "
                            "remove it and start the agent again");
  }
  return Status::Ok();
}

struct Location {
  std::string store;  // absolute
  std::string user;
  std::string socket;
};

// Where the agent of `store` and `user` listens ($SSPF_AGENT_SOCK overrides it).
Location LocationOf(const std::string& store, const std::string& user) {
  Location loc;
  loc.store = AbsolutePath(store);
  loc.user = user;
  const char* sock = std::getenv("SSPF_AGENT_SOCK");
  loc.socket = sock && *sock ? std::string(sock) : AgentDir() + "/" + SocketName(loc.store, user);
  return loc;
}

// The store and user a command line names (as ParseArgs will read them),
// and the socket of their agent ($SSPF_AGENT_SOCK overrides it).
Location Locate(const std::vector<std::string>& args) {
  Location loc;
  auto value = [&args](const std::string& opt, std::string* out) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--") break;
      if (args[i] == opt && i + 1 < args.size()) *out = args[i + 1];
      if (args[i].rfind(opt + "=", 0) == 0) *out = args[i].substr(opt.size() + 1);
    }
  };
  value("--store", &loc.store);
  value("--user", &loc.user);
  if (loc.store.empty()) {
    const char* s = std::getenv("SSPF_STORE");
    loc.store = s && *s ? s : "./sspf.db";
  }
  if (loc.user.empty()) {
    const char* u = std::getenv("SSPF_USER");
    if (u) loc.user = u;
  }
  return LocationOf(loc.store, loc.user);
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// A connected socket to the agent at `socket`, or -1.  Refuses (with
// *why) an agent directory others can enter or an agent of another uid.
int Connect(const std::string& socket, std::string* why) {
  Status dir = CheckPrivateDir(DirOf(socket));
  if (!dir.ok()) {
    if (dir.code() != StatusCode::kNotFound) *why = dir.message();
    return -1;
  }
  sockaddr_un addr{};
  if (socket.size() >= sizeof addr.sun_path) return -1;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket.c_str(), socket.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  if (!PeerIsMe(fd)) {
    *why = "the agent socket " + socket + " belongs to another user; not used";
    ::close(fd);
    return -1;
  }
  SetIoTimeouts(fd);
  return fd;
}

// One request and its reply; false when the agent did not answer.
bool Exchange(int fd, const std::vector<const std::string*>& request,
              std::vector<std::string>* reply) {
  return WriteMessage(fd, kRequestMagic, request) && ReadMessage(fd, kReplyMagic, reply);
}

std::string EnvField(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string("1") + v : std::string("0");
}

void RestoreEnv(const char* name, const std::string& field) {
  if (!field.empty() && field[0] == '1') {
    ::setenv(name, field.c_str() + 1, 1);
  } else {
    ::unsetenv(name);
  }
}

// Whether the command reads stdin: entry add without --file, or an option
// value "-" (--pnr -, --name-file -).
bool ReadsStdin(const std::string& command, const std::vector<std::string>& args) {
  bool has_file = false;
  for (const std::string& a : args) {
    if (a == "-" || (a.size() > 2 && a.compare(a.size() - 2, 2, "=-") == 0)) return true;
    if (a == "--file" || a.rfind("--file=", 0) == 0) has_file = true;
  }
  return command == "entry add" && !has_file;
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
    const std::string dir = DirOf(loc_.socket);
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
  int fd = Connect(loc.socket, why);
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
                 "rekey it ran (a rekey by anyone else waits until every agent is locked).\nCommands without a passphrase option then need no passphrase: they\n"
                 "are run by the agent over a Unix socket in $XDG_RUNTIME_DIR/sspf (else\n"
                 "/tmp/sspf-agent-UID), mode 0700, that only your user may use (checked on\n"
                 "every connection). The keys stay in the agent's locked memory and are wiped\n"
                 "when it ends; nothing is written to disk. The agent runs commands with the\n"
                 "environment it was started with (SSPF_KDF, SSPF_PURPOSES_FILE, ...); each\n"
                 "command's own working directory, SSPF_STORE and SSPF_USER are used.\n\n"
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
  for (const std::string& a : args) {
    if (a.find("passphrase") != std::string::npos) return std::nullopt;
  }
  const Location loc = Locate(args);
  if (loc.user.empty()) return std::nullopt;
  std::string why;
  int fd = Connect(loc.socket, &why);
  if (fd < 0) {
    if (!why.empty()) std::cerr << "sspf-tool: " << why << "\n";
    return std::nullopt;
  }
  WipedString input;
  if (ReadsStdin(command, args)) {
    if (::isatty(STDIN_FILENO) && command == "entry add") {
      std::cerr << "sspf-tool entry add: type the entry, then press Ctrl-D on an empty line "
                   "(or give --file FILE)\n";
    }
    input.s.resize(kMaxStdin + 1);
    size_t got = 0;
    ssize_t n;
    while (got < input.s.size() &&
           (n = ::read(STDIN_FILENO, &input.s[got], input.s.size() - got)) != 0) {
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      got += static_cast<size_t>(n);
    }
    input.s.resize(got);
  }
  char cwd[PATH_MAX];
  const std::string type = "run";
  const std::string dir = ::getcwd(cwd, sizeof cwd) ? cwd : "/";
  const std::string store_env = EnvField("SSPF_STORE"), user_env = EnvField("SSPF_USER");
  std::vector<const std::string*> request = {&type, &dir, &store_env, &user_env, &input.s};
  for (const std::string& a : args) request.push_back(&a);
  std::vector<std::string> reply;
  const bool ok = Exchange(fd, request, &reply);
  ::close(fd);
  if (!ok || reply.size() != 3) {
    std::cerr << "sspf-tool: the agent did not answer (it may have ended); run the command "
                 "again, or sspf-tool lock and start a new agent\n";
    return kExitOther;
  }
  std::cout << reply[1] << std::flush;
  std::cerr << reply[2] << std::flush;
  Wipe(&reply[1]);
  Wipe(&reply[2]);
  return std::atoi(reply[0].c_str());
}

void RegisterAgentCommands() {
  RegisterCommand({"agent", "unlock once and serve commands until idle, lock or rekey",
                   AgentCmd});
  RegisterCommand({"lock", "end the agent and wipe its keys", LockCmd});
}

}  // namespace sspf::cli
