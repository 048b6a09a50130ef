// Purpose codes and purpose notes (issue 11, "No free text in leaves"): the
// access log records a read's purpose as a code; free text goes into a
// purpose note, stored encrypted, readable by the reader's actor and the
// auditors, erasable, and bound to the log by a salted commitment only.
#include <string>
#include <vector>

#include "catch.h"
#include "context/session_impl.h"
#include "sspf/json.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";
constexpr const char* kName = "Nora Testnamnsdotter";

struct World {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> admin, coord, school, police, auditor;
  std::string subject_id, case_id, entry_id;
  // A valid (fictitious) personnummer, and the forms it may be written in.
  std::string pnr = MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 15, 6, 9}, 517,
                                           false);

  World() {
    REQUIRE(pnr.size() == 12);
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    admin = OpenOrFail(options, "admin", kPass);
    AddPrincipalOrFail(*admin, "coord", Actor::kCoordination, Role::kCoordinator, kPass);
    AddPrincipalOrFail(*admin, "school1", Actor::kSchool, Role::kMember, kPass);
    AddPrincipalOrFail(*admin, "police1", Actor::kPolice, Role::kMember, kPass);
    AddPrincipalOrFail(*admin, "auditor", Actor::kCoordination, Role::kAuditor, kPass);
    coord = OpenOrFail(options, "coord", kPass);
    school = OpenOrFail(options, "school1", kPass);
    police = OpenOrFail(options, "police1", kPass);
    auditor = OpenOrFail(options, "auditor", kPass);
    Result<SubjectInfo> s = coord->AddSubject({pnr, "Ung Testsson", {}});
    REQUIRE(s.ok());
    subject_id = s->id;
    Result<std::string> c = coord->OpenCase(s->id, {"school1", "police1"});
    REQUIRE(c.ok());
    case_id = *c;
    Result<std::string> e = police->AddEntry(case_id, Category::kPolice, "Polisens anteckning");
    REQUIRE(e.ok());
    entry_id = *e;
  }
  // The note police1 states for its read: a personnummer and a name.
  std::string Note() const {
    return "Möte om " + std::string(kName) + " (" + pnr.substr(0, 8) + "-" + pnr.substr(8) +
           "), pnr " + pnr;
  }
  std::vector<std::string> Needles() const {
    return {pnr, pnr.substr(2), pnr.substr(0, 8) + "-" + pnr.substr(8),
            pnr.substr(2, 6) + "-" + pnr.substr(8), kName, "Testnamnsdotter"};
  }
  std::vector<PurposeNoteInfo> Notes(Session& s) {
    Result<std::vector<PurposeNoteInfo>> n = s.ListPurposeNotes(case_id);
    INFO(n.status().ToString());
    REQUIRE(n.ok());
    return std::move(n).value();
  }
};

std::string Export(Session& auditor, ExportFormat format) {
  std::string out;
  Status s = auditor.ExportEvents({}, format, [&](std::string_view l) {
    out.append(l);
    out.push_back('\n');
    return Status::Ok();
  });
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out;
}

}  // namespace

TEST_CASE("purposes are codes: a code or either label, normalised", "[purposes]") {
  const std::vector<PurposeCode> codes = DefaultPurposeCodes();
  REQUIRE(ValidatePurposeCodes(codes).ok());
  for (const char* code : {"sspf-meeting", "planning", "follow-up", "emergency", "log-review",
                           "investigation", "control"}) {
    Result<std::string> r = NormalizePurpose(codes, code);
    REQUIRE(r.ok());
    CHECK(*r == code);
  }
  const std::vector<std::pair<const char*, const char*>> aliases = {
      {"SSPF-möte", "sspf-meeting"},   {"SSPF meeting", "sspf-meeting"},
      {"sspf-MÖTE", "sspf-meeting"},   {"uppföljning", "follow-up"},
      {"Uppföljning", "follow-up"},    {"UPPFÖLJNING", "follow-up"},
      {"akut", "emergency"},           {"utredning", "investigation"},
      {"kontroll", "control"},         {"planering", "planning"},
      {"loggranskning", "log-review"}, {"Log review", "log-review"},
      {"FOLLOW-UP", "follow-up"}};
  for (const auto& [in, want] : aliases) {
    Result<std::string> r = NormalizePurpose(codes, in);
    INFO(in);
    REQUIRE(r.ok());
    CHECK(*r == want);
  }
  Result<std::string> empty = NormalizePurpose(codes, "");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  for (const char* bad : {"test", "bench", "uppföljning ", " akut", "SSPF-möte 12 maj",
                          "follow up", "kontroll av 20110402-4181"}) {
    Result<std::string> r = NormalizePurpose(codes, bad);
    INFO(bad);
    REQUIRE(r.status().code() == StatusCode::kInvalidArgument);
    const std::string& m = r.status().message();
    CHECK(m.find("sspf-meeting, planning, follow-up, emergency, log-review, investigation, "
                 "control") != std::string::npos);
    CHECK(m.find("note") != std::string::npos);
    CHECK(m.find('\n') == std::string::npos);
    CHECK(m.find(bad) == std::string::npos);  // the text itself is never repeated
  }
  // A configured list must be well-formed.
  CHECK(ValidatePurposeCodes({{"bad code", "a", "b"}}).code() == StatusCode::kInvalidArgument);
  CHECK(ValidatePurposeCodes({{"a", "x", "y"}, {"b", "X", "z"}}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(ValidatePurposeCodes({{"a", "", "y"}}).code() == StatusCode::kInvalidArgument);
  CHECK(ValidatePurposeCodes({}).code() == StatusCode::kInvalidArgument);
  // Another list: its codes and labels, and nothing else.
  const std::vector<PurposeCode> own = {{"tillsyn", "tillsyn", "supervision"}};
  CHECK(*NormalizePurpose(own, "Supervision") == "tillsyn");
  CHECK(NormalizePurpose(own, "follow-up").status().code() == StatusCode::kInvalidArgument);
  Result<std::string> bad_list = NormalizePurpose({{"a b", "x", "y"}}, "x");
  CHECK(bad_list.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a read states a code, free text is refused and not logged", "[purposes]") {
  World w;
  const int64_t before = QueryInt(*w.coord, "SELECT count(*) FROM events");
  Result<EntryContent> r = w.police->ReadEntry(w.entry_id, "kontroll av " + w.pnr);
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find(w.pnr) == std::string::npos);
  // A note needs a code.
  CHECK(w.police->ReadEntry(w.entry_id, Purpose{"", "en anteckning"}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(w.police->ReadEntry(w.entry_id, Purpose{"follow-up", std::string("a\0b", 3)})
            .status()
            .code() == StatusCode::kInvalidArgument);
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events") == before);
  // A label is logged as its code; no purpose stays allowed.
  REQUIRE(w.police->ReadEntry(w.entry_id, "Uppföljning").ok());
  REQUIRE(w.police->ReadEntry(w.entry_id).ok());
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE action = 52 AND "
                           "purpose = 'follow-up'") == 1);
  CHECK(QueryInt(*w.coord, "SELECT count(*) FROM events WHERE action = 52 AND "
                           "purpose = ''") == 1);
  // The store's own list applies.
  World v;
  v.options.purposes = {{"tillsyn", "tillsyn", "supervision"}};
  Session police = OpenOrFail(v.options, "police1", kPass);
  CHECK(police.ReadEntry(v.entry_id, "follow-up").status().code() ==
        StatusCode::kInvalidArgument);
  REQUIRE(police.ReadEntry(v.entry_id, "Supervision").ok());
  CHECK(QueryInt(police, "SELECT count(*) FROM events WHERE purpose = 'tillsyn'") == 1);
}

TEST_CASE("a purpose note with a personnummer and a name is in no leaf, export or extract",
          "[purposes][notes]") {
  World w;
  const std::string note = w.Note();
  Result<EntryContent> r = w.police->ReadEntry(w.entry_id, Purpose{"uppföljning", note});
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  // A denied read keeps its note too (the school may not read police entries).
  Result<EntryContent> denied = w.school->ReadEntry(w.entry_id, Purpose{"control", note});
  CHECK(denied.status().code() == StatusCode::kPermissionDenied);

  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // Nowhere in the store in plaintext: not in the events table (the leaf
  // fields), not in any other table.
  for (const std::string& needle : w.Needles()) {
    INFO(needle);
    std::vector<std::string> hits = FindEverywhere(db.get(), needle);
    for (const std::string& h : hits) INFO(h);
    CHECK(hits.empty());
  }
  CHECK(Count(db.get(), "SELECT count(*) FROM sealed_reasons WHERE tbl = 'purpose_notes'") == 2);
  // The leaf holds the code, the note id and a commitment.
  Result<std::vector<AuditEvent>> reads = w.auditor->QueryEvents([] {
    AuditFilter f;
    f.action = Action::kEntryRead;
    return f;
  }());
  REQUIRE(reads.ok());
  REQUIRE(reads->size() == 2);
  for (const AuditEvent& e : *reads) {
    const std::string leaf(e.leaf.begin(), e.leaf.end());
    for (const std::string& needle : w.Needles()) CHECK(leaf.find(needle) == std::string::npos);
    CHECK(e.purpose.find(" note=") != std::string::npos);
    CHECK(e.purpose.find(" commitment=") != std::string::npos);
  }
  CHECK((*reads)[0].purpose.rfind("follow-up note=", 0) == 0);
  CHECK((*reads)[1].purpose.rfind("control note=", 0) == 0);
  // Nor in the audit export (JSON lines and CSV) or the extract (loggutdrag).
  const std::string jsonl = Export(*w.auditor, ExportFormat::kJsonLines);
  const std::string csv = Export(*w.auditor, ExportFormat::kCsv);
  Result<std::vector<AuditEvent>> extract = w.auditor->ExtractSubject(w.subject_id);
  REQUIRE(extract.ok());
  const std::string extract_json = SubjectExtractJson(w.subject_id, *extract, {});
  CHECK(extract_json.find(" note=") != std::string::npos);
  for (const std::string& needle : w.Needles()) {
    INFO(needle);
    CHECK(jsonl.find(needle) == std::string::npos);
    CHECK(csv.find(needle) == std::string::npos);
    CHECK(extract_json.find(needle) == std::string::npos);
  }

  // The note reads back for the auditor and the reader's actor, not others.
  std::vector<PurposeNoteInfo> seen = w.Notes(*w.auditor);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].code == "follow-up");
  REQUIRE(seen[0].note.has_value());
  CHECK(*seen[0].note == note);
  CHECK(seen[0].principal_id == (*reads)[0].principal_id);
  CHECK(seen[0].target == "entry:" + w.entry_id);
  CHECK((*reads)[0].purpose.find(seen[0].commitment) != std::string::npos);
  std::vector<PurposeNoteInfo> by_police = w.Notes(*w.police);
  REQUIRE(by_police[0].note.has_value());
  CHECK(*by_police[0].note == note);
  CHECK(by_police[1].note_sealed);  // the school's note: sealed to the school
  CHECK_FALSE(by_police[1].note.has_value());
  std::vector<PurposeNoteInfo> by_coord = w.Notes(*w.coord);
  CHECK(by_coord[0].note_sealed);
  CHECK(PurposeNoteListJson(seen).find("\"note\":\"" + note) != std::string::npos);
  Result<VerifyReport> ok = w.auditor->Verify({});
  INFO(ok.status().ToString());
  REQUIRE(ok.ok());

  // Erasure: not by another member, by the author, logged; the commitment stays.
  const std::string id = seen[0].id;
  CHECK(w.school->ErasePurposeNote(id).code() == StatusCode::kPermissionDenied);
  CHECK(w.auditor->ErasePurposeNote(id).code() == StatusCode::kPermissionDenied);
  CHECK(w.police->ErasePurposeNote("no-such-note").code() == StatusCode::kNotFound);
  Status erased = w.police->ErasePurposeNote(id);
  INFO(erased.ToString());
  REQUIRE(erased.ok());
  CHECK(w.police->ErasePurposeNote(id).code() == StatusCode::kFailedPrecondition);
  // A coordinator may erase any note (here the school's).
  REQUIRE(w.coord->ErasePurposeNote(seen[1].id).ok());
  CHECK(Count(db.get(), "SELECT count(*) FROM sealed_reasons WHERE tbl = 'purpose_notes' AND "
                        "length(ciphertext) > 0") == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM reason_seals WHERE tbl = 'purpose_notes'") == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM sealed_reasons WHERE tbl = 'purpose_notes' AND "
                        "row_id = '" + id + "' AND hex(commitment) = upper('" +
                        seen[0].commitment + "')") == 1);
  // Logged: the erasure, the failed second one, and the two denials.
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE action = 56 AND allowed = 1 AND "
                        "detail = '' AND target = 'note:" + id + "'") == 1);
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE action = 56 AND allowed = 1 AND "
                        "detail != '' AND target = 'note:" + id + "'") == 1);
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE action = 56 AND allowed = 0 AND "
                        "target = 'note:" + id + "'") == 2);
  std::vector<PurposeNoteInfo> after = w.Notes(*w.auditor);
  REQUIRE(after.size() == 2);
  CHECK(after[0].erased);
  CHECK_FALSE(after[0].note.has_value());
  CHECK_FALSE(after[0].note_sealed);
  Result<VerifyReport> still = w.auditor->Verify({});
  INFO(still.status().ToString());
  CHECK(still.ok());
  Result<VerifyReport> by_member = w.police->Verify({});
  CHECK(by_member.status().code() != StatusCode::kIntegrityViolation);
}

TEST_CASE("verify ties purpose notes to the log", "[purposes][notes][insider]") {
  World w;
  REQUIRE(w.police->ReadEntry(w.entry_id, Purpose{"follow-up", w.Note()}).ok());
  std::vector<PurposeNoteInfo> notes = w.Notes(*w.auditor);
  REQUIRE(notes.size() == 1);
  const std::string id = notes[0].id;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  std::string want;
  SECTION("a note row without its event") {
    REQUIRE(db->Exec("INSERT INTO sealed_reasons(tbl, row_id, commitment, ciphertext) "
                     "SELECT tbl, 'planted', commitment, ciphertext FROM sealed_reasons "
                     "WHERE tbl = 'purpose_notes'").ok());
    want = "purpose_notes/planted: a purpose note without its event";
  }
  SECTION("a deleted note row") {
    REQUIRE(db->Exec("DELETE FROM sealed_reasons WHERE tbl = 'purpose_notes'").ok());
    want = "is missing";
  }
  SECTION("a replaced commitment") {
    REQUIRE(db->Exec("UPDATE sealed_reasons SET commitment = zeroblob(32) "
                     "WHERE tbl = 'purpose_notes'").ok());
    want = "does not match the commitment in the log";
  }
  SECTION("text gone without a logged erasure") {
    REQUIRE(db->Exec("UPDATE sealed_reasons SET ciphertext = x'' "
                     "WHERE tbl = 'purpose_notes'").ok());
    REQUIRE(db->Exec("DELETE FROM reason_seals WHERE tbl = 'purpose_notes'").ok());
    want = "without a logged erasure";
  }
  SECTION("a replaced ciphertext (auditor)") {
    REQUIRE(db->Exec("UPDATE sealed_reasons SET ciphertext = zeroblob(80) "
                     "WHERE tbl = 'purpose_notes'").ok());
    want = "does not decrypt";
  }
  SECTION("an erased note whose text is restored") {
    internal::Stmt* st = db->Prepare("SELECT ciphertext FROM sealed_reasons "
                                     "WHERE tbl = 'purpose_notes'").value();
    REQUIRE(st->Step().value());
    const internal::Bytes old = st->Blob(0);
    st->Reset();
    REQUIRE(w.police->ErasePurposeNote(id).ok());
    internal::Stmt* up = db->Prepare("UPDATE sealed_reasons SET ciphertext = ? "
                                     "WHERE tbl = 'purpose_notes'").value();
    up->BindBlob(1, old);
    REQUIRE(up->Run().ok());
    want = "the log records its erasure";
  }
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  CHECK(v.find(want) != std::string::npos);
}
