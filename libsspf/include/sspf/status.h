// Copyright (c) libsspf authors.
//
// Status and Result<T>: the error model of the whole public API.  No
// exception crosses the API; every fallible call returns one of these.
// Thread-safety: values; safe to copy and move between threads.
#ifndef SSPF_STATUS_H_
#define SSPF_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "sspf/export.h"

namespace sspf {

// The numeric values are ABI: they are the C API's sspf_status codes.
// Never renumber; only append.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // bad input: the caller can fix it
  kNotFound = 2,            // no such principal, subject, case, entry, ...
  kAlreadyExists = 3,       // e.g. a store or principal of that name exists
  kPermissionDenied = 4,    // the access decision said no
  kConsentRequired = 5,     // denied because no consent basis is in force
  kWrongKey = 6,            // wrong passphrase/key, or not an sspf store
  kIntegrityViolation = 7,  // tampering, rollback, corrupt keyring or log
  kIoError = 8,             // the file system refused (read-only, full, ...)
  kInternal = 9,            // a bug or an unexpected library failure
  kBusy = 10,               // another writer holds the store; retry later
  kFailedPrecondition = 11, // the operation is not valid in this state
};

// Returns a stable lower-case name ("ok", "invalid_argument", ...).
SSPF_EXPORT const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status;

// A Status is either OK or a code plus a one-line message.  Messages carry
// ids only, never personal data, keys or passphrases.
class SSPF_EXPORT Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "code_name: message", or "ok".
  std::string ToString() const;

  // Makes ignoring a status explicit and searchable.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFound(std::string m) {
  return Status(StatusCode::kNotFound, std::move(m));
}
inline Status AlreadyExists(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status PermissionDenied(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status ConsentRequired(std::string m) {
  return Status(StatusCode::kConsentRequired, std::move(m));
}
inline Status WrongKey(std::string m) {
  return Status(StatusCode::kWrongKey, std::move(m));
}
inline Status IntegrityViolation(std::string m) {
  return Status(StatusCode::kIntegrityViolation, std::move(m));
}
inline Status IoError(std::string m) {
  return Status(StatusCode::kIoError, std::move(m));
}
inline Status Internal(std::string m) {
  return Status(StatusCode::kInternal, std::move(m));
}
inline Status Busy(std::string m) {
  return Status(StatusCode::kBusy, std::move(m));
}
inline Status FailedPrecondition(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}

// Result<T> holds either a value or a non-OK Status (like absl::StatusOr).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result built from an OK status has no value");
    if (status_.ok()) status_ = Internal("Result built from OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace sspf

// Internal convenience for early returns.
#define SSPF_RETURN_IF_ERROR(expr)        \
  do {                                    \
    ::sspf::Status sspf_status_ = (expr); \
    if (!sspf_status_.ok()) return sspf_status_; \
  } while (0)

#define SSPF_CONCAT_INNER_(a, b) a##b
#define SSPF_CONCAT_(a, b) SSPF_CONCAT_INNER_(a, b)
#define SSPF_ASSIGN_OR_RETURN(lhs, expr) \
  SSPF_ASSIGN_OR_RETURN_IMPL_(SSPF_CONCAT_(sspf_result_, __LINE__), lhs, expr)
#define SSPF_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#endif  // SSPF_STATUS_H_
