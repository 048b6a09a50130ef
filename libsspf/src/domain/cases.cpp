// Cases (ärenden) and their teams.
#include <algorithm>
#include <map>

#include "domain/domain_internal.h"
#include "storage/grants_table.h"
#include "storage/principals_table.h"

namespace sspf {

using internal::Db;
using internal::EncodeDetail;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace {

// An active principal with a content role (member or coordinator): the only
// ones that may sit on a case team.  Returns its id.
Result<std::string> TeamPrincipalId(Db* db, std::string_view name) {
  SSPF_ASSIGN_OR_RETURN(auto row, internal::PrincipalByName(db, name));
  // Each refusal says where to find who may be on a team (staff list).
  constexpr const char* kStaff = " (sspf-tool staff list shows the active staff)";
  if (!row) return NotFound(std::string("no such principal") + kStaff);
  const std::string id = row->info.id;
  const Role role = row->info.role;
  if (!row->info.active) return FailedPrecondition(std::string("the principal is disabled") + kStaff);
  if (role != Role::kMember && role != Role::kCoordinator) {
    return InvalidArgument(std::string("only members and coordinators can be on a case team") +
                           kStaff);
  }
  return id;
}

// The team's names and ids, which of them are disabled principals, and
// the name of the opening coordinator.
Status LoadTeam(Db* db, CaseInfo* c) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT p.name, p.active, p.id FROM case_team t JOIN "
                                    "principals p ON p.id = t.principal_id WHERE t.case_id = ? "
                                    "ORDER BY t.rowid"));
  st->Bind(1, c->id);
  c->team.clear();
  c->team_ids.clear();
  c->team_disabled.clear();
  SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
    c->team.push_back(st->Text(0));
    c->team_ids.push_back(st->Text(2));
    if (st->Int(1) == 0) c->team_disabled.push_back(st->Text(0));
    return Status::Ok();
  }));
  SSPF_ASSIGN_OR_RETURN(auto opener, internal::PrincipalById(db, c->opened_by));
  c->opened_by_name = opener ? opener->info.name : std::string();
  return Status::Ok();
}

// The number checked against the log, and the youth's name for those who
// may see it.  Returns whether the name was shown.
Result<bool> CompleteCase(Session::Impl* impl, const std::map<std::string, std::string>& logged,
                          CaseInfo* c) {
  SSPF_RETURN_IF_ERROR(internal::CheckCaseNumbers(logged, {*c}));
  SSPF_RETURN_IF_ERROR(LoadTeam(impl->db.get(), c));
  SSPF_ASSIGN_OR_RETURN(bool may, internal::MaySeeIdentity(impl, c->subject_id));
  if (!may) return false;
  SSPF_ASSIGN_OR_RETURN(c->subject_name, internal::SubjectName(impl, c->subject_id));
  return c->subject_name.has_value();
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
  OpSpec spec{Operation::kOpenCase, Action::kCaseOpen, "case:?"};
  spec.subject_id = std::string(subject_id);
  return internal::RunOperationFor<std::string>(impl, spec, {}, [&](Op& op)
                                                    -> Result<std::string> {
    Db* db = impl->db.get();
    {
      SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT erased FROM subjects WHERE id = ?"));
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
    // The event is written at `now`, so the number counts in its year.
    const UnixSeconds now = impl->Now();
    SSPF_ASSIGN_OR_RETURN(std::string number, internal::NextCaseNumber(impl, now));
    op.event.time = now;
    SSPF_ASSIGN_OR_RETURN(
        Stmt * ins, db->Prepare("INSERT INTO cases(id, subject_id, open, opened, closed, "
                                "opened_by, number) VALUES(?,?,1,?,NULL,?,?)"));
    ins->Bind(1, id).Bind(2, subject_id).Bind(3, now).Bind(4, impl->me.id).Bind(5, number);
    SSPF_RETURN_IF_ERROR(ins->Run());
    op.event.reason += " (case number " + number + ")";
    for (const std::string& pid : members) SSPF_RETURN_IF_ERROR(AddToTeam(impl, id, pid));
    op.event.target = "case:" + id;
    op.event.case_id = id;
    op.event.detail = EncodeDetail(Action::kCaseOpen, {id, subject_id, "1",
                                                       internal::DetailList(members)});
    return id;
  });
}

namespace {

constexpr const char kCaseColumns[] = "id, subject_id, open, opened, closed, number, opened_by";

Result<CaseInfo> ReadCaseRow(Stmt* st) {
  CaseInfo c;
  c.id = st->Text(0);
  c.subject_id = st->Text(1);
  c.open = st->Int(2) != 0;
  c.opened = st->Int(3);
  if (!st->IsNull(4)) c.closed = st->Int(4);
  c.number = st->IsNull(5) ? std::string() : st->Text(5);
  c.opened_by = st->Text(6);
  return c;
}

}  // namespace

Result<std::vector<CaseInfo>> Session::ListCases() {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kListCases, Action::kCaseList, "cases"};
  return internal::RunOperationFor<std::vector<CaseInfo>>(impl, spec, {}, [&](Op& op)
      -> Result<std::vector<CaseInfo>> {
    Db* db = impl->db.get();
    std::vector<CaseInfo> out;
    static const std::string all =
        std::string("SELECT ") + kCaseColumns + " FROM cases ORDER BY opened, rowid";
    static const std::string mine =
        std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE "
        "EXISTS (SELECT 1 FROM case_team t WHERE t.case_id = c.id AND t.principal_id = ?1) "
        "OR EXISTS (SELECT 1 FROM grants g WHERE g.case_id = c.id AND " +
        internal::GrantInForceSql(1, 2) + ") ORDER BY opened, rowid";
    const bool restrict_rows = op.decision.restrict_rows;
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(restrict_rows ? mine.c_str() : all.c_str()));
    if (restrict_rows) st->Bind(1, impl->me.id).Bind(2, impl->Now());
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      SSPF_ASSIGN_OR_RETURN(CaseInfo c, ReadCaseRow(st));
      out.push_back(std::move(c));
    }
    st->Reset();
    SSPF_ASSIGN_OR_RETURN(auto logged, internal::LoggedCaseNumbers(impl));
    size_t names = 0;
    for (CaseInfo& c : out) {
      SSPF_ASSIGN_OR_RETURN(bool named, CompleteCase(impl, logged, &c));
      names += named ? 1 : 0;
    }
    op.event.reason += " (" + std::to_string(out.size()) + " cases, " + std::to_string(names) +
                       " youth names shown)";
    return out;
  });
}

Result<CaseInfo> Session::ShowCase(std::string_view case_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kShowCase, Action::kCaseShow};
  spec.case_id = std::string(case_id);
  return internal::RunOperationFor<CaseInfo>(impl, spec, {}, [&](Op& op) -> Result<CaseInfo> {
    Db* db = impl->db.get();
    static const std::string sql =
        std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = ?";
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
    st->Bind(1, case_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return NotFound("no such case");
    SSPF_ASSIGN_OR_RETURN(CaseInfo c, ReadCaseRow(st));
    st->Reset();
    // The year the row names: a number moved to another year matches none
    // of that year's logged numbers either.
    static const std::map<std::string, std::string> kNone;
    const std::map<std::string, std::string>* logged = &kNone;
    if (std::optional<int> year = internal::CaseNumberYearOf(c.number)) {
      SSPF_ASSIGN_OR_RETURN(logged, internal::LoggedCaseNumbersOfYear(impl, *year));
    }
    SSPF_ASSIGN_OR_RETURN(bool named, CompleteCase(impl, *logged, &c));
    if (named) op.event.reason += " (youth name shown)";
    return c;
  });
}

Status Session::CloseCase(std::string_view case_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kCloseCase, Action::kCaseClose};
  spec.case_id = std::string(case_id);
  return internal::RunOperation(impl, spec, {}, [&](Op& op) -> Status {
    if (!op.case_open) return FailedPrecondition("the case is already closed");
    SSPF_ASSIGN_OR_RETURN(
        Stmt * up, impl->db->Prepare("UPDATE cases SET open = 0, closed = ? WHERE id = ?"));
    // The closing time is the event's: retention and verify read it from
    // the log and compare the row with it.
    const UnixSeconds now = impl->Now();
    up->Bind(1, now).Bind(2, case_id);
    SSPF_RETURN_IF_ERROR(up->Run());
    op.event.time = now;
    op.event.detail = EncodeDetail(Action::kCaseClose, {case_id, "0"});
    return Status::Ok();
  });
}

Status Session::AddTeamMember(std::string_view case_id, std::string_view principal) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kManageTeam, Action::kCaseTeamAdd};
  spec.case_id = std::string(case_id);
  return internal::RunOperation(impl, spec, {}, [&](Op& op) -> Status {
    Db* db = impl->db.get();
    if (!op.case_open) return FailedPrecondition("the case is closed");
    SSPF_ASSIGN_OR_RETURN(std::string pid, TeamPrincipalId(db, principal));
    {
      SSPF_ASSIGN_OR_RETURN(
          Stmt * st,
          db->Prepare("SELECT 1 FROM case_team WHERE case_id = ? AND principal_id = ?"));
      st->Bind(1, case_id).Bind(2, pid);
      SSPF_ASSIGN_OR_RETURN(bool exists, st->Step());
      st->Reset();
      if (exists) return AlreadyExists("the principal is already on the case team");
    }
    SSPF_RETURN_IF_ERROR(AddToTeam(impl, std::string(case_id), pid));
    op.event.detail = EncodeDetail(Action::kCaseTeamAdd, {case_id, pid});
    return Status::Ok();
  });
}

}  // namespace sspf
