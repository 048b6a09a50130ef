// Atomic file writes (the public sspf/file.h, plus a crash-test seam and a
// name for the file in messages).
#ifndef SSPF_SRC_UTIL_FILE_H_
#define SSPF_SRC_UTIL_FILE_H_

#include <functional>
#include <string>
#include <string_view>

#include "sspf/file.h"
#include "sspf/status.h"

namespace sspf::internal {

// WriteFileAtomically (sspf/file.h), whose error messages call the file
// `what` ("the keyring"): "cannot write <what>: <error>", "cannot sync
// <what>: ...", "cannot replace <what>: ...", "cannot sync <what>
// directory: ...".  before_rename, when set, runs after the temporary file
// is synced and closed and before the rename; an error from it is returned
// as it is and leaves the temporary file behind (a crash test seam).
Status AtomicWriteFile(const std::string& path, std::string_view data, int mode,
                       const std::string& what,
                       const std::function<Status()>& before_rename = {});

// Writes all of data to fd, retrying short writes and EINTR; false with
// errno set on failure.
bool WriteAll(int fd, std::string_view data);

// "<path>.tmp.<process id>", the temporary file of AtomicWriteFile.
std::string AtomicWriteTempPath(const std::string& path);

// Removes the temporary files "<path>.tmp.<pid>" that a process which no
// longer runs left behind (killed between write and rename): regular
// files of this user only; a live process's file is left alone.  Returns
// how many it removed.  Best effort: errors are ignored.
int RemoveStaleTempFiles(const std::string& path);

}  // namespace sspf::internal

#endif  // SSPF_SRC_UTIL_FILE_H_
