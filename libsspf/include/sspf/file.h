// Copyright (c) libsspf authors.
//
// Writing a whole file so that readers and crashes see either the old
// contents or the new, never a mix: the way the library writes the keyring
// and sspf-tool writes checkpoints.
#ifndef SSPF_FILE_H_
#define SSPF_FILE_H_

#include <string>
#include <string_view>

#include "sspf/export.h"
#include "sspf/status.h"

namespace sspf {

// Replaces the file at `path` with `data`, atomically: writes the temporary
// file "<path>.tmp.<process id>" in the same directory (created with
// O_CREAT|O_EXCL|O_NOFOLLOW, so a symbolic link or other non-regular file
// planted at that name is refused, never followed; a regular file of the
// same user there is taken as the leftover of a crashed write and removed
// first), sets its permission bits to `mode` (0600, 0644 ...; not subject
// to the umask), fsyncs it, renames it over `path` and fsyncs the
// directory.  On an error a temporary file this call made is removed and `path` is
// unchanged (unless the error is the final fsync of the directory, after
// the rename).
//
// Returns OK, or kIoError with a message that names `path` and the system
// error.  Not for secrets: `data` is not wiped.
// REQUIRES: no other thread of this process writes `path` at the same time.
SSPF_EXPORT Status WriteFileAtomically(const std::string& path, std::string_view data,
                                       int mode);

}  // namespace sspf

#endif  // SSPF_FILE_H_
