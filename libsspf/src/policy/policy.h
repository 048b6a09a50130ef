// Copyright (c) libsspf authors.
//
// The access decision (DESIGN §3): the one place where allow/deny is decided.
// Pure functions, no I/O, no clock: the database layer gathers the facts,
// calls Decide, and logs the returned Decision with the operation.
// docs/access-rules.md is the prose version of this file; keep them in step.
#ifndef SSPF_INTERNAL_POLICY_H_
#define SSPF_INTERNAL_POLICY_H_

#include <optional>
#include <string>
#include <vector>

#include "sspf/policy.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {
namespace internal {

enum class Operation {
  kFindSubject,      // subject find by personnummer; subject show
  kAddSubject,       // register a youth
  kOpenCase,
  kListCases,
  kShowCase,         // case metadata, team
  kCloseCase,
  kManageTeam,       // case team add
  kGrantConsent,     // record a consent version
  kWithdrawConsent,  // record a withdrawal
  kListConsent,
  kCreateEntry,
  kListEntries,
  kReadEntry,
  kDiscloseEntry,
  kEmergencyGrant,   // a principal records a legal-basis grant for itself
  kAuditRead,        // audit query, export, extract, review, verify, prove,
                     // checkpoint
  kManagePrincipals,
  kManageKeys,
  kRetention,
  kUnlock,               // open a session (any active principal)
  kChangeOwnCredential,  // the principal's own passphrase or key
  kListPrincipals,       // admins manage them; auditors read the log by them
  kDeliverActorKeys,     // seal the actor's keys to new members of the actor
  kRewrapEntryKeys,      // re-seal the actor's entry keys to its newest key
  kReopenCase,           // case reopen
  kRevokeDisclosure,     // entry revoke: the disclosing actor takes one back
  kEndGrant,             // grant end: a legal-basis grant ended early
  kChangeCustody,        // a guardian's custody (vårdnad) changed
  kConfirmConsent,       // an actor records its own reference to a consent
  kListSubjects,         // subject list: every youth's identity, searched by name
  kListStaff,            // staff list: active principals' names, actors, roles
};

inline constexpr Operation kAllOperations[] = {
    Operation::kFindSubject,     Operation::kAddSubject,
    Operation::kOpenCase,        Operation::kListCases,
    Operation::kShowCase,        Operation::kCloseCase,
    Operation::kManageTeam,      Operation::kGrantConsent,
    Operation::kWithdrawConsent, Operation::kListConsent,
    Operation::kCreateEntry,     Operation::kListEntries,
    Operation::kReadEntry,       Operation::kDiscloseEntry,
    Operation::kEmergencyGrant,  Operation::kAuditRead,
    Operation::kManagePrincipals, Operation::kManageKeys,
    Operation::kRetention,       Operation::kUnlock,
    Operation::kChangeOwnCredential, Operation::kListPrincipals,
    Operation::kDeliverActorKeys, Operation::kRewrapEntryKeys,
    Operation::kReopenCase,      Operation::kRevokeDisclosure,
    Operation::kEndGrant,        Operation::kChangeCustody,
    Operation::kConfirmConsent,  Operation::kListSubjects,
    Operation::kListStaff};

// "find_subject", "add_subject", ... (stable, for logs and tests).
const char* OperationName(Operation op);

// The state, evaluated NOW, of one basis for moving an entry from its author
// actor to another actor.
enum class BasisKind {
  kNone,                // no basis at all (e.g. never disclosed)
  kConsentInForce,      // EvaluateConsent said in force for `scope`
  kConsentMissing,      // a required party has not consented
  kConsentWithdrawn,
  kConsentExpired,      // past valid_until, or not yet valid
  kConsentNotCovering,  // records exist but not for these actors/category
  kLegalProvision,      // a recorded secrecy-breaking provision, in force
  kProvisionExpired,    // a provision disclosure past its optional end
  kGrantActive,         // a legal-basis grant, not expired
  kGrantExpired,        // past its end, or ended early (grant end)
  kDisclosureRevoked,   // the disclosure was revoked (entry revoke)
};

const char* BasisKindName(BasisKind kind);

// The (from actor -> to actor, category) a consent evaluation was made for.
struct ConsentScope {
  Actor from = Actor::kSchool;
  Actor to = Actor::kSchool;
  Category category = Category::kIdentity;
};

struct BasisState {
  BasisKind kind = BasisKind::kNone;
  // Consent ids (comma-separated, one per required party), or the grant id,
  // or the provision disclosure's id.  Ids only: no personal data.
  std::string id;
  // For the kConsent* kinds: what the consent was evaluated for.  Decide
  // denies a consent basis whose scope does not match the entry (author
  // actor -> receiving actor, category), so a caller that evaluated the
  // wrong triple fails closed.
  std::optional<ConsentScope> scope;
  // For kLegalProvision / kProvisionExpired: the provision cited.
  std::string provision;
  // For kLegalProvision: whether a non-empty reason (motivering) was recorded.
  bool reason_recorded = false;
  // For kLegalProvision in kDiscloseEntry and kEmergencyGrant: the
  // configured rule the provision names (StoreOptions::legal_provisions);
  // none when it names no configured rule, which is denied.  Reads of a
  // provision disclosure check only its end time: the rule was applied when
  // it was made.
  std::optional<LegalProvision> rule;
  // For kLegalProvision in kDiscloseEntry and kEmergencyGrant: seconds from
  // now to the disclosure's or grant's end; none: no end.
  std::optional<int64_t> duration_seconds;
  // For the failure kinds: ConsentEvaluation::reason, copied into the
  // decision's reason.
  std::string detail;
};

// Facts about one request.  Fields not listed for an operation are ignored.
struct AccessRequest {
  Operation op = Operation::kFindSubject;
  // The principal.
  bool principal_active = false;  // false: disabled (or unknown)
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  // Case-scoped operations: the principal is on the case team.  For
  // kFindSubject: on the team of some case of that subject (and false when
  // no such subject exists, so members cannot probe for existence).
  bool on_case_team = false;
  // Case-scoped operations: the principal holds an unexpired legal-basis
  // grant for this case.
  bool has_active_grant = false;
  // kReadEntry, kDiscloseEntry: the entry's author actor and category.
  // kCreateEntry: the new entry's category.  kRevokeDisclosure: the author
  // actor of the disclosed entry (the disclosing actor).
  std::optional<Actor> entry_author_actor;
  std::optional<Category> category;
  // kCreateEntry with a correction: the author actor of the entry it
  // supersedes (a principal corrects only its own actor's entries).
  std::optional<Actor> superseded_author_actor;
  // kCreateEntry of a plan status document (an action marked done, issue
  // 14): the action's owner actor, and whether the action names a principal
  // other than this one.  Unset for every other entry.  The domain layer
  // takes both from the action's entry, read (decided, logged) first.
  struct ActionOwner {
    Actor actor = Actor::kSchool;
    bool other_principal_named = false;
  };
  std::optional<ActionOwner> status_of_action;
  // kEndGrant: the grant is held by the principal itself.
  bool own_grant = false;
  // kDiscloseEntry: the receiving actor.
  std::optional<Actor> disclose_to;
  // kDiscloseEntry: the proposed basis.  kEmergencyGrant: kLegalProvision
  // with the provision and reason_recorded.
  BasisState basis;
  // kReadEntry: one element per disclosure of this entry to the principal's
  // actor, each basis re-evaluated now.  Empty: never disclosed to it.
  std::vector<BasisState> disclosures;
  // kDiscloseEntry and kEmergencyGrant under a provision rule: the day of the
  // decision, the youth's age on it (none: unknown, which fails a rule with
  // age limits), and whether the principal's actor and the receiving actor
  // are public authorities (StoreOptions::public_authorities).
  Date today;
  std::optional<int> subject_age;
  bool actor_is_authority = false;
  bool recipient_is_authority = false;
};

struct Decision {
  bool allowed = false;
  // kOk when allowed; kConsentRequired when the only missing condition is a
  // consent basis; kPermissionDenied otherwise.
  StatusCode code = StatusCode::kPermissionDenied;
  // One line naming the rule applied or the missing condition, e.g. "not on
  // the case team".  Ids only; safe for the log and error messages.
  std::string reason;
  // What allowed it: "team", "grant", "author-actor", "action-owner",
  // "consent:<ids>",
  // "provision:<text>", "grant:<id>", "role:coordinator", "role:auditor",
  // "role:admin".  Empty when denied.
  std::string basis;
  // Legal-basis access (provision or grant): list it in audit review.
  bool flag_for_review = false;
  // kListCases: true if the caller must restrict the rows to cases where
  // the principal is on the team or holds an active grant.  kListEntries:
  // always true, and each row must also pass kReadEntry.
  bool restrict_rows = false;
};

// The access decision.  Default deny; every rule is in docs/access-rules.md.
Decision Decide(const AccessRequest& request);

// One consent version per party (the latest), as stored.
struct ConsentRecord {
  std::string id;
  bool party_is_youth = false;
  std::string guardian_id;  // when !party_is_youth
  std::vector<Actor> actors;
  std::vector<Category> categories;
  UnixSeconds valid_from = 0;
  Date valid_until;  // inclusive
  std::optional<UnixSeconds> withdrawn_at;
};

struct ConsentEvaluation {
  bool in_force = false;
  // When in force: the ids of the records that form the basis, one per
  // required party, in the order guardians..., youth.
  std::vector<std::string> consent_ids;
  // When not in force: why, naming every missing party, e.g. "guardian g1
  // has not consented; consent c7 withdrawn".  Ids only.
  std::string reason;
  // When not in force: the kind of the first failure (kConsentMissing,
  // kConsentWithdrawn, kConsentExpired or kConsentNotCovering).
  BasisKind failure = BasisKind::kConsentMissing;
};

// Whether consent is in force for moving category `c` from actor `from` to
// actor `to`, for a subject born `subject_birth`, as of `now`/`today`.
// `guardian_ids` are the guardians with custody.  A record counts only if
// both actors and the category are listed, valid_from <= now, today <=
// valid_until and it has no withdrawn_at.  Under ConsentPolicy::adult_age
// with no guardian registered the answer is "not in force": nobody could
// have consented for the youth, and the library cannot tell an orphan from a
// missing registration.
ConsentEvaluation EvaluateConsent(const ConsentPolicy& policy,
                                  Date subject_birth,
                                  const std::vector<std::string>& guardian_ids,
                                  const std::vector<ConsentRecord>& records,
                                  UnixSeconds now, Date today, Actor from,
                                  Actor to, Category c);

// The BasisState for a consent evaluation made for (from -> to, c).
BasisState ConsentBasis(const ConsentEvaluation& evaluation, Actor from,
                        Actor to, Category c);

}  // namespace internal
}  // namespace sspf

#endif  // SSPF_INTERNAL_POLICY_H_
