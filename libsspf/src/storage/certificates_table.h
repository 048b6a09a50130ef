// The certificates and authority_seals tables (DESIGN §13).  Rows are
// written by admins' sessions (and the recovery key) and read by every
// session; nothing here trusts a row: callers check each signature against
// their pinned anchor (keys/certificate.h).
#ifndef SSPF_SRC_STORAGE_CERTIFICATES_TABLE_H_
#define SSPF_SRC_STORAGE_CERTIFICATES_TABLE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/types.h"
#include "storage/db.h"

namespace sspf::internal {

enum class CertKind : int { kPrincipal = 1, kActorKey = 2, kOversightKey = 3 };

struct CertRow {
  CertKind kind = CertKind::kPrincipal;
  std::string subject;  // principal id, ActorKeySubject or OversightKeySubject
  int64_t version = 0;
  Bytes body;
  Bytes signature;
  UnixSeconds created = 0;
};

std::string ActorKeySubject(Actor actor, int64_t version);
// "oversight:<version>"
std::string OversightKeySubject(int64_t version);

Status InsertCert(Db* db, const CertRow& row);
// The newest version for (kind, subject), or nullopt.
Result<std::optional<CertRow>> LatestCert(Db* db, CertKind kind, std::string_view subject);
// Every certificate, ordered by kind, subject, version.
Status ForEachCert(Db* db, const std::function<Status(const CertRow&)>& fn);
// Every version of one (kind, subject), ascending.
Status ForEachCertOf(Db* db, CertKind kind, std::string_view subject,
                    const std::function<Status(const CertRow&)>& fn);

// The authority secret key sealed to an admin's box key.
Status PutAuthoritySeal(Db* db, std::string_view principal_id, const Bytes& sealed);
Result<std::optional<Bytes>> AuthoritySeal(Db* db, std::string_view principal_id);
Status DeleteAuthoritySeal(Db* db, std::string_view principal_id);

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_CERTIFICATES_TABLE_H_
