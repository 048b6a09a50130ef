// The review's flag rules and sign-off tables (audit/review.cpp), shared
// with the sign-off commands (session/review_signoff.cpp), which check that
// an acknowledged event raises a flag and count a closed period's flags.
#ifndef SSPF_SRC_AUDIT_REVIEW_INTERNAL_H_
#define SSPF_SRC_AUDIT_REVIEW_INTERNAL_H_

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "context/session_impl.h"
#include "log/audit_log.h"
#include "sspf/records.h"

namespace sspf::internal::audit {

// The sealed_reasons table name of acknowledgement notes (row_id: ack id).
inline constexpr char kReviewAcksTable[] = "review_acks";

// The action that removes a member from a case team (case.team_remove):
// the read-after-team-leave rule needs it.
std::optional<Action> TeamRemoveAction();

// The flag rules of the review (docs/auditing.md), fed the events in seq
// order.  Each flag gets the event's fields (time, actor, role, action,
// allowed, case); names and sign-offs are added by the caller.
class FlagRules {
 public:
  // team_remove: the action whose detail "case=<id> member=<pid>" ends a
  // team membership (TeamRemoveAction(); tests pass their own).
  explicit FlagRules(std::optional<Action> team_remove = TeamRemoveAction());
  // The SQL condition on events that selects every event a rule looks at.
  std::string Selection() const;
  // One event, in seq order.
  void Add(const EventRecord& e);
  // The flags so far, in the order raised.
  std::vector<ReviewFlag>& flags() { return flags_; }

 private:
  // Sliding window of event times of one principal.
  struct Window {
    std::deque<std::pair<UnixSeconds, uint64_t>> events;  // (time, seq)
    bool flagged = false;  // the current burst has been flagged
    // Adds an event; true when the window first reaches `count`.
    bool Add(UnixSeconds t, uint64_t seq, int64_t window, size_t count);
  };
  void Flag(const EventRecord& e, const char* kind, std::string detail);
  // Flags e as `kind` when it brings its principal's window to `count`
  // events within `window` seconds ("<count> <what> within N minutes").
  void Burst(std::unordered_map<std::string, Window>* windows, const EventRecord& e,
             int64_t window, size_t count, const char* kind, const char* what);

  std::optional<Action> team_remove_;
  std::vector<ReviewFlag> flags_;
  std::unordered_map<std::string, Window> denials_, reads_;  // by principal
  std::unordered_map<std::string, std::pair<UnixSeconds, uint64_t>> withdrawn_;  // by case
  // "<case> <principal>" -> the seq of the removal, while not re-added.
  std::unordered_map<std::string, uint64_t> left_team_;
};

// Every flag of the whole log, in seq order, with the event fields filled
// (principal names and sign-offs not yet).
Result<std::vector<ReviewFlag>> ComputeFlags(Db* db);

// Principal id -> name, as the store authority certified it (each
// principal's newest certificate, its signature checked): what an audit
// listing, a log extract or a query by name shows and matches is never the
// principals row, which an insider can edit (two names swapped, say).
// kIntegrityViolation when a certificate does not verify.
Result<std::unordered_map<std::string, std::string>> PrincipalNames(Session::Impl* impl);

// The acknowledgements by flagged seq.  With open_notes, each note is
// decrypted when this session holds the oversight key.
Result<std::map<uint64_t, ReviewAck>> LoadAcks(Session::Impl* impl, bool open_notes);

// The closed review periods, oldest first.
Result<std::vector<ReviewClosure>> LoadClosures(Db* db);

}  // namespace sspf::internal::audit

#endif  // SSPF_SRC_AUDIT_REVIEW_INTERNAL_H_
