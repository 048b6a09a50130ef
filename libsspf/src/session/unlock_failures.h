// Failed unlock attempts.  A wrong passphrase leaves the session without a
// key, so the attempt cannot be written to the encrypted access log at that
// moment.  It is appended instead to <store>.unlock-failures (mode 0600; a
// line per attempt: format version, Unix time, the keyring tag of the name
// tried -- no name, no passphrase) and moved into the access log as a denied
// `unlock` event by the next successful unlock of any principal.
#ifndef SSPF_SRC_UNLOCK_FAILURES_H_
#define SSPF_SRC_UNLOCK_FAILURES_H_

#include <string>

#include "crypto/crypto.h"
#include "context/session_impl.h"

namespace sspf::internal {

// Best effort: a read-only directory loses the record (and says nothing).
void RecordUnlockFailure(const std::string& store_path, UnixSeconds when, const Bytes& tag);

// Appends the pending failures to the log as denied unlock events in one
// transaction and removes them.  At most kMaxIngest per call.
Status IngestUnlockFailures(Session::Impl* impl);

inline constexpr size_t kMaxUnlockFailuresIngested = 10000;

}  // namespace sspf::internal

#endif  // SSPF_SRC_UNLOCK_FAILURES_H_
