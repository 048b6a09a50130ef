#include "util/staged_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "util/file.h"

namespace sspf::internal {
namespace {

namespace fs = std::filesystem;

Status Errno(const std::string& what, int e) { return IoError(what + ": " + std::strerror(e)); }

// The target without trailing slashes ("out/" and "out" are one target).
std::string Trimmed(const std::string& target) {
  std::string t = target;
  while (t.size() > 1 && t.back() == '/') t.pop_back();
  return t;
}

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Status StagedDir::CheckTarget(const std::string& target) {
  if (target.empty()) return InvalidArgument("no directory given");
  const std::string t = Trimmed(target);
  struct stat st;
  if (::lstat(t.c_str(), &st) != 0) {
    if (errno != ENOENT) return Errno("cannot inspect " + t, errno);
    struct stat pst;
    const std::string parent = ParentOf(t);
    if (::stat(parent.c_str(), &pst) != 0 || !S_ISDIR(pst.st_mode)) {
      return NotFound("the parent directory of " + t + " does not exist: create it first");
    }
    return Status::Ok();
  }
  if (!S_ISDIR(st.st_mode)) {
    return InvalidArgument(t + " exists and is not a directory: give a new or empty directory");
  }
  std::error_code ec;
  fs::directory_iterator it(t, ec);
  if (ec) return IoError("cannot read " + t + ": " + ec.message());
  if (it != fs::directory_iterator()) {
    return AlreadyExists(t + " is not empty: give a new or empty directory");
  }
  return Status::Ok();
}

Result<std::unique_ptr<StagedDir>> StagedDir::Begin(const std::string& target) {
  SSPF_RETURN_IF_ERROR(CheckTarget(target));
  const std::string t = Trimmed(target);
  std::vector<char> tmpl(t.begin(), t.end());
  const char suffix[] = ".tmp-XXXXXX";
  tmpl.insert(tmpl.end(), suffix, suffix + sizeof suffix);  // with the NUL
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return Errno("cannot make a staging directory next to " + t, errno);
  }
  return std::unique_ptr<StagedDir>(new StagedDir(t, std::string(tmpl.data())));
}

StagedDir::~StagedDir() { Remove(); }

void StagedDir::Remove() {
  if (staging_.empty()) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);  // best effort: nothing else can be done here
  staging_.clear();
}

Status StagedDir::Write(const std::string& relative, std::string_view data) {
  if (staging_.empty()) return Internal("staged directory already committed");
  if (relative.empty() || relative[0] == '/' || relative.find("..") != std::string::npos) {
    return Internal("bad staged path");
  }
  const std::string path = staging_ + "/" + relative;
  const size_t slash = relative.rfind('/');
  if (slash != std::string::npos) {
    std::error_code ec;
    fs::create_directories(staging_ + "/" + relative.substr(0, slash), ec);
    if (ec) return IoError("cannot make the directory of " + relative + ": " + ec.message());
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot write " + relative, errno);
  const bool ok = WriteAll(fd, data) && ::fchmod(fd, 0644) == 0;
  const int err = errno;
  if (::close(fd) != 0 || !ok) return Errno("cannot write " + relative, ok ? errno : err);
  return Status::Ok();
}

Status StagedDir::Replace(const std::string& relative, std::string_view data) {
  if (staging_.empty()) return Internal("staged directory already committed");
  if (::unlink((staging_ + "/" + relative).c_str()) != 0 && errno != ENOENT) {
    return Errno("cannot replace " + relative, errno);
  }
  return Write(relative, data);
}

Status StagedDir::Commit() {
  if (staging_.empty()) return Internal("staged directory already committed");
  Status s = [&]() -> Status {
    const int dfd = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return Errno("cannot open the staging directory", errno);
    // One flush of the file system for all the files written (instead of
    // an fsync per file).
    const int rc = ::syncfs(dfd);
    const int err = errno;
    ::close(dfd);
    if (rc != 0) return Errno("cannot flush the files of " + target_, err);
    if (::rename(staging_.c_str(), target_.c_str()) != 0) {
      if (errno == ENOTEMPTY || errno == EEXIST) {
        return AlreadyExists(target_ + " was filled meanwhile: give a new or empty directory");
      }
      return Errno("cannot rename the staging directory to " + target_, errno);
    }
    return Status::Ok();
  }();
  if (!s.ok()) {
    Remove();
    return s;
  }
  staging_.clear();
  const int pfd = ::open(ParentOf(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (pfd < 0) return Errno("cannot sync the directory of " + target_, errno);
  const int rc = ::fsync(pfd);
  const int err = errno;
  ::close(pfd);
  if (rc != 0) return Errno("cannot sync the directory of " + target_, err);
  return Status::Ok();
}

}  // namespace sspf::internal
