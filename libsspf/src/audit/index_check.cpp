#include "audit/index_check.h"

#include <algorithm>
#include <utility>

#include "crypto/crypto.h"

namespace sspf::internal::audit {
namespace {

// The table an index belongs to, or "" when the name is no index.
Result<std::string> TableOfIndex(Db* db, const std::string& index) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st,
      db->Prepare("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?"));
  st->Bind(1, index);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::string table = row ? st->Text(0) : "";
  st->Reset();
  return table;
}

std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out.push_back(c);
    if (c == '"') out.push_back('"');
  }
  return out + "\"";
}

std::string Violation(const std::string& what) {
  return "b-tree integrity: " + what + " (page replay, direct edit or file damage)";
}

// The events indexes this check feeds from verify's pass (schema.cpp).
struct KnownEventsIndex {
  const char* name;
  std::vector<std::string> columns;
  const char* where;
};
const std::vector<KnownEventsIndex>& KnownEventsIndexes() {
  static const auto* known = new std::vector<KnownEventsIndex>{
      // Migration 10 appended the WHERE's columns to the four large partial
      // indexes, so that their scans below read index pages only.
      {"events_case", {"case_id", "seq"}, ""},
      {"events_subject", {"subject_id", "seq", "case_id"}, "case_id = ''"},
      {"events_principal", {"principal_id", "seq"}, ""},
      {"events_time", {"time"}, ""},
      // Migration 4: the signed events a decision checks at use.
      {"events_state_target", {"target", "action", "allowed"},
       "action IN (50, 60) AND allowed = 1"},
      {"events_case_consent", {"case_id", "seq", "action", "allowed"},
       "action IN (40, 41) AND allowed = 1"},
      // Migration 5: membership and key-rotation events, by target.
      {"events_trust_target", {"target", "seq"}, "action IN (2, 3, 6, 80) AND allowed = 1"},
      // Migration 6: retention.erase events by case, checked at use.
      {"events_case_erase", {"case_id", "seq"}, "action = 92 AND allowed = 1"},
      // Migration 7: lifecycle events (custody, consent references, revoke,
      // grant end), by target.
      {"events_lifecycle_target", {"target", "seq"},
       "action IN (23, 43, 57, 61) AND allowed = 1"},
      // Migration 9: case.open events by time, for the case numbers.
      {"events_case_open", {"time", "seq", "action", "allowed"}, "action = 30 AND allowed = 1"},
  };
  return *known;
}

}  // namespace

// PRAGMA integrity_check compares every index with its table and checks
// the page structure; quick_check only the latter.  The first finding
// becomes the one-line violation.
Status CheckBtreePragma(Db* db, bool full) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare(full ? "PRAGMA integrity_check(10)" : "PRAGMA quick_check(10)"));
  std::vector<std::string> findings;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    findings.push_back(st->Text(0));
    return Status::Ok();
  }));
  if (findings.size() == 1 && findings[0] == "ok") return Status::Ok();
  if (findings.empty()) return IntegrityViolation("b-tree integrity check returned nothing");
  std::string first = findings[0];
  // Page-level findings come as "*** in database main ***\nOn tree page ...".
  const std::string banner = "*** in database main ***";
  if (first.compare(0, banner.size(), banner) == 0) first.erase(0, banner.size());
  for (char& c : first) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!first.empty() && first.front() == ' ') first.erase(0, 1);
  std::string where;
  const size_t at = first.rfind(" index ");
  if (at != std::string::npos) {
    std::string index = first.substr(at + 7);
    index = index.substr(0, index.find(' '));
    SSPF_ASSIGN_OR_RETURN(std::string table, TableOfIndex(db, index));
    if (!table.empty()) where = " (table " + table + ", index " + index + ")";
  }
  return IntegrityViolation(Violation(first + where +
                                      (findings.size() > 1 ? " and further findings" : "")));
}

Result<IndexCheck> IndexCheck::Load(Db* db) {
  IndexCheck c;
  SSPF_ASSIGN_OR_RETURN(c.key_, SecretBytes::Random(16));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT i.name, i.tbl_name, i.sql, t.sql FROM sqlite_master i "
                             "JOIN sqlite_master t ON t.type = 'table' AND t.name = i.tbl_name "
                             "WHERE i.type = 'index' ORDER BY i.tbl_name, i.name"));
  std::vector<std::pair<Index, bool>> found;  // index, its table is WITHOUT ROWID
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    Index x;
    x.name = st->Text(0);
    x.table = st->Text(1);
    const bool autoindex = st->IsNull(2);
    const std::string sql = st->Text(2);
    x.unique = autoindex || sql.rfind("CREATE UNIQUE INDEX", 0) == 0;
    // Whitespace as one space, so that a WHERE on its own line is found.
    std::string flat;
    for (char ch : sql) {
      const bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
      if (space && (flat.empty() || flat.back() == ' ')) continue;
      flat.push_back(space ? ' ' : ch);
    }
    const size_t w = flat.find(" WHERE ");
    if (w != std::string::npos) x.where = flat.substr(w + 7);
    found.emplace_back(std::move(x), st->Text(3).find("WITHOUT ROWID") != std::string::npos);
    return Status::Ok();
  }));
  for (auto& entry : found) {
    // Not a structured binding: the lambda below captures the index, and
    // C++17 lambdas cannot capture a binding (clang refuses).
    Index& x = entry.first;
    if (entry.second) {  // WITHOUT ROWID
      // Its primary key is the table's own b-tree (checked by quick_check);
      // another index of it is not handled here.
      if (x.name.rfind("sqlite_autoindex_", 0) != 0) c.fallback_ = true;
      continue;
    }
    SSPF_ASSIGN_OR_RETURN(Stmt * info, db->Prepare(("PRAGMA index_info(" + Quoted(x.name) + ")")
                                                       .c_str()));
    SSPF_RETURN_IF_ERROR(ForEachRow(info, [&]() -> Status {
      if (info->IsNull(2)) c.fallback_ = true;  // an expression or the rowid itself
      x.columns.push_back(info->Text(2));
      return Status::Ok();
    }));
    // The order check compares keys ascending with the BINARY collation.
    SSPF_ASSIGN_OR_RETURN(Stmt * xinfo, db->Prepare(("PRAGMA index_xinfo(" + Quoted(x.name) +
                                                     ")").c_str()));
    SSPF_RETURN_IF_ERROR(ForEachRow(xinfo, [&]() -> Status {
      // seqno, cid, name, desc, coll, key
      if (xinfo->Int(5) != 0 && (xinfo->Int(3) != 0 || xinfo->Text(4) != "BINARY")) {
        c.fallback_ = true;
      }
      return Status::Ok();
    }));
    if (x.columns.empty()) c.fallback_ = true;
    c.indexes_.push_back(std::move(x));
  }
  // The events indexes must be exactly the known ones.
  size_t events = 0;
  for (size_t i = 0; i < c.indexes_.size(); ++i) {
    const Index& x = c.indexes_[i];
    if (x.table != "events") continue;
    ++events;
    int* slot[] = {&c.events_case_,         &c.events_subject_,      &c.events_principal_,
                   &c.events_time_,         &c.events_state_target_, &c.events_case_consent_,
                   &c.events_trust_target_, &c.events_case_erase_,
                   &c.events_lifecycle_target_, &c.events_case_open_};
    static_assert(sizeof(slot) / sizeof(slot[0]) == 10, "one slot per known events index");
    bool known = false;
    for (size_t k = 0; k < KnownEventsIndexes().size(); ++k) {
      const KnownEventsIndex& e = KnownEventsIndexes()[k];
      if (x.name == e.name && x.columns == e.columns && x.where == e.where && !x.unique) {
        *slot[k] = static_cast<int>(i);
        known = true;
      }
    }
    if (!known) c.fallback_ = true;
  }
  if (events != KnownEventsIndexes().size()) c.fallback_ = true;
  return c;
}

uint64_t IndexCheck::Entry(int64_t rowid, const Key* values, size_t n) {
  buf_.clear();
  auto put = [&](uint64_t v, int bytes) {
    char le[8];
    for (int i = 0; i < bytes; ++i) le[i] = static_cast<char>(v >> (8 * i));
    buf_.append(le, static_cast<size_t>(bytes));
  };
  put(static_cast<uint64_t>(rowid), 8);
  for (size_t i = 0; i < n; ++i) {
    const Key& k = values[i];
    buf_.push_back(static_cast<char>(k.kind));
    if (k.kind == Key::kInteger) {
      put(static_cast<uint64_t>(k.integer), 8);
    } else if (k.kind == Key::kBytes) {
      put(k.bytes.size(), 4);
      buf_.append(k.bytes.data(), k.bytes.size());
    }
  }
  return ShortHash(key_, reinterpret_cast<const uint8_t*>(buf_.data()), buf_.size());
}

uint64_t IndexCheck::Entry(int64_t rowid, std::initializer_list<Key> values) {
  return Entry(rowid, values.begin(), values.size());
}

void IndexCheck::AddEvent(const EventRecord& e) {
  if (fallback_) return;
  const int64_t rowid = static_cast<int64_t>(e.seq);
  const Key seq = Key::Integer(rowid);
  auto add = [&](int at, std::initializer_list<Key> values) {
    Index& x = indexes_[static_cast<size_t>(at)];
    x.table_sum += Entry(rowid, values);
    ++x.table_rows;
  };
  // The WHERE columns a covering partial index carries (migration 10).
  const Key action = Key::Integer(static_cast<int64_t>(e.action));
  const Key allowed = Key::Integer(1);
  add(events_case_, {Key::Bytes(e.case_id), seq});
  if (e.case_id.empty()) {
    add(events_subject_, {Key::Bytes(e.subject_id), seq, Key::Bytes(e.case_id)});
  }
  add(events_principal_, {Key::Bytes(e.principal_id), seq});
  add(events_time_, {Key::Integer(e.time)});
  if (e.allowed) {
    if (e.action == Action::kEntryAdd || e.action == Action::kGrantEmergency) {
      add(events_state_target_, {Key::Bytes(e.target), action, allowed});
    }
    if (e.action == Action::kConsentGrant || e.action == Action::kConsentWithdraw) {
      add(events_case_consent_, {Key::Bytes(e.case_id), seq, action, allowed});
    }
    if (e.action == Action::kPrincipalAdd || e.action == Action::kPrincipalDisable ||
        e.action == Action::kRecoveryReset || e.action == Action::kKeyRotate) {
      add(events_trust_target_, {Key::Bytes(e.target), seq});
    }
    if (e.action == Action::kRetentionErase) add(events_case_erase_, {Key::Bytes(e.case_id), seq});
    if (e.action == Action::kGuardianCustody || e.action == Action::kConsentConfirm ||
        e.action == Action::kEntryRevoke || e.action == Action::kGrantEnd) {
      add(events_lifecycle_target_, {Key::Bytes(e.target), seq});
    }
    if (e.action == Action::kCaseOpen) {
      add(events_case_open_, {Key::Integer(e.time), seq, action, allowed});
    }
  }
}

// A key column of the current row as hashed: an integer as itself (no
// conversion to text), anything else by its bytes (text; a blob or real as
// SQLite gives it as text), NULL apart from both.  Bytes are a view into
// the row, valid until the statement's next step.
IndexCheck::Key IndexCheck::Value(const Stmt* st, int col) {
  const Stmt::Type type = st->TypeOf(col);  // before TextView converts it
  if (type == Stmt::Type::kNull) return Key();
  if (type == Stmt::Type::kInteger) return Key::Integer(st->Int(col));
  Key k = Key::Bytes(st->TextView(col));
  k.type = type;
  if (type == Stmt::Type::kReal) k.real = st->Real(col);
  return k;
}

int IndexCheck::Compare(const Key& a, const Key& b) {
  auto rank = [](Stmt::Type t) {
    switch (t) {
      case Stmt::Type::kNull: return 0;
      case Stmt::Type::kInteger:
      case Stmt::Type::kReal: return 1;
      case Stmt::Type::kText: return 2;
      case Stmt::Type::kBlob: return 3;
    }
    return 0;
  };
  const int ra = rank(a.type), rb = rank(b.type);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra == 1) {
    if (a.type == Stmt::Type::kInteger && b.type == Stmt::Type::kInteger) {
      return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
    }
    const double x = a.type == Stmt::Type::kInteger ? static_cast<double>(a.integer) : a.real;
    const double y = b.type == Stmt::Type::kInteger ? static_cast<double>(b.integer) : b.real;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // BINARY: the bytes, then the length.
  const int c = a.bytes.compare(b.bytes);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// One scan of a table (other than events) for the digests of all its
// indexes.
std::vector<std::string> IndexCheck::TableColumns(const std::string& table,
                                                  std::vector<size_t>* mine) {
  mine->clear();
  std::vector<std::string> columns{"rowid"};
  for (size_t i = 0; i < indexes_.size(); ++i) {
    Index& x = indexes_[i];
    if (x.table != table) continue;
    mine->push_back(i);
    x.table_sum = 0;
    x.table_rows = 0;
    for (const std::string& c : x.columns) columns.push_back(Quoted(c));
    columns.push_back(x.where.empty() ? "1" : "(" + x.where + ")");
  }
  if (mine->empty()) columns.clear();
  return columns;
}

void IndexCheck::AddTableRow(const std::vector<size_t>& mine, const Stmt& st, int first) {
  int col = first + 1;
  const int64_t rowid = st.Int(first);
  for (size_t i : mine) {
    Index& x = indexes_[i];
    row_values_.clear();
    for (size_t c = 0; c < x.columns.size(); ++c) row_values_.push_back(Value(&st, col++));
    if (st.Int(col++) != 0) {
      x.table_sum += Entry(rowid, row_values_.data(), row_values_.size());
      ++x.table_rows;
    }
  }
}

Status IndexCheck::CheckTable(Db* db, const std::string& table) {
  std::vector<size_t> mine;
  const std::vector<std::string> columns = TableColumns(table, &mine);
  if (columns.empty()) return Status::Ok();
  std::string sql = "SELECT " + columns[0];
  for (size_t i = 1; i < columns.size(); ++i) sql += ", " + columns[i];
  sql += " FROM " + Quoted(table) + " NOT INDEXED";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  DeclaredClasses classes(/*strict=*/false);
  return ForEachRow(st, [&]() -> Status {
    // Before AddTableRow reads the values (storage/db.h).
    const std::string mismatch = classes.Mismatch(*st);
    if (!mismatch.empty()) {
      return IntegrityViolation("table " + table + " row " + std::to_string(st->Int(0)) +
                                ": " + mismatch);
    }
    AddTableRow(mine, *st, 0);
    return Status::Ok();
  });
}

std::vector<std::string> IndexCheck::ColumnsOf(const std::string& table) {
  if (fallback_) return {};
  std::vector<size_t>& mine = sunk_[table];
  return TableColumns(table, &mine);
}

void IndexCheck::Row(const std::string& table, const Stmt& st, int first) {
  auto it = sunk_.find(table);
  if (it != sunk_.end()) AddTableRow(it->second, st, first);
}

void IndexCheck::Complete(const std::string& table) {
  if (sunk_.count(table)) complete_.insert(table);
}

// One scan of the index itself (a covering scan: index pages only).
Status IndexCheck::CheckIndex(Db* db, const Index& x) {
  std::string sql = "SELECT rowid";
  for (const std::string& c : x.columns) sql += ", " + Quoted(c);
  sql += " FROM " + Quoted(x.table) + " INDEXED BY " + Quoted(x.name);
  if (!x.where.empty()) sql += " WHERE " + x.where;
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  uint64_t sum = 0, rows = 0;
  // Reused for every row: views into the row, and a copy of the previous
  // row's key and rowid.
  std::vector<Key> values(x.columns.size());
  std::vector<Key> previous(x.columns.size());
  std::vector<std::string> previous_bytes(previous.size());  // what previous views
  int64_t previous_rowid = 0;
  bool has_previous = false, previous_null = false;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    bool any_null = false;
    for (size_t i = 0; i < x.columns.size(); ++i) {
      values[i] = Value(st, static_cast<int>(i) + 1);
      any_null |= values[i].kind == Key::kNull;
    }
    const int64_t rowid = st->Int(0);
    if (has_previous) {
      // SQLite's order of index entries: the key columns, then the rowid.
      int order = 0;
      for (size_t i = 0; i < values.size() && order == 0; ++i) {
        order = Compare(previous[i], values[i]);
      }
      if (order == 0 && x.unique && !any_null && !previous_null) {
        return IntegrityViolation(Violation("index " + x.name + " of table " + x.table +
                                            " holds a duplicate key (row " +
                                            std::to_string(rowid) + ")"));
      }
      if (order > 0 || (order == 0 && previous_rowid >= rowid)) {
        return IntegrityViolation(Violation("index " + x.name + " of table " + x.table +
                                            " is out of order at row " +
                                            std::to_string(rowid) +
                                            " (a seek would miss entries)"));
      }
    }
    sum += Entry(rowid, values.data(), values.size());
    ++rows;
    for (size_t i = 0; i < values.size(); ++i) {
      previous_bytes[i].assign(values[i].bytes.data(), values[i].bytes.size());
      previous[i] = values[i];
      previous[i].bytes = previous_bytes[i];
    }
    previous_rowid = rowid;
    previous_null = any_null;
    has_previous = true;
    return Status::Ok();
  }));
  if (sum != x.table_sum || rows != x.table_rows) {
    return IntegrityViolation(Violation(
        "index " + x.name + " disagrees with table " + x.table + " (" + std::to_string(rows) +
        " entries, " + std::to_string(x.table_rows) + " rows)"));
  }
  return Status::Ok();
}

Status IndexCheck::Check(Db* db) {
  if (fallback_) return CheckBtreePragma(db, /*full=*/true);
  SSPF_RETURN_IF_ERROR(CheckBtreePragma(db, /*full=*/false));
  std::vector<std::string> tables;
  for (const Index& x : indexes_) {
    if (x.table != "events" && std::find(tables.begin(), tables.end(), x.table) == tables.end()) {
      tables.push_back(x.table);
    }
  }
  for (const std::string& t : tables) {
    // A table the replay read whole for this check (TableRowSink) is not
    // read again.
    if (complete_.count(t) == 0) SSPF_RETURN_IF_ERROR(CheckTable(db, t));
  }
  for (const Index& x : indexes_) SSPF_RETURN_IF_ERROR(CheckIndex(db, x));
  return Status::Ok();
}

}  // namespace sspf::internal::audit
