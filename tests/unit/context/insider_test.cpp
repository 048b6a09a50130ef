// Insider attacks on keys and membership (DESIGN §13, issue "insider-proof
// keys").  The attacker is a school member: she knows only her own
// passphrase, which gives her the root key and so the SQLCipher key, and
// she writes the database directly.  Each attack must fail to reach its
// goal (no actor key delivered, no content readable), and audit verify
// must report an integrity violation naming what it found.
#include <sodium.h>

#include <string>

#include "catch.h"
#include "context/session_impl.h"
#include "context/trust.h"
#include "crypto/crypto.h"
#include "keys/certificate.h"
#include "keys/key_hierarchy.h"
#include "keys/keyring.h"
#include "log/checkpoint.h"
#include "log/note.h"
#include "log/replay.h"
#include "sspf/pnr.h"
#include "sspf/report.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = kInsiderPass;

using World = InsiderWorld;

constexpr int kPolice = static_cast<int>(Actor::kPolice);

TEST_CASE("a planted actor-key version is never sealed to, and verify names it",
          "[insider][trust]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // The attacker makes a police key pair she holds and plants it as
  // version 2, so that new police entries would be sealed to it.
  Result<internal::BoxKeyPair> planted = internal::NewBoxKeyPair();
  REQUIRE(planted.ok());
  internal::Stmt* ins = db->Prepare("INSERT INTO actor_keys(actor, version, public_key, created) "
                                    "VALUES(?, 2, ?, 0)").value();
  ins->Bind(1, int64_t{kPolice}).BindBlob(2, planted->public_key);
  REQUIRE(ins->Run().ok());

  // A police member writes an entry: refused, nothing sealed to the plant.
  Result<std::string> entry = w.police->AddEntry(w.case_id, Category::kPolice, "Polisens anteckning");
  CHECK(entry.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Count(db.get(), "SELECT count(*) FROM entry_keys WHERE actor = " +
                            std::to_string(kPolice) + " AND actor_key_version = 2") == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM entries WHERE author_actor = " +
                            std::to_string(kPolice)) == 0);
  // The refusal is in the log.
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE detail = "
                        "'outcome=integrity_violation'") == 1);
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  // The replay check (no event) or the certificate check names the row,
  // whichever runs into it first.
  const std::string row = "actor_keys row " + std::to_string(kPolice) + ":2";
  CHECK((v.find(row + " has no certificate") != std::string::npos ||
         v.find(row + " (actor police) has no event in the log") != std::string::npos));
  // The replay check alone: no event made that version (issue 11).
  Session::Impl* impl = internal::SessionAccess::Get(*w.auditor);
  const std::string replay = internal::ReplayCheck(impl->db.get(), impl->lookup_key).message();
  INFO(replay);
  CHECK(replay.find(row + " (actor police) has no event in the log") != std::string::npos);
}

TEST_CASE("a certificate signed by anyone but the authority is refused", "[insider][trust]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // The attacker certifies her planted key herself, with her own Ed25519 key.
  Result<internal::BoxKeyPair> planted = internal::NewBoxKeyPair();
  Result<internal::SignKeyPair> fake_authority = internal::NewSignKeyPair();
  REQUIRE(planted.ok());
  REQUIRE(fake_authority.ok());
  internal::Stmt* ins = db->Prepare("INSERT INTO actor_keys(actor, version, public_key, created) "
                                    "VALUES(?, 2, ?, 0)").value();
  ins->Bind(1, int64_t{kPolice}).BindBlob(2, planted->public_key);
  REQUIRE(ins->Run().ok());
  Session::Impl* impl = internal::SessionAccess::Get(*w.school);
  internal::ActorKeyCert cert;
  cert.store_id = impl->store_id_bytes;
  cert.actor = Actor::kPolice;
  cert.version = 2;
  cert.public_key = planted->public_key;
  internal::Bytes body = internal::EncodeActorKeyCert(cert);
  internal::Bytes sig = internal::SignDetached(fake_authority->secret_key, body).value();
  internal::Stmt* c = db->Prepare("INSERT INTO certificates(kind, subject, version, body, "
                                  "signature, created) VALUES(2, ?, 1, ?, ?, 0)").value();
  c->Bind(1, std::to_string(kPolice) + ":2").BindBlob(2, body).BindBlob(3, sig);
  REQUIRE(c->Run().ok());
  // She also replaces the store's displayed authority key: sessions trust
  // only the anchor pinned in their own keyring entry.
  internal::Stmt* m = db->Prepare("UPDATE meta SET value = ? WHERE key = "
                                  "'authority_public_key'").value();
  m->BindBlob(1, fake_authority->public_key);
  REQUIRE(m->Run().ok());

  Result<std::string> entry = w.police->AddEntry(w.case_id, Category::kPolice, "Polisens anteckning");
  CHECK(entry.status().code() == StatusCode::kIntegrityViolation);
  CHECK(Count(db.get(), "SELECT count(*) FROM entry_keys WHERE actor_key_version = 2") == 0);
  // Verify names the planted row (the replay check, which runs first, finds
  // no event for it); the certificate check names the forged signature.
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  CHECK(v.find("actor_keys row " + std::to_string(kPolice) + ":2") != std::string::npos);
  const std::string certs =
      internal::CheckCertifiedState(internal::SessionAccess::Get(*w.auditor)).message();
  INFO(certs);
  CHECK(certs.find("not signed by the store authority") != std::string::npos);
}

TEST_CASE("a fake principal row gets no actor key, and verify names it", "[insider][trust]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  // A police principal whose box key the attacker holds.
  Result<internal::BoxKeyPair> mine = internal::NewBoxKeyPair();
  REQUIRE(mine.ok());
  const std::string fake_id = internal::RandomId();
  internal::Stmt* ins = db->Prepare(
      "INSERT INTO principals(id, name, actor, role, active, created, box_public_key) "
      "VALUES(?, 'police.fake', ?, 1, 1, 0, ?)").value();
  ins->Bind(1, fake_id).Bind(2, int64_t{kPolice}).BindBlob(3, mine->public_key);
  REQUIRE(ins->Run().ok());

  // The next unlock of a police member would deliver the police key.
  Session police = w.Open("police1");
  CHECK(Count(db.get(), "SELECT count(*) FROM actor_key_seals WHERE principal_id = '" + fake_id +
                            "'") == 0);
  // The refusal is logged, naming the row.
  CHECK(Count(db.get(), "SELECT count(*) FROM events WHERE allowed = 0 AND target = 'principal:" +
                            fake_id + "' AND reason LIKE 'integrity:%'") == 1);
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  // The replay check or the certificate check names the row, whichever
  // runs into it first.
  CHECK(v.find("principals row " + fake_id) != std::string::npos);
}

TEST_CASE("a swapped box key of a real member gets no actor key", "[insider][trust]") {
  World w;
  // A second police member, not yet holding the police key.
  w.Add("police2", Actor::kPolice, Role::kMember);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Result<internal::BoxKeyPair> mine = internal::NewBoxKeyPair();
  REQUIRE(mine.ok());
  internal::Stmt* up = db->Prepare("UPDATE principals SET box_public_key = ? WHERE name = "
                                   "'police2'").value();
  up->BindBlob(1, mine->public_key);
  REQUIRE(up->Run().ok());
  internal::Stmt* id = db->Prepare("SELECT id FROM principals WHERE name = 'police2'").value();
  REQUIRE(id->Step().value());
  const std::string police2 = id->Text(0);
  id->Reset();

  Session police = w.Open("police1");  // would deliver to police2
  internal::Stmt* seal = db->Prepare("SELECT sealed FROM actor_key_seals WHERE principal_id = ?")
                             .value();
  seal->Bind(1, police2);
  CHECK_FALSE(seal->Step().value());
  seal->Reset();
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  // The replay check (the key its addition logged) or the certificate check.
  CHECK((v.find("principals row " + police2 + " differs from its certificate") !=
             std::string::npos ||
         v.find("principals row " + police2 + ": box key differs from the one event") !=
             std::string::npos));
}

TEST_CASE("a role written into the principal row grants nothing", "[insider][trust]") {
  World w;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  CHECK(db->Exec("UPDATE principals SET role = 2 WHERE name = 'school1'").ok());  // coordinator
  // Her open session and a new one both still act as a member.
  Result<std::vector<CaseInfo>> cases = w.school->ListCases();
  REQUIRE(cases.ok());
  Session again = w.Open("school1");
  CHECK(again.principal().role == Role::kMember);
  Result<SubjectInfo> added = again.AddSubject(
      {MakeTestPersonalNumber(Date{2010, 5, 6}, 512, false), "Annan Ung", {}});
  CHECK(added.status().code() == StatusCode::kPermissionDenied);
  const std::string v = VerifyMessage(*w.auditor);
  INFO(v);
  CHECK(v.find("principals row " + w.school->principal().id) != std::string::npos);
}

}  // namespace

namespace {

TEST_CASE("a disabled principal's passphrase no longer opens the live keyring",
          "[insider][trust]") {
  World w;
  REQUIRE(w.admin->DisablePrincipal("school1").ok());
  Result<Session> again = Store::Open(w.options, "school1", Pass(kPass));
  CHECK(again.status().code() == StatusCode::kPermissionDenied);
  // Nothing is wrapped for her any more: the entry is a tombstone.
  Result<internal::Keyring> k = internal::Keyring::Load(w.options.path + ".keyring");
  REQUIRE(k.ok());
  CHECK_FALSE(k->Has(internal::Keyring::PrincipalTag(k->store_id(), "school1")));
  // Her certificate says disabled, and her seals are gone.
  Session::Impl* impl = internal::SessionAccess::Get(*w.admin);
  CHECK(Count(impl->db.get(), "SELECT count(*) FROM actor_key_seals WHERE principal_id = '" +
                                  w.school->principal().id + "'") == 0);
  // Her open session is denied from its next operation on.
  CHECK(w.school->ListCases().status().code() == StatusCode::kPermissionDenied);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

}  // namespace

namespace {

// An event as the attacker would forge it: a consent.grant in the
// coordinator's name, appended with its tree nodes so that the Merkle tree
// and a fresh checkpoint would agree.
internal::EventRecord ForgedConsentGrant(World& w) {
  internal::EventRecord e;
  e.time = w.clock->Now();
  e.principal_id = w.coord->principal().id;
  e.actor = Actor::kCoordination;
  e.role = Role::kCoordinator;
  e.action = Action::kConsentGrant;
  e.target = "consent:" + internal::RandomId();
  e.allowed = true;
  e.reason = "coordinator records consent";
  e.basis = "role:coordinator";
  e.case_id = w.case_id;
  return e;
}

TEST_CASE("an event forged in another principal's name fails verify", "[insider][signatures]") {
  World w;
  REQUIRE(VerifyMessage(*w.auditor) == "ok");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  Session::Impl* me = internal::SessionAccess::Get(*w.school);
  const std::string coord = w.coord->principal().id;
  const std::string school = w.school->principal().id;
  REQUIRE(db->Exec("BEGIN IMMEDIATE").ok());
  internal::EventRecord e = ForgedConsentGrant(w);
  SECTION("signed with her own key, as herself") {
    REQUIRE(internal::AppendEvent(db.get(), &e, {school, &me->signing_secret_key,
                                                 me->store_id_bytes}).ok());
    REQUIRE(db->Exec("COMMIT").ok());
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find("event " + std::to_string(e.seq) + ": made in the name of " + coord +
                 " but signed by " + school) != std::string::npos);
  }
  SECTION("signed with her own key, claiming to be the coordinator") {
    REQUIRE(internal::AppendEvent(db.get(), &e, {coord, &me->signing_secret_key,
                                                 me->store_id_bytes}).ok());
    REQUIRE(db->Exec("COMMIT").ok());
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find("event " + std::to_string(e.seq) + ": the signature of " + coord +
                 " does not verify") != std::string::npos);
  }
  SECTION("with its signature removed") {
    REQUIRE(internal::AppendEvent(db.get(), &e, {school, &me->signing_secret_key,
                                                 me->store_id_bytes}).ok());
    REQUIRE(db->Exec("DROP TRIGGER event_signatures_no_delete").ok());
    REQUIRE(db->Exec(("DELETE FROM event_signatures WHERE seq = " + std::to_string(e.seq))
                         .c_str()).ok());
    REQUIRE(db->Exec("COMMIT").ok());
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find("event " + std::to_string(e.seq) + ": not signed") != std::string::npos);
  }
  SECTION("signed with the store authority's name") {
    REQUIRE(internal::AppendEvent(db.get(), &e, {internal::kAuthoritySigner,
                                                 &me->signing_secret_key,
                                                 me->store_id_bytes}).ok());
    REQUIRE(db->Exec("COMMIT").ok());
    const std::string v = VerifyMessage(*w.auditor);
    INFO(v);
    CHECK(v.find("signed by the store authority but made by principal " + coord) !=
          std::string::npos);
  }
}

TEST_CASE("every event of a normal day is signed by its principal", "[insider][signatures]") {
  World w;
  REQUIRE(w.police->AddEntry(w.case_id, Category::kPolice, "Anteckning").ok());
  REQUIRE(w.admin->DisablePrincipal("school1").ok());
  CHECK_FALSE(w.school->ListCases().ok());  // a denial signed by a disabled principal
  CHECK_FALSE(Store::Open(w.options, "nobody", Pass(kPass)).ok());
  Session again = w.Open("coord");  // ingests the failed unlock, signs it
  std::unique_ptr<internal::Db> db = InsiderDb(again, w.options.path);
  CHECK(Count(db.get(), "SELECT count(*) FROM events e WHERE NOT EXISTS "
                        "(SELECT 1 FROM event_signatures s WHERE s.seq = e.seq)") == 0);
  CHECK(Count(db.get(), "SELECT count(*) FROM events e JOIN event_signatures s ON "
                        "s.seq = e.seq WHERE s.signer != e.principal_id") == 1);  // the ingested failure
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

}  // namespace

namespace {

TEST_CASE("nobody can make a checkpoint that verify attributes to another principal",
          "[insider][checkpoints]") {
  World w;
  Result<std::string> kept = w.auditor->Checkpoint();
  REQUIRE(kept.ok());
  VerifyOptions with_kept;
  with_kept.kept_checkpoint = *kept;
  Result<VerifyReport> honest = w.auditor->Verify(with_kept);
  REQUIRE(honest.ok());
  CHECK(honest->kept_checkpoint_signer == w.auditor->principal().id);

  // The school insider holds the store audit key (it is wrapped under the
  // root key) and her own signing key, but not the auditor's.
  Session::Impl* me = internal::SessionAccess::Get(*w.school);
  const std::string origin = internal::LogOrigin(me->store_id);
  Result<internal::Checkpoint> body_cp =
      internal::OpenCheckpoint(*kept, internal::StoreVerifierKey(me->store_id,
                                                                 me->audit_public_key).value(),
                               origin);
  REQUIRE(body_cp.ok());
  const std::string body = internal::FormatCheckpoint(*body_cp).value();
  const std::string store_only = internal::SignNote(body, origin, me->audit_secret_key).value();
  auto verify_with = [&](const std::string& note) {
    VerifyOptions o;
    o.kept_checkpoint = note;
    return w.auditor->Verify(o);
  };
  SECTION("signed by the store key only") {
    Result<VerifyReport> r = verify_with(store_only);
    CHECK(r.status().code() == StatusCode::kIntegrityViolation);
    CHECK(r.status().message().find("not signed by any certified principal") !=
          std::string::npos);
  }
  SECTION("a signature line in the auditor's name made with her key") {
    std::string forged =
        internal::CosignNote(store_only,
                             internal::PrincipalNoteKeyName(me->store_id,
                                                            w.auditor->principal().id),
                             me->signing_secret_key)
            .value();
    Result<VerifyReport> r = verify_with(forged);
    CHECK(r.status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("in the authority's name") {
    std::string forged =
        internal::CosignNote(store_only,
                             internal::PrincipalNoteKeyName(me->store_id,
                                                            internal::kAuthoritySigner),
                             me->signing_secret_key)
            .value();
    CHECK(verify_with(forged).status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("her own signature is hers, never the auditor's") {
    std::string own =
        internal::CosignNote(store_only,
                             internal::PrincipalNoteKeyName(me->store_id, me->me.id),
                             me->signing_secret_key)
            .value();
    Result<VerifyReport> r = verify_with(own);
    REQUIRE(r.ok());
    CHECK(r->kept_checkpoint_signer == w.school->principal().id);
  }
}

}  // namespace

namespace {

// Key rotation and rewrap (issue "insider-proof keys"): admins make and
// certify a new actor-key version without holding it; members re-seal the
// old entry keys to it.
int64_t Scalar(Session& s, const std::string& sql) {
  return Count(internal::SessionAccess::Get(s)->db.get(), sql);
}

std::string Read(Session& s, const std::string& entry) {
  Result<EntryContent> c = s.ReadEntry(entry, "uppföljning");
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  return std::string(c->body.begin(), c->body.end());
}

size_t Events(Session& auditor, Action a, bool allowed) {
  AuditFilter f;
  f.action = a;
  f.allowed = allowed;
  Result<std::vector<AuditEvent>> ev = auditor.QueryEvents(f);
  REQUIRE(ev.ok());
  return ev->size();
}

const int kSchool = static_cast<int>(Actor::kSchool);

// Before a rotation: school2, a second school member on the case holding
// the school key, and an entry school1 wrote under key version 1.
struct BeforeRotation {
  Session school2;
  std::string old_entry;
};
BeforeRotation SecondMemberAndEntry(World& w) {
  w.Add("school2", Actor::kSchool, Role::kMember);
  w.school = w.Open("school1");  // delivers the school key to school2
  Session s = w.Open("school2");
  REQUIRE(w.coord->AddTeamMember(w.case_id, "school2").ok());
  Result<std::string> entry = w.school->AddEntry(w.case_id, Category::kSchool, "Före");
  REQUIRE(entry.ok());
  return {std::move(s), *entry};
}

TEST_CASE("key rotate makes a certified version that new entries use and members read",
          "[insider][rotate]") {
  World w;
  BeforeRotation before = SecondMemberAndEntry(w);

  Result<int64_t> v = w.admin->RotateActorKey(Actor::kSchool);
  INFO(v.status().ToString());
  REQUIRE(v.ok());
  CHECK(*v == 2);
  // Certified (CurrentActorKey checks it before sealing), sealed to the two
  // school members and to nobody else, the admin included.
  CHECK(Scalar(*w.admin, "SELECT count(*) FROM actor_key_seals WHERE actor = " +
                             std::to_string(kSchool) + " AND version = 2") == 2);
  CHECK(Scalar(*w.admin, "SELECT count(*) FROM actor_key_seals WHERE version = 2 AND "
                         "principal_id = '" + w.admin->principal().id + "'") == 0);
  CHECK(VerifyMessage(*w.auditor) == "ok");
  CHECK(Events(*w.auditor, Action::kKeyRotate, true) == 1);

  Result<std::string> new_entry = w.school->AddEntry(w.case_id, Category::kSchool, "Efter");
  REQUIRE(new_entry.ok());
  CHECK(Scalar(*w.admin, "SELECT actor_key_version FROM entry_keys WHERE entry_id = '" +
                             *new_entry + "'") == 2);
  CHECK(Scalar(*w.admin, "SELECT key_version FROM entries WHERE id = '" + *new_entry + "'") ==
        2);
  // A member added before the rotation reads both.
  CHECK(Read(before.school2, before.old_entry) == "Före");
  CHECK(Read(before.school2, *new_entry) == "Efter");
  CHECK(Read(*w.school, *new_entry) == "Efter");
  // A member added after it receives the new version and reads the new entry.
  w.Add("school3", Actor::kSchool, Role::kMember);
  REQUIRE(w.coord->AddTeamMember(w.case_id, "school3").ok());
  w.school = w.Open("school1");  // delivers both versions to school3
  Session school3 = w.Open("school3");
  CHECK(Read(school3, *new_entry) == "Efter");
  CHECK(Read(school3, before.old_entry) == "Före");
  CHECK(VerifyMessage(*w.auditor) == "ok");
  // A second rotation counts on.
  Result<int64_t> v3 = w.admin->RotateActorKey(Actor::kSchool);
  REQUIRE(v3.ok());
  CHECK(*v3 == 3);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("a principal disabled before the rotation holds no key of new entries",
          "[insider][rotate]") {
  World w;
  BeforeRotation before = SecondMemberAndEntry(w);
  // What she takes with her: a copy of the school key version 1.
  CHECK(Read(before.school2, before.old_entry) == "Före");
  Session::Impl* her = internal::SessionAccess::Get(before.school2);
  Result<const SecretBytes*> held = her->ActorKey(Actor::kSchool, 1);
  REQUIRE(held.ok());
  Result<SecretBytes> copy = SecretBytes::Copy((*held)->data(InsecureSecretAccess::Get()),
                                               (*held)->size());
  REQUIRE(copy.ok());
  const internal::Bytes v1_public = her->actor_public_keys[{Actor::kSchool, 1}];
  const std::string her_id = before.school2.principal().id;

  REQUIRE(w.admin->DisablePrincipal("school2").ok());
  REQUIRE(w.admin->RotateActorKey(Actor::kSchool).ok());
  CHECK(Scalar(*w.admin, "SELECT count(*) FROM actor_key_seals WHERE principal_id = '" +
                             her_id + "'") == 0);
  CHECK(Scalar(*w.admin, "SELECT count(*) FROM actor_key_seals WHERE version = 2") == 1);
  Result<std::string> new_entry = w.school->AddEntry(w.case_id, Category::kSchool, "Efter");
  REQUIRE(new_entry.ok());
  // The new entry's key is sealed to version 2 only; her copy of version 1
  // opens nothing of it.
  internal::Stmt* st = her->db->Prepare("SELECT actor_key_version, sealed FROM entry_keys "
                                        "WHERE entry_id = ?").value();
  st->Bind(1, *new_entry);
  int rows = 0;
  while (st->Step().value()) {
    ++rows;
    CHECK(st->Int(0) == 2);
    CHECK_FALSE(internal::SealOpen(v1_public, *copy, st->Blob(1)).ok());
  }
  st->Reset();
  CHECK(rows == 1);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("rewrap moves old entry keys to the newest version and every entry still reads",
          "[insider][rotate]") {
  World w;
  std::vector<std::string> entries;
  for (int i = 0; i < 150; ++i) {
    Result<std::string> e =
        w.school->AddEntry(w.case_id, Category::kSchool, "Anteckning " + std::to_string(i));
    REQUIRE(e.ok());
    entries.push_back(*e);
  }
  REQUIRE(w.admin->RotateActorKey(Actor::kSchool).ok());
  const std::string old_keys = "SELECT count(*) FROM entry_keys WHERE actor = " +
                               std::to_string(kSchool) + " AND actor_key_version < 2";
  CHECK(Scalar(*w.admin, old_keys) == 150);

  std::vector<std::pair<uint64_t, uint64_t>> calls;
  Result<uint64_t> n =
      w.school->RewrapEntryKeys([&](uint64_t done, uint64_t total) { calls.push_back({done, total}); });
  INFO(n.status().ToString());
  REQUIRE(n.ok());
  CHECK(*n == 150);
  CHECK(Scalar(*w.admin, old_keys) == 0);
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() == std::make_pair(uint64_t{150}, uint64_t{150}));
  // One event per batch of 64.
  CHECK(Events(*w.auditor, Action::kEntryKeysRewrap, true) == 3);
  for (size_t i = 0; i < entries.size(); ++i) {
    CHECK(Read(*w.school, entries[i]) == "Anteckning " + std::to_string(i));
  }
  CHECK(VerifyMessage(*w.auditor) == "ok");
  // Nothing left: a second run re-seals nothing.
  Result<uint64_t> again = w.school->RewrapEntryKeys();
  REQUIRE(again.ok());
  CHECK(*again == 0);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("rotate and rewrap refuse the wrong principals and log it", "[insider][rotate]") {
  World w;
  REQUIRE(w.school->AddEntry(w.case_id, Category::kSchool, "Anteckning").ok());
  // Only admins rotate.
  CHECK(w.school->RotateActorKey(Actor::kSchool).status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(w.auditor->RotateActorKey(Actor::kSchool).status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(Events(*w.auditor, Action::kKeyRotate, false) == 2);
  // Rotation is refused inside a batch.
  REQUIRE(w.admin->BeginBatch().ok());
  CHECK_FALSE(w.admin->RotateActorKey(Actor::kSchool).ok());
  w.admin->AbortBatch();
  REQUIRE(w.admin->RotateActorKey(Actor::kSchool).ok());
  // Admins and auditors never hold actor keys, so they do not rewrap.
  CHECK(w.admin->RewrapEntryKeys().status().code() == StatusCode::kPermissionDenied);
  CHECK(w.auditor->RewrapEntryKeys().status().code() == StatusCode::kPermissionDenied);
  CHECK(Events(*w.auditor, Action::kEntryKeysRewrap, false) == 2);
  // A police member re-seals only police keys: the school entry stays.
  Result<uint64_t> police = w.police->RewrapEntryKeys();
  REQUIRE(police.ok());
  CHECK(*police == 0);
  CHECK(Scalar(*w.admin, "SELECT count(*) FROM entry_keys WHERE actor_key_version = 1") == 1);
  // A disabled member is refused.
  REQUIRE(w.admin->DisablePrincipal("school1").ok());
  CHECK(w.school->RewrapEntryKeys().status().code() == StatusCode::kPermissionDenied);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

}  // namespace

TEST_CASE("names swapped in the principals rows do not change whom the log shows",
          "[insider][names]") {
  // Found by an independent review on 2026-12-04: audit listings, queries
  // by name and the log extract (loggutdrag) took names from the
  // principals row, so an insider who swapped two names there had one
  // member's accesses shown, and found, under the other's name.
  InsiderWorld w;
  REQUIRE(w.police->ShowCase(w.case_id).ok());
  const std::string police = w.police->principal().id;
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  InsiderExec(db.get(), "UPDATE principals SET name = 'swap' WHERE name = 'police1';"
                        "UPDATE principals SET name = 'police1' WHERE name = 'school1';"
                        "UPDATE principals SET name = 'school1' WHERE name = 'swap';");
  AuditFilter by_name;
  by_name.principal = "police1";
  Result<std::vector<AuditEvent>> q = w.auditor->QueryEvents(by_name);
  REQUIRE(q.ok());
  REQUIRE_FALSE(q->empty());
  bool shown = false;
  for (const AuditEvent& e : *q) {
    CHECK(e.principal_id == police);
    CHECK(e.principal_name == "police1");
    shown = shown || e.action == Action::kCaseShow;
  }
  CHECK(shown);
  Result<CaseInfo> c = w.coord->ShowCase(w.case_id);
  REQUIRE(c.ok());
  Result<LogExtract> x = w.auditor->ExtractSubjectReport(c->subject_id, {});
  REQUIRE(x.ok());
  size_t police_lines = 0;
  for (const ExtractLine& line : x->lines) {
    if (line.principal_id != police) continue;
    ++police_lines;
    CHECK(line.principal_name == "police1");
  }
  CHECK(police_lines > 0);
  CHECK(VerifyMessage(*w.auditor).find("differs from its certificate") != std::string::npos);
}

TEST_CASE("a case row pointed at another subject does not hide its accesses from the extract",
          "[insider][extract]") {
  // Found by a second review on 2026-12-04: the log extract (loggutdrag)
  // found a youth's cases through the cases rows, so an insider who pointed
  // a case at another subject while the extract was made hid its accesses.
  InsiderWorld w;
  Result<std::string> e = w.school->AddEntry(w.case_id, Category::kSchool, "Frånvaro");
  REQUIRE(e.ok());
  REQUIRE(w.school->ReadEntry(*e, "uppföljning").ok());
  Result<SubjectInfo> other = w.coord->AddSubject(
      {MakeTestPersonalNumber(Date{DateOf(w.clock->Now()).year - 14, 5, 5}, 338, false),
       "Annan Testsson", {}});
  REQUIRE(other.ok());
  Result<CaseInfo> c = w.coord->ShowCase(w.case_id);
  REQUIRE(c.ok());
  const std::string own = c->subject_id;
  auto reads = [&](const std::vector<AuditEvent>& events) {
    size_t n = 0;
    for (const AuditEvent& a : events) {
      n += a.action == Action::kEntryRead && a.target == "entry:" + *e;
    }
    return n;
  };
  Result<std::vector<AuditEvent>> before = w.auditor->ExtractSubject(own);
  REQUIRE(before.ok());
  REQUIRE(reads(*before) == 1);
  std::unique_ptr<internal::Db> db = InsiderDb(*w.police, w.options.path);
  InsiderExec(db.get(), "UPDATE cases SET subject_id = '" + other->id + "' WHERE id = '" +
                            w.case_id + "'");
  Result<std::vector<AuditEvent>> during = w.auditor->ExtractSubject(own);
  REQUIRE(during.ok());
  CHECK(reads(*during) == 1);
  CHECK(during->size() > before->size());  // the same events, and the extracts' own
}
