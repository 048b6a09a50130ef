// How the public JSON documents (and the CSV export) write times and coded
// values (docs/json-schema.md).  No JSON types here: the CSV export of the
// audit layer uses these too, so both formats agree.
#ifndef SSPF_SRC_JSON_FIELDS_H_
#define SSPF_SRC_JSON_FIELDS_H_

#include <string>

#include "sspf/types.h"

namespace sspf::internal::json {

// RFC 3339 UTC: "2026-12-01T07:47:34Z".
std::string Rfc3339(UnixSeconds t);
// The name (ActorName, ...), or the decimal value for a value without one
// (only in a tampered store).
std::string ActorText(Actor a);
std::string RoleText(Role r);
std::string ActionText(Action a);
std::string CategoryText(Category c);

}  // namespace sspf::internal::json

#endif  // SSPF_SRC_JSON_FIELDS_H_
