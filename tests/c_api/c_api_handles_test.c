/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: the human handles of issue 14.
 * sspf_session_resolve_id takes a case number; sspf_session_show_case
 * gives the number, the youth's name and the principal names;
 * sspf_session_list_subjects and sspf_session_list_staff are for
 * coordinators only; sspf_session_resolve_guardian names a guardian by
 * position or name and never guesses. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

void TestHandles(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "handles.db");
  sspf_session_t* s = NULL;
  char* pnr = NULL;
  char* json = NULL;
  char* id = NULL;
  char subject_id[128], case_id[128], number[64], guardian2[128], found[128];
  const char* guardians[] = {"Anna V\xc3\xa5rdnad", "Bo V\xc3\xa5rdnad"};
  const char* team[] = {SCHOOL};
  time_t now = time(NULL);
  struct tm today;

  gmtime_r(&now, &today);
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, COORD, SSPF_ACTOR_COORDINATION, SSPF_ROLE_COORDINATOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);

  OK(sspf_store_open(opts, COORD, PASS(SECRET), &s, &err));
  OK(sspf_make_test_personal_number(today.tm_year + 1900 - 13, 2, 3, 621, 0, &pnr, &err));
  OK(sspf_session_add_subject(s, pnr, "\xc3\x85sa Handtag", guardians, 2, &json, &err));
  sspf_free(pnr);
  CHECK(JsonString(json, NULL, "id", subject_id, sizeof subject_id));
  CHECK(JsonString(json, guardians[0], "id", guardian2, sizeof guardian2));
  sspf_free(json);
  OK(sspf_session_open_case(s, subject_id, team, 1, &id, &err));
  TakeId(&id, case_id, sizeof case_id);

  /* The case number: year of opening and the first of the year. */
  json = NULL;
  OK(sspf_session_show_case(s, case_id, &json, &err));
  CHECK(JsonString(json, NULL, "number", number, sizeof number));
  CHECK(strncmp(number + 4, "-0001", 5) == 0);
  CHECK(JsonString(json, NULL, "subject_name", found, sizeof found) &&
        strcmp(found, "\xc3\x85sa Handtag") == 0);
  CHECK(JsonString(json, NULL, "opened_by_name", found, sizeof found) &&
        strcmp(found, COORD) == 0);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_resolve_id(s, number, &json, &err));
  CHECK(JsonString(json, NULL, "id", found, sizeof found) && strcmp(found, case_id) == 0);
  sspf_free(json);
  json = NULL;
  EXPECT(SSPF_STATUS_NOT_FOUND, sspf_session_resolve_id(s, "1999-0001", &json, &err));
  CHECK(json == NULL);

  /* subject list, searched case-insensitively (also the Å). */
  OK(sspf_session_list_subjects(s, "\xc3\xa5sa", &json, &err));
  CHECK(IsDocument(json, "subjects"));
  CHECK(json != NULL && strstr(json, subject_id) != NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_list_subjects(s, "nobody", &json, &err));
  CHECK(json != NULL && strcmp(json, "{\"schema_version\":1,\"subjects\":[]}") == 0);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_list_subjects(s, NULL, &json, &err));
  CHECK(json != NULL && strstr(json, subject_id) != NULL);
  sspf_free(json);
  json = NULL;

  /* staff list: by actor, or every actor with a negative value. */
  OK(sspf_session_list_staff(s, SSPF_ACTOR_SCHOOL, &json, &err));
  CHECK(IsDocument(json, "staff"));
  CHECK(json != NULL && strstr(json, "\"name\":\"" SCHOOL "\"") != NULL &&
        strstr(json, COORD) == NULL && strstr(json, "created") == NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_list_staff(s, -1, &json, &err));
  CHECK(json != NULL && strstr(json, COORD) != NULL && strstr(json, ADMIN "\"") == NULL);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_list_staff(s, 99, &json, &err));

  /* Guardians by position and by name; unknown names are refused. */
  OK(sspf_session_resolve_guardian(s, case_id, "2", &json, &err));
  CHECK(JsonString(json, NULL, "guardian_id", found, sizeof found) &&
        strcmp(found, guardian2) == 0);
  CHECK(json != NULL && strstr(json, "\"position\":2") != NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_resolve_guardian(s, case_id, "BO V\xc3\x85RDNAD", &json, &err));
  CHECK(JsonString(json, NULL, "guardian_id", found, sizeof found) &&
        strcmp(found, guardian2) == 0);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_resolve_guardian(s, case_id, "Carl", &json, &err));
  INVALID(sspf_session_resolve_guardian(s, case_id, "3", &json, &err));
  INVALID(sspf_session_resolve_guardian(s, case_id, NULL, &json, &err));
  CHECK(json == NULL);
  sspf_session_close(&s);

  /* A member: no subject list, no staff list. */
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_list_subjects(s, NULL, &json, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_list_staff(s, -1, &json, &err));
  CHECK(json == NULL);
  /* On the team: the name in the case document too. */
  OK(sspf_session_show_case(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"subject_name\":\"\xc3\x85sa Handtag\"") != NULL);
  sspf_free(json);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
