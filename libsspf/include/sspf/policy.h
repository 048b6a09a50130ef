// Copyright (c) libsspf authors.
//
// Host-configurable access-policy defaults (DESIGN §3, §4).  The decision
// itself is internal; docs/access-rules.md describes every rule.
// Thread-safety: plain values and pure functions.
#ifndef SSPF_POLICY_H_
#define SSPF_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/status.h"
#include "sspf/types.h"

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

// Which actors are public authorities (myndigheter).  OSL, and with it every
// OSL secrecy-breaking provision, applies only to authorities: a free school
// (fristående skola) or a civil-society leisure club (förening) is not one,
// and the host must say so here.  The defaults describe a municipality where
// school and leisure are run by the municipality's own committees.
struct PublicAuthorities {
  bool school = true;        // false for a fristående skola
  bool social = true;
  bool police = true;
  bool leisure = true;       // false for a club run by civil society
  bool coordination = true;  // the municipality's SSPF coordination function
  // False for an actor value without a name (fails closed).
  SSPF_EXPORT bool IsAuthority(Actor actor) const;
  SSPF_EXPORT void Set(Actor actor, bool is_authority);
};

// One group of directions a provision allows: every actor in `from` may
// disclose to every actor in `to`.
struct ProvisionFlow {
  std::vector<Actor> from;
  std::vector<Actor> to;
};

// A secrecy-breaking provision (sekretessbrytande bestämmelse) as a rule
// (DESIGN §4, §14).  The library only records the provision a person chose
// after their secrecy assessment (sekretessprövning); it never decides
// whether the provision applies.  It does refuse what the provision can never
// cover: a direction it does not name, a subject outside its age limits, a
// discloser that is not a public authority where the provision needs one,
// and a disclosure longer than its maximum.  docs/access-rules.md lists the
// default rules and is checked against DefaultLegalProvisions() by a test.
struct LegalProvision {
  // Stable key, lower case, e.g. "osl-10-18a".  Accepted wherever a
  // provision is named, like the citation.
  std::string id;
  // Citation as recorded in the log, e.g. "OSL 10 kap. 18 a §".
  std::string citation;
  // One-line English summary for menus and docs.
  std::string summary;
  // Where the rule was checked (a bill, a guidance document), or what is
  // missing.
  std::string source;
  // False if the project could not verify the citation and summary against
  // a public source; docs/access-rules.md says what is unverified.
  bool verified = false;
  // The directions (from actor -> to actor) it allows.  Empty: none (a rule
  // without directions refuses every disclosure).
  std::vector<ProvisionFlow> directions;
  // Subject age limits, in whole years on the day of the decision (AgeOn):
  // the youth must be at least subject_min_age and, if subject_age_under > 0,
  // younger than subject_age_under.
  int subject_min_age = 0;
  int subject_age_under = 0;
  // The reason (motivering) must be recorded.  requires_balancing: the
  // provision rests on a balancing test (intresseavvägning), which the reason
  // must record; a missing reason is denied naming the balancing.
  bool requires_reason = true;
  bool requires_balancing = false;
  // A disclosure without an end time lasts default_duration_seconds, capped
  // at max_duration_seconds (a default of 0 gives the maximum; both 0: no
  // end); an end time further away than max_duration_seconds is denied (0:
  // no maximum).
  int64_t default_duration_seconds = 0;
  int64_t max_duration_seconds = 0;
  // The disclosing actor (for an emergency grant: the holder's actor) must
  // be a public authority (every OSL provision), and the receiving actor too
  // where the provision speaks of disclosure to an authority.
  bool requires_public_authority = true;
  bool recipient_must_be_authority = false;
  // First day in force (DESIGN §14: 15 a § from 2025-12-01); none: always.
  std::optional<Date> in_force_from;
};

// The default rules (DESIGN §14).  Hosts may configure their own list in
// StoreOptions::legal_provisions; only a provision in that list is accepted.
SSPF_EXPORT std::vector<LegalProvision> DefaultLegalProvisions();

// The rule named by `name` (its id or its exact citation), or null.
SSPF_EXPORT const LegalProvision* FindLegalProvision(
    const std::vector<LegalProvision>& provisions, std::string_view name);

// OK if every rule has an id, a citation and a summary, ids and citations
// are unique, durations are not negative, and age limits are 0..150 with
// min < under when under is set.
// kInvalidArgument naming the rule's id otherwise.  Store::Open refuses
// options whose list does not validate.
SSPF_EXPORT Status ValidateLegalProvisions(
    const std::vector<LegalProvision>& provisions);

}  // namespace sspf

#endif  // SSPF_POLICY_H_
