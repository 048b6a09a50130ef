// The grants table's one rule: a legal-basis grant is in force at time t
// while created <= t < until and it was not ended early (ended IS NULL).
// Every query and check of a grant uses these, so the rule is written once.
#ifndef SSPF_SRC_STORAGE_GRANTS_TABLE_H_
#define SSPF_SRC_STORAGE_GRANTS_TABLE_H_

#include <string>

#include "sspf/types.h"

namespace sspf::internal {

// An SQL condition over the grants table aliased `g`: held by the principal
// bound to parameter ?<principal_param> and in force at the time bound to
// ?<time_param>.
std::string GrantInForceSql(int principal_param, int time_param);

// The same rule in C++, for a grant not ended early.
inline bool GrantInForce(UnixSeconds created, UnixSeconds until, UnixSeconds t) {
  return created <= t && t < until;
}

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_GRANTS_TABLE_H_
