// The auditor's list of principal certificates (DESIGN §13): every version
// of every principal's certificate, checked against the session's pinned
// trust anchor, so that an auditor can check the signatures of exported
// events without the library (docs/auditing.md).
#include <utility>

#include "audit/audit_internal.h"
#include "context/trust.h"
#include "storage/certificates_table.h"

namespace sspf {

using internal::CertKind;
using internal::CertRow;
using internal::PrincipalCert;
using internal::audit::AuditGate;
using internal::audit::ReadSnapshot;

Result<std::vector<PrincipalCertificate>> Session::ListCertificates() {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditQuery, "certificates"));
  ReadSnapshot snapshot(impl->db.get());
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  std::vector<PrincipalCertificate> out;
  SSPF_RETURN_IF_ERROR(internal::ForEachCert(impl->db.get(), [&](const CertRow& row) -> Status {
    if (row.kind != CertKind::kPrincipal) return Status::Ok();
    SSPF_ASSIGN_OR_RETURN(PrincipalCert c, internal::CheckedPrincipalCert(impl, row));
    PrincipalCertificate p;
    p.principal_id = std::move(c.principal_id);
    p.name = std::move(c.name);
    p.actor = c.actor;
    p.role = c.role;
    p.active = c.active;
    p.version = c.version;
    p.signing_key = std::move(c.sign_public_key);
    p.certificate = row.body;
    p.certificate_signature = row.signature;
    out.push_back(std::move(p));
    return Status::Ok();
  }));
  return out;
}

}  // namespace sspf
