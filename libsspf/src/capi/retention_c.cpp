// Copyright (c) libsspf authors.
//
// C ABI: retention rules (options), the retention plan and run.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capi/capi_internal.h"

using namespace sspf::capi;  // NOLINT(build/namespaces)

namespace {

sspf::RetentionRequest ToRequest(const char* decision, const char* const* rules, size_t n) {
  sspf::RetentionRequest r;
  if (decision != nullptr) r.decision = decision;
  r.decided_rules = ToStrings(rules, n, "decided_rules");
  return r;
}

}  // namespace

extern "C" {

sspf_status sspf_options_clear_retention_rules(sspf_options_t* options,
                                               sspf_error_t** out_error) {
  return WithRep(options, "options", {}, out_error, [&](sspf::StoreOptions& o) {
    o.retention_rules.clear();
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_add_retention_rule(sspf_options_t* options, const char* id, int actor,
                                            const int* categories, size_t category_count,
                                            int from, int years, const int* birth_days,
                                            size_t birth_day_count, const char* citation,
                                            const char* summary, int verified,
                                            sspf_error_t** out_error) {
  return WithRep(options, "options", {{id, "id"}, {citation, "citation"}}, out_error,
                 [&](sspf::StoreOptions& o) {
    if ((categories == nullptr && category_count > 0) ||
        (birth_days == nullptr && birth_day_count > 0)) {
      Fail(SSPF_STATUS_INVALID_ARGUMENT, "categories or birth_days is NULL with a count");
    }
    sspf::RetentionRule r;
    r.id = id;
    r.actor = ToActor(actor);
    for (size_t i = 0; i < category_count; ++i) r.categories.push_back(ToCategory(categories[i]));
    const std::optional<sspf::RetentionFrom> f =
        sspf::ParseRetentionFrom(sspf::RetentionFromName(static_cast<sspf::RetentionFrom>(from)));
    if (!f || static_cast<int>(*f) != from) {
      Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown retention period start");
    }
    r.from = *f;
    r.years = years;
    r.birth_days.assign(birth_days, birth_days + birth_day_count);
    r.citation = citation;
    if (summary != nullptr) r.summary = summary;
    r.verified = verified != 0;
    std::vector<sspf::RetentionRule> next = o.retention_rules;
    next.push_back(std::move(r));
    Check(sspf::ValidateRetentionRules(next));
    o.retention_rules = std::move(next);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_retention_rules_json(const sspf_options_t* options, char** out_json,
                                              sspf_error_t** out_error) {
  return WithRep(options, "options", {}, RequiredJson(out_json, sspf::RetentionRulesJson),
                 out_error, [&](const sspf::StoreOptions& o) { return o.retention_rules; });
}

sspf_status sspf_session_retention_plan(sspf_session_t* session, const char* decision,
                                        const char* const* decided_rules, size_t decided_count,
                                        char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::RetentionPlanJson), out_error,
                     [&](sspf::Session& s) {
                       return s.PlanRetention(ToRequest(decision, decided_rules, decided_count));
                     });
}

sspf_status sspf_session_retention_run(sspf_session_t* session, const char* decision,
                                       const char* const* decided_rules, size_t decided_count,
                                       sspf_progress_fn progress, void* user_data,
                                       char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{decision, "decision"}},
                     OptionalJson(out_json, sspf::RetentionRunJson), out_error,
                     [&](sspf::Session& s) {
                       return s.RunRetention(ToRequest(decision, decided_rules, decided_count),
                                             Progress(progress, user_data));
                     });
}

}  // extern "C"
