// Copyright (c) libsspf authors.
//
// The witness (sspf/witness.h): a key outside any store, a state directory
// pinned to one log, and cosignature/v1 lines (log/note.h) on checkpoints
// that are consistent with the last one cosigned.
#include "sspf/witness.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "audit/witness_internal.h"
#include "crypto/crypto.h"
#include "log/merkle.h"
#include "log/note.h"
#include "sspf/json.h"
#include "util/encoding.h"
#include "util/file.h"

namespace sspf {
namespace {

using internal::Ed25519PublicKey;
using internal::Hash;

constexpr std::string_view kKeyMagic = "sspf-witness-key/v1";
constexpr std::string_view kStateMagic = "sspf-witness-state/v1";
constexpr size_t kMaxFileBytes = 1 << 20;

Status SysError(const std::string& what, const std::string& path) {
  return IoError(what + " " + path + ": " + std::strerror(errno));
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads a whole regular file without following a link.  With private_only,
// refuses a file that group or others may read or write (a key).
Result<std::string> ReadFileNoFollow(const std::string& path, bool private_only,
                                     bool* missing = nullptr) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (missing != nullptr && errno == ENOENT) {
      *missing = true;
      return std::string();
    }
    return SysError("cannot open", path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return SysError("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return InvalidArgument(path + " is not a regular file");
  if (private_only && (st.st_mode & 077) != 0) {
    return InvalidArgument(path + " may be read by others: chmod 600 it");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes) {
    return InvalidArgument(path + " is too large");
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd.get(), &data[done], data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError("cannot read", path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

// Creates `path` (never an existing file or link) with `mode` and writes it.
Status WriteNewFile(const std::string& path, std::string_view data, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.get() < 0) {
    if (errno == EEXIST) return AlreadyExists(path + " exists; not overwritten");
    return SysError("cannot create", path);
  }
  if (::fchmod(fd.get(), mode) != 0) return SysError("cannot chmod", path);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError("cannot write", path);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return SysError("cannot sync", path);
  return Status::Ok();
}

// Splits "a\nb\n" into lines; false unless every line ends in "\n".
bool SplitLines(std::string_view text, std::vector<std::string_view>* lines) {
  if (text.empty() || text.back() != '\n') return false;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    lines->push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return true;
}

// "<label> <value>" -> value, or false.
bool Field(std::string_view line, std::string_view label, std::string_view* value) {
  if (line.size() <= label.size() + 1 || line.substr(0, label.size()) != label ||
      line[label.size()] != ' ') {
    return false;
  }
  *value = line.substr(label.size() + 1);
  return true;
}

bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

struct WitnessSecret {
  std::string name;
  SecretBytes secret_key;  // 64 bytes, libsodium layout
  Ed25519PublicKey public_key{};
};

Result<WitnessSecret> ReadWitnessKey(const std::string& path) {
  SSPF_ASSIGN_OR_RETURN(std::string text, ReadFileNoFollow(path, /*private_only=*/true));
  std::vector<std::string_view> lines;
  const bool ok = SplitLines(text, &lines) && lines.size() == 3 && lines[0] == kKeyMagic &&
                  internal::IsValidKeyName(lines[1]);
  Result<internal::Bytes> sk = ok ? internal::Base64Decode(lines[2])
                                  : Result<internal::Bytes>(InvalidArgument(""));
  WitnessSecret out;
  if (ok) out.name = std::string(lines[1]);
  SecureWipe(text.data(), text.size());
  if (!sk.ok() || sk->size() != internal::kEd25519SecretKeySize) {
    if (sk.ok()) SecureWipe(sk->data(), sk->size());
    return InvalidArgument(path + " is not a witness key file (sspf-tool audit witness init)");
  }
  Result<SecretBytes> secret = SecretBytes::Copy(sk->data(), sk->size());
  SecureWipe(sk->data(), sk->size());
  if (!secret.ok()) return secret.status();
  out.secret_key = std::move(*secret);
  const internal::Bytes pk = internal::SignPublicKeyOf(out.secret_key);
  std::memcpy(out.public_key.data(), pk.data(), out.public_key.size());
  return out;
}

// What the state directory remembers.
struct WitnessState {
  std::string origin;
  std::string log_key;  // vkey
  uint64_t size = 0;
  Hash root{};
  uint64_t time = 0;  // of the last cosignature
};

std::string FormatState(const WitnessState& s) {
  return std::string(kStateMagic) + "\norigin " + s.origin + "\nlog-key " + s.log_key +
         "\nsize " + std::to_string(s.size) + "\nroot " +
         internal::Base64Encode(s.root.data(), s.root.size()) + "\ntime " +
         std::to_string(s.time) + "\n";
}

Result<WitnessState> ParseState(std::string_view text, const std::string& path) {
  const Status bad = IntegrityViolation("witness state " + path + " is malformed");
  std::vector<std::string_view> lines;
  if (!SplitLines(text, &lines) || lines.size() != 6 || lines[0] != kStateMagic) return bad;
  WitnessState s;
  std::string_view origin, vkey, size, root, time;
  if (!Field(lines[1], "origin", &origin) || !Field(lines[2], "log-key", &vkey) ||
      !Field(lines[3], "size", &size) || !Field(lines[4], "root", &root) ||
      !Field(lines[5], "time", &time) || !ParseU64(size, &s.size) ||
      !ParseU64(time, &s.time)) {
    return bad;
  }
  Result<internal::Bytes> r = internal::Base64Decode(root);
  Result<internal::VerifierKey> key = internal::ParseVerifierKey(vkey);
  if (!r.ok() || r->size() != internal::kHashSize || !key.ok() || key->name != origin) {
    return bad;
  }
  std::memcpy(s.root.data(), r->data(), s.root.size());
  s.origin = std::string(origin);
  s.log_key = std::string(vkey);
  return s;
}

Status EnsureDirectory(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return SysError("cannot create", dir);
  }
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) return SysError("cannot stat", dir);
  if (!S_ISDIR(st.st_mode)) return InvalidArgument(dir + " is not a directory");
  return Status::Ok();
}

Hash ToHash(const std::vector<uint8_t>& b) {
  Hash h{};
  std::memcpy(h.data(), b.data(), h.size());  // 32 bytes: ConsistencyProofFromJson
  return h;
}

// The consistency rules of a witness (C2SP tlog-witness): no rollback, no
// fork, and a proof from exactly the last cosigned tree to this one.
Status CheckAgainstState(const WitnessState& last, const internal::Checkpoint& cp,
                         const std::optional<std::string>& proof_json) {
  const std::string sizes = " (last cosigned size " + std::to_string(last.size) +
                            ", checkpoint size " + std::to_string(cp.size) + ")";
  if (cp.size < last.size) {
    return IntegrityViolation("rollback: the checkpoint is smaller than the last one cosigned" +
                              sizes);
  }
  if (cp.size == last.size) {
    if (cp.root != last.root) {
      return IntegrityViolation("fork: the checkpoint has another root than the last one "
                                "cosigned at the same size" + sizes);
    }
    return Status::Ok();
  }
  if (!proof_json) {
    return InvalidArgument("a consistency proof from the last cosigned checkpoint is needed" +
                           sizes + " (sspf-tool audit consistency --json)");
  }
  Result<ConsistencyProof> p = ConsistencyProofFromJson(*proof_json);
  if (!p.ok()) return p.status();
  if (p->old_size != last.size || p->new_size != cp.size || ToHash(p->old_root) != last.root ||
      ToHash(p->new_root) != cp.root) {
    return IntegrityViolation("the consistency proof is not from the last cosigned checkpoint "
                              "to this one" + sizes);
  }
  std::vector<Hash> path;
  for (const std::vector<uint8_t>& h : p->proof) path.push_back(ToHash(h));
  if (!internal::VerifyConsistency(last.size, cp.size, last.root, cp.root, path).ok()) {
    return IntegrityViolation("fork: the consistency proof does not verify" + sizes);
  }
  return Status::Ok();
}

}  // namespace

Result<WitnessKey> WitnessInit(const std::string& key_file, std::string_view name) {
  if (!internal::IsValidKeyName(name)) {
    return InvalidArgument("witness name must be a signed-note key name (no spaces or '+')");
  }
  if (key_file.empty()) return InvalidArgument("no key file given");
  WitnessKey out;
  out.name = std::string(name);
  out.key_file = key_file;
  out.public_key_file = key_file + ".pub";
  struct stat st;
  if (::lstat(out.public_key_file.c_str(), &st) == 0) {
    return AlreadyExists(out.public_key_file + " exists; not overwritten");
  }
  SSPF_ASSIGN_OR_RETURN(internal::SignKeyPair pair, internal::NewSignKeyPair());
  Ed25519PublicKey pk;
  std::memcpy(pk.data(), pair.public_key.data(), pk.size());
  SSPF_ASSIGN_OR_RETURN(out.verifier_key, internal::FormatCosignerKey(name, pk));
  std::string text = std::string(kKeyMagic) + "\n" + out.name + "\n" +
                     internal::Base64Encode(pair.secret_key.data(InsecureSecretAccess::Get()),
                                            pair.secret_key.size()) +
                     "\n";
  Status written = WriteNewFile(key_file, text, 0600);
  SecureWipe(text.data(), text.size());
  SSPF_RETURN_IF_ERROR(written);
  SSPF_RETURN_IF_ERROR(WriteNewFile(out.public_key_file, out.verifier_key + "\n", 0644));
  return out;
}

Result<WitnessCosignature> WitnessCosign(const WitnessCosignRequest& request) {
  SSPF_ASSIGN_OR_RETURN(WitnessSecret key, ReadWitnessKey(request.key_file));
  SSPF_RETURN_IF_ERROR(EnsureDirectory(request.state_dir));
  const std::string lock_path = request.state_dir + "/lock";
  Fd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (lock.get() < 0) return SysError("cannot open", lock_path);
  if (::flock(lock.get(), LOCK_EX) != 0) return SysError("cannot lock", lock_path);

  const std::string state_path = request.state_dir + "/state";
  bool missing = false;
  SSPF_ASSIGN_OR_RETURN(std::string state_text,
                        ReadFileNoFollow(state_path, /*private_only=*/false, &missing));
  std::optional<WitnessState> last;
  if (!missing) {
    SSPF_ASSIGN_OR_RETURN(WitnessState s, ParseState(state_text, state_path));
    last = std::move(s);
  }

  std::string log_vkey;
  if (last) {
    if (request.log_key && *request.log_key != last->log_key) {
      return IntegrityViolation("another log: this witness is pinned to the log " +
                                last->origin + " and its key, not the key given");
    }
    log_vkey = last->log_key;
  } else if (request.log_key) {
    log_vkey = *request.log_key;
  } else {
    return InvalidArgument("first use of this witness state: give the log's key "
                           "(sspf-tool audit verifier-key)");
  }
  SSPF_ASSIGN_OR_RETURN(internal::VerifierKey log_key, internal::ParseVerifierKey(log_vkey));
  // The store's checkpoint key is named after its origin (log/checkpoint.h).
  Result<internal::Checkpoint> cp = internal::OpenCheckpoint(request.checkpoint, log_key,
                                                             log_key.name);
  if (!cp.ok()) {
    if (cp.status().code() == StatusCode::kInvalidArgument) return cp.status();
    return IntegrityViolation("another log, or not signed by it: the checkpoint does not "
                              "verify as one of " + log_key.name + " (" +
                              cp.status().message() + ")");
  }
  if (last) SSPF_RETURN_IF_ERROR(CheckAgainstState(*last, *cp, request.proof_json));

  const std::shared_ptr<const Clock> clock = request.clock ? request.clock : SystemClock();
  const UnixSeconds now = clock->Now();
  if (now < 0) return InvalidArgument("the clock is before 1970");
  WitnessState next;
  next.origin = cp->origin;
  next.log_key = log_vkey;
  next.size = cp->size;
  next.root = cp->root;
  next.time = std::max<uint64_t>(static_cast<uint64_t>(now), last ? last->time : 0);

  SSPF_ASSIGN_OR_RETURN(std::string note, internal::AddCosignature(request.checkpoint, key.name,
                                                                   key.secret_key, next.time));
  SSPF_RETURN_IF_ERROR(internal::AtomicWriteFile(state_path, FormatState(next), 0600,
                                                 "the witness state"));
  WitnessCosignature out;
  out.note = std::move(note);
  out.witness = key.name;
  out.origin = next.origin;
  out.tree_size = next.size;
  out.previous_size = last ? last->size : 0;
  out.first_use = !last;
  out.timestamp = static_cast<UnixSeconds>(next.time);
  return out;
}

Result<UnixSeconds> VerifyWitnessCosignature(std::string_view note, std::string_view witness_key) {
  Result<internal::VerifierKey> key = internal::ParseCosignerKey(witness_key);
  if (!key.ok()) return InvalidArgument("witness key: " + key.status().message());
  SSPF_ASSIGN_OR_RETURN(uint64_t t, internal::VerifyCosignature(note, *key));
  return static_cast<UnixSeconds>(t);
}

namespace internal::audit {

Result<std::vector<std::string>> CheckKeptCosignatures(const VerifyOptions& options) {
  std::vector<std::string> names;
  if (options.witness_keys.empty()) return names;
  if (!options.kept_checkpoint) {
    return InvalidArgument("witness keys need a kept checkpoint to check (--checkpoint)");
  }
  for (size_t i = 0; i < options.witness_keys.size(); ++i) {
    Result<VerifierKey> key = ParseCosignerKey(options.witness_keys[i]);
    if (!key.ok()) {
      return InvalidArgument("witness key " + std::to_string(i + 1) + ": " +
                             key.status().message());
    }
    Result<uint64_t> t = VerifyCosignature(*options.kept_checkpoint, *key);
    if (!t.ok()) return IntegrityViolation("kept checkpoint: " + t.status().message());
    names.push_back(key->name);
  }
  return names;
}

}  // namespace internal::audit
}  // namespace sspf
