// Replay details: the canonical state change an access-log event carries so
// that the verifier can rebuild principal, case-team, consent, disclosure
// and grant state from the log alone and compare it with the tables
// (DESIGN §5, §6: the defence against page replay and direct edits).
//
// Format: space-separated key=value pairs in the order given; values contain
// no spaces; lists are comma-separated in the order stored; times are Unix
// seconds; dates YYYY-MM-DD; actors/roles/categories by their names.
//
//   principal.add      principal=<id> actor=<a> role=<r> active=1
//   principal.disable  principal=<id> active=0
//   recovery.reset     principal=<id>
//   case.open          case=<id> subject=<sid> open=1 team=<pid,...>
//   case.close         case=<id> open=0
//   case.team_add      case=<id> member=<pid>
//   consent.grant      consent=<id> version=<n> case=<cid> party=youth|guardian:<gid>
//                      actors=<a,...> categories=<c,...> from=<t> until=<date>
//   consent.withdraw   consent=<id> version=<n> withdrawn=<t>
//   entry.add          entry=<id> case=<cid> category=<c> author=<pid> actor=<a>
//   entry.disclose     disclosure=<id> entry=<eid> to=<a>
//                      basis=consent:<id,...>|grant:<id>|provision|provision-until:<t>
//   grant.emergency    grant=<id> case=<cid> principal=<pid> until=<t>
//
// Only allowed events carry a detail.
#ifndef SSPF_SRC_REPLAY_H_
#define SSPF_SRC_REPLAY_H_

#include "storage/db.h"

namespace sspf::internal {

// Rebuilds state from the log and compares with the tables.
// kIntegrityViolation naming the first mismatch.
Status ReplayCheck(Db* db);

}  // namespace sspf::internal

#endif  // SSPF_SRC_REPLAY_H_
