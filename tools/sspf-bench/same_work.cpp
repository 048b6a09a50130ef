// sspf-bench: log_verify's same-work baseline (issue 15).  The work a
// verifier of this log cannot avoid, written directly against the store's
// own encrypted connection: read every event, its stored leaf hash and its
// signature in three sequential scans, re-encode and hash the leaf, compare
// it with the stored one, check the event's Ed25519 signature, fold the
// RFC 6962 root, and check every stored interior node against the level
// below.  What Session::Verify does beyond this (time order, the replay
// check, index digests, quick_check, checkpoints, certificates) is the
// library's overhead that the ratio measures.
#include <sodium.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bare.h"
#include "bench.h"
#include "keys/certificate.h"
#include "log/audit_log.h"
#include "log/merkle.h"
#include "session/bench_access.h"
#include "storage/db.h"

namespace sspf::bench {
namespace {

std::string Text(sqlite3_stmt* st, int col) {
  const unsigned char* p = sqlite3_column_text(st, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(st, col)))
           : std::string();
}

bool SameBlob(sqlite3_stmt* st, int col, const uint8_t* p, size_t n) {
  return static_cast<size_t>(sqlite3_column_bytes(st, col)) == n &&
         sodium_memcmp(sqlite3_column_blob(st, col), p, n) == 0;
}

Hash BlobHash(sqlite3_stmt* st, int col) {
  Hash h{};
  if (sqlite3_column_bytes(st, col) == 32) {
    std::memcpy(h.data(), sqlite3_column_blob(st, col), 32);
  }
  return h;
}

}  // namespace

void ReadEventColumns(sqlite3_stmt* r, int first, internal::EventRecord* e) {
  auto text = [r](int col, std::string* out) {
    const unsigned char* p = sqlite3_column_text(r, col);
    out->assign(p ? reinterpret_cast<const char*>(p) : "",
                static_cast<size_t>(sqlite3_column_bytes(r, col)));
  };
  e->seq = static_cast<uint64_t>(sqlite3_column_int64(r, first));
  e->time = sqlite3_column_int64(r, first + 1);
  text(first + 2, &e->principal_id);
  e->actor = static_cast<Actor>(sqlite3_column_int(r, first + 3));
  e->role = static_cast<Role>(sqlite3_column_int(r, first + 4));
  e->action = static_cast<Action>(sqlite3_column_int(r, first + 5));
  text(first + 6, &e->target);
  e->allowed = sqlite3_column_int(r, first + 7) != 0;
  text(first + 8, &e->reason);
  text(first + 9, &e->basis);
  text(first + 10, &e->purpose);
  text(first + 11, &e->case_id);
  text(first + 12, &e->subject_id);
  text(first + 13, &e->detail);
}

SigningKeys LoadSigningKeys(Session& s, sqlite3* db) {
  SigningKeys keys;
  const internal::Bytes& anchor = internal::bench::AnchorPublicKey(s);
  keys[internal::kAuthoritySigner] = anchor;
  RawStmt st(db, "SELECT body FROM certificates WHERE kind = 1 ORDER BY subject, version");
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st.get(), 0));
    internal::Bytes body(p, p + sqlite3_column_bytes(st.get(), 0));
    Result<internal::PrincipalCert> c = internal::DecodePrincipalCert(body);
    if (c.ok()) keys[c->principal_id] = c->sign_public_key;  // the latest version wins
  }
  return keys;
}

std::optional<BareVerify> BareVerifyLog(Session& s, sqlite3* db, const SigningKeys& keys) {
  const internal::Bytes& store_id = internal::bench::StoreIdBytes(s);
  // The page cache Verify scans with (storage/db.h), put back at the end.
  const std::string scan_cache = "PRAGMA cache_size = -" + std::to_string(internal::kScanCacheKiB);
  const std::string op_cache =
      "PRAGMA cache_size = -" + std::to_string(internal::kOperationCacheKiB);
  RawExec(db, scan_cache.c_str());
  struct PutBack {
    sqlite3* db;
    const std::string& sql;
    ~PutBack() { RawExec(db, sql.c_str()); }
  } put_back{db, op_cache};
  BareVerify out;
  RawStmt ev(db,
             "SELECT seq, time, principal_id, actor, role, action, target, allowed, reason, "
             "basis, purpose, case_id, subject_id, detail FROM events ORDER BY seq");
  RawStmt sigs(db, "SELECT seq, signer, signature FROM event_signatures ORDER BY seq");
  RawStmt stored(db, "SELECT idx, hash FROM tree_nodes WHERE level = 0 ORDER BY idx");
  internal::EventRecord e;
  internal::Bytes leaf;
  internal::StreamingRoot root;
  auto fail = [](const char* what, uint64_t seq) {
    std::fprintf(stderr, "sspf-bench: same-work verify: %s at event %llu\n", what,
                 static_cast<unsigned long long>(seq));
    return std::nullopt;
  };
  while (sqlite3_step(ev.get()) == SQLITE_ROW) {
    ReadEventColumns(ev.get(), 0, &e);
    if (e.seq != out.events) return fail("gap in sequence", out.events);
    internal::EncodeLeaf(e, &leaf);
    const Hash h = internal::LeafHash(leaf.data(), leaf.size());
    if (sqlite3_step(stored.get()) != SQLITE_ROW ||
        static_cast<uint64_t>(sqlite3_column_int64(stored.get(), 0)) != e.seq ||
        !SameBlob(stored.get(), 1, h.data(), h.size())) {
      return fail("stored leaf hash differs", e.seq);
    }
    if (sqlite3_step(sigs.get()) != SQLITE_ROW ||
        static_cast<uint64_t>(sqlite3_column_int64(sigs.get(), 0)) != e.seq ||
        sqlite3_column_bytes(sigs.get(), 2) != crypto_sign_BYTES) {
      return fail("no signature", e.seq);
    }
    auto key = keys.find(Text(sigs.get(), 1));
    const internal::Bytes msg = internal::EventSignedMessage(store_id, e.seq, h);
    if (key == keys.end() || key->second.size() != crypto_sign_PUBLICKEYBYTES ||
        crypto_sign_verify_detached(
            static_cast<const unsigned char*>(sqlite3_column_blob(sigs.get(), 2)), msg.data(),
            msg.size(), key->second.data()) != 0) {
      return fail("bad signature", e.seq);
    }
    root.Append(h);
    ++out.events;
  }
  // Every stored interior node against the level below, level by level.
  for (int level = 1; (out.events >> level) > 0; ++level) {
    RawStmt lower(db, "SELECT hash FROM tree_nodes WHERE level = ? ORDER BY idx");
    RawStmt upper(db, "SELECT hash FROM tree_nodes WHERE level = ? ORDER BY idx");
    sqlite3_bind_int(lower.get(), 1, level - 1);
    sqlite3_bind_int(upper.get(), 1, level);
    const uint64_t count = out.events >> level;
    for (uint64_t i = 0; i < count; ++i) {
      if (sqlite3_step(lower.get()) != SQLITE_ROW) return fail("missing node", i);
      const Hash left = BlobHash(lower.get(), 0);
      if (sqlite3_step(lower.get()) != SQLITE_ROW) return fail("missing node", i);
      const Hash right = BlobHash(lower.get(), 0);
      const Hash node = internal::NodeHash(left, right);
      if (sqlite3_step(upper.get()) != SQLITE_ROW ||
          !SameBlob(upper.get(), 0, node.data(), node.size())) {
        return fail("stored interior node differs", i);
      }
      ++out.nodes;
    }
  }
  out.root = root.Root();
  return out;
}

InMemoryLog CollectSignedLeaves(Session& s, sqlite3* db, const SigningKeys& keys) {
  InMemoryLog m;
  m.leaves = CollectLeaves(s);
  m.store_id = internal::bench::StoreIdBytes(s);
  RawStmt sigs(db, "SELECT signer, signature FROM event_signatures ORDER BY seq");
  while (sqlite3_step(sigs.get()) == SQLITE_ROW) {
    auto key = keys.find(Text(sigs.get(), 0));
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(sigs.get(), 1));
    m.signatures.emplace_back(p, p + sqlite3_column_bytes(sigs.get(), 1));
    m.public_keys.push_back(key == keys.end() ? nullptr : &key->second);
  }
  return m;
}

std::optional<Hash> InMemoryVerify(const InMemoryLog& m) {
  const Leaves& l = m.leaves;
  if (m.signatures.size() != l.count()) return std::nullopt;
  internal::StreamingRoot root;
  for (size_t i = 0; i < l.count(); ++i) {
    const Hash h = internal::LeafHash(l.bytes.data() + l.offsets[i], l.offsets[i + 1] - l.offsets[i]);
    const internal::Bytes msg = internal::EventSignedMessage(m.store_id, i, h);
    const internal::Bytes* pk = m.public_keys[i];
    if (pk == nullptr || pk->size() != crypto_sign_PUBLICKEYBYTES ||
        m.signatures[i].size() != crypto_sign_BYTES ||
        crypto_sign_verify_detached(m.signatures[i].data(), msg.data(), msg.size(),
                                    pk->data()) != 0) {
      return std::nullopt;
    }
    root.Append(h);
  }
  return root.Root();
}

}  // namespace sspf::bench
