#include "util/text.h"

namespace sspf::internal {

Status ValidPrincipalName(std::string_view name) {
  if (name.empty()) return InvalidArgument("a principal name is required");
  if (name.size() > 64) return InvalidArgument("a principal name is at most 64 characters");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
    if (!ok) {
      return InvalidArgument(
          "a principal name may use only letters a-z, digits and . _ - @");
    }
  }
  return Status::Ok();
}

}  // namespace sspf::internal
