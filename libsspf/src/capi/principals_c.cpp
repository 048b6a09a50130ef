// Copyright (c) libsspf authors.
//
// C ABI: principals (admin) and the session's own credential.
#include <cstddef>
#include <cstdint>

#include "capi/capi_internal.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_session_add_principal(sspf_session_t* session, const char* name, int actor,
                                       int role, int credential_kind, const uint8_t* secret,
                                       size_t secret_len, char** out_id,
                                       sspf_error_t** out_error) {
  return WithSession(session, {{name, "name"}}, Optional(out_id), out_error,
                     [&](sspf::Session& s) {
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    return s.AddPrincipal(name, ToActor(actor), ToRole(role), cred);
  });
}

sspf_status sspf_session_list_principals(sspf_session_t* session, char** out_json,
                                         sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::PrincipalListJson), out_error,
                     [&](sspf::Session& s) { return s.ListPrincipals(); });
}

sspf_status sspf_session_disable_principal(sspf_session_t* session, const char* name,
                                           sspf_error_t** out_error) {
  return WithSession(session, {{name, "name"}}, out_error,
                     [&](sspf::Session& s) { return s.DisablePrincipal(name); });
}

sspf_status sspf_session_change_credential(sspf_session_t* session, int credential_kind,
                                           const uint8_t* secret, size_t secret_len,
                                           sspf_error_t** out_error) {
  return WithSession(session, {}, out_error, [&](sspf::Session& s) {
    return s.ChangeCredential(ToCredential(credential_kind, secret, secret_len, "secret"));
  });
}

}  // extern "C"
