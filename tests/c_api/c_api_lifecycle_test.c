/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: the lifecycle functions of issue 12.
 * sspf_session_revoke_disclosure stops the recipient's reads;
 * sspf_session_grant_emergency_json returns the grant with its end and
 * sspf_session_end_grant ends it; sspf_session_remove_team_member,
 * sspf_session_reopen_case; sspf_session_set_guardian_custody shows in the
 * subject document. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

#define PIA "pia.police"

static sspf_session_t* As(const sspf_options_t* opts, const char* who) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  OK(sspf_store_open(opts, who, PASS(SECRET), &s, &err));
  return s;
}

void TestLifecycle(const char* dir) {
  static const char kBody[] = "Elevens fr\xc3\xa5nvaro har \xc3\xb6kat.";
  static const char kProvision[] = "OSL 10 kap. 15 a \xc2\xa7";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "lifecycle.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* json = NULL;
  uint8_t* body = NULL;
  size_t body_len = 0;
  char case_id[128], entry_id[128], disclosure_id[128], grant_id[128], subject_id[128],
      guardian_id[128];
  const char* team[] = {SCHOOL, POLICE};

  s = As(opts, ADMIN);
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  OK(sspf_session_add_principal(s, PIA, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 424, team, 2, case_id, sizeof case_id);

  /* Revoke: school discloses under a provision, police reads, school revokes. */
  s = As(opts, SCHOOL);
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  OK(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_POLICE, NULL, NULL, kProvision,
                                 "intresseavv\xc3\xa4gning gjord", &id, &err));
  TakeId(&id, disclosure_id, sizeof disclosure_id);
  sspf_session_close(&s);
  s = As(opts, POLICE);
  OK(sspf_session_read_entry(s, entry_id, "follow-up", &body, &body_len, NULL, &err));
  sspf_free(body);
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_revoke_disclosure(s, disclosure_id, &err));
  sspf_session_close(&s);
  s = As(opts, SCHOOL);
  INVALID(sspf_session_revoke_disclosure(s, NULL, &err));
  EXPECT(SSPF_STATUS_NOT_FOUND, sspf_session_revoke_disclosure(s, "no-such", &err));
  OK(sspf_session_revoke_disclosure(s, disclosure_id, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION,
         sspf_session_revoke_disclosure(s, disclosure_id, &err));
  sspf_session_close(&s);
  s = As(opts, POLICE);
  body = NULL;
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_read_entry(s, entry_id, "follow-up", &body, &body_len, NULL, &err));
  CHECK(body == NULL && body_len == 0);
  sspf_session_close(&s);

  /* Consent content and each actor's own reference (consent.confirm). */
  {
    const int actors[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_POLICE};
    const int one_actor[] = {SSPF_ACTOR_SCHOOL};
    const int categories[] = {SSPF_CATEGORY_SCHOOL};
    char until[32], too_late[32], consent_id[128];
    time_t t = time(NULL) + 45 * 86400; /* past 1 month, within 12 */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(until, sizeof until, "%Y-%m-%d", &tm);
    t = time(NULL) + 400 * 86400;
    gmtime_r(&t, &tm);
    strftime(too_late, sizeof too_late, "%Y-%m-%d", &tm);
    INVALID(sspf_options_set_consent_max_months(opts, 0, &err));
    INVALID(sspf_options_set_consent_max_months(opts, 121, &err));
    OK(sspf_options_set_consent_max_months(opts, 1, &err));
    s = As(opts, COORD);
    INVALID(sspf_session_grant_consent(s, case_id, NULL, actors, 2, categories, 1, until,
                                       "planning", NULL, &id, &err));
    sspf_session_close(&s);
    OK(sspf_options_set_consent_max_months(opts, 12, &err));
    s = As(opts, COORD);
    INVALID(sspf_session_grant_consent(s, case_id, NULL, actors, 2, categories, 1, too_late,
                                       "planning", NULL, &id, &err));
    INVALID(sspf_session_grant_consent(s, case_id, NULL, actors, 2, categories, 1, until, NULL,
                                       NULL, &id, &err));
    INVALID(sspf_session_grant_consent(s, case_id, NULL, one_actor, 1, categories, 1, until,
                                       "planning", NULL, &id, &err));
    OK(sspf_session_grant_consent(s, case_id, NULL, actors, 2, categories, 1, until, "planering",
                                  "KS 2026/41", &id, &err));
    TakeId(&id, consent_id, sizeof consent_id);
    sspf_session_close(&s);
    s = As(opts, POLICE);
    INVALID(sspf_session_confirm_consent(s, consent_id, NULL, &err));
    EXPECT(SSPF_STATUS_NOT_FOUND, sspf_session_confirm_consent(s, "no-such", "Dnr 1", &err));
    OK(sspf_session_confirm_consent(s, consent_id, "Dnr POL-2026-117", &err));
    EXPECT(SSPF_STATUS_ALREADY_EXISTS,
           sspf_session_confirm_consent(s, consent_id, "Dnr POL-2026-118", &err));
    OK(sspf_session_list_consents(s, case_id, &json, &err));
    CHECK(json != NULL && IsDocument(json, "consents"));
    CHECK(json != NULL && strstr(json, "\"purpose\":\"planning\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"references\":[{\"actor\":\"coordination\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"reference\":\"Dnr POL-2026-117\"") != NULL);
    sspf_free(json);
    sspf_session_close(&s);
  }

  /* An emergency grant with its end, ended early. */
  s = As(opts, PIA);
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_show_case(s, case_id, &json, &err));
  INVALID(sspf_session_grant_emergency_json(s, case_id, kProvision, "avv\xc3\xa4gning", 4, NULL,
                                            &err));
  OK(sspf_session_grant_emergency_json(s, case_id, kProvision, "avv\xc3\xa4gning", 4, &json,
                                       &err));
  CHECK(json != NULL && IsDocument(json, NULL));
  CHECK(json != NULL && strstr(json, "\"until\":\"") != NULL);
  CHECK(JsonString(json, NULL, "id", grant_id, sizeof grant_id));
  sspf_free(json);
  OK(sspf_session_show_case(s, case_id, &json, &err));
  sspf_free(json);
  OK(sspf_session_end_grant(s, grant_id, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION, sspf_session_end_grant(s, grant_id, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_show_case(s, case_id, &json, &err));
  sspf_session_close(&s);

  /* Team remove and reopen (coordinator); custody. */
  s = As(opts, COORD);
  OK(sspf_session_remove_team_member(s, case_id, POLICE, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION,
         sspf_session_remove_team_member(s, case_id, POLICE, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION, sspf_session_reopen_case(s, case_id, &err));
  OK(sspf_session_close_case(s, case_id, &err));
  OK(sspf_session_reopen_case(s, case_id, &err));
  OK(sspf_session_show_case(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"open\":true") != NULL);
  CHECK(json != NULL && strstr(json, "\"team_disabled\":[]") != NULL);
  sspf_free(json);
  {
    const char* guardians[] = {"Vera V\xc3\xa5rdnadshavare"};
    char* pnr = NULL;
    time_t now = time(NULL);
    struct tm today;
    gmtime_r(&now, &today);
    OK(sspf_make_test_personal_number(today.tm_year + 1900 - 10, 2, 3, 425, 0, &pnr, &err));
    OK(sspf_session_add_subject(s, pnr, "Test Barn", guardians, 1, &json, &err));
    sspf_free(pnr);
    CHECK(JsonString(json, NULL, "id", subject_id, sizeof subject_id));
    CHECK(JsonString(json, "\"guardians\"", "id", guardian_id, sizeof guardian_id));
    sspf_free(json);
  }
  OK(sspf_session_set_guardian_custody(s, subject_id, guardian_id, 0, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION,
         sspf_session_set_guardian_custody(s, subject_id, guardian_id, 0, &err));
  EXPECT(SSPF_STATUS_NOT_FOUND,
         sspf_session_set_guardian_custody(s, subject_id, "no-such", 1, &err));
  INVALID(sspf_session_set_guardian_custody(s, NULL, guardian_id, 1, &err));
  OK(sspf_session_show_subject(s, subject_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"custody\":false") != NULL);
  sspf_free(json);
  sspf_session_close(&s);

  s = As(opts, POLICE);
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_list_entries(s, case_id, &json, &err));
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
