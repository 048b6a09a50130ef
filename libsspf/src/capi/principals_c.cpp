// Copyright (c) libsspf authors.
//
// C ABI: principals (admin), the session's own credential, actor keys.
#include <cstddef>
#include <cstdint>
#include <functional>

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

sspf_status sspf_session_list_staff(sspf_session_t* session, int actor, char** out_json,
                                   sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::StaffListJson), out_error,
                     [&](sspf::Session& s) {
    std::optional<sspf::Actor> only;
    if (actor >= 0) only = ToActor(actor);
    return s.ListStaff(only);
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

sspf_status sspf_session_rotate_actor_key(sspf_session_t* session, int actor,
                                          int64_t* out_version, sspf_error_t** out_error) {
  if (out_version != nullptr) *out_version = 0;
  return WithSession(session, {}, out_error, [&](sspf::Session& s) -> sspf::Status {
    int64_t version = Take(s.RotateActorKey(ToActor(actor)));
    if (out_version != nullptr) *out_version = version;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_rewrap_entry_keys(sspf_session_t* session, sspf_progress_fn progress,
                                           void* user_data, uint64_t* out_count,
                                           sspf_error_t** out_error) {
  if (out_count != nullptr) *out_count = 0;
  return WithSession(session, {}, out_error, [&](sspf::Session& s) -> sspf::Status {
    uint64_t n = Take(s.RewrapEntryKeys(Progress(progress, user_data)));
    if (out_count != nullptr) *out_count = n;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_rekey_store(sspf_session_t* session, sspf_keep_recovery_key_fn keep,
                                     void* keep_data, sspf_progress_fn progress,
                                     void* progress_data, char** out_json,
                                     sspf_error_t** out_error) {
  return WithSession(
      session, {}, OptionalJson(out_json, sspf::StoreRekeyedJson), out_error,
      [&](sspf::Session& s) -> sspf::Result<sspf::RekeyResult> {
        if (keep == nullptr) {
          return sspf::InvalidArgument("keep is NULL: the new recovery key must be kept");
        }
        return s.RekeyStore(
            [&](const sspf::SecretBytes& key) {
              if (keep(keep_data, key.data(sspf::InsecureSecretAccess::Get()), key.size()) != 0) {
                return sspf::FailedPrecondition("the caller did not keep the new recovery key; "
                                     "the rekey was abandoned and nothing changed");
              }
              return sspf::Status::Ok();
            },
            Progress(progress, progress_data));
      });
}

}  // extern "C"
