// Copyright (c) libsspf authors.
//
// C ABI: entries, disclosures and emergency grants.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "capi/capi_internal.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

extern "C" {

sspf_status sspf_session_add_entry(sspf_session_t* session, const char* case_id, int category,
                                   const uint8_t* body, size_t body_len, const char* supersedes,
                                   char** out_entry_id, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}}, Required(out_entry_id, "out_entry_id"),
                     out_error, [&](sspf::Session& s) {
    if (body == nullptr && body_len != 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "body is NULL");
    std::string_view b(body == nullptr ? "" : reinterpret_cast<const char*>(body), body_len);
    return s.AddEntry(case_id, ToCategory(category), b, OptString(supersedes));
  });
}

sspf_status sspf_session_list_entries(sspf_session_t* session, const char* case_id,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}},
                     RequiredJson(out_json, sspf::EntryListJson), out_error,
                     [&](sspf::Session& s) { return s.ListEntries(case_id); });
}

sspf_status sspf_session_read_entry(sspf_session_t* session, const char* entry_id,
                                    const char* purpose, uint8_t** out_body,
                                    size_t* out_body_len, char** out_info_json,
                                    sspf_error_t** out_error) {
  return sspf_session_read_entry_with_note(session, entry_id, purpose, nullptr, out_body,
                                           out_body_len, out_info_json, out_error);
}

sspf_status sspf_session_read_entry_with_note(sspf_session_t* session, const char* entry_id,
                                              const char* purpose, const char* note,
                                              uint8_t** out_body, size_t* out_body_len,
                                              char** out_info_json, sspf_error_t** out_error) {
  ClearOut(out_body);
  ClearOut(out_info_json);
  if (out_body_len != nullptr) *out_body_len = 0;
  return WithSession(session,
                     {{entry_id, "entry_id"}, {out_body, "out_body"},
                      {out_body_len, "out_body_len"}},
                     out_error, [&](sspf::Session& s) {
    sspf::Purpose p{purpose == nullptr ? "" : purpose, note == nullptr ? "" : note};
    sspf::EntryContent c = Take(s.ReadEntry(entry_id, p));
    // All outputs or none: no content is handed out on a failure.
    // The metadata of the read; the body goes out as bytes, not in the JSON.
    char* info = out_info_json != nullptr
                     ? CopyOutDocument(sspf::EntryContentJson(c, /*include_body=*/false))
                     : nullptr;
    uint8_t* b;
    try {
      b = CopyOut(c.body.data(), c.body.size());
    } catch (...) {
      sspf_free(info);
      throw;
    }
    *out_body = b;
    *out_body_len = c.body.size();
    if (out_info_json != nullptr) *out_info_json = info;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_disclose_entry(sspf_session_t* session, const char* entry_id,
                                        int to_actor, const char* consent_id,
                                        const char* grant_id, const char* provision,
                                        const char* reason, char** out_disclosure_id,
                                        sspf_error_t** out_error) {
  return WithSession(session, {{entry_id, "entry_id"}}, Optional(out_disclosure_id), out_error,
                     [&](sspf::Session& s) {
    sspf::DisclosureBasis basis;
    basis.consent_id = OptString(consent_id);
    basis.grant_id = OptString(grant_id);
    basis.provision = OptString(provision);
    if (reason != nullptr) basis.reason = reason;
    return s.DiscloseEntry(entry_id, ToActor(to_actor), basis);
  });
}

sspf_status sspf_session_disclose_entry_until(sspf_session_t* session, const char* entry_id,
                                              int to_actor, const char* provision,
                                              const char* reason, int64_t until_unix,
                                              char** out_disclosure_id,
                                              sspf_error_t** out_error) {
  return WithSession(session,
                     {{entry_id, "entry_id"}, {provision, "provision"}, {reason, "reason"}},
                     Optional(out_disclosure_id), out_error, [&](sspf::Session& s) {
    sspf::DisclosureBasis basis;
    basis.provision = std::string(provision);
    basis.reason = reason;
    basis.until = until_unix;
    return s.DiscloseEntry(entry_id, ToActor(to_actor), basis);
  });
}

sspf_status sspf_session_grant_emergency(sspf_session_t* session, const char* case_id,
                                         const char* provision, const char* reason, int hours,
                                         char** out_grant_id, sspf_error_t** out_error) {
  return WithSession(session,
                     {{case_id, "case_id"}, {provision, "provision"}, {reason, "reason"}},
                     Required(out_grant_id, "out_grant_id"), out_error, [&](sspf::Session& s) {
    return s.GrantEmergency(case_id, provision, reason, hours);
  });
}

sspf_status sspf_session_grant_emergency_json(sspf_session_t* session, const char* case_id,
                                              const char* provision, const char* reason,
                                              int hours, char** out_json,
                                              sspf_error_t** out_error) {
  return WithSession(session,
                     {{case_id, "case_id"}, {provision, "provision"}, {reason, "reason"}},
                     RequiredJson(out_json, sspf::GrantJson), out_error, [&](sspf::Session& s) {
    return s.GrantEmergencyInfo(case_id, provision, reason, hours);
  });
}

sspf_status sspf_session_end_grant(sspf_session_t* session, const char* grant_id,
                                   sspf_error_t** out_error) {
  return WithSession(session, {{grant_id, "grant_id"}}, out_error,
                     [&](sspf::Session& s) { return s.EndGrant(grant_id); });
}

sspf_status sspf_session_revoke_disclosure(sspf_session_t* session, const char* disclosure_id,
                                           sspf_error_t** out_error) {
  return WithSession(session, {{disclosure_id, "disclosure_id"}}, out_error,
                     [&](sspf::Session& s) { return s.RevokeDisclosure(disclosure_id); });
}

sspf_status sspf_session_list_reasons(sspf_session_t* session, const char* case_id,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}},
                     RequiredJson(out_json, sspf::ReasonListJson), out_error,
                     [&](sspf::Session& s) { return s.ListReasons(case_id); });
}

sspf_status sspf_session_list_purpose_notes(sspf_session_t* session, const char* case_id,
                                            char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}},
                     RequiredJson(out_json, sspf::PurposeNoteListJson), out_error,
                     [&](sspf::Session& s) { return s.ListPurposeNotes(case_id); });
}

sspf_status sspf_session_erase_purpose_note(sspf_session_t* session, const char* note_id,
                                            sspf_error_t** out_error) {
  return WithSession(session, {{note_id, "note_id"}}, out_error,
                     [&](sspf::Session& s) { return s.ErasePurposeNote(note_id); });
}

sspf_status sspf_session_resolve_id(sspf_session_t* session, const char* prefix,
                                    char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{prefix, "prefix"}}, RequiredJson(out_json, sspf::IdMatchJson),
                     out_error, [&](sspf::Session& s) { return s.ResolveId(prefix); });
}

}  // extern "C"
