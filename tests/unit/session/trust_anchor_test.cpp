// Session::TrustAnchor: the anchor pinned in the session's own keyring
// entry, the one Store::Create returned; and its fingerprint.
#include <string>

#include "catch.h"
#include "context/session_impl.h"
#include "sspf/json.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {
constexpr const char* kAdminPass = "correct horse battery staple";
constexpr const char* kSchoolPass = "skolans-hemliga-fras-1";
}  // namespace

TEST_CASE("the fingerprint is SHA-256 of the key, 8 groups of 4 hex digits", "[anchor]") {
  // sha256(32 zero bytes) = 66687aadf862bd776c8fc18b8e9f8e20...
  CHECK(TrustAnchorFingerprint(std::vector<uint8_t>(32, 0)) ==
        "6668-7aad-f862-bd77-6c8f-c18b-8e9f-8e20");
  CHECK(TrustAnchorFingerprint(std::vector<uint8_t>(32, 1)) !=
        TrustAnchorFingerprint(std::vector<uint8_t>(32, 0)));
}

TEST_CASE("every principal's session holds the anchor made at init", "[anchor]") {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  Result<InitResult> init = Store::Create(options, "admin.anna", Pass(kAdminPass));
  REQUIRE(init.ok());
  REQUIRE(init->trust_anchor.size() == 32);
  Result<Session> admin = Store::Open(options, "admin.anna", Pass(kAdminPass));
  REQUIRE(admin.ok());
  REQUIRE(admin->AddPrincipal("sara.skola", Actor::kSchool, Role::kMember, Pass(kSchoolPass))
              .ok());
  Result<Session> school = Store::Open(options, "sara.skola", Pass(kSchoolPass));
  REQUIRE(school.ok());
  for (const Session* s : {&*admin, &*school}) {
    TrustAnchorInfo a = s->TrustAnchor();
    CHECK(a.store_id == init->store_id);
    CHECK(a.public_key == init->trust_anchor);
    CHECK(a.fingerprint == TrustAnchorFingerprint(init->trust_anchor));
  }
  CHECK(TrustAnchorJson(admin->TrustAnchor()) == TrustAnchorJson(school->TrustAnchor()));

  // Another store has another anchor.
  TempDir other;
  Result<InitResult> init2 = Store::Create(TestOptions(other, std::make_shared<FakeClock>()),
                                           "admin.anna", Pass(kAdminPass));
  REQUIRE(init2.ok());
  CHECK(init2->trust_anchor != init->trust_anchor);
}

TEST_CASE("the anchor is the one in the keyring entry, not the database's copy", "[anchor]") {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  Result<InitResult> init = Store::Create(options, "admin.anna", Pass(kAdminPass));
  REQUIRE(init.ok());
  Result<Session> admin = Store::Open(options, "admin.anna", Pass(kAdminPass));
  REQUIRE(admin.ok());
  // What the session checks certificates against is what it reports.
  CHECK(admin->TrustAnchor().public_key ==
        internal::SessionAccess::Get(*admin)->anchor_public_key);
}
