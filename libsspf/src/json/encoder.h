// The JSON encoder behind sspf/json.h, for the library's own layers (the C
// ABI composes its documents from these objects).  Each *Object function
// returns a record's members without "schema_version"; Document() puts
// "schema_version" first and Dump() writes the one-line text.  The format
// is docs/json-schema.md; the conventions are those of sspf/json.h.
#ifndef SSPF_SRC_JSON_ENCODER_H_
#define SSPF_SRC_JSON_ENCODER_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/fields.h"
#include "sspf/records.h"
#include "sspf/types.h"

namespace sspf::internal::json {

// Keys keep the documented order.
using Value = nlohmann::ordered_json;

// Value helpers for the conventions: null when absent.
Value TextOrNull(std::string_view s);  // null for ""
Value TimeOrNull(const std::optional<UnixSeconds>& t);
Value Base64Value(const std::vector<uint8_t>& bytes);

Value EventObject(const AuditEvent& e);
Value PrincipalObject(const PrincipalInfo& p);
Value SubjectObject(const SubjectInfo& s);
Value GuardiansArray(const std::vector<GuardianInfo>& guardians);
Value CaseObject(const CaseInfo& c);
Value ConsentObject(const ConsentInfo& c);
Value EntryObject(const EntryInfo& e);
Value GrantObject(const GrantInfo& g);
Value ReviewFlagObject(const ReviewFlag& f);
Value ReviewAckObject(const ReviewAck& a);
Value ReviewClosureObject(const ReviewClosure& c);
Value ReviewReportObject(const ReviewReport& r);
// "day" or "week".
const char* ReviewPeriodUnitText(ReviewPeriodUnit u);

// {"schema_version": kJsonSchemaVersion, members of `object`...}.  The
// members are moved, not copied, so that no copy of a secret is left.
// REQUIRES: object is an object.
Value Document(Value object = Value::object());
// [item(x) for x in list].
template <typename T, typename Fn>
Value ArrayOf(const std::vector<T>& list, Fn item) {
  Value arr = Value::array();
  for (const T& x : list) arr.push_back(item(x));
  return arr;
}
// {"schema_version", key: [item(x) for x in list]}.
template <typename T, typename Fn>
Value ListDocument(const char* key, const std::vector<T>& list, Fn item) {
  Value doc = Document();
  doc[key] = ArrayOf(list, item);
  return doc;
}
// One line; invalid UTF-8 is replaced by U+FFFD; never throws for text.
std::string Dump(const Value& document);

}  // namespace sspf::internal::json

#endif  // SSPF_SRC_JSON_ENCODER_H_
