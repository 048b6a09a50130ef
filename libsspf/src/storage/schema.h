// The database schema and its migrations, keyed on PRAGMA user_version.
#ifndef SSPF_SRC_STORAGE_SCHEMA_H_
#define SSPF_SRC_STORAGE_SCHEMA_H_

#include "storage/db.h"

namespace sspf::internal {

inline constexpr int kSchemaVersion = 10;

// Creates or upgrades the schema to kSchemaVersion.  A store written by a
// newer version is refused (kFailedPrecondition).
Status Migrate(Db* db);
// Creates or upgrades the schema to `version` (at most kSchemaVersion), so
// that tests can build a store as an older libsspf left it.
Status MigrateTo(Db* db, int version);

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_SCHEMA_H_
