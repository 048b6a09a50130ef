// Copyright (c) libsspf authors.
//
// The witness check of Session::Verify (audit verify --witness-key).
#ifndef SSPF_SRC_AUDIT_WITNESS_INTERNAL_H_
#define SSPF_SRC_AUDIT_WITNESS_INTERNAL_H_

#include <string>
#include <vector>

#include "sspf/records.h"
#include "sspf/status.h"

namespace sspf::internal::audit {

// Checks options.witness_keys against options.kept_checkpoint and returns
// the witnesses' names in order (empty when none were given).
// kInvalidArgument for witness keys without a kept checkpoint or a
// malformed key (naming it by position); kIntegrityViolation "kept
// checkpoint: ..." naming the witness whose cosignature is missing or
// invalid.
Result<std::vector<std::string>> CheckKeptCosignatures(const VerifyOptions& options);

}  // namespace sspf::internal::audit

#endif  // SSPF_SRC_AUDIT_WITNESS_INTERNAL_H_
