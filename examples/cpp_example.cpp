// Copyright (c) libsspf authors.
//
// A small SSPF case end to end through the C++ API (sspf/store.h): a school
// entry is disclosed to the police under the consent of a 16-year-old and
// both guardians; after the youth withdraws consent the police can no longer
// read it; an auditor checkpoints and verifies the access log.
//
// The store is created in a fresh temporary directory and removed at the
// end.  All personal data is fictitious (MakeTestPersonalNumber).
#include <stdlib.h>  // mkdtemp
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "sspf/pnr.h"
#include "sspf/store.h"

namespace {

// Prints what failed and exits: an example has no way to recover.
template <typename T>
T Must(sspf::Result<T> r, const char* what) {
  if (!r.ok()) {
    std::cerr << what << ": " << r.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(r).value();
}

void Must(const sspf::Status& s, const char* what) {
  if (!s.ok()) {
    std::cerr << what << ": " << s.ToString() << "\n";
    std::exit(1);
  }
}

sspf::Credential Passphrase(const char* text) {
  return sspf::Credential::Passphrase(Must(sspf::SecretBytes::Copy(text), "passphrase"));
}

constexpr char kPassphrase[] = "example passphrase, never reuse";

}  // namespace

int main() {
  char dir_template[] = "/tmp/sspf-cpp-example-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }

  sspf::StoreOptions options;
  options.path = std::string(dir) + "/sspf.db";
  options.passphrase_cost = sspf::PassphraseCost::Interactive();  // demo only

  // 1. Create the store; the admin adds the people working on the case.
  sspf::InitResult init = Must(sspf::Store::Create(options, "admin", Passphrase(kPassphrase)),
                               "create store");
  std::cout << "store " << init.store_id << " created\n";
  {
    sspf::Session admin = Must(sspf::Store::Open(options, "admin", Passphrase(kPassphrase)),
                               "open as admin");
    struct {
      const char* name;
      sspf::Actor actor;
      sspf::Role role;
    } people[] = {
        {"kim.coordinator", sspf::Actor::kCoordination, sspf::Role::kCoordinator},
        {"sara.school", sspf::Actor::kSchool, sspf::Role::kMember},
        {"per.police", sspf::Actor::kPolice, sspf::Role::kMember},
        {"sol.social", sspf::Actor::kSocial, sspf::Role::kMember},
        {"alva.auditor", sspf::Actor::kCoordination, sspf::Role::kAuditor},
    };
    for (const auto& p : people) {
      Must(admin.AddPrincipal(p.name, p.actor, p.role, Passphrase(kPassphrase)),
           "add principal");
    }
  }

  // 2. The coordinator registers the youth (16 years old), opens a case and
  //    records the consent of the youth and both guardians.
  std::time_t now = std::time(nullptr);
  std::tm today{};
  gmtime_r(&now, &today);
  sspf::Date birth{today.tm_year + 1900 - 16, today.tm_mon + 1, 1};
  std::string case_id;
  std::string youth_consent;
  {
    sspf::Session coord = Must(
        sspf::Store::Open(options, "kim.coordinator", Passphrase(kPassphrase)), "open");
    sspf::Session::NewSubject youth;
    youth.personal_number = sspf::MakeTestPersonalNumber(birth, 421, false);
    youth.name = "Test Youth";
    youth.guardians = {"Guardian One", "Guardian Two"};
    sspf::SubjectInfo subject = Must(coord.AddSubject(youth), "add subject");
    case_id = Must(coord.OpenCase(subject.id, {"kim.coordinator", "sara.school", "per.police",
                                               "sol.social"}),
                   "open case");
    std::cout << "case " << case_id << " opened\n";

    sspf::ConsentInput consent;
    consent.case_id = case_id;
    consent.actors = {sspf::Actor::kSchool, sspf::Actor::kPolice, sspf::Actor::kSocial};
    consent.categories = {sspf::Category::kSchool, sspf::Category::kPolice,
                          sspf::Category::kSocial};
    // At most 12 months (StoreOptions::consent_max_months), for a named
    // kind of collaboration (a purpose code).
    consent.valid_until = sspf::DateOf(std::time(nullptr) + 180 * 86400);
    consent.purpose = "sspf-meeting";
    consent.form_ref = "signed form 2024-17";
    consent.party.youth = true;
    youth_consent = Must(coord.GrantConsent(consent), "youth consent");
    for (const sspf::GuardianInfo& g : subject.guardians) {
      consent.party.youth = false;
      consent.party.guardian_id = g.id;
      Must(coord.GrantConsent(consent), "guardian consent");
    }
  }

  // 3. School writes an entry and discloses it to the police (the library
  //    picks the consent in force that covers school -> police, "school").
  std::string entry_id;
  {
    sspf::Session school =
        Must(sspf::Store::Open(options, "sara.school", Passphrase(kPassphrase)), "open");
    entry_id = Must(school.AddEntry(case_id, sspf::Category::kSchool,
                                    "Absent 12 of 20 days; meeting with guardians held."),
                    "add entry");
    Must(school.DiscloseEntry(entry_id, sspf::Actor::kPolice, sspf::DisclosureBasis{}),
         "disclose");
  }

  // 4. The police reads it.
  {
    sspf::Session police =
        Must(sspf::Store::Open(options, "per.police", Passphrase(kPassphrase)), "open");
    sspf::EntryContent c = Must(police.ReadEntry(entry_id, "SSPF meeting"), "police read");
    std::cout << "police read " << c.body.size() << " bytes (basis " << c.basis << ")\n";
  }

  // 5. The youth withdraws consent: the police read is now denied.
  {
    sspf::Session coord = Must(
        sspf::Store::Open(options, "kim.coordinator", Passphrase(kPassphrase)), "open");
    Must(coord.WithdrawConsent(youth_consent), "withdraw");
  }
  {
    sspf::Session police =
        Must(sspf::Store::Open(options, "per.police", Passphrase(kPassphrase)), "open");
    sspf::Result<sspf::EntryContent> denied = police.ReadEntry(entry_id, "SSPF meeting");
    const sspf::StatusCode code = denied.status().code();
    if (denied.ok() || (code != sspf::StatusCode::kConsentRequired &&
                        code != sspf::StatusCode::kPermissionDenied)) {
      std::cerr << "expected a denied read after withdrawal, got "
                << denied.status().ToString() << "\n";
      return 1;
    }
    std::cout << "after withdrawal: " << denied.status().ToString() << "\n";
  }

  // 6. The auditor checkpoints and verifies the access log.
  {
    sspf::Session auditor =
        Must(sspf::Store::Open(options, "alva.auditor", Passphrase(kPassphrase)), "open");
    std::string note = Must(auditor.Checkpoint(), "checkpoint");
    sspf::VerifyOptions vo;
    vo.kept_checkpoint = note;
    sspf::VerifyReport report = Must(auditor.Verify(vo), "verify");
    std::cout << "access log verified: " << report.tree_size << " events\n";
  }

  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
