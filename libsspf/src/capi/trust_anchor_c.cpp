// Copyright (c) libsspf authors.
//
// C ABI: the trust anchor of a session (sspf_session_trust_anchor).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "capi/capi_internal.h"
#include "sspf/json.h"

using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_session_trust_anchor(sspf_session_t* session, uint8_t** out_key,
                                      size_t* out_key_len, char** out_json,
                                      sspf_error_t** out_error) {
  ClearOut(out_key);
  ClearOut(out_json);
  if (out_key_len != nullptr) *out_key_len = 0;
  return WithSession(session, {{out_key, "out_key"}, {out_key_len, "out_key_len"}}, out_error,
                     [&](sspf::Session& s) {
    const sspf::TrustAnchorInfo anchor = s.TrustAnchor();
    // All outputs or none: the document is released if the key cannot be.
    std::unique_ptr<char, void (*)(void*)> json(
        out_json != nullptr ? CopyOut(sspf::TrustAnchorJson(anchor)) : nullptr, sspf_free);
    *out_key = CopyOut(anchor.public_key.data(), anchor.public_key.size());
    *out_key_len = anchor.public_key.size();
    if (out_json != nullptr) *out_json = json.release();
    return sspf::Status::Ok();
  });
}

}  // extern "C"
