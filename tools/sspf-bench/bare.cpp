// sspf-bench: the bare baselines.  They read the store's tables with their
// own SQL and decrypt with libsodium directly, so they repeat on purpose what
// the library does (the entry AD, the sealed entry key): the least an audited
// read must cost.
#include "bare.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "bench.h"
#include "crypto/crypto.h"
#include "log/audit_log.h"
#include "session/bench_access.h"
#include "storage/db.h"

namespace sspf::bench {

RawStmt::RawStmt(sqlite3* db, const char* sql) {
  if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "sspf-bench: prepare failed: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

void RawExec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sspf-bench: %s: %s\n", sql, err ? err : "?");
    std::exit(1);
  }
}

Bare::Bare(Session& s)
    : session_(s), me_(s.principal()), db_(internal::bench::Database(s)->raw()) {
  CreateEventsTable();
  select_.emplace(db_,
                  "SELECT e.case_id, e.category, e.author_actor, e.key_version, e.body, "
                  "k.actor_key_version, k.sealed FROM entries e JOIN entry_keys k ON "
                  "k.entry_id = e.id AND k.actor = ? WHERE e.id = ?");
  insert_.emplace(db_,
                  "INSERT INTO bare_events(time, principal_id, actor, role, action, target, "
                  "allowed, reason, basis, purpose, case_id, subject_id, detail) "
                  "VALUES(?,?,?,?,?,?,1,?,?,?,?,?,'')");
  query_.emplace(db_,
                 "SELECT seq, time, principal_id, actor, role, action, target, allowed, "
                 "reason, basis, purpose, case_id, subject_id, detail FROM events WHERE "
                 "case_id = ? ORDER BY seq");
  RawStmt pk(db_, "SELECT version, public_key FROM actor_keys WHERE actor = ? "
                  "ORDER BY version DESC LIMIT 1");
  sqlite3_bind_int64(pk.get(), 1, static_cast<int64_t>(me_.actor));
  if (sqlite3_step(pk.get()) != SQLITE_ROW) {
    std::fprintf(stderr, "sspf-bench: no actor key\n");
    std::exit(1);
  }
  key_version_ = sqlite3_column_int64(pk.get(), 0);
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(pk.get(), 1));
  actor_pk_.assign(p, p + sqlite3_column_bytes(pk.get(), 1));
  actor_sk_ = Must(internal::bench::ActorKey(session_, me_.actor, key_version_), "actor key");
}

// bare_events: the columns of events and a copy of every index of events
// (partial ones included), taken from the store's own schema, so that an
// insert costs the bare side the index work it costs the library.
void Bare::CreateEventsTable() {
  RawExec(db_,
          "CREATE TABLE IF NOT EXISTS bare_events(seq INTEGER PRIMARY KEY, time INTEGER "
          "NOT NULL, principal_id TEXT NOT NULL, actor INTEGER NOT NULL, role INTEGER NOT "
          "NULL, action INTEGER NOT NULL, target TEXT NOT NULL, allowed INTEGER NOT NULL, "
          "reason TEXT NOT NULL, basis TEXT NOT NULL, purpose TEXT NOT NULL, case_id TEXT "
          "NOT NULL, subject_id TEXT NOT NULL, detail TEXT NOT NULL)");
  std::vector<std::string> indexes;
  {
    RawStmt st(db_, "SELECT sql FROM sqlite_master WHERE type = 'index' AND "
                    "tbl_name = 'events' AND sql IS NOT NULL");
    while (sqlite3_step(st.get()) == SQLITE_ROW) {
      indexes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
    }
  }
  if (indexes.empty()) Fail("reading the events indexes");
  for (std::string sql : indexes) {
    // "CREATE INDEX events_x ON events(...)" -> "... bare_events_x ON bare_events(...)"
    const std::string create = "CREATE INDEX ", on = " ON events(";
    const size_t at = sql.find(on);
    if (sql.compare(0, create.size(), create) != 0 || at == std::string::npos) {
      Fail("copying an events index");
    }
    sql.replace(at, on.size(), " ON bare_events(");
    sql.replace(0, create.size(), "CREATE INDEX IF NOT EXISTS bare_");
    RawExec(db_, sql.c_str());
  }
}

void Bare::FillEvents() {
  RawExec(db_, "BEGIN IMMEDIATE; DELETE FROM bare_events; "
               "INSERT INTO bare_events SELECT * FROM events; COMMIT");
}

void Bare::DropEvents() { RawExec(db_, "DROP TABLE IF EXISTS bare_events"); }

size_t Bare::Read(const std::string& entry_id) {
  sqlite3_stmt* st = select_->get();
  sqlite3_bind_int64(st, 1, static_cast<int64_t>(me_.actor));
  sqlite3_bind_text(st, 2, entry_id.data(), static_cast<int>(entry_id.size()),
                    SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_ROW) Fail("bare select");
  std::string case_id(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                      sqlite3_column_bytes(st, 0));
  const int64_t category = sqlite3_column_int64(st, 1);
  const int64_t author_actor = sqlite3_column_int64(st, 2);
  const int64_t key_version = sqlite3_column_int64(st, 3);
  const auto* body = static_cast<const uint8_t*>(sqlite3_column_blob(st, 4));
  const size_t body_len = static_cast<size_t>(sqlite3_column_bytes(st, 4));
  const auto* sealed = static_cast<const uint8_t*>(sqlite3_column_blob(st, 6));
  const size_t sealed_len = static_cast<size_t>(sqlite3_column_bytes(st, 6));
  // Entry key: sealed box to the actor key, header || 32-byte key.
  if (sealed_len < crypto_box_SEALBYTES + 32) Fail("bare sealed key");
  std::vector<uint8_t> opened(sealed_len - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(opened.data(), sealed, sealed_len, actor_pk_.data(),
                           actor_sk_->data(InsecureSecretAccess::Get())) != 0) {
    Fail("bare unseal");
  }
  const uint8_t* entry_key = opened.data() + opened.size() - 32;
  internal::Bytes ad = internal::AdBuilder()
                           .Add("sspf-entry-v1")
                           .AddU64(1)
                           .Add(internal::bench::StoreIdBytes(session_))
                           .Add(case_id)
                           .Add(entry_id)
                           .AddU64(static_cast<uint64_t>(category))
                           .AddU64(static_cast<uint64_t>(author_actor))
                           .AddU64(static_cast<uint64_t>(key_version))
                           .bytes();
  if (body_len < internal::kAeadNonceSize + internal::kAeadTagSize) Fail("bare body");
  PlainText plain(body_len - internal::kAeadNonceSize - internal::kAeadTagSize);
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain.data(), &plain_len, nullptr, body + internal::kAeadNonceSize,
          body_len - internal::kAeadNonceSize, ad.data(), ad.size(), body,
          entry_key) != 0) {
    Fail("bare decrypt");
  }
  sodium_memzero(opened.data(), opened.size());
  sqlite3_reset(st);
  return static_cast<size_t>(plain_len);
}

void Bare::DurableRead(const std::string& entry_id, const std::string& case_id,
                 const std::string& subject_id) {
  RawExec(db_, "BEGIN IMMEDIATE");
  Read(entry_id);
  Insert(entry_id, case_id, subject_id);
  RawExec(db_, "COMMIT");
}

void Bare::Insert(const std::string& entry_id, const std::string& case_id,
            const std::string& subject_id) {
  InsertRow(Action::kEntryRead, "entry:" + entry_id, case_id, subject_id);
}

void Bare::InsertRow(Action action, const std::string& target, const std::string& case_id,
                     const std::string& subject_id) {
  sqlite3_stmt* in = insert_->get();
  sqlite3_bind_int64(in, 1, static_cast<int64_t>(::time(nullptr)));
  sqlite3_bind_text(in, 2, me_.id.data(), static_cast<int>(me_.id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(in, 3, static_cast<int64_t>(me_.actor));
  sqlite3_bind_int64(in, 4, static_cast<int64_t>(me_.role));
  sqlite3_bind_int64(in, 5, static_cast<int64_t>(action));
  sqlite3_bind_text(in, 6, target.data(), static_cast<int>(target.size()), SQLITE_STATIC);
  sqlite3_bind_text(in, 7, "author actor", -1, SQLITE_STATIC);
  sqlite3_bind_text(in, 8, "author-actor", -1, SQLITE_STATIC);
  sqlite3_bind_text(in, 9, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_text(in, 10, case_id.data(), static_cast<int>(case_id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(in, 11, subject_id.data(), static_cast<int>(subject_id.size()),
                    SQLITE_STATIC);
  if (sqlite3_step(in) != SQLITE_DONE) Fail("bare insert");
  sqlite3_reset(in);
}

size_t Bare::Query(const std::string& case_id) {
  // The query is an access: its event is appended and committed durably
  // before any row is returned, as the library's audit gate does.
  RawExec(db_, "BEGIN IMMEDIATE");
  InsertRow(Action::kAuditQuery, "case:" + case_id, case_id, "");
  RawExec(db_, "COMMIT");
  sqlite3_stmt* st = query_->get();
  sqlite3_bind_text(st, 1, case_id.data(), static_cast<int>(case_id.size()),
                    SQLITE_STATIC);
  size_t rows = 0, bytes = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int c = 0; c < 14; ++c) bytes += static_cast<size_t>(sqlite3_column_bytes(st, c));
    ++rows;
  }
  sqlite3_reset(st);
  sink_ += bytes;
  return rows;
}

BareSignatures BareEd25519(const internal::Bytes& store_id, int n) {
  BareSignatures r;
  r.count = n;
  std::vector<uint8_t> pk(crypto_sign_PUBLICKEYBYTES), sk(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(pk.data(), sk.data());
  std::vector<internal::Bytes> msgs;
  msgs.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    internal::Hash leaf_hash;
    randombytes_buf(leaf_hash.data(), leaf_hash.size());
    msgs.push_back(internal::EventSignedMessage(store_id, static_cast<uint64_t>(i), leaf_hash));
  }
  r.message_bytes = msgs.empty() ? 0 : msgs[0].size();
  std::vector<uint8_t> sigs(static_cast<size_t>(n) * crypto_sign_BYTES);
  auto a = Clock::now();
  for (int i = 0; i < n; ++i) {
    const internal::Bytes& m = msgs[static_cast<size_t>(i)];
    crypto_sign_detached(&sigs[static_cast<size_t>(i) * crypto_sign_BYTES], nullptr, m.data(),
                         m.size(), sk.data());
  }
  auto b = Clock::now();
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    const internal::Bytes& m = msgs[static_cast<size_t>(i)];
    bad += crypto_sign_verify_detached(&sigs[static_cast<size_t>(i) * crypto_sign_BYTES],
                                       m.data(), m.size(), pk.data()) != 0;
  }
  auto c = Clock::now();
  sodium_memzero(sk.data(), sk.size());
  if (bad != 0) {
    std::fprintf(stderr, "sspf-bench: %d bare Ed25519 signatures do not verify\n", bad);
    std::exit(1);
  }
  r.sign_s = Seconds(a, b) / n;
  r.verify_s = Seconds(b, c) / n;
  return r;
}

void Bare::Fail(const char* what) {
  std::fprintf(stderr, "sspf-bench: %s failed: %s\n", what, sqlite3_errmsg(db_));
  std::exit(1);
}

}  // namespace sspf::bench
