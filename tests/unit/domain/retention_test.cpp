// Retention (gallring, issue 12): the rules as data, the plan (dry run),
// the run under an erasure decision, and the attacks on erasure: a body,
// an identity or a guardian's name deleted by direct SQL without a
// retention event, a forged erasure event, a tombstone deleted or altered,
// an erased body, identity or name restored (page replay), a subject
// marked erased by hand.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catch.h"
#include "context/session_impl.h"
#include "log/replay_detail.h"
#include "sspf/civil_time.h"
#include "sspf/json.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";
constexpr int64_t kYear = 365 * 86400;

struct World {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> admin, coord, school, social, police, auditor;
  Date born{DateOf(clock->Now()).year - 15, 3, 10};
  std::string pnr = MakeTestPersonalNumber(born, 612, false);
  std::string subject_id, case_id;
  // social identity (a meeting note), social social, school health, school school, police.
  std::string e_meeting, e_investigation, e_health, e_school, e_police;

  World() : World(DefaultRetentionRules()) {}
  // A host's own rules (StoreOptions::retention_rules).
  explicit World(std::vector<RetentionRule> rules) {
    options.retention_rules = std::move(rules);
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    admin = OpenOrFail(options, "admin", kPass);
    AddPrincipalOrFail(*admin, "coord", Actor::kCoordination, Role::kCoordinator, kPass);
    AddPrincipalOrFail(*admin, "school1", Actor::kSchool, Role::kMember, kPass);
    AddPrincipalOrFail(*admin, "social1", Actor::kSocial, Role::kMember, kPass);
    AddPrincipalOrFail(*admin, "police1", Actor::kPolice, Role::kMember, kPass);
    AddPrincipalOrFail(*admin, "auditor", Actor::kCoordination, Role::kAuditor, kPass);
    coord = OpenOrFail(options, "coord", kPass);
    school = OpenOrFail(options, "school1", kPass);
    social = OpenOrFail(options, "social1", kPass);
    police = OpenOrFail(options, "police1", kPass);
    auditor = OpenOrFail(options, "auditor", kPass);
    Result<SubjectInfo> s = coord->AddSubject({pnr, "Gallra Testsson", {"Vera Gallrasson"}});
    REQUIRE(s.ok());
    subject_id = s->id;
    case_id = Open(subject_id);
    e_meeting = Add(*social, Category::kIdentity, "Socialt möte GALLRA-1");
    e_investigation = Add(*social, Category::kSocial, "Utredning GALLRA-2");
    e_health = Add(*school, Category::kHealth, "Elevhälsa GALLRA-3");
    e_school = Add(*school, Category::kSchool, "Frånvaro GALLRA-4");
    e_police = Add(*police, Category::kPolice, "Polisens GALLRA-5");
  }
  std::string Open(const std::string& subject) {
    Result<std::string> c = coord->OpenCase(subject, {"school1", "social1", "police1"});
    REQUIRE(c.ok());
    return *c;
  }
  std::string Add(Session& s, Category c, const std::string& body) {
    Result<std::string> e = s.AddEntry(case_id, c, body);
    INFO(e.status().ToString());
    REQUIRE(e.ok());
    return *e;
  }
  RetentionPlan Plan(const std::vector<std::string>& decided = {}) {
    RetentionRequest r;
    r.decided_rules = decided;
    Result<RetentionPlan> p = admin->PlanRetention(r);
    INFO(p.status().ToString());
    REQUIRE(p.ok());
    return std::move(p).value();
  }
  RetentionRunResult Run(const std::string& decision, const std::vector<std::string>& decided) {
    Result<RetentionRunResult> r = admin->RunRetention({decision, decided});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return std::move(r).value();
  }
  // Everything due: the youth is 31, the decision rules decided.
  RetentionRunResult RunAll() {
    REQUIRE(coord->CloseCase(case_id).ok());
    clock->Advance(16 * kYear + 10 * 86400);
    return Run("SN 2042/12 § 3", {"school-records", "police-records"});
  }
};

const RetentionPlanEntry& EntryOf(const RetentionPlan& p, const std::string& id) {
  for (const RetentionPlanEntry& e : p.entries) {
    if (e.entry_id == id) return e;
  }
  FAIL("entry not in the plan: " + id);
  return p.entries.front();
}

}  // namespace

TEST_CASE("the default retention rules validate and follow DESIGN §14", "[retention]") {
  const std::vector<RetentionRule> rules = DefaultRetentionRules();
  REQUIRE(ValidateRetentionRules(rules).ok());
  std::set<std::string> ids;
  for (const RetentionRule& r : rules) ids.insert(r.id);
  CHECK(ids.size() == rules.size());
  CHECK(ids.count("social-child-investigation"));
  std::vector<RetentionRule> bad = rules;
  bad.push_back(rules.front());
  CHECK(ValidateRetentionRules(bad).code() == StatusCode::kInvalidArgument);
  bad = rules;
  bad[0].years = 151;
  CHECK(ValidateRetentionRules(bad).code() == StatusCode::kInvalidArgument);
  bad = rules;
  bad[0].id = "has space";
  CHECK(ValidateRetentionRules(bad).code() == StatusCode::kInvalidArgument);
  bad = rules;
  bad[2].birth_days = {32};
  CHECK(ValidateRetentionRules(bad).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("the plan: deadlines from closure, last entry and birth; decision and never",
          "[retention]") {
  World w;
  RetentionPlan p = w.Plan();
  CHECK(p.due_entries == 0);
  CHECK(EntryOf(p, w.e_meeting).state == "case-open");
  CHECK(EntryOf(p, w.e_school).state == "decision");
  CHECK(EntryOf(p, w.e_school).rule == "school-records");
  CHECK(EntryOf(p, w.e_police).state == "decision");

  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  const UnixSeconds now = w.clock->Now();
  p = w.Plan();
  CHECK(p.due_entries == 0);
  const RetentionPlanEntry& meeting = EntryOf(p, w.e_meeting);
  CHECK(meeting.state == "pending");
  CHECK(meeting.rule == "social-case-file");
  REQUIRE(meeting.due);
  // 5 years after the last social entry (the investigation, a moment ago).
  CHECK(*meeting.due >= now + 5 * kYear);
  CHECK(*meeting.due <= now + 5 * kYear + 2 * 86400);
  const RetentionPlanEntry& inv = EntryOf(p, w.e_investigation);
  CHECK(inv.rule == "social-child-investigation");
  REQUIRE(inv.due);
  CHECK(*inv.due == DaysFromCivil(Date{w.born.year + 30, 3, 10}) * 86400);
  CHECK(EntryOf(p, w.e_health).rule == "school-pupil-health");
  CHECK(p.cases.empty());
  CHECK(p.subjects.empty());

  // Six years on: the meeting minutes are due, the investigation is not.
  w.clock->Advance(6 * kYear);
  p = w.Plan();
  CHECK(EntryOf(p, w.e_meeting).state == "due");
  CHECK(EntryOf(p, w.e_investigation).state == "pending");
  CHECK(EntryOf(p, w.e_health).state == "pending");
  CHECK(p.due_entries == 1);

  // A decision covering the school's and the police's records.
  p = w.Plan({"school-records", "police-records"});
  CHECK(EntryOf(p, w.e_school).state == "due");
  CHECK(EntryOf(p, w.e_police).state == "due");
  CHECK(p.due_entries == 3);
  RetentionRequest wrong;
  wrong.decided_rules = {"social-case-file"};
  CHECK(w.admin->PlanRetention(wrong).status().code() == StatusCode::kInvalidArgument);
  wrong.decided_rules = {"no-such-rule"};
  CHECK(w.admin->PlanRetention(wrong).status().code() == StatusCode::kInvalidArgument);

  // The JSON document (docs/json-schema.md).
  const std::string json = RetentionPlanJson(p);
  CHECK(json.find("\"state\":\"due\"") != std::string::npos);
  CHECK(json.find("\"rule\":\"police-records\"") != std::string::npos);
  CHECK(json.rfind("{\"schema_version\":1,\"as_of\":", 0) == 0);
  // For whom: ids only, never a name, personnummer or content.
  for (const std::string& secret :
       {w.pnr, w.pnr.substr(2), std::string("Testsson"), std::string("Gallrasson"),
        std::string("GALLRA")}) {
    INFO(secret);
    CHECK(json.find(secret) == std::string::npos);
  }
  CHECK(json.find(w.subject_id) != std::string::npos);

  // Only admins plan; the denial is logged.
  CHECK(w.coord->PlanRetention().status().code() == StatusCode::kPermissionDenied);
  CHECK(w.auditor->PlanRetention().status().code() == StatusCode::kPermissionDenied);
}

TEST_CASE("the research sample: a youth born on the 15th is never erased by social services",
          "[retention]") {
  World w;
  const std::string pnr = MakeTestPersonalNumber(Date{w.born.year, 4, 15}, 613, false);
  Result<SubjectInfo> s = w.coord->AddSubject({pnr, "Forsk Testsson", {}});
  REQUIRE(s.ok());
  w.case_id = w.Open(s->id);
  const std::string e = w.Add(*w.social, Category::kIdentity, "Möte");
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  w.clock->Advance(40 * kYear);
  RetentionPlan p = w.Plan();
  CHECK(EntryOf(p, e).state == "never");
  CHECK(EntryOf(p, e).rule == "social-research-sample");
}

TEST_CASE("a host's own rules: from case closure, per category, and no rule keeps",
          "[retention]") {
  RetentionRule closed;
  closed.id = "bun-sspf";
  closed.actor = Actor::kSchool;
  closed.categories = {Category::kSchool};
  closed.from = RetentionFrom::kCaseClosed;
  closed.years = 3;
  closed.citation = "BUN 2025/88 § 7";
  closed.summary = "SSPF notes: 3 years after the case is closed";
  RetentionRule social;
  social.id = "sn-sspf";
  social.actor = Actor::kSocial;
  social.from = RetentionFrom::kLastEntry;
  social.years = 2;
  social.citation = "SN 2025/311 § 12";
  social.summary = "2 years after the last social entry";
  std::vector<RetentionRule> bad = {closed, closed};
  {
    TempDir dir;
    StoreOptions o = TestOptions(dir, std::make_shared<FakeClock>());
    o.retention_rules = bad;
    REQUIRE(Store::Create(o, "admin", Pass(kPass)).ok());
    Session admin = OpenOrFail(o, "admin", kPass);
    Result<RetentionPlan> p = admin.PlanRetention();
    CHECK(p.status().code() == StatusCode::kInvalidArgument);
    CHECK(p.status().message().find("bun-sspf") != std::string::npos);
    CHECK(admin.RunRetention({"BUN 1", {}}).status().code() == StatusCode::kInvalidArgument);
  }

  World w({closed, social});
  w.clock->Advance(30 * 86400);
  const std::string later = w.Add(*w.social, Category::kSocial, "Senare GALLRA-6");
  w.clock->Advance(30 * 86400);
  REQUIRE(w.coord->CloseCase(w.case_id).ok());
  const UnixSeconds closed_at = w.clock->Now();
  RetentionPlan p = w.Plan();
  const RetentionPlanEntry& school = EntryOf(p, w.e_school);
  CHECK(school.rule == "bun-sspf");
  CHECK(school.state == "pending");
  REQUIRE(school.due);
  // Three calendar years after closure, to the second.
  CHECK(DateOf(*school.due).year == DateOf(closed_at).year + 3);
  CHECK(DateOf(*school.due).month == DateOf(closed_at).month);
  CHECK(DateOf(*school.due).day == DateOf(closed_at).day);
  CHECK(*school.due % 86400 == closed_at % 86400);
  // The social rule counts from the last social entry, for every one.
  const RetentionPlanEntry& meeting = EntryOf(p, w.e_meeting);
  REQUIRE(meeting.due);
  CHECK(*meeting.due == *EntryOf(p, later).due);
  CHECK(DateOf(*meeting.due).year == DateOf(closed_at - 30 * 86400).year + 2);
  // No rule for pupil health or the police: kept.
  CHECK(EntryOf(p, w.e_health).state == "no-rule");
  CHECK(EntryOf(p, w.e_health).rule.empty());
  CHECK(EntryOf(p, w.e_police).state == "no-rule");
  CHECK(RetentionPlanJson(p).find("\"rule\":null,\"state\":\"no-rule\",\"due\":null") !=
        std::string::npos);

  w.clock->Advance(3 * kYear + 2 * 86400);
  RetentionRunResult r = w.Run("BUN 2030/4", {});
  CHECK(r.entries_erased == 4);  // the school note and the three social ones
  CHECK(r.cases_erased == 0);
  CHECK(r.subjects_erased == 0);
  CHECK(w.school->ReadEntry(w.e_school).status().code() == StatusCode::kFailedPrecondition);
  CHECK(w.school->ReadEntry(w.e_health).ok());
  CHECK(w.police->ReadEntry(w.e_police).ok());
  // The case is not fully erased, so the youth and the guardian keep their names.
  Result<SubjectInfo> subject = w.coord->ShowSubject(w.subject_id);
  REQUIRE(subject.ok());
  CHECK(subject->name == "Gallra Testsson");
  REQUIRE(subject->guardians.size() == 1);
  CHECK(subject->guardians[0].name == "Vera Gallrasson");
  CHECK(w.coord->FindSubject(w.pnr).ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a retention run erases, leaves tombstones, and the log still verifies",
          "[retention]") {
  World w;
  Result<std::string> before = w.auditor->Checkpoint();
  REQUIRE(before.ok());
  CHECK(w.admin->RunRetention({}).status().code() == StatusCode::kInvalidArgument);
  CHECK(w.admin->RunRetention({"Beslut om Gallra Testsson!", {}}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(w.coord->RunRetention({"SN 1", {}}).status().code() == StatusCode::kPermissionDenied);

  RetentionRunResult r = w.RunAll();
  CHECK(r.decision == "SN 2042/12 § 3");
  CHECK(r.cases == 1);
  CHECK(r.entries_erased == 5);
  CHECK(r.cases_erased == 1);
  CHECK(r.subjects_erased == 1);
  CHECK(r.compacted);
  CHECK(r.free_pages == 0);
  CHECK(r.checkpoint.find("sspf.local/") == 0);

  Result<EntryContent> read = w.social->ReadEntry(w.e_meeting);
  CHECK(read.status().code() == StatusCode::kFailedPrecondition);
  CHECK(read.status().message().find("erased under retention") != std::string::npos);
  CHECK_FALSE(w.social->DiscloseEntry(w.e_meeting, Actor::kPolice, {}).ok());
  Result<SubjectInfo> subject = w.coord->ShowSubject(w.subject_id);
  REQUIRE(subject.ok());
  CHECK(subject->name.empty());
  CHECK(subject->personal_number.empty());
  REQUIRE(subject->guardians.size() == 1);
  CHECK(subject->guardians[0].name.empty());
  CHECK(w.coord->FindSubject(w.pnr).status().code() == StatusCode::kNotFound);
  // The same personnummer can be registered again, as a new subject.
  CHECK(w.coord->AddSubject({w.pnr, "Ny Testsson", {}}).ok());

  CHECK(QueryInt(*w.admin, "SELECT count(*) FROM entries WHERE body IS NOT NULL") == 0);
  CHECK(QueryInt(*w.admin, "SELECT count(*) FROM entry_keys") == 0);
  CHECK(QueryInt(*w.admin, "SELECT count(*) FROM erasures") == 7);
  CHECK(QueryInt(*w.admin, "SELECT count(*) FROM erasures WHERE decision = "
                           "'SN 2042/12 § 3'") == 7);
  CHECK(QueryInt(*w.admin, "SELECT count(*) FROM events") > 0);

  Result<VerifyReport> v = w.auditor->Verify({});
  INFO(v.status().ToString());
  CHECK(v.ok());
  VerifyOptions kept;
  kept.kept_checkpoint = *before;
  kept.full = true;
  v = w.auditor->Verify(kept);
  INFO(v.status().ToString());
  CHECK(v.ok());

  AuditFilter f;
  f.action = Action::kRetentionErase;
  Result<std::vector<AuditEvent>> events = w.auditor->QueryEvents(f);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK((*events)[0].reason.find("gallringsbeslut SN 2042/12 § 3") != std::string::npos);
  CHECK((*events)[0].detail.find("case_erased=1 subject=" + w.subject_id) != std::string::npos);
  f.action = Action::kRetentionRun;
  f.allowed = true;
  events = w.auditor->QueryEvents(f);
  REQUIRE(events.ok());
  CHECK(events->size() == 1);
  f.allowed = false;
  events = w.auditor->QueryEvents(f);
  REQUIRE(events.ok());
  CHECK(events->size() == 1);  // the coordinator's attempt

  // audit review flags the run with its decision, for the reviewer to
  // check against the archive authority's register.
  Result<std::vector<ReviewFlag>> flags = w.auditor->Review();
  REQUIRE(flags.ok());
  int runs = 0;
  for (const ReviewFlag& fl : *flags) {
    if (fl.kind != "retention-run") continue;
    ++runs;
    CHECK(fl.principal_id == internal::SessionAccess::Get(*w.admin)->me.id);
    CHECK(fl.detail.find("gallringsbeslut SN 2042/12 § 3") != std::string::npos);
  }
  CHECK(runs == 1);  // the coordinator's denied attempt is no run

  // Nothing more to do; the run still compacts.
  RetentionRunResult again = w.Run("SN 2042/13", {"school-records", "police-records"});
  CHECK(again.cases == 0);
  CHECK(again.compacted);
  CHECK(w.auditor->Verify({}).ok());
}

TEST_CASE("attacks on erasure fail verify", "[retention][attack]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.social, w.options.path);

  SECTION("a body deleted by direct SQL without a retention event") {
    ExecOrFail(db.get(), "UPDATE entries SET body = NULL WHERE id = '" + w.e_meeting + "'");
    CHECK(VerifyMessage(*w.auditor).find("no content and no erasure event") != std::string::npos);
    CHECK(w.social->ReadEntry(w.e_meeting).status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("a tombstone added by hand, with the body deleted") {
    ExecOrFail(db.get(), "UPDATE entries SET body = NULL WHERE id = '" + w.e_meeting + "'");
    ExecOrFail(db.get(), "INSERT INTO erasures VALUES('entry:" + w.e_meeting + "', '" +
                             w.case_id + "', 1, 'social-case-file', 'SN 1')");
    CHECK(VerifyMessage(*w.auditor) != "ok");
    CHECK(w.social->ReadEntry(w.e_meeting).status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("an erasure event forged by a member, signed with her own key") {
    Session::Impl* impl = internal::SessionAccess::Get(*w.social);
    Result<Session::Impl::Scope> scope = impl->Begin();
    REQUIRE(scope.ok());
    Session::Impl::EventArgs e;
    e.action = Action::kRetentionErase;
    e.target = "case:" + w.case_id;
    e.allowed = true;
    e.reason = "admin manages principals, keys, retention; gallringsbeslut SN 1";
    e.basis = "role:admin";
    e.case_id = w.case_id;
    e.subject_id = w.subject_id;
    e.detail = internal::EncodeDetail(
        Action::kRetentionErase, {w.case_id, "1", w.e_meeting + ":social-case-file", "0", "-",
                                  internal::RetentionDecisionCommitment("SN 1")});
    REQUIRE(impl->Log(e).ok());
    REQUIRE(scope->Commit().ok());
    ExecOrFail(db.get(), "UPDATE entries SET body = NULL WHERE id = '" + w.e_meeting + "'");
    ExecOrFail(db.get(), "INSERT INTO erasures VALUES('entry:" + w.e_meeting + "', '" +
                             w.case_id + "', 1, 'social-case-file', 'SN 1')");
    CHECK(VerifyMessage(*w.auditor).find("who is no admin") != std::string::npos);
    Result<EntryContent> read = w.social->ReadEntry(w.e_meeting);
    CHECK(read.status().code() == StatusCode::kIntegrityViolation);
    CHECK(read.status().message().find("no admin") != std::string::npos);
  }
  SECTION("a subject's identity deleted by hand, as if erased, without a decision") {
    ExecOrFail(db.get(), "UPDATE subjects SET identity = NULL WHERE id = '" + w.subject_id + "'");
    CHECK(VerifyMessage(*w.auditor).find("has no identity record and no erasure event") !=
          std::string::npos);
    CHECK(w.coord->ShowSubject(w.subject_id).status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("a guardian's name deleted by hand") {
    ExecOrFail(db.get(),
               "UPDATE guardians SET identity = NULL WHERE subject_id = '" + w.subject_id + "'");
    CHECK(VerifyMessage(*w.auditor).find("has no name and its subject no erasure event") !=
          std::string::npos);
    CHECK(w.coord->ShowSubject(w.subject_id).status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("a subject marked erased by hand") {
    ExecOrFail(db.get(),
               "UPDATE subjects SET erased = 1, identity = NULL WHERE id = '" + w.subject_id + "'");
    CHECK(VerifyMessage(*w.auditor).find("marked erased without an erasure event") !=
          std::string::npos);
  }
  SECTION("after a run") {
    const std::vector<uint8_t> old_body =
        BlobOf(db.get(), "SELECT body FROM entries WHERE id = '" + w.e_meeting + "'");
    const std::vector<uint8_t> old_identity =
        BlobOf(db.get(), "SELECT identity FROM subjects WHERE id = '" + w.subject_id + "'");
    const std::vector<uint8_t> old_guardian = BlobOf(
        db.get(), "SELECT identity FROM guardians WHERE subject_id = '" + w.subject_id + "'");
    w.RunAll();
    REQUIRE(VerifyMessage(*w.auditor) == "ok");
    SECTION("a tombstone deleted") {
      ExecOrFail(db.get(), "DROP TRIGGER erasures_no_delete");
      ExecOrFail(db.get(), "DELETE FROM erasures WHERE target = 'entry:" + w.e_meeting + "'");
      CHECK(VerifyMessage(*w.auditor).find("not in the tables") != std::string::npos);
    }
    SECTION("an erased body restored (page replay)") {
      RunWithBlob(db.get(), "UPDATE entries SET body = ? WHERE id = '" + w.e_meeting + "'",
                  old_body);
      CHECK(VerifyMessage(*w.auditor).find("has content although") != std::string::npos);
      // And at use: the body is the one signed, but the log erased it.
      Result<EntryContent> read = w.social->ReadEntry(w.e_meeting);
      CHECK(read.status().code() == StatusCode::kIntegrityViolation);
      CHECK(read.status().message().find("page replay") != std::string::npos);
    }
    SECTION("an erased identity restored (page replay)") {
      RunWithBlob(db.get(), "UPDATE subjects SET identity = ? WHERE id = '" + w.subject_id + "'",
                  old_identity);
      CHECK(VerifyMessage(*w.auditor).find("is erased but keeps an identity record") !=
            std::string::npos);
      ExecOrFail(db.get(), "UPDATE subjects SET erased = 0 WHERE id = '" + w.subject_id + "'");
      CHECK(VerifyMessage(*w.auditor).find("(page replay or rollback)") != std::string::npos);
    }
    SECTION("an erased guardian's name restored (page replay)") {
      RunWithBlob(db.get(),
                  "UPDATE guardians SET identity = ? WHERE subject_id = '" + w.subject_id + "'",
                  old_guardian);
      CHECK(VerifyMessage(*w.auditor).find("keeps a name although") != std::string::npos);
      CHECK(w.coord->ShowSubject(w.subject_id).status().code() ==
            StatusCode::kIntegrityViolation);
    }
    SECTION("a tombstone's decision changed") {
      ExecOrFail(db.get(), "DROP TRIGGER erasures_no_update");
      ExecOrFail(db.get(), "UPDATE erasures SET decision = 'SN 9999/1'");
      CHECK(VerifyMessage(*w.auditor).find("erasures row") != std::string::npos);
    }
  }
}

TEST_CASE("kill -9 during a retention run leaves each case before or after, never half-erased",
          "[retention][kill]") {
  TempDir dir;
  auto clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  constexpr int kCases = 16;
  {
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    Session admin = OpenOrFail(options, "admin", kPass);
    AddPrincipalOrFail(admin, "coord", Actor::kCoordination, Role::kCoordinator, kPass);
    AddPrincipalOrFail(admin, "social1", Actor::kSocial, Role::kMember, kPass);
    AddPrincipalOrFail(admin, "auditor", Actor::kCoordination, Role::kAuditor, kPass);
    Session coord = OpenOrFail(options, "coord", kPass);
    Session social = OpenOrFail(options, "social1", kPass);
    for (int i = 0; i < kCases; ++i) {
      const Date born{DateOf(clock->Now()).year - 14, 1 + i % 12, 10};
      Result<SubjectInfo> s =
          coord.AddSubject({MakeTestPersonalNumber(born, 700 + i, false), "Kill Testsson", {}});
      REQUIRE(s.ok());
      Result<std::string> c = coord.OpenCase(s->id, {"social1"});
      REQUIRE(c.ok());
      REQUIRE(social.AddEntry(*c, Category::kIdentity, "Möte ett").ok());
      REQUIRE(social.AddEntry(*c, Category::kHealth, "Plan två").ok());
      REQUIRE(coord.CloseCase(*c).ok());
    }
  }
  clock->Advance(6 * kYear);
  // Each case: no erasure at all, or its two entries, its case and its
  // subject erased, with no key seal left.
  const std::string torn =
      "SELECT count(*) FROM cases c WHERE NOT ("
      " ((SELECT count(*) FROM entries e WHERE e.case_id = c.id AND e.body IS NULL) = 0"
      "  AND NOT EXISTS (SELECT 1 FROM erasures WHERE target = 'case:' || c.id)"
      "  AND NOT EXISTS (SELECT 1 FROM erasures WHERE target = 'subject:' || c.subject_id)"
      "  AND (SELECT erased FROM subjects WHERE id = c.subject_id) = 0)"
      " OR ((SELECT count(*) FROM entries e WHERE e.case_id = c.id AND e.body IS NULL) = 2"
      "  AND (SELECT count(*) FROM erasures WHERE target IN ('case:' || c.id, "
      "       'subject:' || c.subject_id)) = 2"
      "  AND (SELECT erased FROM subjects WHERE id = c.subject_id) = 1"
      "  AND (SELECT count(*) FROM entry_keys k JOIN entries e ON e.id = k.entry_id"
      "       WHERE e.case_id = c.id) = 0))";
  const std::string done = "SELECT count(*) FROM erasures WHERE target LIKE 'case:%'";
  bool saw_partial = false;
  for (int kill_after : {1, 4, 9}) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(fds[0]);
      Result<Session> s = Store::Open(options, "admin", Pass(kPass));
      if (!s.ok()) ::_exit(2);
      Result<RetentionRunResult> r =
          s->RunRetention({"SN 2032/5", {}}, [&](uint64_t, uint64_t) {
            const char c = 'x';
            if (::write(fds[1], &c, 1) != 1) ::_exit(3);
          });
      ::_exit(r.ok() ? 0 : 4);
    }
    ::close(fds[1]);
    int seen = 0;
    char c;
    while (seen < kill_after && ::read(fds[0], &c, 1) == 1) ++seen;
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    ::close(fds[0]);
    Session auditor = OpenOrFail(options, "auditor", kPass);
    INFO("killed after " << kill_after << " cases");
    CHECK(VerifyMessage(auditor) == "ok");
    CHECK(QueryInt(auditor, torn) == 0);
    const int64_t erased = QueryInt(auditor, done);
    CHECK(erased >= seen);
    if (erased > 0 && erased < kCases) saw_partial = true;
  }
  CHECK(saw_partial);
  Session admin = OpenOrFail(options, "admin", kPass);
  Result<RetentionRunResult> r = admin.RunRetention({"SN 2032/5", {}});
  REQUIRE(r.ok());
  CHECK(r->compacted);
  Session auditor = OpenOrFail(options, "auditor", kPass);
  CHECK(VerifyMessage(auditor) == "ok");
  CHECK(QueryInt(auditor, done) == kCases);
  CHECK(QueryInt(auditor, torn) == 0);
}
