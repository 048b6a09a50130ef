#include "util/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace sspf {
namespace internal {
namespace {

Status Errno(const std::string& what, int e) {
  return IoError(what + ": " + std::strerror(e));
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

constexpr int kTempFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

// O_EXCL refuses whatever is at `tmp`.  A regular file of ours there is what
// a crash (or the test seam) left between write and rename: remove it and
// try once more.  Anything else (a symbolic link, a FIFO, someone else's
// file) is refused.
int OpenTemp(const std::string& tmp) {
  int fd = ::open(tmp.c_str(), kTempFlags, 0600);
  if (fd >= 0 || errno != EEXIST) return fd;
  struct stat st;
  if (::lstat(tmp.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
    errno = EEXIST;
    return -1;
  }
  if (::unlink(tmp.c_str()) != 0) return -1;
  return ::open(tmp.c_str(), kTempFlags, 0600);
}

}  // namespace

bool WriteAll(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string AtomicWriteTempPath(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

int RemoveStaleTempFiles(const std::string& path) {
  const std::string dir = DirOf(path);
  const size_t slash = path.rfind('/');
  const std::string prefix =
      (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return 0;
  std::vector<std::string> stale;
  while (const struct dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::strtol(digits.c_str(), nullptr, 10));
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    stale.push_back(dir + "/" + name);
  }
  ::closedir(d);
  int removed = 0;
  for (const std::string& f : stale) {
    struct stat st;
    if (::lstat(f.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
      continue;
    }
    if (::unlink(f.c_str()) == 0) ++removed;
  }
  return removed;
}

Status AtomicWriteFile(const std::string& path, std::string_view data, int mode,
                       const std::string& what,
                       const std::function<Status()>& before_rename) {
  const std::string tmp = AtomicWriteTempPath(path);
  const int fd = OpenTemp(tmp);
  if (fd < 0) return Errno("cannot write " + what, errno);
  std::string failed;
  if (!WriteAll(fd, data)) {
    failed = "cannot write " + what;
  } else if (::fchmod(fd, static_cast<mode_t>(mode)) != 0 || ::fsync(fd) != 0) {
    failed = "cannot sync " + what;
  }
  int err = errno;
  if (::close(fd) != 0 && failed.empty()) {
    err = errno;
    failed = "cannot write " + what;
  }
  if (!failed.empty()) {
    ::unlink(tmp.c_str());
    return Errno(failed, err);
  }
  if (before_rename) {
    Status s = before_rename();
    if (!s.ok()) return s;  // simulated crash: the temp file stays behind
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    return Errno("cannot replace " + what, err);
  }
  const int dfd = ::open(DirOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Errno("cannot sync " + what + " directory", errno);
  const int rc = ::fsync(dfd);
  err = errno;
  ::close(dfd);
  if (rc != 0) return Errno("cannot sync " + what + " directory", err);
  return Status::Ok();
}

}  // namespace internal

Status WriteFileAtomically(const std::string& path, std::string_view data, int mode) {
  return internal::AtomicWriteFile(path, data, mode, path);
}

}  // namespace sspf
