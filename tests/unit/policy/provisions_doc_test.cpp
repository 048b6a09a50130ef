// Copyright (c) libsspf authors.
//
// docs/access-rules.md and DefaultLegalProvisions() cannot disagree: the
// table of default provisions between the two markers below is generated
// from the code, and this test fails when the file holds anything else.
// Regenerate it with SSPF_UPDATE_DOCS=1 ./provisions_doc_test.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.h"
#include "sspf/pnr.h"
#include "sspf/policy.h"
#include "sspf/types.h"

namespace sspf {
namespace {

constexpr char kBegin[] =
    "<!-- BEGIN DefaultLegalProvisions: generated from libsspf/src/policy/policy.cpp; "
    "tests/unit/policy/provisions_doc_test.cpp checks it -->\n";
constexpr char kEnd[] = "<!-- END DefaultLegalProvisions -->\n";

std::string Actors(const std::vector<Actor>& actors) {
  if (actors.size() == std::size(kAllActors)) return "any actor";
  std::string out;
  for (Actor a : actors) out += (out.empty() ? "" : ", ") + std::string(ActorName(a));
  return out;
}

std::string Days(int64_t seconds) {
  return std::to_string(seconds / 86400) + (seconds % 86400 ? "+ days" : " days");
}

std::string Limits(const LegalProvision& p) {
  std::vector<std::string> items;
  if (p.in_force_from) items.push_back("in force from " + FormatDate(*p.in_force_from));
  if (p.subject_min_age > 0) items.push_back("youth from age " + std::to_string(p.subject_min_age));
  if (p.subject_age_under > 0) {
    items.push_back("youth under " + std::to_string(p.subject_age_under));
  }
  items.push_back(p.requires_public_authority ? "discloser: a public authority (myndighet)"
                                              : "discloser: any, an authority or not");
  if (p.recipient_must_be_authority) items.push_back("recipient: a public authority");
  if (p.requires_balancing) {
    items.push_back("balancing test (intresseavvägning) recorded as the reason");
  } else if (p.requires_reason) {
    items.push_back("reason (motivering) recorded");
  }
  if (p.default_duration_seconds > 0) {
    items.push_back("default " + Days(p.default_duration_seconds));
  }
  if (p.max_duration_seconds > 0) items.push_back("at most " + Days(p.max_duration_seconds));
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : "; ") + s;
  return out;
}

std::string Table(const std::vector<LegalProvision>& provisions) {
  std::string out = kBegin;
  out += "| Id | Citation | What it allows | Directions (from → to) | Rules the library "
         "enforces | Source | Status |\n|---|---|---|---|---|---|---|\n";
  for (const LegalProvision& p : provisions) {
    std::string directions;
    for (const ProvisionFlow& f : p.directions) {
      directions += (directions.empty() ? "" : "; ") + Actors(f.from) + " → " + Actors(f.to);
    }
    out += "| `" + p.id + "` | " + p.citation + " | " + p.summary + " | " + directions +
           " | " + Limits(p) + " | " + p.source + " | " +
           (p.verified ? "verified" : "**unverified**") + " |\n";
  }
  return out + kEnd;
}

TEST_CASE("docs/access-rules.md lists exactly DefaultLegalProvisions()", "[policy][docs]") {
  const std::string path = std::string(SSPF_DOCS_DIR) + "/access-rules.md";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  const size_t begin = text.find(kBegin);
  const size_t end = text.find(kEnd);
  INFO("markers in " << path);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  REQUIRE(begin < end);
  const std::string want = Table(DefaultLegalProvisions());
  const std::string have = text.substr(begin, end + std::string(kEnd).size() - begin);
  const char* update = std::getenv("SSPF_UPDATE_DOCS");
  if (have != want && update != nullptr && std::string(update) == "1") {
    text.replace(begin, have.size(), want);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    SUCCEED("docs/access-rules.md regenerated");
    return;
  }
  INFO("regenerate with SSPF_UPDATE_DOCS=1; expected:\n" << want);
  CHECK(have == want);
}

// The test can fail: a changed rule no longer matches the file.
TEST_CASE("a changed rule changes the generated table", "[policy][docs]") {
  std::vector<LegalProvision> changed = DefaultLegalProvisions();
  REQUIRE_FALSE(changed.empty());
  const std::string before = Table(changed);
  changed[0].verified = !changed[0].verified;
  CHECK(Table(changed) != before);
  changed = DefaultLegalProvisions();
  changed.back().directions[0].to.push_back(Actor::kLeisure);
  CHECK(Table(changed) != before);
}

}  // namespace
}  // namespace sspf
