// Copyright (c) libsspf authors.
//
// C ABI: the witness (sspf/witness.h), which needs no session, and verify
// against witness cosignatures.
#include <cstddef>

#include "capi/capi_internal.h"
#include "sspf/json.h"
#include "sspf/witness.h"

using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_witness_init(const char* key_file, const char* name, char** out_json,
                              sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Require({{key_file, "key_file"}, {name, "name"}});
    const sspf::WitnessKey key = Take(sspf::WitnessInit(key_file, name));
    if (out_json != nullptr) *out_json = CopyOutDocument(sspf::WitnessKeyJson(key));
    return sspf::Status::Ok();
  });
}

sspf_status sspf_witness_cosign(const char* key_file, const char* state_dir,
                                const char* checkpoint, const char* proof_json,
                                const char* log_key, char** out_json,
                                sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Require({{key_file, "key_file"}, {state_dir, "state_dir"}, {checkpoint, "checkpoint"}});
    Require(out_json, "out_json");
    sspf::WitnessCosignRequest req;
    req.key_file = key_file;
    req.state_dir = state_dir;
    req.checkpoint = checkpoint;
    req.proof_json = OptString(proof_json);
    req.log_key = OptString(log_key);
    *out_json = CopyOutDocument(sspf::WitnessCosignatureJson(Take(sspf::WitnessCosign(req))));
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_verify_witnessed(sspf_session_t* session, const char* kept_checkpoint,
                                          const char* const* witness_keys,
                                          size_t witness_key_count, char** out_report_json,
                                          sspf_error_t** out_error) {
  auto encode = [](const sspf::VerifyReport& r) { return sspf::VerifyReportJson(r, true); };
  return WithSession(session, {{kept_checkpoint, "kept_checkpoint"}},
                     OptionalJson(out_report_json, encode), out_error, [&](sspf::Session& s) {
    sspf::VerifyOptions vo;
    vo.kept_checkpoint = std::string(kept_checkpoint);
    vo.witness_keys = ToStrings(witness_keys, witness_key_count, "witness_keys");
    return s.Verify(vo);
  });
}

}  // extern "C"
