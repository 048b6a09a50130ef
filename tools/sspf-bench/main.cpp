// sspf-bench: the performance figures of DESIGN §11, each measured beside a
// bare baseline in the same run on the same machine.
//
//   sspf-bench [--quick] [--json] [--dir DIR] [--keep]
//
// The libsspf side goes through the public Session API.  The bare baselines
// are written directly against SQLCipher + libsodium on the same connection
// (white box: the store's own handle and the principal's actor key), so the
// two sides read the same pages with the same cipher settings.  Nothing is
// hard-coded: every number printed is measured in this run.
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#ifdef SSPF_BENCH_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

#include "log/audit_log.h"
#include "crypto/crypto.h"
#include "storage/db.h"
#include "log/merkle.h"
#include "context/session_impl.h"
#include "sspf/pnr.h"
#include "sspf/store.h"

namespace sspf::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

bool g_tty = false;

void Progress(const char* fmt, ...) {
  if (!g_tty) return;
  va_list ap;
  va_start(ap, fmt);
  std::fputs("\r\033[K", stderr);
  std::vfprintf(stderr, fmt, ap);
  va_end(ap);
  std::fflush(stderr);
}
void ProgressDone() {
  if (g_tty) std::fputs("\r\033[K", stderr);
}

[[noreturn]] void Die(const std::string& what, const Status& s) {
  ProgressDone();
  std::fprintf(stderr, "sspf-bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}
template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}
void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what, s);
}

struct Sizes {
  bool quick = false;
  uint64_t small_cases = 0, small_events = 0;  // growth: the small store
  uint64_t big_cases = 0, big_events = 0;      // everything else
  int durable_reads = 0;                       // audited_read, per side
  int batched_reads = 0;                       // batched_read, per side
  int queries = 0;                             // audit_query, per side
};

Sizes SizesFor(bool quick) {
  Sizes s;
  s.quick = quick;
  if (quick) {
    s.small_cases = 100;
    s.small_events = 1000;
    s.big_cases = 2000;
    s.big_events = 100000;
    s.durable_reads = 150;
    s.batched_reads = 3000;
    s.queries = 30;
  } else {
    s.small_cases = 1000;
    s.small_events = 1000;  // at least: the cases' own events come first
    s.big_cases = 20000;
    s.big_events = 1000000;
    s.durable_reads = 600;
    s.batched_reads = 20000;
    s.queries = 100;
  }
  return s;
}

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  double baseline = 0;
  double ratio = 0;
  std::string goal;  // e.g. ">= 0.7"
  bool met = false;
  std::string note;
};

std::string Fmt(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return buf;
}

SecretBytes FixedKey(uint8_t tag) {
  std::vector<uint8_t> k(32, tag);
  return Must(SecretBytes::Copy(k.data(), k.size()), "key");
}

// ---- A populated store ------------------------------------------------------

struct World {
  std::string dir;
  StoreOptions options;
  std::optional<Session> admin, coord, school, auditor;
  std::vector<std::string> case_ids, subject_ids, entry_ids;

  Session Open(const char* name, uint8_t key_tag) {
    return Must(Store::Open(options, name, Credential::Key(FixedKey(key_tag))),
                std::string("open as ") + name);
  }
};

constexpr uint8_t kAdminKey = 1, kCoordKey = 2, kSchoolKey = 3, kAuditorKey = 4;

uint64_t LogSizeOf(Session& s) {
  return Must(internal::LogSize(internal::SessionAccess::Get(s)->db.get()), "log size");
}

// Builds a store with `cases` subjects/cases (one 1 KiB school entry each)
// and then fills the log up to `events` events through the internal append
// path (Session::Impl::Log, the same code every operation uses, including
// the automatic checkpoints), inside big transactions.
void Build(World* w, const std::string& dir, uint64_t cases, uint64_t events,
           const char* label) {
  w->dir = dir;
  std::filesystem::create_directories(dir);
  w->options.path = dir + "/store.db";
  w->options.passphrase_cost = PassphraseCost::Interactive();
  Must(Store::Create(w->options, "admin", Credential::Key(FixedKey(kAdminKey))).status(),
       "create store");
  w->admin.emplace(w->Open("admin", kAdminKey));
  Must(w->admin->AddPrincipal("coord", Actor::kCoordination, Role::kCoordinator,
                              Credential::Key(FixedKey(kCoordKey))).status(), "add coord");
  Must(w->admin->AddPrincipal("school1", Actor::kSchool, Role::kMember,
                              Credential::Key(FixedKey(kSchoolKey))).status(), "add school1");
  Must(w->admin->AddPrincipal("auditor", Actor::kCoordination, Role::kAuditor,
                              Credential::Key(FixedKey(kAuditorKey))).status(), "add auditor");
  w->coord.emplace(w->Open("coord", kCoordKey));
  w->school.emplace(w->Open("school1", kSchoolKey));
  w->auditor.emplace(w->Open("auditor", kAuditorKey));

  const std::string body(1024, 'x');
  constexpr uint64_t kChunk = 500;
  for (uint64_t i = 0; i < cases; i += kChunk) {
    Must(w->coord->BeginBatch(), "begin batch");
    std::vector<std::string> chunk_cases;
    for (uint64_t j = i; j < std::min(cases, i + kChunk); ++j) {
      // Unique numbers: 1800 birth dates x 999 serials.
      const int day = static_cast<int>(j % 1800);
      const int serial = static_cast<int>(j / 1800) + 1;
      Date birth = DateOf(static_cast<UnixSeconds>(1262304000) + day * int64_t{86400});
      Session::NewSubject ns;
      ns.personal_number = MakeTestPersonalNumber(birth, serial, false);
      ns.name = "Bench Subject";
      SubjectInfo sub = Must(w->coord->AddSubject(ns), "add subject");
      std::string case_id = Must(w->coord->OpenCase(sub.id, {"school1"}), "open case");
      w->subject_ids.push_back(sub.id);
      w->case_ids.push_back(case_id);
      chunk_cases.push_back(case_id);
    }
    Must(w->coord->CommitBatch(), "commit batch");
    Must(w->school->BeginBatch(), "begin batch");
    for (const std::string& c : chunk_cases) {
      w->entry_ids.push_back(
          Must(w->school->AddEntry(c, Category::kSchool, body), "add entry"));
    }
    Must(w->school->CommitBatch(), "commit batch");
    Progress("%s: %" PRIu64 "/%" PRIu64 " cases", label, std::min(cases, i + kChunk), cases);
  }

  // Fill the log with realistic read events spread over the cases.
  Session::Impl* impl = internal::SessionAccess::Get(*w->school);
  uint64_t have = LogSizeOf(*w->school);
  std::mt19937_64 rng(7);
  constexpr uint64_t kTxn = 20000;
  while (have < events) {
    Must(w->school->BeginBatch(), "begin batch");
    const uint64_t stop = std::min(events, have + kTxn);
    for (; have < stop; ++have) {
      const size_t k = static_cast<size_t>(rng() % w->case_ids.size());
      Session::Impl::EventArgs e;
      e.action = Action::kEntryRead;
      e.target = "entry:" + w->entry_ids[k];
      e.allowed = true;
      e.reason = "author actor";
      e.basis = "author-actor";
      e.purpose = "bench";
      e.case_id = w->case_ids[k];
      e.subject_id = w->subject_ids[k];
      Must(impl->Log(e), "append event");
    }
    Must(w->school->CommitBatch(), "commit batch");
    Progress("%s: %" PRIu64 "/%" PRIu64 " events", label, have, events);
  }
  ProgressDone();
}

// ---- The bare baselines (raw SQLCipher + libsodium) ---------------------------

class RawStmt {
 public:
  RawStmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "sspf-bench: prepare failed: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
  }
  ~RawStmt() { sqlite3_finalize(st_); }
  sqlite3_stmt* get() { return st_; }

 private:
  sqlite3_stmt* st_ = nullptr;
};

void RawExec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sspf-bench: %s: %s\n", sql, err ? err : "?");
    std::exit(1);
  }
}

// The minimum an audited read needs, on the store's own connection: one
// SELECT of the entry row and its sealed key, the sealed-box open of the
// entry key, the XChaCha20-Poly1305 decrypt of the body and (when durable)
// one INSERT of a log row into a table shaped and indexed like `events`,
// committed with the store's settings (WAL, synchronous=FULL).
class Bare {
 public:
  explicit Bare(Session& s) : impl_(internal::SessionAccess::Get(s)), db_(impl_->db->raw()) {
    RawExec(db_,
            "CREATE TABLE IF NOT EXISTS bare_events(seq INTEGER PRIMARY KEY, time INTEGER "
            "NOT NULL, principal_id TEXT NOT NULL, actor INTEGER NOT NULL, role INTEGER NOT "
            "NULL, action INTEGER NOT NULL, target TEXT NOT NULL, allowed INTEGER NOT NULL, "
            "reason TEXT NOT NULL, basis TEXT NOT NULL, purpose TEXT NOT NULL, case_id TEXT "
            "NOT NULL, subject_id TEXT NOT NULL, detail TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS bare_events_case ON bare_events(case_id, seq);"
            "CREATE INDEX IF NOT EXISTS bare_events_subject ON bare_events(subject_id, seq);"
            "CREATE INDEX IF NOT EXISTS bare_events_principal ON bare_events(principal_id, seq);"
            "CREATE INDEX IF NOT EXISTS bare_events_time ON bare_events(time);");
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
    sqlite3_bind_int64(pk.get(), 1, static_cast<int64_t>(impl_->me.actor));
    if (sqlite3_step(pk.get()) != SQLITE_ROW) {
      std::fprintf(stderr, "sspf-bench: no actor key\n");
      std::exit(1);
    }
    key_version_ = sqlite3_column_int64(pk.get(), 0);
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(pk.get(), 1));
    actor_pk_.assign(p, p + sqlite3_column_bytes(pk.get(), 1));
    actor_sk_ = Must(impl_->ActorKey(impl_->me.actor, key_version_), "actor key");
  }

  // One read: SELECT + unseal + decrypt; returns the plaintext size.
  size_t Read(const std::string& entry_id) {
    sqlite3_stmt* st = select_->get();
    sqlite3_bind_int64(st, 1, static_cast<int64_t>(impl_->me.actor));
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
                             .Add(impl_->store_id_bytes)
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

  // One durable audited read: BEGIN IMMEDIATE, read, INSERT, COMMIT.
  void DurableRead(const std::string& entry_id, const std::string& case_id,
                   const std::string& subject_id) {
    RawExec(db_, "BEGIN IMMEDIATE");
    Read(entry_id);
    Insert(entry_id, case_id, subject_id);
    RawExec(db_, "COMMIT");
  }

  void Insert(const std::string& entry_id, const std::string& case_id,
              const std::string& subject_id) {
    sqlite3_stmt* in = insert_->get();
    const std::string target = "entry:" + entry_id;
    sqlite3_bind_int64(in, 1, static_cast<int64_t>(::time(nullptr)));
    sqlite3_bind_text(in, 2, impl_->me.id.data(), static_cast<int>(impl_->me.id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(in, 3, static_cast<int64_t>(impl_->me.actor));
    sqlite3_bind_int64(in, 4, static_cast<int64_t>(impl_->me.role));
    sqlite3_bind_int64(in, 5, static_cast<int64_t>(Action::kEntryRead));
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

  // The bare indexed SELECT of a case's events: every column of every row.
  size_t Query(const std::string& case_id) {
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

  sqlite3* db() { return db_; }

 private:
  [[noreturn]] void Fail(const char* what) {
    std::fprintf(stderr, "sspf-bench: %s failed: %s\n", what, sqlite3_errmsg(db_));
    std::exit(1);
  }

  Session::Impl* impl_;
  sqlite3* db_;
  std::optional<RawStmt> select_, insert_, query_;
  int64_t key_version_ = 0;
  internal::Bytes actor_pk_;
  const SecretBytes* actor_sk_ = nullptr;
  size_t sink_ = 0;  // keeps the column reads from being optimised away
};

// ---- SHA-256 over the leaves ---------------------------------------------------

struct Leaves {
  std::vector<uint8_t> bytes;     // all leaves, back to back
  std::vector<uint64_t> offsets;  // n + 1
  size_t count() const { return offsets.empty() ? 0 : offsets.size() - 1; }
};

Leaves CollectLeaves(Session& s) {
  Leaves l;
  l.offsets.push_back(0);
  Must(internal::ForEachEvent(internal::SessionAccess::Get(s)->db.get(), 0,
                              [&](const internal::EventRecord& e) {
                                internal::Bytes b = internal::EncodeLeaf(e);
                                l.bytes.insert(l.bytes.end(), b.begin(), b.end());
                                l.offsets.push_back(l.bytes.size());
                                return Status::Ok();
                              }),
       "collect leaves");
  return l;
}

using Hash = internal::Hash;

Hash SodiumLeaf(const uint8_t* p, size_t n) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const uint8_t zero = 0;
  crypto_hash_sha256_update(&st, &zero, 1);
  crypto_hash_sha256_update(&st, p, n);
  Hash h;
  crypto_hash_sha256_final(&st, h.data());
  return h;
}
Hash SodiumNode(const Hash& l, const Hash& r) {
  uint8_t buf[65];
  buf[0] = 1;
  std::memcpy(buf + 1, l.data(), 32);
  std::memcpy(buf + 33, r.data(), 32);
  Hash h;
  crypto_hash_sha256(h.data(), buf, sizeof(buf));
  return h;
}
#ifdef SSPF_BENCH_HAVE_OPENSSL
// EVP with one reused context and an explicitly fetched digest, as a
// verifier on OpenSSL 3 would write it (the low-level SHA256_* calls are
// deprecated); SHA-NI is used when the CPU has it.
struct Evp {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ~Evp() {
    EVP_MD_free(md);
    EVP_MD_CTX_free(ctx);
  }
};
Evp& TheEvp() {
  static Evp e;
  return e;
}
Hash OpensslLeaf(const uint8_t* p, size_t n) {
  Evp& e = TheEvp();
  const uint8_t zero = 0;
  Hash h;
  EVP_DigestInit_ex(e.ctx, e.md, nullptr);
  EVP_DigestUpdate(e.ctx, &zero, 1);
  EVP_DigestUpdate(e.ctx, p, n);
  EVP_DigestFinal_ex(e.ctx, h.data(), nullptr);
  return h;
}
Hash OpensslNode(const Hash& l, const Hash& r) {
  Evp& e = TheEvp();
  uint8_t buf[65];
  buf[0] = 1;
  std::memcpy(buf + 1, l.data(), 32);
  std::memcpy(buf + 33, r.data(), 32);
  Hash h;
  EVP_DigestInit_ex(e.ctx, e.md, nullptr);
  EVP_DigestUpdate(e.ctx, buf, sizeof(buf));
  EVP_DigestFinal_ex(e.ctx, h.data(), nullptr);
  return h;
}
#endif

// RFC 6962 root over the leaves with a given SHA-256: n leaf hashes and
// n - 1 node hashes, O(log n) memory.  The least a verifier must compute.
template <typename LeafFn, typename NodeFn>
Hash RawRoot(const Leaves& l, LeafFn leaf, NodeFn node) {
  std::vector<std::pair<uint64_t, Hash>> stack;  // (width, hash)
  for (size_t i = 0; i < l.count(); ++i) {
    Hash h = leaf(l.bytes.data() + l.offsets[i], l.offsets[i + 1] - l.offsets[i]);
    uint64_t width = 1;
    while (!stack.empty() && stack.back().first == width) {
      h = node(stack.back().second, h);
      stack.pop_back();
      width *= 2;
    }
    stack.emplace_back(width, h);
  }
  if (stack.empty()) return internal::EmptyRoot();
  Hash acc = stack.back().second;
  for (size_t i = stack.size() - 1; i-- > 0;) acc = node(stack[i].second, acc);
  return acc;
}

// ---- Peak RSS of Verify in a child process ------------------------------------

long ReadStatusKib(const char* field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(field);
  while (std::getline(f, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::strtol(line.c_str() + n + 1, nullptr, 10);
    }
  }
  return -1;
}

// Child mode: opens the store as the auditor (raw key: no Argon2id memory),
// resets the peak-RSS counter, verifies, prints "<hwm_kib> <rss_before_kib>
// <tree_size>".
int VerifyChild(const std::string& path) {
  StoreOptions o;
  o.path = path;
  Session s = Must(Store::Open(o, "auditor", Credential::Key(FixedKey(kAuditorKey))),
                   "open as auditor");
  const long before = ReadStatusKib("VmRSS");
  {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";  // resets VmHWM to the current RSS
  }
  VerifyReport r = Must(s.Verify(VerifyOptions()), "verify");
  std::printf("%ld %ld %" PRIu64 "\n", ReadStatusKib("VmHWM"), before, r.tree_size);
  return 0;
}

struct RssResult {
  double hwm_mib = 0, before_mib = 0, child_maxrss_mib = 0;
};

RssResult MeasureVerifyRss(const std::string& path) {
  int fds[2];
  if (::pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl("/proc/self/exe", "sspf-bench", "--verify-child", path.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "sspf-bench: verify child failed\n");
    std::exit(1);
  }
  long hwm = 0, before = 0;
  std::sscanf(out.c_str(), "%ld %ld", &hwm, &before);
  struct rusage ru;
  ::getrusage(RUSAGE_CHILDREN, &ru);
  RssResult r;
  r.hwm_mib = hwm / 1024.0;
  r.before_mib = before / 1024.0;
  r.child_maxrss_mib = ru.ru_maxrss / 1024.0;
  return r;
}

// ---- Output --------------------------------------------------------------------

std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          o += Fmt("\\u%04x", c);
        } else {
          o += c;
        }
    }
  }
  return o;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::vector<std::pair<std::string, std::string>> Machine(const std::string& dir,
                                                          sqlite3* db) {
  std::vector<std::pair<std::string, std::string>> m;
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model;
  bool sha_ni = false;
  while (std::getline(cpu, line)) {
    if (model.empty() && line.rfind("model name", 0) == 0) model = Trim(line.substr(line.find(':') + 1));
    if (line.rfind("flags", 0) == 0 && line.find(" sha_ni") != std::string::npos) sha_ni = true;
  }
  m.push_back({"cpu", model});
  m.push_back({"cpus", std::to_string(::sysconf(_SC_NPROCESSORS_ONLN))});
  m.push_back({"sha_ni", sha_ni ? "yes" : "no"});
  std::ifstream mem("/proc/meminfo");
  while (std::getline(mem, line)) {
    if (line.rfind("MemTotal", 0) == 0) {
      m.push_back({"ram_mib", std::to_string(std::strtol(line.c_str() + 9, nullptr, 10) / 1024)});
      break;
    }
  }
  struct statfs sf;
  if (::statfs(dir.c_str(), &sf) == 0) {
    const char* fs = sf.f_type == 0xEF53 ? "ext4" : sf.f_type == 0x01021994 ? "tmpfs"
                   : sf.f_type == 0x9123683E ? "btrfs" : sf.f_type == 0x58465342 ? "xfs"
                   : sf.f_type == 0x794c7630 ? "overlayfs" : "other";
    m.push_back({"store_fs", fs});
  }
  m.push_back({"store_dir", dir});
  std::string cipher;
  {
    RawStmt st(db, "PRAGMA cipher_version");
    if (sqlite3_step(st.get()) == SQLITE_ROW) {
      cipher = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
    }
  }
  m.push_back({"sqlcipher", cipher});
  m.push_back({"sqlite", sqlite3_libversion()});
  m.push_back({"libsodium", sodium_version_string()});
#ifdef SSPF_BENCH_HAVE_OPENSSL
  m.push_back({"openssl", OPENSSL_VERSION_TEXT});
#endif
  return m;
}

// ---- The figures ------------------------------------------------------------

struct Timing {
  double sspf_s = 0, bare_s = 0;
};

int Main(int argc, char** argv) {
  bool quick = false, json = false, keep = false;
  std::string base;
  std::string command = "sspf-bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verify-child" && i + 1 < argc) return VerifyChild(argv[i + 1]);
    command += " " + a;
    if (a == "--quick") {
      quick = true;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--dir" && i + 1 < argc) {
      base = argv[++i];
      command += std::string(" ") + argv[i];
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: sspf-bench [--quick] [--json] [--dir DIR] [--keep]\n"
                  "  --quick  small sizes (10^3..10^5 events), under 2 minutes on 2 cores\n"
                  "  --json   one JSON document on stdout\n"
                  "  --dir    where the throwaway stores go (default $TMPDIR or /tmp)\n"
                  "  --keep   keep the stores\n");
      return 0;
    } else {
      std::fprintf(stderr, "sspf-bench: unknown argument %s (try --help)\n", a.c_str());
      return 2;
    }
  }
  g_tty = ::isatty(2) != 0;
  if (sodium_init() < 0) return 1;
  const Sizes sz = SizesFor(quick);
  if (base.empty()) {
    const char* t = std::getenv("TMPDIR");
    base = t && *t ? t : "/tmp";
  }
  char tmpl[4096];
  std::snprintf(tmpl, sizeof(tmpl), "%s/sspf-bench-XXXXXX", base.c_str());
  if (!::mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string dir = tmpl;
  const std::string mode = quick ? "quick" : "full";
  const auto t_start = Clock::now();
  std::vector<Figure> figs;

  World small, big;
  Build(&small, dir + "/small", sz.small_cases, sz.small_events, "small store");
  Build(&big, dir + "/big", sz.big_cases, sz.big_events, "big store");
  const uint64_t small_n = LogSizeOf(*small.school);
  const uint64_t big_n = LogSizeOf(*big.school);
  const double build_s = Seconds(t_start, Clock::now());
  const std::string big_desc =
      Fmt("%" PRIu64 " events, %zu cases/entries", big_n, big.case_ids.size());

  Bare bare(*big.school);
  std::mt19937_64 rng(42);
  auto pick = [&](const World& w) { return static_cast<size_t>(rng() % w.entry_ids.size()); };

  // (1) audited_read: durable, one transaction per read.  Interleaved in
  // rounds so that both sides see the same disk weather.
  {
    Timing t;
    const int kRound = 25;
    for (int done = 0; done < sz.durable_reads; done += kRound) {
      auto a = Clock::now();
      for (int i = 0; i < kRound; ++i) {
        size_t k = pick(big);
        Must(big.school->ReadEntry(big.entry_ids[k], "bench").status(), "read entry");
      }
      auto b = Clock::now();
      for (int i = 0; i < kRound; ++i) {
        size_t k = pick(big);
        bare.DurableRead(big.entry_ids[k], big.case_ids[k], big.subject_ids[k]);
      }
      auto c = Clock::now();
      t.sspf_s += Seconds(a, b);
      t.bare_s += Seconds(b, c);
      Progress("audited_read: %d/%d", done + kRound, sz.durable_reads);
    }
    ProgressDone();
    const double n = std::ceil(sz.durable_reads / double(kRound)) * kRound;
    Figure f;
    f.name = "audited_read";
    f.unit = "reads/s";
    f.value = n / t.sspf_s;
    f.baseline = n / t.bare_s;
    f.ratio = f.value / f.baseline;
    f.goal = ">= 0.7";
    f.met = f.ratio >= 0.7;
    f.note = Fmt("%.0f ReadEntry calls, each its own transaction with a durable commit "
                 "(WAL, synchronous=FULL), vs bare SELECT+unseal+decrypt+INSERT+COMMIT on "
                 "the same connection; store of %s; %.2f ms vs %.2f ms per read",
                 n, big_desc.c_str(), 1e3 * t.sspf_s / n, 1e3 * t.bare_s / n);
    figs.push_back(f);
  }

  // (2) batched_read and (5) growth: many reads in one batch.
  auto batched = [&](World& w, Bare* b, int reads, double* bare_s) {
    std::vector<size_t> ks(static_cast<size_t>(reads));
    for (auto& k : ks) k = pick(w);
    auto a = Clock::now();
    Must(w.school->BeginBatch(), "begin batch");
    for (size_t k : ks) {
      Must(w.school->ReadEntry(w.entry_ids[k], "bench").status(), "read entry");
    }
    Must(w.school->CommitBatch(), "commit batch");
    auto m = Clock::now();
    if (b) {
      RawExec(b->db(), "BEGIN");
      for (size_t k : ks) b->Read(w.entry_ids[k]);
      RawExec(b->db(), "COMMIT");
      *bare_s = Seconds(m, Clock::now());
    }
    return Seconds(a, m);
  };
  {
    Progress("batched_read");
    double bare_s = 0;
    batched(big, &bare, sz.batched_reads / 10, &bare_s);  // warm the caches
    double sspf_s = batched(big, &bare, sz.batched_reads, &bare_s);
    ProgressDone();
    Figure f;
    f.name = "batched_read";
    f.unit = "reads/s";
    f.value = sz.batched_reads / sspf_s;
    f.baseline = sz.batched_reads / bare_s;
    f.ratio = f.value / f.baseline;
    f.goal = ">= 0.5";
    f.met = f.ratio >= 0.5;
    f.note = Fmt("%d ReadEntry calls in one BeginBatch/CommitBatch (decision, unseal, "
                 "decrypt, log append) vs bare point SELECT+unseal+decrypt in one read "
                 "transaction; store of %s; %.1f us vs %.1f us per read",
                 sz.batched_reads, big_desc.c_str(), 1e6 * sspf_s / sz.batched_reads,
                 1e6 * bare_s / sz.batched_reads);
    figs.push_back(f);
  }

  // (3) audit_query: by case, latency.
  {
    std::vector<size_t> ks(static_cast<size_t>(sz.queries));
    for (auto& k : ks) k = static_cast<size_t>(rng() % big.case_ids.size());
    double sspf_s = 0, bare_s = 0;
    size_t rows = 0;
    for (size_t k : ks) {
      AuditFilter flt;
      flt.case_id = big.case_ids[k];
      auto a = Clock::now();
      std::vector<AuditEvent> ev = Must(big.auditor->QueryEvents(flt), "query events");
      auto b = Clock::now();
      size_t n = bare.Query(big.case_ids[k]);
      auto c = Clock::now();
      sspf_s += Seconds(a, b);
      bare_s += Seconds(b, c);
      rows += n;
      if (ev.size() != n) {
        std::fprintf(stderr, "sspf-bench: QueryEvents returned %zu rows, bare %zu\n",
                     ev.size(), n);
        return 1;
      }
      Progress("audit_query: %zu rows", rows);
    }
    ProgressDone();
    Figure f;
    f.name = "audit_query";
    f.unit = "ms";
    f.value = 1e3 * sspf_s / sz.queries;
    f.baseline = 1e3 * bare_s / sz.queries;
    f.ratio = f.value / f.baseline;
    f.goal = "<= 2";
    f.met = f.ratio <= 2;
    f.note = Fmt("QueryEvents(case) on %s, %d random cases, %.1f rows per query; includes "
                 "the durable log append of the query itself (audit gate) vs a bare indexed "
                 "SELECT of all columns",
                 big_desc.c_str(), sz.queries, double(rows) / sz.queries);
    figs.push_back(f);
  }

  // (5) growth: per-operation cost of an audited read (batched: CPU and
  // page-cache cost without the fsync, which is size-independent) and of a
  // durable one, small store vs big store.
  {
    Progress("growth");
    const int reads = sz.batched_reads / 2;
    double dummy = 0;
    batched(small, nullptr, reads / 10, &dummy);
    double s_small = 0, s_big = 0;
    for (int rep = 0; rep < 3; ++rep) {  // alternate to share the weather
      s_small += batched(small, nullptr, reads, &dummy);
      s_big += batched(big, nullptr, reads, &dummy);
    }
    double d_small = 0, d_big = 0;
    const int durable = std::max(20, sz.durable_reads / 5);
    for (int i = 0; i < durable; ++i) {
      auto a = Clock::now();
      Must(small.school->ReadEntry(small.entry_ids[pick(small)], "bench").status(), "read");
      auto b = Clock::now();
      Must(big.school->ReadEntry(big.entry_ids[pick(big)], "bench").status(), "read");
      auto c = Clock::now();
      d_small += Seconds(a, b);
      d_big += Seconds(b, c);
    }
    ProgressDone();
    Figure f;
    f.name = "growth";
    f.unit = "us/read";
    f.value = 1e6 * s_big / (3.0 * reads);
    f.baseline = 1e6 * s_small / (3.0 * reads);
    f.ratio = f.value / f.baseline;
    f.goal = "<= 1.5";
    f.met = f.ratio <= 1.5;
    f.note = Fmt("audited ReadEntry (batched, so without the constant fsync) at %s vs "
                 "%" PRIu64 " events, %zu cases; durable reads: %.2f ms vs %.2f ms "
                 "(ratio %.2f)",
                 big_desc.c_str(), small_n, small.case_ids.size(), 1e3 * d_big / durable,
                 1e3 * d_small / durable, d_big / d_small);
    figs.push_back(f);
  }

  // (4) log_verify vs raw SHA-256 over the same leaves.
  {
    Progress("log_verify: collecting leaves");
    Leaves leaves = CollectLeaves(*big.auditor);
    const size_t n_leaves = leaves.count();
    Progress("log_verify: libsodium SHA-256");
    auto a = Clock::now();
    Hash r1 = RawRoot(leaves, SodiumLeaf, SodiumNode);
    auto b = Clock::now();
    const double sodium_s = Seconds(a, b);
    double openssl_s = 0;
#ifdef SSPF_BENCH_HAVE_OPENSSL
    Progress("log_verify: OpenSSL SHA-256");
    b = Clock::now();
    Hash r2 = RawRoot(leaves, OpensslLeaf, OpensslNode);
    openssl_s = Seconds(b, Clock::now());
    if (r1 != r2) {
      std::fprintf(stderr, "sspf-bench: OpenSSL and libsodium roots differ\n");
      return 1;
    }
#endif
    const double leaf_mib = leaves.bytes.size() / 1048576.0;
    leaves = Leaves();
    // What reading the log alone costs: a bare scan of every events row and
    // every tree node through SQLCipher (page decrypt + row decode).
    Progress("log_verify: bare scan");
    auto sa = Clock::now();
    size_t scan_bytes = 0;
    for (const char* sql : {"SELECT seq, time, principal_id, actor, role, action, target, "
                            "allowed, reason, basis, purpose, case_id, subject_id, detail "
                            "FROM events ORDER BY seq",
                            "SELECT level, idx, hash FROM tree_nodes"}) {
      RawStmt st(bare.db(), sql);
      while (sqlite3_step(st.get()) == SQLITE_ROW) {
        const int cols = sqlite3_column_count(st.get());
        for (int col = 0; col < cols; ++col) {
          scan_bytes += static_cast<size_t>(sqlite3_column_bytes(st.get(), col));
        }
      }
    }
    const double scan_s = Seconds(sa, Clock::now());
    Progress("log_verify: Session::Verify");
    auto c = Clock::now();
    VerifyReport rep = Must(big.auditor->Verify(VerifyOptions()), "verify");
    const double verify_s = Seconds(c, Clock::now());
    ProgressDone();
    // Verify logs itself first, so its tree is one event larger.
    if (rep.root.size() != 32 ||
        (rep.tree_size == n_leaves &&
         !std::equal(rep.root.begin(), rep.root.end(), r1.begin()))) {
      std::fprintf(stderr, "sspf-bench: Verify's root differs from the raw root\n");
      return 1;
    }
    const double best = openssl_s > 0 ? std::min(sodium_s, openssl_s) : sodium_s;
    Figure f;
    f.name = "log_verify";
    f.unit = "events/s";
    f.value = rep.tree_size / verify_s;
    f.baseline = n_leaves / best;
    f.ratio = f.value / f.baseline;
    f.goal = ">= 0.5";
    f.met = f.ratio >= 0.5;
    f.note = Fmt("Session::Verify of %" PRIu64 " events (%.2f s: stream + leaf hashes, "
                 "every stored node, checkpoints, replay) vs RFC 6962 root (n leaf + n-1 "
                 "node hashes) over the same %.1f MiB of leaf bytes in memory with the "
                 "faster SHA-256: libsodium %.3f s, OpenSSL %.3f s%s; a bare SQLCipher "
                 "scan of the events and tree_nodes rows alone (%.1f MiB of columns) takes "
                 "%.3f s",
                 rep.tree_size, verify_s, leaf_mib, sodium_s, openssl_s,
                 openssl_s > 0 ? "" : " (not built)", scan_bytes / 1048576.0, scan_s);
    figs.push_back(f);
  }

  // (6) verify_peak_rss_mib in a child process.
  {
    Progress("verify_peak_rss_mib");
    RssResult r = MeasureVerifyRss(big.options.path);
    ProgressDone();
    Figure f;
    f.name = "verify_peak_rss_mib";
    f.unit = "MiB";
    f.value = r.hwm_mib;
    f.baseline = r.before_mib;
    f.ratio = r.hwm_mib - r.before_mib;
    f.goal = "<= 64";
    f.met = r.hwm_mib <= 64;
    f.note = Fmt("VmHWM of a child process around Verify only (reset with clear_refs "
                 "after unlocking) over %s; baseline = RSS just before Verify, ratio = "
                 "growth in MiB; whole child incl. unlock: maxrss %.1f MiB",
                 big_desc.c_str(), r.child_maxrss_mib);
    figs.push_back(f);
  }

  const double total_s = Seconds(t_start, Clock::now());
  auto machine = Machine(dir, bare.db());
  const std::string sizes_note =
      Fmt("%s mode; stores built in %.1f s (log filled through Session::Impl::Log inside "
          "transactions of 20000 events, the append path every operation uses); total "
          "%.1f s",
          mode.c_str(), build_s, total_s);

  if (json) {
    std::printf("{\"figures\":[");
    for (size_t i = 0; i < figs.size(); ++i) {
      const Figure& f = figs[i];
      std::printf("%s{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\",\"baseline\":%.6g,"
                  "\"ratio\":%.4g,\"goal\":\"%s\",\"met\":%s,\"note\":\"%s\"}",
                  i ? "," : "", f.name.c_str(), f.value, f.unit.c_str(), f.baseline, f.ratio,
                  f.goal.c_str(), f.met ? "true" : "false", JsonEscape(f.note).c_str());
    }
    std::printf("],\"machine\":{");
    for (size_t i = 0; i < machine.size(); ++i) {
      std::printf("%s\"%s\":\"%s\"", i ? "," : "", machine[i].first.c_str(),
                  JsonEscape(machine[i].second).c_str());
    }
    std::printf("},\"command\":\"%s\",\"mode\":\"%s\",\"note\":\"%s\"}\n",
                JsonEscape(command).c_str(), mode.c_str(), JsonEscape(sizes_note).c_str());
  } else {
    std::printf("sspf-bench (%s)\n", command.c_str());
    for (const auto& kv : machine) std::printf("  %-10s %s\n", kv.first.c_str(), kv.second.c_str());
    std::printf("\n%-20s %14s %14s %-9s %8s %-7s %s\n", "figure", "libsspf", "baseline",
                "unit", "ratio", "goal", "met");
    for (const Figure& f : figs) {
      std::printf("%-20s %14.4g %14.4g %-9s %8.3f %-7s %s\n", f.name.c_str(), f.value,
                  f.baseline, f.unit.c_str(), f.ratio, f.goal.c_str(), f.met ? "yes" : "NO");
    }
    std::printf("\n");
    for (const Figure& f : figs) std::printf("%s: %s\n", f.name.c_str(), f.note.c_str());
    std::printf("\n%s\n", sizes_note.c_str());
  }

  if (!keep) {
    small = World();
    big = World();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  } else {
    std::fprintf(stderr, "sspf-bench: stores kept in %s\n", dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace sspf::bench

int main(int argc, char** argv) { return sspf::bench::Main(argc, argv); }
