// Human handles (issue 14): case numbers derived from the signed log and
// checked at use, guardians by position or name, subject list and staff
// list decided and logged, the youth's name in case list and show only for
// those who may see it.
#include <string>

#include "catch.h"
#include "sspf/json.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "insider_util.h"
#include "storage/db.h"
#include "storage/schema.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr UnixSeconds kJan2027 = 1798761600;  // 2027-01-01T00:00:00Z

std::string OpenCaseOrFail(Session& coord, int serial, const std::string& name) {
  Result<SubjectInfo> s = coord.AddSubject(
      {MakeTestPersonalNumber(Date{2012, 3, 4}, serial, false), name, {"Gun Vårdnad"}});
  REQUIRE(s.ok());
  Result<std::string> c = coord.OpenCase(s->id, {"school1"});
  REQUIRE(c.ok());
  return *c;
}

std::string NumberOf(Session& s, const std::string& case_id) {
  Result<CaseInfo> c = s.ShowCase(case_id);
  REQUIRE(c.ok());
  return c->number;
}

}  // namespace

TEST_CASE("Case numbers count per year in opening order and name the case", "[handles]") {
  InsiderWorld w;  // its case opened in 2026-11
  const std::string second = OpenCaseOrFail(*w.coord, 512, "Andra Testsson");
  CHECK(NumberOf(*w.coord, w.case_id) == "2026-0001");
  CHECK(NumberOf(*w.coord, second) == "2026-0002");
  // A failed open numbers nothing.
  CHECK_FALSE(w.coord->OpenCase(std::string(32, 'a'), {}).ok());
  w.clock->Set(kJan2027 + 5);
  const std::string third = OpenCaseOrFail(*w.coord, 513, "Tredje Testsson");
  CHECK(NumberOf(*w.coord, third) == "2027-0001");
  // In one batch (one transaction) each opening still counts the last.
  REQUIRE(w.coord->BeginBatch().ok());
  const std::string fourth = OpenCaseOrFail(*w.coord, 519, "Fjärde Testsson");
  const std::string fifth = OpenCaseOrFail(*w.coord, 520, "Femte Testsson");
  REQUIRE(w.coord->CommitBatch().ok());
  CHECK(NumberOf(*w.coord, fourth) == "2027-0002");
  CHECK(NumberOf(*w.coord, fifth) == "2027-0003");

  for (const char* text : {"2026-0002", "2026-2", "2026-00002"}) {
    Result<IdMatch> m = w.school->ResolveId(text);
    REQUIRE(m.ok());
    CHECK(m->kind == "case");
    CHECK(m->id == second);
  }
  Result<IdMatch> none = w.coord->ResolveId("2026-0009");
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == StatusCode::kNotFound);
  CHECK(w.coord->ResolveId("2026-0000").status().code() == StatusCode::kInvalidArgument);

  Result<std::vector<CaseInfo>> list = w.coord->ListCases();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 5);
  CHECK((*list)[2].number == "2027-0001");
  CHECK(CaseJson((*list)[0]).find("\"number\":\"2026-0001\"") != std::string::npos);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

// A session counts a year's case.open events once and then only the new
// ones (Session::Impl::CountedCaseYear): the count must follow the log
// through another session's openings and through a rolled-back one.
TEST_CASE("Case numbers counted once per session follow other sessions and rollbacks",
          "[handles]") {
  InsiderWorld w;
  CHECK(NumberOf(*w.coord, w.case_id) == "2026-0001");  // the year counted
  Session other = w.Open("coord");
  const std::string second = OpenCaseOrFail(other, 521, "Andra Testsson");
  const std::string third = OpenCaseOrFail(*w.coord, 522, "Tredje Testsson");
  CHECK(NumberOf(*w.coord, second) == "2026-0002");
  CHECK(NumberOf(*w.coord, third) == "2026-0003");
  CHECK(NumberOf(other, third) == "2026-0003");
  // An opening rolled back: its number is given again, and the case it
  // named is gone.
  REQUIRE(w.coord->BeginBatch().ok());
  const std::string gone = OpenCaseOrFail(*w.coord, 523, "Borta Testsson");
  CHECK(NumberOf(*w.coord, gone) == "2026-0004");
  w.coord->AbortBatch();
  CHECK(w.coord->ShowCase(gone).status().code() == StatusCode::kNotFound);
  const std::string fourth = OpenCaseOrFail(*w.coord, 524, "Fjärde Testsson");
  CHECK(NumberOf(*w.coord, fourth) == "2026-0004");
  CHECK(NumberOf(other, fourth) == "2026-0004");
  Result<IdMatch> m = other.ResolveId("2026-0004");
  REQUIRE(m.ok());
  CHECK(m->id == fourth);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("A case number rewritten by direct SQL is refused at use and by audit verify",
          "[handles][attack]") {
  InsiderWorld w;
  const std::string second = OpenCaseOrFail(*w.coord, 514, "Andra Testsson");
  auto db = InsiderDb(*w.coord, w.options.path);
  // The insider makes 2026-0001 name the second youth's case.
  ExecOrFail(db.get(), "UPDATE cases SET number = 'tmp' WHERE id = '" + w.case_id + "'");
  ExecOrFail(db.get(), "UPDATE cases SET number = '2026-0001' WHERE id = '" + second + "'");
  ExecOrFail(db.get(), "UPDATE cases SET number = '2026-0002' WHERE id = '" + w.case_id + "'");
  Result<IdMatch> m = w.school->ResolveId("2026-0001");
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().code() == StatusCode::kIntegrityViolation);
  CHECK(w.coord->ShowCase(second).status().code() == StatusCode::kIntegrityViolation);
  CHECK(w.coord->ListCases().status().code() == StatusCode::kIntegrityViolation);
  const std::string verify = VerifyMessage(*w.auditor);
  CHECK(verify.find("case number") != std::string::npos);
  CHECK((verify.find(second) != std::string::npos ||
         verify.find(w.case_id) != std::string::npos));
  // Put back: the numbers agree again, but the violation found at use is
  // in the log for the auditor.
  ExecOrFail(db.get(), "UPDATE cases SET number = 'tmp' WHERE id = '" + w.case_id + "'");
  ExecOrFail(db.get(), "UPDATE cases SET number = '2026-0002' WHERE id = '" + second + "'");
  ExecOrFail(db.get(), "UPDATE cases SET number = '2026-0001' WHERE id = '" + w.case_id + "'");
  CHECK(w.school->ResolveId("2026-0001")->id == w.case_id);
  CHECK(VerifyMessage(*w.auditor).find("integrity violation found at use") != std::string::npos);
}

TEST_CASE("A store from before case numbers gets them in opening order", "[handles]") {
  TempDir dir;
  SecretBytes key = std::move(SecretBytes::Allocate(32).value());
  for (size_t i = 0; i < 32; ++i) key.data(InsecureSecretAccess::Get())[i] = 7;
  Result<std::unique_ptr<internal::Db>> opened = internal::Db::Open(dir.File("s.db"), key, true);
  REQUIRE(opened.ok());
  internal::Db* db = opened->get();
  REQUIRE(internal::MigrateTo(db, 8).ok());
  // Opened in 2026: a, a failed open, a denied one, b; then c in 2027 and
  // d with the clock set back into 2026 (it still counts in 2026, after b).
  ExecOrFail(db, "INSERT INTO subjects(id, pnr_index, birth_date, identity, created) "
                 "VALUES('s', x'01', '2012-01-01', x'02', 1)");
  const char* events[][4] = {{"1", "1795000000", "1", "case=a"},
                             {"2", "1795000100", "1", "outcome=not_found"},
                             {"3", "1795000200", "0", ""},
                             {"4", "1795000300", "1", "case=b"},
                             {"5", "1798761600", "1", "case=c"},
                             {"6", "1798761599", "1", "case=d"}};
  const char* ids[] = {"a", "x", "y", "b", "c", "d"};
  for (int i = 0; i < 6; ++i) {
    ExecOrFail(db, std::string("INSERT INTO events VALUES(") + events[i][0] + ", " +
                       events[i][1] + ", 'p', 5, 2, 30, 'case:" + ids[i] + "', " + events[i][2] +
                       ", '', '', '', '" + ids[i] + "', 's', '" + events[i][3] + "')");
  }
  for (const char* id : {"d", "c", "b", "a"}) {
    ExecOrFail(db, std::string("INSERT INTO cases VALUES('") + id + "', 's', 1, 1, NULL, 'p')");
  }
  REQUIRE(internal::MigrateTo(db, 9).ok());
  auto number = [&](const char* id) {
    Result<internal::Stmt*> st = db->Prepare("SELECT number FROM cases WHERE id = ?");
    REQUIRE(st.ok());
    (*st)->Bind(1, std::string(id));
    REQUIRE((*st)->Step().value());
    std::string n = (*st)->Text(0);
    (*st)->Reset();
    return n;
  };
  CHECK(number("a") == "2026-0001");
  CHECK(number("b") == "2026-0002");
  CHECK(number("d") == "2026-0003");
  CHECK(number("c") == "2027-0001");
  // The same numbers the replay derives: a live store migrated verifies
  // (every other test here runs audit verify on numbers made at open).
}

TEST_CASE("ResolveGuardian names a guardian by position or unique name, never guesses",
          "[handles]") {
  InsiderWorld w;
  SubjectInfo s = w.TwoGuardianCase(516);  // Anna Testsson, Bo Testsson
  Result<GuardianMatch> first = w.school->ResolveGuardian(w.case_id, "1");
  REQUIRE(first.ok());
  CHECK(first->guardian_id == s.guardians[0].id);
  CHECK(first->position == 1);
  Result<GuardianMatch> bo = w.coord->ResolveGuardian(w.case_id, "bo TESTSSON");
  REQUIRE(bo.ok());
  CHECK(bo->guardian_id == s.guardians[1].id);
  CHECK(GuardianMatchJson(*bo).find("\"position\":2") != std::string::npos);

  Result<GuardianMatch> out_of_range = w.coord->ResolveGuardian(w.case_id, "3");
  REQUIRE_FALSE(out_of_range.ok());
  CHECK(out_of_range.status().code() == StatusCode::kInvalidArgument);
  CHECK(out_of_range.status().message().find("positions 1-2") != std::string::npos);
  Result<GuardianMatch> unknown = w.coord->ResolveGuardian(w.case_id, "Carl Testsson");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().message().find("guardian:POSITION") != std::string::npos);
  CHECK(unknown.status().message().find("Testsson") == std::string::npos);

  // Two guardians with one name: ambiguous, the message gives positions only.
  Result<SubjectInfo> twins = w.coord->AddSubject(
      {MakeTestPersonalNumber(Date{2013, 5, 6}, 517, false), "Tvilling Testsson",
       {"Kim Lik", "Kim Lik"}});
  REQUIRE(twins.ok());
  Result<std::string> c = w.coord->OpenCase(twins->id, {});
  REQUIRE(c.ok());
  Result<GuardianMatch> both = w.coord->ResolveGuardian(*c, "kim lik");
  REQUIRE_FALSE(both.ok());
  CHECK(both.status().code() == StatusCode::kInvalidArgument);
  CHECK(both.status().message().find("positions 1, 2") != std::string::npos);
  CHECK(both.status().message().find("Kim") == std::string::npos);
  // Not on the team: the subject show it needs is denied.
  CHECK(w.police->ResolveGuardian(*c, "1").status().code() == StatusCode::kPermissionDenied);
}

TEST_CASE("subject list: coordinators only, searched in-process, logged without the text",
          "[handles]") {
  InsiderWorld w;  // Ung Testsson
  Result<SubjectInfo> asa = w.coord->AddSubject(
      {MakeTestPersonalNumber(Date{2011, 7, 8}, 518, false), "Åsa Öberg", {}});
  REQUIRE(asa.ok());
  Result<std::vector<SubjectInfo>> all = w.coord->ListSubjects();
  REQUIRE(all.ok());
  CHECK(all->size() == 2);
  Result<std::vector<SubjectInfo>> found = w.coord->ListSubjects("åSA ö");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].id == asa->id);
  CHECK(w.coord->ListSubjects("nobody")->empty());
  CHECK(SubjectListJson(*found).find("\"subjects\":[{") != std::string::npos);

  CHECK(w.school->ListSubjects().status().code() == StatusCode::kPermissionDenied);
  CHECK(w.auditor->ListSubjects().status().code() == StatusCode::kPermissionDenied);
  CHECK(w.admin->ListSubjects().status().code() == StatusCode::kPermissionDenied);

  const std::string list = std::to_string(static_cast<int>(Action::kSubjectList));
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE action = " + list +
                               " AND allowed = 1") == 3);
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE action = " + list +
                               " AND allowed = 0") == 3);
  auto db = InsiderDb(*w.coord, w.options.path);
  for (const char* secret : {"SA", "sa", "Åsa", "nobody", "Öberg"}) {
    CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE action = " + list +
                              " AND (reason LIKE '%" + secret + "%' OR target LIKE '%" + secret +
                              "%' OR detail LIKE '%" + secret + "%')") == 0);
  }
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("staff list: the active staff by certificate, for coordinators and admins",
          "[handles]") {
  InsiderWorld w;
  w.Add("school2", Actor::kSchool, Role::kMember);
  REQUIRE(w.admin->DisablePrincipal("school2").ok());
  Result<std::vector<StaffMember>> all = w.coord->ListStaff();
  REQUIRE(all.ok());
  std::vector<std::string> names;
  for (const StaffMember& m : *all) names.push_back(m.name);
  // Admins and auditors are not staff; the disabled member is left out.
  CHECK(names == std::vector<std::string>{"school1", "police1", "coord"});
  Result<std::vector<StaffMember>> school = w.admin->ListStaff(Actor::kSchool);
  REQUIRE(school.ok());
  REQUIRE(school->size() == 1);
  CHECK((*school)[0].role == Role::kMember);
  CHECK(StaffListJson(*school).find("\"created\"") == std::string::npos);
  CHECK(w.school->ListStaff().status().code() == StatusCode::kPermissionDenied);
  CHECK(w.auditor->ListStaff().status().code() == StatusCode::kPermissionDenied);

  // A row edited into a coordinator is refused: the certificate decides.
  auto db = InsiderDb(*w.coord, w.options.path);
  ExecOrFail(db.get(), "UPDATE principals SET role = " +
                           std::to_string(static_cast<int>(Role::kCoordinator)) +
                           " WHERE name = 'police1'");
  CHECK(w.coord->ListStaff().status().code() == StatusCode::kIntegrityViolation);
}

TEST_CASE("case list and show give the youth's name only to those who may see it",
          "[handles]") {
  InsiderWorld w;  // Ung Testsson, team school1 and police1
  Result<CaseInfo> coord = w.coord->ShowCase(w.case_id);
  REQUIRE(coord.ok());
  REQUIRE(coord->subject_name.has_value());
  CHECK(*coord->subject_name == "Ung Testsson");
  CHECK(coord->opened_by_name == "coord");
  REQUIRE(coord->team_ids.size() == coord->team.size());
  CHECK(coord->team_ids[0] == coord->opened_by);
  Result<std::vector<CaseInfo>> member = w.school->ListCases();
  REQUIRE(member.ok());
  REQUIRE(member->size() == 1);
  CHECK((*member)[0].subject_name == std::optional<std::string>("Ung Testsson"));

  // Off the team with only a legal-basis grant: the id, not the name (the
  // logged, flagged subject show is the way to the identity).
  w.Add("school2", Actor::kSchool, Role::kMember);
  Session school2 = w.Open("school2");
  REQUIRE(school2.GrantEmergency(w.case_id, "OSL 10 kap. 2 §", "akut", 2).ok());
  Result<CaseInfo> granted = school2.ShowCase(w.case_id);
  REQUIRE(granted.ok());
  CHECK(granted->subject_id == coord->subject_id);
  CHECK_FALSE(granted->subject_name.has_value());
  CHECK(CaseJson(*granted).find("\"subject_name\":null") != std::string::npos);
  Result<std::vector<CaseInfo>> granted_list = school2.ListCases();
  REQUIRE(granted_list.ok());
  REQUIRE(granted_list->size() == 1);
  CHECK_FALSE((*granted_list)[0].subject_name.has_value());
}
