// Copyright (c) libsspf authors.
//
// The one JSON encoding of libsspf's public records (docs/json-schema.md).
// Every function returns one complete JSON document: a single line of UTF-8
// without a trailing newline, an object whose first member is
// "schema_version": kJsonSchemaVersion.  sspf-tool prints exactly these
// documents for --json and `audit export --format jsonl` writes one event
// document per line, so a host gets the same shape from every entry point.
//
// The conventions, the same in every document:
//   * times are RFC 3339 UTC strings, "2026-12-01T07:47:34Z"; dates are
//     "YYYY-MM-DD";
//   * hashes and other bytes are standard, padded base64 (RFC 4648 §4);
//   * a value that is absent (an unset optional, a string the library keeps
//     empty because there is none: no purpose, no case, ...) is null; the key
//     is always there;
//   * actors, roles, actions and categories by their names (ActorName, ...);
//     a value with no name (only in a tampered store) as its decimal number
//     in a string;
//   * booleans as booleans ("allowed": true), counts as numbers;
//   * text that is not valid UTF-8 (only in a tampered store) is written
//     with U+FFFD in place of the bad bytes; nothing throws.
//
// A record inside a list document ({"schema_version":1,"events":[...]}) is
// the same object as the record's own document without "schema_version".
//
// Thread-safety: every function is a pure function of its arguments and is
// safe to call from any thread.
//
// Secrets: the documents hold ids, codes and times, except where noted below
// (a subject's identity, guardian names, an entry body, the recovery key of
// InitJson); the caller wipes those strings (SecureWipe) when done.
#ifndef SSPF_JSON_H_
#define SSPF_JSON_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/policy.h"
#include "sspf/options.h"
#include "sspf/plan.h"
#include "sspf/records.h"
#include "sspf/report.h"
#include "sspf/status.h"
#include "sspf/witness.h"

namespace sspf {

// Bumped when a document changes in a way an existing reader could misread:
// a key removed or renamed, a type or meaning changed.  Adding a key does
// not bump it (readers must ignore keys they do not know).
inline constexpr int kJsonSchemaVersion = 1;

// ---- Access log -------------------------------------------------------------
// {"schema_version","seq","time","principal_id","actor","role","action",
//  "target","allowed","reason","basis","purpose","case_id","subject_id",
//  "detail","leaf","leaf_hash"}.  reason, basis, purpose, case_id,
// subject_id and detail are null when the log holds none (the empty string
// in the leaf).  The document of one line of `audit export --format jsonl`.
SSPF_EXPORT std::string EventJson(const AuditEvent& event);
// {"schema_version","events":[event...]} (audit query).
SSPF_EXPORT std::string EventListJson(const std::vector<AuditEvent>& events);
// The log extract of one subject (audit extract):
// {"schema_version","subject_id","events":[event...],
//  "principal_names":{"<principal id>":"<name>",...}}.  principal_names
// holds the principals of `principals` that occur in the events (an auditor
// who may not list principals passes none: the object is empty).
SSPF_EXPORT std::string SubjectExtractJson(std::string_view subject_id,
                                           const std::vector<AuditEvent>& events,
                                           const std::vector<PrincipalInfo>& principals);
// The log extract for the youth and the family (audit extract --format
// json; sspf/report.h): {"schema_version","kind":"log_extract",
// "subject_id","youth_name","language","issued","period_from",
// "period_until","lines":[{"seq","time","local_time","zone",
// "principal_id","principal_name","actor","organisation","action",
// "outcome","basis":{"kind","consent_parties","provision"},"purpose",
// "refusal","what_text","basis_label","basis_text","purpose_text","text"}
// ...]}.  youth_name, principal_name, purpose, refusal and purpose_text
// null when empty; basis null unless outcome is "allowed", its provision
// null when none.  With a youth name the document is personal data: wipe it.
SSPF_EXPORT std::string LogExtractJson(const LogExtract& extract);
// {"schema_version","tree_size","root","checkpoints_checked","events_checked",
//  "kept_checkpoint_consistent","kept_checkpoint_signer"}; the last two are
//  null unless
// kept_checkpoint_given (VerifyOptions::kept_checkpoint was set).
SSPF_EXPORT std::string VerifyReportJson(const VerifyReport& report,
                                         bool kept_checkpoint_given);
// {"schema_version","tree_size","root","tiles","entry_bundles","dir"} of an
// export as tlog-tiles (audit export --tiles); root base64.
SSPF_EXPORT std::string TileExportJson(const TileExportReport& report);
// {"schema_version","index","tree_size","leaf_hash","root","proof":[hash...]}.
SSPF_EXPORT std::string InclusionProofJson(const InclusionProof& proof);
// {"schema_version","old_size","new_size","old_root","new_root",
//  "proof":[hash...]} (audit consistency); hashes base64.
SSPF_EXPORT std::string ConsistencyProofJson(const ConsistencyProof& proof);
// Parses a ConsistencyProofJson document back (what a witness is given):
// schema_version 1, the five members with sizes as non-negative integers
// and hashes as canonical base64 of 32 bytes; other members are ignored.
// kInvalidArgument naming the first member that is wrong.
SSPF_EXPORT Result<ConsistencyProof> ConsistencyProofFromJson(std::string_view document);
// {"schema_version","name","verifier_key","key_file","public_key_file"}
// (audit witness init).
SSPF_EXPORT std::string WitnessKeyJson(const WitnessKey& key);
// {"schema_version","witness","origin","tree_size","previous_size",
//  "first_use","timestamp","note"} (audit witness cosign); timestamp as an
// RFC 3339 string, note the cosigned checkpoint.
SSPF_EXPORT std::string WitnessCosignatureJson(const WitnessCosignature& c);
// {"schema_version","kind","seq","principal_id","target","detail"}; detail
// null when empty.
SSPF_EXPORT std::string ReviewFlagJson(const ReviewFlag& flag);
// {"schema_version","flags":[flag...]} (audit review).
SSPF_EXPORT std::string ReviewFlagListJson(const std::vector<ReviewFlag>& flags);
// The scoped review (audit review --since/--until ..., docs/json-schema.md):
// {"schema_version","store_id","since","until","principal","actor",
//  "flag_kind","generated","tree_size","events_in_scope",
//  "flags":[flag...],"flags_open","flags_acknowledged",
//  "summary":{"by":"day"|"week","per_principal":[count...],
//             "per_actor":[count...],"per_action":[count...]},
//  "top_readers":[{"case_id","reads","readers":[{"principal_id","name",
//                  "actor","reads","denied","last"}...]}...],
//  "closures":[closure...]}
// where flag is the flag document above (without schema_version) with
// "time","principal_name","actor","role","action","allowed","case_id",
// "acknowledged" (bool) and "ack" (an ack object or null) added, count is
// {"period","period_start","key","name","events","denied","entry_reads",
// "accesses"}
// and closure the ReviewClosureJson object.  Unset scope values are null.
SSPF_EXPORT std::string ReviewReportJson(const ReviewReport& report);
// {"schema_version","seq","flagged_seq","time","auditor_id","auditor_name",
//  "note_id","note","note_sealed"} (audit ack); note null when sealed.
SSPF_EXPORT std::string ReviewAckJson(const ReviewAck& ack);
// {"schema_version","seq","time","auditor_id","auditor_name","since",
//  "until","flags_open","flags_acknowledged"} (audit review close).
SSPF_EXPORT std::string ReviewClosureJson(const ReviewClosure& closure);
// One version of a principal's certificate (Session::ListCertificates):
// {"schema_version","principal_id","name","actor","role","active","version",
//  "signing_key","certificate","certificate_signature"}; signing_key is the
// Ed25519 public key, certificate the exact certificate bytes (which contain
// signing_key), certificate_signature the store authority's signature of
// them, all base64.
SSPF_EXPORT std::string PrincipalCertificateJson(const PrincipalCertificate& certificate);
// {"schema_version","certificates":[certificate...]} (audit principals).
SSPF_EXPORT std::string PrincipalCertificateListJson(
    const std::vector<PrincipalCertificate>& certificates);
// {"schema_version","note","file"}: a signed checkpoint note and the file it
// was written to (null when none).
SSPF_EXPORT std::string CheckpointJson(std::string_view note,
                                       std::optional<std::string_view> file);
// {"schema_version","vkey"}.
SSPF_EXPORT std::string VerifierKeyJson(std::string_view vkey);

// ---- Store and principals ---------------------------------------------------
// {"schema_version","store_id","admin_id","recovery_key","trust_anchor"}.
// trust_anchor: result.trust_anchor in base64, to pin out of band.  The recovery key
// is never read from result.recovery_key: recovery_key is the text the caller
// shows the operator once (sspf-tool's 16 groups of 4 hex digits), or null
// when it went elsewhere (a file).  With a recovery key the document is a
// secret: wipe it.
SSPF_EXPORT std::string InitJson(const InitResult& result,
                                 std::optional<std::string_view> recovery_key);
// {"schema_version","store_id","public_key","fingerprint"}: the trust anchor
// one session holds (Session::TrustAnchor; `audit trust-anchor`);
// public_key in base64.
SSPF_EXPORT std::string TrustAnchorJson(const TrustAnchorInfo& anchor);
// {"schema_version","kind","id"}: what an id prefix names
// (Session::ResolveId; `sspf-tool id`).
SSPF_EXPORT std::string IdMatchJson(const IdMatch& match);
// {"schema_version","id","name","actor","role","active","created"}.
SSPF_EXPORT std::string PrincipalJson(const PrincipalInfo& principal);
// {"schema_version","principals":[principal...]}.
SSPF_EXPORT std::string PrincipalListJson(const std::vector<PrincipalInfo>& principals);
// A principal just added, whose creation time the caller does not have:
// {"schema_version","id","name","actor","role"}.
SSPF_EXPORT std::string PrincipalAddedJson(std::string_view id, std::string_view name,
                                           Actor actor, Role role);
// {"schema_version","name","active":false}.
SSPF_EXPORT std::string PrincipalDisabledJson(std::string_view name);
// {"schema_version","name","changed":true}.
SSPF_EXPORT std::string PassphraseChangedJson(std::string_view name);
// {"schema_version","name","reset":true}.
SSPF_EXPORT std::string RecoveryResetJson(std::string_view name);

// ---- Subjects, cases, consent, entries, grants ------------------------------
// {"schema_version","id","personal_number","name","birth_date",
//  "guardians":[{"id","name"}...]}.  Identity data: wipe the document.
SSPF_EXPORT std::string SubjectJson(const SubjectInfo& subject);
// A subject just registered, without its identity:
// {"schema_version","id","guardians":[{"id","name"}...]}.  Guardian names:
// wipe the document.
SSPF_EXPORT std::string SubjectAddedJson(const SubjectInfo& subject);
// {"schema_version","id","number","subject_id","subject_name","open",
//  "opened","closed","opened_by","opened_by_name","team","team_ids",
//  "team_disabled"}; closed null while open, subject_name null for those
// who may not see it, team the principal names and team_ids their ids.
// The youth's name is personal data: wipe the document.
SSPF_EXPORT std::string CaseJson(const CaseInfo& c);
// {"schema_version","cases":[case...]}.
SSPF_EXPORT std::string CaseListJson(const std::vector<CaseInfo>& cases);
// {"schema_version","subjects":[subject...]} (Session::ListSubjects).
// Identity data: wipe the document.
SSPF_EXPORT std::string SubjectListJson(const std::vector<SubjectInfo>& subjects);
// {"schema_version","staff":[{"id","name","actor","role"}...]}
// (Session::ListStaff).
SSPF_EXPORT std::string StaffListJson(const std::vector<StaffMember>& staff);
// {"schema_version","subject_id","guardian_id","position","custody"}
// (Session::ResolveGuardian).
SSPF_EXPORT std::string GuardianMatchJson(const GuardianMatch& match);
// {"schema_version","id","open":false}.
SSPF_EXPORT std::string CaseClosedJson(std::string_view case_id);
// {"schema_version","id","member"}: the case id and the principal name added.
SSPF_EXPORT std::string TeamMemberAddedJson(std::string_view case_id,
                                            std::string_view member);
// {"id", "open": true} after case reopen.
SSPF_EXPORT std::string CaseReopenedJson(std::string_view case_id);
// {"id", "member", "removed": true} after case team remove.
SSPF_EXPORT std::string TeamMemberRemovedJson(std::string_view case_id,
                                              std::string_view member);
// {"subject_id", "guardian_id", "custody"} after subject custody.
SSPF_EXPORT std::string GuardianCustodyJson(std::string_view subject_id,
                                            std::string_view guardian_id, bool custody);
// {"id", "revoked": true} after entry revoke.
SSPF_EXPORT std::string DisclosureRevokedJson(std::string_view disclosure_id);
// {"id", "ended": true} after grant end.
SSPF_EXPORT std::string GrantEndedJson(std::string_view grant_id);
// {"id", "actor", "confirmed": true} after consent confirm.
SSPF_EXPORT std::string ConsentConfirmedJson(std::string_view consent_id, Actor actor);
// {"schema_version","id","case_id","party","guardian_id","actors",
//  "categories","valid_from","valid_until","withdrawn_at","purpose",
//  "form_ref","version","recorded_by"}; party "youth" or "guardian",
// guardian_id null for the youth, withdrawn_at null unless withdrawn,
// purpose and form_ref null when none was recorded.
SSPF_EXPORT std::string ConsentJson(const ConsentInfo& consent);
// {"schema_version","consents":[consent...]}.
SSPF_EXPORT std::string ConsentListJson(const std::vector<ConsentInfo>& consents);
// {"schema_version","id","withdrawn":true}.
SSPF_EXPORT std::string ConsentWithdrawnJson(std::string_view consent_id);
// {"schema_version","reasons":[{"kind","id","case_id","entry_id","to",
//  "decided_by","provision","created","reason","reason_sealed"}...]}:
// kind "disclosure" or "grant"; entry_id and to null for a grant;
// provision null unless one was cited; reason the text, or null when none
// was given or this session cannot read it; reason_sealed true exactly
// when a reason exists that this session cannot read (DESIGN §13).
SSPF_EXPORT std::string ReasonListJson(const std::vector<ReasonInfo>& reasons);
// {"schema_version","purpose_notes":[{"id","seq","time","principal_id",
//  "case_id","target","code","commitment","note","note_sealed","erased"}
//  ...]}: note the text, or null when erased or not readable by this
// session; note_sealed true exactly when the text exists but this session
// cannot read it; commitment the 64 hex characters the log holds.
SSPF_EXPORT std::string PurposeNoteListJson(const std::vector<PurposeNoteInfo>& notes);
// {"schema_version","id","erased":true}.
SSPF_EXPORT std::string PurposeNoteErasedJson(std::string_view note_id);
// {"schema_version","purposes":[{"code","label_sv","label_en"}...]}: the
// purpose codes a read may state (StoreOptions::purposes).
SSPF_EXPORT std::string PurposeCodesJson(const std::vector<PurposeCode>& codes);
// {"schema_version","id","case_id","category","author","author_actor",
//  "created","supersedes","disclosed_to"}; supersedes null for an original.
SSPF_EXPORT std::string EntryJson(const EntryInfo& entry);
// {"schema_version","entries":[entry...]}.
SSPF_EXPORT std::string EntryListJson(const std::vector<EntryInfo>& entries);
// An entry read: the entry's fields, then "basis" and, with include_body,
// "body" (the text; invalid UTF-8 replaced).  Without include_body the key
// "body" is left out (the metadata of a read, for hosts that take the body
// as bytes).  With the body the document is content: wipe it.
SSPF_EXPORT std::string EntryContentJson(const EntryContent& content, bool include_body);
// {"schema_version","id","case_id","principal_id","provision","from","until"}.
SSPF_EXPORT std::string GrantJson(const GrantInfo& grant);
// {"schema_version","id"}: the id of what a command created (a case, a
// consent, an entry, a disclosure, an emergency grant).
SSPF_EXPORT std::string CreatedJson(std::string_view id);

// ---- Legal provisions ---------------------------------------------------------
// {"schema_version","provisions":[{"id","citation","summary","source",
//  "verified","directions":[{"from":[actor...],"to":[actor...]}...],
//  "subject_min_age","subject_age_under","requires_reason",
//  "requires_balancing","default_duration_seconds","max_duration_seconds",
//  "requires_public_authority","recipient_must_be_authority",
//  "in_force_from"}...]}: the rules of StoreOptions::legal_provisions
// (sspf-tool provisions).  subject_age_under, the two durations and
// in_force_from (a date) are null when the rule sets none.
SSPF_EXPORT std::string LegalProvisionListJson(
    const std::vector<LegalProvision>& provisions);

// ---- Errors -------------------------------------------------------------------
// {"schema_version","error":{"code","exit","message"}}: code is
// StatusCodeName(status.code()) ("permission_denied", "not_found", ...),
// exit the process exit code a tool returns for it (null when
// exit_code is not given), message status.message() (ids only, never
// content).  REQUIRES: !status.ok().
SSPF_EXPORT std::string ErrorJson(const Status& status,
                                  std::optional<int> exit_code = std::nullopt);

// ---- Actor keys ---------------------------------------------------------------
// {"schema_version","actor","version"}: the actor-key version a key rotate
// made (Session::RotateActorKey).
SSPF_EXPORT std::string KeyRotatedJson(Actor actor, int64_t version);
// {"schema_version","actor","rewrapped"}: how many of the actor's entry
// keys a key rewrap re-sealed to its newest version.
SSPF_EXPORT std::string EntryKeysRewrappedJson(Actor actor, uint64_t rewrapped);
// {"schema_version","generation","principals"}: the keyring generation a
// key rekey put in force and how many active principals received it.
SSPF_EXPORT std::string StoreRekeyedJson(const RekeyResult& result);

// ---- Retention (gallring) ------------------------------------------------------
// {"schema_version","rules":[{"id","actor","categories":[...],"from","years",
//  "birth_days":[...],"citation","summary","verified"}...]}: the rules of
// StoreOptions::retention_rules; categories [] means every category; from
// one of "case-closed", "last-entry", "birth", "decision", "never".
SSPF_EXPORT std::string RetentionRulesJson(const std::vector<RetentionRule>& rules);
// {"schema_version","as_of","due_entries","entries":[{"entry_id","case_id",
//  "subject_id","actor","category","rule","state","due"}...],"cases":[id...],
//  "subjects":[{"subject_id","case_ids":[...]}...]}: a dry run
// (Session::PlanRetention); rule null when no rule applies, due null when
// there is no deadline.
SSPF_EXPORT std::string RetentionPlanJson(const RetentionPlan& plan);
// {"schema_version","decision","cases","entries_erased","cases_erased",
//  "subjects_erased","checkpoint","compacted","free_pages"}.
SSPF_EXPORT std::string RetentionRunJson(const RetentionRunResult& result);

// ---- The joint plan (åtagandeplan) and meetings (sspf/plan.h) ---------------
// {"schema_version","case_id","as_of","next_follow_up",
//  "goals":[{"id","text","author","created"}...],
//  "actions":[{"id","goal_id","owner","principal","due","text","status",
//    "overdue","done_entry_id","done_at","author","created"}...],
//  "meetings":[{"id","date","kind","attendees":[actor...],"next_follow_up",
//    "minutes","author","created"}...],"unshared"} (plan show).  unshared: how
// many disclosures plan share would make now.  status "open" or
// "done"; principal, done_entry_id, done_at and next_follow_up null when
// absent; minutes "" when none.  Content: wipe it.
SSPF_EXPORT std::string CasePlanJson(const CasePlan& plan);
// {"schema_version","id","case_id","kind","disclosed_to":[actor...]}: what a
// plan write did (plan goal add, plan action add, plan action done, meeting
// add); kind "goal", "action", "status" or "meeting".
SSPF_EXPORT std::string PlanWriteJson(const PlanWrite& write);
// The plan share document (sspf-tool plan share --json):
// {"schema_version","case_id","disclosed":[{"entry_id","category","to",
// "disclosure_id"}],"held","not_covered","revoked","other_author"}.
SSPF_EXPORT std::string PlanShareJson(const PlanShare& share);
// {"schema_version","as_of","days","items":[{"kind","case_id","id","date",
//  "days","owner","principal","mine","text"}...]} (due).  owner null and
// principal null when none (always for other kinds); text null when empty.  Holds action
// texts: wipe it.
SSPF_EXPORT std::string DueReportJson(const DueReport& report);

}  // namespace sspf

#endif  // SSPF_JSON_H_
