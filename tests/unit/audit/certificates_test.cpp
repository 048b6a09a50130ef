// The auditor's list of principal certificates (Session::ListCertificates,
// issue "insider-proof keys", export part): every version of every
// principal's certificate, checked against the pinned anchor; with it the
// signature of every event checks out without the library's verifier.
#include <sodium.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "catch.h"
#include "context/session_impl.h"
#include "sspf/json.h"
#include "sspf/store.h"
#include "test_util.h"
#include "util/encoding.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";

bool Verifies(const std::vector<uint8_t>& key, const std::vector<uint8_t>& msg,
              const std::vector<uint8_t>& sig) {
  return key.size() == crypto_sign_PUBLICKEYBYTES && sig.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), key.data()) == 0;
}

bool Contains(const std::vector<uint8_t>& hay, const std::vector<uint8_t>& needle) {
  return !needle.empty() &&
         std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

// A store with an admin, an auditor and two members; one member disabled
// and one reset with the recovery key, so both have a second certificate.
InitResult Create(const StoreOptions& options) {
  Result<InitResult> r = Store::Create(options, "admin", Pass(kPass));
  REQUIRE(r.ok());
  return std::move(r).value();
}

struct Certs {
  TempDir dir;
  StoreOptions options = TestOptions(dir, std::make_shared<FakeClock>());
  InitResult init = Create(options);

  Certs() {
    Session admin = Open("admin");
    REQUIRE(admin.AddPrincipal("auditor", Actor::kCoordination, Role::kAuditor, Pass(kPass)).ok());
    REQUIRE(admin.AddPrincipal("school1", Actor::kSchool, Role::kMember, Pass(kPass)).ok());
    Result<std::string> police = admin.AddPrincipal("police1", Actor::kPolice, Role::kMember,
                                                    Pass(kPass));
    INFO(police.status().ToString());
    REQUIRE(police.ok());
    REQUIRE(admin.DisablePrincipal("police1").ok());
    REQUIRE(Store::ResetWithRecoveryKey(options, init.recovery_key, "school1",
                                        Pass("a-new-passphrase-2")).ok());
  }
  // The auditor's list (REQUIRED to succeed).
  std::vector<PrincipalCertificate> List(Session& auditor) {
    Result<std::vector<PrincipalCertificate>> certs = auditor.ListCertificates();
    INFO(certs.status().ToString());
    REQUIRE(certs.ok());
    return std::move(certs).value();
  }
  Session Open(const std::string& name, const std::string& pass = kPass) {
    Result<Session> s = Store::Open(options, name, Pass(pass));
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    return std::move(s).value();
  }
};

}  // namespace

TEST_CASE("the auditor lists every certificate version, each signed by the anchor",
          "[audit][certificates]") {
  Certs f;
  Session auditor = f.Open("auditor");
  const std::vector<PrincipalCertificate> certs = f.List(auditor);
  std::map<std::string, std::vector<PrincipalCertificate>> by_name;
  for (const PrincipalCertificate& c : certs) {
    CHECK(Verifies(f.init.trust_anchor, c.certificate, c.certificate_signature));
    CHECK(Contains(c.certificate, c.signing_key));
    by_name[c.name].push_back(c);
  }
  REQUIRE(by_name.size() == 4);
  CHECK(by_name["admin"].size() == 1);
  CHECK(by_name["admin"][0].principal_id == f.init.admin_id);
  CHECK(by_name["admin"][0].role == Role::kAdmin);
  CHECK(by_name["auditor"].size() == 1);
  REQUIRE(by_name["police1"].size() == 2);
  CHECK(by_name["police1"][0].version == 1);
  CHECK(by_name["police1"][0].active);
  CHECK(by_name["police1"][1].version == 2);
  CHECK(!by_name["police1"][1].active);
  CHECK(by_name["police1"][1].actor == Actor::kPolice);
  // The recovery reset gave school1 a new signing key.
  REQUIRE(by_name["school1"].size() == 2);
  CHECK(by_name["school1"][0].signing_key != by_name["school1"][1].signing_key);

  // Every event's signature verifies under a listed key of its signer (the
  // recovery key's events under the anchor), over bytes holding its leaf hash.
  Result<std::vector<AuditEvent>> events = auditor.QueryEvents({});
  REQUIRE(events.ok());
  REQUIRE(!events->empty());
  size_t authority = 0;
  for (const AuditEvent& e : *events) {
    INFO("event " << e.seq << " signed by " << e.signer);
    CHECK(Contains(e.signed_message, e.leaf_hash));
    bool ok = false;
    if (e.signer == "authority") {
      ++authority;
      ok = Verifies(f.init.trust_anchor, e.signed_message, e.signature);
    }
    for (const PrincipalCertificate& c : certs) {
      if (c.principal_id == e.signer && Verifies(c.signing_key, e.signed_message, e.signature)) {
        ok = true;
      }
    }
    CHECK(ok);
  }
  CHECK(authority > 0);  // the recovery reset

  // The list is itself logged, as an audit query of the certificates.
  AuditFilter filter;
  filter.target = "certificates";
  Result<std::vector<AuditEvent>> logged = auditor.QueryEvents(filter);
  REQUIRE(logged.ok());
  REQUIRE(logged->size() == 1);
  CHECK(logged->front().action == Action::kAuditQuery);
  CHECK(logged->front().allowed);
}

TEST_CASE("only an auditor lists certificates, and a denial is logged",
          "[audit][certificates]") {
  Certs f;
  for (const char* name : {"admin", "school1"}) {
    Session s = std::string(name) == "school1" ? f.Open(name, "a-new-passphrase-2")
                                               : f.Open(name);
    CHECK(s.ListCertificates().status().code() == StatusCode::kPermissionDenied);
  }
  Session auditor = f.Open("auditor");
  AuditFilter filter;
  filter.target = "certificates";
  filter.allowed = false;
  Result<std::vector<AuditEvent>> denied = auditor.QueryEvents(filter);
  REQUIRE(denied.ok());
  CHECK(denied->size() == 2);
}

TEST_CASE("events of a principal reset with the recovery key verify under its new certificate",
          "[audit][certificates][signatures]") {
  Certs f;
  // The reset (signed by the authority) brings version 2 into force: the
  // principal's later events are signed with its new key.
  { Session school = f.Open("school1", "a-new-passphrase-2"); }
  Session auditor = f.Open("auditor");
  Result<VerifyReport> v = auditor.Verify({});
  INFO(v.status().ToString());
  CHECK(v.ok());
}

TEST_CASE("a certificate that does not verify is an integrity violation naming it",
          "[audit][certificates]") {
  Certs f;
  Session auditor = f.Open("auditor");
  std::string police_id;
  for (const PrincipalCertificate& c : f.List(auditor)) {
    if (c.name == "police1") police_id = c.principal_id;
  }
  REQUIRE(!police_id.empty());
  internal::Db* db = internal::SessionAccess::Get(auditor)->db.get();
  const std::string v2 = " WHERE kind = 1 AND subject = '" + police_id + "' AND version = ";
  std::string sql;
  SECTION("a forged signature") {
    // Flip the last byte of the signature of version 2.
    sql = "UPDATE certificates SET signature = substr(signature, 1, 63) || CAST(CASE WHEN "
          "substr(signature, 64, 1) = x'00' THEN x'01' ELSE x'00' END AS BLOB)" + v2 + "2";
  }
  SECTION("an edited body (the disabled principal made active again)") {
    sql = "UPDATE certificates SET body = (SELECT body FROM certificates" + v2 + "1)" + v2 + "2";
  }
  REQUIRE(db->Exec(sql.c_str()).ok());
  Result<std::vector<PrincipalCertificate>> after = auditor.ListCertificates();
  REQUIRE(!after.ok());
  CHECK(after.status().code() == StatusCode::kIntegrityViolation);
  INFO(after.status().message());
  CHECK(after.status().message().find("principal " + police_id + " version 2") !=
        std::string::npos);
}

TEST_CASE("the certificates document carries the exact bytes in base64",
          "[audit][certificates][json]") {
  Certs f;
  Session auditor = f.Open("auditor");
  const std::vector<PrincipalCertificate> certs = f.List(auditor);
  nlohmann::json doc = nlohmann::json::parse(PrincipalCertificateListJson(certs));
  CHECK(doc["schema_version"] == kJsonSchemaVersion);
  REQUIRE(doc["certificates"].size() == certs.size());
  for (size_t i = 0; i < certs.size(); ++i) {
    const PrincipalCertificate& c = certs[i];
    const nlohmann::json& j = doc["certificates"][i];
    CHECK(j["principal_id"] == c.principal_id);
    CHECK(j["name"] == c.name);
    CHECK(j["actor"] == ActorName(c.actor));
    CHECK(j["role"] == RoleName(c.role));
    CHECK(j["active"] == c.active);
    CHECK(j["version"] == c.version);
    CHECK(internal::Base64Decode(j["signing_key"].get<std::string>()).value() == c.signing_key);
    CHECK(internal::Base64Decode(j["certificate"].get<std::string>()).value() == c.certificate);
    CHECK(internal::Base64Decode(j["certificate_signature"].get<std::string>()).value() ==
          c.certificate_signature);
  }
  nlohmann::json one = nlohmann::json::parse(PrincipalCertificateJson(certs.front()));
  CHECK(one["schema_version"] == kJsonSchemaVersion);
  nlohmann::json inner = doc["certificates"][0];
  one.erase("schema_version");
  CHECK(one == inner);
}
