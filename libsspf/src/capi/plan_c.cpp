// Copyright (c) libsspf authors.
//
// C ABI: the joint plan (åtagandeplan) and meetings.
#include <cstddef>
#include <string>

#include "capi/capi_internal.h"
#include "sspf/pnr.h"

using namespace sspf::capi;  // NOLINT(build/namespaces)

static_assert(SSPF_MEETING_KARTLAGGNING == static_cast<int>(sspf::MeetingKind::kMapping), "kind");
static_assert(SSPF_MEETING_NATVERKSMOTE == static_cast<int>(sspf::MeetingKind::kNetwork), "kind");
static_assert(SSPF_MEETING_UPPFOLJNING == static_cast<int>(sspf::MeetingKind::kFollowUp), "kind");

namespace {

std::string Text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

extern "C" {

sspf_status sspf_session_plan_add_goal(sspf_session_t* session, const char* case_id,
                                       const char* text, char** out_json,
                                       sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}, {text, "text"}},
                     OptionalJson(out_json, sspf::PlanWriteJson), out_error,
                     [&](sspf::Session& s) { return s.AddPlanGoal(case_id, text); });
}

sspf_status sspf_session_plan_add_action(sspf_session_t* session, const char* case_id,
                                         const char* goal_id, int owner, const char* principal,
                                         const char* due, const char* text, char** out_json,
                                         sspf_error_t** out_error) {
  return WithSession(session,
                     {{case_id, "case_id"}, {goal_id, "goal_id"}, {due, "due"}, {text, "text"}},
                     OptionalJson(out_json, sspf::PlanWriteJson), out_error,
                     [&](sspf::Session& s) {
    sspf::NewPlanAction a;
    a.case_id = case_id;
    a.goal_id = goal_id;
    a.owner = ToActor(owner);
    a.principal = Text(principal);
    a.due = Take(sspf::ParseDate(due));
    a.text = text;
    return s.AddPlanAction(a);
  });
}

sspf_status sspf_session_plan_action_done(sspf_session_t* session, const char* action_id,
                                          char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{action_id, "action_id"}},
                     OptionalJson(out_json, sspf::PlanWriteJson), out_error,
                     [&](sspf::Session& s) { return s.MarkPlanActionDone(action_id); });
}

sspf_status sspf_session_add_meeting(sspf_session_t* session, const char* case_id,
                                     const char* date, int kind, const int* attendees,
                                     size_t attendee_count, const char* minutes,
                                     const char* next_follow_up, char** out_json,
                                     sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}, {date, "date"}},
                     OptionalJson(out_json, sspf::PlanWriteJson), out_error,
                     [&](sspf::Session& s) {
    if (attendees == nullptr && attendee_count > 0) {
      Fail(SSPF_STATUS_INVALID_ARGUMENT, "attendees is NULL with a count");
    }
    sspf::NewMeeting m;
    m.case_id = case_id;
    m.date = Take(sspf::ParseDate(date));
    m.kind = EnumFromC(sspf::kAllMeetingKinds, kind, "unknown meeting kind value");
    for (size_t i = 0; i < attendee_count; ++i) m.attendees.push_back(ToActor(attendees[i]));
    m.minutes = Text(minutes);
    if (next_follow_up != nullptr) m.next_follow_up = Take(sspf::ParseDate(next_follow_up));
    sspf::Result<sspf::PlanWrite> w = s.AddMeeting(m);
    sspf::SecureWipe(m.minutes.data(), m.minutes.size());
    return w;
  });
}

sspf_status sspf_session_plan_show(sspf_session_t* session, const char* case_id,
                                   char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}}, RequiredJson(out_json, sspf::CasePlanJson),
                     out_error, [&](sspf::Session& s) { return s.ShowPlan(case_id); });
}

sspf_status sspf_session_plan_share(sspf_session_t* session, const char* case_id,
                                    char** out_json, sspf_error_t** out_error) {
  return WithSession(session, {{case_id, "case_id"}}, OptionalJson(out_json, sspf::PlanShareJson),
                     out_error, [&](sspf::Session& s) { return s.SharePlan(case_id); });
}

sspf_status sspf_session_due(sspf_session_t* session, int days, char** out_json,
                             sspf_error_t** out_error) {
  return WithSession(session, {}, RequiredJson(out_json, sspf::DueReportJson), out_error,
                     [&](sspf::Session& s) { return s.Due(days); });
}

}  // extern "C"
