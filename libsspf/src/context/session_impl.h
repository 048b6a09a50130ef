// Session::Impl: the state of one unlocked principal, shared by the files
// that implement the Session methods (principals.cpp, subjects.cpp,
// cases.cpp, entries.cpp, audit.cpp ...).
#ifndef SSPF_SRC_SESSION_IMPL_H_
#define SSPF_SRC_SESSION_IMPL_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/crypto.h"
#include "storage/db.h"
#include "keys/keyring.h"
#include "log/audit_log.h"
#include "log/checkpoint.h"
#include "sspf/store.h"

namespace sspf {

// Hidden: the nested class of an exported class would otherwise export its
// methods.
struct __attribute__((visibility("hidden"))) Session::Impl {
  StoreOptions options;
  std::shared_ptr<const Clock> clock;
  internal::Bytes store_id_bytes;
  std::string store_id;  // hex
  PrincipalInfo me;
  std::unique_ptr<internal::Db> db;

  // The store's root keys (keys/keyring.h): root_key opens the database
  // and is replaced by key rekey; data_key derives the lookup, identity and
  // audit-wrap subkeys and never changes.
  SecretBytes root_key;
  SecretBytes data_key;
  uint64_t keyring_generation = 0;
  internal::RootSecrets Roots() const { return {&root_key, &data_key}; }
  SecretBytes principal_secret_key;  // X25519
  internal::Bytes principal_public_key;
  SecretBytes lookup_key;    // blind index of personal identity numbers
  SecretBytes identity_key;  // subject and guardian identity records
  SecretBytes audit_secret_key;  // Ed25519, signs checkpoints
  internal::Bytes audit_public_key;
  // Actor secret keys this principal has unsealed, by (actor, version).
  std::map<std::pair<Actor, int64_t>, SecretBytes> actor_keys;
  // Their public halves, filled by ActorKey() together with actor_keys.
  std::map<std::pair<Actor, int64_t>, internal::Bytes> actor_public_keys;
  // Oversight secret keys this auditor has unsealed, by version, and their
  // certified public halves (DESIGN §13: only auditors hold them).
  std::map<int64_t, SecretBytes> oversight_keys;
  std::map<int64_t, internal::Bytes> oversight_public_keys;

  // The trust anchor (store authority public key) pinned in this
  // principal's keyring entry (DESIGN §13): every certificate a session
  // relies on is checked against it, never against the database's copy.
  internal::Bytes anchor_public_key;
  // This principal's Ed25519 key (from its keyring entry); certified.
  SecretBytes signing_secret_key;
  internal::Bytes signing_public_key;
  // The store authority's secret key: admins (unsealed at open) and the
  // recovery key only; empty otherwise.
  SecretBytes authority_secret_key;
  // The certificate version this session's principal state came from.
  int64_t certificate_version = 0;
  bool certificate_active = false;
  // Actor-key versions whose certificate this session has checked, with
  // the certified public key.
  std::map<std::pair<Actor, int64_t>, internal::Bytes> certified_actor_keys;
  // Checked at use (context/trust.h, CheckEventSignature): the events
  // whose signature this session has verified, by seq, with the leaf hash
  // it covered, and every certified signing key of each signer seen.
  std::map<uint64_t, internal::Hash> verified_events;
  std::map<std::string, std::vector<internal::Bytes>> certified_sign_keys;
  // options.purposes passed ValidatePurposeCodes (domain/purpose_notes.cpp).
  bool purpose_codes_checked = false;

  std::unique_ptr<internal::Txn> batch;
  // Facts that a read of the open batch read and checked at use (a case's
  // consents against their signed events, a subject's guardians with
  // custody), reused by the batch's later reads.  Sound because a batch is
  // one write transaction: no other connection can change the store until
  // it commits, so a re-read would see the same rows (and a page copied into
  // the file behind SQLite's back meanwhile would not be trusted either).
  // Filled and used only while a read operation runs (batch_memo_usable);
  // cleared when a batch begins or ends and before any other operation.
  struct BatchMemo {
    std::map<std::string, std::vector<ConsentInfo>, std::less<>> consents;  // by case
    std::map<std::string, std::vector<std::string>, std::less<>> custody;   // by subject
    void Clear() {
      consents.clear();
      custody.clear();
    }
  } batch_memo;
  bool batch_memo_usable = false;
  // The successful case.open events of a year that this session has
  // counted, in log order (domain/case_numbers.cpp): each case's number,
  // and the last event counted.  A later count reads only the events after
  // it, once it has found that event unchanged (a rollback or a deletion
  // takes events from the end of the log; then the year is counted again
  // from its start).
  struct CountedCaseYear {
    bool any = false;  // last_* name an event
    uint64_t last_seq = 0;
    int64_t last_time = 0;
    std::string last_case;
    uint64_t count = 0;  // successful case.open events counted
    std::map<std::string, std::string> numbers;  // case id -> number
  };
  std::map<int, CountedCaseYear> case_years;
  // Re-read the principal's state at the start of every operation (false
  // only for the recovery key, which acts without a principal row).
  bool refresh_principal = true;  // open between BeginBatch/CommitBatch

  // The time of the log's last event, as read by CheckClock at the start
  // of the current operation: "now" never goes below it.
  UnixSeconds time_floor = 0;
  // max(clock, time_floor): every decision and every written time uses it.
  UnixSeconds Now() const {
    const UnixSeconds c = clock->Now();
    return c < time_floor ? time_floor : c;
  }
  Date Today() const { return DateOf(Now()); }
  std::string KeyringPath() const { return options.path + ".keyring"; }
  // Who signs this session's events: its principal, or for the recovery key
  // (no principal) the store authority.
  internal::EventSigner EventSigner() const {
    if (!signing_secret_key.empty()) return {me.id, &signing_secret_key, store_id_bytes};
    return {internal::kAuthoritySigner, &authority_secret_key, store_id_bytes};
  }
  // The store's checkpoint signer (audit key and automatic-checkpoint policy).
  internal::CheckpointSigner Signer() const {
    const internal::EventSigner me_signer = EventSigner();
    return {store_id,          &audit_secret_key,    audit_public_key,
            options.checkpoint_every_events, options.checkpoint_every_seconds,
            me_signer.signer_id, me_signer.secret_key};
  }

  // The transaction of one operation: its own, or the open batch's.
  class Scope {
   public:
    Scope() = default;
    explicit Scope(std::unique_ptr<internal::Txn> own) : own_(std::move(own)) {}
    // Commits the operation's own transaction; a no-op inside a batch (the
    // batch commits).
    Status Commit() { return own_ ? own_->Commit() : Status::Ok(); }

   private:
    std::unique_ptr<internal::Txn> own_;
  };
  Result<Scope> Begin();
  // Reads the last event's time into time_floor; kFailedPrecondition when
  // the clock is more than options.clock_tolerance_seconds behind it (a
  // clock set back: no write may go ahead).  Called by Begin.
  Status CheckClock();

  // Appends an access-log event to the current transaction (DESIGN §6), and
  // makes an automatic checkpoint when one is due.  If this fails the
  // operation must fail (fail closed).
  struct EventArgs {
    Action action = Action::kUnlock;
    std::string target;
    bool allowed = false;
    std::string reason;
    std::string basis;
    std::string purpose;
    std::string case_id;
    std::string subject_id;
    std::string detail;  // replay detail, see audit_log.h
    // The event's time when the operation fixed it (case.open: its case
    // number counts in the year of this time); else Now() when logged.
    // Never below time_floor (it was Now() during the operation).
    std::optional<UnixSeconds> time;
  };
  Status Log(const EventArgs& e);

  // Logs a denial, commits it, and returns the denial as a Status
  // (kPermissionDenied, or kConsentRequired when consent was missing).
  Status Deny(Scope& scope, EventArgs e, bool consent_missing = false);

  // Checks a free-text argument: not empty (when required), valid UTF-8, no
  // NUL or control characters other than tab, at most options.max_text_bytes.
  Status CheckText(std::string_view what, std::string_view text,
                   bool required) const;

  // The secret key of actor at version, unsealing it on first use.
  // kPermissionDenied if this principal holds no seal for it.
  Result<const SecretBytes*> ActorKey(Actor actor, int64_t version);
  // Seals actor keys this principal holds to members of its actor that lack
  // them (new members, recovered principals); for an auditor, the oversight
  // key to other auditors that lack it.
  Status DeliverActorKeys();
  // The oversight secret key at version, unsealing it on first use (and
  // checking it against its certificate).  kPermissionDenied if this
  // principal holds no seal for it (only auditors do).
  Result<const SecretBytes*> OversightKey(int64_t version);
};

namespace internal {
// The library's way from a Session to its context (white-box tests, and
// session/bench_access.cpp for sspf-bench); not part of the installed API.
struct SessionAccess {
  static Session::Impl* Get(Session& s) { return s.impl_.get(); }
};
}  // namespace internal

}  // namespace sspf

#endif  // SSPF_SRC_SESSION_IMPL_H_
