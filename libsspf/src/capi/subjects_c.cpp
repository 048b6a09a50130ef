// Copyright (c) libsspf authors.
//
// C ABI: subjects (the youth) and fictitious personal identity numbers for
// tests.
#include <cstddef>
#include <string>

#include "capi/capi_internal.h"
#include "sspf/pnr.h"
#include "sspf/secret.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_make_test_personal_number(int year, int month, int day, int serial,
                                           int coordination, char** out_pnr,
                                           sspf_error_t** out_error) {
  ClearOut(out_pnr);
  return Guard(out_error, [&] {
    Require(out_pnr, "out_pnr");
    sspf::Date d{year, month, day};
    if (!sspf::IsValidDate(d)) Fail(SSPF_STATUS_INVALID_ARGUMENT, "no such date");
    if (serial < 0 || serial > 999) Fail(SSPF_STATUS_INVALID_ARGUMENT, "serial must be 0..999");
    std::string pnr = sspf::MakeTestPersonalNumber(d, serial, coordination != 0);
    if (pnr.empty()) Fail(SSPF_STATUS_INVALID_ARGUMENT, "cannot make a number for that date");
    PutString(out_pnr, pnr);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_add_subject(sspf_session_t* session, const char* personal_number,
                                     const char* name, const char* const* guardians,
                                     size_t guardian_count, char** out_json,
                                     sspf_error_t** out_error) {
  return WithSession(session, {{personal_number, "personal_number"}, {name, "name"}},
                     RequiredJson(out_json, sspf::SubjectJson), out_error,
                     [&](sspf::Session& s) {
    sspf::Session::NewSubject in;
    in.personal_number = personal_number;
    in.name = name;
    in.guardians = ToStrings(guardians, guardian_count, "guardians");
    sspf::SubjectInfo info = Take(s.AddSubject(in));
    sspf::SecureWipe(in.personal_number.data(), in.personal_number.size());
    return info;
  });
}

sspf_status sspf_session_find_subject(sspf_session_t* session, const char* personal_number,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{personal_number, "personal_number"}},
                     RequiredJson(out_json, sspf::SubjectJson), out_error,
                     [&](sspf::Session& s) { return s.FindSubject(personal_number); });
}

sspf_status sspf_session_show_subject(sspf_session_t* session, const char* subject_id,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{subject_id, "subject_id"}},
                     RequiredJson(out_json, sspf::SubjectJson), out_error,
                     [&](sspf::Session& s) { return s.ShowSubject(subject_id); });
}

sspf_status sspf_session_set_guardian_custody(sspf_session_t* session, const char* subject_id,
                                              const char* guardian_id, int custody,
                                              sspf_error_t** out_error) {
  return WithSession(session, {{subject_id, "subject_id"}, {guardian_id, "guardian_id"}},
                     out_error, [&](sspf::Session& s) {
    return s.SetGuardianCustody(subject_id, guardian_id, custody != 0);
  });
}

sspf_status sspf_session_list_subjects(sspf_session_t* session, const char* name,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::SubjectListJson), out_error,
                     [&](sspf::Session& s) { return s.ListSubjects(name ? name : ""); });
}

sspf_status sspf_session_resolve_guardian(sspf_session_t* session, const char* case_id,
                                          const char* handle, char** out_json,
                                          sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}, {handle, "handle"}},
                     RequiredJson(out_json, sspf::GuardianMatchJson), out_error,
                     [&](sspf::Session& s) { return s.ResolveGuardian(case_id, handle); });
}

}  // extern "C"
