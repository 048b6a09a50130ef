// The replay check: rebuilds principal, case-team, consent, disclosure,
// entry and grant state from the access log's replay details
// (log/replay_detail.h) and compares it with the tables (DESIGN §5, §6:
// the defence against page replay and direct edits).
#ifndef SSPF_SRC_LOG_REPLAY_H_
#define SSPF_SRC_LOG_REPLAY_H_

#include "storage/db.h"

namespace sspf::internal {

// Rebuilds state from the log and compares with the tables.
// kIntegrityViolation naming the first mismatch.
Status ReplayCheck(Db* db);

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_REPLAY_H_
