// Copyright (c) libsspf authors.
//
// Store settings and the host seams: the clock, the passphrase cost, the
// credential that unlocks a principal, the key provider and StoreOptions.
// Included by store.h; usable on its own by code that only configures.
#ifndef SSPF_OPTIONS_H_
#define SSPF_OPTIONS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/policy.h"
#include "sspf/retention.h"
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
  // Every Kind, for code that converts numbers (the C ABI).
  static constexpr Kind kAllKinds[] = {Kind::kPassphrase, Kind::kKey};
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

// A purpose (ändamål) a principal may state for a read: a code, which is
// what the access log records, and its labels for people.  Free text never
// goes into the log: it belongs in a purpose note (Purpose::note), which is
// stored encrypted and can be erased.
struct PurposeCode {
  // ASCII letters, digits, '-', '_' and '.', 1 to 64 bytes, e.g.
  // "sspf-meeting".
  std::string code;
  std::string label_sv;  // Swedish label, e.g. "SSPF-möte"
  std::string label_en;  // English label, e.g. "SSPF meeting"
};

// The default list: sspf-meeting (SSPF-möte), planning (planering),
// follow-up (uppföljning), emergency (akut), log-review (loggranskning),
// investigation (utredning), control (kontroll).
SSPF_EXPORT std::vector<PurposeCode> DefaultPurposeCodes();

// OK when every code is well-formed (see PurposeCode::code), no code or
// label is given twice (ignoring case) and no label is empty;
// kInvalidArgument naming the first bad code otherwise.
SSPF_EXPORT Status ValidatePurposeCodes(const std::vector<PurposeCode>& codes);

// The code a stated purpose stands for: the purpose must be a code or one
// of its labels, compared without regard to case (ASCII and the Latin-1
// letters such as å, ä, ö) but otherwise exactly.  An empty purpose stays
// empty.  kInvalidArgument otherwise, with one line that lists the valid
// codes and says to put free text in a purpose note; the message never
// repeats the rejected text (it may hold personal data).  kInvalidArgument
// also when the list does not validate.
SSPF_EXPORT Result<std::string> NormalizePurpose(const std::vector<PurposeCode>& codes,
                                                 std::string_view purpose);

// The codes of a list, joined with ", " (for help texts and messages).
SSPF_EXPORT std::string PurposeCodeList(const std::vector<PurposeCode>& codes);

struct StoreOptions {
  // The store file.  The keyring is path + ".keyring".
  std::string path;
  // Null: SystemClock().
  std::shared_ptr<const Clock> clock;
  // Argon2id cost for passphrases set through this handle.
  PassphraseCost passphrase_cost;
  // Who must consent, by age (DESIGN §3).
  ConsentPolicy consent_policy;
  // The longest a consent may last: its valid_until at most this many
  // calendar months after the day it is recorded (a day missing in the
  // target month is the month's last day).  Guidance: a consent has a
  // limited duration; 12 months by default.  Values below 1 count as 1.
  int consent_max_months = 12;
  // The secrecy-breaking provisions accepted for disclosures and emergency
  // grants, as rules (DESIGN §4, §14).  Must pass ValidateLegalProvisions.
  std::vector<LegalProvision> legal_provisions = DefaultLegalProvisions();
  // Which actors are public authorities (a free school is not).
  PublicAuthorities public_authorities;
  // Automatic checkpoints: after this many events since the last one (0: never)
  // or when the last one is older than this many seconds (0: never).
  uint64_t checkpoint_every_events = 1000;
  int64_t checkpoint_every_seconds = 3600;
  // Largest accepted entry body, in bytes.
  size_t max_entry_bytes = 1 << 20;
  // Longest accepted free-text argument (names, purposes, reasons), bytes.
  size_t max_text_bytes = 4096;
  // Monotonic time (DESIGN §6): an event's time is never earlier than the
  // last event's.  While the clock is behind the last event, decisions
  // (expiry of grants, consents, disclosures) use the last event's time, and
  // every operation (each writes an event) fails with kFailedPrecondition
  // once the clock is more than this many seconds behind it.  Negative
  // values count as 0.
  int64_t clock_tolerance_seconds = 300;
  // The purposes a read may state (NormalizePurpose).  Must validate
  // (ValidatePurposeCodes), or every read that states a purpose fails with
  // kInvalidArgument.
  std::vector<PurposeCode> purposes = DefaultPurposeCodes();
  // Retention (gallring) rules per actor and category (sspf/retention.h).
  // Must validate (ValidateRetentionRules), or retention plan and run fail
  // with kInvalidArgument.
  std::vector<RetentionRule> retention_rules = DefaultRetentionRules();
};

}  // namespace sspf

#endif  // SSPF_OPTIONS_H_
