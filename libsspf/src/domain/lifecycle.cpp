// The life of a case after it is set up (issue 12): a case reopened, a
// member taken off the team, a disclosure revoked, a grant ended early and
// a guardian's custody changed.  Each is decided by Decide, logged as a
// signed event with a replay detail (log/replay_detail.h), replayed by
// audit verify, and, where a decision reads it, checked at use against
// the signed events (DESIGN §13).
#include <algorithm>

#include "context/trust.h"
#include "domain/domain_internal.h"
#include "storage/grants_table.h"
#include "storage/principals_table.h"

namespace sspf {

using internal::Db;
using internal::EncodeDetail;
using internal::EventRecord;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {

Status CheckNotRevoked(Session::Impl* impl, std::string_view disclosure_id) {
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events,
                        SignedLifecycleEvents(impl, "disclosure:" + std::string(disclosure_id)));
  for (const EventRecord& e : events) {
    if (e.action == Action::kEntryRevoke) {
      return IntegrityViolation("disclosure " + std::string(disclosure_id) +
                                " was revoked by event " + std::to_string(e.seq) +
                                " but its row says it is not (direct edit)");
    }
  }
  return Status::Ok();
}

// The reading itself; GuardiansWithCustody adds the batch's memo.
static Result<std::vector<std::string>> ReadGuardiansWithCustody(Session::Impl* impl,
                                                                 std::string_view subject_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * gs,
                        impl->db->Prepare("SELECT id, custody FROM guardians WHERE "
                                          "subject_id = ? ORDER BY position"));
  gs->Bind(1, subject_id);
  std::vector<std::pair<std::string, bool>> rows;
  SSPF_RETURN_IF_ERROR(ForEachRow(gs, [&]() -> Status {
    rows.emplace_back(gs->Text(0), gs->Int(1) != 0);
    return Status::Ok();
  }));
  std::vector<std::string> out;
  for (const auto& [id, custody] : rows) {
    // Checked at use: the custody the log brings into force (every guardian
    // has it from subject.add; the last signed guardian.custody decides).
    SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events,
                          SignedLifecycleEvents(impl, "guardian:" + id));
    bool logged = true;
    for (const EventRecord& e : events) {
      if (e.action != Action::kGuardianCustody) continue;
      Result<std::vector<std::string>> v = DecodeDetail(e.action, e.detail);
      if (!v.ok() || (*v)[0] != subject_id || (*v)[1] != id) {
        return IntegrityViolation("guardian " + id + ": event " + std::to_string(e.seq) +
                                  " is malformed");
      }
      logged = (*v)[2] == "1";
    }
    if (logged != custody) {
      return IntegrityViolation("guardian " + id + ": its custody differs from the access log " +
                                "(direct edit; run audit verify)");
    }
    if (custody) out.push_back(id);
  }
  return out;
}

// In a batch, once per subject (Session::Impl::BatchMemo).
Result<std::vector<std::string>> GuardiansWithCustody(Session::Impl* impl,
                                                      std::string_view subject_id) {
  if (impl->batch_memo_usable) {
    auto memo = impl->batch_memo.custody.find(subject_id);
    if (memo != impl->batch_memo.custody.end()) return memo->second;
  }
  SSPF_ASSIGN_OR_RETURN(std::vector<std::string> out,
                        ReadGuardiansWithCustody(impl, subject_id));
  if (impl->batch_memo_usable) impl->batch_memo.custody.emplace(std::string(subject_id), out);
  return out;
}

}  // namespace internal

Status Session::SetGuardianCustody(std::string_view subject_id, std::string_view guardian_id,
                                   bool custody) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kChangeCustody, Action::kGuardianCustody,
              "guardian:" + std::string(guardian_id)};
  spec.subject_id = std::string(subject_id);
  auto facts = [&](Op&) -> Status {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, impl->db->Prepare("SELECT s.erased FROM guardians g JOIN subjects s ON "
                                     "s.id = g.subject_id WHERE g.id = ? AND g.subject_id = ?"));
    st->Bind(1, guardian_id).Bind(2, subject_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    const bool erased = row && st->Int(0) != 0;
    st->Reset();
    if (!row) return NotFound("no such guardian of that subject");
    // Retention erased the youth's identity: nothing is decided for it again.
    if (erased) return FailedPrecondition("the subject's identity has been erased");
    return Status::Ok();
  };
  return internal::RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(std::vector<std::string> with,
                          internal::GuardiansWithCustody(impl, subject_id));
    const bool has = std::find(with.begin(), with.end(), guardian_id) != with.end();
    if (has == custody) {
      return FailedPrecondition(custody ? "the guardian already has custody"
                                        : "the guardian already has no custody");
    }
    SSPF_ASSIGN_OR_RETURN(Stmt * up,
                          impl->db->Prepare("UPDATE guardians SET custody = ? WHERE id = ?"));
    up->Bind(1, int64_t{custody ? 1 : 0}).Bind(2, guardian_id);
    SSPF_RETURN_IF_ERROR(up->Run());
    op.event.reason += custody ? " (custody: yes)" : " (custody: no)";
    op.event.detail = EncodeDetail(Action::kGuardianCustody,
                                   {subject_id, guardian_id, custody ? "1" : "0"});
    return Status::Ok();
  });
}

Status Session::ReopenCase(std::string_view case_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kReopenCase, Action::kCaseReopen};
  spec.case_id = std::string(case_id);
  return internal::RunOperation(impl, spec, {}, [&](Op& op) -> Status {
    if (op.case_open) return FailedPrecondition("the case is open");
    SSPF_RETURN_IF_ERROR(internal::CaseNotErasedAtUse(impl, std::string(case_id)));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * up, impl->db->Prepare("UPDATE cases SET open = 1, closed = NULL WHERE id = ?"));
    up->Bind(1, case_id);
    SSPF_RETURN_IF_ERROR(up->Run());
    op.event.detail = EncodeDetail(Action::kCaseReopen, {case_id, "1"});
    return Status::Ok();
  });
}

Status Session::RemoveTeamMember(std::string_view case_id, std::string_view principal) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kManageTeam, Action::kCaseTeamRemove};
  spec.case_id = std::string(case_id);
  std::string pid;
  auto facts = [&](Op&) -> Status {
    SSPF_ASSIGN_OR_RETURN(auto row, internal::PrincipalByName(impl->db.get(), principal));
    if (!row) return NotFound("no such principal");
    pid = row->info.id;
    return Status::Ok();
  };
  return internal::RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    Db* db = impl->db.get();
    // Who stays: a case needs a coordinator on its team to be run.
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT t.principal_id, p.role, p.active FROM case_team t "
                               "JOIN principals p ON p.id = t.principal_id "
                               "WHERE t.case_id = ?"));
    st->Bind(1, case_id);
    bool member = false;
    int other_coordinators = 0;
    SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
      if (st->Text(0) == pid) {
        member = true;
      } else if (static_cast<Role>(st->Int(1)) == Role::kCoordinator && st->Int(2) != 0) {
        ++other_coordinators;
      }
      return Status::Ok();
    }));
    if (!member) return FailedPrecondition("the principal is not on the case team");
    if (other_coordinators == 0) {
      return FailedPrecondition("the case team needs an active coordinator; add one before "
                                "removing this member");
    }
    SSPF_ASSIGN_OR_RETURN(
        Stmt * del, db->Prepare("DELETE FROM case_team WHERE case_id = ? AND principal_id = ?"));
    del->Bind(1, case_id).Bind(2, pid);
    SSPF_RETURN_IF_ERROR(del->Run());
    op.event.detail = EncodeDetail(Action::kCaseTeamRemove, {case_id, pid});
    return Status::Ok();
  });
}

Status Session::RevokeDisclosure(std::string_view disclosure_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kRevokeDisclosure, Action::kEntryRevoke,
              "disclosure:" + std::string(disclosure_id)};
  std::string entry_id;
  Actor to = Actor::kSchool;
  bool revoked = false;
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, impl->db->Prepare("SELECT d.entry_id, d.to_actor, d.revoked IS NOT NULL, "
                                     "e.case_id, e.author_actor FROM disclosures d JOIN "
                                     "entries e ON e.id = d.entry_id WHERE d.id = ?"));
    st->Bind(1, disclosure_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return NotFound("no such disclosure");
    entry_id = st->Text(0);
    to = static_cast<Actor>(st->Int(1));
    revoked = st->Int(2) != 0;
    const std::string case_id = st->Text(3);
    op.request.entry_author_actor = static_cast<Actor>(st->Int(4));
    st->Reset();
    return internal::LoadCase(op, case_id);
  };
  return internal::RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    Db* db = impl->db.get();
    // The author actor the decision read must be the signed one.
    SSPF_ASSIGN_OR_RETURN(internal::EntryHead head, internal::CheckedEntryHead(impl, entry_id));
    if (head.author_actor != *op.request.entry_author_actor) {
      return IntegrityViolation("entry " + entry_id + " differs from its signed event");
    }
    if (revoked) return FailedPrecondition("the disclosure is already revoked");
    SSPF_RETURN_IF_ERROR(internal::CheckNotRevoked(impl, disclosure_id));
    const UnixSeconds now = impl->Now();
    SSPF_ASSIGN_OR_RETURN(Stmt * up,
                          db->Prepare("UPDATE disclosures SET revoked = ? WHERE id = ?"));
    up->Bind(1, now).Bind(2, disclosure_id);
    SSPF_RETURN_IF_ERROR(up->Run());
    // The receiving actor keeps the entry key only while another disclosure
    // to it is not revoked.
    SSPF_ASSIGN_OR_RETURN(
        Stmt * del, db->Prepare("DELETE FROM entry_keys WHERE entry_id = ?1 AND actor = ?2 AND "
                                "NOT EXISTS (SELECT 1 FROM disclosures WHERE entry_id = ?1 AND "
                                "to_actor = ?2 AND revoked IS NULL)"));
    del->Bind(1, entry_id).Bind(2, static_cast<int64_t>(to));
    SSPF_RETURN_IF_ERROR(del->Run());
    op.event.detail =
        EncodeDetail(Action::kEntryRevoke, {disclosure_id, entry_id, std::to_string(now)});
    return Status::Ok();
  });
}

Status Session::EndGrant(std::string_view grant_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kEndGrant, Action::kGrantEnd, "grant:" + std::string(grant_id)};
  internal::GrantFacts g;
  UnixSeconds created = 0;
  bool ended = false;
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, impl->db->Prepare("SELECT case_id, principal_id, created, until, "
                                     "ended IS NOT NULL FROM grants WHERE id = ?"));
    st->Bind(1, grant_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return NotFound("no such grant");
    g = {std::string(grant_id), st->Text(0), st->Text(1), st->Int(3)};
    created = st->Int(2);
    ended = st->Int(4) != 0;
    st->Reset();
    op.request.own_grant = g.principal_id == impl->me.id;
    return internal::LoadCase(op, g.case_id);
  };
  return internal::RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    if (ended) return FailedPrecondition("the grant has already been ended");
    const UnixSeconds now = impl->Now();
    if (!internal::GrantInForce(created, g.until, now)) {
      return FailedPrecondition("the grant is not in force (expired)");
    }
    // The holder the decision read must be the signed one.
    SSPF_RETURN_IF_ERROR(internal::CheckGrantAtUse(impl, g));
    SSPF_ASSIGN_OR_RETURN(Stmt * up,
                          impl->db->Prepare("UPDATE grants SET ended = ? WHERE id = ?"));
    up->Bind(1, now).Bind(2, grant_id);
    SSPF_RETURN_IF_ERROR(up->Run());
    op.event.detail = EncodeDetail(Action::kGrantEnd, {grant_id, std::to_string(now)});
    return Status::Ok();
  });
}

}  // namespace sspf
