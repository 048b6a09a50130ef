// What the domain files (principals, subjects, cases, consent, entries)
// share: every operation runs through the operation runner; these are the
// facts one area gathers for another.
#ifndef SSPF_SRC_DOMAIN_DOMAIN_INTERNAL_H_
#define SSPF_SRC_DOMAIN_DOMAIN_INTERNAL_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "context/operation.h"
#include "context/sealed_reasons.h"
#include "keys/credential.h"
#include "keys/key_hierarchy.h"
#include "keys/keyring.h"
#include "log/replay_detail.h"
#include "util/text.h"

namespace sspf::internal {

// Consent of a case (consent.cpp): the latest version of every consent, as
// records for EvaluateConsent, and the evaluation for (from -> to, c).
// Every version is checked against the case's signed consent events
// (kIntegrityViolation naming the consent otherwise).
Result<std::vector<ConsentInfo>> LatestConsents(Session::Impl* impl, std::string_view case_id);
// A guardian's registration position, 1 the first (what --party guardian:N
// takes); kIntegrityViolation when the guardians table lacks it.  No name
// is read.
Result<int> GuardianPosition(Db* db, std::string_view guardian_id);
// The last day a consent recorded on `today` may run to: today plus
// max_months calendar months (at least 1), on the month's last day when the
// target month is shorter (31 March + 1 month: 30 April).
Date ConsentLatestEnd(Date today, int max_months);
ConsentRecord ToRecord(const ConsentInfo& c);
// The subject id and birth date of a case's youth; kNotFound if no such case.
Result<std::pair<std::string, Date>> CaseSubjectBirth(Db* db, std::string_view case_id);
// The facts a provision rule needs for case_id (its youth's age today) and
// the configured rule `provision` names (its id or citation), into basis.
// Leaves basis.rule unset when none is configured (Decide denies it).
Status AddProvisionFacts(Session::Impl* impl, std::string_view case_id,
                         std::string_view provision, AccessRequest* request,
                         BasisState* basis);
Result<ConsentEvaluation> EvaluateCaseConsent(Session::Impl* impl, std::string_view case_id,
                                              const std::vector<ConsentRecord>& records,
                                              Actor from, Actor to, Category c);

// Entries (entries.cpp).
// Session::AddEntry, with the kCreateEntry fact of a plan status document
// (the action's owner; plan.cpp) when it is one.
Result<std::string> AddEntryWith(Session::Impl* impl, std::string_view case_id,
                                 Category category, std::string_view body,
                                 std::optional<std::string> supersedes,
                                 std::optional<AccessRequest::ActionOwner> status_of_action);
// What actor `to` holds of an entry now, by its disclosure rows each
// re-evaluated as a read would (revocations checked against the log): a
// disclosure whose basis is in force (readable), and whether one was
// revoked.  No decision and nothing logged: plan share decides each
// disclosure it makes.
struct EntryHolding {
  bool readable = false;
  bool revoked = false;
};
Result<EntryHolding> HoldingOf(Session::Impl* impl, std::string_view entry_id, Actor to);

// Case numbers (case_numbers.cpp, issue 14).
// The number the next case opened at `now` gets.
Result<std::string> NextCaseNumber(Session::Impl* impl, UnixSeconds now);
// Every case's number as the access log gives it: case id -> number.
Result<std::map<std::string, std::string>> LoggedCaseNumbers(Session::Impl* impl);
// Only the cases opened in `year` (one range of the index), counted once per
// session and resumed after the last counted event.  The map belongs to the
// session: it is valid until the session's next call that counts a year.
Result<const std::map<std::string, std::string>*> LoggedCaseNumbersOfYear(Session::Impl* impl,
                                                                          int year);
// The year of a case number "YYYY-..."; nullopt when it has none (then the
// number matches no logged one).
std::optional<int> CaseNumberYearOf(std::string_view number);
// kIntegrityViolation naming the first case whose number differs from
// `logged`.
Status CheckCaseNumbers(const std::map<std::string, std::string>& logged,
                        const std::vector<CaseInfo>& cases);
// The case with the number (normal form), checked against the log and its
// signed case.open event; nullopt when no case has it.
Result<std::optional<std::string>> CaseIdByNumber(Session::Impl* impl, std::string_view number);

// The youth's name decrypted (subjects.cpp); nullopt once retention erased
// it.  No decision: the caller decided that it may be seen.
Result<std::optional<std::string>> SubjectName(Session::Impl* impl, std::string_view subject_id);
// Whether this principal may see the youth's identity without a flagged
// access: coordinators, and members on a team of one of the youth's cases
// (Decide for kFindSubject, the same rule as subject show).
Result<bool> MaySeeIdentity(Session::Impl* impl, std::string_view subject_id);

// Lifecycle (lifecycle.cpp, issue 12).
// kIntegrityViolation when the access log holds a signed entry.revoke of
// the disclosure (its row's revoked column was cleared).
Status CheckNotRevoked(Session::Impl* impl, std::string_view disclosure_id);
// The ids of the subject's guardians with custody, in their order, each
// guardian's custody checked against its signed guardian.custody events
// (kIntegrityViolation when a row's flag differs from the log).
Result<std::vector<std::string>> GuardiansWithCustody(Session::Impl* impl,
                                                      std::string_view subject_id);
// An entry's case and author actor, its row checked against its signed
// entry.add (entries.cpp).  kNotFound when there is no such entry.
struct EntryHead {
  std::string case_id;
  Actor author_actor = Actor::kSchool;
};
Result<EntryHead> CheckedEntryHead(Session::Impl* impl, std::string_view entry_id);

// Creates the first key pair of an actor, certifies it (the session holds
// the authority key) and seals it to one principal (principals.cpp).
Status CreateActorKey(Session::Impl* impl, Actor a, const std::string& principal_id,
                      const Bytes& principal_pk);
// Stores the seal of actor-key version (a, version) for one principal.
Status InsertActorKeySeal(Db* db, Actor a, int64_t version, const std::string& principal_id,
                          const Bytes& sealed);

// The newest version of the actor's key, checked against its certificate
// (entries.cpp).  kIntegrityViolation for a planted key version,
// kFailedPrecondition when the actor has no key yet.
Result<std::pair<int64_t, Bytes>> CurrentActorKey(Session::Impl* impl, Actor actor);

// Reasons (reasons.cpp, DESIGN §13).
// Creates, certifies and seals to auditor `auditor_id` a new oversight-key
// version, unless the newest version exists and some principal holds a
// seal of it (the session holds the authority key).
Status EnsureOversightKey(Session::Impl* impl, const std::string& auditor_id,
                          const Bytes& auditor_pk);
// Encrypts `text` as the reason of row (table, row_id), seals its key to
// the current certified keys of `actors` and to the certified oversight key
// (none before the first auditor), and returns the commitment for the
// event's replay detail: 64 hex characters, or "-" for an empty text
// (nothing stored).  kIntegrityViolation if a seal target is not certified.
Result<std::string> SealReason(Session::Impl* impl, std::string_view table,
                               const std::string& row_id, std::string_view text,
                               std::vector<Actor> actors);

// The spec of a listing of a case's sealed texts (reasons, purpose notes):
// an audit read for auditors, a case view for everyone else (reasons.cpp).
OpSpec SealedListingSpec(Session::Impl* impl, Action action, std::string_view case_id);

// Purpose notes (purpose_notes.cpp).
// The code of a stated purpose (NormalizePurpose with the store's list),
// after checking the note's text; kInvalidArgument for a bad code, a bad
// note, or a note without a code.  Nothing is logged or written.
Result<std::string> StatedPurpose(Session::Impl* impl, const Purpose& purpose);
// Stores a non-empty note encrypted (sealed to this principal's actor and
// the auditors) and returns the event's purpose field; for an empty note,
// the code.
Result<std::string> WritePurposeNote(Session::Impl* impl, const std::string& code,
                                     std::string_view note);
// Retention (retention.cpp): for an entry whose body is gone,
// kFailedPrecondition when a signed retention.erase event of its case
// names it, kIntegrityViolation otherwise (a direct edit).
Status ErasedEntryAtUse(Session::Impl* impl, const std::string& case_id,
                        const std::string& entry_id);
// For an entry that has its body: kIntegrityViolation when a
// retention.erase event of its case names it (an erased body restored).
Status NotErasedAtUse(Session::Impl* impl, const std::string& case_id,
                      const std::string& entry_id);
// kFailedPrecondition when a signed retention.erase event erased the case
// (nothing may be added to it again: reopen, consent confirm).
Status CaseNotErasedAtUse(Session::Impl* impl, const std::string& case_id);
// The retention verdict of every entry of one case not yet erased, as
// PlanRetention gives it with no rule decided (retention.cpp; for `due`).
// Not decided and not logged: the caller lists only the entries it may read.
Result<std::vector<RetentionPlanEntry>> CaseRetention(Session::Impl* impl,
                                                      const std::string& case_id);
// The subject's first allowed subject.add event (subjects.cpp), its
// signature checked: the event that registered it (an insider appends
// after it, never before).  kIntegrityViolation when the log holds none.
Result<EventRecord> SignedSubjectAdd(Session::Impl* impl, std::string_view subject_id);
}  // namespace sspf::internal

#endif  // SSPF_SRC_DOMAIN_DOMAIN_INTERNAL_H_
