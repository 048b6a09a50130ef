// What the domain files (principals, subjects, cases, consent, entries)
// share: every operation runs through the operation runner; these are the
// facts one area gathers for another.
#ifndef SSPF_SRC_DOMAIN_DOMAIN_INTERNAL_H_
#define SSPF_SRC_DOMAIN_DOMAIN_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "context/operation.h"
#include "keys/credential.h"
#include "keys/key_hierarchy.h"
#include "keys/keyring.h"
#include "log/replay_detail.h"
#include "util/text.h"

namespace sspf::internal {

// Consent of a case (consent.cpp): the latest version of every consent, as
// records for EvaluateConsent, and the evaluation for (from -> to, c).
Result<std::vector<ConsentInfo>> LatestConsents(Db* db, std::string_view case_id);
ConsentRecord ToRecord(const ConsentInfo& c);
Result<ConsentEvaluation> EvaluateCaseConsent(Session::Impl* impl, std::string_view case_id,
                                              const std::vector<ConsentRecord>& records,
                                              Actor from, Actor to, Category c);

// Creates the first key pair of an actor, certifies it (the session holds
// the authority key) and seals it to one principal (principals.cpp).
Status CreateActorKey(Session::Impl* impl, Actor a, const std::string& principal_id,
                      const Bytes& principal_pk);
// Stores the seal of actor-key version (a, version) for one principal.
Status InsertActorKeySeal(Db* db, Actor a, int64_t version, const std::string& principal_id,
                          const Bytes& sealed);

}  // namespace sspf::internal

#endif  // SSPF_SRC_DOMAIN_DOMAIN_INTERNAL_H_
