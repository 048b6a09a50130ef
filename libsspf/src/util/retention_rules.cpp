// Retention rules (sspf/retention.h): the defaults of DESIGN §14 and their
// validation.  docs/retention.md gives each source; keep them in step.
#include <algorithm>
#include <string>
#include <vector>

#include "sspf/retention.h"

namespace sspf {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

constexpr struct {
  RetentionFrom from;
  const char* name;
} kFromNames[] = {
    {RetentionFrom::kCaseClosed, "case-closed"}, {RetentionFrom::kLastEntry, "last-entry"},
    {RetentionFrom::kBirth, "birth"},            {RetentionFrom::kDecision, "decision"},
    {RetentionFrom::kNever, "never"},
};

std::vector<Category> AllBut(Category c) {
  std::vector<Category> out;
  for (Category x : kAllCategories) {
    if (x != c) out.push_back(x);
  }
  return out;
}

}  // namespace

const char* RetentionFromName(RetentionFrom f) {
  for (const auto& n : kFromNames) {
    if (n.from == f) return n.name;
  }
  return "unknown";
}

std::optional<RetentionFrom> ParseRetentionFrom(std::string_view s) {
  for (const auto& n : kFromNames) {
    if (s == n.name) return n.from;
  }
  return std::nullopt;
}

std::vector<RetentionRule> DefaultRetentionRules() {
  using F = RetentionFrom;
  return {
      {"social-case-file", Actor::kSocial, {}, F::kLastEntry, 5, {},
       "SoL (2001:453) 12 kap. 1 §; Socialtjänstlag (2025:400), section unverified",
       "a social-services case file is erased 5 years after its last entry", true},
      {"social-child-investigation", Actor::kSocial, {Category::kSocial}, F::kBirth, 30, {},
       "Socialtjänstlag (2025:400), from 15 Jan 2026; section unverified",
       "child-protection investigation documents are kept until the child turns 30", false},
      {"social-research-sample", Actor::kSocial, {}, F::kNever, 0, {5, 15, 25},
       "SoL (2001:453) 12 kap. 2 §; section in the new act unverified",
       "files of people born on the 5th, 15th and 25th are kept for research", false},
      {"school-pupil-health", Actor::kSchool, {Category::kHealth}, F::kLastEntry, 10, {},
       "PDL (2008:355) 3 kap. 17 §",
       "pupil-health records are kept at least 10 years after the last entry", true},
      {"school-records", Actor::kSchool, AllBut(Category::kHealth), F::kDecision, 0, {},
       "Arkivlagen (1990:782) 10 §; the committee's document management plan",
       "no statutory period: erased only under an erasure decision (free schools: own rules)",
       true},
      {"police-records", Actor::kPolice, {}, F::kDecision, 0, {},
       "Brottsdatalagen (2018:1177) 2 kap. 17-18 §",
       "kept only as long as necessary; reviewed every year; erased under a decision", true},
      {"leisure-records", Actor::kLeisure, {}, F::kDecision, 0, {},
       "Arkivlagen (1990:782) 10 §; the committee's document management plan",
       "municipal leisure: erased only under an erasure decision", true},
      {"coordination-records", Actor::kCoordination, {}, F::kDecision, 0, {},
       "Lag (2023:196); Arkivlagen (1990:782) 10 §",
       "no statutory period for the coordination function: erased under a decision", true},
  };
}

Status ValidateRetentionRules(const std::vector<RetentionRule>& rules) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const RetentionRule& r = rules[i];
    const std::string name = "retention rule " + std::to_string(i + 1);
    bool ok = !r.id.empty() && r.id.size() <= 64 &&
              std::all_of(r.id.begin(), r.id.end(), IsIdChar);
    if (!ok) return InvalidArgument(name + ": the id is not 1-64 ASCII letters, digits, '-', '_' or '.'");
    if (!ActorName(r.actor) || !ParseActor(ActorName(r.actor))) {
      return InvalidArgument("retention rule " + r.id + ": unknown actor");
    }
    if (!ParseRetentionFrom(RetentionFromName(r.from))) {
      return InvalidArgument("retention rule " + r.id + ": unknown period start");
    }
    for (Category c : r.categories) {
      if (!ParseCategory(CategoryName(c))) {
        return InvalidArgument("retention rule " + r.id + ": unknown category");
      }
    }
    if (r.years < 0 || r.years > 150) {
      return InvalidArgument("retention rule " + r.id + ": years must be 0..150");
    }
    for (int d : r.birth_days) {
      if (d < 1 || d > 31) return InvalidArgument("retention rule " + r.id + ": birth days are 1..31");
    }
    if (r.citation.empty()) return InvalidArgument("retention rule " + r.id + ": no citation");
    for (size_t j = 0; j < i; ++j) {
      if (rules[j].id == r.id) return InvalidArgument("retention rule " + r.id + " is given twice");
    }
  }
  return Status::Ok();
}

}  // namespace sspf
