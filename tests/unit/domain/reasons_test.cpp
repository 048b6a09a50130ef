// Encrypted reasons (DESIGN §13, issue "insider-proof keys": "Reasons are
// encrypted").  A disclosure's or emergency grant's reason is readable by
// members of the deciding and the receiving actor and by auditors (the
// oversight key), and by nobody else, not even with the SQLCipher key and
// direct SQL.  Replacing a reason is found by audit verify.
#include <string>
#include <vector>

#include "catch.h"
#include "context/session_impl.h"
#include "crypto/crypto.h"
#include "keys/certificate.h"
#include "keys/key_hierarchy.h"
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
// Unique enough that finding it anywhere means it leaked.
constexpr const char* kSecret = "orosanmälan: Testreason QX7-hemlig motivering";
constexpr const char* kGrantSecret = "akut fara: Testgrant ZK4-motivering";
// Police grants itself access under 18 a § (social services -> police), and
// reports to social services under the reporting duty of OSL 10 kap. 28 §.
constexpr const char* kProvision = "OSL 10 kap. 18 a §";
constexpr const char* kDisclosureProvision = "OSL 10 kap. 28 §";

struct World {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> admin, coord, school, police, social, auditor;
  std::string case_id, entry_id, disclosure_id, grant_id;
  std::optional<SecretBytes> recovery_key;

  explicit World(bool with_auditor = true) {
    Result<InitResult> init = Store::Create(options, "admin", Pass(kPass));
    REQUIRE(init.ok());
    recovery_key = std::move(init->recovery_key);
    admin = Open("admin");
    Add("coord", Actor::kCoordination, Role::kCoordinator);
    Add("school1", Actor::kSchool, Role::kMember);
    Add("police1", Actor::kPolice, Role::kMember);
    Add("social1", Actor::kSocial, Role::kMember);
    if (with_auditor) Add("auditor", Actor::kCoordination, Role::kAuditor);
    coord = Open("coord");
    school = Open("school1");
    police = Open("police1");
    social = Open("social1");
    if (with_auditor) auditor = Open("auditor");
    Result<SubjectInfo> s = coord->AddSubject(
        {MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 15, 4, 2}, 418, false),
         "Ung Testsson", {"Vera Testsson"}});
    REQUIRE(s.ok());
    Result<std::string> c = coord->OpenCase(s->id, {"school1", "police1", "social1"});
    REQUIRE(c.ok());
    case_id = *c;
    Result<std::string> e = police->AddEntry(case_id, Category::kPolice, "Polisens anteckning");
    REQUIRE(e.ok());
    entry_id = *e;
  }
  // Police discloses its entry to social services under a provision.
  Result<std::string> Disclose() {
    DisclosureBasis b;
    b.provision = kDisclosureProvision;
    b.reason = kSecret;
    return police->DiscloseEntry(entry_id, Actor::kSocial, b);
  }
  // A new police entry, disclosed to social services with `reason`.
  std::string DiscloseNewEntry(const std::string& reason) {
    Result<std::string> e = police->AddEntry(case_id, Category::kPolice, "Ny anteckning");
    REQUIRE(e.ok());
    DisclosureBasis b;
    b.provision = kDisclosureProvision;
    b.reason = reason;
    Result<std::string> d = police->DiscloseEntry(*e, Actor::kSocial, b);
    INFO(d.status().ToString());
    REQUIRE(d.ok());
    return *d;
  }
  void DiscloseAndGrant() {
    Result<std::string> d = Disclose();
    INFO(d.status().ToString());
    REQUIRE(d.ok());
    disclosure_id = *d;
    Result<std::string> g = police->GrantEmergency(case_id, kProvision, kGrantSecret, 4);
    INFO(g.status().ToString());
    REQUIRE(g.ok());
    grant_id = *g;
  }
  void Add(const std::string& name, Actor a, Role r) {
    AddPrincipalOrFail(*admin, name, a, r, kPass);
  }
  Session Open(const std::string& name) { return OpenOrFail(options, name, kPass); }
};

const ReasonInfo* Find(const std::vector<ReasonInfo>& rs, const std::string& id) {
  for (const ReasonInfo& r : rs) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::vector<ReasonInfo> Reasons(Session& s, const std::string& case_id) {
  Result<std::vector<ReasonInfo>> rs = s.ListReasons(case_id);
  INFO(rs.status().ToString());
  REQUIRE(rs.ok());
  return std::move(rs).value();
}

TEST_CASE("a reason is readable only by the deciding and receiving actors and auditors",
          "[reasons]") {
  World w;
  w.DiscloseAndGrant();

  // Deciding actor (police) and receiving actor (social) read the text.
  for (Session* s : {&*w.police, &*w.social}) {
    std::vector<ReasonInfo> rs = Reasons(*s, w.case_id);
    const ReasonInfo* d = Find(rs, w.disclosure_id);
    REQUIRE(d != nullptr);
    CHECK(d->kind == "disclosure");
    CHECK(d->entry_id == w.entry_id);
    CHECK(d->to == Actor::kSocial);
    REQUIRE(d->reason.has_value());
    CHECK(*d->reason == kSecret);
    CHECK_FALSE(d->reason_sealed);
  }
  // The grant is sealed to the deciding actor only (police), not social.
  std::vector<ReasonInfo> police = Reasons(*w.police, w.case_id);
  REQUIRE(Find(police, w.grant_id) != nullptr);
  CHECK(Find(police, w.grant_id)->reason == std::optional<std::string>(kGrantSecret));
  std::vector<ReasonInfo> social = Reasons(*w.social, w.case_id);
  CHECK(Find(social, w.grant_id)->reason_sealed);
  CHECK_FALSE(Find(social, w.grant_id)->reason.has_value());

  // The auditor (data protection officer) reads both through the oversight key.
  std::vector<ReasonInfo> audit = Reasons(*w.auditor, w.case_id);
  CHECK(Find(audit, w.disclosure_id)->reason == std::optional<std::string>(kSecret));
  CHECK(Find(audit, w.grant_id)->reason == std::optional<std::string>(kGrantSecret));

  // A school member on the team sees only that reasons exist.
  std::vector<ReasonInfo> school = Reasons(*w.school, w.case_id);
  REQUIRE(school.size() == 2);
  for (const ReasonInfo& r : school) {
    CHECK(r.reason_sealed);
    CHECK_FALSE(r.reason.has_value());
  }
  const std::string json = ReasonListJson(school);
  CHECK(json.find("\"reason\":null") != std::string::npos);
  CHECK(json.find("\"reason_sealed\":true") != std::string::npos);
  CHECK(json.find("Testreason") == std::string::npos);

  // An admin may not list them at all.
  Result<std::vector<ReasonInfo>> admin = w.admin->ListReasons(w.case_id);
  CHECK(admin.status().code() == StatusCode::kPermissionDenied);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("the reason text is nowhere in the database, the leaves or the export",
          "[reasons][insider]") {
  World w;
  w.DiscloseAndGrant();
  // The school member (neither deciding nor receiving) and the admin each
  // search every column of every table under the root-derived key.
  for (Session* who : {&*w.school, &*w.admin}) {
    std::unique_ptr<internal::Db> db = InsiderDb(*who, w.options.path);
    // The search works: the provision, which is not secret, is found.
    CHECK_FALSE(FindEverywhere(db.get(), "18 a").empty());
    // Needles long enough that random ciphertext never holds them.
    for (const char* needle : {"Testreason QX7", "Testgrant ZK4", "hemlig motivering"}) {
      std::vector<std::string> hits = FindEverywhere(db.get(), needle);
      INFO(needle);
      CHECK(hits.empty());
      for (const std::string& h : hits) INFO(h);
    }
    // The ciphertext is there, with seals to police, social and oversight.
    CHECK(Count(db.get(), "SELECT count(*) FROM sealed_reasons") == 2);
    CHECK(Count(db.get(), "SELECT count(*) FROM reason_seals WHERE row_id = '" +
                              w.disclosure_id + "'") == 3);
    CHECK(Count(db.get(), "SELECT count(*) FROM reason_seals WHERE holder LIKE 'actor:" +
                              std::to_string(static_cast<int>(Actor::kSchool)) + ":%'") == 0);
  }
  // The event detail holds a commitment, not the text.
  std::string lines;
  Status s = w.auditor->ExportEvents({}, ExportFormat::kJsonLines, [&](std::string_view l) {
    lines.append(l);
    lines.push_back('\n');
    return Status::Ok();
  });
  REQUIRE(s.ok());
  CHECK(lines.find("Testreason") == std::string::npos);
  CHECK(lines.find("Testgrant") == std::string::npos);
  CHECK(lines.find(" reason=") != std::string::npos);
  std::string csv;
  REQUIRE(w.auditor->ExportEvents({}, ExportFormat::kCsv, [&](std::string_view l) {
                      csv.append(l);
                      return Status::Ok();
                    }).ok());
  CHECK(csv.find("Testreason") == std::string::npos);
}

TEST_CASE("a planted oversight key gets no seal", "[reasons][insider]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // The school member plants an oversight key version she holds.
  Result<internal::BoxKeyPair> planted = internal::NewBoxKeyPair();
  REQUIRE(planted.ok());
  internal::Stmt* ins = db->Prepare("INSERT INTO oversight_keys(version, public_key, created) "
                                    "VALUES(2, ?, 0)").value();
  ins->BindBlob(1, planted->public_key);
  REQUIRE(ins->Run().ok());

  Result<std::string> d = w.Disclose();
  CHECK(d.status().code() == StatusCode::kIntegrityViolation);
  Result<std::string> g = w.police->GrantEmergency(w.case_id, kProvision, kGrantSecret, 4);
  CHECK(g.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Count(db.get(), "SELECT count(*) FROM reason_seals") == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM sealed_reasons") == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM disclosures") == 0);
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  CHECK(v.find("oversight_keys row oversight:2 has no certificate") != std::string::npos);
}

TEST_CASE("a deleted oversight key does not make reasons skip the auditors",
          "[reasons][insider]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  REQUIRE(db->Exec("DELETE FROM oversight_keys").ok());
  Result<std::string> d = w.Disclose();
  CHECK(d.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Count(db.get(), "SELECT count(*) FROM reason_seals") == 0);
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  CHECK(v.find("oversight key is missing") != std::string::npos);
}

TEST_CASE("a replaced reason ciphertext or commitment fails verify", "[reasons][insider]") {
  World w;
  w.DiscloseAndGrant();
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Session::Impl* impl = internal::SessionAccess::Get(*w.school);

  SECTION("ciphertext re-encrypted under a new key sealed to the same holders") {
    // Everything she needs is public: the holders' public keys.
    Result<SecretBytes> key = SecretBytes::Random(internal::kKeySize);
    REQUIRE(key.ok());
    std::string plain(internal::kReasonSaltSize, 'x');
    plain += "ingen orsak";
    Result<internal::Bytes> ct = internal::AeadSeal(
        *key, reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
        internal::ReasonAd(impl->store_id_bytes, "disclosures", w.disclosure_id));
    REQUIRE(ct.ok());
    internal::Stmt* up = db->Prepare("UPDATE sealed_reasons SET ciphertext = ? WHERE "
                                     "row_id = ?").value();
    up->BindBlob(1, *ct).Bind(2, w.disclosure_id);
    REQUIRE(up->Run().ok());
    std::vector<std::pair<std::string, internal::Bytes>> holders;
    internal::Stmt* q = db->Prepare(
        "SELECT s.holder, COALESCE(k.public_key, o.public_key) FROM reason_seals s "
        "LEFT JOIN actor_keys k ON s.holder = 'actor:' || k.actor || ':' || k.version "
        "LEFT JOIN oversight_keys o ON s.holder = 'oversight:' || o.version "
        "WHERE s.row_id = ?").value();
    q->Bind(1, w.disclosure_id);
    while (q->Step().value()) holders.emplace_back(q->Text(0), q->Blob(1));
    q->Reset();
    REQUIRE(holders.size() == 3);
    for (const auto& [holder, pk] : holders) {
      internal::Bytes sealed = internal::SealKeyWithHeader(
          internal::ReasonKeyHeader(impl->store_id_bytes, "disclosures", w.disclosure_id,
                                    holder),
          *key, pk);
      internal::Stmt* s = db->Prepare("UPDATE reason_seals SET sealed = ? WHERE row_id = ? "
                                      "AND holder = ?").value();
      s->BindBlob(1, sealed).Bind(2, w.disclosure_id).Bind(3, holder);
      REQUIRE(s->Run().ok());
    }
    // Readers refuse it, and the auditor's verify names it.
    CHECK(w.social->ListReasons(w.case_id).status().code() == StatusCode::kIntegrityViolation);
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find("disclosures row " + w.disclosure_id +
                 ": the reason does not match its commitment") != std::string::npos);
  }
  SECTION("commitment replaced") {
    internal::Stmt* up = db->Prepare("UPDATE sealed_reasons SET commitment = ? WHERE "
                                     "row_id = ?").value();
    up->BindBlob(1, internal::Bytes(32, 7)).Bind(2, w.grant_id);
    REQUIRE(up->Run().ok());
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find("grants row " + w.grant_id + " differs from event") != std::string::npos);
  }
  SECTION("sealed reason deleted") {
    REQUIRE(db->Exec("DELETE FROM sealed_reasons").ok());
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find(" differs from event") != std::string::npos);
  }
}

TEST_CASE("the oversight key reaches new auditors by delivery and leaves disabled ones",
          "[reasons][oversight]") {
  World w;
  w.DiscloseAndGrant();
  w.Add("auditor2", Actor::kCoordination, Role::kAuditor);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.admin, w.options.path);
  // Only the first auditor holds it; no admin, no staff ever does.
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 1);
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals s JOIN principals p ON "
                        "p.id = s.principal_id WHERE p.role <> 3") == 0);
  {
    Session a2 = w.Open("auditor2");
    std::vector<ReasonInfo> rs = Reasons(a2, w.case_id);
    CHECK(Find(rs, w.disclosure_id)->reason_sealed);  // not delivered yet
  }
  // The first auditor's next unlock delivers it (logged).
  { Session a1 = w.Open("auditor"); }
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 2);
  {
    Session a2 = w.Open("auditor2");
    std::vector<ReasonInfo> rs = Reasons(a2, w.case_id);
    CHECK(Find(rs, w.disclosure_id)->reason == std::optional<std::string>(kSecret));
  }
  REQUIRE(w.admin->DisablePrincipal("auditor2").ok());
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 1);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("an auditor reset with the recovery key gets the oversight key again",
          "[reasons][oversight]") {
  World w;
  w.DiscloseAndGrant();
  w.Add("auditor2", Actor::kCoordination, Role::kAuditor);
  { Session a1 = w.Open("auditor"); }  // delivers to auditor2
  std::unique_ptr<internal::Db> db = InsiderDb(*w.admin, w.options.path);
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 2);
  REQUIRE(Store::ResetWithRecoveryKey(w.options, *w.recovery_key, "auditor", Pass(kPass)).ok());
  // Its seal to the old key pair is gone; auditor2's unlock seals it anew.
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 1);
  { Session a2 = w.Open("auditor2"); }
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 2);
  Session a1 = w.Open("auditor");
  std::vector<ReasonInfo> rs = Reasons(a1, w.case_id);
  CHECK(Find(rs, w.disclosure_id)->reason == std::optional<std::string>(kSecret));
  CHECK(VerifyMessage(a1) == "ok");
}

TEST_CASE("a new auditor after the last holder left gets a new oversight-key version",
          "[reasons][oversight]") {
  World w;
  w.DiscloseAndGrant();
  w.Add("auditor2", Actor::kCoordination, Role::kAuditor);
  REQUIRE(w.admin->DisablePrincipal("auditor").ok());
  REQUIRE(w.admin->DisablePrincipal("auditor2").ok());
  w.Add("auditor3", Actor::kCoordination, Role::kAuditor);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.admin, w.options.path);
  CHECK(Count(db.get(), "SELECT max(version) FROM oversight_keys") == 2);
  Session a3 = w.Open("auditor3");
  // The old reason was sealed to version 1, which nobody holds now.
  CHECK(Find(Reasons(a3, w.case_id), w.disclosure_id)->reason_sealed);
  const std::string d = w.DiscloseNewEntry("ny motivering");
  CHECK(Find(Reasons(a3, w.case_id), d)->reason == std::optional<std::string>("ny motivering"));
  CHECK(VerifyMessage(a3) == "ok");
}

TEST_CASE("a fake auditor row gets no oversight key", "[reasons][insider][oversight]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // The school member turns her own principal row into an auditor's.
  Session::Impl* impl = internal::SessionAccess::Get(*w.school);
  internal::Stmt* up = db->Prepare("UPDATE principals SET role = 3, actor = 5 WHERE id = ?")
                           .value();
  up->Bind(1, impl->me.id);
  REQUIRE(up->Run().ok());
  { Session a1 = w.Open("auditor"); }
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_seals") == 1);
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE action = 82 AND allowed = 0 AND "
                        "target = 'principal:" + impl->me.id + "'") == 1);
}

TEST_CASE("before the first auditor, reasons carry no oversight seal", "[reasons][oversight]") {
  World w(/*with_auditor=*/false);
  w.DiscloseAndGrant();
  std::unique_ptr<internal::Db> db = InsiderDb(*w.admin, w.options.path);
  CHECK(Count(db.get(), "SELECT count(*) FROM reason_seals WHERE holder LIKE 'oversight:%'") ==
        0);
  CHECK(Count(db.get(), "SELECT count(*) FROM oversight_keys") == 0);
  w.Add("auditor", Actor::kCoordination, Role::kAuditor);
  Session a = w.Open("auditor");
  std::vector<ReasonInfo> rs = Reasons(a, w.case_id);
  CHECK(Find(rs, w.disclosure_id)->reason_sealed);
  // New reasons reach the auditor.
  const std::string d = w.DiscloseNewEntry("ny motivering");
  rs = Reasons(a, w.case_id);
  CHECK(Find(rs, d)->reason == std::optional<std::string>("ny motivering"));
}

}  // namespace
