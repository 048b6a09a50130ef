// Copyright (c) libsspf authors.
//
// The SSPF plan (åtagandeplan, the joint plan) and the SSPF meetings as
// structured data (docs/access-rules.md, "The joint plan").  Every goal, action, status change and
// meeting is an entry of the case (category plan or meeting) whose encrypted
// body is a small structured document, so that it is encrypted, decided,
// disclosed and logged exactly like every other entry: nothing of it (text,
// owner, due date, status, attendees, minutes) is in a plaintext column or a
// log leaf.  Value types without behaviour; included by store.h.
#ifndef SSPF_PLAN_H_
#define SSPF_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/types.h"

namespace sspf {

// The kind of an SSPF meeting.  Values are written inside encrypted entry
// bodies and taken by the C ABI: never renumber.
enum class MeetingKind : uint8_t {
  kMapping = 1,   // kartläggning: the first meeting, the youth's situation mapped
  kNetwork = 2,   // nätverksmöte (samverkansmöte): the actors and the family agree the plan
  kFollowUp = 3,  // uppföljning: the plan followed up
};
inline constexpr MeetingKind kAllMeetingKinds[] = {MeetingKind::kMapping, MeetingKind::kNetwork,
                                                   MeetingKind::kFollowUp};
// "kartlaggning", "natverksmote", "uppfoljning" (ASCII, as on the CLI);
// "unknown" for a value without a name.
SSPF_EXPORT const char* MeetingKindName(MeetingKind k);
// The names above, with or without å/ä/ö, and "samverkansmote" (the other
// name of a network meeting); std::nullopt for anything else.
SSPF_EXPORT std::optional<MeetingKind> ParseMeetingKind(std::string_view s);

// An action's status.  Values are written inside encrypted entry bodies:
// never renumber.
enum class ActionStatus : uint8_t {
  kOpen = 1,
  kDone = 2,
};
// "open", "done"; "unknown" for a value without a name.
SSPF_EXPORT const char* ActionStatusName(ActionStatus s);

// A goal of the plan (mål).
struct PlanGoal {
  std::string id;  // the entry id
  std::string text;
  std::string author;  // principal name
  UnixSeconds created = 0;
};

// An action (insats/åtagande): who does what by when.
struct PlanAction {
  std::string id;       // the entry id
  std::string goal_id;  // the goal it serves
  Actor owner = Actor::kSchool;  // the actor that has taken it on
  std::string principal;         // a named person of that actor, or empty
  Date due;
  std::string text;
  ActionStatus status = ActionStatus::kOpen;
  // Derived, never stored: open and due before the plan's as_of day.
  bool overdue = false;
  // When done: the status entry that recorded it, and when.
  std::optional<std::string> done_entry_id;
  std::optional<UnixSeconds> done_at;
  std::string author;  // principal name
  UnixSeconds created = 0;
};

// An SSPF meeting (möte) with its minutes (protokoll/anteckningar).
struct PlanMeeting {
  std::string id;  // the entry id
  Date date;
  MeetingKind kind = MeetingKind::kNetwork;
  std::vector<Actor> attendees;  // by actor
  std::optional<Date> next_follow_up;
  std::string minutes;  // may be empty
  std::string author;   // principal name
  UnixSeconds created = 0;
};

// What the reader may read of a case's plan (Session::ShowPlan).
struct CasePlan {
  std::string case_id;
  Date as_of;  // the day overdue was derived for
  std::vector<PlanGoal> goals;        // oldest first
  std::vector<PlanAction> actions;    // by due date, then oldest first
  std::vector<PlanMeeting> meetings;  // by meeting date, then oldest first
  // The next follow-up date of the latest meeting, when it set one.
  std::optional<Date> next_follow_up;
  // How many disclosures Session::SharePlan would make now: (entry, actor)
  // pairs of this reader's actor's plan and meeting entries that a team
  // actor covered by a consent in force does not hold (the consent or the
  // member came after the entry).  0: the covered actors see it all.
  int64_t unshared = 0;
};

// One disclosure Session::SharePlan made.
struct PlanShareItem {
  std::string entry_id;
  Category category = Category::kPlan;  // plan or meeting
  Actor to = Actor::kSchool;
  std::string disclosure_id;
};

// What Session::SharePlan did, and the (entry, actor) pairs it left.
struct PlanShare {
  std::string case_id;
  std::vector<PlanShareItem> disclosed;  // empty: nothing left to share
  int64_t held = 0;         // pairs where the actor already holds a disclosure in force
  int64_t not_covered = 0;  // pairs without a consent in force (missing, withdrawn, expired)
  int64_t revoked = 0;      // pairs whose disclosure was revoked: not disclosed again
  int64_t other_author = 0;  // entries of another actor: that actor's members share them
};

// A new action (Session::AddPlanAction).
struct NewPlanAction {
  std::string case_id;
  std::string goal_id;  // a goal of the same case
  Actor owner = Actor::kSchool;
  std::string principal;  // optional: a principal of actor `owner`, by name
  Date due;
  std::string text;
};

// A new meeting (Session::AddMeeting).
struct NewMeeting {
  std::string case_id;
  Date date;
  MeetingKind kind = MeetingKind::kNetwork;
  std::vector<Actor> attendees;  // at least one, no repeats
  std::string minutes;           // optional
  std::optional<Date> next_follow_up;  // on or after date
};

// What a plan write did: the new entry and the actors it was disclosed to
// (each actor on the case team that a consent in force covers for the
// entry's category; docs/access-rules.md).
struct PlanWrite {
  std::string id;  // the new entry's id
  std::string case_id;
  std::string kind;  // "goal", "action", "status" or "meeting"
  std::vector<Actor> disclosed_to;
};

// One thing that is due (Session::Due).
struct DueItem {
  // "action-overdue" (open, due before today), "action-due" (open, due
  // within the window), "follow-up" (the next follow-up of the case's
  // latest meeting, within the window or past), "consent-expiring" (a
  // consent in force whose last day is within the window), "retention"
  // (an entry of a closed case whose retention deadline is within the
  // window or past), "plan-unshared" (plan entries of the caller's actor
  // that a covered team actor lacks: run plan share; text is how many
  // disclosures it would make, id is empty, date is today).
  std::string kind;
  std::string case_id;
  // The case's number (ärendenummer, "2026-0042") as case list shows it;
  // empty for the admin's retention items.
  std::string case_number;
  // The action's, meeting's or entry's entry id, or the consent id.
  std::string id;
  Date date;      // the due, follow-up, last valid or deadline day
  int64_t days = 0;  // date minus today in days (negative: past)
  // Actions only: the owner and the named principal; mine is true when the
  // action's owner is the caller's actor (and its principal, if named, is
  // the caller).
  std::optional<Actor> owner;
  std::string principal;
  bool mine = false;
  // Actions: the action text; retention: the rule id; otherwise empty.
  std::string text;
  // consent-expiring: whose consent it is, "youth" or "guardian:N" (the
  // guardian's position, 1 the first registered, as --party takes it);
  // otherwise empty.
  std::string party;
};

struct DueReport {
  Date as_of;
  int days = 0;  // the window: today .. today + days
  std::vector<DueItem> items;  // by date, then kind, then case and id
};

}  // namespace sspf

#endif  // SSPF_PLAN_H_
