// Copyright (c) libsspf authors.
//
// The global functions of the C ABI: version, status names, error objects.
// (sspf_free lives with the buffers it frees, in helpers.cpp.)
#include "capi/capi_internal.h"
#include "sspf/status.h"

extern "C" {

const char* sspf_version(void) { return SSPF_VERSION_STRING; }

const char* sspf_status_name(sspf_status code) {
  // StatusCodeName says "unknown" for a number that is no StatusCode.
  return sspf::StatusCodeName(static_cast<sspf::StatusCode>(code));
}

sspf_status sspf_error_code(const sspf_error_t* error) {
  return error == nullptr ? SSPF_STATUS_INVALID_ARGUMENT : error->code;
}

const char* sspf_error_message(const sspf_error_t* error) {
  return error == nullptr ? "" : error->message.c_str();
}

void sspf_error_free(sspf_error_t** error) { sspf::capi::Release(error); }

}  // extern "C"
