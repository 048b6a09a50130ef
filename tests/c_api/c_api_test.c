/* Copyright (c) libsspf authors.
 *
 * Tests of the C ABI (sspf/sspf.h), compiled as C11: a self-contained
 * program that counts failed checks and exits non-zero if any failed (like
 * leveldb's db/c_test.c).  It runs a whole SSPF case through the C API and
 * checks the ABI conventions: status codes and error objects, NULL
 * arguments, denied reads returning nothing, sspf_free for every buffer,
 * release functions that null the handle, JSON results that are documents
 * of the one schema (docs/json-schema.md); c_api_enum_test.c checks the
 * enum arguments, c_api_test_json.c has the JSON helpers.  Run under
 * valgrind as well (ctest label valgrind). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

int g_checks = 0;
int g_failures = 0;

static sspf_status CountLines(void* user, const char* line, size_t len) {
  CHECK(line != NULL);
  CHECK(strlen(line) == len);
  ++*(int*)user;
  return SSPF_STATUS_OK;
}

static sspf_status StopAtOnce(void* user, const char* line, size_t len) {
  (void)line;
  (void)len;
  ++*(int*)user;
  return SSPF_STATUS_IO_ERROR;
}

static void TestGlobals(void) {
  sspf_error_t* err = NULL;
  char* pnr = NULL;
  CHECK(sspf_version() != NULL && strlen(sspf_version()) > 0);
  CHECK(strcmp(sspf_status_name(SSPF_STATUS_OK), "ok") == 0);
  CHECK(strcmp(sspf_status_name(SSPF_STATUS_WRONG_KEY), "wrong_key") == 0);
  CHECK(strcmp(sspf_status_name(12345), "unknown") == 0);
  sspf_free(NULL);
  sspf_error_free(NULL);
  sspf_error_free(&err);
  CHECK(sspf_error_code(NULL) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(strcmp(sspf_error_message(NULL), "") == 0);

  OK(sspf_make_test_personal_number(2009, 6, 15, 123, 0, &pnr, &err));
  CHECK(pnr != NULL && strlen(pnr) == 12 && strncmp(pnr, "20090615123", 11) == 0);
  sspf_free(pnr);
  pnr = NULL;
  OK(sspf_make_test_personal_number(2009, 6, 15, 123, 1, &pnr, &err));
  CHECK(pnr != NULL && strncmp(pnr, "20090675", 8) == 0);
  sspf_free(pnr);
  pnr = NULL;
  CHECK(sspf_make_test_personal_number(2009, 2, 30, 1, 0, &pnr, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(pnr == NULL);
  CHECK(err != NULL && sspf_error_code(err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(err == NULL);
}

static void TestNullArguments(void) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* session = NULL;
  uint8_t* body = (uint8_t*)1;
  size_t body_len = 99;
  char* json = (char*)1;

  CHECK(sspf_options_create(NULL, &err) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(err != NULL);
  CHECK(sspf_error_code(err) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(sspf_error_message(err), "NULL") != NULL);
  sspf_error_free(&err);
  CHECK(err == NULL);
  CHECK(sspf_options_set_path(NULL, "x", &err) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(err != NULL && strstr(sspf_error_message(err), "options") != NULL);
  sspf_error_free(&err);
  /* *out_error is written, never read: garbage in it is overwritten, and a
   * success sets it to NULL. */
  err = (sspf_error_t*)0x1;
  CHECK(sspf_make_test_personal_number(2009, 6, 15, 1, 0, &json, &err) ==
        SSPF_STATUS_OK);
  CHECK(err == NULL);
  sspf_free(json);
  json = (char*)1;
  err = (sspf_error_t*)0x1;
  CHECK(sspf_options_create(NULL, &err) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(err != (sspf_error_t*)0x1 && err != NULL);
  sspf_error_free(&err);
  /* out_error may be NULL. */
  CHECK(sspf_options_create(NULL, NULL) == SSPF_STATUS_INVALID_ARGUMENT);

  OK(sspf_options_create(&opts, &err));
  CHECK(sspf_options_set_path(opts, NULL, &err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_options_set_passphrase_cost(opts, 77, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_options_set_consent_policy(opts, 20, 18, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_options_set_clock_tolerance(opts, -1, &err) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(err != NULL && strstr(sspf_error_message(err), "clock tolerance") != NULL);
  sspf_error_free(&err);
  CHECK(sspf_options_set_clock_tolerance(NULL, 60, &err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  OK(sspf_options_set_clock_tolerance(opts, 300, &err));
  CHECK(sspf_store_open(NULL, "a", PASS("passphrase"), &session, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(session == NULL);
  sspf_error_free(&err);
  CHECK(sspf_store_open(opts, NULL, PASS("passphrase"), &session, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_store_open(opts, "a", SSPF_CREDENTIAL_PASSPHRASE, NULL, 5, &session,
                        &err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_store_open(opts, "a", PASS("passphrase"), NULL, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_store_open(opts, "a", 42, P("passphrase"), 10, &session, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_store_create(NULL, "admin", PASS("passphrase"), NULL, NULL, NULL,
                          &err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);

  /* Session functions with a NULL session; outputs are cleared. */
  CHECK(sspf_session_read_entry(NULL, "e", NULL, &body, &body_len, &json,
                                &err) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(body == NULL && body_len == 0 && json == NULL);
  sspf_error_free(&err);
  CHECK(sspf_session_list_cases(NULL, &json, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_session_query_events(NULL, NULL, &json, &err) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_session_checkpoint(NULL, NULL, NULL) ==
        SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(sspf_session_export_tiles(NULL, NULL, NULL, NULL) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(sspf_session_export_events(NULL, NULL, SSPF_EXPORT_CSV, NULL, NULL,
                                   NULL) == SSPF_STATUS_INVALID_ARGUMENT);
  CHECK(sspf_audit_filter_set_case(NULL, "x", NULL) ==
        SSPF_STATUS_INVALID_ARGUMENT);

  /* Release functions accept NULL and null the handle; double release is
   * safe. */
  sspf_session_close(NULL);
  sspf_session_close(&session);
  sspf_options_destroy(&opts);
  CHECK(opts == NULL);
  sspf_options_destroy(&opts);
  sspf_options_destroy(NULL);
  sspf_audit_filter_destroy(NULL);
}

/* The value of a number member "key" of a small JSON document, or -1. */
static long long JsonNumber(const char* json, const char* key) {
  char pattern[64];
  snprintf(pattern, sizeof(pattern), "\"%s\":", key);
  const char* at = json ? strstr(json, pattern) : NULL;
  return at ? strtoll(at + strlen(pattern), NULL, 10) : -1;
}

static sspf_session_t* Open(const sspf_options_t* opts, const char* who) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  OK(sspf_store_open(opts, who, PASS(SECRET), &s, &err));
  CHECK(s != NULL);
  return s;
}

static void TestScenario(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* s = NULL;
  char path[512];
  char* store_id = NULL;
  uint8_t* recovery = NULL;
  size_t recovery_len = 0;
  char* json = NULL;
  char* id = NULL;
  char subject_id[128], guardian1[128], guardian2[128], case_id[128];
  char youth_consent[128], entry_id[128];
  char pnr_text[32];
  char* pnr = NULL;
  time_t now = time(NULL);
  struct tm today;
  char until[32];
  uint8_t* body = NULL;
  size_t body_len = 0;
  static const char kBody[] = "Pupil absent 12 of 20 days; meeting with guardians held.";

  gmtime_r(&now, &today);
  snprintf(path, sizeof path, "%s/store.db", dir);
  { /* 180 days on: a consent lasts at most 12 months */
    time_t later = time(NULL) + 180 * 86400;
    struct tm t;
    gmtime_r(&later, &t);
    strftime(until, sizeof until, "%Y-%m-%d", &t);
  }

  OK(sspf_options_create(&opts, &err));
  OK(sspf_options_set_path(opts, path, &err));
  OK(sspf_options_set_passphrase_cost(opts, SSPF_COST_INTERACTIVE, &err));
  OK(sspf_options_set_checkpoint_interval(opts, 1000, 3600, &err));
  OK(sspf_options_set_max_entry_bytes(opts, 1 << 20, &err));
  OK(sspf_options_set_consent_policy(opts, 15, 18, &err));

  /* Create; a second create at the same path fails. */
  OK(sspf_store_create(opts, ADMIN, PASS(SECRET), &store_id, &recovery,
                       &recovery_len, &err));
  CHECK(store_id != NULL && strlen(store_id) > 0);
  CHECK(recovery != NULL && recovery_len == 32);
  sspf_free(recovery); /* wipes it */
  recovery = (uint8_t*)1;
  recovery_len = 99;
  CHECK(sspf_store_create(opts, ADMIN, PASS(SECRET), NULL, &recovery,
                          &recovery_len, &err) == SSPF_STATUS_ALREADY_EXISTS);
  CHECK(sspf_error_code(err) == SSPF_STATUS_ALREADY_EXISTS);
  sspf_error_free(&err);
  /* The failed call cleared the outputs. */
  CHECK(recovery == NULL && recovery_len == 0);

  /* Wrong passphrase: WRONG_KEY with a message and no session. */
  CHECK(sspf_store_open(opts, ADMIN, PASS("not the passphrase"), &s, &err) ==
        SSPF_STATUS_WRONG_KEY);
  CHECK(s == NULL);
  CHECK(err != NULL && sspf_error_code(err) == SSPF_STATUS_WRONG_KEY);
  CHECK(err != NULL && strlen(sspf_error_message(err)) > 0);
  CHECK(err != NULL && strstr(sspf_error_message(err), "not the passphrase") == NULL);
  sspf_error_free(&err);
  /* Unknown principal: indistinguishable from a wrong passphrase. */
  CHECK(sspf_store_open(opts, "nobody", PASS(SECRET), &s, &err) ==
        SSPF_STATUS_WRONG_KEY);
  sspf_error_free(&err);

  /* Admin: principals. */
  s = Open(opts, ADMIN);
  OK(sspf_session_store_id(s, &id, &err));
  CHECK(id != NULL && strcmp(id, store_id) == 0);
  sspf_free(id);
  id = NULL;
  OK(sspf_session_principal(s, &json, &err));
  CHECK(json != NULL && strstr(json, "\"role\":\"admin\"") != NULL);
  CHECK(IsDocument(json, NULL) && strstr(json, "\"created\":\"20") != NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_session_add_principal(s, COORD, SSPF_ACTOR_COORDINATION,
                                SSPF_ROLE_COORDINATOR, PASS(SECRET), &id, &err));
  CHECK(id != NULL);
  sspf_free(id);
  id = NULL;
  OK(sspf_session_add_principal(s, SCHOOL, SSPF_ACTOR_SCHOOL, SSPF_ROLE_MEMBER,
                                PASS(SECRET), NULL, &err));
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER,
                                PASS(SECRET), NULL, &err));
  OK(sspf_session_add_principal(s, SOCIAL, SSPF_ACTOR_SOCIAL, SSPF_ROLE_MEMBER,
                                PASS(SECRET), NULL, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION,
                                SSPF_ROLE_AUDITOR, PASS(SECRET), NULL, &err));
  CHECK(sspf_session_add_principal(s, "bad", 99, SSPF_ROLE_MEMBER, PASS(SECRET),
                                   NULL, &err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  CHECK(sspf_session_add_principal(s, "short", SSPF_ACTOR_SCHOOL,
                                   SSPF_ROLE_MEMBER, PASS("short"), NULL,
                                   &err) == SSPF_STATUS_INVALID_ARGUMENT);
  sspf_error_free(&err);
  OK(sspf_session_list_principals(s, &json, &err));
  CHECK(json != NULL && strstr(json, "\"name\":\"" POLICE "\"") != NULL);
  CHECK(IsDocument(json, "principals"));
  sspf_free(json);
  json = NULL;
  /* Admin never sees case content. */
  CHECK(sspf_session_list_cases(s, &json, &err) ==
        SSPF_STATUS_PERMISSION_DENIED);
  CHECK(json == NULL);
  sspf_error_free(&err);
  sspf_session_close(&s);
  CHECK(s == NULL);
  sspf_session_close(&s); /* double release through the same variable */

  /* Coordinator: subject (16 years old, two guardians) and case. */
  OK(sspf_make_test_personal_number(today.tm_year + 1900 - 16, today.tm_mon + 1, 1,
                                    421, 0, &pnr, &err));
  CHECK(pnr != NULL);
  snprintf(pnr_text, sizeof pnr_text, "%s", pnr != NULL ? pnr : "");
  sspf_free(pnr);
  s = Open(opts, COORD);
  {
    const char* guardians[] = {"Guardian One", "Guardian Two"};
    const char* team[] = {COORD, SCHOOL, POLICE, SOCIAL};
    OK(sspf_session_add_subject(s, pnr_text, "Test Youth", guardians, 2, &json,
                                &err));
    CHECK(JsonString(json, NULL, "id", subject_id, sizeof subject_id));
    CHECK(JsonString(json, "\"guardians\"", "id", guardian1, sizeof guardian1));
    CHECK(JsonString(json, "Guardian One", "id", guardian2, sizeof guardian2));
    CHECK(json != NULL && strstr(json, pnr_text) != NULL);
    CHECK(IsDocument(json, NULL));
    sspf_free(json);
    json = NULL;
    CHECK(sspf_session_add_subject(s, "19900101-0000", "X", NULL, 0, &json,
                                   &err) == SSPF_STATUS_INVALID_ARGUMENT);
    CHECK(json == NULL);
    /* The error names the problem, never the input. */
    CHECK(err != NULL && strstr(sspf_error_message(err), "19900101") == NULL);
    sspf_error_free(&err);
    OK(sspf_session_find_subject(s, pnr_text, &json, &err));
    CHECK(json != NULL && strstr(json, subject_id) != NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_session_open_case(s, subject_id, team, 4, &id, &err));
    snprintf(case_id, sizeof case_id, "%s", id != NULL ? id : "");
    sspf_free(id);
    id = NULL;
    OK(sspf_session_list_cases(s, &json, &err));
    CHECK(json != NULL && strstr(json, case_id) != NULL);
    CHECK(json != NULL && strstr(json, "\"open\":true") != NULL);
    CHECK(IsDocument(json, "cases") && strstr(json, "\"closed\":null") != NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_session_show_case(s, case_id, &json, &err));
    CHECK(json != NULL && strstr(json, SCHOOL) != NULL);
    sspf_free(json);
    json = NULL;
    /* The case by the first 8 digits of its id; a 5-digit prefix is refused. */
    {
      char prefix[9];
      char want[200];
      snprintf(prefix, sizeof prefix, "%.8s", case_id);
      OK(sspf_session_resolve_id(s, prefix, &json, &err));
      snprintf(want, sizeof want, "\"kind\":\"case\",\"id\":\"%s\"", case_id);
      CHECK(json != NULL && strstr(json, want) != NULL);
      sspf_free(json);
      json = NULL;
      prefix[5] = '\0';
      CHECK(sspf_session_resolve_id(s, prefix, &json, &err) == SSPF_STATUS_INVALID_ARGUMENT);
      CHECK(json == NULL && err != NULL);
      sspf_error_free(&err);
      CHECK(sspf_session_resolve_id(s, NULL, &json, &err) == SSPF_STATUS_INVALID_ARGUMENT);
      sspf_error_free(&err);
    }
  }
  /* Consent of the youth (16: required) and both guardians. */
  {
    const int actors[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_POLICE, SSPF_ACTOR_SOCIAL};
    const int categories[] = {SSPF_CATEGORY_SCHOOL, SSPF_CATEGORY_POLICE,
                              SSPF_CATEGORY_SOCIAL};
    OK(sspf_session_grant_consent(s, case_id, NULL, actors, 3, categories, 3,
                                  until, "sspf-meeting", "form-2024-17",
                                  &id, &err));
    snprintf(youth_consent, sizeof youth_consent, "%s", id != NULL ? id : "");
    sspf_free(id);
    id = NULL;
    OK(sspf_session_grant_consent(s, case_id, guardian1, actors, 3, categories,
                                  3, until, "sspf-meeting", NULL, &id, &err));
    sspf_free(id);
    id = NULL;
    OK(sspf_session_grant_consent(s, case_id, guardian2, actors, 3, categories,
                                  3, until, "sspf-meeting", NULL, &id, &err));
    sspf_free(id);
    id = NULL;
    CHECK(sspf_session_grant_consent(s, case_id, NULL, actors, 3, categories, 3,
                                     "31/12/2030", NULL, NULL, &id, &err) ==
          SSPF_STATUS_INVALID_ARGUMENT);
    CHECK(id == NULL);
    sspf_error_free(&err);
    OK(sspf_session_list_consents(s, case_id, &json, &err));
    CHECK(json != NULL && strstr(json, youth_consent) != NULL);
    CHECK(json != NULL && strstr(json, "\"party\":\"guardian\"") != NULL);
    CHECK(IsDocument(json, "consents"));
    sspf_free(json);
    json = NULL;
  }
  sspf_session_close(&s);

  /* School: an entry, disclosed to police under the consent. */
  s = Open(opts, SCHOOL);
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody),
                            strlen(kBody), NULL, &id, &err));
  snprintf(entry_id, sizeof entry_id, "%s", id != NULL ? id : "");
  sspf_free(id);
  id = NULL;
  OK(sspf_session_read_entry(s, entry_id, "control", &body, &body_len, NULL,
                             &err));
  CHECK(body_len == strlen(kBody) && body != NULL &&
        memcmp(body, kBody, body_len) == 0 && body[body_len] == 0);
  sspf_free(body);
  body = NULL;
  OK(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_POLICE, NULL, NULL, NULL,
                                 NULL, &id, &err));
  CHECK(id != NULL);
  sspf_free(id);
  id = NULL;
  OK(sspf_session_list_entries(s, case_id, &json, &err));
  CHECK(json != NULL && strstr(json, "\"disclosed_to\":[\"police\"]") != NULL);
  CHECK(IsDocument(json, "entries"));
  sspf_free(json);
  json = NULL;
  sspf_session_close(&s);

  /* Police reads it; social (not disclosed to) is denied. */
  s = Open(opts, POLICE);
  OK(sspf_session_read_entry(s, entry_id, "SSPF meeting", &body, &body_len, &json,
                             &err));
  CHECK(body != NULL && body_len == strlen(kBody) &&
        memcmp(body, kBody, body_len) == 0);
  CHECK(json != NULL && strstr(json, "\"basis\":\"consent:") != NULL);
  /* The metadata only: the body comes as bytes. */
  CHECK(IsDocument(json, NULL) && strstr(json, "\"body\"") == NULL);
  sspf_free(body);
  body = NULL;
  sspf_free(json);
  json = NULL;
  sspf_session_close(&s);
  s = Open(opts, SOCIAL);
  {
    sspf_status st = sspf_session_read_entry(s, entry_id, NULL, &body, &body_len,
                                             &json, &err);
    CHECK(st == SSPF_STATUS_PERMISSION_DENIED || st == SSPF_STATUS_CONSENT_REQUIRED);
    CHECK(body == NULL && body_len == 0 && json == NULL);
    CHECK(err != NULL && strstr(sspf_error_message(err), "absent") == NULL);
    sspf_error_free(&err);
  }
  sspf_session_close(&s);

  /* The youth withdraws; police can no longer read. */
  s = Open(opts, COORD);
  OK(sspf_session_withdraw_consent(s, youth_consent, &err));
  sspf_session_close(&s);
  s = Open(opts, POLICE);
  {
    sspf_status st = sspf_session_read_entry(s, entry_id, "SSPF meeting", &body,
                                             &body_len, &json, &err);
    CHECK(st == SSPF_STATUS_CONSENT_REQUIRED || st == SSPF_STATUS_PERMISSION_DENIED);
    CHECK(body == NULL && body_len == 0 && json == NULL);
    CHECK(err != NULL && sspf_error_code(err) == st);
    sspf_error_free(&err);
  }
  sspf_session_close(&s);

  /* A disclosure under a legal provision with an end time: refused when the
   * end is not in the future, then valid until it. */
  s = Open(opts, SCHOOL);
  {
    /* School -> social services: the reporting duty, OSL 10 kap. 28 §. */
    sspf_status st = sspf_session_disclose_entry_until(
        s, entry_id, SSPF_ACTOR_SOCIAL, "OSL 10 kap. 28 \xc2\xa7", "risk", 1, &id, &err);
    CHECK(st == SSPF_STATUS_INVALID_ARGUMENT && id == NULL);
    sspf_error_free(&err);
    CHECK(sspf_session_disclose_entry_until(s, entry_id, SSPF_ACTOR_SOCIAL, NULL, "risk",
                                            (int64_t)time(NULL) + 3600, &id, &err) ==
          SSPF_STATUS_INVALID_ARGUMENT);
    sspf_error_free(&err);
    OK(sspf_session_disclose_entry_until(s, entry_id, SSPF_ACTOR_SOCIAL,
                                         "OSL 10 kap. 28 \xc2\xa7", "risk",
                                         (int64_t)time(NULL) + 3600, &id, &err));
    CHECK(id != NULL);
    sspf_free(id);
    id = NULL;
  }
  sspf_session_close(&s);
  s = Open(opts, SOCIAL);
  OK(sspf_session_read_entry(s, entry_id, NULL, &body, &body_len, NULL, &err));
  CHECK(body != NULL && body_len == strlen(kBody));
  sspf_free(body);
  body = NULL;
  sspf_session_close(&s);

  /* Auditor: checkpoint, verify, query, export, extract, review, prove. */
  s = Open(opts, AUDITOR);
  {
    char* note = NULL;
    char* key = NULL;
    sspf_audit_filter_t* f = NULL;
    int lines = 0;
    CHECK(sspf_session_read_entry(s, entry_id, NULL, &body, &body_len, NULL,
                                  &err) == SSPF_STATUS_PERMISSION_DENIED);
    CHECK(body == NULL);
    sspf_error_free(&err);
    OK(sspf_session_checkpoint(s, &note, &err));
    CHECK(note != NULL && strchr(note, '\n') != NULL);
    OK(sspf_session_verifier_key(s, &key, &err));
    CHECK(key != NULL && strlen(key) > 0);
    sspf_free(key);
    OK(sspf_session_verify(s, note, &json, &err));
    CHECK(json != NULL && strstr(json, "\"kept_checkpoint_consistent\":true") != NULL);
    /* Incremental: only the events after the kept checkpoint (its own
     * audit.verify event among them) are checked fully. */
    CHECK(JsonNumber(json, "events_checked") >= 1 &&
          JsonNumber(json, "events_checked") < JsonNumber(json, "tree_size"));
    sspf_free(json);
    json = NULL;
    OK(sspf_session_verify_full(s, note, &json, &err));
    CHECK(JsonNumber(json, "events_checked") == JsonNumber(json, "tree_size") &&
          JsonNumber(json, "tree_size") > 0);
    CHECK(strstr(json, "\"kept_checkpoint_consistent\":true") != NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_session_verify(s, NULL, NULL, &err));
    OK(sspf_session_verify(s, NULL, &json, &err));
    CHECK(IsDocument(json, NULL) &&
          strstr(json, "\"kept_checkpoint_consistent\":null") != NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_session_prove(s, 0, note, &json, &err));
    CHECK(json != NULL && strstr(json, "\"index\":0") != NULL);
    sspf_free(json);
    json = NULL;
    {
      /* Consistency proof between the kept checkpoint and a newer one. */
      char* later = NULL;
      OK(sspf_session_checkpoint(s, &later, &err));
      OK(sspf_session_consistency(s, note, later, &json, &err));
      CHECK(IsDocument(json, NULL) && strstr(json, "\"old_size\":") != NULL &&
            strstr(json, "\"new_root\":\"") != NULL &&
            strstr(json, "\"proof\":[\"") != NULL);
      sspf_free(json);
      json = NULL;
      CHECK(sspf_session_consistency(s, later, note, &json, &err) ==
            SSPF_STATUS_INVALID_ARGUMENT);
      CHECK(json == NULL);
      sspf_error_free(&err);
      CHECK(sspf_session_consistency(s, note, NULL, &json, &err) ==
            SSPF_STATUS_INVALID_ARGUMENT);
      sspf_error_free(&err);
      CHECK(sspf_session_consistency(s, "not a checkpoint\n", later, &json, &err) ==
            SSPF_STATUS_INTEGRITY_VIOLATION);
      CHECK(err != NULL && strstr(sspf_error_message(err), "old checkpoint") != NULL);
      sspf_error_free(&err);
      sspf_free(later);
    }
    sspf_free(note);

    OK(sspf_audit_filter_create(&f, &err));
    OK(sspf_audit_filter_set_case(f, case_id, &err));
    OK(sspf_audit_filter_set_action(f, "entry.read", &err));
    CHECK(sspf_audit_filter_set_action(f, "no.such.action", &err) ==
          SSPF_STATUS_INVALID_ARGUMENT);
    sspf_error_free(&err);
    OK(sspf_session_query_events(s, f, &json, &err));
    CHECK(json != NULL && strstr(json, "\"action\":\"entry.read\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"allowed\":false") != NULL);
    CHECK(json != NULL && strstr(json, "Test Youth") == NULL);
    CHECK(json != NULL && strstr(json, pnr_text) == NULL);
    CHECK(IsDocument(json, "events") && strstr(json, "\"time\":\"20") != NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_audit_filter_set_allowed(f, 0, &err));
    OK(sspf_audit_filter_set_limit(f, 1, &err));
    OK(sspf_audit_filter_set_time_range(f, 1, 0, 0, 0, &err));
    OK(sspf_session_query_events(s, f, &json, &err));
    CHECK(json != NULL && strstr(json, "\"allowed\":true") == NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_session_export_events(s, NULL, SSPF_EXPORT_JSON_LINES, CountLines,
                                  &lines, &err));
    CHECK(lines > 10);
    lines = 0;
    CHECK(sspf_session_export_events(s, NULL, SSPF_EXPORT_CSV, StopAtOnce, &lines,
                                     &err) == SSPF_STATUS_IO_ERROR);
    CHECK(lines == 1);
    sspf_error_free(&err);
    sspf_audit_filter_destroy(&f);
    CHECK(f == NULL);
    sspf_audit_filter_destroy(&f);

    OK(sspf_session_extract_subject(s, subject_id, &json, &err));
    CHECK(json != NULL && strstr(json, case_id) != NULL);
    CHECK(IsDocument(json, NULL) && strstr(json, "\"principal_names\":{}") != NULL);
    CHECK(json != NULL && strstr(json, "\"subject_id\":\"") != NULL &&
          strstr(json, subject_id) != NULL);
    sspf_free(json);
    json = NULL;
    OK(sspf_session_review(s, &json, &err));
    CHECK(IsDocument(json, "flags"));
    sspf_free(json);
    json = NULL;
  }
  sspf_session_close(&s);

  sspf_free(store_id);
  sspf_options_destroy(&opts);
}

/* Recovery-key reset on a fresh store (create returns the key once). */
static void TestRecovery(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* s = NULL;
  char path[512];
  uint8_t* recovery = NULL;
  size_t recovery_len = 0;
  static const uint8_t kWrong[32] = {0};

  snprintf(path, sizeof path, "%s/recovery.db", dir);
  OK(sspf_options_create(&opts, &err));
  OK(sspf_options_set_path(opts, path, &err));
  OK(sspf_options_set_passphrase_cost(opts, SSPF_COST_INTERACTIVE, &err));
  OK(sspf_store_create(opts, ADMIN, PASS(SECRET), NULL, &recovery, &recovery_len,
                       &err));
  CHECK(recovery_len == 32);
  CHECK(sspf_store_reset_with_recovery_key(opts, kWrong, 32, ADMIN,
                                           PASS("a new passphrase"), &err) ==
        SSPF_STATUS_WRONG_KEY);
  sspf_error_free(&err);
  OK(sspf_store_reset_with_recovery_key(opts, recovery, recovery_len, ADMIN,
                                        PASS("a new passphrase"), &err));
  sspf_free(recovery);
  CHECK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err) ==
        SSPF_STATUS_WRONG_KEY);
  sspf_error_free(&err);
  OK(sspf_store_open(opts, ADMIN, PASS("a new passphrase"), &s, &err));
  OK(sspf_session_change_credential(s, PASS(SECRET), &err));
  sspf_session_close(&s);
  s = Open(opts, ADMIN);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}

static void RemoveTree(const char* dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

int main(void) {
  char dir[] = "/tmp/sspf-c-api-test-XXXXXX";
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  TestGlobals();
  TestNullArguments();
  TestScenario(dir);
  TestCertificates(dir);
  TestRecovery(dir);
  TestEnumRanges(dir);
  TestTrustAnchor(dir);
  TestActorKeys(dir);
  TestReasons(dir);
  TestProvisions(dir);
  TestPurposes(dir);
  TestLifecycle(dir);
  TestPlan(dir);
  TestHandles(dir);
  TestRetention(dir);
  TestWitness(dir);
  TestTiles(dir);
  TestExtractReport(dir);
  TestReview(dir);
  RemoveTree(dir);
  printf("c_api_test: %d checks, %d failed\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
