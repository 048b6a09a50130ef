// White-box helpers for the insider attacks (DESIGN §13): a principal's own
// connection to the database under the root-derived SQLCipher key, and the
// principals of a scenario.
#ifndef SSPF_TESTS_INSIDER_UTIL_H_
#define SSPF_TESTS_INSIDER_UTIL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sspf/retention.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

namespace sspf::testing {

// The connection an insider makes with the SQLCipher subkey of the root
// key that her passphrase unwraps (every principal can).
std::unique_ptr<internal::Db> InsiderDb(Session& insider, const std::string& path);
// The first column of the first row of sql as an integer (-1 for no row).
int64_t Count(internal::Db* db, const std::string& sql);
// Runs sql on the insider's connection; REQUIREs success.
void ExecOrFail(internal::Db* db, const std::string& sql);
// The first column of the first row of sql as bytes; REQUIREs a row.
std::vector<uint8_t> BlobOf(internal::Db* db, const std::string& sql);
// Runs sql with blob bound to its one parameter (e.g. a restored page's
// value); REQUIREs success.
void RunWithBlob(internal::Db* db, const std::string& sql, const std::vector<uint8_t>& blob);
// "ok", or the message of the integrity violation audit verify reports.
std::string VerifyMessage(Session& auditor);
// Runs the insider's SQL on db, REQUIRED to succeed.
void InsiderExec(internal::Db* db, const std::string& sql);
// Every "table.column" of every table whose value contains needle (as bytes).
std::vector<std::string> FindEverywhere(internal::Db* db, const std::string& needle);

// Adds a principal with passphrase pass in admin's session, and opens a
// session as one; both REQUIRE success.
void AddPrincipalOrFail(Session& admin, const std::string& name, Actor a, Role r,
                        const std::string& pass);
Session OpenOrFail(const StoreOptions& options, const std::string& name,
                   const std::string& pass);

// The insider scenario: an admin, a coordinator, a school and a police
// member, an auditor (all with passphrase kInsiderPass), and one case of a
// 15-year-old with both members on its team.
inline constexpr const char* kInsiderPass = "a-test-passphrase-1";
struct InsiderWorld {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  InitResult init;
  std::optional<Session> admin, coord, school, police, auditor;
  std::string case_id;

  InsiderWorld();
  // The same with a host's retention rules (StoreOptions::retention_rules).
  explicit InsiderWorld(std::vector<RetentionRule> rules);
  void Add(const std::string& name, Actor a, Role r);
  Session Open(const std::string& name);
  // The date `days` days from the clock's now.
  Date InDays(int days) const { return DateOf(clock->Now() + int64_t{days} * 86400); }
  // Registers a 12-year-old with two guardians (both with custody), opens
  // a case for it with school1 and police1, and makes it the world's case.
  SubjectInfo TwoGuardianCase(int serial);
  // The id of the only guardian of the world's youth.
  std::string GuardianId();
  // The id of principal `name` (REQUIRED to exist).
  std::string IdOf(internal::Db* db, const std::string& name);
};

}  // namespace sspf::testing

#endif  // SSPF_TESTS_INSIDER_UTIL_H_
