// The replay check over keys (issue 11): actor keys, actor-key seals and
// principals' keys must be explained by the signed log, and the check's
// memory is bounded by its fact budget.  The attacker is a school member
// who writes the database directly (insider_util.h); audit verify must
// report an integrity violation (exit 6 in the CLI) naming the row.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "audit/index_check.h"
#include "catch.h"
#include "context/session_impl.h"
#include "keys/key_hierarchy.h"
#include "log/replay.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = kInsiderPass;
constexpr int kSchool = static_cast<int>(Actor::kSchool);
constexpr int kPolice = static_cast<int>(Actor::kPolice);

struct World : InsiderWorld {
  // The replay check alone, with a fact budget.
  Status Replay(size_t budget = internal::kDefaultFactBudget,
                internal::ReplayStats* stats = nullptr,
                internal::ReplayScratch scratch = internal::ReplayScratch::kFile) {
    Session::Impl* impl = internal::SessionAccess::Get(*auditor);
    return internal::ReplayCheck(impl->db.get(), impl->lookup_key, budget, stats, scratch);
  }
};

bool Has(const std::string& hay, const std::string& needle) {
  INFO(hay);
  return hay.find(needle) != std::string::npos;
}

void Exec(internal::Db* db, const std::string& sql) {
  Status s = db->Exec(sql.c_str());
  INFO(s.ToString());
  REQUIRE(s.ok());
}

}  // namespace

TEST_CASE("a normal life of keys replays clean", "[replay][keys]") {
  World w;
  w.Add("police2", Actor::kPolice, Role::kMember);
  { Session p = w.Open("police1"); }  // delivers the police key to police2
  REQUIRE(w.admin->RotateActorKey(Actor::kPolice).ok());
  REQUIRE(w.admin->DisablePrincipal("police2").ok());  // drops its seals
  REQUIRE(Store::ResetWithRecoveryKey(w.options, w.init.recovery_key, "school1",
                                      Pass("a-new-passphrase-2")).ok());
  w.Add("school2", Actor::kSchool, Role::kMember);
  { Session s = w.Open("school2"); }  // delivers the school key to school1 again
  CHECK(w.Replay().ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a rolled-back rotation is named", "[replay][keys][insider]") {
  World w;
  REQUIRE(w.admin->RotateActorKey(Actor::kPolice).ok());
  REQUIRE(w.Replay().ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Exec(db.get(), "DELETE FROM actor_key_seals WHERE actor = " + std::to_string(kPolice) +
                     " AND version = 2");
  CHECK(Has(w.Replay().message(), "the key.rotate it records is not in the tables"));
  Exec(db.get(), "DELETE FROM actor_keys WHERE actor = " + std::to_string(kPolice) +
                     " AND version = 2");
  CHECK(Has(VerifyMessage(*w.auditor), "key.rotate it records is not in the tables"));
}

TEST_CASE("a seal of the police key added for a school member is named",
          "[replay][keys][insider]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const std::string school1 = w.IdOf(db.get(), "school1");
  // She copies police1's seal row under her own id (a seal made to her box
  // key would need the police key; the row alone is the planted claim).
  Exec(db.get(), "INSERT INTO actor_key_seals(actor, version, principal_id, sealed) "
                 "SELECT actor, version, '" + school1 + "', sealed FROM actor_key_seals "
                 "WHERE actor = " + std::to_string(kPolice));
  const std::string row =
      "actor_key_seals row " + std::to_string(kPolice) + ":1 of principal " + school1;
  CHECK(Has(w.Replay().message(), row + " has no key delivery"));
  Result<VerifyReport> v = w.auditor->Verify({});
  CHECK(v.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Has(v.status().message(), row));
}

TEST_CASE("a seal to a member who never got a delivery, or a deleted delivery, is named",
          "[replay][keys][insider]") {
  World w;
  w.Add("police2", Actor::kPolice, Role::kMember);  // no delivery yet
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const std::string police2 = w.IdOf(db.get(), "police2");
  SECTION("planted before any delivery") {
    Exec(db.get(), "INSERT INTO actor_key_seals(actor, version, principal_id, sealed) "
                   "SELECT actor, version, '" + police2 + "', sealed FROM actor_key_seals "
                   "WHERE actor = " + std::to_string(kPolice));
    CHECK(Has(VerifyMessage(*w.auditor), "actor_key_seals row " + std::to_string(kPolice) +
                                             ":1 of principal " + police2 +
                                             " has no key delivery"));
  }
  SECTION("a logged delivery whose seal is gone") {
    { Session p = w.Open("police1"); }
    REQUIRE(VerifyMessage(*w.auditor) == "ok");
    Exec(db.get(), "DELETE FROM actor_key_seals WHERE principal_id = '" + police2 + "'");
    CHECK(Has(VerifyMessage(*w.auditor), "the key.deliver it records is not in the tables"));
  }
  SECTION("a seal kept after the disable that deleted it") {
    { Session p = w.Open("police1"); }
    // Kept aside outside the store's schema (a table there is named by verify).
    Exec(db.get(), "CREATE TEMP TABLE keep AS SELECT * FROM actor_key_seals WHERE principal_id = '" +
                       police2 + "'");
    REQUIRE(w.admin->DisablePrincipal("police2").ok());
    REQUIRE(VerifyMessage(*w.auditor) == "ok");
    Exec(db.get(), "INSERT INTO actor_key_seals SELECT * FROM keep");
    CHECK(Has(VerifyMessage(*w.auditor), "of principal " + police2 + " has no key delivery"));
  }
}

TEST_CASE("a principal's box key swapped in its row is named", "[replay][keys][insider]") {
  World w;
  w.Add("police2", Actor::kPolice, Role::kMember);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const std::string police2 = w.IdOf(db.get(), "police2");
  // police2's row gets school1's box key: a delivery to police2 would be
  // sealed to a key school1 holds.
  Exec(db.get(), "UPDATE principals SET box_public_key = (SELECT box_public_key FROM "
                 "principals WHERE name = 'school1') WHERE id = '" + police2 + "'");
  CHECK(Has(w.Replay().message(), "principals row " + police2 + ": box key differs from the one"));
  CHECK(Has(VerifyMessage(*w.auditor), "principals row " + police2));
}

TEST_CASE("a principal's certificates must be the ones the log explains",
          "[replay][keys][insider]") {
  World w;
  w.Add("police2", Actor::kPolice, Role::kMember);
  REQUIRE(w.admin->DisablePrincipal("police2").ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const std::string police2 = w.IdOf(db.get(), "police2");
  SECTION("the disable's certificate deleted (a rollback)") {
    Exec(db.get(), "DELETE FROM certificates WHERE kind = 1 AND subject = '" + police2 +
                       "' AND version = 2");
    CHECK(Has(w.Replay().message(), "certificates of principal " + police2 +
                                        ": 1 versions up to 1, the log explains 2"));
    CHECK(Has(VerifyMessage(*w.auditor), police2));
  }
  SECTION("another principal's certificate is no substitute") {
    Exec(db.get(), "UPDATE principals SET box_public_key = (SELECT box_public_key FROM "
                   "principals WHERE name = 'police1') WHERE id = '" + police2 + "'");
    CHECK(Has(w.Replay().message(), "principals row " + police2 + ": box key differs"));
  }
}

TEST_CASE("older key events without the new fields are still read", "[replay][keys]") {
  World w;
  w.Add("police2", Actor::kPolice, Role::kMember);
  { Session p = w.Open("police1"); }
  REQUIRE(w.admin->RotateActorKey(Actor::kPolice).ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Exec(db.get(), "DROP TRIGGER events_no_update");
  auto cut = [&](Action a, const char* from) {
    Exec(db.get(), std::string("UPDATE events SET detail = substr(detail, 1, instr(detail, '") +
                       from + "') - 1) WHERE allowed = 1 AND action = " +
                       std::to_string(static_cast<int>(a)));
  };
  cut(Action::kPrincipalAdd, " box=");
  cut(Action::kKeyRotate, " members=");
  Exec(db.get(), "UPDATE events SET detail = '' WHERE action = " +
                     std::to_string(static_cast<int>(Action::kActorKeyDeliver)));
  Status legacy = w.Replay();
  INFO(legacy.ToString());
  CHECK(legacy.ok());
  // What they still carry is compared: the actor of a key, the holder's actor.
  Exec(db.get(), "INSERT INTO actor_key_seals(actor, version, principal_id, sealed) "
                 "SELECT actor, version, (SELECT id FROM principals WHERE name = 'school1'), "
                 "sealed FROM actor_key_seals WHERE actor = " + std::to_string(kPolice) +
                 " AND version = 2 LIMIT 1");
  CHECK(Has(w.Replay().message(), "no content member of that actor"));
}

TEST_CASE("the replay check's memory is bounded by its fact budget", "[replay][memory]") {
  World w;
  for (int i = 0; i < 12; ++i) {
    Result<SubjectInfo> s = w.coord->AddSubject(
        {MakeTestPersonalNumber(Date{2012, 1, 1 + i}, 100 + i, false), "Test Testsson", {}});
    REQUIRE(s.ok());
    Result<std::string> c = w.coord->OpenCase(s->id, {"school1"});
    REQUIRE(c.ok());
    REQUIRE(w.school->AddEntry(*c, Category::kSchool, "anteckning").ok());
  }
  internal::ReplayStats stats;
  CHECK(w.Replay(internal::kDefaultFactBudget, &stats).ok());
  CHECK(stats.partitions == 1);
  CHECK(stats.scratch_facts == 0);  // one pass: no scratch file
  // With room for 8 facts the ids are split into many partitions, each
  // checked in a pass of its own, with the same verdicts: whether the later
  // partitions' facts come from the sealed scratch file made in the first
  // pass or from reading the events again.
  const internal::ReplayScratch scratch =
      GENERATE(internal::ReplayScratch::kFile, internal::ReplayScratch::kRescan);
  const bool file = scratch == internal::ReplayScratch::kFile;
  INFO((file ? "facts of later partitions from the scratch file" : "events read again"));
  auto replay = [&] { return w.Replay(8, nullptr, scratch); };
  CHECK(w.Replay(8, &stats, scratch).ok());
  CHECK(stats.partitions >= 8);
  if (file) {
    CHECK(stats.scratch_facts > 0);
  } else {
    CHECK(stats.scratch_facts == 0);
  }
  // The scratch file has no name: nothing is left beside the store.
  for (const auto& f : std::filesystem::directory_iterator(
           std::filesystem::path(w.options.path).parent_path())) {
    const std::string name = f.path().filename().string();
    INFO(name);
    CHECK(name.find(std::filesystem::path(w.options.path).filename().string()) == 0);
  }
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  SECTION("a closed case reopened") {
    REQUIRE(w.coord->CloseCase(w.case_id).ok());
    REQUIRE(replay().ok());
    Exec(db.get(), "UPDATE cases SET open = 1 WHERE id = '" + w.case_id + "'");
    CHECK(Has(replay().message(), "cases row " + w.case_id + " is open although event"));
  }
  SECTION("an entry deleted") {
    Exec(db.get(), "DELETE FROM entry_keys WHERE entry_id = (SELECT max(id) FROM entries)");
    Exec(db.get(), "DELETE FROM entries WHERE id = (SELECT max(id) FROM entries)");
    CHECK(Has(replay().message(), "the entry.add it records is not in the tables"));
  }
  SECTION("a school seal planted") {
    Exec(db.get(), "INSERT INTO actor_key_seals(actor, version, principal_id, sealed) "
                   "SELECT actor, version, (SELECT id FROM principals WHERE name = 'coord'), "
                   "sealed FROM actor_key_seals WHERE actor = " + std::to_string(kSchool));
    CHECK(Has(replay().message(), "has no key delivery"));
  }
  SECTION("a case row deleted, its events kept") {
    // A fact that only the table side misses, in whichever partition.
    Exec(db.get(), "PRAGMA foreign_keys = OFF");
    Exec(db.get(), "DELETE FROM case_team WHERE case_id = '" + w.case_id + "'");
    Exec(db.get(), "DELETE FROM consents WHERE case_id = '" + w.case_id + "'");
    Exec(db.get(), "DELETE FROM entry_keys WHERE entry_id IN (SELECT id FROM entries WHERE "
                   "case_id = '" + w.case_id + "')");
    Exec(db.get(), "DELETE FROM entries WHERE case_id = '" + w.case_id + "'");
    Exec(db.get(), "DELETE FROM cases WHERE id = '" + w.case_id + "'");
    CHECK(Has(replay().message(), "is not in the tables"));
  }
}

TEST_CASE("rows of later partitions are kept by the first pass and still checked",
          "[replay][memory][tamper]") {
  // The first pass keeps the rows of later partitions (an entry body as
  // its commitment, a subject with its guardian rows) in sealed scratch
  // files; each later pass checks its rows from there.  An edit aimed at a
  // row of a later partition must be found from the kept copy exactly as
  // from the table (kRescan: every pass runs the queries).
  World w;
  std::vector<SubjectInfo> subjects;
  std::vector<std::string> cases, entries;
  for (int i = 0; i < 24; ++i) {
    Result<SubjectInfo> s = w.coord->AddSubject(
        {MakeTestPersonalNumber(Date{2011, 3, 1 + i}, 200 + i, i % 2 == 0),
         "Test Testsson", {"Vårdnadshavare Ett", "Vårdnadshavare Två"}});
    REQUIRE(s.ok());
    subjects.push_back(*s);
    Result<std::string> c = w.coord->OpenCase(s->id, {"school1"});
    REQUIRE(c.ok());
    cases.push_back(*c);
    Result<std::string> e = w.school->AddEntry(*c, Category::kSchool, "anteckning " + std::to_string(i));
    REQUIRE(e.ok());
    entries.push_back(*e);
  }
  const size_t budget = 48;
  internal::ReplayStats stats;
  REQUIRE(w.Replay(budget, &stats).ok());
  const uint64_t parts = stats.partitions;
  REQUIRE(parts >= 4);
  REQUIRE(parts <= 64);
  CHECK(stats.kept_rows > 0);
  internal::ReplayStats rescan;
  REQUIRE(w.Replay(budget, &rescan, internal::ReplayScratch::kRescan).ok());
  CHECK(rescan.partitions == parts);
  CHECK(rescan.kept_rows == 0);

  // A subject, a case and an entry whose rows a later pass checks: in the
  // upper half of the partitions, so in a later pass whether the last
  // split came in the first pass or after it (partition 0 is checked from
  // the table itself).
  auto later = [&](const std::vector<std::string>& ids) {
    for (const std::string& id : ids) {
      if (internal::ReplayPartitionOf(id, parts) >= parts / 2) return id;
    }
    FAIL("no id in a later partition");
    return std::string();
  };
  std::vector<std::string> subject_ids;
  for (const SubjectInfo& x : subjects) subject_ids.push_back(x.id);
  const std::string subject = later(subject_ids), case_id = later(cases), entry = later(entries);
  const SubjectInfo& kept_subject =
      subjects[static_cast<size_t>(std::find(subject_ids.begin(), subject_ids.end(), subject) -
                                   subject_ids.begin())];
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const internal::ReplayScratch scratch =
      GENERATE(internal::ReplayScratch::kFile, internal::ReplayScratch::kRescan);
  INFO((scratch == internal::ReplayScratch::kFile ? "kept rows" : "every pass runs the queries"));
  auto replay = [&] { return w.Replay(budget, nullptr, scratch); };
  SECTION("a case closed by a direct edit") {
    Exec(db.get(), "UPDATE cases SET open = 0 WHERE id = '" + case_id + "'");
    CHECK(Has(replay().message(), "cases row " + case_id + " is closed without an event"));
  }
  SECTION("an entry's body replaced by another entry's") {
    Exec(db.get(), "UPDATE entries SET body = (SELECT body FROM entries WHERE id != '" + entry +
                       "' LIMIT 1) WHERE id = '" + entry + "'");
    CHECK(Has(replay().message(), "entries row " + entry + ": its content is not the content"));
  }
  SECTION("a subject's guardians swapped in order") {
    Exec(db.get(), "UPDATE guardians SET position = (SELECT max(position) + min(position) FROM "
                   "guardians WHERE subject_id = '" + subject + "') - position WHERE "
                   "subject_id = '" + subject + "'");
    CHECK(Has(replay().message(), "guardians of subjects row " + subject));
  }
  SECTION("a guardian's custody taken away by a direct edit") {
    Exec(db.get(), "UPDATE guardians SET custody = 0 WHERE id = '" + kept_subject.guardians[1].id +
                       "'");
    CHECK(Has(replay().message(), "guardians row " + kept_subject.guardians[1].id +
                                      ": custody 0 differs from subject.add"));
  }
  SECTION("a guardian's identity record replaced by another's") {
    Exec(db.get(), "UPDATE guardians SET identity = (SELECT identity FROM guardians WHERE "
                   "subject_id != '" + subject + "' LIMIT 1) WHERE id = '" +
                       kept_subject.guardians[0].id + "'");
    CHECK(Has(replay().message(), "subjects row " + subject + " (identity record"));
  }
}

TEST_CASE("an index page replayed from an older copy is named by the index check",
          "[btree][tamper]") {
  // The index check reads every index sequentially (audit/index_check.h):
  // an old copy of an index page, which decrypts fine, no longer agrees
  // with its table.
  // entries_case: a table's index; events_state_target: a partial events
  // index, covering since migration 10 (its table side comes from verify's
  // pass over the events).
  const std::string index = GENERATE(std::string("entries_case"),
                                     std::string("events_state_target"));
  World world;
  World* w = &world;
  int64_t page_size = 0, root = 0;
  auto sync = [&] {
    std::unique_ptr<internal::Db> db = InsiderDb(*w->school, w->options.path);
    internal::Stmt* st = db->Prepare("PRAGMA page_size").value();
    REQUIRE(st->Step().value());
    page_size = st->Int(0);
    st->Reset();
    st = db->Prepare(("SELECT rootpage FROM sqlite_master WHERE name = '" + index + "'").c_str())
             .value();
    REQUIRE(st->Step().value());
    root = st->Int(0);
    st->Reset();
    Exec(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
  };
  sync();
  const std::string before = ReadFile(w->options.path);
  REQUIRE(w->school->AddEntry(w->case_id, Category::kSchool, "anteckning").ok());
  REQUIRE(VerifyMessage(*w->auditor) == "ok");
  sync();
  const StoreOptions options = w->options;
  for (std::optional<Session>* s : {&w->admin, &w->coord, &w->school, &w->police, &w->auditor}) {
    s->reset();  // every connection closed
  }
  std::string file = ReadFile(options.path);
  const size_t off = static_cast<size_t>((root - 1) * page_size);
  REQUIRE(off + static_cast<size_t>(page_size) <= before.size());
  REQUIRE(file.compare(off, page_size, before, off, page_size) != 0);
  file.replace(off, page_size, before, off, page_size);
  WriteFile(options.path, file);
  Session auditor = OpenOrFail(options, "auditor", kPass);
  Result<VerifyReport> v = auditor.Verify({});
  CHECK(v.status().code() == StatusCode::kIntegrityViolation);
  const std::string table = index == "entries_case" ? "entries" : "events";
  CHECK(Has(v.status().message(),
            "b-tree integrity: index " + index + " disagrees with table " + table));
}

TEST_CASE("the index check knows every index of the store's own schema", "[btree]") {
  // A new index (a migration) that the check does not know would silently
  // turn every verify into PRAGMA integrity_check, which looks up every
  // row in every index (the incremental verify's budget).
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Result<internal::audit::IndexCheck> check = internal::audit::IndexCheck::Load(db.get());
  REQUIRE(check.ok());
  CHECK_FALSE(check->falls_back());
}

TEST_CASE("the index check reads the large partial events indexes without the table",
          "[btree]") {
  // Its scan of a partial index names the index's WHERE; SQLite 3.15 reads
  // those columns from the events row unless the index carries them
  // (migration 10), one randomly placed page per entry.
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const char* scans[][2] = {
      {"events_subject", "SELECT rowid, subject_id, seq, case_id FROM events INDEXED BY "
                         "events_subject WHERE case_id = ''"},
      {"events_state_target", "SELECT rowid, target, action, allowed FROM events INDEXED BY "
                              "events_state_target WHERE action IN (50, 60) AND allowed = 1"},
      {"events_case_consent", "SELECT rowid, case_id, seq, action, allowed FROM events "
                              "INDEXED BY events_case_consent WHERE action IN (40, 41) AND "
                              "allowed = 1"},
      {"events_case_open", "SELECT rowid, time, seq, action, allowed FROM events INDEXED BY "
                           "events_case_open WHERE action = 30 AND allowed = 1"},
  };
  for (const auto& scan : scans) {
    INFO(scan[0]);
    internal::Stmt* st =
        db->Prepare((std::string("EXPLAIN QUERY PLAN ") + scan[1]).c_str()).value();
    REQUIRE(st->Step().value());
    CHECK(Has(st->Text(3), std::string("COVERING INDEX ") + scan[0]));
    st->Reset();
  }
}

TEST_CASE("an index pointed at a b-tree in another order is named by the index check",
          "[btree][tamper][insider]") {
  // The insider builds a second index of the same entries in another
  // order, swaps the two schema rows' root pages (PRAGMA writable_schema),
  // and drops the second one, which frees the b-tree that was in order.
  // The schema reads as before, every entry is there (the digest matches)
  // and quick_check of SQLite 3.15 checks no index order, but a seek in
  // events_case (case, seq) now misses events of the case.
  World w;
  REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "anteckning ett").ok());
  REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "anteckning två").ok());
  REQUIRE(VerifyMessage(*w.auditor) == "ok");
  auto scalar = [](internal::Db* db, const std::string& sql) {
    internal::Stmt* st = db->Prepare(sql.c_str()).value();
    REQUIRE(st->Step().value());
    const std::string v = st->Text(0);
    st->Reset();
    return v;
  };
  {
    std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
    Exec(db.get(), "CREATE INDEX evil ON events(case_id, seq DESC)");
    const std::string ours =
        scalar(db.get(), "SELECT rootpage FROM sqlite_master WHERE name = 'events_case'");
    const std::string evil =
        scalar(db.get(), "SELECT rootpage FROM sqlite_master WHERE name = 'evil'");
    Exec(db.get(), "PRAGMA writable_schema = ON");
    Exec(db.get(), "UPDATE sqlite_master SET rootpage = " + evil + " WHERE name = 'events_case'");
    Exec(db.get(), "UPDATE sqlite_master SET rootpage = " + ours + " WHERE name = 'evil'");
    Exec(db.get(), "PRAGMA writable_schema = OFF");
  }
  {
    std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);  // schema reread
    Exec(db.get(), "DROP INDEX evil");
  }
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  CHECK(scalar(db.get(), "PRAGMA quick_check") == "ok");
  // The attack reaches its goal: some seek by case and seq misses events
  // that a scan of the table finds.
  bool missed = false;
  internal::Stmt* seqs =
      db->Prepare("SELECT seq FROM events NOT INDEXED WHERE case_id = ?").value();
  seqs->Bind(1, w.case_id);
  std::vector<int64_t> all;
  while (seqs->Step().value()) all.push_back(seqs->Int(0));
  seqs->Reset();
  REQUIRE(all.size() >= 3);
  for (int64_t s : all) {
    const std::string seek = scalar(db.get(), "SELECT count(*) FROM events INDEXED BY events_case "
                                              "WHERE case_id = '" + w.case_id + "' AND seq >= " +
                                              std::to_string(s));
    const std::string scan = scalar(db.get(), "SELECT count(*) FROM events NOT INDEXED WHERE "
                                              "case_id = '" + w.case_id + "' AND seq >= " +
                                              std::to_string(s));
    missed |= seek != scan;
  }
  REQUIRE(missed);
  db.reset();
  Session auditor = OpenOrFail(w.options, "auditor", kPass);
  Result<VerifyReport> v = auditor.Verify({});
  CHECK(v.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Has(v.status().message(), "b-tree integrity: index events_case of table events is out "
                                  "of order"));
}

TEST_CASE("the replay's table scans give the index check its table side, and still catch "
          "an index that disagrees", "[btree][tamper][insider]") {
  // audit verify reads subjects, cases, case_team and entries once: the
  // replay's first pass gives each row to the index check too
  // (TableRowSink).  With several partitions and the rows kept, and with
  // every pass running the queries again.
  const size_t budget = GENERATE(size_t{internal::kDefaultFactBudget}, size_t{16});
  const internal::ReplayScratch scratch =
      GENERATE(internal::ReplayScratch::kFile, internal::ReplayScratch::kRescan);
  World w;
  REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "anteckning ett").ok());
  REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "anteckning två").ok());
  internal::ReplayStats stats;
  REQUIRE(w.Replay(budget, &stats, scratch).ok());
  INFO(stats.partitions << " partitions");
  REQUIRE((budget == internal::kDefaultFactBudget ? stats.partitions == 1
                                                  : stats.partitions >= 2));
  Session::Impl* impl = internal::SessionAccess::Get(*w.auditor);
  auto check = [&](internal::Db* db, std::set<std::string>* from_replay) -> Status {
    Result<internal::audit::IndexCheck> indexes = internal::audit::IndexCheck::Load(db);
    REQUIRE(indexes.ok());
    Result<std::unique_ptr<internal::ReplayStream>> replay =
        internal::ReplayStream::New(db, impl->lookup_key, budget, scratch);
    REQUIRE(replay.ok());
    Status s = internal::ForEachEvent(db, 0, [&](const internal::EventRecord& e) -> Status {
      indexes->AddEvent(e);
      return (*replay)->Add(e);
    });
    REQUIRE(s.ok());
    const Status replayed = (*replay)->Finish(&*indexes);
    if (from_replay) *from_replay = indexes->tables_from_replay();
    SSPF_RETURN_IF_ERROR(indexes->Check(db));
    return replayed;
  };
  {
    std::set<std::string> from_replay;
    Status s = check(impl->db.get(), &from_replay);
    INFO(s.ToString());
    REQUIRE(s.ok());
    CHECK(from_replay == std::set<std::string>{"case_team", "cases", "entries", "subjects"});
  }
  // The insider redeclares an index's column in the schema without
  // rebuilding it: its entries (the old column's values) no longer agree
  // with the table.  Each of the tables the replay reads for the check.
  const auto [index, table, column] = GENERATE(
      std::make_tuple(std::string("cases_subject"), std::string("cases"),
                      std::string("opened_by")),
      std::make_tuple(std::string("case_team_principal"), std::string("case_team"),
                      std::string("case_id")),
      std::make_tuple(std::string("entries_case"), std::string("entries"),
                      std::string("author_id")));
  {
    std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
    Exec(db.get(), "PRAGMA writable_schema = ON");
    Exec(db.get(), "UPDATE sqlite_master SET sql = 'CREATE INDEX " + index + " ON " + table +
                       "(" + column + ")' WHERE name = '" + index + "'");
    Exec(db.get(), "PRAGMA writable_schema = OFF");
  }
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);  // schema reread
  Status s = check(db.get(), nullptr);
  CHECK(s.code() == StatusCode::kIntegrityViolation);
  CHECK(Has(s.message(), "b-tree integrity: index " + index + " disagrees with table " + table));
  db.reset();
  Session auditor = OpenOrFail(w.options, "auditor", kPass);
  Result<VerifyReport> v = auditor.Verify({});
  CHECK(v.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Has(v.status().message(),
            "b-tree integrity: index " + index + " disagrees with table " + table));
}
