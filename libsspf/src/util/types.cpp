// Copyright (c) libsspf authors.
#include "sspf/types.h"
#include "sspf/plan.h"
#include "sspf/report.h"

#include <cstddef>

namespace sspf {
namespace {

template <typename E>
struct NamedValue {
  E value;
  const char* name;
};

constexpr NamedValue<Actor> kActorNames[] = {
    {Actor::kSchool, "school"},   {Actor::kSocial, "social"},
    {Actor::kPolice, "police"},   {Actor::kLeisure, "leisure"},
    {Actor::kCoordination, "coordination"},
};

constexpr NamedValue<Role> kRoleNames[] = {
    {Role::kMember, "member"},
    {Role::kCoordinator, "coordinator"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
};

constexpr NamedValue<Category> kCategoryNames[] = {
    {Category::kIdentity, "identity"}, {Category::kSchool, "school"},
    {Category::kSocial, "social"},     {Category::kPolice, "police"},
    {Category::kLeisure, "leisure"},   {Category::kHealth, "health"},
    {Category::kPlan, "plan"},         {Category::kMeeting, "meeting"},
};

constexpr NamedValue<Action> kActionNames[] = {
    {Action::kUnlock, "unlock"},
    {Action::kPrincipalAdd, "principal.add"},
    {Action::kPrincipalDisable, "principal.disable"},
    {Action::kPrincipalList, "principal.list"},
    {Action::kStaffList, "staff.list"},
    {Action::kPassphraseChange, "passphrase.change"},
    {Action::kRecoveryReset, "recovery.reset"},
    {Action::kStoreInit, "store.init"},
    {Action::kSubjectAdd, "subject.add"},
    {Action::kSubjectFind, "subject.find"},
    {Action::kSubjectShow, "subject.show"},
    {Action::kGuardianCustody, "guardian.custody"},
    {Action::kCaseOpen, "case.open"},
    {Action::kSubjectList, "subject.list"},
    {Action::kCaseList, "case.list"},
    {Action::kCaseShow, "case.show"},
    {Action::kCaseClose, "case.close"},
    {Action::kCaseTeamAdd, "case.team_add"},
    {Action::kCaseReopen, "case.reopen"},
    {Action::kCaseTeamRemove, "case.team_remove"},
    {Action::kConsentGrant, "consent.grant"},
    {Action::kConsentWithdraw, "consent.withdraw"},
    {Action::kConsentList, "consent.list"},
    {Action::kConsentConfirm, "consent.confirm"},
    {Action::kEntryAdd, "entry.add"},
    {Action::kEntryList, "entry.list"},
    {Action::kEntryRead, "entry.read"},
    {Action::kEntryDisclose, "entry.disclose"},
    {Action::kReasonList, "reason.list"},
    {Action::kPurposeNoteList, "purpose_note.list"},
    {Action::kPurposeNoteErase, "purpose_note.erase"},
    {Action::kEntryRevoke, "entry.revoke"},
    {Action::kGrantEmergency, "grant.emergency"},
    {Action::kGrantEnd, "grant.end"},
    {Action::kAuditVerify, "audit.verify"},
    {Action::kAuditCheckpoint, "audit.checkpoint"},
    {Action::kAuditQuery, "audit.query"},
    {Action::kAuditExport, "audit.export"},
    {Action::kAuditExtract, "audit.extract"},
    {Action::kAuditReview, "audit.review"},
    {Action::kAuditProve, "audit.prove"},
    {Action::kAuditAck, "audit.ack"},
    {Action::kAuditReviewClose, "audit.review_close"},
    {Action::kKeyRotate, "key.rotate"},
    {Action::kStoreRekey, "store.rekey"},
    {Action::kActorKeyDeliver, "key.deliver"},
    {Action::kEntryKeysRewrap, "key.rewrap"},
    {Action::kRetentionRun, "retention.run"},
    {Action::kRetentionPlan, "retention.plan"},
    {Action::kRetentionErase, "retention.erase"},
};

// Out-of-range values can arrive from a corrupt row or a C caller; "unknown"
// keeps the callers total instead of dereferencing nullptr.
template <typename E, std::size_t N>
const char* NameOf(const NamedValue<E> (&table)[N], E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> ParseOf(const NamedValue<E> (&table)[N], std::string_view s) {
  for (const auto& entry : table) {
    if (s == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace

const char* ActorName(Actor a) { return NameOf(kActorNames, a); }
const char* RoleName(Role r) { return NameOf(kRoleNames, r); }
const char* CategoryName(Category c) { return NameOf(kCategoryNames, c); }
const char* ActionName(Action a) { return NameOf(kActionNames, a); }

std::optional<Actor> ParseActor(std::string_view s) {
  return ParseOf(kActorNames, s);
}
std::optional<Role> ParseRole(std::string_view s) {
  return ParseOf(kRoleNames, s);
}
std::optional<Category> ParseCategory(std::string_view s) {
  return ParseOf(kCategoryNames, s);
}
std::optional<Action> ParseAction(std::string_view s) {
  return ParseOf(kActionNames, s);
}

// The report vocabulary (sspf/report.h), beside the other names.
const char* ReportLanguageName(ReportLanguage l) {
  return l == ReportLanguage::kEnglish ? "en" : "sv";
}

std::optional<ReportLanguage> ParseReportLanguage(std::string_view s) {
  if (s == "sv") return ReportLanguage::kSwedish;
  if (s == "en") return ReportLanguage::kEnglish;
  return std::nullopt;
}

const char* ExtractOutcomeName(ExtractOutcome o) {
  switch (o) {
    case ExtractOutcome::kAllowed: return "allowed";
    case ExtractOutcome::kDenied: return "denied";
    case ExtractOutcome::kFailed: return "failed";
  }
  return "unknown";
}

// The joint plan's names (sspf/plan.h).
namespace {
constexpr NamedValue<MeetingKind> kMeetingKindNames[] = {
    {MeetingKind::kMapping, "kartlaggning"},
    {MeetingKind::kNetwork, "natverksmote"},
    {MeetingKind::kFollowUp, "uppfoljning"},
};
// The Swedish spellings, and the other name of a network meeting.
constexpr NamedValue<MeetingKind> kMeetingKindAliases[] = {
    {MeetingKind::kMapping, "kartläggning"},
    {MeetingKind::kNetwork, "nätverksmöte"},
    {MeetingKind::kNetwork, "samverkansmote"},
    {MeetingKind::kNetwork, "samverkansmöte"},
    {MeetingKind::kFollowUp, "uppföljning"},
};
constexpr NamedValue<ActionStatus> kActionStatusNames[] = {
    {ActionStatus::kOpen, "open"},
    {ActionStatus::kDone, "done"},
};
}  // namespace

const char* MeetingKindName(MeetingKind k) { return NameOf(kMeetingKindNames, k); }
std::optional<MeetingKind> ParseMeetingKind(std::string_view s) {
  std::optional<MeetingKind> k = ParseOf(kMeetingKindNames, s);
  return k ? k : ParseOf(kMeetingKindAliases, s);
}
const char* ActionStatusName(ActionStatus s) { return NameOf(kActionStatusNames, s); }

}  // namespace sspf
