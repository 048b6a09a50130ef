// Copyright (c) libsspf authors.
//
// The JSON texts the C ABI returns (the shapes at the end of sspf/sspf.h),
// all written in json_c.cpp: the one place to swap for the library-wide
// encoder.  Each JsonOf returns a new buffer for the caller (sspf_free, which
// wipes it); the text is built in a buffer that is wiped as well, since it
// may hold names and personal identity numbers.
#ifndef SSPF_SRC_CAPI_JSON_C_H_
#define SSPF_SRC_CAPI_JSON_C_H_

#include <vector>

#include "sspf/records.h"

namespace sspf::capi {

char* JsonOf(const PrincipalInfo& p);
char* JsonOf(const std::vector<PrincipalInfo>& ps);
char* JsonOf(const SubjectInfo& s);
char* JsonOf(const CaseInfo& c);
char* JsonOf(const std::vector<CaseInfo>& cs);
char* JsonOf(const std::vector<ConsentInfo>& cs);
char* JsonOf(const std::vector<EntryInfo>& es);
// The entry object of the entry read plus "basis" (never the body).
char* JsonOf(const EntryContent& c);
char* JsonOf(const VerifyReport& r);
char* JsonOf(const InclusionProof& p);
char* JsonOf(const std::vector<AuditEvent>& events);
char* JsonOf(const std::vector<ReviewFlag>& flags);

}  // namespace sspf::capi

#endif  // SSPF_SRC_CAPI_JSON_C_H_
