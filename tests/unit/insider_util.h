// White-box helpers for the insider attacks (DESIGN §13): a principal's own
// connection to the database under the root-derived SQLCipher key, and the
// principals of a scenario.
#ifndef SSPF_TESTS_INSIDER_UTIL_H_
#define SSPF_TESTS_INSIDER_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "sspf/store.h"
#include "storage/db.h"

namespace sspf::testing {

// The connection an insider makes with the SQLCipher subkey of the root
// key that her passphrase unwraps (every principal can).
std::unique_ptr<internal::Db> InsiderDb(Session& insider, const std::string& path);
// The first column of the first row of sql as an integer (-1 for no row).
int64_t Count(internal::Db* db, const std::string& sql);
// "ok", or the message of the integrity violation audit verify reports.
std::string VerifyMessage(Session& auditor);
// Every "table.column" of every table whose value contains needle (as bytes).
std::vector<std::string> FindEverywhere(internal::Db* db, const std::string& needle);

// Adds a principal with passphrase pass in admin's session, and opens a
// session as one; both REQUIRE success.
void AddPrincipalOrFail(Session& admin, const std::string& name, Actor a, Role r,
                        const std::string& pass);
Session OpenOrFail(const StoreOptions& options, const std::string& name,
                   const std::string& pass);

}  // namespace sspf::testing

#endif  // SSPF_TESTS_INSIDER_UTIL_H_
