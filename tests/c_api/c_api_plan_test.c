/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: the joint plan (åtagandeplan) and meetings
 * of issue 14.  A coordinator writes a goal, an action and a network
 * meeting; each is disclosed to the team actor the consent covers (school)
 * and not to police (on the team, outside the consent), whose plan show is
 * refused; the action's owner actor (school) marks it done, police may not
 * and the coordinator cannot do it twice; due lists the follow-up and the
 * expiring consent, and nothing of the plan for police; a new consent that
 * covers police too, and plan share discloses the plan to police, once. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static sspf_session_t* As(const sspf_options_t* opts, const char* who) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  OK(sspf_store_open(opts, who, PASS(SECRET), &s, &err));
  return s;
}

/* "YYYY-MM-DD" of today plus days. */
static void DayFromToday(int days, char* out, size_t out_size) {
  time_t t = time(NULL) + (time_t)days * 86400;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, out_size, "%Y-%m-%d", &tm);
}

void TestPlan(const char* dir) {
  static const char kMinutes[] = "N\xc3\xa4rvarande: skola, samordnare.\nN\xc3\xa4sta steg.\n";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "plan.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* json = NULL;
  char* pnr = NULL;
  char subject_id[128], case_id[128], goal_id[128], action_id[128];
  char yesterday[32], in5[32], in10[32], today[32];
  const char* team[] = {SCHOOL, POLICE};
  const int consent_actors[] = {SSPF_ACTOR_COORDINATION, SSPF_ACTOR_SCHOOL};
  const int all_actors[] = {SSPF_ACTOR_COORDINATION, SSPF_ACTOR_SCHOOL, SSPF_ACTOR_POLICE};
  const int categories[] = {SSPF_CATEGORY_PLAN, SSPF_CATEGORY_MEETING};
  const int attendees[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_COORDINATION};
  time_t now = time(NULL);
  struct tm tm_now;

  DayFromToday(-1, yesterday, sizeof yesterday);
  DayFromToday(0, today, sizeof today);
  DayFromToday(5, in5, sizeof in5);
  DayFromToday(10, in10, sizeof in10);
  gmtime_r(&now, &tm_now);

  s = As(opts, ADMIN);
  OK(sspf_session_add_principal(s, COORD, SSPF_ACTOR_COORDINATION, SSPF_ROLE_COORDINATOR,
                                PASS(SECRET), NULL, &err));
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  sspf_session_close(&s);

  /* A youth of 19 (the youth alone consents), a case, the consent. */
  s = As(opts, COORD);
  OK(sspf_make_test_personal_number(tm_now.tm_year + 1900 - 19, 2, 3, 618, 0, &pnr, &err));
  OK(sspf_session_add_subject(s, pnr, "Test Plansson", NULL, 0, &json, &err));
  sspf_free(pnr);
  CHECK(JsonString(json, NULL, "id", subject_id, sizeof subject_id));
  sspf_free(json);
  json = NULL;
  OK(sspf_session_open_case(s, subject_id, team, 2, &id, &err));
  TakeId(&id, case_id, sizeof case_id);
  OK(sspf_session_grant_consent(s, case_id, NULL, consent_actors, 2, categories, 2, in10,
                                "sspf-meeting", NULL, &id, &err));
  sspf_free(id);
  id = NULL;

  /* The plan: a goal, an action, a network meeting. */
  OK(sspf_session_plan_add_goal(s, case_id, "Regelbunden skolg\xc3\xa5ng", &json, &err));
  CHECK(json != NULL && IsDocument(json, NULL));
  CHECK(json != NULL && strstr(json, "\"kind\":\"goal\",\"disclosed_to\":[\"school\"]") != NULL);
  CHECK(JsonString(json, NULL, "id", goal_id, sizeof goal_id));
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_plan_add_goal(s, case_id, NULL, NULL, &err));
  INVALID(sspf_session_plan_add_action(s, case_id, goal_id, SSPF_ACTOR_SCHOOL, NULL,
                                       "2026-02-30", "x", NULL, &err));
  INVALID(sspf_session_plan_add_action(s, case_id, goal_id, 99, NULL, yesterday, "x", NULL,
                                       &err));
  INVALID(sspf_session_plan_add_action(s, case_id, case_id, SSPF_ACTOR_SCHOOL, NULL, yesterday,
                                       "x", NULL, &err));
  OK(sspf_session_plan_add_action(s, case_id, goal_id, SSPF_ACTOR_SCHOOL, SCHOOL, yesterday,
                                  "Daglig n\xc3\xa4rvarokontroll", &json, &err));
  CHECK(JsonString(json, NULL, "id", action_id, sizeof action_id));
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_add_meeting(s, case_id, today, 9, attendees, 2, NULL, NULL, NULL, &err));
  INVALID(sspf_session_add_meeting(s, case_id, today, SSPF_MEETING_NATVERKSMOTE, NULL, 1, NULL,
                                   NULL, NULL, &err));
  INVALID(sspf_session_add_meeting(s, case_id, in5, SSPF_MEETING_UPPFOLJNING, attendees, 2, NULL,
                                   today, NULL, &err));
  OK(sspf_session_add_meeting(s, case_id, today, SSPF_MEETING_NATVERKSMOTE, attendees, 2,
                              kMinutes, in5, &json, &err));
  CHECK(json != NULL && strstr(json, "\"kind\":\"meeting\"") != NULL);
  sspf_free(json);
  json = NULL;
  sspf_session_close(&s);

  /* School reads the plan; police (on the team, outside the consent) not. */
  s = As(opts, SCHOOL);
  OK(sspf_session_plan_show(s, case_id, &json, &err));
  CHECK(json != NULL && IsDocument(json, NULL));
  CHECK(json != NULL && strstr(json, "\"status\":\"open\",\"overdue\":true") != NULL);
  CHECK(json != NULL && strstr(json, "\"attendees\":[\"school\",\"coordination\"]") != NULL);
  CHECK(json != NULL && strstr(json, "N\xc3\xa4sta steg.\\n") != NULL);
  CHECK(json != NULL && strstr(json, "\"next_follow_up\":\"") != NULL);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_plan_show(s, case_id, NULL, &err));
  /* The owner actor's named principal marks its action done. */
  OK(sspf_session_plan_action_done(s, action_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"kind\":\"status\",\"disclosed_to\":[\"coordination\"]") !=
                            NULL);
  sspf_free(json);
  json = NULL;
  /* School has nothing of its own to share but the status. */
  OK(sspf_session_plan_share(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"disclosed\":[]") != NULL);
  sspf_free(json);
  json = NULL;
  sspf_session_close(&s);
  s = As(opts, POLICE);
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_plan_show(s, case_id, &json, &err));
  CHECK(json == NULL);
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_plan_action_done(s, action_id, NULL, &err));
  OK(sspf_session_due(s, 30, &json, &err));
  CHECK(json != NULL && IsDocument(json, NULL));
  CHECK(json != NULL && strstr(json, "action") == NULL && strstr(json, "follow-up") == NULL);
  sspf_free(json);
  json = NULL;
  sspf_session_close(&s);

  /* Done once; due for the coordinator. */
  s = As(opts, COORD);
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION, sspf_session_plan_action_done(s, action_id, NULL, &err));
  INVALID(sspf_session_plan_action_done(s, goal_id, NULL, &err));
  OK(sspf_session_due(s, 14, &json, &err));
  CHECK(json != NULL && strstr(json, "\"kind\":\"follow-up\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"kind\":\"consent-expiring\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"kind\":\"action-overdue\"") == NULL);
  /* The case by its number and the consent by its party (the youth of 19). */
  CHECK(json != NULL && strstr(json, "\"case_number\":\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"text\":null,\"party\":\"youth\"}") != NULL);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_due(s, -1, &json, &err));
  INVALID(sspf_session_due(s, 367, &json, &err));
  INVALID(sspf_session_due(s, 14, NULL, &err));
  /* Plan share: nothing while police is outside the consent; then a new
   * consent covers police, and the plan is shared with it, once. */
  OK(sspf_session_plan_share(s, case_id, &json, &err));
  CHECK(json != NULL && IsDocument(json, NULL));
  CHECK(json != NULL && strstr(json, "\"disclosed\":[]") != NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_grant_consent(s, case_id, NULL, all_actors, 3, categories, 2, in10,
                                "sspf-meeting", NULL, &id, &err));
  sspf_free(id);
  id = NULL;
  OK(sspf_session_plan_share(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"to\":\"police\"") != NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_plan_share(s, case_id, NULL, &err));
  OK(sspf_session_plan_share(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"disclosed\":[]") != NULL);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_plan_share(s, NULL, NULL, &err));
  sspf_session_close(&s);
  s = As(opts, POLICE);
  OK(sspf_session_plan_show(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"goals\":[{") != NULL);
  sspf_free(json);
  json = NULL;
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
