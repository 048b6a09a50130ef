// sspf-bench: the bare baselines (raw SQLCipher + libsodium on the store's
// own connection).
#ifndef SSPF_TOOLS_SSPF_BENCH_BARE_H_
#define SSPF_TOOLS_SSPF_BENCH_BARE_H_

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sspf/secret.h"
#include "sspf/store.h"
#include "util/bytes.h"

namespace sspf::bench {

// A prepared statement; exits on a prepare error.
class RawStmt {
 public:
  RawStmt(sqlite3* db, const char* sql);
  ~RawStmt() { sqlite3_finalize(st_); }
  RawStmt(const RawStmt&) = delete;
  RawStmt& operator=(const RawStmt&) = delete;
  sqlite3_stmt* get() { return st_; }

 private:
  sqlite3_stmt* st_ = nullptr;
};

// Runs sql; exits on an error.
void RawExec(sqlite3* db, const char* sql);

// The minimum an audited read needs, on the store's own connection: one
// SELECT of the entry row and its sealed key, the sealed-box open of the
// entry key, the XChaCha20-Poly1305 decrypt of the body and (when durable)
// one INSERT of a log row into bare_events, a table shaped and indexed like
// `events` (its indexes are copied from the store's schema), committed with
// the store's settings (WAL, synchronous=FULL).
class Bare {
 public:
  explicit Bare(Session& s);

  // bare_events as large as events (a copy of its rows), so that the bare
  // inserts go into b-trees of the library's size, not into empty ones.
  void FillEvents();
  // Removes bare_events, so that the verify figures check the store alone.
  void DropEvents();

  // One read: SELECT + unseal + decrypt; returns the plaintext size.
  size_t Read(const std::string& entry_id);
  // One durable audited read: BEGIN IMMEDIATE, read, INSERT, COMMIT.
  void DurableRead(const std::string& entry_id, const std::string& case_id,
                   const std::string& subject_id);
  void Insert(const std::string& entry_id, const std::string& case_id,
              const std::string& subject_id);
  // The bare audited query of a case's events: the durable INSERT of its
  // own event into bare_events (BEGIN IMMEDIATE ... COMMIT), then the
  // indexed SELECT of every column of every row of the case in events.
  size_t Query(const std::string& case_id);

  sqlite3* db() { return db_; }

 private:
  [[noreturn]] void Fail(const char* what);
  void InsertRow(Action action, const std::string& target, const std::string& case_id,
                 const std::string& subject_id);
  void CreateEventsTable();

  Session& session_;
  const PrincipalInfo& me_;
  sqlite3* db_;
  std::optional<RawStmt> select_, insert_, query_;
  int64_t key_version_ = 0;
  internal::Bytes actor_pk_;
  const SecretBytes* actor_sk_ = nullptr;
  size_t sink_ = 0;  // keeps the column reads from being optimised away
};

// The bare side of the event_signature figures: n messages of the size the
// library signs per event (EventSignedMessage over the store id, a seq and a
// leaf hash), each signed with crypto_sign_detached, then all verified with
// crypto_sign_verify_detached, under one fresh key pair.  Only the libsodium
// calls are timed.
struct BareSignatures {
  size_t message_bytes = 0;
  int count = 0;
  double sign_s = 0, verify_s = 0;  // per signature
};
BareSignatures BareEd25519(const internal::Bytes& store_id, int n);

}  // namespace sspf::bench

#endif  // SSPF_TOOLS_SSPF_BENCH_BARE_H_
