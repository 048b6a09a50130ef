// Replay details: the canonical state change an access-log event carries so
// that the verifier can rebuild principal, case-team, consent, disclosure
// and grant state from the log alone and compare it with the tables
// (DESIGN §5, §6: the defence against page replay and direct edits).
//
// Format: space-separated key=value pairs in the order given; values contain
// no spaces; lists are comma-separated in the order stored; times are Unix
// seconds; dates YYYY-MM-DD; actors/roles/categories by their names.
//
//   principal.add      principal=<id> actor=<a> role=<r> active=1 box=<hex> sign=<hex>
//                      (box, sign: the certified X25519 and Ed25519 public keys)
//   principal.disable  principal=<id> active=0
//   recovery.reset     principal=<id> box=<hex> sign=<hex>   (the new key pairs)
//   subject.add        subject=<id> born=<commitment> guardians=<gid,...>
//                      (born: SubjectCommitment below, never the date itself)
//   case.open          case=<id> subject=<sid> open=1 team=<pid,...>
//                      (the case number is not in the detail: it is the
//                      event's place in its year, CaseNumberYear below)
//   case.close         case=<id> open=0
//   case.team_add      case=<id> member=<pid>
//   consent.grant      consent=<id> version=<n> case=<cid> party=youth|guardian:<gid>
//                      actors=<a,...> categories=<c,...> from=<t> until=<date>
//   consent.withdraw   consent=<id> version=<n> withdrawn=<t>
//   entry.add          entry=<id> case=<cid> category=<c> author=<pid> actor=<a>
//                      created=<t> supersedes=<eid>|- key=<actor-key version>
//                      body=<EntryBodyCommitment of the stored ciphertext>
//   entry.disclose     disclosure=<id> entry=<eid> to=<a>
//                      basis=consent:<id,...>|grant:<id>|provision|provision-until:<t>
//                      by=<pid> created=<t> reason=<commitment>|-
//   grant.emergency    grant=<id> case=<cid> principal=<pid> until=<t>
//                      reason=<commitment>|-
//
// A reason commitment is 64 lower-case hex characters (keys/key_hierarchy.h,
// ReasonCommitment); "-" when no reason was given.  Never the text.
//   key.rotate         actor=<a> version=<n> members=<pid,...>
//                      (actor-key versions 2 and up; members: the principals
//                      the new version was sealed to)
//   key.deliver        key=<a>|oversight version=<n> principal=<pid>
//                      (one key version sealed to one more principal)
//   guardian.custody   subject=<sid> guardian=<gid> custody=1|0
//                      (a guardian without a guardian.custody event has custody)
//   case.reopen        case=<id> open=1
//   case.team_remove   case=<id> member=<pid>
//   entry.revoke       disclosure=<id> entry=<eid> revoked=<t>
//   grant.end          grant=<id> ended=<t>
//   consent.confirm    consent=<id> actor=<a> reference=<commitment>
//                      (the actor's own reference; the text is never in the leaf)
//   audit.ack          ack=<id> flagged=<seq> by=<pid> created=<t> note=<commitment>
//                      (an auditor's sign-off of the flags of event <seq>;
//                      note: the commitment of the sealed note)
//   audit.review_close closure=<id> since=<t> until=<t> by=<pid> created=<t>
//                      open=<n> acknowledged=<n>
//   retention.erase    case=<cid> erased=<t> entries=<eid:rule,...>|-
//                      case_erased=0|1 subject=<sid>|- decision=<64 hex>
//                      (the entries, case and subject erased, each with a
//                      tombstone; decision: RetentionDecisionCommitment)
//
// Case state, team membership and custody toggle: the last event for a
// case, a (case, member) or a guardian decides (last fact wins).
//
// Only allowed events carry a detail.  Older events are still read: an
// entry.add with only its first five or eight keys, an entry.disclose with
// its first four, a principal.add with its first four, a recovery.reset
// with its first, a key.rotate with its first two, a subject.add or
// key.deliver with none (their newer fields are then not compared; an
// entry.add without body= leaves that entry's content unprotected against
// a direct edit: legacy).
#ifndef SSPF_SRC_LOG_REPLAY_DETAIL_H_
#define SSPF_SRC_LOG_REPLAY_DETAIL_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/secret.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf::internal {

// The keys of the detail of action a, in order; empty for an action that
// changes no replayed state.  This table is the grammar above: the builder
// and the parser both read it.
const std::vector<const char*>& DetailKeys(Action a);
bool IsReplayed(Action a);

// The detail of action a from its values, one per DetailKeys(a), in order.
// REQUIRES: values.size() == DetailKeys(a).size(); no value contains a
// space or '='.
std::string EncodeDetail(Action a, std::initializer_list<std::string_view> values);

// The values of a stored detail of action a.  kInvalidArgument unless it has
// exactly DetailKeys(a), in order, with values free of spaces, control
// characters and '='.
Result<std::vector<std::string>> DecodeDetail(Action a, std::string_view detail);

// The subject.add commitment to a subject's birth date and blind index:
// hex of the first 16 bytes of KeyedHash(lookup key, "sspf-subject-v1" 0x00
// id 0x00 birth date 0x00 pnr index).  The date is personal data, so the
// leaf holds only this; whoever holds the store's root key can check it.
std::string SubjectCommitment(const SecretBytes& lookup_key, std::string_view subject_id,
                              std::string_view birth_date, const std::vector<uint8_t>& pnr_index);

// The entry.add commitment to an entry's content: hex of the unkeyed
// BLAKE2b-256 of the body ciphertext exactly as stored in entries.body.
// Whoever reads the row can check it; the signed event binds it to the
// author (DESIGN §13, checked at use by ReadEntry and by audit verify).
std::string EntryBodyCommitment(const std::vector<uint8_t>& ciphertext);

// The subject.add commitment to the identity records as stored (DESIGN
// §13): hex of the unkeyed BLAKE2b-256 of the AdBuilder encoding of
// "sspf-identity-commitment-v1", the subject's identity ciphertext and each
// guardian's, in position order.  Every principal can decrypt and
// re-encrypt identities; the signed event binds the ciphertexts to the
// coordinator who registered the youth, so a re-encrypted record (another
// name or personnummer) is refused at use and named by audit verify.  A
// subject.add with three keys (written before it) is legacy: its identity
// is not compared.
std::string IdentityCommitment(const std::vector<uint8_t>& subject_identity,
                               const std::vector<std::vector<uint8_t>>& guardian_identities);

// The retention.erase commitment to the erasure decision's reference: hex
// of the unkeyed BLAKE2b-256 of its text (the text itself is in the
// event's reason and the tombstones).
std::string RetentionDecisionCommitment(std::string_view decision);

// The detail of an allowed event whose operation then failed: it changed
// no state.  "outcome=<status code name>", e.g. "outcome=failed_precondition".
std::string FailureDetail(StatusCode code);
bool IsFailureDetail(std::string_view detail);

// A list value: the items joined with ','.
std::string DetailList(const std::vector<std::string>& items);
// The items of a list value (one empty item for an empty value).
std::vector<std::string> SplitDetailList(std::string_view value);

// Case numbers (issue 14): a case's number is the UTC year of its
// case.open event and the event's place among that year's successful
// case.open events in log order, "YYYY-NNNN" (more digits past 9999).
int CaseNumberYear(UnixSeconds t);
std::string FormatCaseNumber(int year, uint64_t n);
// "2026-0042" or "2026-42": the normal form "2026-0042"; nullopt for
// anything else (a year of four digits, a dash, a number 1..999999999).
std::optional<std::string> ParseCaseNumber(std::string_view text);

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_REPLAY_DETAIL_H_
