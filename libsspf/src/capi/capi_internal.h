// Copyright (c) libsspf authors.
//
// What the files of the C ABI share (DuckDB's capi_internal.hpp +
// helper-c.cpp): the handle structs, the error plumbing and one helper per
// shape of entry point, so that an entry point is its argument list and one
// call.  Every entry point of sspf/sspf.h goes through Guard(): outputs
// cleared on entry, pointers checked, every exception caught, a Status mapped
// to an sspf_status and an sspf_error_t.
#ifndef SSPF_SRC_CAPI_CAPI_INTERNAL_H_
#define SSPF_SRC_CAPI_CAPI_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sspf/json.h"
#include "sspf/options.h"
#include "sspf/records.h"
#include "sspf/sspf.h"
#include "sspf/status.h"
#include "sspf/store.h"
#include "sspf/types.h"

// ---- Handles (leveldb's db/c.cc: struct leveldb_t { DB* rep; }) ------------

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

namespace sspf::capi {

// ---- Errors ------------------------------------------------------------------

// Raised inside a wrapper to return a status; caught by Guard().
struct CError {
  sspf_status code;
  std::string message;
};

[[noreturn]] void Fail(sspf_status code, std::string message);
[[noreturn]] void Fail(const Status& s);
// Sets *out_error (when out_error is not NULL) to a new error object.
void SetError(sspf_error_t** out_error, sspf_status code, std::string message) noexcept;
// Sets *out_error for a status that is not OK and returns its code (throws
// only std::bad_alloc, while copying the message).
sspf_status Report(sspf_error_t** out_error, const Status& s);
// For a caught exception (call inside a catch block): CError, bad_alloc or
// anything else (SSPF_STATUS_INTERNAL).
sspf_status ReportCurrentException(sspf_error_t** out_error) noexcept;

// Runs body (returning a Status); maps every outcome to a status and an
// error object.
template <typename F>
sspf_status Guard(sspf_error_t** out_error, F&& body) noexcept {
  // Written, never read: a host may pass uninitialised memory here.
  if (out_error != nullptr) *out_error = nullptr;
  try {
    return Report(out_error, body());
  } catch (...) {
    return ReportCurrentException(out_error);
  }
}

// A pointer argument that must not be NULL, and its name for the message.
struct Need {
  const void* ptr;
  const char* name;
};
using Needs = std::initializer_list<Need>;

void Require(const void* p, const char* name);
inline void Require(Needs needs) {
  for (const Need& n : needs) Require(n.ptr, n.name);
}

template <typename T>
void ClearOut(T** p) {
  if (p != nullptr) *p = nullptr;
}

// Unwraps a Result or raises its status; plain values pass through.
template <typename T>
T Take(Result<T> r) {
  if (!r.ok()) Fail(r.status());
  return std::move(r).value();
}
template <typename T>
const T& Take(const T& v) {
  return v;
}
void Take(const Status&) = delete;  // use Check()
// Raises s unless it is OK.
inline void Check(const Status& s) {
  if (!s.ok()) Fail(s);
}

// ---- Buffers for the caller (freed with sspf_free, which wipes them) ----------

uint8_t* CopyOut(const void* data, size_t n);
char* CopyOut(std::string_view s);
// Sets *out (when out is not NULL) to a copy of s.
void PutString(char** out, std::string_view s);
// A copy of a JSON document for the caller; the document is wiped, since it
// may hold names and personal identity numbers.
char* CopyOutDocument(std::string document);

// ---- Conversions from C -----------------------------------------------------

// The value of E whose number is v, looked up in the list of all values that
// is declared next to the enum (sspf/types.h, sspf/options.h,
// sspf/records.h), so the C ABI accepts what the enum has, never a hard-coded
// range; INVALID_ARGUMENT with `what` otherwise.
template <typename E, size_t N>
E EnumFromC(const E (&all)[N], int v, const char* what) {
  for (E e : all) {
    if (static_cast<int>(e) == v) return e;
  }
  Fail(SSPF_STATUS_INVALID_ARGUMENT, what);
}
inline Actor ToActor(int a) { return EnumFromC(kAllActors, a, "unknown actor value"); }
inline Role ToRole(int r) { return EnumFromC(kAllRoles, r, "unknown role value"); }
inline Category ToCategory(int c) {
  return EnumFromC(kAllCategories, c, "unknown category value");
}
inline ExportFormat ToExportFormat(int f) {
  return EnumFromC(kAllExportFormats, f, "unknown export format");
}
// True if c is one of the status codes (sspf::StatusCodeName knows it).
bool IsStatusCode(int c);

// A credential of kind SSPF_CREDENTIAL_* copied from (secret, len); name is
// the argument's name for the messages.
Credential ToCredential(int kind, const uint8_t* secret, size_t len, const char* name);
// count NUL-terminated strings; items may be NULL only when count is 0.
std::vector<std::string> ToStrings(const char* const* items, size_t count, const char* name);
// A progress callback as the C++ API takes it (empty for NULL).
std::function<void(uint64_t, uint64_t)> Progress(sspf_progress_fn progress, void* user_data);
inline std::optional<std::string> OptString(const char* s) {
  if (s == nullptr) return std::nullopt;
  return std::string(s);
}

// ---- Outputs ------------------------------------------------------------------

// Where a result goes: *out, cleared on entry; a required output (name set)
// gives INVALID_ARGUMENT when NULL, an optional one (name == nullptr) is
// skipped when NULL.
struct OutSlot {
  char** out;
  const char* name;  // nullptr: the output is optional
  void Clear() const { ClearOut(out); }
  void Check() const {
    if (name != nullptr) Require(out, name);
  }
};

// A string result.
struct StringOut : OutSlot {
  void Put(std::string_view s) const { PutString(out, s); }
};
inline StringOut Required(char** out, const char* name) { return {{out, name}}; }
inline StringOut Optional(char** out) { return {{out, nullptr}}; }

// A JSON result: the document encode(value) of the one JSON schema
// (sspf/json.h, docs/json-schema.md), the same text sspf-tool --json prints;
// made only when it is wanted.
template <typename Encode>
struct JsonOut : OutSlot {
  Encode encode;
  template <typename T>
  void Put(const T& value) const {
    if (out != nullptr) *out = CopyOutDocument(encode(value));
  }
};
template <typename Encode>
JsonOut<Encode> RequiredJson(char** out, Encode encode, const char* name = "out_json") {
  return {{out, name}, encode};
}
template <typename Encode>
JsonOut<Encode> OptionalJson(char** out, Encode encode) {
  return {{out, nullptr}, encode};
}

// ---- The shapes -----------------------------------------------------------------

// The handle's rep, after checking handle (named name) and needs, in that
// order; body(rep) returns a Status.
template <typename H, typename F>
sspf_status WithRep(H* handle, const char* name, Needs needs, sspf_error_t** out_error,
                    F&& body) noexcept {
  return Guard(out_error, [&]() -> Status {
    Require(handle, name);
    Require(needs);
    return body(handle->rep);
  });
}

// As above with an output: out cleared on entry and checked after needs;
// body(rep) returns a value or a Result, which out receives.
template <typename H, typename Out, typename F>
sspf_status WithRep(H* handle, const char* name, Needs needs, const Out& out,
                    sspf_error_t** out_error, F&& body) noexcept {
  out.Clear();
  return Guard(out_error, [&]() -> Status {
    Require(handle, name);
    Require(needs);
    out.Check();
    out.Put(Take(body(handle->rep)));
    return Status::Ok();
  });
}

// Session entry points: WithRep on the session handle.
template <typename F>
sspf_status WithSession(sspf_session_t* session, Needs needs, sspf_error_t** out_error,
                        F&& body) noexcept {
  return WithRep(session, "session", needs, out_error, std::forward<F>(body));
}
template <typename Out, typename F>
sspf_status WithSession(sspf_session_t* session, Needs needs, const Out& out,
                        sspf_error_t** out_error, F&& body) noexcept {
  return WithRep(session, "session", needs, out, out_error, std::forward<F>(body));
}

// sspf_*_create: a new default handle in *out.
template <typename H>
sspf_status CreateHandle(H** out, const char* name, sspf_error_t** out_error) noexcept {
  ClearOut(out);
  return Guard(out_error, [&] {
    Require(out, name);
    *out = new H();
    return Status::Ok();
  });
}

// The release functions: delete *handle, set it to NULL; NULL is a no-op.
template <typename H>
void Release(H** handle) noexcept {
  if (handle == nullptr) return;
  try {
    delete *handle;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void release.
  }
  *handle = nullptr;
}

}  // namespace sspf::capi

#endif  // SSPF_SRC_CAPI_CAPI_INTERNAL_H_
