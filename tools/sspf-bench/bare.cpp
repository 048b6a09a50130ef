// sspf-bench: the bare baselines.  They read the store's tables with their
// own SQL and decrypt with libsodium directly, so they repeat on purpose what
// the library does (the entry AD, the sealed entry key): the least an audited
// read must cost.
#include "bare.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "bench.h"
#include "crypto/crypto.h"
#include "log/audit_log.h"
#include "log/merkle.h"
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

Bare::Bare(Session& s, bool reads_entries)
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
  names_.emplace(db_, "SELECT id, name FROM principals");
  insert_sig_.emplace(db_, "INSERT INTO bare_event_signatures(seq, signer, signature) "
                           "VALUES(?,?,?)");
  insert_node_.emplace(db_, "INSERT INTO bare_tree_nodes(level, idx, hash) VALUES(?,?,?)");
  select_node_.emplace(db_, "SELECT hash FROM bare_tree_nodes WHERE level = ? AND idx = ?");
  tree_size_.emplace(db_, "SELECT coalesce(max(idx) + 1, 0) FROM bare_tree_nodes "
                          "WHERE level = 0");
  entry_event_.emplace(
      db_, (std::string("SELECT seq, time, principal_id, actor, role, action, target, allowed, "
                        "reason, basis, purpose, case_id, subject_id, detail FROM events "
                        "INDEXED BY events_state_target WHERE target = ? AND action IN (") +
            std::to_string(static_cast<int>(Action::kEntryAdd)) + ", " +
            std::to_string(static_cast<int>(Action::kGrantEmergency)) + ") AND allowed = 1")
               .c_str());
  event_signature_.emplace(db_, "SELECT signer, signature FROM event_signatures WHERE seq = ?");
  signing_keys_ = LoadSigningKeys(session_, db_);
  store_id_ = internal::bench::StoreIdBytes(session_);
  sign_pk_.resize(crypto_sign_PUBLICKEYBYTES);
  sign_sk_.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(sign_pk_.data(), sign_sk_.data());
  if (!reads_entries) return;
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

Bare::~Bare() { sodium_memzero(sign_sk_.data(), sign_sk_.size()); }

// bare_events: the columns of events and a copy of every index of events
// (partial ones included), taken from the store's own schema, so that an
// insert costs the bare side the index work it costs the library;
// bare_event_signatures and bare_tree_nodes: the shapes of event_signatures
// and tree_nodes.
void Bare::CreateEventsTable() {
  RawExec(db_,
          "CREATE TABLE IF NOT EXISTS bare_event_signatures(seq INTEGER PRIMARY KEY, "
          "signer TEXT NOT NULL, signature BLOB NOT NULL);"
          "CREATE TABLE IF NOT EXISTS bare_tree_nodes(level INTEGER NOT NULL, idx INTEGER "
          "NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID");
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
  RawExec(db_, "BEGIN IMMEDIATE; DELETE FROM bare_events; DELETE FROM bare_event_signatures; "
               "DELETE FROM bare_tree_nodes; "
               "INSERT INTO bare_events SELECT * FROM events; "
               "INSERT INTO bare_event_signatures SELECT * FROM event_signatures; "
               "INSERT INTO bare_tree_nodes SELECT * FROM tree_nodes; COMMIT");
}

void Bare::DropEvents() {
  RawExec(db_, "DROP TABLE IF EXISTS bare_events; DROP TABLE IF EXISTS bare_event_signatures; "
               "DROP TABLE IF EXISTS bare_tree_nodes");
}

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
  if (work_ == LogWork::kSigned) CheckEntryEvent(entry_id);
  return static_cast<size_t>(plain_len);
}

// The check at use of the entry's authorship (DESIGN §13), as the library
// makes it: its entry.add event through the same index, the leaf
// re-encoded and hashed, and the event's Ed25519 signature checked under
// its signer's key the first time this side sees the event (the library
// keeps the events it verified, by seq and leaf hash, for its session).
void Bare::CheckEntryEvent(const std::string& entry_id) {
  const std::string target = "entry:" + entry_id;
  sqlite3_stmt* ev = entry_event_->get();
  sqlite3_bind_text(ev, 1, target.data(), static_cast<int>(target.size()), SQLITE_STATIC);
  internal::EventRecord e, row;
  int found = 0;
  while (sqlite3_step(ev) == SQLITE_ROW) {  // every row, as a replayed copy would be one more
    ReadEventColumns(ev, 0, &row);
    if (row.action == Action::kEntryAdd && row.target == target) {
      ++found;
      e = row;
    }
  }
  sqlite3_reset(ev);
  if (found != 1) Fail("bare entry event");
  const internal::Bytes leaf = internal::EncodeLeaf(e);
  const internal::Hash h = internal::LeafHash(leaf.data(), leaf.size());
  auto seen = verified_.find(e.seq);
  if (seen != verified_.end() && seen->second == h) return;
  sqlite3_stmt* sig = event_signature_->get();
  sqlite3_bind_int64(sig, 1, static_cast<int64_t>(e.seq));
  if (sqlite3_step(sig) != SQLITE_ROW || sqlite3_column_bytes(sig, 1) != crypto_sign_BYTES) {
    Fail("bare entry event signature");
  }
  const std::string signer(reinterpret_cast<const char*>(sqlite3_column_text(sig, 0)),
                           static_cast<size_t>(sqlite3_column_bytes(sig, 0)));
  auto key = signing_keys_.find(signer);
  const internal::Bytes msg = internal::EventSignedMessage(store_id_, e.seq, h);
  if (key == signing_keys_.end() || key->second.size() != crypto_sign_PUBLICKEYBYTES ||
      crypto_sign_verify_detached(static_cast<const uint8_t*>(sqlite3_column_blob(sig, 1)),
                                  msg.data(), msg.size(), key->second.data()) != 0) {
    Fail("bare entry event signature check");
  }
  sqlite3_reset(sig);
  verified_[e.seq] = h;
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
  if (work_ == LogWork::kRowOnly) return;
  internal::EventRecord e;
  e.seq = static_cast<uint64_t>(sqlite3_last_insert_rowid(db_));
  e.time = ::time(nullptr);
  e.principal_id = me_.id;
  e.actor = me_.actor;
  e.role = me_.role;
  e.action = action;
  e.target = target;
  e.allowed = true;
  e.reason = "author actor";
  e.basis = "author-actor";
  e.purpose = "bench";
  e.case_id = case_id;
  e.subject_id = subject_id;
  SignAndTree(e);
}

// The rest of the library's append (log/audit_log.cpp AppendEvent), directly:
// leaf, signature row, and the nodes the leaf completes.
void Bare::SignAndTree(const internal::EventRecord& e) {
  const internal::Bytes leaf = internal::EncodeLeaf(e);
  internal::Hash acc = internal::LeafHash(leaf.data(), leaf.size());
  const internal::Bytes msg = internal::EventSignedMessage(store_id_, e.seq, acc);
  uint8_t sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, msg.data(), msg.size(), sign_sk_.data());
  sqlite3_stmt* st = insert_sig_->get();
  sqlite3_bind_int64(st, 1, static_cast<int64_t>(e.seq));
  sqlite3_bind_text(st, 2, me_.id.data(), static_cast<int>(me_.id.size()), SQLITE_STATIC);
  sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_DONE) Fail("bare signature insert");
  sqlite3_reset(st);
  // The leaf's index in the bare tree, which only the signed appends grow
  // (the row-only ones of the floor lines add rows to bare_events alone):
  // one seek, as the library's append finds its seq.
  sqlite3_stmt* size = tree_size_->get();
  if (sqlite3_step(size) != SQLITE_ROW) Fail("bare tree size");
  uint64_t index = static_cast<uint64_t>(sqlite3_column_int64(size, 0));
  sqlite3_reset(size);
  int64_t level = 0;
  for (;;) {
    sqlite3_stmt* node = insert_node_->get();
    sqlite3_bind_int64(node, 1, level);
    sqlite3_bind_int64(node, 2, static_cast<int64_t>(index));
    sqlite3_bind_blob(node, 3, acc.data(), static_cast<int>(acc.size()), SQLITE_STATIC);
    if (sqlite3_step(node) != SQLITE_DONE) Fail("bare tree node insert");
    sqlite3_reset(node);
    if ((index & 1) == 0) break;
    sqlite3_stmt* left = select_node_->get();
    sqlite3_bind_int64(left, 1, level);
    sqlite3_bind_int64(left, 2, static_cast<int64_t>(index - 1));
    if (sqlite3_step(left) != SQLITE_ROW ||
        sqlite3_column_bytes(left, 0) != static_cast<int>(internal::kHashSize)) {
      Fail("bare tree sibling");
    }
    internal::Hash sibling;
    std::memcpy(sibling.data(), sqlite3_column_blob(left, 0), sibling.size());
    sqlite3_reset(left);
    acc = internal::NodeHash(sibling, acc);
    index >>= 1;
    ++level;
  }
}

size_t Bare::Query(const std::string& case_id) {
  // The query is an access: its event is appended and committed durably
  // before any row is returned, as the library's audit gate does.
  RawExec(db_, "BEGIN IMMEDIATE");
  InsertRow(Action::kAuditQuery, "case:" + case_id, case_id, "");
  RawExec(db_, "COMMIT");
  const bool same = work_ == LogWork::kSigned;
  size_t rows = 0, bytes = 0;
  if (same) {  // the names beside the principal ids of the output
    sqlite3_stmt* n = names_->get();
    while (sqlite3_step(n) == SQLITE_ROW) bytes += static_cast<size_t>(sqlite3_column_bytes(n, 1));
    sqlite3_reset(n);
  }
  sqlite3_stmt* st = query_->get();
  sqlite3_bind_text(st, 1, case_id.data(), static_cast<int>(case_id.size()),
                    SQLITE_STATIC);
  internal::EventRecord e;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int c = 0; c < 14; ++c) bytes += static_cast<size_t>(sqlite3_column_bytes(st, c));
    if (same) {  // each row's signature, leaf hash and signed message
      ReadEventColumns(st, 0, &e);
      sqlite3_stmt* sig = event_signature_->get();
      sqlite3_bind_int64(sig, 1, static_cast<int64_t>(e.seq));
      if (sqlite3_step(sig) == SQLITE_ROW) {
        bytes += static_cast<size_t>(sqlite3_column_bytes(sig, 0) + sqlite3_column_bytes(sig, 1));
      }
      sqlite3_reset(sig);
      const internal::Bytes leaf = internal::EncodeLeaf(e);
      const internal::Hash h = internal::LeafHash(leaf.data(), leaf.size());
      bytes += internal::EventSignedMessage(store_id_, e.seq, h).size() + h[0];
    }
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
