// The principals table: its row and the statements that read and write it.
// Principals are never deleted (the log refers to them); disabling sets
// active = 0.  Joins from other tables (team names, entry authors, the key
// delivery query) stay with those tables.
#ifndef SSPF_SRC_STORAGE_PRINCIPALS_TABLE_H_
#define SSPF_SRC_STORAGE_PRINCIPALS_TABLE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/records.h"
#include "storage/db.h"

namespace sspf::internal {

struct PrincipalRow {
  PrincipalInfo info;
  Bytes box_public_key;  // X25519
};

// INSERT of a new, active principal.
Status InsertPrincipal(Db* db, const PrincipalRow& row);
// The principal of that name, or nullopt.
Result<std::optional<PrincipalRow>> PrincipalByName(Db* db, std::string_view name);
// The principal with that id, or nullopt.
Result<std::optional<PrincipalRow>> PrincipalById(Db* db, std::string_view id);
// Every principal, ordered by name.
Result<std::vector<PrincipalRow>> AllPrincipals(Db* db);
// Sets active = 0.
Status DisablePrincipalRow(Db* db, std::string_view id);
// Replaces the box public key (recovery).
Status SetPrincipalBoxKey(Db* db, std::string_view id, const Bytes& box_public_key);
// Deletes every actor-key and oversight-key seal of principal id (disable,
// recovery: seals to its old key pair are useless or must go).
Status DeletePrincipalSeals(Db* db, std::string_view id);

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_PRINCIPALS_TABLE_H_
