// Copyright (c) libsspf authors.
//
// Host-configurable access-policy defaults (DESIGN §3, §4).  The decision
// itself is internal; docs/access-rules.md describes every rule.
// Thread-safety: plain values and pure functions.
#ifndef SSPF_POLICY_H_
#define SSPF_POLICY_H_

#include <string>
#include <vector>

#include "sspf/export.h"
#include "sspf/status.h"

namespace sspf {

// Whose consent (samtycke) is required, by the youth's age in whole years on
// the day of the decision (see AgeOn in sspf/pnr.h):
//   age <  youth_consent_from_age: every guardian with custody
//                                  (vårdnadshavare);
//   youth_consent_from_age <= age < adult_age: every guardian and the youth;
//   age >= adult_age: the youth only.
// A consent is in force only while every required party's consent is.
struct ConsentPolicy {
  // Age from which the youth's own consent is required as well.
  int youth_consent_from_age = 15;
  // Age of majority (myndighetsålder): guardians no longer consent.
  int adult_age = 18;
};

// OK if 0 <= youth_consent_from_age <= adult_age <= 150; kInvalidArgument
// otherwise.  Consent evaluation fails closed (never in force) with a policy
// that does not validate.
SSPF_EXPORT Status ValidateConsentPolicy(const ConsentPolicy& policy);

// A secrecy-breaking provision offered when recording a disclosure or an
// emergency grant without consent (DESIGN §4).  The library only records the
// provision a person chose after their secrecy assessment (sekretessprövning);
// it never decides whether the provision applies.
struct LegalProvision {
  // Citation as recorded in the log, e.g. "OSL 10 kap. 18 a §".
  std::string citation;
  // One-line English summary for menus and docs.
  std::string summary;
  // False if the project could not verify the citation and summary against
  // the statute text; docs/access-rules.md says what is unverified.
  bool verified = false;
};

// The default list offered by sspf-tool and the demo.  Hosts may offer their
// own list; the provision text is recorded as free text either way.
SSPF_EXPORT std::vector<LegalProvision> DefaultLegalProvisions();

}  // namespace sspf

#endif  // SSPF_POLICY_H_
