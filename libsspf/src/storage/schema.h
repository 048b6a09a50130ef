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

// Every table of the store's schema version must declare its columns as a
// fresh store of that version does: names, declared types, NOT NULL,
// defaults and primary keys (PRAGMA table_info).  An insider with the
// SQLCipher key can rewrite a table's CREATE statement in sqlite_master
// (PRAGMA writable_schema): a column with its declared type taken away
// accepts any storage class, which the storage-class checks
// (DeclaredClasses, storage/db.h) read from the declared types.
// kIntegrityViolation names the table and column.
Status CheckDeclaredSchema(Db* db);

// Every object of the schema (table, index, trigger, view) must be one a
// fresh store of the same schema version has, with the same CREATE
// statement (white space aside), and none may be missing.  An insider can
// add a trigger that runs inside other principals' statements (drops an
// event with RAISE(IGNORE), deletes a row just written); sessions refuse
// to run one (Db::Open's authorizer, storage/db.cpp), and this names it.
// kIntegrityViolation names the first object that differs.
Status CheckSchemaObjects(Db* db);

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_SCHEMA_H_
