// Copyright (c) libsspf authors.
//
// C ABI: options, creating and opening a store, the session handle and its
// batches.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "capi/capi_internal.h"
#include "sspf/secret.h"

// The entry points are global (sspf.h); everything they use is in sspf::capi.
using namespace sspf::capi;  // NOLINT(build/namespaces)

namespace {

// Options setters: body(StoreOptions&) after the NULL checks.
template <typename F>
sspf_status WithOptions(sspf_options_t* options, Needs needs, sspf_error_t** out_error,
                        F&& body) {
  return WithRep(options, "options", needs, out_error, [&](sspf::StoreOptions& o) {
    body(o);
    return sspf::Status::Ok();
  });
}

}  // namespace

extern "C" {

// ---- Options ---------------------------------------------------------------------------

sspf_status sspf_options_create(sspf_options_t** out_options, sspf_error_t** out_error) {
  return CreateHandle(out_options, "out_options", out_error);
}

void sspf_options_destroy(sspf_options_t** options) { Release(options); }

sspf_status sspf_options_set_path(sspf_options_t* options, const char* path,
                                  sspf_error_t** out_error) {
  return WithOptions(options, {{path, "path"}}, out_error,
                     [&](sspf::StoreOptions& o) { o.path = path; });
}

sspf_status sspf_options_set_passphrase_cost(sspf_options_t* options, int cost,
                                             sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    switch (cost) {
      case SSPF_COST_MODERATE: o.passphrase_cost = sspf::PassphraseCost::Moderate(); break;
      case SSPF_COST_INTERACTIVE: o.passphrase_cost = sspf::PassphraseCost::Interactive(); break;
      case SSPF_COST_SENSITIVE: o.passphrase_cost = sspf::PassphraseCost::Sensitive(); break;
      default: Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown passphrase cost");
    }
  });
}

sspf_status sspf_options_set_checkpoint_interval(sspf_options_t* options, uint64_t events,
                                                 int64_t seconds, sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    if (seconds < 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "checkpoint seconds must not be negative");
    o.checkpoint_every_events = events;
    o.checkpoint_every_seconds = seconds;
  });
}

sspf_status sspf_options_set_max_entry_bytes(sspf_options_t* options, size_t max_bytes,
                                             sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    if (max_bytes == 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "max entry bytes must be > 0");
    o.max_entry_bytes = max_bytes;
  });
}

sspf_status sspf_options_set_max_text_bytes(sspf_options_t* options, size_t max_bytes,
                                            sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    if (max_bytes == 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "max text bytes must be > 0");
    o.max_text_bytes = max_bytes;
  });
}

sspf_status sspf_options_set_clock_tolerance(sspf_options_t* options, int64_t seconds,
                                            sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    if (seconds < 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "clock tolerance must not be negative");
    o.clock_tolerance_seconds = seconds;
  });
}

sspf_status sspf_options_clear_purposes(sspf_options_t* options, sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) { o.purposes.clear(); });
}

sspf_status sspf_options_add_purpose(sspf_options_t* options, const char* code,
                                     const char* label_sv, const char* label_en,
                                     sspf_error_t** out_error) {
  return WithOptions(options, {{code, "code"}, {label_sv, "label_sv"}, {label_en, "label_en"}},
                     out_error, [&](sspf::StoreOptions& o) {
    std::vector<sspf::PurposeCode> next = o.purposes;
    next.push_back({code, label_sv, label_en});
    Check(sspf::ValidatePurposeCodes(next));
    o.purposes = std::move(next);
  });
}

sspf_status sspf_options_purposes_json(const sspf_options_t* options, char** out_json,
                                       sspf_error_t** out_error) {
  return WithRep(options, "options", {}, RequiredJson(out_json, sspf::PurposeCodesJson),
                 out_error, [&](const sspf::StoreOptions& o) { return o.purposes; });
}

sspf_status sspf_options_set_consent_policy(sspf_options_t* options, int youth_consent_from_age,
                                            int adult_age, sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    sspf::ConsentPolicy p;
    p.youth_consent_from_age = youth_consent_from_age;
    p.adult_age = adult_age;
    Check(sspf::ValidateConsentPolicy(p));
    o.consent_policy = p;
  });
}

sspf_status sspf_options_set_consent_max_months(sspf_options_t* options, int months,
                                                sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    if (months < 1 || months > 120) {
      Check(sspf::InvalidArgument("the consent maximum must be 1 to 120 months"));
    }
    o.consent_max_months = months;
  });
}

sspf_status sspf_options_set_public_authority(sspf_options_t* options, int actor,
                                              int is_authority, sspf_error_t** out_error) {
  return WithOptions(options, {}, out_error, [&](sspf::StoreOptions& o) {
    o.public_authorities.Set(ToActor(actor), is_authority != 0);
  });
}

sspf_status sspf_options_legal_provisions_json(const sspf_options_t* options, char** out_json,
                                               sspf_error_t** out_error) {
  return WithRep(options, "options", {}, RequiredJson(out_json, sspf::LegalProvisionListJson),
                 out_error,
                 [&](const sspf::StoreOptions& o) { return o.legal_provisions; });
}

// ---- Store -----------------------------------------------------------------------------

sspf_status sspf_store_create(const sspf_options_t* options, const char* admin_name,
                              int credential_kind, const uint8_t* secret, size_t secret_len,
                              char** out_store_id, uint8_t** out_recovery_key,
                              size_t* out_recovery_key_len, sspf_error_t** out_error) {
  ClearOut(out_store_id);
  ClearOut(out_recovery_key);
  if (out_recovery_key_len != nullptr) *out_recovery_key_len = 0;
  return WithRep(options, "options",
                 {{admin_name, "admin_name"},
                  {out_recovery_key, "out_recovery_key"},
                  {out_recovery_key_len, "out_recovery_key_len"}},
                 out_error, [&](const sspf::StoreOptions& o) {
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    sspf::InitResult r = Take(sspf::Store::Create(o, admin_name, cred));
    const sspf::SecretBytes& key = r.recovery_key;
    uint8_t* k = CopyOut(key.data(sspf::InsecureSecretAccess::Get()), key.size());
    try {
      PutString(out_store_id, r.store_id);
    } catch (...) {
      sspf_free(k);
      throw;
    }
    *out_recovery_key = k;
    *out_recovery_key_len = key.size();
    return sspf::Status::Ok();
  });
}

sspf_status sspf_store_open(const sspf_options_t* options, const char* principal,
                            int credential_kind, const uint8_t* secret, size_t secret_len,
                            sspf_session_t** out_session, sspf_error_t** out_error) {
  ClearOut(out_session);
  return WithRep(options, "options", {{principal, "principal"}, {out_session, "out_session"}},
                 out_error, [&](const sspf::StoreOptions& o) {
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    sspf::Session s = Take(sspf::Store::Open(o, principal, cred));
    *out_session = new sspf_session_t(std::move(s));
    return sspf::Status::Ok();
  });
}

sspf_status sspf_store_reset_with_recovery_key(const sspf_options_t* options,
                                               const uint8_t* recovery_key,
                                               size_t recovery_key_len, const char* principal,
                                               int new_credential_kind,
                                               const uint8_t* new_secret, size_t new_secret_len,
                                               sspf_error_t** out_error) {
  return WithRep(options, "options", {{recovery_key, "recovery_key"}, {principal, "principal"}},
                 out_error, [&](const sspf::StoreOptions& o) {
    sspf::SecretBytes key = Take(sspf::SecretBytes::Copy(recovery_key, recovery_key_len));
    sspf::Credential cred =
        ToCredential(new_credential_kind, new_secret, new_secret_len, "new_secret");
    return sspf::Store::ResetWithRecoveryKey(o, key, principal, cred);
  });
}

// ---- Session ---------------------------------------------------------------------------

void sspf_session_close(sspf_session_t** session) { Release(session); }

sspf_status sspf_session_principal(sspf_session_t* session, char** out_json,
                                   sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::PrincipalJson), out_error,
                     [&](sspf::Session& s) -> const sspf::PrincipalInfo& { return s.principal(); });
}

sspf_status sspf_session_store_id(sspf_session_t* session, char** out_store_id,
                                  sspf_error_t** out_error) {
  return WithSession(session, {}, Required(out_store_id, "out_store_id"), out_error,
                     [&](sspf::Session& s) -> const std::string& { return s.store_id(); });
}

sspf_status sspf_session_begin_batch(sspf_session_t* session, sspf_error_t** out_error) {
  return WithSession(session, {}, out_error, [&](sspf::Session& s) { return s.BeginBatch(); });
}

sspf_status sspf_session_commit_batch(sspf_session_t* session, sspf_error_t** out_error) {
  return WithSession(session, {}, out_error, [&](sspf::Session& s) { return s.CommitBatch(); });
}

sspf_status sspf_session_abort_batch(sspf_session_t* session, sspf_error_t** out_error) {
  return WithSession(session, {}, out_error, [&](sspf::Session& s) {
    s.AbortBatch();
    return sspf::Status::Ok();
  });
}

}  // extern "C"
