// Copyright (c) libsspf authors.
//
// C ABI: cases (ärenden) and their teams.
#include <cstddef>

#include "capi/capi_internal.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_session_open_case(sspf_session_t* session, const char* subject_id,
                                   const char* const* team, size_t team_count,
                                   char** out_case_id, sspf_error_t** out_error) {
  return WithSession(session, {{subject_id, "subject_id"}},
                     Required(out_case_id, "out_case_id"), out_error, [&](sspf::Session& s) {
    return s.OpenCase(subject_id, ToStrings(team, team_count, "team"));
  });
}

sspf_status sspf_session_list_cases(sspf_session_t* session, char** out_json,
                                    sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::CaseListJson), out_error,
                     [&](sspf::Session& s) { return s.ListCases(); });
}

sspf_status sspf_session_show_case(sspf_session_t* session, const char* case_id,
                                   char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}}, RequiredJson(out_json, sspf::CaseJson),
                     out_error, [&](sspf::Session& s) { return s.ShowCase(case_id); });
}

sspf_status sspf_session_close_case(sspf_session_t* session, const char* case_id,
                                    sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}}, out_error,
                     [&](sspf::Session& s) { return s.CloseCase(case_id); });
}

sspf_status sspf_session_add_team_member(sspf_session_t* session, const char* case_id,
                                         const char* principal, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}, {principal, "principal"}}, out_error,
                     [&](sspf::Session& s) { return s.AddTeamMember(case_id, principal); });
}

sspf_status sspf_session_reopen_case(sspf_session_t* session, const char* case_id,
                                     sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}}, out_error,
                     [&](sspf::Session& s) { return s.ReopenCase(case_id); });
}

sspf_status sspf_session_remove_team_member(sspf_session_t* session, const char* case_id,
                                            const char* principal, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}, {principal, "principal"}}, out_error,
                     [&](sspf::Session& s) { return s.RemoveTeamMember(case_id, principal); });
}

}  // extern "C"
