#include "storage/grants_table.h"

namespace sspf::internal {

std::string GrantInForceSql(int principal_param, int time_param) {
  const std::string p = "?" + std::to_string(principal_param);
  const std::string t = "?" + std::to_string(time_param);
  return "g.principal_id = " + p + " AND g.created <= " + t + " AND g.until > " + t +
         " AND g.ended IS NULL";
}

}  // namespace sspf::internal
