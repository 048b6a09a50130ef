// Monotonic time (DESIGN §6): a clock set back can neither revive an
// expired emergency grant nor write an event earlier than the last one;
// beyond the tolerance nothing is written at all; and `audit verify`
// reports an event time that goes backwards.
#include "catch.h"
#include "context/session_impl.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";
constexpr int64_t kHour = 3600;

struct World {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> admin, coord, school2, auditor;
  std::string case_id;

  World() {
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    admin = Open("admin");
    for (auto [name, actor, role] :
         {std::tuple{"coord", Actor::kCoordination, Role::kCoordinator},
          std::tuple{"school1", Actor::kSchool, Role::kMember},
          std::tuple{"school2", Actor::kSchool, Role::kMember},
          std::tuple{"auditor", Actor::kCoordination, Role::kAuditor}}) {
      REQUIRE(admin->AddPrincipal(name, actor, role, Pass(kPass)).ok());
    }
    coord = Open("coord");
    school2 = Open("school2");
    auditor = Open("auditor");
    const Date today = DateOf(clock->Now());
    Result<SubjectInfo> s = coord->AddSubject(
        {MakeTestPersonalNumber(Date{today.year - 16, 3, 10}, 71, false), "Ungdom", {}});
    REQUIRE(s.ok());
    case_id = coord->OpenCase(s->id, {"school1"}).value();
  }
  Session Open(const std::string& name, const StoreOptions* with = nullptr) {
    Result<Session> s = Store::Open(with ? *with : options, name, Pass(kPass));
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    return std::move(s).value();
  }
  internal::Db* Db() { return internal::SessionAccess::Get(*coord)->db.get(); }
  int64_t Int(const std::string& sql) { return QueryInt(*coord, sql); }
  int64_t LastTime() { return Int("SELECT time FROM events ORDER BY seq DESC LIMIT 1"); }
  int64_t Events() { return Int("SELECT count(*) FROM events"); }
};

}  // namespace

TEST_CASE("a clock set back cannot revive an expired emergency grant", "[clock]") {
  World w;
  REQUIRE(w.school2->GrantEmergency(w.case_id, "OSL 10 kap. 2 §", "Akut läge.", 1).ok());
  REQUIRE(w.school2->ShowCase(w.case_id).ok());
  w.clock->Advance(2 * kHour);
  CHECK(w.school2->ShowCase(w.case_id).status().code() == StatusCode::kPermissionDenied);
  const int64_t last = w.LastTime();
  CHECK(last == w.clock->Now());

  // Back 90 minutes, into the grant's hour: beyond the default tolerance
  // (5 minutes) every operation is refused, and nothing is written.
  w.clock->Advance(-90 * 60);
  const int64_t before = w.Events();
  Status refused = w.school2->ShowCase(w.case_id).status();
  CHECK(refused.code() == StatusCode::kFailedPrecondition);
  CHECK(refused.message().find("clock is 5400 s behind the access log's last event") !=
        std::string::npos);
  CHECK(refused.message().find('\n') == std::string::npos);
  CHECK(w.school2->ListCases().status().code() == StatusCode::kFailedPrecondition);
  CHECK(w.auditor->Verify({}).status().code() == StatusCode::kFailedPrecondition);
  CHECK(Store::Open(w.options, "school2", Pass(kPass)).status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(w.Events() == before);

  // With a tolerance larger than the step back the operation goes ahead,
  // but decided at the last event's time: the grant stays expired, and the
  // event is not dated before its predecessor.
  StoreOptions lenient = w.options;
  lenient.clock_tolerance_seconds = 4 * kHour;
  Session late = w.Open("school2", &lenient);
  CHECK(late.ShowCase(w.case_id).status().code() == StatusCode::kPermissionDenied);
  CHECK(late.ListCases()->empty());
  CHECK(w.LastTime() == last);
  CHECK(w.Int("SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1 "
              "WHERE b.time < a.time") == 0);

  // Back to the real time: everything works again, and verify says ok.
  w.clock->Advance(90 * 60);
  Result<VerifyReport> ok = w.auditor->Verify({});
  INFO(ok.status().ToString());
  CHECK(ok.ok());
}

TEST_CASE("within the tolerance, events keep the last event's time", "[clock]") {
  World w;
  const int64_t last = w.LastTime();
  w.clock->Advance(-4 * 60);  // less than 5 minutes behind
  REQUIRE(w.coord->ListCases().ok());
  CHECK(w.LastTime() == last);
  w.clock->Advance(-2 * 60);  // now 6 minutes behind
  CHECK(w.coord->ListCases().status().code() == StatusCode::kFailedPrecondition);
  // A tolerance of 0 refuses any step back; a negative one counts as 0.
  w.clock->Advance(6 * 60 - 1);
  StoreOptions strict = w.options;
  strict.clock_tolerance_seconds = -10;
  CHECK(Store::Open(strict, "coord", Pass(kPass)).status().code() ==
        StatusCode::kFailedPrecondition);
  w.clock->Advance(1);
  CHECK(Store::Open(strict, "coord", Pass(kPass)).ok());
}

TEST_CASE("verify reports an event time that goes backwards, naming the seq", "[clock][audit]") {
  World w;
  REQUIRE(w.auditor->Verify({}).ok());
  const int64_t seq = w.Int("SELECT max(seq) FROM events") - 3;
  // The insider's edit (with the append-only trigger dropped): event `seq`
  // dated an hour before its predecessor.
  REQUIRE(w.Db()->Exec("DROP TRIGGER events_no_update").ok());
  REQUIRE(w.Db()->Exec(("UPDATE events SET time = time - 3600 WHERE seq = " +
                        std::to_string(seq)).c_str()).ok());
  Status s = w.auditor->Verify({}).status();
  CHECK(s.code() == StatusCode::kIntegrityViolation);
  INFO(s.message());
  CHECK(s.message().find("event " + std::to_string(seq) + ": time ") == 0);
  CHECK(s.message().find("is earlier than event " + std::to_string(seq - 1)) !=
        std::string::npos);
  CHECK(s.message().find("time went backwards") != std::string::npos);
}
