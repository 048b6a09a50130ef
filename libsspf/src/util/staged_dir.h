// A directory written as a whole: files go into a fresh staging directory
// next to the target, which is renamed onto the target only when complete
// (an export of the access log as tiles, audit/tiles.cpp).  A failure, or
// the object's destruction before Commit, removes the staging directory;
// only a crash can leave one ("<target>.tmp-XXXXXX"), never a half-written
// target.
#ifndef SSPF_SRC_UTIL_STAGED_DIR_H_
#define SSPF_SRC_UTIL_STAGED_DIR_H_

#include <memory>
#include <string>
#include <string_view>

#include "sspf/status.h"

namespace sspf::internal {

class StagedDir {
 public:
  // Checks that `target` can receive a staged directory: it does not exist
  // and its parent is a directory, or it is an empty directory.
  // kInvalidArgument for an empty path or a target that is not a directory;
  // kAlreadyExists for a non-empty directory; kNotFound for a missing parent.
  static Status CheckTarget(const std::string& target);
  // CheckTarget, then makes the staging directory (mode 0700).  kIoError
  // when it cannot be made.
  static Result<std::unique_ptr<StagedDir>> Begin(const std::string& target);

  StagedDir(const StagedDir&) = delete;
  StagedDir& operator=(const StagedDir&) = delete;
  ~StagedDir();

  // Writes the file `relative` (a path of '/'-separated names, no "..")
  // with `data`, mode 0644, making its parent directories (0755).
  // kIoError naming the relative path.
  Status Write(const std::string& relative, std::string_view data);
  // Write over a file this object wrote before.
  Status Replace(const std::string& relative, std::string_view data);
  // Flushes everything to disk and renames the staging directory onto the
  // target.  kAlreadyExists when the target was filled meanwhile; kIoError
  // otherwise.  Either way the staging directory is removed on failure.
  Status Commit();

 private:
  StagedDir(std::string target, std::string staging)
      : target_(std::move(target)), staging_(std::move(staging)) {}
  void Remove();

  std::string target_;
  std::string staging_;  // empty once committed or removed
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_STAGED_DIR_H_
