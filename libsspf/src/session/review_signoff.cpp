// The auditor's sign-off (docs/auditing.md): acknowledging a flagged event
// (audit ack) and closing a review period (audit review close).  Each is a
// signed log event whose replay detail names the row it writes, so that
// audit verify finds a deleted or forged row (log/replay.cpp).  Here, above
// both domain (sealed notes) and audit (the flag rules).
#include <algorithm>

#include "audit/review_internal.h"
#include "domain/domain_internal.h"
#include "log/replay_detail.h"
#include "sspf/civil_time.h"

namespace sspf {

using internal::Db;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace {

// The flags the library raises now, with the sign-offs recorded.
struct FlagState {
  std::vector<ReviewFlag> flags;
  std::map<uint64_t, ReviewAck> acks;
};

Result<FlagState> LoadFlagState(Session::Impl* impl) {
  FlagState s;
  SSPF_ASSIGN_OR_RETURN(s.flags, internal::audit::ComputeFlags(impl->db.get()));
  SSPF_ASSIGN_OR_RETURN(s.acks, internal::audit::LoadAcks(impl, false));
  return s;
}

OpSpec SignOffSpec(Action action, std::string target) {
  OpSpec spec{Operation::kAuditRead, action, std::move(target)};
  spec.refused_in_batch = "audit commands cannot run inside a batch";
  return spec;
}

}  // namespace

Result<ReviewAck> Session::AcknowledgeFlag(uint64_t seq, std::string_view note) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the note", note, true));
  const OpSpec spec = SignOffSpec(Action::kAuditAck, "event:" + std::to_string(seq));
  auto facts = [&](Op&) -> Status {
    SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(impl->db.get()));
    if (seq >= size) return NotFound("no event " + std::to_string(seq) + " in the log");
    return Status::Ok();
  };
  return internal::RunOperationFor<ReviewAck>(impl, spec, facts, [&](Op& op) -> Result<ReviewAck> {
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(FlagState state, LoadFlagState(impl));
    const bool flagged = std::any_of(state.flags.begin(), state.flags.end(),
                                     [&](const ReviewFlag& f) { return f.seq == seq; });
    if (!flagged) {
      return FailedPrecondition("event " + std::to_string(seq) +
                                " raises no review flag; nothing to acknowledge");
    }
    auto done = state.acks.find(seq);
    if (done != state.acks.end()) {
      return AlreadyExists("the flags of event " + std::to_string(seq) +
                           " are already acknowledged (event " +
                           std::to_string(done->second.seq) + ")");
    }
    ReviewAck a;
    a.note_id = internal::RandomId();
    SSPF_ASSIGN_OR_RETURN(a.seq, internal::LogSize(db));  // the event about to be appended
    a.flagged_seq = seq;
    a.time = impl->Now();
    a.auditor_id = impl->me.id;
    a.auditor_name = impl->me.name;
    a.note = std::string(note);
    // Sealed to the auditors' oversight key only: no actor reads it.
    SSPF_ASSIGN_OR_RETURN(std::string commitment,
                          internal::SealReason(impl, internal::audit::kReviewAcksTable,
                                               a.note_id, note, {}));
    SSPF_ASSIGN_OR_RETURN(Stmt * ins,
                          db->Prepare("INSERT INTO review_acks(id, event_seq, flagged_seq, "
                                      "auditor_id, created) VALUES(?,?,?,?,?)"));
    ins->Bind(1, a.note_id)
        .Bind(2, static_cast<int64_t>(a.seq))
        .Bind(3, static_cast<int64_t>(seq))
        .Bind(4, a.auditor_id)
        .Bind(5, a.time);
    SSPF_RETURN_IF_ERROR(ins->Run());
    op.event.detail = internal::EncodeDetail(
        Action::kAuditAck, {a.note_id, std::to_string(seq), a.auditor_id,
                            std::to_string(a.time), commitment});
    return a;
  });
}

Result<ReviewClosure> Session::CloseReview(UnixSeconds until) {
  Impl* impl = impl_.get();
  if (until > impl->Now()) {
    return InvalidArgument("the review period cannot end in the future");
  }
  const std::string id = internal::RandomId();
  const OpSpec spec = SignOffSpec(Action::kAuditReviewClose, "review:" + id);
  return internal::RunOperationFor<ReviewClosure>(
      impl, spec, {}, [&](Op& op) -> Result<ReviewClosure> {
        Db* db = impl->db.get();
        ReviewClosure c;
        SSPF_ASSIGN_OR_RETURN(std::vector<ReviewClosure> earlier,
                              internal::audit::LoadClosures(db));
        for (const ReviewClosure& e : earlier) c.since = std::max(c.since, e.until);
        if (until <= c.since) {
          return InvalidArgument("the review period up to " + FormatRfc3339(c.since) +
                                 " is already closed; --until must be after it");
        }
        c.until = until;
        SSPF_ASSIGN_OR_RETURN(FlagState state, LoadFlagState(impl));
        for (const ReviewFlag& f : state.flags) {
          if (f.time < c.since || f.time >= c.until) continue;
          ++(state.acks.count(f.seq) ? c.flags_acknowledged : c.flags_open);
        }
        SSPF_ASSIGN_OR_RETURN(c.seq, internal::LogSize(db));
        c.time = impl->Now();
        c.auditor_id = impl->me.id;
        c.auditor_name = impl->me.name;
        SSPF_ASSIGN_OR_RETURN(
            Stmt * ins, db->Prepare("INSERT INTO review_closures(id, event_seq, since, until, "
                                    "auditor_id, created, flags_open, flags_acknowledged) "
                                    "VALUES(?,?,?,?,?,?,?,?)"));
        ins->Bind(1, id)
            .Bind(2, static_cast<int64_t>(c.seq))
            .Bind(3, c.since)
            .Bind(4, c.until)
            .Bind(5, c.auditor_id)
            .Bind(6, c.time)
            .Bind(7, static_cast<int64_t>(c.flags_open))
            .Bind(8, static_cast<int64_t>(c.flags_acknowledged));
        SSPF_RETURN_IF_ERROR(ins->Run());
        op.event.detail = internal::EncodeDetail(
            Action::kAuditReviewClose,
            {id, std::to_string(c.since), std::to_string(c.until), c.auditor_id,
             std::to_string(c.time), std::to_string(c.flags_open),
             std::to_string(c.flags_acknowledged)});
        return c;
      });
}

}  // namespace sspf
