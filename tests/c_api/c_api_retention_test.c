/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: retention (gallring).  The options carry the
 * rules; the plan and the run return the documents of `sspf-tool retention
 * plan|run --json`; an erased entry reads as FAILED_PRECONDITION and the
 * log still verifies. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static void TestRetentionOptions(void) {
  sspf_error_t* err = NULL;
  sspf_options_t* o = NULL;
  char* json = NULL;
  const int health[] = {SSPF_CATEGORY_HEALTH};
  const int days[] = {5, 15};
  OK(sspf_options_create(&o, &err));
  OK(sspf_options_retention_rules_json(o, &json, &err));
  CHECK(json != NULL && IsDocument(json, "rules"));
  CHECK(json != NULL && strstr(json, "{\"id\":\"school-pupil-health\",\"actor\":\"school\","
                                     "\"categories\":[\"health\"],\"from\":\"last-entry\","
                                     "\"years\":10,") != NULL);
  sspf_free(json);
  INVALID(sspf_options_add_retention_rule(o, "social-case-file", SSPF_ACTOR_SOCIAL, NULL, 0,
                                          SSPF_RETENTION_FROM_NEVER, 0, NULL, 0, "x", NULL, 0,
                                          &err)); /* repeats an id */
  INVALID(sspf_options_add_retention_rule(o, "r", SSPF_ACTOR_SOCIAL, NULL, 0, 9, 0, NULL, 0, "x",
                                          NULL, 0, &err));
  INVALID(sspf_options_add_retention_rule(o, "r", SSPF_ACTOR_SOCIAL, NULL, 1,
                                          SSPF_RETENTION_FROM_NEVER, 0, NULL, 0, "x", NULL, 0,
                                          &err));
  INVALID(sspf_options_add_retention_rule(o, "r", SSPF_ACTOR_SOCIAL, NULL, 0,
                                          SSPF_RETENTION_FROM_BIRTH, 151, NULL, 0, "x", NULL, 0,
                                          &err));
  INVALID(sspf_options_add_retention_rule(o, "r", SSPF_ACTOR_SOCIAL, NULL, 0,
                                          SSPF_RETENTION_FROM_NEVER, 0, NULL, 0, NULL, NULL, 0,
                                          &err));
  OK(sspf_options_clear_retention_rules(o, &err));
  OK(sspf_options_add_retention_rule(o, "h", SSPF_ACTOR_SCHOOL, health, 1,
                                     SSPF_RETENTION_FROM_NEVER, 0, days, 2, "PDL", NULL, 1, &err));
  OK(sspf_options_retention_rules_json(o, &json, &err));
  CHECK(json != NULL &&
        strcmp(json, "{\"schema_version\":1,\"rules\":[{\"id\":\"h\",\"actor\":\"school\","
                     "\"categories\":[\"health\"],\"from\":\"never\",\"years\":0,"
                     "\"birth_days\":[5,15],\"citation\":\"PDL\",\"summary\":\"\","
                     "\"verified\":true}]}") == 0);
  sspf_free(json);
  sspf_options_destroy(&o);
}

static unsigned g_progress_calls;
static void CountProgress(void* user_data, uint64_t done, uint64_t total) {
  (void)user_data;
  if (done <= total) ++g_progress_calls;
}

void TestRetention(const char* dir) {
  static const char kBody[] = "Skolans anteckning C-GALLRA.";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "retention.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* json = NULL;
  uint8_t* body = NULL;
  size_t body_len = 0;
  char case_id[128], entry_id[128];
  const char* team[] = {SCHOOL};
  const char* decided[] = {"no-such-rule"};

  TestRetentionOptions();
  /* School entries are due at the case's closure. */
  OK(sspf_options_clear_retention_rules(opts, &err));
  OK(sspf_options_add_retention_rule(opts, "school-now", SSPF_ACTOR_SCHOOL, NULL, 0,
                                     SSPF_RETENTION_FROM_CASE_CLOSED, 0, NULL, 0, "test rule",
                                     "erased at closure", 0, &err));
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 441, team, 1, case_id, sizeof case_id);
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_retention_plan(s, NULL, NULL, 0, &json, &err));
  CHECK(json == NULL);
  sspf_session_close(&s);
  OK(sspf_store_open(opts, COORD, PASS(SECRET), &s, &err));
  OK(sspf_session_close_case(s, case_id, &err));
  sspf_session_close(&s);

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  INVALID(sspf_session_retention_plan(s, NULL, decided, 1, &json, &err));
  INVALID(sspf_session_retention_plan(s, NULL, NULL, 0, NULL, &err));
  OK(sspf_session_retention_plan(s, NULL, NULL, 0, &json, &err));
  CHECK(json != NULL && strncmp(json, "{\"schema_version\":1,\"as_of\":", 28) == 0);
  CHECK(json != NULL && strstr(json, "\"due_entries\":1,") != NULL);
  CHECK(json != NULL && strstr(json, entry_id) != NULL);
  CHECK(json != NULL && strstr(json, "\"rule\":\"school-now\",\"state\":\"due\"") != NULL);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_retention_run(s, NULL, NULL, 0, NULL, NULL, &json, &err));
  INVALID(sspf_session_retention_run(s, "Beslut om Nils!", NULL, 0, NULL, NULL, &json, &err));
  g_progress_calls = 0;
  OK(sspf_session_retention_run(s, "BUN 2026/4", NULL, 0, CountProgress, NULL, &json, &err));
  CHECK(g_progress_calls == 1);
  CHECK(json != NULL && strncmp(json, "{\"schema_version\":1,\"decision\":\"BUN 2026/4\","
                                      "\"cases\":1,\"entries_erased\":1,\"cases_erased\":1,"
                                      "\"subjects_erased\":1,\"checkpoint\":",
                                105) == 0);
  CHECK(json != NULL && strstr(json, "\"compacted\":true,\"free_pages\":0}") != NULL);
  sspf_free(json);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION,
         sspf_session_read_entry(s, entry_id, NULL, &body, &body_len, NULL, &err));
  CHECK(body == NULL);
  sspf_session_close(&s);
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  OK(sspf_session_verify(s, NULL, &json, &err));
  sspf_free(json);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
