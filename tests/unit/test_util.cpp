#include "test_util.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "context/session_impl.h"

namespace sspf::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/sspf-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

SecretBytes Secret(const std::string& s) { return std::move(SecretBytes::Copy(s).value()); }
Credential Pass(const std::string& s) { return Credential::Passphrase(Secret(s)); }

int64_t QueryInt(Session& s, const std::string& sql) {
  internal::Stmt* st = internal::SessionAccess::Get(s)->db->Prepare(sql.c_str()).value();
  const bool row = st->Step().value();
  const int64_t v = row ? st->Int(0) : -1;
  st->Reset();
  return v;
}

StoreOptions TestOptions(const TempDir& dir, std::shared_ptr<FakeClock> clock) {
  StoreOptions o;
  o.path = dir.File("store.db");
  o.clock = std::move(clock);
  o.passphrase_cost = PassphraseCost::Interactive();
  return o;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

ConsentInput SchoolSocialConsent(const std::string& case_id, ConsentParty party,
                                 UnixSeconds now) {
  ConsentInput in;
  in.case_id = case_id;
  in.party = std::move(party);
  in.actors = {Actor::kSchool, Actor::kSocial};
  in.categories = {Category::kSchool};
  in.valid_until = DateOf(now + 90 * 86400);
  in.purpose = "sspf-meeting";
  in.form_ref = "form-1";
  return in;
}

ConsentInput SchoolPoliceConsent(const std::string& case_id, ConsentParty party, Date until) {
  ConsentInput in = SchoolSocialConsent(case_id, std::move(party), 0);
  in.actors = {Actor::kSchool, Actor::kPolice};
  in.valid_until = until;
  in.purpose = "planning";
  return in;
}

}  // namespace sspf::testing
