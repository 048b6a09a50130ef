// Copyright (c) libsspf authors.
// The prepared page cipher (storage/page_cipher.h): it is the cipher a
// store's pages go through on Debian's SQLCipher, its pages are SQLCipher's
// stock pages (each reads what the other wrote), and a page changed on disk
// is still refused.
#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.h"
#include "storage/db.h"
#include "storage/page_cipher.h"
#include "test_util.h"

namespace sspf {
namespace {

using internal::Db;
using internal::PreparedPageCipherInUse;
using internal::PreparedPageCipherPages;
using internal::SetPreparedPageCipherEnabledForTesting;
using internal::Stmt;
using testing::TempDir;

SecretBytes StoreKey(uint8_t seed) {
  SecretBytes k = std::move(SecretBytes::Allocate(32).value());
  for (size_t i = 0; i < 32; ++i) {
    k.data(InsecureSecretAccess::Get())[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  }
  return k;
}

std::unique_ptr<Db> Open(const std::string& path, uint8_t seed) {
  Result<std::unique_ptr<Db>> db = Db::Open(path, StoreKey(seed), /*create=*/true);
  REQUIRE(db.ok());
  return std::move(*db);
}

// Row n's content: 1 500 bytes that differ from row to row, so every page
// of the table holds different bytes.
std::vector<uint8_t> Content(int64_t n) {
  std::vector<uint8_t> v(1500);
  uint64_t x = static_cast<uint64_t>(n) * 0x9E3779B97F4A7C15u + 1;
  for (uint8_t& b : v) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<uint8_t>(x);
  }
  return v;
}

// Rows [from, to) of table t (made on first use).
void Write(Db* db, int64_t from, int64_t to) {
  REQUIRE(db->Exec("CREATE TABLE IF NOT EXISTS t(n INTEGER PRIMARY KEY, b BLOB)").ok());
  REQUIRE(db->Exec("BEGIN").ok());
  Result<Stmt*> st = db->Prepare("INSERT INTO t(n, b) VALUES (?, ?)");
  REQUIRE(st.ok());
  for (int64_t n = from; n < to; ++n) {
    const std::vector<uint8_t> c = Content(n);
    (*st)->Bind(1, n).BindBlob(2, c.data(), c.size());
    REQUIRE((*st)->Run().ok());
    (*st)->Reset();
  }
  REQUIRE(db->Exec("COMMIT").ok());
}

// How many rows of t have exactly their content, or -1 when the read fails.
int64_t RowsIntact(Db* db) {
  Result<Stmt*> st = db->Prepare("SELECT n, b FROM t ORDER BY n");
  if (!st.ok()) return -1;
  int64_t intact = 0;
  for (;;) {
    Result<bool> row = (*st)->Step();
    if (!row.ok()) {
      (*st)->Reset();
      return -1;
    }
    if (!*row) break;
    const internal::Bytes b = (*st)->Blob(1);
    const std::vector<uint8_t> want = Content((*st)->Int(0));
    if (std::vector<uint8_t>(b.begin(), b.end()) == want) ++intact;
  }
  (*st)->Reset();
  return intact;
}

std::string QuickCheck(Db* db) {
  Result<Stmt*> st = db->Prepare("PRAGMA quick_check");
  REQUIRE(st.ok());
  Result<bool> row = (*st)->Step();
  std::string out = row.ok() && *row ? (*st)->Text(0) : "error";
  (*st)->Reset();
  return out;
}

// Turns the prepared cipher back on however the test ends.
struct EnabledAgain {
  ~EnabledAgain() { SetPreparedPageCipherEnabledForTesting(true); }
};

TEST_CASE("a store's pages go through the prepared page cipher on SQLCipher 3.4.1",
          "[page_cipher]") {
  // Debian bookworm's SQLCipher (DESIGN §5), the platform the library is
  // built and tested on: the prepared cipher must be the one in use there.
  REQUIRE(sqlite3_libversion_number() == 3015002);
  TempDir dir;
  const uint64_t before = PreparedPageCipherPages();
  std::unique_ptr<Db> db = Open(dir.File("s.db"), 1);
  REQUIRE(PreparedPageCipherInUse());
  Write(db.get(), 0, 400);  // about 150 pages
  REQUIRE(RowsIntact(db.get()) == 400);
  CHECK(PreparedPageCipherPages() - before >= 150);
}

TEST_CASE("the prepared and the stock page cipher read each other's pages", "[page_cipher]") {
  EnabledAgain again;
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    std::unique_ptr<Db> db = Open(path, 2);
    REQUIRE(PreparedPageCipherInUse());
    Write(db.get(), 0, 300);
  }  // closed: the WAL is checkpointed into the file
  SetPreparedPageCipherEnabledForTesting(false);
  {
    std::unique_ptr<Db> db = Open(path, 2);
    REQUIRE_FALSE(PreparedPageCipherInUse());
    const uint64_t before = PreparedPageCipherPages();
    REQUIRE(QuickCheck(db.get()) == "ok");
    REQUIRE(RowsIntact(db.get()) == 300);
    Write(db.get(), 300, 600);
    // SQLCipher's own functions did this work, not the prepared ones.
    REQUIRE(PreparedPageCipherPages() == before);
  }
  SetPreparedPageCipherEnabledForTesting(true);
  {
    std::unique_ptr<Db> db = Open(path, 2);
    REQUIRE(PreparedPageCipherInUse());
    const uint64_t before = PreparedPageCipherPages();
    REQUIRE(QuickCheck(db.get()) == "ok");
    REQUIRE(RowsIntact(db.get()) == 600);
    REQUIRE(PreparedPageCipherPages() > before);
  }
}

TEST_CASE("a page changed on disk is refused by the prepared page cipher", "[page_cipher]") {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    std::unique_ptr<Db> db = Open(path, 3);
    Write(db.get(), 0, 200);
  }
  // One bit of a table page (page 20 of about 80), not the first page.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f.good());
    f.seekg(19 * 4096 + 1000);
    char c = 0;
    f.read(&c, 1);
    f.seekp(19 * 4096 + 1000);
    c = static_cast<char>(c ^ 0x01);
    f.write(&c, 1);
    REQUIRE(f.good());
  }
  Result<std::unique_ptr<Db>> db = Db::Open(path, StoreKey(3), /*create=*/false);
  REQUIRE(db.ok());  // page 1 is intact
  REQUIRE(PreparedPageCipherInUse());
  // The changed page's rows are not returned: the read fails.
  CHECK(RowsIntact(db->get()) == -1);
  CHECK(QuickCheck(db->get()) != "ok");
}

TEST_CASE("stores under different keys, in turns and on two threads, keep their own keys",
          "[page_cipher]") {
  TempDir dir;
  {
    std::unique_ptr<Db> a = Open(dir.File("a.db"), 4);
    std::unique_ptr<Db> b = Open(dir.File("b.db"), 5);
    for (int round = 0; round < 4; ++round) {
      Write(a.get(), round * 50, round * 50 + 50);
      Write(b.get(), round * 50, round * 50 + 50);
      REQUIRE(RowsIntact(a.get()) == round * 50 + 50);
      REQUIRE(RowsIntact(b.get()) == round * 50 + 50);
    }
  }
  // Each store opens under its own key only.
  CHECK(Db::Open(dir.File("a.db"), StoreKey(5), false).status().code() ==
        StatusCode::kWrongKey);
  std::vector<int64_t> intact(2, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<Db>> db =
          Db::Open(dir.File(i == 0 ? "a.db" : "b.db"), StoreKey(static_cast<uint8_t>(4 + i)),
                   false);
      if (!db.ok()) return;
      for (int k = 0; k < 5; ++k) intact[i] += RowsIntact(db->get());
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(intact[0] == 5 * 200);
  CHECK(intact[1] == 5 * 200);
}

}  // namespace
}  // namespace sspf
