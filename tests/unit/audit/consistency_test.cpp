// Session::Consistency (audit consistency): RFC 6962 consistency proofs
// between two checkpoints, identical to those of an in-memory tree of the
// same leaves, accepted by the verifier, and refused (naming the
// checkpoint) for swapped, foreign or edited input and edited tree nodes.
#include "catch.h"
#include "context/session_impl.h"
#include "log/merkle.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;
using internal::Hash;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";

Hash ToHash(const std::vector<uint8_t>& b) {
  Hash h{};
  REQUIRE(b.size() == h.size());
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

struct World {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  std::optional<Session> admin, auditor;

  World() {
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    admin = Open("admin");
    REQUIRE(admin->AddPrincipal("auditor", Actor::kCoordination, Role::kAuditor, Pass(kPass))
                .ok());
    auditor = Open("auditor");
  }
  Session Open(const std::string& name) {
    Result<Session> s = Store::Open(options, name, Pass(kPass));
    REQUIRE(s.ok());
    return std::move(s).value();
  }
  internal::Db* Db() { return internal::SessionAccess::Get(*admin)->db.get(); }
  // The stored leaf hashes, as an independent in-memory tree.
  internal::MemoryTree Leaves() {
    internal::MemoryTree t;
    internal::Stmt* st =
        Db()->Prepare("SELECT hash FROM tree_nodes WHERE level = 0 ORDER BY idx").value();
    while (st->Step().value()) t.Append(ToHash(st->Blob(0)));
    st->Reset();
    return t;
  }
};

}  // namespace

TEST_CASE("consistency proofs between checkpoints of many sizes", "[audit][consistency]") {
  World w;
  std::vector<std::string> notes;
  for (int i = 0; i < 6; ++i) {
    notes.push_back(w.auditor->Checkpoint().value());
    for (int k = 0; k < i; ++k) REQUIRE(w.admin->ListPrincipals().ok());
  }
  for (size_t a = 0; a < notes.size(); ++a) {
    for (size_t b = a; b < notes.size(); ++b) {
      Result<ConsistencyProof> p = w.auditor->Consistency(notes[a], notes[b]);
      INFO(a << " -> " << b << ": " << p.status().ToString());
      REQUIRE(p.ok());
      CHECK(p->old_size <= p->new_size);
      CHECK((a == b) == (p->old_size == p->new_size));
      std::vector<Hash> proof;
      for (const auto& h : p->proof) proof.push_back(ToHash(h));
      CHECK(internal::VerifyConsistency(p->old_size, p->new_size, ToHash(p->old_root),
                                        ToHash(p->new_root), proof)
                .ok());
      // The same proof and roots as a tree built from the leaves alone.
      internal::MemoryTree t = w.Leaves();
      CHECK(*internal::ConsistencyProof(t, p->old_size, p->new_size) == proof);
      CHECK(*internal::RootAt(t, p->old_size) == ToHash(p->old_root));
      CHECK(*internal::RootAt(t, p->new_size) == ToHash(p->new_root));
    }
  }
}

TEST_CASE("consistency refuses swapped, foreign and edited input", "[audit][consistency]") {
  World w;
  const std::string old_note = w.auditor->Checkpoint().value();
  for (int k = 0; k < 5; ++k) REQUIRE(w.admin->ListPrincipals().ok());
  const std::string new_note = w.auditor->Checkpoint().value();
  REQUIRE(w.auditor->Consistency(old_note, new_note).ok());

  CHECK(w.admin->Consistency(old_note, new_note).status().code() ==
        StatusCode::kPermissionDenied);
  Status swapped = w.auditor->Consistency(new_note, old_note).status();
  CHECK(swapped.code() == StatusCode::kInvalidArgument);
  CHECK(swapped.message().find("larger than the new one") != std::string::npos);

  Status garbage = w.auditor->Consistency("not a note\n", new_note).status();
  CHECK(garbage.code() == StatusCode::kIntegrityViolation);
  CHECK(garbage.message().rfind("old checkpoint: ", 0) == 0);
  // The size line changed: the signature no longer covers the note.
  const size_t size_at = new_note.find('\n') + 1;
  const size_t size_end = new_note.find('\n', size_at);
  std::string edited = new_note;
  edited.replace(size_at, size_end - size_at,
                 std::to_string(std::stoull(new_note.substr(size_at, size_end - size_at)) - 1));
  Status bad_sig = w.auditor->Consistency(old_note, edited).status();
  CHECK(bad_sig.code() == StatusCode::kIntegrityViolation);
  CHECK(bad_sig.message().rfind("new checkpoint: ", 0) == 0);

  // A checkpoint of another store.
  World other;
  const std::string foreign = other.auditor->Checkpoint().value();
  Status f = w.auditor->Consistency(old_note, foreign).status();
  CHECK(f.code() == StatusCode::kIntegrityViolation);
  CHECK(f.message().rfind("new checkpoint: not a valid checkpoint of this store", 0) == 0);

  // The stored subtree hashes rewritten: the log's tree no longer has the
  // old root.  (An edited leaf alone is left to verify: a proof reads only
  // the complete subtrees it needs.)
  REQUIRE(w.Db()->Exec("DROP TRIGGER tree_no_update").ok());
  REQUIRE(w.Db()->Exec("UPDATE tree_nodes SET hash = randomblob(32)").ok());
  Status tree = w.auditor->Consistency(old_note, new_note).status();
  CHECK(tree.code() == StatusCode::kIntegrityViolation);
  INFO(tree.message());
  CHECK(tree.message().rfind("old checkpoint (size ", 0) == 0);
  CHECK(tree.message().find("not the log's tree") != std::string::npos);
}
