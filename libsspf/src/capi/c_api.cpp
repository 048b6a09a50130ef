// Copyright (c) libsspf authors.
//
// The C ABI (sspf/sspf.h) over the C++ API.  Every entry point is a thin
// wrapper: check pointers, convert, call, convert back, and never let an
// exception out.
#include "sspf/sspf.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sspf/pnr.h"
#include "sspf/policy.h"
#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/store.h"
#include "sspf/types.h"


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

// ---- Handles ------------------------------------------------------------------

struct sspf_error_t {
  sspf_status code;
  std::string message;
};

struct sspf_options_t {
  sspf::StoreOptions rep;
};

struct sspf_session_t {
  explicit sspf_session_t(sspf::Session s) : rep(std::move(s)) {}
  sspf::Session rep;
};

struct sspf_audit_filter_t {
  sspf::AuditFilter rep;
};

namespace {

// Raised inside a wrapper to return a status; caught by Guard().
struct CError {
  sspf_status code;
  std::string message;
};

[[noreturn]] void Fail(sspf_status code, std::string message) {
  throw CError{code, std::move(message)};
}

void SetError(sspf_error_t** out_error, sspf_status code, std::string message) noexcept {
  if (out_error == nullptr) return;
  try {
    *out_error = new sspf_error_t{code, std::move(message)};
  } catch (...) {
    // Out of memory while reporting: the status code alone must do.
  }
}

// Runs body; maps every outcome to a status and an error object.
template <typename F>
sspf_status Guard(sspf_error_t** out_error, F&& body) noexcept {
  // Written, never read: a host may pass uninitialised memory here.
  if (out_error != nullptr) *out_error = nullptr;
  try {
    sspf::Status s = body();
    if (s.ok()) return SSPF_STATUS_OK;
    const auto code = static_cast<sspf_status>(s.code());
    SetError(out_error, code, s.message());
    return code;
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

template <typename T>
void Require(const T* p, const char* name) {
  if (p == nullptr) Fail(SSPF_STATUS_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

template <typename T>
void ClearOut(T** p) {
  if (p != nullptr) *p = nullptr;
}

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

uint8_t* CopyOut(const void* data, size_t n) {
  auto* p = static_cast<uint8_t*>(AllocOut(n));
  if (n != 0) std::memcpy(p, data, n);
  return p;
}

char* CopyOut(std::string_view s) {
  return reinterpret_cast<char*>(CopyOut(s.data(), s.size()));
}

// Sets *out (when out is not NULL) to a copy of s.
void PutString(char** out, std::string_view s) {
  if (out != nullptr) *out = CopyOut(s);
}

sspf_session_t* Sess(sspf_session_t* s) {
  Require(s, "session");
  return s;
}

sspf::Actor ToActor(int a) {
  if (a < 1 || a > 5) Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown actor value");
  return static_cast<sspf::Actor>(a);
}

sspf::Role ToRole(int r) {
  if (r < 1 || r > 4) Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown role value");
  return static_cast<sspf::Role>(r);
}

sspf::Category ToCategory(int c) {
  if (c < 1 || c > 8) Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown category value");
  return static_cast<sspf::Category>(c);
}

sspf::Credential ToCredential(int kind, const uint8_t* secret, size_t len,
                              const char* name) {
  if (secret == nullptr && len != 0) Fail(SSPF_STATUS_INVALID_ARGUMENT,
                                          std::string(name) + " is NULL");
  sspf::Result<sspf::SecretBytes> bytes =
      sspf::SecretBytes::Copy(secret == nullptr ? reinterpret_cast<const uint8_t*>("") : secret,
                              len);
  if (!bytes.ok()) Fail(static_cast<sspf_status>(bytes.status().code()), bytes.status().message());
  switch (kind) {
    case SSPF_CREDENTIAL_PASSPHRASE:
      return sspf::Credential::Passphrase(std::move(bytes).value());
    case SSPF_CREDENTIAL_KEY:
      return sspf::Credential::Key(std::move(bytes).value());
    default:
      Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown credential kind");
  }
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

// Unwraps a Result or raises its status.
template <typename T>
T Take(sspf::Result<T> r) {
  if (!r.ok()) Fail(static_cast<sspf_status>(r.status().code()), r.status().message());
  return std::move(r).value();
}

// ---- JSON writer (output only; the library never parses JSON) ----------------

class Json {
 public:
  Json& Raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  Json& Str(std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out_ += "\\u00";
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 15]);
          } else {
            out_.push_back(ch);
          }
      }
    }
    out_.push_back('"');
    return *this;
  }
  Json& Int(int64_t v) { return Raw(std::to_string(v)); }
  Json& UInt(uint64_t v) { return Raw(std::to_string(v)); }
  Json& Bool(bool v) { return Raw(v ? "true" : "false"); }
  Json& Hex(const std::vector<uint8_t>& b) {
    static const char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (uint8_t c : b) {
      out_.push_back(kHex[c >> 4]);
      out_.push_back(kHex[c & 15]);
    }
    out_.push_back('"');
    return *this;
  }
  // "key": (with a comma before all but the first key of an object)
  Json& Key(std::string_view k) {
    if (!out_.empty() && out_.back() != '{' && out_.back() != '[') out_.push_back(',');
    Str(k);
    out_.push_back(':');
    return *this;
  }
  // A comma before all but the first element of an array.
  Json& Next() {
    if (!out_.empty() && out_.back() != '[') out_.push_back(',');
    return *this;
  }
  const std::string& str() const { return out_; }
  ~Json() { sspf::SecureWipe(out_.data(), out_.size()); }

 private:
  std::string out_;
};

// A JSON array of items, each written by write(Json&, const T&).
template <typename T, typename WriteFn>
void PutJsonArray(char** out, const std::vector<T>& items, WriteFn write) {
  Json j;
  j.Raw("[");
  for (const T& item : items) {
    j.Next();
    write(j, item);
  }
  j.Raw("]");
  PutString(out, j.str());
}

void WritePrincipal(Json& j, const sspf::PrincipalInfo& p) {
  j.Raw("{").Key("id").Str(p.id).Key("name").Str(p.name)
      .Key("actor").Str(sspf::ActorName(p.actor)).Key("role").Str(sspf::RoleName(p.role))
      .Key("active").Bool(p.active).Key("created").Int(p.created).Raw("}");
}

void WriteSubject(Json& j, const sspf::SubjectInfo& s) {
  j.Raw("{").Key("id").Str(s.id).Key("personal_number").Str(s.personal_number)
      .Key("name").Str(s.name).Key("birth_date");
  if (sspf::IsValidDate(s.birth_date)) {
    j.Str(sspf::FormatDate(s.birth_date));
  } else {
    j.Raw("null");
  }
  j.Key("guardians").Raw("[");
  for (const auto& g : s.guardians) {
    j.Next().Raw("{").Key("id").Str(g.id).Key("name").Str(g.name).Raw("}");
  }
  j.Raw("]}");
}

void WriteCase(Json& j, const sspf::CaseInfo& c) {
  j.Raw("{").Key("id").Str(c.id).Key("subject_id").Str(c.subject_id)
      .Key("open").Bool(c.open).Key("opened").Int(c.opened).Key("closed");
  if (c.closed) {
    j.Int(*c.closed);
  } else {
    j.Raw("null");
  }
  j.Key("team").Raw("[");
  for (const auto& t : c.team) j.Next().Str(t);
  j.Raw("]}");
}

void WriteActors(Json& j, const std::vector<sspf::Actor>& actors) {
  j.Raw("[");
  for (sspf::Actor a : actors) j.Next().Str(sspf::ActorName(a));
  j.Raw("]");
}

void WriteConsent(Json& j, const sspf::ConsentInfo& c) {
  j.Raw("{").Key("id").Str(c.id).Key("case_id").Str(c.case_id)
      .Key("party").Str(c.party.youth ? "youth" : "guardian").Key("guardian_id");
  if (c.party.youth) {
    j.Raw("null");
  } else {
    j.Str(c.party.guardian_id);
  }
  j.Key("actors");
  WriteActors(j, c.actors);
  j.Key("categories").Raw("[");
  for (sspf::Category cat : c.categories) j.Next().Str(sspf::CategoryName(cat));
  j.Raw("]").Key("valid_from").Int(c.valid_from).Key("valid_until");
  if (sspf::IsValidDate(c.valid_until)) {
    j.Str(sspf::FormatDate(c.valid_until));
  } else {
    j.Raw("null");
  }
  j.Key("withdrawn_at");
  if (c.withdrawn_at) {
    j.Int(*c.withdrawn_at);
  } else {
    j.Raw("null");
  }
  j.Key("purpose").Str(c.purpose).Key("form_ref").Str(c.form_ref)
      .Key("version").Int(c.version).Key("recorded_by").Str(c.recorded_by).Raw("}");
}

// The fields of an entry object, without the braces.
void WriteEntryFields(Json& j, const sspf::EntryInfo& e) {
  j.Key("id").Str(e.id).Key("case_id").Str(e.case_id)
      .Key("category").Str(sspf::CategoryName(e.category)).Key("author").Str(e.author)
      .Key("author_actor").Str(sspf::ActorName(e.author_actor))
      .Key("created").Int(e.created).Key("supersedes");
  if (e.supersedes) {
    j.Str(*e.supersedes);
  } else {
    j.Raw("null");
  }
  j.Key("disclosed_to");
  WriteActors(j, e.disclosed_to);
}

void WriteEvent(Json& j, const sspf::AuditEvent& e) {
  j.Raw("{").Key("seq").UInt(e.seq).Key("time").Int(e.time)
      .Key("principal_id").Str(e.principal_id).Key("actor").Str(sspf::ActorName(e.actor))
      .Key("role").Str(sspf::RoleName(e.role)).Key("action").Str(sspf::ActionName(e.action))
      .Key("target").Str(e.target).Key("allowed").Bool(e.allowed)
      .Key("reason").Str(e.reason).Key("basis").Str(e.basis).Key("purpose").Str(e.purpose)
      .Key("case_id").Str(e.case_id).Key("subject_id").Str(e.subject_id)
      .Key("detail").Str(e.detail).Key("leaf").Hex(e.leaf)
      .Key("leaf_hash").Hex(e.leaf_hash).Raw("}");
}

void WriteEvents(Json& j, const std::vector<sspf::AuditEvent>& events) {
  j.Raw("[");
  for (const auto& e : events) {
    j.Next();
    WriteEvent(j, e);
  }
  j.Raw("]");
}

std::optional<std::string> OptString(const char* s) {
  if (s == nullptr) return std::nullopt;
  return std::string(s);
}

template <typename F>
sspf_status SetFilter(sspf_audit_filter_t* filter, sspf_error_t** out_error, F&& set) {
  return Guard(out_error, [&] {
    Require(filter, "filter");
    set(filter->rep);
    return sspf::Status::Ok();
  });
}

}  // namespace

// ---- Global functions --------------------------------------------------------------

extern "C" {

const char* sspf_version(void) { return SSPF_VERSION_STRING; }

const char* sspf_status_name(sspf_status code) {
  if (code < SSPF_STATUS_OK || code > SSPF_STATUS_FAILED_PRECONDITION) return "unknown";
  return sspf::StatusCodeName(static_cast<StatusCode>(code));
}

void sspf_free(void* ptr) {
  if (ptr == nullptr) return;
  unsigned char* base = static_cast<unsigned char*>(ptr) - kHeader;
  size_t n;
  std::memcpy(&n, base, sizeof n);
  sspf::SecureWipe(base, kHeader + n + 1);
  std::free(base);
}

sspf_status sspf_error_code(const sspf_error_t* error) {
  return error == nullptr ? SSPF_STATUS_INVALID_ARGUMENT : error->code;
}

const char* sspf_error_message(const sspf_error_t* error) {
  return error == nullptr ? "" : error->message.c_str();
}

void sspf_error_free(sspf_error_t** error) {
  if (error == nullptr) return;
  delete *error;
  *error = nullptr;
}

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

// ---- Options ---------------------------------------------------------------------------

sspf_status sspf_options_create(sspf_options_t** out_options, sspf_error_t** out_error) {
  ClearOut(out_options);
  return Guard(out_error, [&] {
    Require(out_options, "out_options");
    *out_options = new sspf_options_t();
    return sspf::Status::Ok();
  });
}

void sspf_options_destroy(sspf_options_t** options) {
  if (options == nullptr) return;
  delete *options;
  *options = nullptr;
}

sspf_status sspf_options_set_path(sspf_options_t* options, const char* path,
                                  sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Require(options, "options");
    Require(path, "path");
    options->rep.path = path;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_set_passphrase_cost(sspf_options_t* options, int cost,
                                             sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Require(options, "options");
    switch (cost) {
      case SSPF_COST_MODERATE: options->rep.passphrase_cost = sspf::PassphraseCost::Moderate(); break;
      case SSPF_COST_INTERACTIVE:
        options->rep.passphrase_cost = sspf::PassphraseCost::Interactive();
        break;
      case SSPF_COST_SENSITIVE:
        options->rep.passphrase_cost = sspf::PassphraseCost::Sensitive();
        break;
      default: Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown passphrase cost");
    }
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_set_checkpoint_interval(sspf_options_t* options, uint64_t events,
                                                 int64_t seconds, sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Require(options, "options");
    if (seconds < 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "checkpoint seconds must not be negative");
    options->rep.checkpoint_every_events = events;
    options->rep.checkpoint_every_seconds = seconds;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_set_max_entry_bytes(sspf_options_t* options, size_t max_bytes,
                                             sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Require(options, "options");
    if (max_bytes == 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "max entry bytes must be > 0");
    options->rep.max_entry_bytes = max_bytes;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_set_max_text_bytes(sspf_options_t* options, size_t max_bytes,
                                            sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Require(options, "options");
    if (max_bytes == 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "max text bytes must be > 0");
    options->rep.max_text_bytes = max_bytes;
    return sspf::Status::Ok();
  });
}

sspf_status sspf_options_set_consent_policy(sspf_options_t* options, int youth_consent_from_age,
                                            int adult_age, sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Require(options, "options");
    sspf::ConsentPolicy p;
    p.youth_consent_from_age = youth_consent_from_age;
    p.adult_age = adult_age;
    SSPF_RETURN_IF_ERROR(sspf::ValidateConsentPolicy(p));
    options->rep.consent_policy = p;
    return sspf::Status::Ok();
  });
}

// ---- Store -----------------------------------------------------------------------------

sspf_status sspf_store_create(const sspf_options_t* options, const char* admin_name,
                              int credential_kind, const uint8_t* secret, size_t secret_len,
                              char** out_store_id, uint8_t** out_recovery_key,
                              size_t* out_recovery_key_len, sspf_error_t** out_error) {
  ClearOut(out_store_id);
  ClearOut(out_recovery_key);
  if (out_recovery_key_len != nullptr) *out_recovery_key_len = 0;
  return Guard(out_error, [&] {
    Require(options, "options");
    Require(admin_name, "admin_name");
    Require(out_recovery_key, "out_recovery_key");
    Require(out_recovery_key_len, "out_recovery_key_len");
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    sspf::InitResult r = Take(sspf::Store::Create(options->rep, admin_name, cred));
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
  return Guard(out_error, [&] {
    Require(options, "options");
    Require(principal, "principal");
    Require(out_session, "out_session");
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    sspf::Session s = Take(sspf::Store::Open(options->rep, principal, cred));
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
  return Guard(out_error, [&] {
    Require(options, "options");
    Require(recovery_key, "recovery_key");
    Require(principal, "principal");
    sspf::SecretBytes key = Take(sspf::SecretBytes::Copy(recovery_key, recovery_key_len));
    sspf::Credential cred =
        ToCredential(new_credential_kind, new_secret, new_secret_len, "new_secret");
    return sspf::Store::ResetWithRecoveryKey(options->rep, key, principal, cred);
  });
}

// ---- Session ---------------------------------------------------------------------------

void sspf_session_close(sspf_session_t** session) {
  if (session == nullptr) return;
  try {
    delete *session;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void release.
  }
  *session = nullptr;
}

sspf_status sspf_session_principal(sspf_session_t* session, char** out_json,
                                   sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_json, "out_json");
    Json j;
    WritePrincipal(j, session->rep.principal());
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_store_id(sspf_session_t* session, char** out_store_id,
                                  sspf_error_t** out_error) {
  ClearOut(out_store_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_store_id, "out_store_id");
    PutString(out_store_id, session->rep.store_id());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_begin_batch(sspf_session_t* session, sspf_error_t** out_error) {
  return Guard(out_error, [&] { return Sess(session)->rep.BeginBatch(); });
}

sspf_status sspf_session_commit_batch(sspf_session_t* session, sspf_error_t** out_error) {
  return Guard(out_error, [&] { return Sess(session)->rep.CommitBatch(); });
}

sspf_status sspf_session_abort_batch(sspf_session_t* session, sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session)->rep.AbortBatch();
    return sspf::Status::Ok();
  });
}

// ---- Principals ----------------------------------------------------------------------

sspf_status sspf_session_add_principal(sspf_session_t* session, const char* name, int actor,
                                       int role, int credential_kind, const uint8_t* secret,
                                       size_t secret_len, char** out_id,
                                       sspf_error_t** out_error) {
  ClearOut(out_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(name, "name");
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    std::string id =
        Take(session->rep.AddPrincipal(name, ToActor(actor), ToRole(role), cred));
    PutString(out_id, id);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_list_principals(sspf_session_t* session, char** out_json,
                                         sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_json, "out_json");
    std::vector<sspf::PrincipalInfo> ps = Take(session->rep.ListPrincipals());
    PutJsonArray(out_json, ps, WritePrincipal);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_disable_principal(sspf_session_t* session, const char* name,
                                           sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session);
    Require(name, "name");
    return session->rep.DisablePrincipal(name);
  });
}

sspf_status sspf_session_change_credential(sspf_session_t* session, int credential_kind,
                                           const uint8_t* secret, size_t secret_len,
                                           sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session);
    sspf::Credential cred = ToCredential(credential_kind, secret, secret_len, "secret");
    return session->rep.ChangeCredential(cred);
  });
}

// ---- Subjects ----------------------------------------------------------------------------

sspf_status sspf_session_add_subject(sspf_session_t* session, const char* personal_number,
                                     const char* name, const char* const* guardians,
                                     size_t guardian_count, char** out_json,
                                     sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(personal_number, "personal_number");
    Require(name, "name");
    Require(out_json, "out_json");
    sspf::Session::NewSubject s;
    s.personal_number = personal_number;
    s.name = name;
    s.guardians = ToStrings(guardians, guardian_count, "guardians");
    sspf::SubjectInfo info = Take(session->rep.AddSubject(s));
    sspf::SecureWipe(s.personal_number.data(), s.personal_number.size());
    Json j;
    WriteSubject(j, info);
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_find_subject(sspf_session_t* session, const char* personal_number,
                                      char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(personal_number, "personal_number");
    Require(out_json, "out_json");
    sspf::SubjectInfo info = Take(session->rep.FindSubject(personal_number));
    Json j;
    WriteSubject(j, info);
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_show_subject(sspf_session_t* session, const char* subject_id,
                                      char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(subject_id, "subject_id");
    Require(out_json, "out_json");
    sspf::SubjectInfo info = Take(session->rep.ShowSubject(subject_id));
    Json j;
    WriteSubject(j, info);
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

// ---- Cases --------------------------------------------------------------------------------

sspf_status sspf_session_open_case(sspf_session_t* session, const char* subject_id,
                                   const char* const* team, size_t team_count,
                                   char** out_case_id, sspf_error_t** out_error) {
  ClearOut(out_case_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(subject_id, "subject_id");
    Require(out_case_id, "out_case_id");
    std::string id = Take(session->rep.OpenCase(subject_id, ToStrings(team, team_count, "team")));
    PutString(out_case_id, id);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_list_cases(sspf_session_t* session, char** out_json,
                                    sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_json, "out_json");
    std::vector<sspf::CaseInfo> cases = Take(session->rep.ListCases());
    PutJsonArray(out_json, cases, WriteCase);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_show_case(sspf_session_t* session, const char* case_id,
                                   char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(out_json, "out_json");
    sspf::CaseInfo c = Take(session->rep.ShowCase(case_id));
    Json j;
    WriteCase(j, c);
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_close_case(sspf_session_t* session, const char* case_id,
                                    sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    return session->rep.CloseCase(case_id);
  });
}

sspf_status sspf_session_add_team_member(sspf_session_t* session, const char* case_id,
                                         const char* principal, sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(principal, "principal");
    return session->rep.AddTeamMember(case_id, principal);
  });
}

// ---- Consent ------------------------------------------------------------------------------

sspf_status sspf_session_grant_consent(sspf_session_t* session, const char* case_id,
                                       const char* guardian_id, const int* actors,
                                       size_t actor_count, const int* categories,
                                       size_t category_count, const char* valid_until,
                                       const char* purpose, const char* form_ref,
                                       char** out_consent_id, sspf_error_t** out_error) {
  ClearOut(out_consent_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(valid_until, "valid_until");
    Require(out_consent_id, "out_consent_id");
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
    std::string id = Take(session->rep.GrantConsent(in));
    PutString(out_consent_id, id);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_withdraw_consent(sspf_session_t* session, const char* consent_id,
                                          sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session);
    Require(consent_id, "consent_id");
    return session->rep.WithdrawConsent(consent_id);
  });
}

sspf_status sspf_session_list_consents(sspf_session_t* session, const char* case_id,
                                       char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(out_json, "out_json");
    std::vector<sspf::ConsentInfo> cs = Take(session->rep.ListConsents(case_id));
    PutJsonArray(out_json, cs, WriteConsent);
    return sspf::Status::Ok();
  });
}

// ---- Entries ------------------------------------------------------------------------------

sspf_status sspf_session_add_entry(sspf_session_t* session, const char* case_id, int category,
                                   const uint8_t* body, size_t body_len, const char* supersedes,
                                   char** out_entry_id, sspf_error_t** out_error) {
  ClearOut(out_entry_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(out_entry_id, "out_entry_id");
    if (body == nullptr && body_len != 0) Fail(SSPF_STATUS_INVALID_ARGUMENT, "body is NULL");
    std::string_view b(body == nullptr ? "" : reinterpret_cast<const char*>(body), body_len);
    std::string id = Take(session->rep.AddEntry(case_id, ToCategory(category), b,
                                                OptString(supersedes)));
    PutString(out_entry_id, id);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_list_entries(sspf_session_t* session, const char* case_id,
                                      char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(out_json, "out_json");
    std::vector<sspf::EntryInfo> es = Take(session->rep.ListEntries(case_id));
    Json j;
    j.Raw("[");
    for (const auto& e : es) {
      j.Next().Raw("{");
      WriteEntryFields(j, e);
      j.Raw("}");
    }
    j.Raw("]");
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_read_entry(sspf_session_t* session, const char* entry_id,
                                    const char* purpose, uint8_t** out_body,
                                    size_t* out_body_len, char** out_info_json,
                                    sspf_error_t** out_error) {
  ClearOut(out_body);
  ClearOut(out_info_json);
  if (out_body_len != nullptr) *out_body_len = 0;
  return Guard(out_error, [&] {
    Sess(session);
    Require(entry_id, "entry_id");
    Require(out_body, "out_body");
    Require(out_body_len, "out_body_len");
    sspf::EntryContent c =
        Take(session->rep.ReadEntry(entry_id, purpose == nullptr ? "" : purpose));
    char* info = nullptr;
    if (out_info_json != nullptr) {
      Json j;
      j.Raw("{");
      WriteEntryFields(j, c.info);
      j.Key("basis").Str(c.basis).Raw("}");
      info = CopyOut(j.str());
    }
    uint8_t* body;
    try {
      body = CopyOut(c.body.data(), c.body.size());
    } catch (...) {
      sspf_free(info);
      throw;
    }
    *out_body = body;
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
  ClearOut(out_disclosure_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(entry_id, "entry_id");
    sspf::DisclosureBasis basis;
    basis.consent_id = OptString(consent_id);
    basis.grant_id = OptString(grant_id);
    basis.provision = OptString(provision);
    if (reason != nullptr) basis.reason = reason;
    std::string id = Take(session->rep.DiscloseEntry(entry_id, ToActor(to_actor), basis));
    PutString(out_disclosure_id, id);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_disclose_entry_until(sspf_session_t* session, const char* entry_id,
                                              int to_actor, const char* provision,
                                              const char* reason, int64_t until_unix,
                                              char** out_disclosure_id,
                                              sspf_error_t** out_error) {
  ClearOut(out_disclosure_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(entry_id, "entry_id");
    Require(provision, "provision");
    Require(reason, "reason");
    sspf::DisclosureBasis basis;
    basis.provision = std::string(provision);
    basis.reason = reason;
    basis.until = until_unix;
    std::string id = Take(session->rep.DiscloseEntry(entry_id, ToActor(to_actor), basis));
    PutString(out_disclosure_id, id);
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_grant_emergency(sspf_session_t* session, const char* case_id,
                                         const char* provision, const char* reason, int hours,
                                         char** out_grant_id, sspf_error_t** out_error) {
  ClearOut(out_grant_id);
  return Guard(out_error, [&] {
    Sess(session);
    Require(case_id, "case_id");
    Require(provision, "provision");
    Require(reason, "reason");
    Require(out_grant_id, "out_grant_id");
    std::string id = Take(session->rep.GrantEmergency(case_id, provision, reason, hours));
    PutString(out_grant_id, id);
    return sspf::Status::Ok();
  });
}

// ---- Access log -------------------------------------------------------------------------

sspf_status sspf_session_checkpoint(sspf_session_t* session, char** out_note,
                                    sspf_error_t** out_error) {
  ClearOut(out_note);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_note, "out_note");
    PutString(out_note, Take(session->rep.Checkpoint()));
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_verifier_key(sspf_session_t* session, char** out_key,
                                      sspf_error_t** out_error) {
  ClearOut(out_key);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_key, "out_key");
    PutString(out_key, Take(session->rep.VerifierKey()));
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_verify(sspf_session_t* session, const char* kept_checkpoint,
                                char** out_report_json, sspf_error_t** out_error) {
  ClearOut(out_report_json);
  return Guard(out_error, [&] {
    Sess(session);
    sspf::VerifyOptions vo;
    vo.kept_checkpoint = OptString(kept_checkpoint);
    sspf::VerifyReport r = Take(session->rep.Verify(vo));
    if (out_report_json != nullptr) {
      Json j;
      j.Raw("{").Key("tree_size").UInt(r.tree_size).Key("root").Hex(r.root)
          .Key("checkpoints_checked").UInt(r.checkpoints_checked)
          .Key("kept_checkpoint_consistent").Bool(r.kept_checkpoint_consistent).Raw("}");
      PutString(out_report_json, j.str());
    }
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_prove(sspf_session_t* session, uint64_t index, const char* checkpoint,
                               char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_json, "out_json");
    sspf::InclusionProof p = Take(session->rep.Prove(index, OptString(checkpoint)));
    Json j;
    j.Raw("{").Key("index").UInt(p.index).Key("tree_size").UInt(p.tree_size)
        .Key("leaf_hash").Hex(p.leaf_hash).Key("root").Hex(p.root).Key("proof").Raw("[");
    for (const auto& h : p.proof) j.Next().Hex(h);
    j.Raw("]}");
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_audit_filter_create(sspf_audit_filter_t** out_filter,
                                     sspf_error_t** out_error) {
  ClearOut(out_filter);
  return Guard(out_error, [&] {
    Require(out_filter, "out_filter");
    *out_filter = new sspf_audit_filter_t();
    return sspf::Status::Ok();
  });
}

void sspf_audit_filter_destroy(sspf_audit_filter_t** filter) {
  if (filter == nullptr) return;
  delete *filter;
  *filter = nullptr;
}

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

sspf_status sspf_session_query_events(sspf_session_t* session, const sspf_audit_filter_t* filter,
                                      char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_json, "out_json");
    sspf::AuditFilter all;
    std::vector<sspf::AuditEvent> events =
        Take(session->rep.QueryEvents(filter == nullptr ? all : filter->rep));
    Json j;
    WriteEvents(j, events);
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_export_events(sspf_session_t* session,
                                       const sspf_audit_filter_t* filter, int format,
                                       sspf_line_sink sink, void* user_data,
                                       sspf_error_t** out_error) {
  return Guard(out_error, [&] {
    Sess(session);
    if (sink == nullptr) Fail(SSPF_STATUS_INVALID_ARGUMENT, "sink is NULL");
    if (format != SSPF_EXPORT_JSON_LINES && format != SSPF_EXPORT_CSV) {
      Fail(SSPF_STATUS_INVALID_ARGUMENT, "unknown export format");
    }
    sspf::AuditFilter all;
    std::string line;  // NUL-terminated copy for the callback
    return session->rep.ExportEvents(
        filter == nullptr ? all : filter->rep, static_cast<sspf::ExportFormat>(format),
        [&](std::string_view l) -> sspf::Status {
          line.assign(l);
          sspf_status s = sink(user_data, line.c_str(), line.size());
          if (s == SSPF_STATUS_OK) return sspf::Status::Ok();
          if (s < 0 || s > SSPF_STATUS_FAILED_PRECONDITION) s = SSPF_STATUS_INTERNAL;
          return sspf::Status(static_cast<StatusCode>(s), "export stopped by the caller's sink");
        });
  });
}

sspf_status sspf_session_extract_subject(sspf_session_t* session, const char* subject_id,
                                         char** out_json, sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(subject_id, "subject_id");
    Require(out_json, "out_json");
    std::vector<sspf::AuditEvent> events = Take(session->rep.ExtractSubject(subject_id));
    Json j;
    WriteEvents(j, events);
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

sspf_status sspf_session_review(sspf_session_t* session, char** out_json,
                                sspf_error_t** out_error) {
  ClearOut(out_json);
  return Guard(out_error, [&] {
    Sess(session);
    Require(out_json, "out_json");
    std::vector<sspf::ReviewFlag> flags = Take(session->rep.Review());
    Json j;
    j.Raw("[");
    for (const auto& f : flags) {
      j.Next().Raw("{").Key("kind").Str(f.kind).Key("seq").UInt(f.seq)
          .Key("principal_id").Str(f.principal_id).Key("target").Str(f.target)
          .Key("detail").Str(f.detail).Raw("}");
    }
    j.Raw("]");
    PutString(out_json, j.str());
    return sspf::Status::Ok();
  });
}

}  // extern "C"
