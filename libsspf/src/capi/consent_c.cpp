// Copyright (c) libsspf authors.
//
// C ABI: consent (samtycke).
#include <cstddef>

#include "capi/capi_internal.h"
#include "sspf/pnr.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_session_grant_consent(sspf_session_t* session, const char* case_id,
                                       const char* guardian_id, const int* actors,
                                       size_t actor_count, const int* categories,
                                       size_t category_count, const char* valid_until,
                                       const char* purpose, const char* form_ref,
                                       char** out_consent_id, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}, {valid_until, "valid_until"}},
                     Required(out_consent_id, "out_consent_id"), out_error,
                     [&](sspf::Session& s) {
    if (actors == nullptr && actor_count != 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "actors is NULL");
    if (categories == nullptr && category_count != 0) {
      Fail(SSPF_STATUS_INVALID_ARGUMENT, "categories is NULL");
    }
    sspf::ConsentInput in;
    in.case_id = case_id;
    in.party.youth = guardian_id == nullptr;
    if (guardian_id != nullptr) in.party.guardian_id = guardian_id;
    for (size_t i = 0; i < actor_count; ++i) in.actors.push_back(ToActor(actors[i]));
    for (size_t i = 0; i < category_count; ++i) {
      in.categories.push_back(ToCategory(categories[i]));
    }
    in.valid_until = Take(sspf::ParseDate(valid_until));
    if (purpose != nullptr) in.purpose = purpose;
    if (form_ref != nullptr) in.form_ref = form_ref;
    return s.GrantConsent(in);
  });
}

sspf_status sspf_session_withdraw_consent(sspf_session_t* session, const char* consent_id,
                                          sspf_error_t** out_error) {
  return WithSession(session, {{consent_id, "consent_id"}}, out_error,
                     [&](sspf::Session& s) { return s.WithdrawConsent(consent_id); });
}

sspf_status sspf_session_confirm_consent(sspf_session_t* session, const char* consent_id,
                                         const char* reference, sspf_error_t** out_error) {
  return WithSession(session, {{consent_id, "consent_id"}, {reference, "reference"}}, out_error,
                     [&](sspf::Session& s) { return s.ConfirmConsent(consent_id, reference); });
}

sspf_status sspf_session_list_consents(sspf_session_t* session, const char* case_id,
                                       char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}},
                     RequiredJson(out_json, sspf::ConsentListJson), out_error,
                     [&](sspf::Session& s) { return s.ListConsents(case_id); });
}

}  // extern "C"
