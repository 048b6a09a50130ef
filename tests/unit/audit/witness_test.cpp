// The witness (sspf/witness.h) through the C++ API: cosignature timestamps
// come from the request's clock and never go backwards, the state file is
// the only thing that changes, a tampered state file is an integrity
// violation, and a cosignature verifies with VerifyWitnessCosignature only
// on the checkpoint it was made for.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "catch.h"
#include "sspf/json.h"
#include "sspf/store.h"
#include "sspf/witness.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct World {
  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<FakeClock> witness_clock = std::make_shared<FakeClock>(1796000000);  // its own
  StoreOptions options = TestOptions(dir, clock);
  std::optional<Session> auditor;
  std::string log_key;
  WitnessKey witness;

  World() {
    REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
    Result<Session> admin = Store::Open(options, "admin", Pass(kPass));
    REQUIRE(admin.ok());
    REQUIRE(admin->AddPrincipal("auditor", Actor::kCoordination, Role::kAuditor, Pass(kPass))
                .ok());
    Result<Session> a = Store::Open(options, "auditor", Pass(kPass));
    REQUIRE(a.ok());
    auditor.emplace(std::move(a).value());
    Result<std::string> vk = auditor->VerifierKey();
    REQUIRE(vk.ok());
    log_key = *vk;
    Result<WitnessKey> w = WitnessInit(dir.File("w.key"), "polisen.se/witness");
    REQUIRE(w.ok());
    witness = *w;
  }
  std::string Checkpoint() {
    Result<std::string> n = auditor->Checkpoint();
    REQUIRE(n.ok());
    return *n;
  }
  WitnessCosignRequest Request(const std::string& note) {
    WitnessCosignRequest r;
    r.key_file = witness.key_file;
    r.state_dir = dir.File("state");
    r.checkpoint = note;
    r.log_key = log_key;
    r.clock = witness_clock;
    return r;
  }
};

}  // namespace

TEST_CASE("witness timestamps follow the clock and never go backwards", "[audit][witness]") {
  World w;
  const std::string n1 = w.Checkpoint();
  Result<WitnessCosignature> c1 = WitnessCosign(w.Request(n1));
  REQUIRE(c1.ok());
  CHECK(c1->first_use);
  CHECK(c1->timestamp == w.witness_clock->Now());
  Result<UnixSeconds> t1 = VerifyWitnessCosignature(c1->note, w.witness.verifier_key);
  REQUIRE(t1.ok());
  CHECK(*t1 == c1->timestamp);

  // The witness's clock set back an hour: the next cosignature keeps the
  // last time; then it moves on with the clock.
  w.witness_clock->Advance(-3600);
  const std::string n2 = w.Checkpoint();
  Result<ConsistencyProof> p = w.auditor->Consistency(n1, n2);
  REQUIRE(p.ok());
  WitnessCosignRequest r2 = w.Request(n2);
  r2.proof_json = ConsistencyProofJson(*p);
  Result<WitnessCosignature> c2 = WitnessCosign(r2);
  REQUIRE(c2.ok());
  CHECK_FALSE(c2->first_use);
  CHECK(c2->timestamp == c1->timestamp);
  CHECK(c2->previous_size < c2->tree_size);
  w.witness_clock->Advance(7200);
  Result<WitnessCosignature> c3 = WitnessCosign(w.Request(n2));
  REQUIRE(c3.ok());
  CHECK(c3->timestamp == w.witness_clock->Now());
  CHECK(c3->timestamp > c2->timestamp);

  // The cosignature belongs to its checkpoint only.
  CHECK(VerifyWitnessCosignature(c2->note, w.witness.verifier_key).ok());
  const std::string moved = n1 + c2->note.substr(n2.size());
  CHECK(VerifyWitnessCosignature(moved, w.witness.verifier_key).status().code() ==
        StatusCode::kIntegrityViolation);
  CHECK(VerifyWitnessCosignature(c2->note, w.log_key).status().code() ==
        StatusCode::kInvalidArgument);

  // The key file is private and the state directory too.
  struct stat st;
  REQUIRE(::stat(w.witness.key_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(w.dir.File("state").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("a tampered witness state is refused, not trusted", "[audit][witness]") {
  World w;
  const std::string n1 = w.Checkpoint();
  REQUIRE(WitnessCosign(w.Request(n1)).ok());
  const std::string path = w.dir.File("state") + "/state";
  const std::string good = Slurp(path);
  // A malformed state file (cut short, garbage, an extra line) is an
  // integrity violation: the witness never starts afresh on its own.
  for (const std::string& bad : {good.substr(0, good.size() - 1), std::string("x\n"),
                                 good + "extra\n"}) {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << bad;
    }
    Result<WitnessCosignature> c = WitnessCosign(w.Request(n1));
    CHECK(c.status().code() == StatusCode::kIntegrityViolation);
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << good;
  }
  CHECK(WitnessCosign(w.Request(n1)).ok());
  // A refusal leaves the state as it was.
  Result<WitnessCosignature> again = WitnessCosign(w.Request("not a note\n"));
  CHECK_FALSE(again.ok());
  CHECK(Slurp(path) == good);
}
