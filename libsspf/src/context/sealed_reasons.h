// Reading sealed reasons (DESIGN §13): what a session that holds an actor
// key or the oversight key can open.  Writing them is domain/reasons.cpp.
#ifndef SSPF_SRC_CONTEXT_SEALED_REASONS_H_
#define SSPF_SRC_CONTEXT_SEALED_REASONS_H_

#include <optional>
#include <string>
#include <string_view>

#include "context/session_impl.h"

namespace sspf::internal {

// The text of a row's sealed reason when this session holds a key it is
// sealed to (its actor's key, or an auditor's oversight key); nullopt when
// it holds none.  kIntegrityViolation when the row is missing, a seal is
// bound elsewhere, or the text does not decrypt or match its commitment.
Result<std::optional<std::string>> OpenReason(Session::Impl* impl, std::string_view table,
                                              const std::string& row_id);
// For audit verify in an auditor's session: opens every sealed reason with
// the oversight key and checks it against its stored commitment (a
// replaced ciphertext).  Rows without an oversight seal (made before the
// first auditor) are skipped.  A no-op for other roles.
Status CheckSealedReasons(Session::Impl* impl);
// The table names used for reasons.
inline constexpr char kDisclosuresTable[] = "disclosures";
inline constexpr char kGrantsTable[] = "grants";

}  // namespace sspf::internal

#endif  // SSPF_SRC_CONTEXT_SEALED_REASONS_H_
