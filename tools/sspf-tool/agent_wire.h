// The agent's wire protocol and its client (agent_wire.cpp).
//
// Shared by the light `sspf-tool` front end (client_main.cpp), which links
// nothing but the C and C++ runtimes so that a command through a running
// agent does not pay for loading libsspf, SQLCipher, OpenSSL and Boost, and
// by the full tool `sspf-tool-core` (agent.cpp), which serves the requests.
// Nothing here may depend on libsspf.
#ifndef SSPF_TOOL_AGENT_WIRE_H_
#define SSPF_TOOL_AGENT_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sspf::agent_wire {

inline constexpr char kRequestMagic[] = "SSPF-AGENT-Q1";
inline constexpr char kReplyMagic[] = "SSPF-AGENT-R1";
inline constexpr uint64_t kMaxField = uint64_t{64} << 20;  // a field of a message
inline constexpr uint32_t kMaxFields = 4096;
inline constexpr size_t kMaxStdin = size_t{16} << 20;
inline constexpr int kIoTimeoutSeconds = 30;
// Set by the front end for the full tool when it already tried the agent;
// the full tool removes it at start.
inline constexpr char kFrontEndTriedEnv[] = "SSPF_FRONT_END_TRIED_AGENT";

// Overwrites a string's bytes (the compiler may not drop it).
void WipeString(std::string* s);

// Reads `fd` to its end or until `limit` bytes, into *out (its old bytes
// wiped).  No copy of what was read is left in freed memory.
void ReadToEnd(int fd, size_t limit, std::string* out);

// A message: the magic, then a count and that many length-prefixed fields
// (big-endian uint64 lengths).  False on a short write or read, a wrong
// magic, or a count or length over the limits.
bool WriteMessage(int fd, const char* magic, const std::vector<const std::string*>& fields);
bool ReadMessage(int fd, const char* magic, std::vector<std::string>* fields);

// 30-second send and receive timeouts on a connected socket.
void SetIoTimeouts(int fd);

// Whether the peer of a connected Unix socket runs as this process's uid
// (SO_PEERCRED).
bool PeerIsMe(int fd);

// `path` made absolute against the working directory ("./" dropped).
std::string AbsolutePath(const std::string& path);

// The directory part of `path` ("." when it has none).
std::string DirOf(const std::string& path);

// Whether `dir` is a real directory of this user that nobody else may enter.
enum class DirState { kPrivate, kMissing, kNotPrivate };
DirState CheckPrivateDir(const std::string& dir);
// The one-line reason for kNotPrivate.
std::string NotPrivateMessage(const std::string& dir);

struct Location {
  std::string store;  // absolute
  std::string user;
  std::string socket;
};

// Where the agent of `store` and `user` listens: a socket named by both in
// $XDG_RUNTIME_DIR/sspf, else /tmp/sspf-agent-UID ($SSPF_AGENT_SOCK
// overrides it).
Location LocationOf(const std::string& store, const std::string& user);

// The store and user a command line names (--store/--user, else
// $SSPF_STORE/$SSPF_USER, else ./sspf.db), and the socket of their agent.
Location Locate(const std::vector<std::string>& args);

// A connected socket to the agent at `socket`, or -1.  Refuses (with
// *why) an agent directory others can enter or an agent of another uid.
int Connect(const std::string& socket, std::string* why);

// Whether the command reads stdin: entry add without --file, or an option
// value "-" (--pnr -, --name-file -).
bool ReadsStdin(const std::string& command, const std::vector<std::string>& args);

// The client: runs `command` (its words, e.g. "entry add"; the whole argv
// in `args`) in the agent of its store and user, writing the agent's
// stdout and stderr to fds 1 and 2; its exit code, or nullopt when it is to
// run here: no agent answers, no user is named, or an argument mentions a
// passphrase.  Not for `agent` and `lock` (the caller decides).
std::optional<int> Forward(const std::string& command, const std::vector<std::string>& args);

}  // namespace sspf::agent_wire

#endif  // SSPF_TOOL_AGENT_WIRE_H_
