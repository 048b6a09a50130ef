// Copyright (c) libsspf authors.
//
// C ABI: the access log (auditor): checkpoints, verification, proofs,
// filters, queries, export, extracts, review and principal certificates.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capi/capi_internal.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

namespace {

// Filter setters: set(AuditFilter&) after the NULL check.
template <typename F>
sspf_status SetFilter(sspf_audit_filter_t* filter, sspf_error_t** out_error, F&& set) {
  return WithRep(filter, "filter", {}, out_error, [&](sspf::AuditFilter& f) {
    set(f);
    return sspf::Status::Ok();
  });
}

const sspf::AuditFilter& FilterOrAll(const sspf_audit_filter_t* filter) {
  static const sspf::AuditFilter kAll;
  return filter == nullptr ? kAll : filter->rep;
}

}  // namespace

namespace {

// The scoped review's options from the C arguments (review_report, review_html).
sspf::ReviewOptions ReviewOptionsOf(const sspf_audit_filter_t* scope, const char* flag_kind,
                                    int by, size_t top_readers) {
  const sspf::AuditFilter& f = FilterOrAll(scope);
  if (f.case_id || f.subject_id || f.action || f.allowed || f.target || f.limit != 0 ||
      f.seq_from || f.seq_to) {
    Fail(SSPF_STATUS_INVALID_ARGUMENT,
         "a review scope takes only a time range, a principal and an actor");
  }
  if (by != SSPF_REVIEW_BY_DAY && by != SSPF_REVIEW_BY_WEEK) {
    Fail(SSPF_STATUS_INVALID_ARGUMENT, "by must be SSPF_REVIEW_BY_DAY or SSPF_REVIEW_BY_WEEK");
  }
  sspf::ReviewOptions o;
  o.since = f.since;
  o.until = f.until;
  o.principal = f.principal;
  o.actor = f.actor;
  o.flag_kind = OptString(flag_kind);
  o.by = static_cast<sspf::ReviewPeriodUnit>(by);
  o.top_readers = top_readers;
  return o;
}

}  // namespace

extern "C" {

sspf_status sspf_session_checkpoint(sspf_session_t* session, char** out_note,
                                    sspf_error_t** out_error) {
  return WithSession(session, {}, Required(out_note, "out_note"), out_error,
                     [&](sspf::Session& s) { return s.Checkpoint(); });
}

sspf_status sspf_session_verifier_key(sspf_session_t* session, char** out_key,
                                      sspf_error_t** out_error) {
  return WithSession(session, {}, Required(out_key, "out_key"), out_error,
                     [&](sspf::Session& s) { return s.VerifierKey(); });
}

namespace {

sspf_status VerifyWith(sspf_session_t* session, const char* kept_checkpoint, bool full,
                       char** out_report_json, sspf_error_t** out_error) {
  const bool kept = kept_checkpoint != nullptr;
  auto encode = [kept](const sspf::VerifyReport& r) { return sspf::VerifyReportJson(r, kept); };
  return WithSession(session, {}, OptionalJson(out_report_json, encode), out_error,
                     [&](sspf::Session& s) {
    sspf::VerifyOptions vo;
    vo.kept_checkpoint = OptString(kept_checkpoint);
    vo.full = full;
    return s.Verify(vo);
  });
}

}  // namespace

sspf_status sspf_session_verify(sspf_session_t* session, const char* kept_checkpoint,
                                char** out_report_json, sspf_error_t** out_error) {
  return VerifyWith(session, kept_checkpoint, false, out_report_json, out_error);
}

sspf_status sspf_session_verify_full(sspf_session_t* session, const char* kept_checkpoint,
                                     char** out_report_json, sspf_error_t** out_error) {
  return VerifyWith(session, kept_checkpoint, true, out_report_json, out_error);
}

sspf_status sspf_session_prove(sspf_session_t* session, uint64_t index, const char* checkpoint,
                               char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::InclusionProofJson), out_error,
                     [&](sspf::Session& s) { return s.Prove(index, OptString(checkpoint)); });
}

sspf_status sspf_session_consistency(sspf_session_t* session, const char* old_checkpoint,
                                     const char* new_checkpoint, char** out_json,
                                     sspf_error_t** out_error) {
  return WithSession(session,
                     {{old_checkpoint, "old_checkpoint"}, {new_checkpoint, "new_checkpoint"}},
                     RequiredJson(out_json, sspf::ConsistencyProofJson), out_error,
                     [&](sspf::Session& s) {
                       return s.Consistency(old_checkpoint, new_checkpoint);
                     });
}

sspf_status sspf_audit_filter_create(sspf_audit_filter_t** out_filter,
                                     sspf_error_t** out_error) {
  return CreateHandle(out_filter, "out_filter", out_error);
}

void sspf_audit_filter_destroy(sspf_audit_filter_t** filter) { Release(filter); }

sspf_status sspf_audit_filter_set_case(sspf_audit_filter_t* filter, const char* case_id,
                                       sspf_error_t** out_error) {
  return SetFilter(filter, out_error,
                   [&](sspf::AuditFilter& f) { f.case_id = OptString(case_id); });
}

sspf_status sspf_audit_filter_set_subject(sspf_audit_filter_t* filter, const char* subject_id,
                                          sspf_error_t** out_error) {
  return SetFilter(filter, out_error,
                   [&](sspf::AuditFilter& f) { f.subject_id = OptString(subject_id); });
}

sspf_status sspf_audit_filter_set_principal(sspf_audit_filter_t* filter, const char* principal,
                                            sspf_error_t** out_error) {
  return SetFilter(filter, out_error,
                   [&](sspf::AuditFilter& f) { f.principal = OptString(principal); });
}

sspf_status sspf_audit_filter_set_actor(sspf_audit_filter_t* filter, int actor,
                                        sspf_error_t** out_error) {
  return SetFilter(filter, out_error, [&](sspf::AuditFilter& f) {
    if (actor == 0) {
      f.actor.reset();
    } else {
      f.actor = ToActor(actor);
    }
  });
}

sspf_status sspf_audit_filter_set_action(sspf_audit_filter_t* filter, const char* action,
                                         sspf_error_t** out_error) {
  return SetFilter(filter, out_error, [&](sspf::AuditFilter& f) {
    if (action == nullptr) {
      f.action.reset();
      return;
    }
    std::optional<sspf::Action> a = sspf::ParseAction(action);
    if (!a) Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown action name");
    f.action = *a;
  });
}

sspf_status sspf_audit_filter_set_allowed(sspf_audit_filter_t* filter, int allowed,
                                          sspf_error_t** out_error) {
  return SetFilter(filter, out_error, [&](sspf::AuditFilter& f) {
    // Not an enum: the three values sspf.h gives.
    if (allowed < -1 || allowed > 1) Fail(SSPF_STATUS_INVALID_ARGUMENT, "allowed must be -1, 0 or 1");
    if (allowed == -1) {
      f.allowed.reset();
    } else {
      f.allowed = allowed == 1;
    }
  });
}

sspf_status sspf_audit_filter_set_target(sspf_audit_filter_t* filter, const char* target,
                                         sspf_error_t** out_error) {
  return SetFilter(filter, out_error,
                   [&](sspf::AuditFilter& f) { f.target = OptString(target); });
}

sspf_status sspf_audit_filter_set_time_range(sspf_audit_filter_t* filter, int has_since,
                                             int64_t since, int has_until, int64_t until,
                                             sspf_error_t** out_error) {
  return SetFilter(filter, out_error, [&](sspf::AuditFilter& f) {
    f.since.reset();
    f.until.reset();
    if (has_since) f.since = since;
    if (has_until) f.until = until;
  });
}

sspf_status sspf_audit_filter_set_limit(sspf_audit_filter_t* filter, size_t limit,
                                        sspf_error_t** out_error) {
  return SetFilter(filter, out_error, [&](sspf::AuditFilter& f) { f.limit = limit; });
}

sspf_status sspf_audit_filter_set_seq_range(sspf_audit_filter_t* filter, int has_from,
                                            uint64_t from, int has_to, uint64_t to,
                                            sspf_error_t** out_error) {
  return SetFilter(filter, out_error, [&](sspf::AuditFilter& f) {
    f.seq_from.reset();
    f.seq_to.reset();
    if (has_from) f.seq_from = from;
    if (has_to) f.seq_to = to;
  });
}

sspf_status sspf_session_query_events(sspf_session_t* session, const sspf_audit_filter_t* filter,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::EventListJson), out_error,
                     [&](sspf::Session& s) { return s.QueryEvents(FilterOrAll(filter)); });
}

sspf_status sspf_session_export_events(sspf_session_t* session,
                                       const sspf_audit_filter_t* filter, int format,
                                       sspf_line_sink sink, void* user_data,
                                       sspf_error_t** out_error) {
  return WithSession(session, {}, out_error, [&](sspf::Session& s) {
    if (sink == nullptr) Fail(SSPF_STATUS_INVALID_ARGUMENT, "sink is NULL");
    const sspf::ExportFormat f = ToExportFormat(format);
    std::string line;  // NUL-terminated copy for the callback
    return s.ExportEvents(FilterOrAll(filter), f, [&](std::string_view l) -> sspf::Status {
      line.assign(l);
      sspf_status st = sink(user_data, line.c_str(), line.size());
      if (st == SSPF_STATUS_OK) return sspf::Status::Ok();
      if (!IsStatusCode(st)) st = SSPF_STATUS_INTERNAL;
      return sspf::Status(static_cast<sspf::StatusCode>(st),
                          "export stopped by the caller's sink");
    });
  });
}

sspf_status sspf_session_export_tiles(sspf_session_t* session, const char* dir,
                                      char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{dir, "dir"}}, OptionalJson(out_json, sspf::TileExportJson),
                     out_error, [&](sspf::Session& s) {
                       sspf::TileExportOptions o;
                       o.dir = dir;
                       return s.ExportTiles(o);
                     });
}

sspf_status sspf_session_extract_subject(sspf_session_t* session, const char* subject_id,
                                         char** out_json, sspf_error_t** out_error) {
  // No principal names: listing the principals would be an operation (and
  // an event) of its own; a host that wants them calls
  // sspf_session_list_principals.
  auto encode = [subject_id](const std::vector<sspf::AuditEvent>& events) {
    return sspf::SubjectExtractJson(subject_id, events, {});
  };
  return WithSession(session, {{subject_id, "subject_id"}}, RequiredJson(out_json, encode),
                     out_error,
                     [&](sspf::Session& s) { return s.ExtractSubject(subject_id); });
}

sspf_status sspf_session_extract_report(sspf_session_t* session, const char* subject_id,
                                        int format, const char* language,
                                        const char* youth_name, int has_since, int64_t since,
                                        int has_until, int64_t until, char** out_document,
                                        sspf_error_t** out_error) {
  auto encode = [format](const sspf::LogExtract& x) {
    if (format == SSPF_EXTRACT_HTML) return sspf::LogExtractHtml(x);
    if (format == SSPF_EXTRACT_TEXT) return sspf::LogExtractText(x);
    return sspf::LogExtractJson(x);
  };
  return WithSession(session, {{subject_id, "subject_id"}},
                     RequiredJson(out_document, encode, "out_document"), out_error,
                     [&](sspf::Session& s) {
                       if (format != SSPF_EXTRACT_JSON && format != SSPF_EXTRACT_HTML &&
                           format != SSPF_EXTRACT_TEXT) {
                         Fail(SSPF_STATUS_INVALID_ARGUMENT,
                              "unknown extract format (use SSPF_EXTRACT_JSON, "
                              "SSPF_EXTRACT_HTML or SSPF_EXTRACT_TEXT)");
                       }
                       sspf::ExtractOptions o;
                       if (language != nullptr) {
                         std::optional<sspf::ReportLanguage> l =
                             sspf::ParseReportLanguage(language);
                         if (!l) Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown language (use sv or en)");
                         o.language = *l;
                       }
                       if (youth_name != nullptr) o.youth_name = youth_name;
                       if (has_since) o.since = since;
                       if (has_until) o.until = until;
                       return s.ExtractSubjectReport(subject_id, o);
                     });
}

sspf_status sspf_session_review(sspf_session_t* session, char** out_json,
                                sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::ReviewFlagListJson), out_error,
                     [&](sspf::Session& s) { return s.Review(); });
}

sspf_status sspf_session_review_report(sspf_session_t* session, const sspf_audit_filter_t* scope,
                                       const char* flag_kind, int by, size_t top_readers,
                                       char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::ReviewReportJson), out_error,
                     [&](sspf::Session& s) {
    return s.Review(ReviewOptionsOf(scope, flag_kind, by, top_readers));
  });
}

sspf_status sspf_session_review_html(sspf_session_t* session, const sspf_audit_filter_t* scope,
                                     const char* flag_kind, int by, size_t top_readers,
                                     const char* kept_checkpoint, char** out_html,
                                     sspf_error_t** out_error) {
  return WithSession(
      session, {}, RequiredJson(out_html, sspf::ReviewReportHtml, "out_html"), out_error,
      [&](sspf::Session& s) -> sspf::Result<sspf::ReviewReportInput> {
        const sspf::ReviewOptions o = ReviewOptionsOf(scope, flag_kind, by, top_readers);
        sspf::ReviewReportInput in;
        sspf::VerifyOptions vo;
        if (kept_checkpoint != nullptr) vo.kept_checkpoint = kept_checkpoint;
        in.kept_checkpoint = vo.kept_checkpoint.value_or("");
        SSPF_ASSIGN_OR_RETURN(in.verified, s.Verify(vo));
        SSPF_ASSIGN_OR_RETURN(in.review, s.Review(o));
        return in;
      });
}

sspf_status sspf_session_ack_flag(sspf_session_t* session, uint64_t seq, const char* note,
                                  char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{note, "note"}}, OptionalJson(out_json, sspf::ReviewAckJson),
                     out_error,
                     [&](sspf::Session& s) { return s.AcknowledgeFlag(seq, note); });
}

sspf_status sspf_session_close_review(sspf_session_t* session, int64_t until, char** out_json,
                                      sspf_error_t** out_error) {
  return WithSession(session, {}, OptionalJson(out_json, sspf::ReviewClosureJson), out_error,
                     [&](sspf::Session& s) { return s.CloseReview(until); });
}

sspf_status sspf_session_list_certificates(sspf_session_t* session, char** out_json,
                                           sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::PrincipalCertificateListJson),
                     out_error, [&](sspf::Session& s) { return s.ListCertificates(); });
}

}  // extern "C"
