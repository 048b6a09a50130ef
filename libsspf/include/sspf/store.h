// Copyright (c) libsspf authors.
//
// The store: an encrypted SSPF case register with its tamper-evident access
// log.  Store::Create makes a new store and its keyring; Store::Open unlocks
// it as one principal and returns a Session, through which every operation
// goes.  Every operation is decided by the access policy and written to the
// access log in the same transaction (DESIGN §3, §6).
//
// Files: <path> (SQLCipher database) and <path>.keyring (the root key
// wrapped per principal).  Both are needed; neither reveals anything without
// a principal's passphrase or key.  Create, Open and ResetWithRecoveryKey
// return kInvalidArgument ("... is a symbolic link; give the real path"),
// before they read or write any file, when either path is a symbolic link:
// a link planted by another local user could redirect the store.
#ifndef SSPF_STORE_H_
#define SSPF_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/options.h"
#include "sspf/plan.h"
#include "sspf/policy.h"
#include "sspf/records.h"
#include "sspf/report.h"
#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {

class Session;
namespace internal {
struct SessionAccess;
}  // namespace internal

// Static entry points; no state.
class SSPF_EXPORT Store {
 public:
  // Creates a new store and keyring at options.path with one admin principal
  // (actor coordination, role admin) unlocked by credential.
  // kAlreadyExists if the store or keyring file exists; kIoError if the
  // directory is not writable.  Nothing is left behind on failure.
  static Result<InitResult> Create(const StoreOptions& options,
                                   std::string_view admin_name,
                                   const Credential& credential);

  // Unlocks the store as principal.  kWrongKey for a wrong passphrase or
  // key, or a file that is not an sspf store; kNotFound is never returned
  // for an unknown principal (indistinguishable from a wrong passphrase);
  // kPermissionDenied for a disabled principal; kIntegrityViolation for a
  // tampered keyring.  The attempt is written to the access log.
  static Result<Session> Open(const StoreOptions& options,
                              std::string_view principal,
                              const Credential& credential);
  static Result<Session> Open(const StoreOptions& options,
                              std::string_view principal,
                              KeyProvider& keys);

  // Sets a new credential for principal using the recovery key printed at
  // init.  The principal's old key pair is replaced; actor keys are delivered
  // to it again the next time another member of its actor unlocks.
  static Status ResetWithRecoveryKey(const StoreOptions& options,
                                     const SecretBytes& recovery_key,
                                     std::string_view principal,
                                     const Credential& new_credential);
};

// The short fingerprint of a trust anchor, to compare by eye or over the
// phone: the first 16 bytes of SHA-256(public_key) as 32 lowercase hex
// digits in 8 groups of 4 joined by '-' ("3f2a-9c01-...").  The same as
// `base64 -d | sha256sum | cut -c1-32` of the base64 key, without the dashes.
// Pin the whole key (TrustAnchorInfo::public_key) where a program compares.
SSPF_EXPORT std::string TrustAnchorFingerprint(const std::vector<uint8_t>& public_key);

// One unlocked principal working on a store.  Every call is decided by the
// access policy and logged.  Move-only.
//
// Thread-safety: a Session is NOT safe for concurrent use; use one Session
// per thread (each has its own connection).  Sessions in several threads or
// processes may write the same store at once; a writer waits for the others
// and returns kBusy only after the busy timeout.
class SSPF_EXPORT Session {
 public:
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  // The unlocked principal (whoami).
  const PrincipalInfo& principal() const;
  const std::string& store_id() const;

  // The trust anchor pinned in this principal's keyring entry (DESIGN §13):
  // the store authority's Ed25519 public key that every certificate this
  // session relies on is checked against.  It is the key an admin or an
  // auditor pins out of band at init (InitResult::trust_anchor): compare the
  // two to learn that nobody has given this principal another anchor.  Read
  // from the session's memory; not logged, never fails.
  TrustAnchorInfo TrustAnchor() const;

  // ---- Batching ----------------------------------------------------------
  // Between BeginBatch and CommitBatch all operations share one transaction
  // (for bulk reads).  Their log events become durable at CommitBatch;
  // content read inside a batch has been returned before then, so a crash
  // inside a batch loses the log of those reads: use only where that is
  // acceptable.  AbortBatch rolls everything back.
  Status BeginBatch();
  Status CommitBatch();
  void AbortBatch();

  // ---- Principals (admin) ------------------------------------------------
  // Adds a principal.  Returns its id.  Role admin may add anyone.
  Result<std::string> AddPrincipal(std::string_view name, Actor actor,
                                   Role role, const Credential& credential);
  Result<std::vector<PrincipalInfo>> ListPrincipals();
  // The active staff (principals with role member or coordinator) of
  // `actor`, or of every actor: id, name, actor and role as each one's
  // certificate says, ordered by actor then name; no disabled principals,
  // no creation times, no history.  For coordinators building a team (and
  // admins); members and auditors are denied.  Logged as staff.list.
  // kIntegrityViolation when a row disagrees with its certificate.
  Result<std::vector<StaffMember>> ListStaff(std::optional<Actor> actor = {});
  // Disables (never deletes) a principal: it can no longer unlock.
  Status DisablePrincipal(std::string_view name);
  // Changes this principal's own credential; the old one stops working.
  Status ChangeCredential(const Credential& new_credential);

  // ---- Actor keys (admin) ------------------------------------------------
  // Makes the next version of actor a's key, certifies it and seals it only
  // to a's principals whose newest certificate says active member or
  // coordinator of a; the admin never holds it.  New entries of a use it
  // from now on.  Logged (key.rotate); not inside a batch.  Returns the
  // new version.
  Result<int64_t> RotateActorKey(Actor a);
  // Run by an active member or coordinator of an actor: re-seals every
  // entry key held for its actor under an older key version to the newest
  // version, in batches of a fixed size, each batch one transaction and one
  // logged event (key.rewrap), so that an interruption at any point leaves
  // every entry readable and running it again finishes the job.  progress,
  // if set, is called after each batch with the keys done and the total.
  // Not inside a batch.  Returns the number of entry keys re-sealed.
  Result<uint64_t> RewrapEntryKeys(
      const std::function<void(uint64_t done, uint64_t total)>& progress = {});

  // ---- Store rekey (admin) -----------------------------------------------
  // Gives the store a new root key (DESIGN §13), so that a copy of an older
  // keyring, or a root key someone kept, no longer opens the store: a new
  // SQLCipher key for every page, the new root key sealed to each active
  // principal's certified key (their credentials stay as they are), and a
  // new recovery key; the old recovery key stops working.  Needs the store
  // alone: kBusy while any other session has it open.
  //
  // keep_recovery_key receives the new recovery key (32 bytes) once the new
  // keyring is durable and before the database changes; it must store or
  // show it durably, or return an error to abandon the rekey (nothing
  // changes).  From its return on, an interruption (kill -9, power loss)
  // is finished by the next open of the store by any principal, so the key
  // it kept is the one that counts.  progress, if set, is called after each
  // of the steps (keyring written, recovery key kept, database rekeyed and
  // logged).  Logged: store.rekey begun, then completed.  Not in a batch.
  Result<RekeyResult> RekeyStore(
      const std::function<Status(const SecretBytes& recovery_key)>& keep_recovery_key,
      const std::function<void(uint64_t done, uint64_t total)>& progress = {});

  // ---- Subjects (the youth) ---------------------------------------------
  struct NewSubject {
    std::string personal_number;  // any accepted form; validated
    std::string name;
    std::vector<std::string> guardians;  // names
  };
  // Returns the subject with its new guardian ids.
  Result<SubjectInfo> AddSubject(const NewSubject& subject);
  // Finds a subject by personal identity number (blind index).
  Result<SubjectInfo> FindSubject(std::string_view personal_number);
  Result<SubjectInfo> ShowSubject(std::string_view subject_id);
  // Every registered youth whose name contains `name` (case-insensitive,
  // also for å, ä, ö and the other Latin-1 letters; empty: all), decrypted
  // in-process, ordered by name then id.  Coordinators only (the access
  // decision; others are denied and logged).  Logged as subject.list, one
  // event per listing, with the number of subjects found and neither the
  // search text nor any name.  Erased identities are left out.
  // kInvalidArgument for a search text that is not valid text.
  Result<std::vector<SubjectInfo>> ListSubjects(std::string_view name = {});
  // The guardian of the youth of case `case_id` named by `handle`: a
  // position ("1" is the first registered) or a name that exactly one of
  // the youth's guardians has (case-insensitive).  Decided and logged as
  // subject show of the youth (it reads the guardians' names).
  // kInvalidArgument when no guardian or more than one has that name, or
  // the position is out of range: the message names the positions, never a
  // name.  kNotFound for an unknown case.
  Result<GuardianMatch> ResolveGuardian(std::string_view case_id, std::string_view handle);
  // Records that a guardian has custody (vårdnad) of the youth or not
  // (coordinators; logged as guardian.custody, replayed by audit verify and
  // checked at use).  Only guardians with custody must consent (DESIGN §3);
  // every guardian has custody when registered.  kNotFound (no such
  // guardian of that subject, not logged); kFailedPrecondition when the
  // guardian's custody already is `custody` (logged as a failure).
  Status SetGuardianCustody(std::string_view subject_id, std::string_view guardian_id,
                            bool custody);

  // ---- Cases (ärenden) -------------------------------------------------
  Result<std::string> OpenCase(std::string_view subject_id,
                               const std::vector<std::string>& team);
  Result<std::vector<CaseInfo>> ListCases();
  Result<CaseInfo> ShowCase(std::string_view case_id);
  Status CloseCase(std::string_view case_id);
  // Opens a closed case again (a coordinator on its team; case.reopen).
  // kFailedPrecondition when it is open.
  Status ReopenCase(std::string_view case_id);
  Status AddTeamMember(std::string_view case_id, std::string_view principal);
  // Takes a principal off the case team (a coordinator on the team;
  // case.team_remove): its access through the team ends at once.
  // kNotFound for an unknown principal, kFailedPrecondition when it is not
  // on the team or is the last coordinator on it.
  Status RemoveTeamMember(std::string_view case_id, std::string_view principal);

  // ---- Consent (samtycke) -----------------------------------------------
  // Records a consent version (a case team member).  The consent must not
  // be general: it names at least two actors, the information categories
  // and a purpose code (StoreOptions::purposes: the kind of collaboration;
  // a label is stored as its code), and
  // lasts at most StoreOptions::consent_max_months calendar months from today
  // (kInvalidArgument otherwise, saying what to do).  Only the youth or a
  // guardian with custody may consent.  A non-empty form_ref is recorded as
  // the recording actor's own reference (as ConfirmConsent).
  Result<std::string> GrantConsent(const ConsentInput& consent);
  Status WithdrawConsent(std::string_view consent_id);
  // Records this principal's actor's own reference to a consent (each
  // authority documents the consent itself; consent.confirm).  A second
  // confirmation by the same actor is kAlreadyExists.  The reference is
  // stored in the table, never in the log (the leaf holds a commitment).
  Status ConfirmConsent(std::string_view consent_id, std::string_view reference);
  Result<std::vector<ConsentInfo>> ListConsents(std::string_view case_id);

  // ---- Entries ------------------------------------------------------------
  // Adds an immutable entry authored by this principal's actor.  A
  // correction names the entry it supersedes.
  Result<std::string> AddEntry(std::string_view case_id, Category category,
                               std::string_view body,
                               std::optional<std::string> supersedes = {});
  Result<std::vector<EntryInfo>> ListEntries(std::string_view case_id);
  // Reads an entry.  purpose: a code of StoreOptions::purposes or one of
  // its labels (NormalizePurpose), or empty; the log records the code.
  // kInvalidArgument for any other purpose (not logged).
  Result<EntryContent> ReadEntry(std::string_view entry_id,
                                 std::string_view purpose = {});
  // The same with an optional purpose note (Purpose).  A note is stored
  // encrypted before the decision, so a denied read keeps its note too;
  // the event's purpose field is "<code> note=<id> commitment=<64 hex>"
  // (docs/audit-log-format.md).  kInvalidArgument for a note without a
  // code, or a note that is not valid text.
  Result<EntryContent> ReadEntry(std::string_view entry_id, const Purpose& purpose);
  // Makes an entry readable to another actor.  Returns the disclosure id.
  Result<std::string> DiscloseEntry(std::string_view entry_id, Actor to,
                                    const DisclosureBasis& basis);
  // Revokes a disclosure (a member of the disclosing actor who may work on
  // the case; entry.revoke): the receiving actor's reads under it stop at
  // once, and the entry key sealed to that actor is deleted unless another
  // disclosure not revoked still covers it.  kNotFound (no such
  // disclosure, not logged); kFailedPrecondition when already revoked.
  Status RevokeDisclosure(std::string_view disclosure_id);
  // Time-limited access to a case without consent, under a legal provision.
  Result<std::string> GrantEmergency(std::string_view case_id,
                                     std::string_view provision,
                                     std::string_view reason, int hours);
  // The same, returning the grant with its end time (GrantInfo::until).
  Result<GrantInfo> GrantEmergencyInfo(std::string_view case_id, std::string_view provision,
                                       std::string_view reason, int hours);
  // Ends a legal-basis grant before its end time (its holder, or a
  // coordinator on the case team; grant.end).  kNotFound (no such grant,
  // not logged); kFailedPrecondition when it has ended or expired.
  Status EndGrant(std::string_view grant_id);
  // The reasons (motiveringar) of every disclosure of the case's entries
  // and every emergency grant of the case, oldest first (DESIGN §13).  A
  // reason is decrypted when this session holds a key it is sealed to:
  // members of the deciding or receiving actor through their actor key,
  // auditors through the oversight key; otherwise reason is empty and
  // reason_sealed true.  Allowed for auditors (audit read) and for
  // principals who may see the case; logged as reason.list.  Errors:
  // kNotFound (no such case), kPermissionDenied (logged), and
  // kIntegrityViolation when a decrypted reason does not match its
  // commitment (a replaced ciphertext).
  Result<std::vector<ReasonInfo>> ListReasons(std::string_view case_id);
  // The purpose notes of the case's reads, oldest first.  A note is
  // decrypted for members of the reader's actor and for auditors (the
  // oversight key); otherwise note is empty and note_sealed true; an erased
  // note has erased true.  Allowed like ListReasons; logged as
  // purpose_note.list.  Errors as ListReasons.
  Result<std::vector<PurposeNoteInfo>> ListPurposeNotes(std::string_view case_id);

  // The record whose id starts with `prefix`, as in git: at least 6 hex
  // digits (either case), among subjects, guardians, cases, consents,
  // entries, disclosures, grants and purpose notes.  A full 32-digit id
  // comes back with its kind when it exists.  NotFound when nothing has the
  // prefix; InvalidArgument when it is shorter than 6 digits, not hex, or
  // ambiguous (the message lists up to 10 candidates by kind and id, so the
  // caller can type more digits).  Not logged and not decided: ids are
  // random and carry no personal data, every principal can already read
  // them in the database file (DESIGN §13), and whatever is then done with
  // the id is decided and logged as before.
  //
  // A case number ("2026-0042", or "2026-42") is accepted too and comes
  // back as kind "case" with the full id, checked at use against the
  // signed log: kIntegrityViolation when the cases table numbers another
  // case than the log does (a direct edit), NotFound when no case has it.
  Result<IdMatch> ResolveId(std::string_view prefix);
  // Erases a purpose note: its ciphertext and key seals are deleted, its
  // commitment stays, so the log still verifies.  Allowed for the note's
  // author and for coordinators who may see its case; logged as
  // purpose_note.erase (target "note:<id>").  kNotFound (no such note, not
  // logged), kPermissionDenied (logged), kFailedPrecondition (already
  // erased, logged as a failure).
  Status ErasePurposeNote(std::string_view note_id);

  // ---- The joint plan (åtagandeplan) and meetings (sspf/plan.h) ---------
  // Each write is one entry of the case (category plan, or meeting for a
  // meeting) written as AddEntry writes it, and then disclosed as
  // DiscloseEntry discloses, on the consent in force, to every other actor
  // on the case team that a consent covers for that category; the entry and
  // its disclosures are one transaction: a failure leaves nothing, except
  // that a denial is kept in the log (and, when only a disclosure was
  // denied, the entry too; the message says so).  Written
  // by the coordination actor or a coordinator on the case team (the rule
  // of plan and meeting entries).  Text is checked like entry text.
  // Returns the new entry and the actors it was disclosed to.
  Result<PlanWrite> AddPlanGoal(std::string_view case_id, std::string_view text);
  // The goal is looked up in the plan as ShowPlan reads it (each plan entry
  // read is logged).  kInvalidArgument when goal_id is not a goal of the
  // case that this session can read, or the principal is not an active
  // member or coordinator of actor owner.
  Result<PlanWrite> AddPlanAction(const NewPlanAction& action);
  // Marks an action done: a new plan entry (a status document naming the
  // action) in the action's case; the action's entry never changes.  The
  // action and the plan are read first (logged) to find its case and state.
  // Written by the plan's writers or, besides them, by a team member of
  // the action's owner actor (its named principal, when it names one):
  // the policy's rule 4.2a (docs/access-rules.md); the status entry is then
  // that actor's.  kInvalidArgument when the entry is not a plan action;
  // kFailedPrecondition when it is already done.
  Result<PlanWrite> MarkPlanActionDone(std::string_view action_id);
  // kInvalidArgument for no attendees, a repeated attendee, or a next
  // follow-up before the meeting's date.
  Result<PlanWrite> AddMeeting(const NewMeeting& meeting);
  // What this session may read of the case's plan: the case's entries are
  // listed (entry.list, which decides the case access) and every plan and
  // meeting entry of the case is read (entry.read, decided and logged one
  // by one, like ReadEntry).  An entry this session may not read is left
  // out, its denial logged; when none can be read the first denial is
  // returned (kConsentRequired or kPermissionDenied) and nothing else: a
  // reader outside the team or the consent's actors gets no plan.
  // kIntegrityViolation when a plan entry fails its at-use checks (a
  // forged, replaced or moved row) or its body is a broken plan document.
  // CasePlan::unshared counts what SharePlan would disclose now.
  Result<CasePlan> ShowPlan(std::string_view case_id);
  // Shares the plan after a new consent or team member: every plan and
  // meeting entry of the case by this session's actor is disclosed, as
  // DiscloseEntry discloses (decided by the policy, logged, one disclosure
  // on the consent in force), to every team actor that a consent in force
  // covers for it and that holds no disclosure of it in force.  Never under
  // a withdrawn or expired consent; a revoked disclosure is not made again
  // (entry disclose does that, deliberately).  One transaction; idempotent:
  // a second run discloses nothing.  Not automatic on consent record or
  // team add (docs/access-rules.md, "The joint plan", says why).
  Result<PlanShare> SharePlan(std::string_view case_id);
  // What is due for this principal within `days` days (0..366) from today:
  // in every case whose team it is on, the open actions that are overdue
  // or due, the next follow-up, the consents whose last day is near, and
  // the retention deadlines of the entries it may read; for an admin, the
  // retention deadlines of the retention plan (PlanRetention).  Built from
  // the decided and logged calls above (case.list, entry.list, entry.read,
  // consent.list, retention.plan): it lists only what the caller may read.
  Result<DueReport> Due(int days);

  // ---- Retention (gallring, admin) ---------------------------------------
  // The dry run: every entry not yet erased with the rule that decides it
  // and its state and deadline, the cases a run would mark fully erased and
  // the subjects whose identity it would erase (docs/retention.md).
  // request.decision may be empty; request.decided_rules names kDecision
  // rules to plan as decided.  Decided like every admin operation (role
  // admin only; others are denied and logged) and logged as retention.plan.
  // kInvalidArgument for rules that do not validate, an unknown or
  // non-decision rule in decided_rules, or a malformed decision.
  Result<RetentionPlan> PlanRetention(const RetentionRequest& request = {});
  // Executes the erasure decision request.decision (required): logs
  // retention.run, then erases case by case, each case one transaction and
  // one retention.erase event (an interruption leaves each case before or
  // after; running again finishes), then signs a checkpoint, truncates the
  // WAL and vacuums (RetentionRunResult::compacted is false when another
  // connection kept the WAL from being truncated: run again when it is
  // closed).  Erases entry bodies and their key seals and disclosure
  // reasons; the grant reasons and purpose notes of fully erased cases; the
  // identity, birth date, blind index and guardian names of a subject once
  // every case of it is fully erased.  Leaves tombstones; the access log
  // keeps every event.  Role admin only; not inside a batch
  // (kFailedPrecondition).  progress, if set, is called after each case.
  // Errors as PlanRetention.
  Result<RetentionRunResult> RunRetention(
      const RetentionRequest& request,
      const std::function<void(uint64_t done, uint64_t total)>& progress = {});

  // ---- Access log (auditor) ----------------------------------------------
  // Makes and signs a checkpoint now; returns the signed note.
  Result<std::string> Checkpoint();
  // The C2SP verifier key line: name+hex8+base64(0x01 || pubkey).
  Result<std::string> VerifierKey();
  // kIntegrityViolation, with one line saying what failed, on any failure.
  Result<VerifyReport> Verify(const VerifyOptions& options);
  // Inclusion proof of event `index` in the tree of the given checkpoint
  // (or the current tree).
  Result<InclusionProof> Prove(uint64_t index,
                               std::optional<std::string> checkpoint = {});
  // RFC 6962 consistency proof between two signed checkpoints of this
  // store's log (audit consistency), for an auditor who kept the older one
  // and has been given the newer one.  Both must verify as checkpoints of
  // this store, and their roots must be the log's tree at their sizes;
  // the proof is checked before it is returned.  Logged as audit.prove
  // (target "consistency").  kInvalidArgument if the old checkpoint is
  // larger than the new one; kIntegrityViolation, with one line naming the
  // checkpoint ("old" or "new") that fails, on any other failure.
  Result<ConsistencyProof> Consistency(std::string_view old_checkpoint,
                                       std::string_view new_checkpoint);
  Result<std::vector<AuditEvent>> QueryEvents(const AuditFilter& filter);
  // Streams one line per event (no trailing newline) to sink.
  Status ExportEvents(const AuditFilter& filter, ExportFormat format,
                      const std::function<Status(std::string_view)>& sink);
  // Writes the whole access log as a C2SP tlog-tiles directory (audit
  // export --tiles; docs/audit-log-format.md, "Tiles export"): verifies
  // the log as Verify does (its own event included), then writes, from the
  // same snapshot, the signed checkpoint of the verified tree as
  // dir/checkpoint (the one stored for that size, or a new one, signed
  // only now and stored), the hash tiles (tile/<L>/<N>[.p/<W>]) from the
  // stored subtree hashes, each recomputed from the events first, and the
  // entry bundles (tile/entries/<N>[.p/<W>]) of the leaves' exact bytes.  Auditor only;
  // logged as audit.export (target "tiles").  The directory appears whole
  // or not at all.  kInvalidArgument (no dir, dir is not a directory),
  // kAlreadyExists (dir is not empty), kNotFound (its parent is missing),
  // kIntegrityViolation, with one line saying what failed, when the log
  // does not verify (nothing is written), kIoError when writing fails.
  Result<TileExportReport> ExportTiles(const TileExportOptions& options);
  // Loggutdrag: every event touching the subject, its cases and entries.
  Result<std::vector<AuditEvent>> ExtractSubject(std::string_view subject_id);
  // The same extract for the youth and the family (sspf/report.h): one
  // plain-language line per access in options.language, with the basis,
  // refusals and failures, local time; no content, no purpose notes, no
  // other person's data.  Logged as audit.extract, like ExtractSubject.
  // kNotFound (no such subject), kInvalidArgument (a youth name that is
  // not valid text, until <= since, an unknown language).
  Result<LogExtract> ExtractSubjectReport(std::string_view subject_id,
                                          const ExtractOptions& options);
  // Every flag over the whole log (the flag list of Review(ReviewOptions{})).
  Result<std::vector<ReviewFlag>> Review();
  // The scoped review (loggkontroll, docs/auditing.md): the flags raised by
  // the events in [since, until) of the principal (by name) and actor given,
  // each with its time, principal name, actor, case, target and sign-off;
  // summaries per principal, actor and action by day or week; the top
  // readers per case; and the closed periods that overlap the scope.
  // Auditor only; logged as audit.review.  kInvalidArgument for since >=
  // until or an unknown flag kind; kNotFound for an unknown principal name.
  // The rules that need history (bursts, reads after a withdrawal or after
  // leaving a team) look at events before `since` too.
  Result<ReviewReport> Review(const ReviewOptions& options);
  // Signs off the flags raised by event `seq` (audit ack): a log event
  // audit.ack by this auditor (target "event:<seq>"), signed like every
  // event, with the note stored encrypted for the auditors only (the
  // oversight key) and a salted commitment of it in the leaf.  Replayed by
  // Verify: a deleted or forged acknowledgement is kIntegrityViolation.
  // Auditor only.  kInvalidArgument for an empty or invalid note;
  // kNotFound when no event `seq` exists; kFailedPrecondition when event
  // `seq` raises no flag; kAlreadyExists when it is already acknowledged.
  Result<ReviewAck> AcknowledgeFlag(uint64_t seq, std::string_view note);
  // Closes the review period from the previous closure's `until` (or the
  // log's start) to `until` (exclusive): a signed log event
  // audit.review.close recording the auditor, the period and how many of
  // its flags were open and acknowledged.  Replayed by Verify.  Auditor
  // only.  kInvalidArgument when `until` is not after the previous closure
  // or lies in the future.
  Result<ReviewClosure> CloseReview(UnixSeconds until);
  // Every version of every principal's certificate, ordered by principal id
  // and version, each checked against the trust anchor pinned in this
  // session's keyring entry and bound to this store (auditor; logged as
  // audit.query with target "certificates").  kIntegrityViolation naming
  // the principal and version of the first certificate that does not
  // verify.  With the event export, lets an auditor check every event's
  // signature without the library (docs/auditing.md).
  Result<std::vector<PrincipalCertificate>> ListCertificates();

  struct Impl;  // private to the library (src/context/session_impl.h)

 private:
  friend class Store;
  friend struct internal::SessionAccess;  // the library's own layers and tests
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sspf

#endif  // SSPF_STORE_H_
