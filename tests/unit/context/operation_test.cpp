// The operation runner (context/operation.h): every decision is logged
// exactly once; an allowed operation that then fails keeps its decision in
// the log, with the failure as its outcome, and nothing else.
#include <string>

#include "catch.h"
#include "context/operation.h"
#include "log/audit_log.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";

struct Store2 {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> admin, coord, auditor;
  std::string subject;

  Store2() {
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    admin = Open("admin");
    REQUIRE(admin->AddPrincipal("coord", Actor::kCoordination, Role::kCoordinator, Pass(kPass))
                .ok());
    REQUIRE(admin->AddPrincipal("auditor", Actor::kCoordination, Role::kAuditor, Pass(kPass))
                .ok());
    coord = Open("coord");
    auditor = Open("auditor");
    Session::NewSubject s;
    s.personal_number = "201001022381";  // fictitious, valid checksum (serial 238)
    s.name = "Test Testsson";
    Result<SubjectInfo> info = coord->AddSubject(s);
    INFO(info.status().ToString());
    REQUIRE(info.ok());
    subject = info->id;
  }
  Session Open(const std::string& name) {
    Result<Session> s = Store::Open(options, name, Pass(kPass));
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    return std::move(s).value();
  }
  internal::Db* Db() { return internal::SessionAccess::Get(*coord)->db.get(); }
  int64_t Count(const std::string& sql) {
    internal::Stmt* st = Db()->Prepare(sql.c_str()).value();
    bool row = st->Step().value();
    int64_t n = row ? st->Int(0) : -1;
    st->Reset();
    return n;
  }
  // The newest event.
  internal::EventRecord Last() {
    static const std::string sql = std::string("SELECT ") + internal::kEventColumns +
                                   " FROM events ORDER BY seq DESC LIMIT 1";
    internal::Stmt* st = Db()->Prepare(sql.c_str()).value();
    REQUIRE(st->Step().value());
    internal::EventRecord e = internal::ReadEventRow(st);
    st->Reset();
    return e;
  }
  int64_t Events() { return Count("SELECT count(*) FROM events"); }
};

TEST_CASE("an allowed operation that fails keeps its decision and nothing else",
          "[context][runner]") {
  Store2 w;
  Result<std::string> c = w.coord->OpenCase(w.subject, {});
  REQUIRE(c.ok());
  REQUIRE(w.coord->CloseCase(*c).ok());
  const int64_t before = w.Events();
  const int64_t closed_at = w.Count("SELECT closed FROM cases WHERE id = '" + *c + "'");

  w.clock->Advance(60);
  Status again = w.coord->CloseCase(*c);
  CHECK(again.code() == StatusCode::kFailedPrecondition);
  CHECK(w.Events() == before + 1);
  internal::EventRecord e = w.Last();
  CHECK(e.action == Action::kCaseClose);
  CHECK(e.allowed);
  CHECK(e.target == "case:" + *c);
  CHECK(e.reason.find("; failed: failed_precondition") != std::string::npos);
  CHECK(e.detail == "outcome=failed_precondition");
  // Nothing else: the case row is as it was.
  CHECK(w.Count("SELECT closed FROM cases WHERE id = '" + *c + "'") == closed_at);

  // A failing body's writes are undone: a team of an unknown principal
  // opens no case, and the log says so.
  const int64_t cases = w.Count("SELECT count(*) FROM cases");
  Result<std::string> bad = w.coord->OpenCase(w.subject, {"nobody"});
  CHECK(bad.status().code() == StatusCode::kNotFound);
  CHECK(w.Count("SELECT count(*) FROM cases") == cases);
  CHECK(w.Count("SELECT count(*) FROM case_team") == 1);
  e = w.Last();
  CHECK(e.action == Action::kCaseOpen);
  CHECK(e.allowed);
  CHECK(e.detail == "outcome=not_found");

  // The log still verifies: failure events replay as "no state change".
  Result<VerifyReport> v = w.auditor->Verify({});
  INFO(v.status().ToString());
  CHECK(v.ok());
}

TEST_CASE("a denial is logged once, and nothing runs", "[context][runner]") {
  Store2 w;
  const int64_t before = w.Events();
  const int64_t cases = w.Count("SELECT count(*) FROM cases");
  Result<std::string> c = w.admin->OpenCase(w.subject, {});
  CHECK(c.status().code() == StatusCode::kPermissionDenied);
  CHECK(w.Events() == before + 1);
  CHECK(w.Count("SELECT count(*) FROM cases") == cases);
  internal::EventRecord e = w.Last();
  CHECK(e.action == Action::kCaseOpen);
  CHECK_FALSE(e.allowed);
  CHECK(e.detail.empty());
}

TEST_CASE("inside a batch a failing operation undoes only its own writes",
          "[context][runner]") {
  Store2 w;
  REQUIRE(w.coord->BeginBatch().ok());
  Result<std::string> kept = w.coord->OpenCase(w.subject, {});
  REQUIRE(kept.ok());
  Result<std::string> failed = w.coord->OpenCase(w.subject, {"nobody"});
  CHECK_FALSE(failed.ok());
  REQUIRE(w.coord->CommitBatch().ok());
  CHECK(w.Count("SELECT count(*) FROM cases") == 1);
  CHECK(w.Count("SELECT count(*) FROM cases WHERE id = '" + *kept + "'") == 1);
  CHECK(w.Last().detail == "outcome=not_found");
  CHECK(w.auditor->Verify({}).ok());
}

TEST_CASE("principal operations are refused inside a batch, unlogged", "[context][runner]") {
  Store2 w;
  REQUIRE(w.admin->BeginBatch().ok());
  const int64_t before = w.Events();
  Status s = w.admin->DisablePrincipal("coord");
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  w.admin->AbortBatch();
  CHECK(w.Events() == before);
}

TEST_CASE("list principals and own credential changes are decided by Decide",
          "[context][runner]") {
  Store2 w;
  // An auditor may list principals (to read the log by them); a coordinator
  // may not, and the denial is logged.
  CHECK(w.auditor->ListPrincipals().ok());
  const int64_t before = w.Events();
  Result<std::vector<PrincipalInfo>> listed = w.coord->ListPrincipals();
  CHECK(listed.status().code() == StatusCode::kPermissionDenied);
  CHECK(w.Events() == before + 1);
  CHECK_FALSE(w.Last().allowed);
  CHECK(w.Last().reason.find("only roles admin and auditor") != std::string::npos);

  // A principal disabled while its session is open cannot change its
  // credential any more.
  REQUIRE(w.admin->DisablePrincipal("coord").ok());
  const std::string keyring = ReadFile(w.options.path + ".keyring");
  Status changed = w.coord->ChangeCredential(Pass("another-passphrase-2"));
  CHECK(changed.code() == StatusCode::kPermissionDenied);
  CHECK(ReadFile(w.options.path + ".keyring") == keyring);  // nothing re-wrapped
  CHECK(Store::Open(w.options, "coord", Pass("another-passphrase-2")).status().code() ==
        StatusCode::kPermissionDenied);
}

}  // namespace
