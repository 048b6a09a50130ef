// sspf-bench: the bare baselines (raw SQLCipher + libsodium on the store's
// own connection).
#ifndef SSPF_TOOLS_SSPF_BENCH_BARE_H_
#define SSPF_TOOLS_SSPF_BENCH_BARE_H_

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sspf/secret.h"
#include "sspf/store.h"
#include "log/audit_log.h"
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

// How much of the library's log append the bare side does for each event.
enum class LogWork {
  // The same work (DESIGN §11 as amended): the events row, its RFC 6962
  // leaf hash, an Ed25519 signature over the library's signed message in
  // bare_event_signatures, and the Merkle nodes the leaf completes (their
  // left siblings read back) in bare_tree_nodes.  An audited query also
  // reads each row's signature and hashes its leaf, as its output holds
  // both.
  kSigned,
  // The floor, the figure's second line: the events row alone.
  kRowOnly,
};

// The minimum an audited read needs, on the store's own connection: one
// SELECT of the entry row and its sealed key, the sealed-box open of the
// entry key, the XChaCha20-Poly1305 decrypt of the body and the log append
// of its event (LogWork) into bare_events, bare_event_signatures and
// bare_tree_nodes, tables shaped and indexed like the store's own (the
// indexes are copied from its schema), committed with the store's settings
// (WAL, synchronous=FULL) when durable.
class Bare {
 public:
  // On s's connection, as s's principal.  With reads_entries false (an
  // auditor's, for Query), without the actor key that Read needs.
  explicit Bare(Session& s, bool reads_entries = true);
  ~Bare();
  Bare(const Bare&) = delete;
  Bare& operator=(const Bare&) = delete;

  // The bare tables as large as the store's (a copy of their rows), so that
  // the bare inserts go into b-trees of the library's size, not into empty
  // ones.
  void FillEvents();
  // Removes the bare tables, so that the verify figures check the store
  // alone.
  void DropEvents();

  // The log work of the calls below (kSigned to begin with).
  void set_log_work(LogWork w) { work_ = w; }

  // One read: SELECT + unseal + decrypt (kSigned: and the entry's signed
  // entry.add event checked); returns the plaintext size.
  size_t Read(const std::string& entry_id);
  // One durable audited read: BEGIN IMMEDIATE, read, INSERT, COMMIT.
  void DurableRead(const std::string& entry_id, const std::string& case_id,
                   const std::string& subject_id);
  void Insert(const std::string& entry_id, const std::string& case_id,
              const std::string& subject_id);
  // The bare audited query of a case's events: the durable log append of
  // its own event (BEGIN IMMEDIATE ... COMMIT), then the indexed SELECT of
  // every column of every row of the case in events (kSigned: with its
  // signature, its leaf hashed, and the principals' names read once).
  size_t Query(const std::string& case_id);

  sqlite3* db() { return db_; }

 private:
  [[noreturn]] void Fail(const char* what);
  void InsertRow(Action action, const std::string& target, const std::string& case_id,
                 const std::string& subject_id);
  void SignAndTree(const internal::EventRecord& e);
  void CheckEntryEvent(const std::string& entry_id);
  void CreateEventsTable();

  Session& session_;
  const PrincipalInfo& me_;
  sqlite3* db_;
  LogWork work_ = LogWork::kSigned;
  std::optional<RawStmt> select_, insert_, query_, names_, insert_sig_,
      insert_node_, select_node_, tree_size_, entry_event_, event_signature_;
  std::map<std::string, internal::Bytes> signing_keys_;  // LoadSigningKeys
  std::map<uint64_t, internal::Hash> verified_;          // seq -> leaf hash
  int64_t key_version_ = 0;
  internal::Bytes actor_pk_;
  const SecretBytes* actor_sk_ = nullptr;
  internal::Bytes store_id_;
  std::vector<uint8_t> sign_pk_, sign_sk_;  // the bare side's own Ed25519 key
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
