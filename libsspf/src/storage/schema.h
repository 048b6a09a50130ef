// The database schema and its migrations, keyed on PRAGMA user_version.
#ifndef SSPF_SRC_STORAGE_SCHEMA_H_
#define SSPF_SRC_STORAGE_SCHEMA_H_

#include "storage/db.h"

namespace sspf::internal {

inline constexpr int kSchemaVersion = 6;

// Creates or upgrades the schema to kSchemaVersion.  A store written by a
// newer version is refused (kFailedPrecondition).
Status Migrate(Db* db);

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_SCHEMA_H_
