// libFuzzer target for the certificate parsers (keys/certificate.h): the
// certificates table is written by whoever holds the SQLCipher key, so its
// bytes are insider-controlled input.  Whatever the bytes, the parsers must
// return a Status (never crash), and what they accept must encode back to
// exactly the same bytes (one encoding per certificate).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "keys/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  using namespace sspf::internal;
  const Bytes body(data, data + size);
  Result<PrincipalCert> p = DecodePrincipalCert(body);
  if (p.ok()) {
    if (EncodePrincipalCert(*p) != body) std::abort();
  } else if (p.status().code() != StatusCode::kIntegrityViolation) {
    std::abort();
  }
  Result<ActorKeyCert> a = DecodeActorKeyCert(body);
  if (a.ok()) {
    if (EncodeActorKeyCert(*a) != body) std::abort();
  } else if (a.status().code() != StatusCode::kIntegrityViolation) {
    std::abort();
  }
  // A signature check of arbitrary bytes never passes with a zero key.
  if (CheckCertSignature(Bytes(32, 0), body, Bytes(64, 0)).ok()) std::abort();
  return 0;
}
