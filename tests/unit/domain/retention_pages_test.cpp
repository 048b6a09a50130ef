// Retention leaves nothing behind (issue 12): after a run, every page of
// the database file and every frame of the WAL is decrypted here with the
// store's SQLCipher key (AES-256-CBC as SQLCipher 3/4 lay a page out:
// page 1 begins with the 16-byte salt; each page ends with its reserve, the
// IV first), live pages and free pages alike, and none of them holds the
// erased names, personnummer, identity records, blind index, entry bodies,
// sealed entry keys or the actors' consent references.  Before the run the same search finds them, so the
// decryption is shown to work.
#include <openssl/evp.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catch.h"
#include "context/session_impl.h"
#include "keys/key_hierarchy.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "storage/db.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";
constexpr size_t kPage = 4096;     // PRAGMA cipher_page_size (db.cpp)
constexpr size_t kSalt = 16;

using Bytes = std::vector<uint8_t>;

// The plaintext of one encrypted page (page number pgno, 1-based), or
// empty if it does not decrypt to a page with the reserve the file says.
Bytes DecryptPage(const uint8_t* page, uint32_t pgno, const SecretBytes& key, size_t reserve) {
  const size_t start = pgno == 1 ? kSalt : 0;
  const size_t end = kPage - reserve;
  Bytes out(end - start + 32);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n1 = 0, n2 = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr,
                                      key.data(InsecureSecretAccess::Get()), page + end) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
            EVP_DecryptUpdate(ctx, out.data(), &n1, page + start,
                              static_cast<int>(end - start)) == 1 &&
            EVP_DecryptFinal_ex(ctx, out.data() + n1, &n2) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return {};
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

// The reserve per page: byte 20 of the SQLite header, which is byte 4 of
// page 1's plaintext (the header's first 16 bytes are the salt).
size_t ReserveOf(const std::string& file, const SecretBytes& key) {
  for (size_t reserve : {48, 64, 80, 32}) {
    Bytes p = DecryptPage(reinterpret_cast<const uint8_t*>(file.data()), 1, key, reserve);
    if (p.size() > 8 && p[0] == 0x10 && p[1] == 0x00 && p[4] == reserve) return reserve;
  }
  return 0;
}

// Every decrypted page of the database file and of the WAL's frames.
std::vector<Bytes> AllPlainPages(const std::string& path, const SecretBytes& key, size_t* pages) {
  std::vector<Bytes> out;
  const std::string db = ReadFile(path);
  REQUIRE(db.size() % kPage == 0);
  REQUIRE(db.size() >= kPage);
  const size_t reserve = ReserveOf(db, key);
  REQUIRE(reserve != 0);
  for (size_t i = 0; i < db.size() / kPage; ++i) {
    Bytes p = DecryptPage(reinterpret_cast<const uint8_t*>(db.data()) + i * kPage,
                          static_cast<uint32_t>(i + 1), key, reserve);
    REQUIRE(!p.empty());
    out.push_back(std::move(p));
  }
  *pages = out.size();
  const std::string wal = ReadFile(path + "-wal");
  for (size_t off = 32; off + 24 + kPage <= wal.size(); off += 24 + kPage) {
    const uint8_t* h = reinterpret_cast<const uint8_t*>(wal.data()) + off;
    const uint32_t pgno = uint32_t{h[0]} << 24 | uint32_t{h[1]} << 16 | uint32_t{h[2]} << 8 | h[3];
    Bytes p = DecryptPage(h + 24, pgno, key, reserve);
    if (!p.empty()) out.push_back(std::move(p));
  }
  // The raw WAL too, in case of anything unencrypted.
  out.emplace_back(wal.begin(), wal.end());
  return out;
}

bool Contains(const std::vector<Bytes>& pages, const Bytes& needle) {
  for (const Bytes& p : pages) {
    if (std::search(p.begin(), p.end(), needle.begin(), needle.end()) != p.end()) return true;
  }
  return false;
}

Bytes Text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// 24 bytes from the middle of a stored blob (or a short blob whole): enough to be unique, short
// enough to sit inside one page.
Bytes Chunk(const Bytes& blob) {
  REQUIRE(blob.size() >= 16);
  if (blob.size() < 40) return blob;  // the blind index: 32 bytes
  return Bytes(blob.begin() + 8, blob.begin() + 32);
}

std::vector<Bytes> Blobs(internal::Db* db, const std::string& sql) {
  std::vector<Bytes> out;
  internal::Stmt* st = db->Prepare(sql.c_str()).value();
  while (st->Step().value()) out.push_back(Chunk(st->Blob(0)));
  st->Reset();
  return out;
}

}  // namespace

TEST_CASE("after a retention run no page or WAL frame holds what was erased",
          "[retention][pages]") {
  TempDir dir;
  auto clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
  Session admin = OpenOrFail(options, "admin", kPass);
  AddPrincipalOrFail(admin, "coord", Actor::kCoordination, Role::kCoordinator, kPass);
  AddPrincipalOrFail(admin, "social1", Actor::kSocial, Role::kMember, kPass);
  AddPrincipalOrFail(admin, "auditor", Actor::kCoordination, Role::kAuditor, kPass);
  std::optional<Session> coord = OpenOrFail(options, "coord", kPass);
  std::optional<Session> social = OpenOrFail(options, "social1", kPass);
  const std::string pnr =
      MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 14, 2, 11}, 821, false);
  const std::string name = "Raderas Sidsson", guardian = "Vårdnads Sidsdotter";
  Result<SubjectInfo> s = coord->AddSubject({pnr, name, {guardian}});
  REQUIRE(s.ok());
  Result<std::string> c = coord->OpenCase(s->id, {"social1"});
  REQUIRE(c.ok());
  // Big enough that a body fills pages of its own.
  std::string body;
  for (int i = 0; i < 300; ++i) body += "Anteckning RADERA-" + std::to_string(i) + ". ";
  REQUIRE(social->AddEntry(*c, Category::kIdentity, body).ok());
  REQUIRE(social->AddEntry(*c, Category::kHealth, "Planen RADERA-PLAN").ok());
  // Social services' own reference to the guardian's consent (consent
  // confirm): free text, erased with the case.
  const std::string reference = "Dnr SOC-RADERA-REF 14";
  Result<std::string> consent =
      coord->GrantConsent(SchoolSocialConsent(*c, {false, s->guardians[0].id}, clock->Now()));
  INFO(consent.status().ToString());
  REQUIRE(consent.ok());
  REQUIRE(social->ConfirmConsent(*consent, reference).ok());
  // A second subject that stays: its data must still be there.
  const std::string kept_pnr =
      MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 13, 2, 12}, 822, false);
  Result<SubjectInfo> kept = coord->AddSubject({kept_pnr, "Kvar Sidsson", {}});
  REQUIRE(kept.ok());
  Result<std::string> kept_case = coord->OpenCase(kept->id, {"social1"});
  REQUIRE(kept_case.ok());
  REQUIRE(social->AddEntry(*kept_case, Category::kIdentity, "Kvar anteckning").ok());
  REQUIRE(coord->CloseCase(*c).ok());

  Session::Impl* impl = internal::SessionAccess::Get(admin);
  Result<SecretBytes> key = internal::Subkey(impl->root_key, internal::kSubkeySqlcipher);
  REQUIRE(key.ok());
  std::unique_ptr<internal::Db> db = InsiderDb(admin, options.path);
  const std::string erased_case = "'" + *c + "'";
  std::vector<Bytes> needles = {
      Blobs(db.get(), "SELECT identity FROM subjects WHERE id = '" + s->id + "'")[0],
      Blobs(db.get(), "SELECT pnr_index FROM subjects WHERE id = '" + s->id + "'")[0],
      Blobs(db.get(), "SELECT identity FROM guardians WHERE subject_id = '" + s->id + "'")[0]};
  for (const Bytes& b : Blobs(db.get(), "SELECT body FROM entries WHERE case_id = " + erased_case)) {
    needles.push_back(b);
  }
  for (const Bytes& b : Blobs(db.get(), "SELECT k.sealed FROM entry_keys k JOIN entries e ON "
                                        "e.id = k.entry_id WHERE e.case_id = " + erased_case)) {
    needles.push_back(b);
  }
  needles.push_back(Text(reference));
  REQUIRE(needles.size() == 8);
  const Bytes kept_body =
      Blobs(db.get(), "SELECT body FROM entries WHERE case_id = '" + *kept_case + "'")[0];
  db.reset();

  // Control: before the run the decrypted pages hold every needle.
  size_t pages = 0;
  {
    std::vector<Bytes> before = AllPlainPages(options.path, *key, &pages);
    for (size_t i = 0; i < needles.size(); ++i) {
      INFO("needle " << i);
      CHECK(Contains(before, needles[i]));
    }
    CHECK(Contains(before, kept_body));
  }

  // Other sessions closed, so the WAL can be truncated.
  coord.reset();
  social.reset();
  clock->Advance(6 * 365 * 86400);
  Result<RetentionRunResult> r = admin.RunRetention({"SN 2032/77", {}});
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->entries_erased == 2);
  CHECK(r->subjects_erased == 1);
  CHECK(r->compacted);
  CHECK(r->free_pages == 0);
  CHECK(ReadFile(options.path + "-wal").empty());

  std::vector<Bytes> after = AllPlainPages(options.path, *key, &pages);
  CHECK(pages > 3);
  for (size_t i = 0; i < needles.size(); ++i) {
    INFO("needle " << i);
    CHECK_FALSE(Contains(after, needles[i]));
  }
  for (const std::string& t : {pnr, pnr.substr(2), name, guardian, std::string("RADERA-")}) {
    INFO(t);
    CHECK_FALSE(Contains(after, Text(t)));
  }
  // What stays is still there (the search would find it).
  CHECK(Contains(after, kept_body));
  Session auditor = OpenOrFail(options, "auditor", kPass);
  CHECK(VerifyMessage(auditor) == "ok");
}
