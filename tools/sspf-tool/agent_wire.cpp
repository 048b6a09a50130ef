// The agent's wire protocol and its client (see agent_wire.h).  Only the C
// and C++ runtimes: this file is linked into the light front end.
#include "agent_wire.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace sspf::agent_wire {
namespace {

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

// Writes all of `s` to a terminal, pipe or file descriptor (not a socket).
void Print(int fd, const std::string& s) {
  const char* c = s.data();
  size_t n = s.size();
  while (n > 0) {
    ssize_t w = ::write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    c += w;
    n -= static_cast<size_t>(w);
  }
}

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

// An environment variable as a field: "1" and its value, or "0" when unset.
std::string EnvField(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string("1") + v : std::string("0");
}

}  // namespace

void WipeString(std::string* s) {
  if (!s->empty()) ::explicit_bzero(&(*s)[0], s->size());
}

// The buffer starts at 64 KiB and doubles: a whole 16 MiB buffer up front
// costs its zero-filling and page faults on every entry add (8 ms of a
// 10 ms command).  An outgrown buffer is wiped before it is freed.
void ReadToEnd(int fd, size_t limit, std::string* out) {
  std::string buf(std::min<size_t>(size_t{64} << 10, limit), '\0');
  size_t got = 0;
  while (got < limit) {
    if (got == buf.size()) {
      std::string bigger(std::min(2 * buf.size(), limit), '\0');
      std::memcpy(&bigger[0], buf.data(), got);
      WipeString(&buf);
      buf.swap(bigger);
    }
    const ssize_t n = ::read(fd, &buf[got], buf.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    got += static_cast<size_t>(n);
  }
  buf.resize(got);
  WipeString(out);
  out->swap(buf);
}

bool WriteMessage(int fd, const char* magic, const std::vector<const std::string*>& fields) {
  if (!WriteAll(fd, magic, std::strlen(magic)) || !WriteU64(fd, fields.size())) return false;
  for (const std::string* f : fields) {
    if (!WriteU64(fd, f->size()) || !WriteAll(fd, f->data(), f->size())) return false;
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

std::string AbsolutePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char buf[PATH_MAX];
  if (::getcwd(buf, sizeof buf) == nullptr) return path;
  std::string p = path;
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  return std::string(buf) + "/" + p;
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

DirState CheckPrivateDir(const std::string& dir) {
  struct stat st{};
  if (::lstat(dir.c_str(), &st) != 0) return DirState::kMissing;
  if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    return DirState::kNotPrivate;
  }
  return DirState::kPrivate;
}

std::string NotPrivateMessage(const std::string& dir) {
  return "the agent directory " + dir +
         " is not a private directory of this user (mode 0700); "
         "remove it and start the agent again";
}

Location LocationOf(const std::string& store, const std::string& user) {
  Location loc;
  loc.store = AbsolutePath(store);
  loc.user = user;
  const char* sock = std::getenv("SSPF_AGENT_SOCK");
  loc.socket = sock && *sock ? std::string(sock) : AgentDir() + "/" + SocketName(loc.store, user);
  return loc;
}

Location Locate(const std::vector<std::string>& args) {
  std::string store, user;
  auto value = [&args](const std::string& opt, std::string* out) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--") break;
      if (args[i] == opt && i + 1 < args.size()) *out = args[i + 1];
      if (args[i].rfind(opt + "=", 0) == 0) *out = args[i].substr(opt.size() + 1);
    }
  };
  value("--store", &store);
  value("--user", &user);
  if (store.empty()) {
    const char* s = std::getenv("SSPF_STORE");
    store = s && *s ? s : "./sspf.db";
  }
  if (user.empty()) {
    const char* u = std::getenv("SSPF_USER");
    if (u) user = u;
  }
  return LocationOf(store, user);
}

int Connect(const std::string& socket, std::string* why) {
  const std::string dir = DirOf(socket);
  switch (CheckPrivateDir(dir)) {
    case DirState::kMissing: return -1;
    case DirState::kNotPrivate: *why = NotPrivateMessage(dir); return -1;
    case DirState::kPrivate: break;
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

bool ReadsStdin(const std::string& command, const std::vector<std::string>& args) {
  bool has_file = false;
  for (const std::string& a : args) {
    if (a == "-" || (a.size() > 2 && a.compare(a.size() - 2, 2, "=-") == 0)) return true;
    if (a == "--file" || a.rfind("--file=", 0) == 0) has_file = true;
  }
  return command == "entry add" && !has_file;
}

std::optional<int> Forward(const std::string& command, const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a.find("passphrase") != std::string::npos) return std::nullopt;
  }
  const Location loc = Locate(args);
  if (loc.user.empty()) return std::nullopt;
  std::string why;
  int fd = Connect(loc.socket, &why);
  if (fd < 0) {
    if (!why.empty()) Print(STDERR_FILENO, "sspf-tool: " + why + "\n");
    return std::nullopt;
  }
  struct Wiped {
    std::string s;
    ~Wiped() { WipeString(&s); }
  } input;
  if (ReadsStdin(command, args)) {
    if (::isatty(STDIN_FILENO) && command == "entry add") {
      Print(STDERR_FILENO,
            "sspf-tool entry add: type the entry, then press Ctrl-D on an empty line "
            "(or give --file FILE)\n");
    }
    ReadToEnd(STDIN_FILENO, kMaxStdin + 1, &input.s);
  }
  char cwd[PATH_MAX];
  const std::string type = "run";
  const std::string dir = ::getcwd(cwd, sizeof cwd) ? cwd : "/";
  const std::string store_env = EnvField("SSPF_STORE"), user_env = EnvField("SSPF_USER");
  std::vector<const std::string*> request = {&type, &dir, &store_env, &user_env, &input.s};
  for (const std::string& a : args) request.push_back(&a);
  std::vector<std::string> reply;
  const bool ok = WriteMessage(fd, kRequestMagic, request) &&
                  ReadMessage(fd, kReplyMagic, &reply);
  ::close(fd);
  if (!ok || reply.size() != 3) {
    Print(STDERR_FILENO,
          "sspf-tool: the agent did not answer (it may have ended); run the command "
          "again, or sspf-tool lock and start a new agent\n");
    return 1;  // kExitOther
  }
  Print(STDOUT_FILENO, reply[1]);
  Print(STDERR_FILENO, reply[2]);
  WipeString(&reply[1]);
  WipeString(&reply[2]);
  return std::atoi(reply[0].c_str());
}

}  // namespace sspf::agent_wire
