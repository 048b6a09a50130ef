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
// a principal's passphrase or key.
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
#include "sspf/policy.h"
#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {

// The source of "now".  Tests replace it to move time (consent expiry, ages,
// grants).  Implementations must be thread-safe.
class SSPF_EXPORT Clock {
 public:
  virtual ~Clock();
  virtual UnixSeconds Now() const = 0;
};
// The system's UTC clock.
SSPF_EXPORT std::shared_ptr<const Clock> SystemClock();
// The UTC calendar date of a time.
SSPF_EXPORT Date DateOf(UnixSeconds t);

// Argon2id cost for passphrases.  Zeros mean libsodium's MODERATE
// (opslimit 3, memlimit 256 MiB), the default.
struct PassphraseCost {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
  SSPF_EXPORT static PassphraseCost Interactive();  // for tests and demos
  SSPF_EXPORT static PassphraseCost Moderate();
  SSPF_EXPORT static PassphraseCost Sensitive();
};

// What unlocks a principal: a passphrase (stretched with Argon2id) or a raw
// 32-byte key supplied by the host (KMS, HSM, key file).  Move-only.
class SSPF_EXPORT Credential {
 public:
  enum class Kind { kPassphrase = 1, kKey = 2 };
  static Credential Passphrase(SecretBytes passphrase);
  // REQUIRES: key.size() == 32 (checked: kInvalidArgument at use).
  static Credential Key(SecretBytes key);

  Kind kind() const { return kind_; }
  const SecretBytes& secret(InsecureSecretAccess) const { return secret_; }

 private:
  Credential(Kind kind, SecretBytes secret)
      : kind_(kind), secret_(std::move(secret)) {}
  Kind kind_;
  SecretBytes secret_;
};

// A host seam for raw keys (KMS/HSM): asked for the key of a principal.
class SSPF_EXPORT KeyProvider {
 public:
  virtual ~KeyProvider();
  virtual Result<SecretBytes> KeyFor(std::string_view principal_name) = 0;
};

struct StoreOptions {
  // The store file.  The keyring is path + ".keyring".
  std::string path;
  // Null: SystemClock().
  std::shared_ptr<const Clock> clock;
  // Argon2id cost for passphrases set through this handle.
  PassphraseCost passphrase_cost;
  // Who must consent, by age (DESIGN §3).
  ConsentPolicy consent_policy;
  // Automatic checkpoints: after this many events since the last one (0: never)
  // or when the last one is older than this many seconds (0: never).
  uint64_t checkpoint_every_events = 1000;
  int64_t checkpoint_every_seconds = 3600;
  // Largest accepted entry body, in bytes.
  size_t max_entry_bytes = 1 << 20;
  // Longest accepted free-text argument (names, purposes, reasons), bytes.
  size_t max_text_bytes = 4096;
};

struct PrincipalInfo {
  std::string id;
  std::string name;
  Actor actor = Actor::kSchool;
  Role role = Role::kMember;
  bool active = true;
  UnixSeconds created = 0;
};

struct InitResult {
  std::string store_id;
  std::string admin_id;
  // 32 random bytes, to be shown once to the operator (sspf-tool prints
  // them as 16 groups of 4 hex digits): unlocks the store and resets a
  // passphrase (Store::ResetWithRecoveryKey).
  SecretBytes recovery_key;
};

struct GuardianInfo {
  std::string id;
  std::string name;
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
  std::string subject_id;
  bool open = true;
  UnixSeconds opened = 0;
  std::optional<UnixSeconds> closed;
  std::vector<std::string> team;  // principal names
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
  std::string purpose;
  std::string form_ref;       // reference to the signed form
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
};

struct EntryInfo {
  std::string id;
  std::string case_id;
  Category category = Category::kMeeting;
  std::string author;  // principal name
  Actor author_actor = Actor::kSchool;
  UnixSeconds created = 0;
  std::optional<std::string> supersedes;
  std::vector<Actor> disclosed_to;
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
};

enum class ExportFormat { kJsonLines = 1, kCsv = 2 };

struct VerifyOptions {
  // A checkpoint note kept outside the store.  The store's log must extend
  // it unchanged; a smaller or inconsistent log is a rollback.
  std::optional<std::string> kept_checkpoint;
  // Called now and then with (events verified, total).
  std::function<void(uint64_t, uint64_t)> progress;
};

struct VerifyReport {
  uint64_t tree_size = 0;
  std::vector<uint8_t> root;
  uint64_t checkpoints_checked = 0;
  bool kept_checkpoint_consistent = false;  // when one was given
};

struct InclusionProof {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::vector<uint8_t> leaf_hash;
  std::vector<uint8_t> root;
  std::vector<std::vector<uint8_t>> proof;
};

struct ReviewFlag {
  std::string kind;  // "legal-provision", "emergency-grant", "denied-burst",
                     // "outside-office-hours", "read-after-withdrawal",
                     // "bulk-read"
  uint64_t seq = 0;  // the event that raised it
  std::string principal_id;
  std::string target;
  std::string detail;
};

class Session;

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
  // Disables (never deletes) a principal: it can no longer unlock.
  Status DisablePrincipal(std::string_view name);
  // Changes this principal's own credential; the old one stops working.
  Status ChangeCredential(const Credential& new_credential);

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

  // ---- Cases (ärenden) -------------------------------------------------
  Result<std::string> OpenCase(std::string_view subject_id,
                               const std::vector<std::string>& team);
  Result<std::vector<CaseInfo>> ListCases();
  Result<CaseInfo> ShowCase(std::string_view case_id);
  Status CloseCase(std::string_view case_id);
  Status AddTeamMember(std::string_view case_id, std::string_view principal);

  // ---- Consent (samtycke) -----------------------------------------------
  Result<std::string> GrantConsent(const ConsentInput& consent);
  Status WithdrawConsent(std::string_view consent_id);
  Result<std::vector<ConsentInfo>> ListConsents(std::string_view case_id);

  // ---- Entries ------------------------------------------------------------
  // Adds an immutable entry authored by this principal's actor.  A
  // correction names the entry it supersedes.
  Result<std::string> AddEntry(std::string_view case_id, Category category,
                               std::string_view body,
                               std::optional<std::string> supersedes = {});
  Result<std::vector<EntryInfo>> ListEntries(std::string_view case_id);
  Result<EntryContent> ReadEntry(std::string_view entry_id,
                                 std::string_view purpose = {});
  // Makes an entry readable to another actor.  Returns the disclosure id.
  Result<std::string> DiscloseEntry(std::string_view entry_id, Actor to,
                                    const DisclosureBasis& basis);
  // Time-limited access to a case without consent, under a legal provision.
  Result<std::string> GrantEmergency(std::string_view case_id,
                                     std::string_view provision,
                                     std::string_view reason, int hours);

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
  Result<std::vector<AuditEvent>> QueryEvents(const AuditFilter& filter);
  // Streams one line per event (no trailing newline) to sink.
  Status ExportEvents(const AuditFilter& filter, ExportFormat format,
                      const std::function<Status(std::string_view)>& sink);
  // Loggutdrag: every event touching the subject, its cases and entries.
  Result<std::vector<AuditEvent>> ExtractSubject(std::string_view subject_id);
  Result<std::vector<ReviewFlag>> Review();

  // For white-box tests and the C API only.
  struct Impl;
  Impl* impl() { return impl_.get(); }

 private:
  friend class Store;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sspf

#endif  // SSPF_STORE_H_
