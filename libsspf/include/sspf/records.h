// Copyright (c) libsspf authors.
//
// The plain records a Session returns and takes: principals, subjects,
// cases, consents, entries, grants, access-log events, filters and reports.
// Value types without behaviour; included by store.h.
#ifndef SSPF_RECORDS_H_
#define SSPF_RECORDS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sspf/policy.h"
#include "sspf/secret.h"
#include "sspf/types.h"

namespace sspf {

struct PrincipalInfo {
  std::string id;
  std::string name;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  bool active = true;
  UnixSeconds created = 0;
};

// What Session::RekeyStore did.
struct RekeyResult {
  uint64_t generation = 0;  // the keyring generation now in force
  uint64_t principals = 0;  // active principals given the new root key
};

struct InitResult {
  std::string store_id;
  std::string admin_id;
  // 32 random bytes, to be shown once to the operator (sspf-tool prints
  // them as 16 groups of 4 hex digits): unlocks the store and resets a
  // passphrase (Store::ResetWithRecoveryKey).
  SecretBytes recovery_key;
  // The store authority's Ed25519 public key (32 bytes): the trust anchor
  // pinned in every keyring entry.  Print it so that auditors and the
  // principals can pin it out of band (sspf-tool audit trust-anchor).
  std::vector<uint8_t> trust_anchor;
};

// The trust anchor as one session holds it (Session::TrustAnchor): the
// store authority's public key pinned in the principal's own keyring entry.
struct TrustAnchorInfo {
  std::string store_id;
  std::vector<uint8_t> public_key;  // Ed25519, 32 bytes
  // TrustAnchorFingerprint(public_key): "3f2a-9c01-...", to read aloud.
  std::string fingerprint;
};

struct GuardianInfo {
  std::string id;
  std::string name;
  // Vårdnadshavare med vårdnad: only guardians with custody must consent.
  bool custody = true;
};

struct SubjectInfo {
  std::string id;
  std::string personal_number;  // normalised, 12 digits
  std::string name;
  Date birth_date;
  std::vector<GuardianInfo> guardians;
};

struct CaseInfo {
  std::string id;
  // The human case number, "2026-0042": the UTC year the case was opened
  // and its place among that year's openings in the access log (derived
  // from the signed log and checked against it at every use).
  std::string number;
  std::string subject_id;
  // The youth's name, for those allowed to see the identity without a
  // flagged access (coordinators, members on a team of the youth's cases);
  // nullopt for others (a holder of a legal-basis grant only: subject show
  // is the logged, flagged way) and when retention erased it.
  std::optional<std::string> subject_name;
  bool open = true;
  UnixSeconds opened = 0;
  std::optional<UnixSeconds> closed;
  std::string opened_by;       // principal id of the opening coordinator
  std::string opened_by_name;  // and its name
  std::vector<std::string> team;  // principal names
  std::vector<std::string> team_ids;  // their ids, in the same order
  // The names in team whose principal is disabled (they keep their place
  // on the team but can do nothing).
  std::vector<std::string> team_disabled;
};

// One active member of the staff (Session::ListStaff): a principal with
// role member or coordinator, as its certificate says.
struct StaffMember {
  std::string id;
  std::string name;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
};

// A guardian named by position or name (Session::ResolveGuardian).
struct GuardianMatch {
  std::string subject_id;
  std::string guardian_id;
  int position = 0;  // 1-based, in registration order
  bool custody = true;
};

// The party giving consent: the youth, or one guardian (by guardian id).
struct ConsentParty {
  bool youth = true;
  std::string guardian_id;  // when !youth
};

struct ConsentInput {
  std::string case_id;
  ConsentParty party;
  std::vector<Actor> actors;  // actors that may exchange information
  std::vector<Category> categories;
  Date valid_until;           // inclusive
  std::string purpose;         // a purpose code (StoreOptions::purposes)
  std::string form_ref;        // the recording actor's reference to the signed form
};

// One actor's own reference to a consent (Session::ConfirmConsent).
struct ConsentReference {
  Actor actor = Actor::kSchool;
  std::string reference;
  std::string recorded_by;  // principal id
  UnixSeconds recorded = 0;
};

struct ConsentInfo {
  std::string id;
  std::string case_id;
  ConsentParty party;
  std::vector<Actor> actors;
  std::vector<Category> categories;
  UnixSeconds valid_from = 0;
  Date valid_until;
  std::optional<UnixSeconds> withdrawn_at;
  std::string purpose;
  std::string form_ref;
  int version = 1;
  std::string recorded_by;  // principal id
  std::vector<ConsentReference> references;  // one per actor that confirmed it
  // Session::ListConsents: a guardian's registration position (1 the first,
  // as --party guardian:N takes it); 0 for the youth and in decisions.
  int guardian_position = 0;
};

struct EntryInfo {
  std::string id;
  std::string case_id;
  Category category = Category::kMeeting;
  std::string author;  // principal name
  Actor author_actor = Actor::kSchool;
  UnixSeconds created = 0;
  std::optional<std::string> supersedes;
  std::vector<Actor> disclosed_to;  // actors with a disclosure not revoked
};

struct EntryContent {
  EntryInfo info;
  PlainText body;
  std::string basis;  // why this read was allowed ("author-actor", "consent:<id>", ...)
};

// The basis named for a disclosure (DESIGN §4).  Exactly one of: a consent
// id, a grant id, a legal provision with a reason, or none of them (the
// library picks a consent in force that covers the disclosure).
struct DisclosureBasis {
  std::optional<std::string> consent_id;
  std::optional<std::string> grant_id;
  std::optional<std::string> provision;
  std::string reason;  // required with provision
  // With provision only, optional: the disclosure is valid until this time
  // (exclusive); reads after it are denied.  A consent or grant basis ends
  // with the consent or grant.
  std::optional<UnixSeconds> until;
};

struct GrantInfo {
  std::string id;
  std::string case_id;
  std::string principal_id;
  std::string provision;
  UnixSeconds from = 0;
  UnixSeconds until = 0;
};

// The reason (motivering) of one disclosure or emergency grant (DESIGN
// §13).  The text is stored encrypted, readable only by members of the
// deciding actor, of the receiving actor (disclosures) and by auditors
// (the oversight key).  Everyone else learns only that a reason exists:
// reason is empty and reason_sealed is true.
struct ReasonInfo {
  std::string kind;      // "disclosure" or "grant"
  std::string id;        // the disclosure or grant id
  std::string case_id;
  std::string entry_id;  // disclosures only; empty for a grant
  std::optional<Actor> to;  // disclosures only: the receiving actor
  std::string decided_by;   // principal id of the deciding principal
  std::optional<std::string> provision;
  UnixSeconds created = 0;
  std::optional<std::string> reason;  // the text, when given and readable
  bool reason_sealed = false;         // given, but not readable by this session
};

// The purpose of a read: a code from StoreOptions::purposes (or one of its
// labels, normalised to the code), and an optional free-text note.  The
// access log records only the code and a salted commitment of the note; the
// note itself is encrypted like a reason (sealed to the reading actor and
// the auditors) and can be erased (Session::ErasePurposeNote).
struct Purpose {
  std::string code;
  std::string note;  // optional; requires a code
};

// The record an id prefix names (Session::ResolveId).
struct IdMatch {
  // "subject", "guardian", "case", "consent", "entry", "disclosure",
  // "grant" or "purpose_note".
  std::string kind;
  std::string id;  // the full id: 32 lowercase hex digits
};

// A purpose note of a read in a case (Session::ListPurposeNotes).
struct PurposeNoteInfo {
  std::string id;            // the note id, as in the event's purpose field
  uint64_t seq = 0;          // the read's event
  UnixSeconds time = 0;
  std::string principal_id;  // who read and wrote the note
  std::string case_id;
  std::string target;        // "entry:<id>"
  std::string code;          // the purpose code
  std::string commitment;    // 64 hex: what the log holds
  std::optional<std::string> note;  // the text, when readable and not erased
  bool note_sealed = false;  // present, but not readable by this session
  bool erased = false;       // erased: only the commitment is left
};

// One access-log event (DESIGN §6).  Holds ids, never names or content.
struct AuditEvent {
  uint64_t seq = 0;  // 0-based index of the leaf in the Merkle tree
  UnixSeconds time = 0;
  std::string principal_id;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  Action action = Action::kUnlock;
  std::string target;  // "case:<id>", "entry:<id>", "subject:<id>", ...
  bool allowed = false;
  std::string reason;
  std::string basis;
  std::string purpose;
  std::string case_id;
  std::string subject_id;
  std::string detail;              // replayed state change (ids and codes only)
  std::vector<uint8_t> leaf;       // the exact leaf bytes
  std::vector<uint8_t> leaf_hash;  // SHA-256(0x00 || leaf)
  // Who signed the event (a principal id, or "authority" for the recovery
  // key), the Ed25519 signature, and the exact bytes signed, which contain
  // leaf_hash (docs/audit-log-format.md, "Event signatures").  Empty when
  // the event carries no signature (a tampered store).
  std::string signer;
  std::vector<uint8_t> signature;
  std::vector<uint8_t> signed_message;
  // The principal's name from the principals table (not part of the leaf,
  // which holds the id only); empty when the id names no principal (the
  // failed unlock of an unknown name, a tampered row).
  std::string principal_name{};
};

// One version of a principal's certificate (DESIGN §13): what the store
// authority certified about the principal, with the exact bytes it signed.
// An auditor checks an exported event's signature with the signing_key of
// a certificate of its signer, and each certificate_signature with the
// trust anchor pinned out of band (docs/auditing.md).
struct PrincipalCertificate {
  std::string principal_id;
  std::string name;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  bool active = true;
  uint64_t version = 1;  // 1 at creation, +1 per disable or recovery
  std::vector<uint8_t> signing_key;  // Ed25519 public key, 32 bytes
  // The certificate body, byte for byte as signed (docs/audit-log-format.md,
  // "Certificates"); it contains signing_key.
  std::vector<uint8_t> certificate;
  // The store authority's Ed25519 signature of `certificate`.
  std::vector<uint8_t> certificate_signature;
};

struct AuditFilter {
  std::optional<std::string> case_id;
  std::optional<std::string> subject_id;  // the subject and its cases/entries
  std::optional<std::string> principal;   // principal name
  std::optional<Actor> actor;
  std::optional<Action> action;
  std::optional<bool> allowed;
  std::optional<std::string> target;      // exact target string
  std::optional<UnixSeconds> since;       // inclusive
  std::optional<UnixSeconds> until;       // exclusive
  size_t limit = 0;                       // 0: no limit
  // Events with seq in [seq_from, seq_to] (audit query --seq, --around).
  std::optional<uint64_t> seq_from;       // inclusive
  std::optional<uint64_t> seq_to;         // inclusive
};

enum class ExportFormat { kJsonLines = 1, kCsv = 2 };
inline constexpr ExportFormat kAllExportFormats[] = {ExportFormat::kJsonLines,
                                                     ExportFormat::kCsv};

struct VerifyOptions {
  // A checkpoint note kept outside the store.  The store's log must extend
  // it unchanged; a smaller or inconsistent log is a rollback.
  std::optional<std::string> kept_checkpoint;
  // Witness verifier keys (sspf/witness.h, audit witness init): each must
  // have a valid cosignature/v1 line on kept_checkpoint, which is then
  // required.  kIntegrityViolation naming the first witness whose
  // cosignature is missing or invalid.
  std::vector<std::string> witness_keys;
  // With kept_checkpoint, verify is incremental (DESIGN §6): the events the
  // kept checkpoint covers are bound to its signed root by their recomputed
  // leaf hashes, and only the events after it get their signatures checked.
  // full: check every event's signature anyway.
  bool full = false;
  // Called now and then with (events verified, total).
  std::function<void(uint64_t, uint64_t)> progress;
};

struct VerifyReport {
  uint64_t tree_size = 0;
  std::vector<uint8_t> root;
  uint64_t checkpoints_checked = 0;
  // Events checked fully (signature and attribution): tree_size, or the
  // events after the kept checkpoint in an incremental verify.  Every event
  // gets its leaf hash, sequence and time order checked either way.
  uint64_t events_checked = 0;
  bool kept_checkpoint_consistent = false;  // when one was given
  // The principal id whose certified key signed the kept checkpoint (or
  // "authority"); empty when none was given.
  std::string kept_checkpoint_signer;
  // The names of the witnesses whose cosignatures on the kept checkpoint
  // verified (VerifyOptions::witness_keys), in the order given.
  std::vector<std::string> witnesses;
};

// Session::ExportTiles (audit export --tiles): where to write the access
// log as C2SP tlog-tiles (docs/audit-log-format.md, "Tiles export").
struct TileExportOptions {
  // The directory to create: it must not exist (its parent must) or be
  // empty.  Written in a staging directory next to it and renamed when
  // complete, so it is never left half-written.
  std::string dir;
  // Called now and then while the log is verified first, then while the
  // tiles are written, with (done, total) events of that phase.
  std::function<void(uint64_t, uint64_t)> verify_progress;
  std::function<void(uint64_t, uint64_t)> write_progress;
};

struct TileExportReport {
  uint64_t tree_size = 0;       // of the checkpoint exported
  std::vector<uint8_t> root;    // its RFC 6962 root
  uint64_t tiles = 0;           // hash tiles written (tile/<L>/...)
  uint64_t entry_bundles = 0;   // entry bundles written (tile/entries/...)
  std::string dir;              // as given
  std::string checkpoint;       // the signed note written to dir/checkpoint
};

struct InclusionProof {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::vector<uint8_t> leaf_hash;
  std::vector<uint8_t> root;
  std::vector<std::vector<uint8_t>> proof;
};

// An RFC 6962 consistency proof (§2.1.2; RFC 9162 §2.1.4) that the tree of
// old_size events is a prefix of the tree of new_size events.
struct ConsistencyProof {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<uint8_t> old_root;
  std::vector<uint8_t> new_root;
  // From the largest subtree shared with the old tree towards the root;
  // empty when old_size is 0 or equals new_size.
  std::vector<std::vector<uint8_t>> proof;
};

// The sign-off of a flagged event (Session::AcknowledgeFlag, `audit ack`):
// a signed log event by the auditor; the note is stored encrypted, sealed to
// the auditors' oversight key only (like a purpose note).
struct ReviewAck {
  uint64_t seq = 0;            // the audit.ack event
  uint64_t flagged_seq = 0;    // the event whose flags it acknowledges
  UnixSeconds time = 0;
  std::string auditor_id;      // principal id of the auditor who signed it
  std::string auditor_name;
  std::string note_id;
  std::optional<std::string> note;  // the text, when this session can read it
  bool note_sealed = false;    // a note exists that this session cannot read
};

struct ReviewFlag {
  std::string kind;  // "legal-provision", "emergency-grant", "denied-burst",
                     // "outside-office-hours", "read-after-withdrawal",
                     // "bulk-read", "membership-change", "key-delivery",
                     // "key-change", "retention-run", "time-backwards"
  uint64_t seq = 0;  // the event that raised it
  std::string principal_id;
  std::string target;
  std::string detail;
  // Added for the scoped review (Session::Review(const ReviewOptions&));
  // the flag-only Review() fills them too.
  UnixSeconds time = 0;        // the event's time
  std::string principal_name{};  // the principal's name; empty when unknown
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  Action action = Action::kUnlock;
  bool allowed = false;
  std::string case_id{};       // empty when the event names no case
  // The sign-off (audit ack) of this flag's event, when one was recorded:
  // an acknowledged flag has ack set, an open flag has not.  One ack covers
  // every flag raised by the same event.
  std::optional<ReviewAck> ack{};
};

// ---- Scoped review (loggkontroll) -------------------------------------------
// The period of the summaries: a calendar day or an ISO 8601 week, both in
// Europe/Stockholm local time (the municipality's working day).
enum class ReviewPeriodUnit { kDay = 1, kWeek = 2 };

struct ReviewOptions {
  std::optional<UnixSeconds> since;      // inclusive; none: from the first event
  std::optional<UnixSeconds> until;      // exclusive; none: up to now
  std::optional<std::string> principal;  // principal name: only its events
  std::optional<Actor> actor;            // only events of this actor
  // Only flags of this kind (one of ReviewFlagKinds()); the summaries and
  // top readers are not narrowed by it.
  std::optional<std::string> flag_kind;
  ReviewPeriodUnit by = ReviewPeriodUnit::kDay;
  size_t top_readers = 5;  // readers listed per case (0: none)
};

// Every flag kind the review raises, in a stable order.
SSPF_EXPORT const std::vector<std::string>& ReviewFlagKinds();

// One row of a summary: the events of one key (a principal, an actor or an
// action) in one period.
struct ReviewCount {
  std::string period;        // "2026-11-30" (day) or "2026-W49" (ISO week)
  UnixSeconds period_start = 0;  // the period's first second (Stockholm midnight)
  std::string key;           // principal id, actor name or action name
  std::string name;          // principal name (per principal); else the key
  uint64_t events = 0;       // all events
  uint64_t denied = 0;       // of which denied
  uint64_t entry_reads = 0;  // allowed entry reads
  // Allowed events that touch a youth's data: they name a case or a
  // subject (the review's "accesses"; log and key housekeeping are not).
  uint64_t accesses = 0;
};

struct ReviewSummary {
  ReviewPeriodUnit by = ReviewPeriodUnit::kDay;
  // Each ordered by period, then key.
  std::vector<ReviewCount> per_principal;
  std::vector<ReviewCount> per_actor;
  std::vector<ReviewCount> per_action;
};

// A principal's entry reads of one case within the review's scope.
struct CaseReader {
  std::string principal_id;
  std::string name;
  Actor actor = Actor::kSchool;
  uint64_t reads = 0;   // allowed entry reads
  uint64_t denied = 0;  // denied entry reads
  UnixSeconds last = 0; // the last of them
};

// The most active readers of one case, most reads first.
struct CaseReaders {
  std::string case_id;
  uint64_t reads = 0;  // allowed entry reads of the case, all readers
  std::vector<CaseReader> readers;  // at most ReviewOptions::top_readers
};

// A closed review period (Session::CloseReview, `audit review close`):
// who reviewed which period, and when.  A signed log event by the auditor.
struct ReviewClosure {
  uint64_t seq = 0;          // the audit.review.close event
  UnixSeconds time = 0;      // when it was closed
  std::string auditor_id;
  std::string auditor_name;
  UnixSeconds since = 0;     // the previous closure's until (0: the log's start)
  UnixSeconds until = 0;     // exclusive
  uint64_t flags_open = 0;          // flags of the period still open then
  uint64_t flags_acknowledged = 0;  // and those acknowledged
};

// The result of a scoped review (Session::Review(const ReviewOptions&)):
// the one shape behind `audit review --json`, sspf_session_review_report
// and the HTML report.
struct ReviewReport {
  std::string store_id;
  std::optional<UnixSeconds> since;      // as asked
  std::optional<UnixSeconds> until;
  std::optional<std::string> principal;  // name, as asked
  std::optional<Actor> actor;
  std::optional<std::string> flag_kind;
  UnixSeconds generated = 0;  // the review's own event time
  uint64_t tree_size = 0;     // events in the log, the review's own included
  uint64_t events_in_scope = 0;
  std::vector<ReviewFlag> flags;  // in seq order
  uint64_t flags_open = 0;
  uint64_t flags_acknowledged = 0;
  ReviewSummary summary;
  std::vector<CaseReaders> top_readers;  // cases by reads, most first
  // Every closed period that overlaps [since, until), oldest first.
  std::vector<ReviewClosure> closures;
};

}  // namespace sspf

#endif  // SSPF_RECORDS_H_
