// Helpers shared by the files that implement Session operations.
#ifndef SSPF_SRC_INTERNAL_OPS_H_
#define SSPF_SRC_INTERNAL_OPS_H_

#include <string>
#include <string_view>
#include <vector>

#include "keys/credential.h"
#include "keys/key_hierarchy.h"
#include "keys/keyring.h"
#include "util/text.h"
#include "policy/policy.h"
#include "context/session_impl.h"

namespace sspf::internal {


// An AccessRequest filled with the session principal's facts.
AccessRequest RequestFor(const Session::Impl* impl, Operation op);
// Decide() for operations that need no case facts.
Decision DecideFor(const Session::Impl* impl, Operation op);

// OK when d allows; otherwise logs the denial (with d's reason) as e,
// commits it and returns it (kPermissionDenied, or kConsentRequired when
// the missing condition is consent).
Status DenyUnlessAllowed(Session::Impl* impl, Session::Impl::Scope& scope, const Decision& d,
                         Session::Impl::EventArgs& e);

// Re-reads whether the session's principal is still active (inside the
// operation's transaction); a principal disabled while its session is open
// is denied from the next operation on, and its cached actor keys go.
// Called by Session::Impl::Begin for every operation.
Status RefreshPrincipal(Session::Impl* impl);

// Facts about one case for the calling principal (cases.cpp).  kNotFound if
// there is no such case; ids are random 128-bit values, so that reveals
// nothing.
Status LoadCaseFacts(Session::Impl* impl, std::string_view case_id, std::string* subject_id,
                     bool* open, bool* on_team, bool* has_grant);

// The start of an operation on one case: the access request filled with
// the case's facts, and the event that will record the decision (action,
// target "case:<id>", case and subject ids).  kNotFound if no such case.
struct CaseOp {
  AccessRequest request;
  Session::Impl::EventArgs event;
  bool open = false;
};
Result<CaseOp> StartCaseOp(Session::Impl* impl, Operation op, Action action,
                           std::string_view case_id);

// Consent of a case (consent.cpp): the latest version of every consent, as
// records for EvaluateConsent, and the evaluation for (from -> to, c).
Result<std::vector<ConsentInfo>> LatestConsents(Db* db, std::string_view case_id);
ConsentRecord ToRecord(const ConsentInfo& c);
Result<ConsentEvaluation> EvaluateCaseConsent(Session::Impl* impl, std::string_view case_id,
                                              const std::vector<ConsentRecord>& records,
                                              Actor from, Actor to, Category c);

Status CreateActorKey(Db* db, Actor a, UnixSeconds now,
                      const std::string& principal_id, const Bytes& principal_pk);

}  // namespace sspf::internal

#endif  // SSPF_SRC_INTERNAL_OPS_H_
