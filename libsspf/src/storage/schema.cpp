// Schema migrations.  PRAGMA user_version holds the schema version; each
// migration runs in its own transaction and moves it up by one.  SQL here
// must work on SQLite 3.15 (Debian's SQLCipher 3.4.1) and SQLCipher 4: no
// UPSERT, RETURNING, window functions, STRICT or JSON1; no FTS/rtree.
#include "storage/schema.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sspf::internal {
namespace {

const char* const kMigration1 = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL);

CREATE TABLE principals(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  actor INTEGER NOT NULL,
  role INTEGER NOT NULL,
  active INTEGER NOT NULL,
  created INTEGER NOT NULL,
  box_public_key BLOB NOT NULL);

CREATE TABLE actor_keys(
  actor INTEGER NOT NULL,
  version INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY(actor, version));

CREATE TABLE actor_key_seals(
  actor INTEGER NOT NULL,
  version INTEGER NOT NULL,
  principal_id TEXT NOT NULL REFERENCES principals(id),
  sealed BLOB NOT NULL,
  PRIMARY KEY(actor, version, principal_id));

CREATE TABLE subjects(
  id TEXT PRIMARY KEY,
  pnr_index BLOB NOT NULL UNIQUE,
  birth_date TEXT NOT NULL,
  identity BLOB,
  created INTEGER NOT NULL,
  erased INTEGER NOT NULL DEFAULT 0);

CREATE TABLE guardians(
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  identity BLOB,
  position INTEGER NOT NULL,
  created INTEGER NOT NULL);
CREATE INDEX guardians_subject ON guardians(subject_id);

CREATE TABLE cases(
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  open INTEGER NOT NULL,
  opened INTEGER NOT NULL,
  closed INTEGER,
  opened_by TEXT NOT NULL);
CREATE INDEX cases_subject ON cases(subject_id);

CREATE TABLE case_team(
  case_id TEXT NOT NULL REFERENCES cases(id),
  principal_id TEXT NOT NULL REFERENCES principals(id),
  added INTEGER NOT NULL,
  PRIMARY KEY(case_id, principal_id));
CREATE INDEX case_team_principal ON case_team(principal_id);

-- Append-only versions: a withdrawal is a new version.
CREATE TABLE consents(
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  case_id TEXT NOT NULL REFERENCES cases(id),
  party_youth INTEGER NOT NULL,
  guardian_id TEXT,
  actors TEXT NOT NULL,
  categories TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_until TEXT NOT NULL,
  withdrawn_at INTEGER,
  purpose TEXT NOT NULL,
  form_ref TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded INTEGER NOT NULL,
  PRIMARY KEY(id, version));
CREATE INDEX consents_case ON consents(case_id);

CREATE TABLE entries(
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  category INTEGER NOT NULL,
  author_id TEXT NOT NULL REFERENCES principals(id),
  author_actor INTEGER NOT NULL,
  created INTEGER NOT NULL,
  supersedes TEXT REFERENCES entries(id),
  key_version INTEGER NOT NULL,
  body BLOB);
CREATE INDEX entries_case ON entries(case_id);

-- The entry key sealed to each actor that may read the entry.
CREATE TABLE entry_keys(
  entry_id TEXT NOT NULL REFERENCES entries(id),
  actor INTEGER NOT NULL,
  actor_key_version INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY(entry_id, actor));

CREATE TABLE disclosures(
  id TEXT PRIMARY KEY,
  entry_id TEXT NOT NULL REFERENCES entries(id),
  to_actor INTEGER NOT NULL,
  consent_id TEXT,
  grant_id TEXT,
  provision TEXT,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  created INTEGER NOT NULL,
  until INTEGER);
CREATE INDEX disclosures_entry ON disclosures(entry_id);

CREATE TABLE grants(
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  principal_id TEXT NOT NULL REFERENCES principals(id),
  provision TEXT NOT NULL,
  reason TEXT NOT NULL,
  created INTEGER NOT NULL,
  until INTEGER NOT NULL);
CREATE INDEX grants_case ON grants(case_id, principal_id);

-- The access log (DESIGN §6).  seq is the leaf index in the Merkle tree.
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  principal_id TEXT NOT NULL,
  actor INTEGER NOT NULL,
  role INTEGER NOT NULL,
  action INTEGER NOT NULL,
  target TEXT NOT NULL,
  allowed INTEGER NOT NULL,
  reason TEXT NOT NULL,
  basis TEXT NOT NULL,
  purpose TEXT NOT NULL,
  case_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX events_case ON events(case_id, seq);
-- Only events without a case (subject.add/find/show): events of a case are
-- found through events_case and the case's subject.  Indexing every event
-- by subject would add a second randomly placed index insert to every
-- audited operation.
CREATE INDEX events_subject ON events(subject_id, seq) WHERE case_id = '';
CREATE INDEX events_principal ON events(principal_id, seq);
CREATE INDEX events_time ON events(time);

-- Complete subtree hashes: level 0 holds leaf hashes.
CREATE TABLE tree_nodes(
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY(level, idx)) WITHOUT ROWID;

CREATE TABLE checkpoints(
  tree_size INTEGER PRIMARY KEY,
  created INTEGER NOT NULL,
  note TEXT NOT NULL);

-- Defence in depth against bugs: the log and consent history only grow.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
CREATE TRIGGER tree_no_update BEFORE UPDATE ON tree_nodes
  BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
CREATE TRIGGER tree_no_delete BEFORE DELETE ON tree_nodes
  BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
  BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
  BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;
)sql";

// The store authority (DESIGN §13): certificates it issued and its secret
// key sealed to each admin.  Certificates are versioned and never change;
// a new version supersedes the old (disable, recovery).
const char* const kMigration2 = R"sql(
CREATE TABLE certificates(
  kind INTEGER NOT NULL,     -- 1 principal, 2 actor key
  subject TEXT NOT NULL,     -- principal id, or "<actor>:<version>"
  version INTEGER NOT NULL,
  body BLOB NOT NULL,
  signature BLOB NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY(kind, subject, version));

CREATE TABLE authority_seals(
  principal_id TEXT PRIMARY KEY,
  sealed BLOB NOT NULL);

-- One Ed25519 signature per event, by the principal that caused it (or,
-- for a failed unlock, by the principal whose unlock wrote it into the log).
CREATE TABLE event_signatures(
  seq INTEGER PRIMARY KEY,
  signer TEXT NOT NULL,
  signature BLOB NOT NULL);
CREATE TRIGGER event_signatures_no_update BEFORE UPDATE ON event_signatures
  BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
CREATE TRIGGER event_signatures_no_delete BEFORE DELETE ON event_signatures
  BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
)sql";

// Encrypted reasons (DESIGN §13): the free-text reason of a disclosure or
// an emergency grant is encrypted under its own random key, sealed to the
// deciding actor's and the receiving actor's certified keys and to the
// auditors' oversight key.  The reason columns of disclosures and grants
// stay, empty for new rows.
const char* const kMigration3 = R"sql(
CREATE TABLE oversight_keys(
  version INTEGER PRIMARY KEY,
  public_key BLOB NOT NULL,
  created INTEGER NOT NULL);

CREATE TABLE oversight_seals(
  version INTEGER NOT NULL,
  principal_id TEXT NOT NULL REFERENCES principals(id),
  sealed BLOB NOT NULL,
  PRIMARY KEY(version, principal_id));

-- tbl is 'disclosures' or 'grants'; commitment is BLAKE2b-256 keyed with a
-- salt that is encrypted together with the text (docs/audit-log-format.md).
CREATE TABLE sealed_reasons(
  tbl TEXT NOT NULL,
  row_id TEXT NOT NULL,
  commitment BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  PRIMARY KEY(tbl, row_id));

-- The reason key sealed to each holder: "actor:<n>:<version>" or
-- "oversight:<version>".
CREATE TABLE reason_seals(
  tbl TEXT NOT NULL,
  row_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY(tbl, row_id, holder));
)sql";

// Checked at use (DESIGN §13): a decision finds the signed event behind an
// entry or a grant (by its target) and behind a case's consents (by case)
// with one seek.  Partial, so only those events pay for an index insert.
// The action numbers are Action::kConsentGrant (40), kConsentWithdraw
// (41), kEntryAdd (50) and kGrantEmergency (60); queries name the index.
const char* const kMigration4 = R"sql(
CREATE INDEX events_state_target ON events(target) WHERE action IN (50, 60) AND allowed = 1;
CREATE INDEX events_case_consent ON events(case_id, seq)
  WHERE action IN (40, 41) AND allowed = 1;
)sql";

// Checked at use (DESIGN §13): the certificate in force for a principal
// and the newest version of an actor key are counted from the signed
// membership and rotation events that name them, found by target
// ("principal:<id>", "actor:<name>") with one seek.  The action numbers
// are Action::kPrincipalAdd (2), kPrincipalDisable (3), kRecoveryReset (6)
// and kKeyRotate (80); queries name the index.
const char* const kMigration5 = R"sql(
CREATE INDEX events_trust_target ON events(target, seq) WHERE action IN (2, 3, 6, 80) AND allowed = 1;
)sql";

// Retention (DESIGN §7): one tombstone per erased entry, case and subject,
// written with the retention.erase event that explains it (replayed).
// target is "entry:<id>", "case:<id>" or "subject:<id>"; rule the
// retention rule's id ("-" for a case or subject); decision the erasure
// decision's reference (gallringsbeslut).
const char* const kMigration6 = R"sql(
CREATE TABLE erasures(
  target TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  erased INTEGER NOT NULL,
  rule TEXT NOT NULL,
  decision TEXT NOT NULL);
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
  BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
  BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END;
CREATE INDEX events_case_erase ON events(case_id, seq) WHERE action = 92 AND allowed = 1;
)sql";

// The lifecycle of a case (issue 12): a guardian's custody (vårdnad; only
// guardians with custody must consent), a revoked disclosure, a grant ended
// early, and each actor's own reference to a consent.  The signed events
// that change them are found by target ("guardian:<id>", "disclosure:<id>",
// "grant:<id>", "consent:<id>") with one seek when a decision checks them
// at use.  The action numbers are Action::kGuardianCustody (23),
// kConsentConfirm (43), kEntryRevoke (57) and kGrantEnd (61).
const char* const kMigration7 = R"sql(
ALTER TABLE guardians ADD COLUMN custody INTEGER NOT NULL DEFAULT 1;
ALTER TABLE disclosures ADD COLUMN revoked INTEGER;
ALTER TABLE grants ADD COLUMN ended INTEGER;
CREATE TABLE consent_refs(
  consent_id TEXT NOT NULL,
  actor INTEGER NOT NULL,
  reference TEXT NOT NULL,
  salt BLOB NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded INTEGER NOT NULL,
  PRIMARY KEY(consent_id, actor));
CREATE INDEX events_lifecycle_target ON events(target, seq)
  WHERE action IN (23, 43, 57, 61) AND allowed = 1;
)sql";

// The auditor's sign-off (DESIGN §6, docs/auditing.md): acknowledgements of
// flagged events (audit.ack) and closed review periods
// (audit.review_close).  Both are replayed state: every row comes from a
// signed event whose detail names its values (log/replay.cpp).  An ack's
// note is a sealed reason (tbl 'review_acks', row_id the ack id); event_seq
// is the seq of the signed event that made the row.
const char* const kMigration8 = R"sql(
CREATE TABLE review_acks(
  id TEXT PRIMARY KEY,
  event_seq INTEGER NOT NULL,
  flagged_seq INTEGER NOT NULL UNIQUE,
  auditor_id TEXT NOT NULL,
  created INTEGER NOT NULL);
CREATE TABLE review_closures(
  id TEXT PRIMARY KEY,
  event_seq INTEGER NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER NOT NULL,
  auditor_id TEXT NOT NULL,
  created INTEGER NOT NULL,
  flags_open INTEGER NOT NULL,
  flags_acknowledged INTEGER NOT NULL);
)sql";

// Human case numbers (issue 14): "YYYY-NNNN", the UTC year of the case's
// case.open event and the event's place among that year's successful
// case.open events in log order (docs/cli.md, "Case numbers").  The number
// is derived from the signed log, and the column is a copy that audit
// verify replays and every use checks (DESIGN §13).  Existing cases get
// theirs from their events here, in opening order.  events_case_open finds
// a year's case.open events (Action::kCaseOpen = 30) with one range scan;
// a failed open (detail "outcome=...") numbers nothing.
const char* const kMigration9 = R"sql(
CREATE INDEX events_case_open ON events(time, seq) WHERE action = 30 AND allowed = 1;
ALTER TABLE cases ADD COLUMN number TEXT;
UPDATE cases SET number = (
  SELECT strftime('%Y', e.time, 'unixepoch') || '-' || printf('%04d', (
      SELECT count(*) FROM events AS p WHERE p.action = 30 AND p.allowed = 1
        AND NOT (p.detail LIKE 'outcome=%' AND instr(p.detail, ' ') = 0)
        AND p.time >= CAST(strftime('%s', strftime('%Y', e.time, 'unixepoch') || '-01-01')
                           AS INTEGER)
        AND p.time < CAST(strftime('%s', (strftime('%Y', e.time, 'unixepoch') + 1) ||
                                         '-01-01') AS INTEGER)
        AND p.seq <= e.seq))
  FROM events AS e WHERE e.action = 30 AND e.allowed = 1 AND e.case_id = cases.id
    AND NOT (e.detail LIKE 'outcome=%' AND instr(e.detail, ' ') = 0)
  ORDER BY e.seq LIMIT 1);
CREATE UNIQUE INDEX cases_number ON cases(number);
)sql";

// Audit verify reads each partial events index end to end and compares it
// with the events (audit/index_check.cpp).  SQLite 3.15 evaluates a
// partial index's WHERE from the table row even when the query's WHERE is
// the index's own, so that scan fetched one randomly placed events page
// per entry: over a second at 10^6 events.  The same indexes with the
// WHERE's columns appended to their keys make the scan covering (index
// pages only).  Lookups are unchanged: a decision's seek by target, case,
// subject or time uses the leading columns as before, in the same order.
// The small indexes (trust, erase, lifecycle: staff and retention events)
// are left as they are.
const char* const kMigration10 = R"sql(
DROP INDEX events_subject;
CREATE INDEX events_subject ON events(subject_id, seq, case_id) WHERE case_id = '';
DROP INDEX events_state_target;
CREATE INDEX events_state_target ON events(target, action, allowed)
  WHERE action IN (50, 60) AND allowed = 1;
DROP INDEX events_case_consent;
CREATE INDEX events_case_consent ON events(case_id, seq, action, allowed)
  WHERE action IN (40, 41) AND allowed = 1;
DROP INDEX events_case_open;
CREATE INDEX events_case_open ON events(time, seq, action, allowed)
  WHERE action = 30 AND allowed = 1;
)sql";

const char* const kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4,
                                   kMigration5, kMigration6, kMigration7, kMigration8,
                                   kMigration9, kMigration10};

}  // namespace

Status Migrate(Db* db) { return MigrateTo(db, kSchemaVersion); }

Status MigrateTo(Db* db, int target) {
  constexpr int kCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
  static_assert(kCount == kSchemaVersion, "one migration per schema version");
  if (target < 0 || target > kCount) return InvalidArgument("no such schema version");
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(db));
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("PRAGMA user_version"));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    int version = row ? static_cast<int>(st->Int(0)) : 0;
    st->Reset();
    if (version == target) return Status::Ok();
    if (version > kCount) {
      return FailedPrecondition("the store was made by a newer libsspf (schema " +
                                std::to_string(version) + ")");
    }
    if (version > target) {
      return FailedPrecondition("the store is at schema " + std::to_string(version) +
                                ", past " + std::to_string(target));
    }
    SSPF_RETURN_IF_ERROR(db->Exec(kMigrations[version]));
    std::string set = "PRAGMA user_version = " + std::to_string(version + 1);
    SSPF_RETURN_IF_ERROR(db->Exec(set.c_str()));
    SSPF_RETURN_IF_ERROR(txn->Commit());
  }
}

namespace {

// The columns of table as PRAGMA table_info gives them: name, declared
// type, NOT NULL, default and primary-key position, one line each.
std::vector<std::string> ColumnsOf(sqlite3* db, const std::string& table) {
  std::vector<std::string> out;
  const std::string sql = "PRAGMA table_info(\"" + table + "\")";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return out;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string line;
    for (int c = 1; c <= 5; ++c) {
      const unsigned char* v = sqlite3_column_text(st, c);
      line += std::string(v ? reinterpret_cast<const char*>(v) : "NULL") + "|";
    }
    out.push_back(line);
  }
  sqlite3_finalize(st);
  return out;
}

// "NAME TYPE[ NOT NULL]" of one ColumnsOf line, for a message.
std::string Described(const std::string& line) {
  std::vector<std::string> f;
  size_t at = 0;
  for (size_t bar; (bar = line.find('|', at)) != std::string::npos; at = bar + 1) {
    f.push_back(line.substr(at, bar - at));
  }
  if (f.size() < 3) return line;
  return f[0] + " " + (f[1].empty() ? "(no type)" : f[1]) + (f[2] == "1" ? " NOT NULL" : "");
}

}  // namespace

namespace {

// An empty database in memory migrated to the store's schema version, the
// way the store was: the reference both checks below compare with.
Result<std::unique_ptr<sqlite3, int (*)(sqlite3*)>> Reference(Db* db, int* version_out) {
  SSPF_ASSIGN_OR_RETURN(Stmt * v, db->Prepare("PRAGMA user_version"));
  SSPF_ASSIGN_OR_RETURN(bool has_version, v->Step());
  const int version = has_version ? static_cast<int>(v->Int(0)) : 0;
  v->Reset();
  constexpr int kCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
  if (version < 1 || version > kCount) {
    return FailedPrecondition("the store is at schema " + std::to_string(version) +
                              ", which this libsspf cannot check");
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> ref(raw, sqlite3_close);
  if (rc != SQLITE_OK) return SqliteStatus(rc, "opening the reference schema");
  for (int i = 0; i < version; ++i) {
    const int r = sqlite3_exec(ref.get(), kMigrations[i], nullptr, nullptr, nullptr);
    if (r != SQLITE_OK) return SqliteStatus(r, "building the reference schema");
  }
  *version_out = version;
  return ref;
}

// One object of sqlite_master: its type, name, table and CREATE statement
// with each run of white space as one space (NULL: an automatic index).
struct SchemaObject {
  std::string type, name, table, sql;
};

std::string Column(sqlite3_stmt* st, int col) {
  const unsigned char* v = sqlite3_column_text(st, col);
  return v ? reinterpret_cast<const char*>(v) : "";
}

std::string OneSpaced(const std::string& sql) {
  std::string out;
  for (char c : sql) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Every object, keyed "type name"; empty with a failure to read it.  A
// key on two rows goes to *twice: SQLite builds its schema from each row's
// CREATE statement, so a second row under a guard trigger's name can carry
// a trigger of another name (writable_schema).
std::map<std::string, SchemaObject> ObjectsOf(sqlite3* db, std::string* twice) {
  std::map<std::string, SchemaObject> out;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master", -1, &st,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return out;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    SchemaObject o{Column(st, 0), Column(st, 1), Column(st, 2), OneSpaced(Column(st, 3))};
    const std::string key = o.type + " " + o.name;
    if (out.count(key) && twice->empty()) *twice = o.type + " " + ShownSchemaName(o.name);
    out[key] = std::move(o);
  }
  sqlite3_finalize(st);
  return out;
}

std::string Described(const SchemaObject& o) {
  const bool on = o.type == "index" || o.type == "trigger";
  return o.type + " " + ShownSchemaName(o.name) + (on ? " on " + ShownSchemaName(o.table) : "");
}

}  // namespace

Status CheckDeclaredSchema(Db* db) {
  int version = 0;
  SSPF_ASSIGN_OR_RETURN(auto ref, Reference(db, &version));
  sqlite3_stmt* names = nullptr;
  if (sqlite3_prepare_v2(ref.get(),
                         "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                         -1, &names, nullptr) != SQLITE_OK) {
    sqlite3_finalize(names);
    return Internal("reading the reference schema");
  }
  std::vector<std::string> tables;
  while (sqlite3_step(names) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(names, 0)));
  }
  sqlite3_finalize(names);
  for (const std::string& t : tables) {
    const std::vector<std::string> want = ColumnsOf(ref.get(), t);
    const std::vector<std::string> got = ColumnsOf(db->raw(), t);
    if (got.empty()) {
      return IntegrityViolation("table " + t + " is missing from the schema (dropped with SQL)");
    }
    for (size_t i = 0; i < want.size() || i < got.size(); ++i) {
      if (i < want.size() && i < got.size() && want[i] == got[i]) continue;
      const std::string store = i < got.size() ? Described(got[i]) : "no column";
      const std::string fresh = i < want.size() ? Described(want[i]) : "no column";
      return IntegrityViolation("table " + t + ": the store declares column " +
                                std::to_string(i + 1) + " as " + store + ", schema " +
                                std::to_string(version) + " as " + fresh +
                                " (the schema was edited with SQL)");
    }
  }
  return Status::Ok();
}

Status CheckSchemaObjects(Db* db) {
  int version = 0;
  SSPF_ASSIGN_OR_RETURN(auto ref, Reference(db, &version));
  std::string twice, unused;
  const std::map<std::string, SchemaObject> want = ObjectsOf(ref.get(), &unused);
  const std::map<std::string, SchemaObject> got = ObjectsOf(db->raw(), &twice);
  if (want.empty() || got.empty()) return Internal("reading the store's schema");
  const std::string schema = "schema " + std::to_string(version);
  if (!twice.empty()) {
    return IntegrityViolation("the schema has two rows for " + twice +
                              " (added with SQL: one of them can carry another object)");
  }
  for (const auto& [key, o] : got) {
    auto it = want.find(key);
    if (it == want.end()) {
      const bool runs = o.type == "trigger" || o.type == "view";
      return IntegrityViolation(
          "the schema has " + Described(o) + ", which " + schema + " does not (added with SQL" +
          (runs ? "; libsspf's sessions refuse to run it, other programs on the store do not)"
                : ")"));
    }
    if (it->second.table != o.table || it->second.sql != o.sql) {
      return IntegrityViolation(Described(o) + " differs from " + schema +
                                " (edited with SQL)");
    }
  }
  for (const auto& [key, o] : want) {
    if (!got.count(key)) {
      return IntegrityViolation("the schema lacks " + Described(o) + " of " + schema +
                                " (dropped with SQL)");
    }
  }
  return Status::Ok();
}

}  // namespace sspf::internal
