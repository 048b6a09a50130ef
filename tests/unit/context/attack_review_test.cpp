// Independent insider review (DESIGN §13).  The attacker is school1, a
// school member: she knows her own passphrase, so she holds the root key
// and the SQLCipher key, and writes any row with direct SQL.  Each attack
// the code defends asserts the defence; each attack that succeeds today
// asserts the secure behaviour and is tagged [!mayfail] (see the review
// report for the fault and the suggested fix).
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "catch.h"
#include "context/session_impl.h"
#include "crypto/crypto.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";
// 18 a § runs from social services to the police: the police's own grants.
constexpr const char* kProvision = "OSL 10 kap. 18 a §";
constexpr int kPolice = static_cast<int>(Actor::kPolice);
constexpr int kSchool = static_cast<int>(Actor::kSchool);

struct World {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> admin, coord, school, police, social, auditor;
  std::string case_id, guardian_id;

  World() {
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    admin = Open("admin");
    Add("coord", Actor::kCoordination, Role::kCoordinator);
    Add("school1", Actor::kSchool, Role::kMember);
    Add("police1", Actor::kPolice, Role::kMember);
    Add("social1", Actor::kSocial, Role::kMember);
    Add("auditor", Actor::kCoordination, Role::kAuditor);
    coord = Open("coord");
    school = Open("school1");
    police = Open("police1");
    social = Open("social1");
    auditor = Open("auditor");
    Result<SubjectInfo> s = coord->AddSubject(
        {MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 15, 4, 2}, 431, false),
         "Ung Testsson", {"Vera Testsson"}});
    REQUIRE(s.ok());
    REQUIRE(s->guardians.size() == 1);
    guardian_id = s->guardians[0].id;
    Result<std::string> c =
        coord->OpenCase(s->id, {"school1", "police1", "social1"});
    REQUIRE(c.ok());
    case_id = *c;
  }
  void Add(const std::string& name, Actor a, Role r) {
    AddPrincipalOrFail(*admin, name, a, r, kPass);
  }
  Session Open(const std::string& name) { return OpenOrFail(options, name, kPass); }
  std::string PoliceEntry(const std::string& body) {
    Result<std::string> e = police->AddEntry(case_id, Category::kPolice, body);
    REQUIRE(e.ok());
    return *e;
  }
  // Police discloses `entry` to `to` under a provision with `reason`.
  std::string Disclose(const std::string& entry, Actor to, const std::string& reason,
                       std::optional<UnixSeconds> until = std::nullopt) {
    DisclosureBasis b;
    // Police reports to social services (OSL 10 kap. 28 §) and gives other
    // authorities what prevents crime (15 a §).
    b.provision = to == Actor::kSocial ? "OSL 10 kap. 28 §" : "OSL 10 kap. 15 a §";
    b.reason = reason;
    b.until = until;
    Result<std::string> d = police->DiscloseEntry(entry, to, b);
    INFO(d.status().ToString());
    REQUIRE(d.ok());
    return *d;
  }
};

std::string Body(const EntryContent& c) { return std::string(c.body.begin(), c.body.end()); }

internal::Bytes BlobOf(internal::Db* db, const std::string& sql, const std::string& arg) {
  internal::Stmt* st = db->Prepare(sql.c_str()).value();
  st->Bind(1, arg);
  REQUIRE(st->Step().value());
  internal::Bytes out = st->Blob(0);
  st->Reset();
  return out;
}

void SetBlob(internal::Db* db, const std::string& sql, const internal::Bytes& blob,
             const std::string& arg) {
  internal::Stmt* st = db->Prepare(sql.c_str()).value();
  st->BindBlob(1, blob).Bind(2, arg);
  REQUIRE(st->Run().ok());
  st->Reset();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// An entry body and the police seal of its key, made as AddEntry makes
// them: sealing needs only the actor's certified public key.
struct SealedBody {
  internal::Bytes body, sealed_key;
};
SealedBody SealPoliceBody(internal::Db* db, const internal::Bytes& store_id,
                          const std::string& case_id, const std::string& entry,
                          int64_t category, int64_t author_actor, int64_t key_version,
                          const std::string& text) {
  const internal::Bytes police_pk =
      BlobOf(db, "SELECT public_key FROM actor_keys WHERE actor = " + std::to_string(kPolice) +
                     " AND version = ?",
             std::to_string(key_version));
  SecretBytes key = SecretBytes::Random(internal::kKeySize).value();
  const internal::Bytes ad = internal::AdBuilder()
                                 .Add("sspf-entry-v1")
                                 .AddU64(1)
                                 .Add(store_id)
                                 .Add(case_id)
                                 .Add(entry)
                                 .AddU64(static_cast<uint64_t>(category))
                                 .AddU64(static_cast<uint64_t>(author_actor))
                                 .AddU64(static_cast<uint64_t>(key_version))
                                 .bytes();
  SealedBody out;
  out.body =
      internal::AeadSeal(key, reinterpret_cast<const uint8_t*>(text.data()), text.size(), ad)
          .value();
  internal::Bytes msg = internal::AdBuilder()
                            .Add("sspf-entry-key-v1")
                            .Add(store_id)
                            .Add(entry)
                            .AddU64(static_cast<uint64_t>(kPolice))
                            .AddU64(static_cast<uint64_t>(key_version))
                            .bytes();
  const uint8_t* k = key.data(InsecureSecretAccess::Get());
  msg.insert(msg.end(), k, k + internal::kKeySize);
  out.sealed_key = internal::SealTo(police_pk, msg.data(), msg.size());
  return out;
}

// ---------------------------------------------------------------------------
// Attack 1 (defended since the body= commitment).  Sealing needs only the
// actor's PUBLIC key, so the school insider writes a new entry key sealed
// to the certified police key, encrypts her own text with the entry's
// associated data, and replaces a police officer's entry.  The signed
// entry.add event commits to the body ciphertext: the read checks it (and
// the signature) at use, and verify's replay compares it.
TEST_CASE("a school insider cannot replace the content of a police entry undetected",
          "[attack][forgery]") {
  World w;
  const std::string entry = w.PoliceEntry("Polisens riktiga anteckning");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Session::Impl* me = internal::SessionAccess::Get(*w.school);

  internal::Stmt* st = db->Prepare("SELECT case_id, category, author_actor, key_version "
                                   "FROM entries WHERE id = ?").value();
  st->Bind(1, entry);
  REQUIRE(st->Step().value());
  const std::string case_id = st->Text(0);
  const int64_t category = st->Int(1), author_actor = st->Int(2), key_version = st->Int(3);
  st->Reset();
  const std::string forged = "Förfalskad text i polisens namn";
  const SealedBody f = SealPoliceBody(db.get(), me->store_id_bytes, case_id, entry, category,
                                      author_actor, key_version, forged);
  const internal::Bytes& body = f.body;
  const internal::Bytes& sealed = f.sealed_key;
  SetBlob(db.get(), "UPDATE entries SET body = ? WHERE id = ?", body, entry);
  SetBlob(db.get(), "UPDATE entry_keys SET sealed = ? WHERE entry_id = ? AND actor = " +
                        std::to_string(kPolice),
          sealed, entry);

  // Secure behaviour: the police member never gets the forgery as police1's
  // text, and verify finds the replaced body.
  Result<EntryContent> read = w.police->ReadEntry(entry, "uppföljning");
  CHECK_FALSE((read.ok() && Body(*read) == forged));
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

// Attack 1b (defended).  The same the other way round: the insider blanks
// a police entry's body.  No erasure event explains it, so the read is an
// integrity violation and verify reports it.
TEST_CASE("a police entry blanked by an insider is found by verify",
          "[attack][forgery]") {
  World w;
  const std::string entry = w.PoliceEntry("Polisens anteckning som försvinner");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  REQUIRE(db->Exec(("UPDATE entries SET body = NULL WHERE id = '" + entry + "'").c_str()).ok());
  CHECK(w.police->ReadEntry(entry, "uppföljning").status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

// Regression for attack 1: an entry written before the body= commitment
// (its signed entry.add event names no body, as in older stores) still
// reads, and verify accepts it: its content is unprotected legacy.  The
// event is written and signed by police1's own session, as the older
// library did.
TEST_CASE("a legacy entry without a body commitment still reads", "[attack][forgery]") {
  World w;
  const std::string normal = w.PoliceEntry("Vanlig anteckning");
  Result<EntryContent> first = w.police->ReadEntry(normal, "follow-up");
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  CHECK(Body(*first) == "Vanlig anteckning");

  Session::Impl* pi = internal::SessionAccess::Get(*w.police);
  internal::Db* db = pi->db.get();
  const std::string entry = internal::RandomId();
  const std::string text = "Anteckning från en äldre version";
  const int64_t category = static_cast<int64_t>(Category::kPolice);
  const SealedBody sb = SealPoliceBody(db, pi->store_id_bytes, w.case_id, entry, category,
                                       kPolice, 1, text);
  const UnixSeconds now = w.clock->Now();
  {
    std::unique_ptr<internal::Txn> txn = internal::Txn::Begin(db).value();
    internal::Stmt* ins = db->Prepare("INSERT INTO entries(id, case_id, category, author_id, "
                                      "author_actor, created, supersedes, key_version, body) "
                                      "VALUES(?,?,?,?,?,?,NULL,1,?)").value();
    ins->Bind(1, entry).Bind(2, w.case_id).Bind(3, category).Bind(4, pi->me.id)
        .Bind(5, static_cast<int64_t>(kPolice)).Bind(6, now).BindBlob(7, sb.body);
    REQUIRE(ins->Run().ok());
    ins->Reset();
    internal::Stmt* key = db->Prepare("INSERT INTO entry_keys(entry_id, actor, "
                                      "actor_key_version, sealed) VALUES(?,?,1,?)").value();
    key->Bind(1, entry).Bind(2, static_cast<int64_t>(kPolice)).BindBlob(3, sb.sealed_key);
    REQUIRE(key->Run().ok());
    key->Reset();
    Session::Impl::EventArgs e;
    e.action = Action::kEntryAdd;
    e.target = "entry:" + entry;
    e.allowed = true;
    e.case_id = w.case_id;
    e.detail = "entry=" + entry + " case=" + w.case_id + " category=police author=" +
               pi->me.id + " actor=police created=" + std::to_string(now) +
               " supersedes=- key=1";
    REQUIRE(pi->Log(e).ok());
    REQUIRE(txn->Commit().ok());
  }
  Result<EntryContent> legacy = w.police->ReadEntry(entry, "follow-up");
  INFO(legacy.status().ToString());
  REQUIRE(legacy.ok());
  CHECK(Body(*legacy) == text);
  CHECK(VerifyMessage(*w.auditor) == "ok");
  // Metadata is still checked at use: an edit of created is refused.
  std::unique_ptr<internal::Db> insider = InsiderDb(*w.school, w.options.path);
  REQUIRE(insider->Exec(("UPDATE entries SET created = created + 1 WHERE id = '" + normal + "'")
                            .c_str()).ok());
  CHECK(w.police->ReadEntry(normal, "follow-up").status().code() ==
        StatusCode::kIntegrityViolation);
}

// Attack 2 (defended).  Moving a police entry's ciphertext and key seal onto
// another police entry: the associated data and the seal header bind both to
// the entry id, so the read fails as an integrity violation.
TEST_CASE("a police entry body moved onto another entry does not decrypt",
          "[attack][forgery]") {
  World w;
  const std::string a = w.PoliceEntry("Anteckning A");
  const std::string b = w.PoliceEntry("Anteckning B");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  const internal::Bytes body = BlobOf(db.get(), "SELECT body FROM entries WHERE id = ?", a);
  const internal::Bytes seal = BlobOf(
      db.get(), "SELECT sealed FROM entry_keys WHERE entry_id = ? AND actor = " +
                    std::to_string(kPolice), a);
  SECTION("body only") {
    SetBlob(db.get(), "UPDATE entries SET body = ? WHERE id = ?", body, b);
  }
  SECTION("body and key seal") {
    SetBlob(db.get(), "UPDATE entries SET body = ? WHERE id = ?", body, b);
    SetBlob(db.get(), "UPDATE entry_keys SET sealed = ? WHERE entry_id = ? AND actor = " +
                          std::to_string(kPolice), seal, b);
  }
  Result<EntryContent> read = w.police->ReadEntry(b, "uppföljning");
  CHECK(read.status().code() == StatusCode::kIntegrityViolation);
}

// Attack 3 (defended).  Reading the content of a police entry never
// disclosed to school: no entry key is sealed to the school key, and a
// police seal copied into a school row does not open with the school key.
TEST_CASE("a school insider cannot read an undisclosed police entry", "[attack][confidentiality]") {
  World w;
  const std::string entry = w.PoliceEntry("Hemlig polisanteckning");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // Policy grants it (she makes it look disclosed) but the keys do not.
  const std::string copy =
      "INSERT INTO entry_keys(entry_id, actor, actor_key_version, sealed) SELECT entry_id, " +
      std::to_string(kSchool) + ", 1, sealed FROM entry_keys WHERE entry_id = ?";
  internal::Stmt* ins = db->Prepare(copy.c_str()).value();
  ins->Bind(1, entry);
  REQUIRE(ins->Run().ok());
  ins->Reset();
  Result<EntryContent> read = w.school->ReadEntry(entry, "uppföljning");
  CHECK_FALSE(read.ok());
  // Her own key opens nothing of the police seal.
  Session::Impl* me = internal::SessionAccess::Get(*w.school);
  const SecretBytes* sk = me->ActorKey(Actor::kSchool, 1).value();
  const internal::Bytes pk = me->actor_public_keys[{Actor::kSchool, 1}];
  const internal::Bytes police_seal = BlobOf(
      db.get(), "SELECT sealed FROM entry_keys WHERE entry_id = ? AND actor = " +
                    std::to_string(kPolice), entry);
  CHECK_FALSE(internal::SealOpen(pk, *sk, police_seal).ok());
}

// Attack 4 (defended).  The sealed reason of a police -> social disclosure:
// school lists the case's reasons and sees only that one is sealed; moving
// another disclosure's reason onto it is found by the receiving member and
// by verify.
TEST_CASE("a sealed reason of police and social stays sealed and cannot be swapped",
          "[attack][reasons]") {
  World w;
  const std::string e1 = w.PoliceEntry("Första");
  const std::string e2 = w.PoliceEntry("Andra");
  const std::string d1 = w.Disclose(e1, Actor::kSocial, "Motivering ETT hemlig");
  const std::string d2 = w.Disclose(e2, Actor::kSocial, "Motivering TVÅ hemlig");
  Result<std::vector<ReasonInfo>> mine = w.school->ListReasons(w.case_id);
  REQUIRE(mine.ok());
  REQUIRE(mine->size() == 2);
  for (const ReasonInfo& r : *mine) {
    CHECK_FALSE(r.reason.has_value());
    CHECK(r.reason_sealed);
  }
  REQUIRE(VerifyMessage(*w.auditor) == "ok");

  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  REQUIRE(db->Exec(("DELETE FROM reason_seals WHERE row_id = '" + d2 + "'").c_str()).ok());
  REQUIRE(db->Exec(("DELETE FROM sealed_reasons WHERE row_id = '" + d2 + "'").c_str()).ok());
  REQUIRE(db->Exec(("INSERT INTO sealed_reasons(tbl, row_id, commitment, ciphertext) SELECT "
                    "tbl, '" + d2 + "', commitment, ciphertext FROM sealed_reasons WHERE "
                    "row_id = '" + d1 + "'").c_str()).ok());
  REQUIRE(db->Exec(("INSERT INTO reason_seals(tbl, row_id, holder, sealed) SELECT tbl, '" + d2 +
                    "', holder, sealed FROM reason_seals WHERE row_id = '" + d1 + "'")
                       .c_str()).ok());
  Result<std::vector<ReasonInfo>> social = w.social->ListReasons(w.case_id);
  CHECK(social.status().code() == StatusCode::kIntegrityViolation);
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

// Attack 5 (SUCCEEDS today, low).  A disclosure under a provision with an
// end time: after it ends the policy denies the read, but the entry key
// stays sealed to the school key, so the school insider decrypts the
// content directly, and no event records it.
TEST_CASE("an ended disclosure leaves school no key to the entry",
          "[attack][confidentiality][!mayfail]") {
  World w;
  const std::string entry = w.PoliceEntry("Tidsbegränsat utlämnad");
  w.Disclose(entry, Actor::kSchool, "Akut behov", w.clock->Now() + 3600);
  REQUIRE(w.school->ReadEntry(entry, "uppföljning").ok());
  w.clock->Advance(2 * 3600);
  CHECK_FALSE(w.school->ReadEntry(entry, "uppföljning").ok());  // the policy says no
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // Secure behaviour: once the basis ends, nothing sealed to school remains.
  CHECK(Count(db.get(), "SELECT count(*) FROM entry_keys WHERE entry_id = '" + entry +
                            "' AND actor = " + std::to_string(kSchool)) == 0);
}

// Attack 5b (defended at use; verify finds it afterwards).  The insider
// deletes the withdrawal (the newest version of the guardian's consent),
// or inserts a consent nobody gave.  The deciding session cross-checks the
// case's consent rows against their signed consent events (DESIGN §13
// "checked at use"), so the police member's next disclosure fails closed.
TEST_CASE("a revived or forged consent does not let police disclose to school",
          "[attack][consent]") {
  World w;
  const std::string e1 = w.PoliceEntry("Polisens första");
  const std::string e2 = w.PoliceEntry("Polisens andra");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  auto consent = [&](ConsentParty party) {
    ConsentInput in;
    in.case_id = w.case_id;
    in.party = std::move(party);
    in.actors = {Actor::kPolice, Actor::kSchool};
    in.categories = {Category::kPolice};
    in.valid_until = DateOf(w.clock->Now() + 90 * 86400);
    in.purpose = "sspf-meeting";
    in.form_ref = "form-1";
    return in;
  };
  SECTION("a withdrawal deleted") {
    Result<std::string> youth = w.coord->GrantConsent(consent(ConsentParty{true, ""}));
    Result<std::string> guardian =
        w.coord->GrantConsent(consent(ConsentParty{false, w.guardian_id}));
    INFO(guardian.status().ToString());
    REQUIRE(youth.ok());
    REQUIRE(guardian.ok());
    Result<std::string> control = w.police->DiscloseEntry(e1, Actor::kSchool, {});
    INFO(control.status().ToString());
    REQUIRE(control.ok());  // the consent works while in force
    REQUIRE(w.coord->WithdrawConsent(*guardian).ok());
    REQUIRE_FALSE(w.police->DiscloseEntry(e2, Actor::kSchool, {}).ok());
    REQUIRE(db->Exec("DROP TRIGGER consents_no_delete").ok());  // her SQL, her schema
    REQUIRE(db->Exec(("DELETE FROM consents WHERE id = '" + *guardian +
                      "' AND version = (SELECT max(version) FROM consents WHERE id = '" +
                      *guardian + "')").c_str()).ok());
  }
  SECTION("a consent inserted") {
    REQUIRE_FALSE(w.police->DiscloseEntry(e2, Actor::kSchool, {}).ok());
    const std::string coord = w.coord->principal().id;
    const std::string now = std::to_string(w.clock->Now());
    for (const std::string& party : {std::string("1, NULL"), "0, '" + w.guardian_id + "'"}) {
      REQUIRE(db->Exec(("INSERT INTO consents(id, version, case_id, party_youth, guardian_id, "
                        "actors, categories, valid_from, valid_until, withdrawn_at, purpose, "
                        "form_ref, recorded_by, recorded) VALUES('" + internal::RandomId() +
                        "', 1, '" + w.case_id + "', " + party +
                        ", 'police,school', 'police', " + now +
                        ", '2099-12-31', NULL, 'SSPF', 'form-1', '" + coord + "', " + now + ")")
                           .c_str()).ok());
    }
  }
  Result<std::string> d = w.police->DiscloseEntry(e2, Actor::kSchool, {});
  INFO(d.status().ToString());
  CHECK_FALSE(d.ok());
  CHECK_FALSE(w.school->ReadEntry(e2, "uppföljning").ok());
  CHECK(VerifyMessage(*w.auditor) != "ok");  // found afterwards
}

// Regression for attack 5b: consents given through the library work at
// use, in the session that recorded them and in a fresh one (no cached
// signatures), across a withdrawal and a new consent; an edited field of
// any version is refused.
TEST_CASE("signed consents work at use and an edited one is refused", "[attack][consent]") {
  World w;
  const std::string e1 = w.PoliceEntry("Första");
  const std::string e2 = w.PoliceEntry("Andra");
  ConsentInput in;
  in.case_id = w.case_id;
  in.actors = {Actor::kPolice, Actor::kSchool};
  in.categories = {Category::kPolice};
  in.valid_until = DateOf(w.clock->Now() + 90 * 86400);
  in.purpose = "sspf-meeting";
  in.party = ConsentParty{true, ""};
  REQUIRE(w.coord->GrantConsent(in).ok());
  in.party = ConsentParty{false, w.guardian_id};
  Result<std::string> guardian = w.coord->GrantConsent(in);
  REQUIRE(guardian.ok());
  REQUIRE(w.coord->WithdrawConsent(*guardian).ok());
  Result<std::string> again = w.coord->GrantConsent(in);
  REQUIRE(again.ok());
  Session police = w.Open("police1");
  Result<std::string> d = police.DiscloseEntry(e1, Actor::kSchool, {});
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE(w.school->ReadEntry(e1, "follow-up").ok());
  REQUIRE(w.coord->ListConsents(w.case_id).ok());
  REQUIRE(VerifyMessage(*w.auditor) == "ok");

  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  REQUIRE(db->Exec("DROP TRIGGER consents_no_update").ok());
  SECTION("valid_until of the new consent") {
    REQUIRE(db->Exec(("UPDATE consents SET valid_until = '2099-12-30' WHERE id = '" + *again +
                      "'").c_str()).ok());
  }
  SECTION("the categories of the withdrawn version") {
    REQUIRE(db->Exec(("UPDATE consents SET categories = 'police,school' WHERE id = '" +
                      *guardian + "' AND version = 2").c_str()).ok());
  }
  CHECK(police.DiscloseEntry(e2, Actor::kSchool, {}).status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK(w.school->ReadEntry(e1, "follow-up").status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

// Attack 6 (defended).  A disabled principal, or a colleague on her behalf,
// puts back a copy of the keyring from before she was disabled (and, in a
// second variant, from before a rekey).
TEST_CASE("an old keyring copy does not bring a disabled principal back",
          "[attack][keyring]") {
  World w;
  const std::string keyring = w.options.path + ".keyring";
  const std::string old_copy = ReadFile(keyring);
  REQUIRE_FALSE(old_copy.empty());
  REQUIRE(w.admin->DisablePrincipal("school1").ok());
  SECTION("disabled only") {
    WriteFile(keyring, old_copy);
    Result<Session> again = Store::Open(w.options, "school1", Pass(kPass));
    CHECK_FALSE(again.ok());
    // Nor does a legitimate unlock with the restored file revive her.
    Session coord = w.Open("coord");
    Result<Session> after = Store::Open(w.options, "school1", Pass(kPass));
    CHECK_FALSE(after.ok());
  }
  SECTION("disabled and rekeyed") {
    w.coord.reset();
    w.school.reset();
    w.police.reset();
    w.social.reset();
    w.auditor.reset();
    Result<RekeyResult> r =
        w.admin->RekeyStore([](const SecretBytes&) { return Status::Ok(); });
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    WriteFile(keyring, old_copy);
    CHECK_FALSE(Store::Open(w.options, "school1", Pass(kPass)).ok());
    // Offered as the unfinished rekey's next keyring, the old copy is no
    // way in either.
    WriteFile(keyring + ".next", old_copy);
    CHECK_FALSE(Store::Open(w.options, "school1", Pass(kPass)).ok());
  }
}

// Attack 7 (defended).  Setting the clock back does not revive an expired
// emergency grant.
TEST_CASE("an expired grant stays expired when the clock is set back", "[attack][time]") {
  World w;
  Result<std::string> g = w.police->GrantEmergency(w.case_id, kProvision, "Akut fara", 1);
  INFO(g.status().ToString());
  REQUIRE(g.ok());
  auto school_entry = [&](const std::string& body) {
    Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, body);
    REQUIRE(e.ok());
    return *e;
  };
  DisclosureBasis b;
  b.grant_id = *g;
  b.reason = "under nödbeslut";
  // Control: while the grant runs, school discloses under it.
  const std::string before = school_entry("Före utgång");
  Result<std::string> ok = w.school->DiscloseEntry(before, Actor::kPolice, b);
  INFO(ok.status().ToString());
  REQUIRE(ok.ok());
  const std::string entry = school_entry("Efter utgång");
  const UnixSeconds created = w.clock->Now();  // the grant runs one hour from about here
  w.clock->Set(created + 3600 + 100);
  REQUIRE(w.school->ListCases().ok());  // an event just after the expiry
  SECTION("back within the tolerated skew, to before the expiry") {
    w.clock->Set(created + 3600 - 150);
    Result<std::string> d = w.school->DiscloseEntry(entry, Actor::kPolice, b);
    INFO(d.status().ToString());
    CHECK_FALSE(d.ok());
  }
  SECTION("far back") {
    w.clock->Set(created + 60);
    CHECK_FALSE(w.school->DiscloseEntry(entry, Actor::kPolice, b).ok());
    w.clock->Set(created + 3600 + 200);
  }
  // Nor does a direct edit of the grant's end pass verify.
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  REQUIRE(db->Exec(("UPDATE grants SET until = until + 864000 WHERE id = '" + *g + "'").c_str())
              .ok());
  CHECK(VerifyMessage(*w.auditor) != "ok");
}

// Attack 7b (defended at use; verify finds it afterwards).  The insider
// lengthens the expired police grant; the decision checks the grant row
// against its signed grant.emergency event, so the disclosure fails.
TEST_CASE("a lengthened grant is refused at use", "[attack][time]") {
  World w;
  Result<std::string> g = w.police->GrantEmergency(w.case_id, kProvision, "Akut fara", 1);
  REQUIRE(g.ok());
  Result<std::string> entry = w.school->AddEntry(w.case_id, Category::kSchool, "Skolans");
  REQUIRE(entry.ok());
  w.clock->Advance(2 * 3600);
  DisclosureBasis b;
  b.grant_id = *g;
  b.reason = "efter utgång";
  REQUIRE_FALSE(w.school->DiscloseEntry(*entry, Actor::kPolice, b).ok());
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  REQUIRE(db->Exec(("UPDATE grants SET until = until + 864000 WHERE id = '" + *g + "'").c_str())
              .ok());
  Result<std::string> d = w.school->DiscloseEntry(*entry, Actor::kPolice, b);
  INFO(d.status().ToString());
  CHECK_FALSE(d.ok());
  CHECK(VerifyMessage(*w.auditor) != "ok");  // found afterwards
}

// Attack 8 (defended).  Malformed rows and keyring files give errors, never
// a crash or a hang.
TEST_CASE("malformed rows give errors, never a crash", "[attack][robustness]") {
  // {edit, whether verify must find it}.  The body edits break the body=
  // commitment of the signed entry.add event (attack 1).
  const std::vector<std::pair<std::string, bool>> edits = {
      {"UPDATE entries SET body = x'00' WHERE id = $E", true},
      {"UPDATE entries SET body = randomblob(5000) WHERE id = $E", true},
      {"UPDATE entry_keys SET sealed = x'' WHERE entry_id = $E", false},
      {"UPDATE entry_keys SET actor_key_version = 99 WHERE entry_id = $E", false},
      {"UPDATE entries SET category = 999, author_actor = -5 WHERE id = $E", true},
      {"UPDATE disclosures SET to_actor = 77", true},
      {"UPDATE reason_seals SET sealed = x'0102'", true},
      {"UPDATE sealed_reasons SET ciphertext = x'', commitment = x''", true},
      {"DROP TRIGGER events_no_update; UPDATE events SET detail = 'x' WHERE seq = "
       "(SELECT max(seq) FROM events)", true},
      {"UPDATE certificates SET body = x'01'", true},
      {"UPDATE actor_keys SET public_key = x'00'", true},
      {"UPDATE principals SET actor = 42, role = 42", true},
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    DYNAMIC_SECTION("edit " << i) {
      World w;
      const std::string entry = w.PoliceEntry("Anteckning");
      w.Disclose(entry, Actor::kSocial, "Motivering");
      std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
      std::string sql = edits[i].first;
      const size_t at = sql.find("$E");
      if (at != std::string::npos) sql.replace(at, 2, "'" + entry + "'");
      INFO(sql);
      REQUIRE(db->Exec(sql.c_str()).ok());
      Result<EntryContent> r = w.police->ReadEntry(entry, "uppföljning");
      CHECK_FALSE((r.ok() && Body(*r) != "Anteckning"));
      (void)w.social->ReadEntry(entry, "uppföljning");
      (void)w.social->ListReasons(w.case_id);
      (void)w.police->ListEntries(w.case_id);
      (void)Store::Open(w.options, "police1", Pass(kPass));
      if (edits[i].second) CHECK(VerifyMessage(*w.auditor) != "ok");
    }
  }
}

TEST_CASE("a malformed keyring gives an error, never a crash", "[attack][robustness]") {
  World w;
  const std::string keyring = w.options.path + ".keyring";
  const std::string good = ReadFile(keyring);
  REQUIRE(good.size() > 64);
  std::vector<std::string> variants;
  for (size_t n : {size_t{0}, size_t{1}, size_t{4}, size_t{8}, size_t{16}, size_t{40},
                   size_t{64}, good.size() / 2, good.size() - 33, good.size() - 1}) {
    variants.push_back(good.substr(0, n));
  }
  for (size_t i = 0; i < 24; ++i) {
    std::string v = good;
    v[(i * 7919) % v.size()] ^= 0x5a;
    variants.push_back(v);
  }
  std::string huge_count = good;
  for (size_t i = 0; i < 8 && 40 + i < huge_count.size(); ++i) huge_count[40 + i] = '\xff';
  variants.push_back(huge_count);
  variants.push_back(good + std::string(100, '\0'));
  for (const std::string& v : variants) {
    WriteFile(keyring, v);
    Result<Session> s = Store::Open(w.options, "police1", Pass(kPass));
    CHECK_FALSE(s.ok());
  }
  WriteFile(keyring, good);
  // A malformed next keyring (an unfinished rekey) and failed-unlock file.
  for (const std::string& next : {std::string(), good.substr(0, good.size() / 2),
                                  std::string(300, '\x01')}) {
    WriteFile(keyring + ".next", next);
    (void)Store::Open(w.options, "police1", Pass(kPass));
  }
  ::unlink((keyring + ".next").c_str());
  const std::string zeros(64, '0');
  WriteFile(w.options.path + ".unlock-failures",
            "1 9223372036854775807 " + zeros + "\n1 -9223372036854775807 " + zeros +
                "\n1 x y\n2 0 " + zeros + "\n" + std::string(5000, 'z') + "\n");
  CHECK(Store::Open(w.options, "police1", Pass(kPass)).ok());
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

}  // namespace
