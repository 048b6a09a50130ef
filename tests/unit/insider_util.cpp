#include "insider_util.h"

#include <sqlite3.h>

#include "catch.h"
#include "context/session_impl.h"
#include "keys/key_hierarchy.h"
#include "sspf/pnr.h"
#include "test_util.h"

namespace sspf::testing {

std::unique_ptr<internal::Db> InsiderDb(Session& insider, const std::string& path) {
  Session::Impl* impl = internal::SessionAccess::Get(insider);
  Result<SecretBytes> key = internal::Subkey(impl->root_key, internal::kSubkeySqlcipher);
  REQUIRE(key.ok());
  Result<std::unique_ptr<internal::Db>> db = internal::Db::Open(path, *key, false);
  REQUIRE(db.ok());
  // The insider's tool (the sqlcipher shell) runs triggers and views: no
  // authorizer of the library's (storage/db.cpp).
  sqlite3_set_authorizer((*db)->raw(), nullptr, nullptr);
  return std::move(db).value();
}

int64_t Count(internal::Db* db, const std::string& sql) {
  internal::Stmt* st = db->Prepare(sql.c_str()).value();
  bool row = st->Step().value();
  int64_t n = row ? st->Int(0) : -1;
  st->Reset();
  return n;
}

void ExecOrFail(internal::Db* db, const std::string& sql) {
  Status s = db->Exec(sql.c_str());
  INFO(sql << ": " << s.ToString());
  REQUIRE(s.ok());
}

std::vector<uint8_t> BlobOf(internal::Db* db, const std::string& sql) {
  internal::Stmt* st = db->Prepare(sql.c_str()).value();
  INFO(sql);
  REQUIRE(st->Step().value());
  std::vector<uint8_t> out = st->Blob(0);
  st->Reset();
  return out;
}

void RunWithBlob(internal::Db* db, const std::string& sql, const std::vector<uint8_t>& blob) {
  internal::Stmt* st = db->Prepare(sql.c_str()).value();
  st->BindBlob(1, blob);
  Status s = st->Run();
  INFO(sql << ": " << s.ToString());
  REQUIRE(s.ok());
}

std::string VerifyMessage(Session& auditor) {
  Result<VerifyReport> v = auditor.Verify({});
  if (v.ok()) return "ok";
  CHECK(v.status().code() == StatusCode::kIntegrityViolation);
  return v.status().message();
}

void AddPrincipalOrFail(Session& admin, const std::string& name, Actor a, Role r,
                        const std::string& pass) {
  Result<std::string> id = admin.AddPrincipal(name, a, r, Pass(pass));
  INFO(id.status().ToString());
  REQUIRE(id.ok());
}

Session OpenOrFail(const StoreOptions& options, const std::string& name,
                   const std::string& pass) {
  Result<Session> s = Store::Open(options, name, Pass(pass));
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s).value();
}

InsiderWorld::InsiderWorld() : InsiderWorld(DefaultRetentionRules()) {}

InsiderWorld::InsiderWorld(std::vector<RetentionRule> rules) {
  options.retention_rules = std::move(rules);
  Result<InitResult> r = Store::Create(options, "admin", Pass(kInsiderPass));
  REQUIRE(r.ok());
  init = std::move(r).value();
  admin = Open("admin");
  Add("coord", Actor::kCoordination, Role::kCoordinator);
  Add("school1", Actor::kSchool, Role::kMember);
  Add("police1", Actor::kPolice, Role::kMember);
  Add("auditor", Actor::kCoordination, Role::kAuditor);
  coord = Open("coord");
  school = Open("school1");
  police = Open("police1");
  auditor = Open("auditor");
  Result<SubjectInfo> s = coord->AddSubject(
      {MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 15, 4, 2}, 417, false),
       "Ung Testsson", {"Vera Testsson"}});
  REQUIRE(s.ok());
  Result<std::string> c = coord->OpenCase(s->id, {"school1", "police1"});
  REQUIRE(c.ok());
  case_id = *c;
}

void InsiderWorld::Add(const std::string& name, Actor a, Role r) {
  AddPrincipalOrFail(*admin, name, a, r, kInsiderPass);
}

Session InsiderWorld::Open(const std::string& name) {
  return OpenOrFail(options, name, kInsiderPass);
}

void InsiderExec(internal::Db* db, const std::string& sql) {
  INFO(sql);
  REQUIRE(db->Exec(sql.c_str()).ok());
}

SubjectInfo InsiderWorld::TwoGuardianCase(int serial) {
  Result<SubjectInfo> s = coord->AddSubject(
      {MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 12, 6, 1}, serial, false),
       "Barn Testsson", {"Anna Testsson", "Bo Testsson"}});
  REQUIRE(s.ok());
  REQUIRE(s->guardians.size() == 2);
  Result<std::string> c = coord->OpenCase(s->id, {"school1", "police1"});
  REQUIRE(c.ok());
  case_id = *c;
  return *s;
}

std::string InsiderWorld::GuardianId() {
  Result<CaseInfo> c = coord->ShowCase(case_id);
  REQUIRE(c.ok());
  Result<SubjectInfo> s = coord->ShowSubject(c->subject_id);
  REQUIRE(s.ok());
  REQUIRE(s->guardians.size() == 1);
  return s->guardians[0].id;
}

std::string InsiderWorld::IdOf(internal::Db* db, const std::string& name) {
  internal::Stmt* st = db->Prepare("SELECT id FROM principals WHERE name = ?").value();
  st->Bind(1, name);
  REQUIRE(st->Step().value());
  std::string id = st->Text(0);
  st->Reset();
  return id;
}

std::vector<std::string> FindEverywhere(internal::Db* db, const std::string& needle) {
  std::vector<std::string> tables, hits;
  internal::Stmt* t = db->Prepare("SELECT name FROM sqlite_master WHERE type = 'table'").value();
  while (t->Step().value()) tables.push_back(t->Text(0));
  t->Reset();
  REQUIRE(tables.size() > 10);
  for (const std::string& table : tables) {
    std::vector<std::string> columns;
    const std::string info = "PRAGMA table_info(" + table + ")";
    internal::Stmt* c = db->Prepare(info.c_str()).value();
    while (c->Step().value()) columns.push_back(c->Text(1));
    c->Reset();
    for (const std::string& col : columns) {
      const std::string sql = "SELECT count(*) FROM " + table + " WHERE instr(CAST(" + col +
                              " AS BLOB), CAST(? AS BLOB)) > 0";
      internal::Stmt* q = db->Prepare(sql.c_str()).value();
      q->Bind(1, needle);
      REQUIRE(q->Step().value());
      if (q->Int(0) > 0) hits.push_back(table + "." + col);
      q->Reset();
    }
  }
  return hits;
}

}  // namespace sspf::testing
