// Copyright (c) libsspf authors.
//
// Retention (gallring) as data (DESIGN §7, §14): which entries of a closed
// case may be erased, from when, and under which rule.  The host configures
// the rules (StoreOptions::retention_rules) from its committees' document
// management plans (dokumenthanteringsplaner); the defaults follow the
// sources in docs/retention.md.  Included by options.h.
#ifndef SSPF_RETENTION_H_
#define SSPF_RETENTION_H_

#include <optional>
#include <string>
#include <vector>

#include "sspf/export.h"
#include "sspf/status.h"
#include "sspf/types.h"

namespace sspf {

// What a rule's period counts from.  Values appear in configuration files:
// never renumber.
enum class RetentionFrom : uint8_t {
  kCaseClosed = 1,  // `years` after the case was closed
  kLastEntry = 2,   // `years` after the case's last entry by the same actor
  kBirth = 3,       // the day the youth turns `years` (29 Feb: 28 Feb)
  kDecision = 4,    // kept until an erasure decision (gallringsbeslut) names
                    // the rule in a run (RetentionRequest::decided_rules);
                    // then `years` after the case was closed
  kNever = 5,       // never erased (bevaras)
};

// "case-closed", "last-entry", "birth", "decision", "never".
SSPF_EXPORT const char* RetentionFromName(RetentionFrom f);
SSPF_EXPORT std::optional<RetentionFrom> ParseRetentionFrom(std::string_view s);

// One retention rule.  A rule applies to an entry when the entry's author
// actor is `actor`, its category is in `categories` (empty: every
// category) and, when `birth_days` is not empty, the youth was born on one
// of those days of the month.  When several rules apply, the entry is kept
// as long as any of them keeps it: kNever beats kDecision beats the latest
// deadline.  An entry no rule applies to is kept.
struct RetentionRule {
  // ASCII letters, digits, '-', '_' and '.', 1 to 64 bytes; unique.
  std::string id;
  Actor actor = Actor::kSocial;
  std::vector<Category> categories;
  RetentionFrom from = RetentionFrom::kDecision;
  int years = 0;  // 0..150
  std::vector<int> birth_days;  // 1..31
  std::string citation;  // e.g. "PDL (2008:355) 3 kap. 17 §"
  std::string summary;   // one line, English
  bool verified = false;  // the source was seen (docs/retention.md)
};

// The defaults of DESIGN §14 (docs/retention.md gives each source):
// social-case-file (social, every category, 5 years after the last social
// entry), social-child-investigation (social, category social, until the
// youth turns 30), social-research-sample (social, born on the 5th, 15th
// or 25th: never), school-pupil-health (school, category health, 10 years
// after the last school entry), school-records, police-records,
// leisure-records and coordination-records (kept until an erasure
// decision).
SSPF_EXPORT std::vector<RetentionRule> DefaultRetentionRules();

// OK when every rule is well formed (id, years 0..150, birth days 1..31,
// known categories, citation not empty) and no id repeats;
// kInvalidArgument naming the first bad rule otherwise.
SSPF_EXPORT Status ValidateRetentionRules(const std::vector<RetentionRule>& rules);

// What a plan or run is asked for.
struct RetentionRequest {
  // The erasure decision (gallringsbeslut) a run executes: its register
  // reference (diarienummer), e.g. "SN 2026/123 § 45".  1..128 bytes of
  // ASCII letters, digits, space and . , : / § - _ ( ); never a name.
  // Required by RunRetention; recorded in every event and tombstone.
  std::string decision;
  // Ids of kDecision rules that the decision covers.
  std::vector<std::string> decided_rules;
};

// One entry not yet erased, as a plan sees it.
struct RetentionPlanEntry {
  std::string entry_id;
  std::string case_id;
  std::string subject_id;
  Actor actor = Actor::kSocial;
  Category category = Category::kSocial;
  // The rule that decides (the one with the latest deadline, or the one
  // that keeps the entry); empty when no rule applies.
  std::string rule;
  // "due" (a run now erases it), "pending" (deadline in the future),
  // "case-open", "decision" (kept until an erasure decision), "never",
  // "no-rule".
  std::string state;
  std::optional<UnixSeconds> due;  // the deadline, when there is one
};

// A subject whose identity and guardian data a run would erase (every case
// of it closed and fully erased after the run).
struct RetentionPlanSubject {
  std::string subject_id;
  std::vector<std::string> case_ids;
};

struct RetentionPlan {
  UnixSeconds as_of = 0;
  std::vector<RetentionPlanEntry> entries;   // by case, then entry
  std::vector<std::string> cases;            // cases a run would mark fully erased
  std::vector<RetentionPlanSubject> subjects;
  uint64_t due_entries = 0;
};

struct RetentionRunResult {
  std::string decision;
  uint64_t cases = 0;             // cases touched (one transaction each)
  uint64_t entries_erased = 0;
  uint64_t cases_erased = 0;      // cases fully erased
  uint64_t subjects_erased = 0;
  std::string checkpoint;         // signed note taken after the erasure
  bool compacted = false;         // WAL truncated and VACUUM done
  int64_t free_pages = -1;        // PRAGMA freelist_count after VACUUM
};

}  // namespace sspf

#endif  // SSPF_RETENTION_H_
