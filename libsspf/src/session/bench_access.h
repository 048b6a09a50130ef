// Copyright (c) libsspf authors.
//
// What sspf-bench (tools/sspf-bench) needs from inside a Session, and
// nothing more: the bench measures the public API beside bare baselines
// written on the store's own connection and keys, and it fills big logs
// through the library's own append path.  Not part of the installed API;
// the bench links the library's objects (sspf_internal).
#ifndef SSPF_SRC_SESSION_BENCH_ACCESS_H_
#define SSPF_SRC_SESSION_BENCH_ACCESS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/store.h"
#include "sspf/types.h"
#include "util/bytes.h"

namespace sspf::internal {
class Db;
}  // namespace sspf::internal

namespace sspf::internal::bench {

// The number of events in the session's access log.
Result<uint64_t> LogSize(Session& s);

// Which entry a synthetic read event is about.
struct EntryRef {
  std::string entry_id;
  std::string case_id;
  std::string subject_id;
};

// Appends n allowed "entry.read" events by the session's principal (basis
// "author-actor", purpose "bench") to the current transaction (REQUIRES: an
// open batch, see Session::BeginBatch), the i-th (0-based) about pick(i),
// through the append path every operation uses, automatic checkpoints
// included.  Stops at the first failure and returns it.
Status AppendEntryReads(Session& s, uint64_t n, const std::function<EntryRef(uint64_t)>& pick);

// The store's database connection, for bare baselines on the same
// connection (same pages, same cipher settings).  Owned by the session.
Db* Database(Session& s);

// The store id as bytes (it is in the associated data of entry bodies).
const Bytes& StoreIdBytes(Session& s);

// The store authority's Ed25519 public key (the trust anchor), which signs
// the events of the recovery key.
const Bytes& AnchorPublicKey(Session& s);

// The session principal's secret key of actor at version, unsealed on first
// use; kPermissionDenied if the principal holds no seal for it.  Owned by the
// session.
Result<const SecretBytes*> ActorKey(Session& s, Actor actor, int64_t version);

}  // namespace sspf::internal::bench

#endif  // SSPF_SRC_SESSION_BENCH_ACCESS_H_
