// Copyright (c) libsspf authors.
//
// Domain vocabulary shared by the whole API (DESIGN §2).  Names in code are
// English; docs/access-rules.md gives the Swedish terms.
#ifndef SSPF_TYPES_H_
#define SSPF_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"

namespace sspf {

// The SSPF actors.  Values are stored in the store and in access-log leaves:
// never renumber.
enum class Actor : uint8_t {
  kSchool = 1,        // skola
  kSocial = 2,        // socialtjänst
  kPolice = 3,        // polis
  kLeisure = 4,       // fritid
  kCoordination = 5,  // the municipality's SSPF coordination (samordning)
};

// Values are stored: never renumber.
enum class Role : uint8_t {
  kMember = 1,       // staff of an actor
  kCoordinator = 2,  // runs SSPF cases (samordnare)
  kAuditor = 3,      // reads the access log, never case content
  kAdmin = 4,        // manages principals and keys, never case content
};

// Entry categories.  Values are stored: never renumber.
enum class Category : uint8_t {
  kIdentity = 1,
  kSchool = 2,
  kSocial = 3,
  kPolice = 4,
  kLeisure = 5,
  kHealth = 6,
  kPlan = 7,     // joint action plan (gemensam handlingsplan)
  kMeeting = 8,  // SSPF meeting minutes
};

inline constexpr Actor kAllActors[] = {Actor::kSchool, Actor::kSocial,
                                       Actor::kPolice, Actor::kLeisure,
                                       Actor::kCoordination};
inline constexpr Role kAllRoles[] = {Role::kMember, Role::kCoordinator,
                                     Role::kAuditor, Role::kAdmin};
inline constexpr Category kAllCategories[] = {
    Category::kIdentity, Category::kSchool, Category::kSocial,
    Category::kPolice,   Category::kLeisure, Category::kHealth,
    Category::kPlan,     Category::kMeeting};

// Lower-case names as used on the CLI: "school", "social", "police",
// "leisure", "coordination"; "member", "coordinator", "auditor", "admin";
// "identity", "school", ... "meeting".
SSPF_EXPORT const char* ActorName(Actor a);
SSPF_EXPORT const char* RoleName(Role r);
SSPF_EXPORT const char* CategoryName(Category c);
// Parse the names above; std::nullopt for anything else (case-sensitive).
SSPF_EXPORT std::optional<Actor> ParseActor(std::string_view s);
SSPF_EXPORT std::optional<Role> ParseRole(std::string_view s);
SSPF_EXPORT std::optional<Category> ParseCategory(std::string_view s);


// Everything the access log records.  Values are written into access-log
// leaves: never renumber, only append.
enum class Action : uint16_t {
  kUnlock = 1,            // a principal opened the store (or failed to)
  kPrincipalAdd = 2,
  kPrincipalDisable = 3,
  kPrincipalList = 4,
  kPassphraseChange = 5,
  kRecoveryReset = 6,     // passphrase reset with the recovery key
  kStoreInit = 7,
  kStaffList = 8,         // the active staff listed (names, actor, role)
  kSubjectAdd = 20,
  kSubjectFind = 21,
  kSubjectShow = 22,
  kGuardianCustody = 23,  // a guardian's custody (vårdnad) recorded as changed
  kSubjectList = 24,      // the youths listed (or searched by name)
  kCaseOpen = 30,
  kCaseList = 31,
  kCaseShow = 32,
  kCaseClose = 33,
  kCaseTeamAdd = 34,
  kCaseReopen = 35,
  kCaseTeamRemove = 36,
  kConsentGrant = 40,
  kConsentWithdraw = 41,
  kConsentList = 42,
  kConsentConfirm = 43,   // an actor records its own reference to a consent
  kEntryAdd = 50,
  kEntryList = 51,
  kEntryRead = 52,
  kEntryDisclose = 53,
  kReasonList = 54,       // the reasons of a case's disclosures and grants
  kPurposeNoteList = 55,  // the purpose notes of a case's reads
  kPurposeNoteErase = 56, // a purpose note's text erased (its commitment stays)
  kEntryRevoke = 57,      // a disclosure revoked by its disclosing actor
  kGrantEmergency = 60,
  kGrantEnd = 61,         // a legal-basis grant ended before its end time
  kAuditVerify = 70,
  kAuditCheckpoint = 71,
  kAuditQuery = 72,
  kAuditExport = 73,
  kAuditExtract = 74,
  kAuditReview = 75,
  kAuditProve = 76,
  kAuditAck = 77,          // an auditor signed off a flagged event
  kAuditReviewClose = 78,  // an auditor closed a review period
  kKeyRotate = 80,
  kStoreRekey = 81,
  kActorKeyDeliver = 82,  // an actor key sealed to a new member
  kEntryKeysRewrap = 83,  // one batch of entry keys re-sealed to the newest actor key
  kRetentionRun = 90,     // a retention run begins: its decision (gallringsbeslut)
  kRetentionPlan = 91,    // the dry run: what a run would erase
  kRetentionErase = 92,   // one case's erasure under a decision (replayed)
};

// "unlock", "principal.add", ... as printed by audit export and accepted by
// audit query --action.
SSPF_EXPORT const char* ActionName(Action a);
SSPF_EXPORT std::optional<Action> ParseAction(std::string_view s);

// A calendar date (proleptic Gregorian).
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator<(const Date& a, const Date& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
  friend bool operator<=(const Date& a, const Date& b) { return !(b < a); }
};

// Time in whole seconds since the Unix epoch, UTC.
using UnixSeconds = int64_t;

}  // namespace sspf

#endif  // SSPF_TYPES_H_
