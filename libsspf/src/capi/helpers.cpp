// Copyright (c) libsspf authors.
//
// The shared helpers of the C ABI (capi_internal.h) and the buffers handed to
// the caller: allocated here, freed by sspf_free below.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi/capi_internal.h"
#include "sspf/secret.h"
#include "sspf/status.h"

using sspf::StatusCode;

#define SSPF_SAME_CODE(c, k) \
  static_assert((c) == static_cast<int>(StatusCode::k), #c " differs from StatusCode")
SSPF_SAME_CODE(SSPF_STATUS_OK, kOk);
SSPF_SAME_CODE(SSPF_STATUS_INVALID_ARGUMENT, kInvalidArgument);
SSPF_SAME_CODE(SSPF_STATUS_NOT_FOUND, kNotFound);
SSPF_SAME_CODE(SSPF_STATUS_ALREADY_EXISTS, kAlreadyExists);
SSPF_SAME_CODE(SSPF_STATUS_PERMISSION_DENIED, kPermissionDenied);
SSPF_SAME_CODE(SSPF_STATUS_CONSENT_REQUIRED, kConsentRequired);
SSPF_SAME_CODE(SSPF_STATUS_WRONG_KEY, kWrongKey);
SSPF_SAME_CODE(SSPF_STATUS_INTEGRITY_VIOLATION, kIntegrityViolation);
SSPF_SAME_CODE(SSPF_STATUS_IO_ERROR, kIoError);
SSPF_SAME_CODE(SSPF_STATUS_INTERNAL, kInternal);
SSPF_SAME_CODE(SSPF_STATUS_BUSY, kBusy);
SSPF_SAME_CODE(SSPF_STATUS_FAILED_PRECONDITION, kFailedPrecondition);
#undef SSPF_SAME_CODE

static_assert(SSPF_ACTOR_SCHOOL == static_cast<int>(sspf::Actor::kSchool), "actor");
static_assert(SSPF_ACTOR_SOCIAL == static_cast<int>(sspf::Actor::kSocial), "actor");
static_assert(SSPF_ACTOR_POLICE == static_cast<int>(sspf::Actor::kPolice), "actor");
static_assert(SSPF_ACTOR_LEISURE == static_cast<int>(sspf::Actor::kLeisure), "actor");
static_assert(SSPF_ACTOR_COORDINATION == static_cast<int>(sspf::Actor::kCoordination),
              "actor");
static_assert(SSPF_ROLE_MEMBER == static_cast<int>(sspf::Role::kMember), "role");
static_assert(SSPF_ROLE_COORDINATOR == static_cast<int>(sspf::Role::kCoordinator), "role");
static_assert(SSPF_ROLE_AUDITOR == static_cast<int>(sspf::Role::kAuditor), "role");
static_assert(SSPF_ROLE_ADMIN == static_cast<int>(sspf::Role::kAdmin), "role");
static_assert(SSPF_CATEGORY_IDENTITY == static_cast<int>(sspf::Category::kIdentity), "cat");
static_assert(SSPF_CATEGORY_MEETING == static_cast<int>(sspf::Category::kMeeting), "cat");
static_assert(SSPF_CREDENTIAL_PASSPHRASE ==
                  static_cast<int>(sspf::Credential::Kind::kPassphrase), "credential");
static_assert(SSPF_CREDENTIAL_KEY == static_cast<int>(sspf::Credential::Kind::kKey),
              "credential");
static_assert(SSPF_EXPORT_JSON_LINES == static_cast<int>(sspf::ExportFormat::kJsonLines),
              "format");
static_assert(SSPF_EXPORT_CSV == static_cast<int>(sspf::ExportFormat::kCsv), "format");

namespace sspf::capi {

// ---- Errors ------------------------------------------------------------------

void Fail(sspf_status code, std::string message) { throw CError{code, std::move(message)}; }

void Fail(const Status& s) { Fail(static_cast<sspf_status>(s.code()), s.message()); }

void SetError(sspf_error_t** out_error, sspf_status code, std::string message) noexcept {
  if (out_error == nullptr) return;
  try {
    *out_error = new sspf_error_t{code, std::move(message)};
  } catch (...) {
    // Out of memory while reporting: the status code alone must do.
  }
}

sspf_status Report(sspf_error_t** out_error, const Status& s) {
  if (s.ok()) return SSPF_STATUS_OK;
  const auto code = static_cast<sspf_status>(s.code());
  SetError(out_error, code, s.message());
  return code;
}

sspf_status ReportCurrentException(sspf_error_t** out_error) noexcept {
  try {
    throw;
  } catch (CError& e) {
    SetError(out_error, e.code, std::move(e.message));
    return e.code;
  } catch (const std::bad_alloc&) {
    SetError(out_error, SSPF_STATUS_INTERNAL, "out of memory");
    return SSPF_STATUS_INTERNAL;
  } catch (...) {
    SetError(out_error, SSPF_STATUS_INTERNAL, "unexpected internal error");
    return SSPF_STATUS_INTERNAL;
  }
}

void Require(const void* p, const char* name) {
  if (p == nullptr) Fail(SSPF_STATUS_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

// ---- Buffers -----------------------------------------------------------------

namespace {

// Buffers handed to the caller carry their size in a header so that
// sspf_free can wipe them: they may hold entry bodies, names or keys.
constexpr size_t kHeader = alignof(std::max_align_t) > sizeof(size_t)
                               ? alignof(std::max_align_t)
                               : sizeof(size_t);

void* AllocOut(size_t n) {
  if (n > SIZE_MAX - kHeader - 1) throw std::bad_alloc();
  auto* base = static_cast<unsigned char*>(std::malloc(kHeader + n + 1));
  if (base == nullptr) throw std::bad_alloc();
  std::memcpy(base, &n, sizeof n);
  unsigned char* p = base + kHeader;
  p[n] = 0;
  return p;
}

}  // namespace

uint8_t* CopyOut(const void* data, size_t n) {
  auto* p = static_cast<uint8_t*>(AllocOut(n));
  if (n != 0) std::memcpy(p, data, n);
  return p;
}

char* CopyOut(std::string_view s) {
  return reinterpret_cast<char*>(CopyOut(s.data(), s.size()));
}

void PutString(char** out, std::string_view s) {
  if (out != nullptr) *out = CopyOut(s);
}

char* CopyOutDocument(std::string document) {
  struct Wipe {
    std::string& s;
    ~Wipe() { SecureWipe(s.data(), s.size()); }
  } wipe{document};
  return CopyOut(document);
}

// ---- Conversions ---------------------------------------------------------------

bool IsStatusCode(int c) {
  return std::strcmp(StatusCodeName(static_cast<StatusCode>(c)), "unknown") != 0;
}

Credential ToCredential(int kind, const uint8_t* secret, size_t len, const char* name) {
  if (secret == nullptr && len != 0) Fail(SSPF_STATUS_INVALID_ARGUMENT,
                                          std::string(name) + " is NULL");
  SecretBytes bytes = Take(SecretBytes::Copy(
      secret == nullptr ? reinterpret_cast<const uint8_t*>("") : secret, len));
  switch (EnumFromC(Credential::kAllKinds, kind, "unknown credential kind")) {
    case Credential::Kind::kPassphrase:
      return Credential::Passphrase(std::move(bytes));
    case Credential::Kind::kKey:
      return Credential::Key(std::move(bytes));
  }
  Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown credential kind");
}

std::vector<std::string> ToStrings(const char* const* items, size_t count, const char* name) {
  if (items == nullptr && count != 0) Fail(SSPF_STATUS_INVALID_ARGUMENT,
                                           std::string(name) + " is NULL");
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (items[i] == nullptr) {
      Fail(SSPF_STATUS_INVALID_ARGUMENT, std::string(name) + " has a NULL element");
    }
    out.emplace_back(items[i]);
  }
  return out;
}

std::function<void(uint64_t, uint64_t)> Progress(sspf_progress_fn progress, void* user_data) {
  if (progress == nullptr) return {};
  return [progress, user_data](uint64_t done, uint64_t total) {
    progress(user_data, done, total);
  };
}

}  // namespace sspf::capi

extern "C" {

void sspf_free(void* ptr) {
  if (ptr == nullptr) return;
  unsigned char* base = static_cast<unsigned char*>(ptr) - sspf::capi::kHeader;
  size_t n;
  std::memcpy(&n, base, sizeof n);
  sspf::SecureWipe(base, sspf::capi::kHeader + n + 1);
  std::free(base);
}

}  // extern "C"
