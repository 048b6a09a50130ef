// Insider attacks with planted SQL triggers (DESIGN §13; found by an
// independent review on 2026-12-04).  An insider with the root-derived
// SQLCipher key adds a trigger to the schema, and SQLite runs it inside
// every other principal's statements: BEFORE INSERT ... RAISE(IGNORE) on
// the events, their signatures and tree nodes drops an event and leaves no
// gap (the next event takes its seq); AFTER INSERT ... DELETE removes the
// row a session just wrote, past its check that one row was written.  With
// them a withdrawn consent stayed in force, a principal's reads never
// reached the log, and disabling a principal did nothing, while audit
// verify said ok.  Each test plants the triggers the way the review did and
// shows that the victim's operation is refused with nothing written, and
// that audit verify, full and incremental, names the planted trigger.
#include <memory>
#include <optional>
#include <string>

#include "catch.h"
#include "insider_util.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The message of a verify ("ok" when it passes).
std::string VerifyWith(Session& auditor, std::optional<std::string> kept, bool full) {
  VerifyOptions o;
  o.kept_checkpoint = std::move(kept);
  o.full = full;
  Result<VerifyReport> r = auditor.Verify(o);
  if (r.ok()) return "ok";
  CHECK(r.status().code() == StatusCode::kIntegrityViolation);
  return r.status().message();
}

// Triggers that drop every row of one event for which `when` holds: the
// event, its signature and the tree nodes its append completes.
std::string DropEventTriggers(const std::string& when) {
  return "CREATE TRIGGER zz_ev BEFORE INSERT ON events WHEN " + when +
         " BEGIN SELECT RAISE(IGNORE); END;"
         "CREATE TRIGGER zz_sig BEFORE INSERT ON event_signatures WHEN NOT EXISTS "
         "(SELECT 1 FROM events WHERE seq = NEW.seq) BEGIN SELECT RAISE(IGNORE); END;"
         "CREATE TRIGGER zz_tree BEFORE INSERT ON tree_nodes WHEN NOT EXISTS "
         "(SELECT 1 FROM events WHERE seq = ((NEW.idx + 1) << NEW.level) - 1) "
         "BEGIN SELECT RAISE(IGNORE); END;";
}
constexpr const char* kDropEventTriggersBack =
    "DROP TRIGGER zz_ev; DROP TRIGGER zz_sig; DROP TRIGGER zz_tree;";

ConsentInput YouthConsent(const InsiderWorld& w) {
  ConsentInput in;
  in.case_id = w.case_id;
  in.party = ConsentParty{true, ""};
  in.actors = {Actor::kPolice, Actor::kSchool};
  in.categories = {Category::kPolice};
  in.valid_until = w.InDays(90);
  in.purpose = "sspf-meeting";
  in.form_ref = "form-1";
  return in;
}

// The session's refusal: an integrity violation that names a planted
// trigger and says the statement was not run.
void CheckRefused(const Status& s, const std::string& trigger_prefix) {
  INFO(s.ToString());
  CHECK(s.code() == StatusCode::kIntegrityViolation);
  CHECK(Contains(s.message(), "trigger or view " + trigger_prefix));
  CHECK(Contains(s.message(), "the statement was not run"));
}

}  // namespace

TEST_CASE("a planted trigger cannot keep a consent withdrawal out of the store",
          "[attack][insider][trigger]") {
  InsiderWorld w;
  Result<std::string> consent = w.coord->GrantConsent(YouthConsent(w));
  REQUIRE(consent.ok());
  Result<std::string> kept = w.auditor->Checkpoint();
  REQUIRE(kept.ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const int64_t events = Count(db.get(), "SELECT count(*) FROM events");
  const int64_t rows = Count(db.get(), "SELECT count(*) FROM consents");
  // Delete the withdrawn version the coordinator writes, and drop its event.
  InsiderExec(db.get(),
              "DROP TRIGGER consents_no_delete;"
              "CREATE TRIGGER zz_consent AFTER INSERT ON consents WHEN NEW.withdrawn_at IS NOT "
              "NULL BEGIN DELETE FROM consents WHERE id = NEW.id AND version = NEW.version; "
              "END;" +
                  DropEventTriggers("NEW.action = " +
                                    std::to_string(static_cast<int>(Action::kConsentWithdraw))));

  CheckRefused(w.coord->WithdrawConsent(*consent), "zz_");
  // A session opened after the triggers were planted refuses them too: its
  // opening is logged, so it does not open.
  Result<Session> late = Store::Open(w.options, "coord", Pass(kInsiderPass));
  REQUIRE_FALSE(late.ok());
  CheckRefused(late.status(), "zz_");
  CHECK(Count(db.get(), "SELECT count(*) FROM consents") == rows);
  // The log holds no event of the refused withdrawals: the sessions wrote
  // nothing at all, so the coordinator's error is all there is.
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE action = " +
                            std::to_string(static_cast<int>(Action::kConsentWithdraw))) == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM events") == events);

  // Verify's own event is refused while the events triggers are in place.
  const std::string refused = VerifyWith(*w.auditor, std::nullopt, false);
  CHECK(Contains(refused, "trigger or view zz_"));
  // With those gone, verify runs to its end and names the one left.
  InsiderExec(db.get(), kDropEventTriggersBack);
  for (bool full : {false, true}) {
    for (const std::optional<std::string>& from :
         {std::optional<std::string>(), std::optional<std::string>(*kept)}) {
      const std::string e = VerifyWith(*w.auditor, from, full);
      CHECK(Contains(e, "the schema has trigger zz_consent on consents, which schema"));
    }
  }
  // And the dropped guard once the planted trigger is gone.
  InsiderExec(db.get(), "DROP TRIGGER zz_consent");
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt, false),
                 "the schema lacks trigger consents_no_delete on consents"));
  // Put back as it was, the withdrawal goes through.
  InsiderExec(db.get(),
              "CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents\n"
              "  BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;");
  REQUIRE(w.coord->WithdrawConsent(*consent).ok());
  CHECK(VerifyWith(*w.auditor, *kept, false) == "ok");
}

TEST_CASE("a planted trigger cannot keep one principal's reads out of the log",
          "[attack][insider][trigger]") {
  InsiderWorld w;
  Result<std::string> entry = w.police->AddEntry(w.case_id, Category::kPolice, "Anteckning");
  REQUIRE(entry.ok());
  Result<std::string> kept = w.auditor->Checkpoint();
  REQUIRE(kept.ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  const int64_t events = Count(db.get(), "SELECT count(*) FROM events");
  InsiderExec(db.get(),
              DropEventTriggers("NEW.principal_id = '" + w.police->principal().id + "'"));

  // Her reads return no data: an access that is not logged does not happen.
  Result<CaseInfo> shown = w.police->ShowCase(w.case_id);
  CHECK_FALSE(shown.ok());
  CheckRefused(shown.status(), "zz_");
  Result<EntryContent> read = w.police->ReadEntry(*entry, "uppföljning");
  CHECK_FALSE(read.ok());
  CheckRefused(read.status(), "zz_");
  // Nobody else's events are written either: every event insert runs them.
  CheckRefused(w.school->ShowCase(w.case_id).status(), "zz_");
  CHECK(Count(db.get(), "SELECT count(*) FROM events") == events);
  CHECK(Contains(VerifyWith(*w.auditor, *kept, false), "trigger or view zz_"));

  InsiderExec(db.get(), kDropEventTriggersBack);
  REQUIRE(w.police->ShowCase(w.case_id).ok());
  CHECK(VerifyWith(*w.auditor, *kept, false) == "ok");
  CHECK(VerifyWith(*w.auditor, std::nullopt, true) == "ok");
}

TEST_CASE("planted triggers cannot undo the disabling of a principal",
          "[attack][insider][trigger]") {
  InsiderWorld w;
  const std::string me = w.school->principal().id;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // Her new certificate deleted, her row set back to active, her seals
  // kept, and the principal.disable event dropped.
  InsiderExec(db.get(),
              "CREATE TRIGGER zz_cert AFTER INSERT ON certificates WHEN NEW.subject = '" + me +
                  "' BEGIN DELETE FROM certificates WHERE kind = NEW.kind AND subject = "
                  "NEW.subject AND version = NEW.version; END;"
                  "CREATE TRIGGER zz_row AFTER UPDATE OF active ON principals WHEN NEW.id = '" +
                  me + "' BEGIN UPDATE principals SET active = 1 WHERE id = NEW.id; END;"
                  "CREATE TRIGGER zz_seal BEFORE DELETE ON actor_key_seals WHEN OLD.principal_id "
                  "= '" + me + "' BEGIN SELECT RAISE(IGNORE); END;" +
                  DropEventTriggers("NEW.target = 'principal:" + me + "'"));
  const int64_t certificates = Count(db.get(), "SELECT count(*) FROM certificates");
  CheckRefused(w.admin->DisablePrincipal("school1"), "zz_");
  CHECK(Count(db.get(), "SELECT count(*) FROM certificates") == certificates);
  CHECK(Count(db.get(), "SELECT active FROM principals WHERE id = '" + me + "'") == 1);

  // Gone again, the disabling takes effect: her session can read nothing.
  InsiderExec(db.get(), std::string(kDropEventTriggersBack) +
                            "DROP TRIGGER zz_cert; DROP TRIGGER zz_row; DROP TRIGGER zz_seal;");
  REQUIRE(w.admin->DisablePrincipal("school1").ok());
  CHECK_FALSE(w.school->ShowCase(w.case_id).ok());
  CHECK(VerifyWith(*w.auditor, std::nullopt, true) == "ok");
}

TEST_CASE("a trigger of the store's own redefined, or a view added, is named by verify",
          "[attack][insider][trigger]") {
  InsiderWorld w;
  Result<std::string> consent = w.coord->GrantConsent(YouthConsent(w));
  REQUIRE(consent.ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // The guard against deletes, under its own name, deleting each
  // withdrawal as it is written.
  InsiderExec(db.get(),
              "DROP TRIGGER consents_no_delete;"
              "CREATE TRIGGER consents_no_delete AFTER INSERT ON consents WHEN NEW.withdrawn_at "
              "IS NOT NULL BEGIN DELETE FROM consents WHERE id = NEW.id AND version = "
              "NEW.version; END;");
  const Status s = w.coord->WithdrawConsent(*consent);
  INFO(s.ToString());
  CHECK(s.code() == StatusCode::kIntegrityViolation);
  CHECK(Contains(s.message(), "it would run trigger consents_no_delete"));
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt, false),
                 "trigger consents_no_delete on consents differs from schema"));

  InsiderExec(db.get(),
              "DROP TRIGGER consents_no_delete;"
              "CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents\n"
              "  BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;"
              "CREATE VIEW zz_open_consents AS SELECT * FROM consents WHERE withdrawn_at IS NULL;");
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt, true),
                 "the schema has view zz_open_consents, which schema"));
  InsiderExec(db.get(), "DROP VIEW zz_open_consents");
  // The refused withdrawal's own event says what the session found.
  CHECK(Contains(VerifyWith(*w.auditor, std::nullopt, true),
                 "(consent.withdraw) records an integrity violation found at use"));
  Result<std::string> after = w.auditor->Checkpoint();
  REQUIRE(after.ok());
  CHECK(VerifyWith(*w.auditor, *after, false) == "ok");
}

TEST_CASE("a trigger planted under the type and name of one of the store's own is named by "
          "verify", "[attack][insider][trigger]") {
  // Found by a second review on 2026-12-04: the comparison keyed schema rows
  // by type and name, so a second row under a guard trigger's name, whose
  // CREATE statement makes another trigger, replaced nothing it compared.
  InsiderWorld w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  const int64_t cookie = Count(db.get(), "PRAGMA schema_version");
  InsiderExec(db.get(), "PRAGMA writable_schema = ON");
  InsiderExec(db.get(), "UPDATE sqlite_master SET rowid = (SELECT max(rowid) + 2 FROM "
                        "sqlite_master) WHERE type = 'trigger' AND name = 'erasures_no_delete'");
  InsiderExec(db.get(),
              "INSERT INTO sqlite_master(rowid, type, name, tbl_name, rootpage, sql) "
              "VALUES((SELECT max(rowid) FROM sqlite_master) - 1, 'trigger', "
              "'erasures_no_delete', 'erasures', 0, 'CREATE TRIGGER zz_hidden AFTER INSERT ON "
              "checkpoints BEGIN DELETE FROM review_acks; END')");
  InsiderExec(db.get(), "PRAGMA schema_version = " + std::to_string(cookie + 1));
  InsiderExec(db.get(), "PRAGMA writable_schema = OFF");
  db.reset();
  // The planted trigger exists for a fresh connection.
  std::unique_ptr<internal::Db> other = InsiderDb(*w.police, w.options.path);
  CHECK(Count(other.get(), "SELECT count(*) FROM sqlite_master WHERE sql LIKE "
                           "'%zz_hidden%'") == 1);
  other.reset();
  // A session refuses to run it, and verify names the doubled row.
  CHECK_FALSE(w.auditor->Checkpoint().ok());
  Session fresh = w.Open("auditor");
  CHECK(Contains(VerifyWith(fresh, std::nullopt, true),
                 "the schema has two rows for trigger erasures_no_delete"));
}
