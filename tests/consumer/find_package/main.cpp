// Consumer test (C++): the installed headers and library are usable.
#include <stdlib.h>

#include <filesystem>
#include <iostream>

#include "sspf/pnr.h"
#include "sspf/sspf.h"
#include "sspf/store.h"

int main() {
  char dir[] = "/tmp/sspf-consumer-cpp-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 2;
  sspf::StoreOptions options;
  options.path = std::string(dir) + "/store.db";
  options.passphrase_cost = sspf::PassphraseCost::Interactive();
  auto pass = []() {
    return sspf::Credential::Passphrase(
        std::move(sspf::SecretBytes::Copy("consumer passphrase")).value());
  };
  int rc = 0;
  auto init = sspf::Store::Create(options, "admin", pass());
  auto session = init.ok() ? sspf::Store::Open(options, "admin", pass())
                           : sspf::Result<sspf::Session>(init.status());
  auto pnr = sspf::ParsePersonalNumber(
      sspf::MakeTestPersonalNumber(sspf::Date{2010, 3, 4}, 123, false), sspf::Date{2024, 1, 1});
  if (!session.ok() || !pnr.ok() || std::string(sspf_version()).empty()) {
    std::cerr << "consumer: " << session.status().ToString() << "\n";
    rc = 1;
  } else {
    std::cout << "consumer (C++): store " << session->store_id() << " opened\n";
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return rc;
}
