// Cases (ärenden) and their teams.
#include <algorithm>

#include "context/internal_ops.h"
#include "sspf/lists.h"

namespace sspf {

using internal::Db;
using internal::Stmt;

namespace internal {

Status LoadCaseFacts(Session::Impl* impl, std::string_view case_id, std::string* subject_id,
                     bool* open, bool* on_team, bool* has_grant) {
  // One statement: this runs on every case operation and every read.
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st,
      impl->db->Prepare(
          "SELECT c.subject_id, c.open, "
          "EXISTS(SELECT 1 FROM case_team t WHERE t.case_id = c.id AND t.principal_id = ?2), "
          "EXISTS(SELECT 1 FROM grants g WHERE g.case_id = c.id AND g.principal_id = ?2 "
          "       AND g.created <= ?3 AND g.until > ?3) "
          "FROM cases c WHERE c.id = ?1"));
  st->Bind(1, case_id).Bind(2, impl->me.id).Bind(3, impl->Now());
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such case");
  *subject_id = st->Text(0);
  *open = st->Int(1) != 0;
  *on_team = st->Int(2) != 0;
  *has_grant = st->Int(3) != 0;
  st->Reset();
  return Status::Ok();
}

Result<CaseOp> StartCaseOp(Session::Impl* impl, Operation op, Action action,
                           std::string_view case_id) {
  CaseOp c;
  c.request = RequestFor(impl, op);
  c.event.action = action;
  c.event.case_id = std::string(case_id);
  c.event.target = "case:" + c.event.case_id;
  SSPF_RETURN_IF_ERROR(LoadCaseFacts(impl, case_id, &c.event.subject_id, &c.open,
                                     &c.request.on_case_team, &c.request.has_active_grant));
  return c;
}

}  // namespace internal

namespace {

// An active principal with a content role (member or coordinator): the only
// ones that may sit on a case team.  Returns its id.
Result<std::string> TeamPrincipalId(Db* db, std::string_view name) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT id, role, active FROM principals WHERE name = ?"));
  st->Bind(1, name);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such principal");
  std::string id = st->Text(0);
  Role role = static_cast<Role>(st->Int(1));
  bool active = st->Int(2) != 0;
  st->Reset();
  if (!active) return FailedPrecondition("the principal is disabled");
  if (role != Role::kMember && role != Role::kCoordinator) {
    return InvalidArgument("only members and coordinators can be on a case team");
  }
  return id;
}

Result<std::vector<std::string>> TeamNames(Db* db, const std::string& case_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT p.name FROM case_team t JOIN principals p ON "
                                    "p.id = t.principal_id WHERE t.case_id = ? "
                                    "ORDER BY t.rowid"));
  st->Bind(1, case_id);
  std::vector<std::string> out;
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(st->Text(0));
  }
  st->Reset();
  return out;
}

Status AddToTeam(Session::Impl* impl, const std::string& case_id, const std::string& pid) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, impl->db->Prepare("INSERT INTO case_team(case_id, principal_id, added) "
                                   "VALUES(?,?,?)"));
  st->Bind(1, case_id).Bind(2, pid).Bind(3, impl->Now());
  return st->Run();
}

}  // namespace

Result<std::string> Session::OpenCase(std::string_view subject_id,
                                      const std::vector<std::string>& team) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(Impl::Scope scope, impl->Begin());
  Db* db = impl->db.get();
  Impl::EventArgs e;
  e.action = Action::kCaseOpen;
  e.target = "case:?";
  internal::Decision d = internal::DecideFor(impl, internal::Operation::kOpenCase);
  if (!d.allowed) {
    e.subject_id = std::string(subject_id);
    e.reason = d.reason;
    return impl->Deny(scope, e);
  }
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db->Prepare("SELECT erased FROM subjects WHERE id = ?"));
    st->Bind(1, subject_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    bool erased = row && st->Int(0) != 0;
    st->Reset();
    if (!row) return NotFound("no such subject");
    if (erased) return FailedPrecondition("the subject's identity has been erased");
  }
  // The opening coordinator runs the case, so it is on the team first.
  std::vector<std::string> members = {impl->me.id};
  for (size_t i = 0; i < team.size(); ++i) {
    Result<std::string> pid = TeamPrincipalId(db, team[i]);
    if (!pid.ok()) {
      return Status(pid.status().code(), "team member " + std::to_string(i + 1) + ": " +
                                             pid.status().message());
    }
    if (std::find(members.begin(), members.end(), *pid) == members.end()) {
      members.push_back(*pid);
    }
  }
  std::string id = internal::RandomId();
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins, db->Prepare("INSERT INTO cases(id, subject_id, open, opened, closed, "
                              "opened_by) VALUES(?,?,1,?,NULL,?)"));
  ins->Bind(1, id).Bind(2, subject_id).Bind(3, impl->Now()).Bind(4, impl->me.id);
  SSPF_RETURN_IF_ERROR(ins->Run());
  for (const std::string& pid : members) {
    SSPF_RETURN_IF_ERROR(AddToTeam(impl, id, pid));
  }
  const std::string team_ids = JoinList(members);
  e.target = "case:" + id;
  e.case_id = id;
  e.subject_id = std::string(subject_id);
  e.allowed = true;
  e.reason = d.reason;
  e.basis = d.basis;
  e.detail = "case=" + id + " subject=" + std::string(subject_id) + " open=1 team=" + team_ids;
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Result<std::vector<CaseInfo>> Session::ListCases() {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(Impl::Scope scope, impl->Begin());
  Db* db = impl->db.get();
  Impl::EventArgs e;
  e.action = Action::kCaseList;
  e.target = "cases";
  internal::Decision d = internal::DecideFor(impl, internal::Operation::kListCases);
  SSPF_RETURN_IF_ERROR(internal::DenyUnlessAllowed(impl, scope, d, e));
  std::vector<CaseInfo> out;
  {
    const char* all =
        "SELECT id, subject_id, open, opened, closed FROM cases ORDER BY opened, id";
    const char* mine =
        "SELECT id, subject_id, open, opened, closed FROM cases c WHERE "
        "EXISTS (SELECT 1 FROM case_team t WHERE t.case_id = c.id AND t.principal_id = ?1) "
        "OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = c.id AND g.principal_id = ?1 "
        "AND g.created <= ?2 AND g.until > ?2) ORDER BY opened, id";
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(d.restrict_rows ? mine : all));
    if (d.restrict_rows) st->Bind(1, impl->me.id).Bind(2, impl->Now());
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      CaseInfo c;
      c.id = st->Text(0);
      c.subject_id = st->Text(1);
      c.open = st->Int(2) != 0;
      c.opened = st->Int(3);
      if (!st->IsNull(4)) c.closed = st->Int(4);
      out.push_back(std::move(c));
    }
    st->Reset();
  }
  for (CaseInfo& c : out) {
    SSPF_ASSIGN_OR_RETURN(c.team, TeamNames(db, c.id));
  }
  e.allowed = true;
  e.reason = d.reason + " (" + std::to_string(out.size()) + " cases)";
  e.basis = d.basis;
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return out;
}

Result<CaseInfo> Session::ShowCase(std::string_view case_id) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(Impl::Scope scope, impl->Begin());
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(internal::CaseOp op,
                        internal::StartCaseOp(impl, internal::Operation::kShowCase,
                                              Action::kCaseShow, case_id));
  internal::Decision d = internal::Decide(op.request);
  Impl::EventArgs& e = op.event;
  SSPF_RETURN_IF_ERROR(internal::DenyUnlessAllowed(impl, scope, d, e));
  CaseInfo c;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT id, subject_id, open, opened, closed FROM cases "
                               "WHERE id = ?"));
    st->Bind(1, case_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return NotFound("no such case");
    c.id = st->Text(0);
    c.subject_id = st->Text(1);
    c.open = st->Int(2) != 0;
    c.opened = st->Int(3);
    if (!st->IsNull(4)) c.closed = st->Int(4);
    st->Reset();
  }
  SSPF_ASSIGN_OR_RETURN(c.team, TeamNames(db, c.id));
  e.allowed = true;
  e.reason = d.reason;
  e.basis = d.basis;
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return c;
}

Status Session::CloseCase(std::string_view case_id) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(Impl::Scope scope, impl->Begin());
  SSPF_ASSIGN_OR_RETURN(internal::CaseOp op,
                        internal::StartCaseOp(impl, internal::Operation::kCloseCase,
                                              Action::kCaseClose, case_id));
  internal::Decision d = internal::Decide(op.request);
  Impl::EventArgs& e = op.event;
  SSPF_RETURN_IF_ERROR(internal::DenyUnlessAllowed(impl, scope, d, e));
  if (!op.open) return FailedPrecondition("the case is already closed");
  SSPF_ASSIGN_OR_RETURN(
      Stmt * up, impl->db->Prepare("UPDATE cases SET open = 0, closed = ? WHERE id = ?"));
  up->Bind(1, impl->Now()).Bind(2, case_id);
  SSPF_RETURN_IF_ERROR(up->Run());
  e.allowed = true;
  e.reason = d.reason;
  e.basis = d.basis;
  e.detail = "case=" + std::string(case_id) + " open=0";
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  return scope.Commit();
}

Status Session::AddTeamMember(std::string_view case_id, std::string_view principal) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(Impl::Scope scope, impl->Begin());
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(internal::CaseOp op,
                        internal::StartCaseOp(impl, internal::Operation::kManageTeam,
                                              Action::kCaseTeamAdd, case_id));
  internal::Decision d = internal::Decide(op.request);
  Impl::EventArgs& e = op.event;
  SSPF_RETURN_IF_ERROR(internal::DenyUnlessAllowed(impl, scope, d, e));
  if (!op.open) return FailedPrecondition("the case is closed");
  SSPF_ASSIGN_OR_RETURN(std::string pid, TeamPrincipalId(db, principal));
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT 1 FROM case_team WHERE case_id = ? AND principal_id = ?"));
    st->Bind(1, case_id).Bind(2, pid);
    SSPF_ASSIGN_OR_RETURN(bool exists, st->Step());
    st->Reset();
    if (exists) return AlreadyExists("the principal is already on the case team");
  }
  SSPF_RETURN_IF_ERROR(AddToTeam(impl, std::string(case_id), pid));
  e.allowed = true;
  e.reason = d.reason;
  e.basis = d.basis;
  e.detail = "case=" + std::string(case_id) + " member=" + pid;
  SSPF_RETURN_IF_ERROR(impl->Log(e));
  return scope.Commit();
}

}  // namespace sspf
