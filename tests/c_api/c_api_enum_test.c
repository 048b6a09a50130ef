/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: every enum argument (credential kind, actor,
 * role, category, export format, passphrase cost, the audit filter's actor
 * and allowed) rejects values that are no enum value. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

/* Enum arguments: values that are no enum value (0, -1, one past the last,
 * 99, and 257, which a cast to the 8-bit C++ enum would wrap to 1) give
 * INVALID_ARGUMENT, an error object, no outputs, and change nothing. */
static const int kBadEnum[] = {0, -1, 99, 257};
#define N_BAD (sizeof kBadEnum / sizeof kBadEnum[0])

static const uint8_t kKeyA[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t kKeyB[32] = {32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                                  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
#define KEY_A SSPF_CREDENTIAL_KEY, kKeyA, sizeof kKeyA
#define KEY_B SSPF_CREDENTIAL_KEY, kKeyB, sizeof kKeyB

static sspf_status Never(void* user, const char* line, size_t len) {
  (void)line;
  (void)len;
  ++*(int*)user;
  return SSPF_STATUS_OK;
}

/* json equals *before; frees both and sets *before = NULL. */
static int SameJson(char* json, char** before) {
  int same = json != NULL && *before != NULL && strcmp(json, *before) == 0;
  sspf_free(json);
  sspf_free(*before);
  *before = NULL;
  return same;
}

void TestEnumRanges(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* s = NULL;
  sspf_audit_filter_t* f = NULL;
  char path[512];
  char* id = (char*)1;
  char* json = NULL;
  char* before = NULL;
  uint8_t* recovery = (uint8_t*)1;
  size_t recovery_len = 99;
  char subject_id[128], case_id[128], entry_id[128];
  char* pnr = NULL;
  time_t now = time(NULL);
  struct tm today;
  char until[32];
  size_t i;
  int calls = 0;
  int k;

  gmtime_r(&now, &today);
  { /* 180 days on: a consent lasts at most 12 months */
    time_t later = time(NULL) + 180 * 86400;
    struct tm t;
    gmtime_r(&later, &t);
    strftime(until, sizeof until, "%Y-%m-%d", &t);
  }
  snprintf(path, sizeof path, "%s/enums.db", dir);
  OK(sspf_options_create(&opts, &err));
  OK(sspf_options_set_path(opts, path, &err));

  /* Passphrase cost: SSPF_COST_MODERATE is 0, so 0 is valid here. */
  {
    static const int kBadCost[] = {-1, 3, 99, 257};
    for (k = 0; k < 4; ++k) {
      INVALID(sspf_options_set_passphrase_cost(opts, kBadCost[k], &err));
    }
  }
  OK(sspf_options_set_passphrase_cost(opts, SSPF_COST_INTERACTIVE, &err));

  /* Credential kinds: no store is created, no outputs. */
  for (i = 0; i < N_BAD; ++i) {
    id = (char*)1;
    recovery = (uint8_t*)1;
    recovery_len = 99;
    INVALID(sspf_store_create(opts, ADMIN, kBadEnum[i], kKeyA, sizeof kKeyA, &id, &recovery,
                              &recovery_len, &err));
    CHECK(id == NULL && recovery == NULL && recovery_len == 0);
    CHECK(access(path, F_OK) != 0);
  }
  INVALID(sspf_store_create(opts, ADMIN, 3, kKeyA, sizeof kKeyA, NULL, &recovery,
                            &recovery_len, &err));
  CHECK(access(path, F_OK) != 0);
  OK(sspf_store_create(opts, ADMIN, KEY_A, NULL, &recovery, &recovery_len, &err));
  for (i = 0; i < N_BAD; ++i) {
    s = (sspf_session_t*)1;
    INVALID(sspf_store_open(opts, ADMIN, kBadEnum[i], kKeyA, sizeof kKeyA, &s, &err));
    CHECK(s == NULL);
    INVALID(sspf_store_reset_with_recovery_key(opts, recovery, recovery_len, ADMIN,
                                               kBadEnum[i], kKeyB, sizeof kKeyB, &err));
  }
  sspf_free(recovery);

  /* Actors, roles and credential kinds of a new principal; the admin's own
   * credential.  Nothing is added or changed. */
  OK(sspf_store_open(opts, ADMIN, KEY_A, &s, &err)); /* the reset changed nothing */
  OK(sspf_session_list_principals(s, &before, &err));
  for (i = 0; i < N_BAD; ++i) {
    id = (char*)1;
    INVALID(sspf_session_add_principal(s, "bad.actor", kBadEnum[i], SSPF_ROLE_MEMBER, KEY_A,
                                       &id, &err));
    CHECK(id == NULL);
    id = (char*)1;
    INVALID(sspf_session_add_principal(s, "bad.role", SSPF_ACTOR_SCHOOL, kBadEnum[i], KEY_A,
                                       &id, &err));
    CHECK(id == NULL);
    id = (char*)1;
    INVALID(sspf_session_add_principal(s, "bad.kind", SSPF_ACTOR_SCHOOL, SSPF_ROLE_MEMBER,
                                       kBadEnum[i], kKeyA, sizeof kKeyA, &id, &err));
    CHECK(id == NULL);
    INVALID(sspf_session_change_credential(s, kBadEnum[i], kKeyB, sizeof kKeyB, &err));
  }
  INVALID(sspf_session_add_principal(s, "bad.actor", SSPF_ACTOR_COORDINATION + 1,
                                     SSPF_ROLE_MEMBER, KEY_A, NULL, &err));
  INVALID(sspf_session_add_principal(s, "bad.role", SSPF_ACTOR_SCHOOL, SSPF_ROLE_ADMIN + 1,
                                     KEY_A, NULL, &err));
  OK(sspf_session_list_principals(s, &json, &err));
  CHECK(SameJson(json, &before));
  OK(sspf_session_add_principal(s, COORD, SSPF_ACTOR_COORDINATION, SSPF_ROLE_COORDINATOR,
                                KEY_A, NULL, &err));
  OK(sspf_session_add_principal(s, SCHOOL, SSPF_ACTOR_SCHOOL, SSPF_ROLE_MEMBER, KEY_A, NULL,
                                &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR, KEY_A,
                                NULL, &err));
  sspf_session_close(&s);
  OK(sspf_store_open(opts, ADMIN, KEY_A, &s, &err)); /* its credential is unchanged */
  sspf_session_close(&s);

  /* Consent: actors and categories. */
  OK(sspf_make_test_personal_number(today.tm_year + 1900 - 16, today.tm_mon + 1, 1, 77, 0,
                                    &pnr, &err));
  OK(sspf_store_open(opts, COORD, KEY_A, &s, &err));
  {
    const char* team[] = {COORD, SCHOOL};
    OK(sspf_session_add_subject(s, pnr, "Enum Youth", NULL, 0, &json, &err));
    CHECK(JsonString(json, NULL, "id", subject_id, sizeof subject_id));
    sspf_free(json);
    OK(sspf_session_open_case(s, subject_id, team, 2, &id, &err));
    snprintf(case_id, sizeof case_id, "%s", id != NULL ? id : "");
    sspf_free(id);
  }
  sspf_free(pnr);
  OK(sspf_session_list_consents(s, case_id, &before, &err));
  for (i = 0; i < N_BAD; ++i) {
    const int actors[] = {SSPF_ACTOR_SCHOOL, kBadEnum[i]};
    const int categories[] = {SSPF_CATEGORY_SCHOOL, kBadEnum[i]};
    const int good_actors[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_SOCIAL};
    const int good_categories[] = {SSPF_CATEGORY_SCHOOL};
    id = (char*)1;
    INVALID(sspf_session_grant_consent(s, case_id, NULL, actors, 2, good_categories, 1, until,
                                       "planning", NULL, &id, &err));
    CHECK(id == NULL);
    id = (char*)1;
    INVALID(sspf_session_grant_consent(s, case_id, NULL, good_actors, 2, categories, 2, until,
                                       "planning", NULL, &id, &err));
    CHECK(id == NULL);
  }
  {
    const int actors[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_COORDINATION + 1};
    const int categories[] = {SSPF_CATEGORY_MEETING + 1};
    const int good[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_SOCIAL};
    INVALID(sspf_session_grant_consent(s, case_id, NULL, actors, 2, good, 1, until, "planning",
                                       NULL, &id, &err));
    INVALID(sspf_session_grant_consent(s, case_id, NULL, good, 2, categories, 1, until,
                                       "planning", NULL, &id, &err));
  }
  OK(sspf_session_list_consents(s, case_id, &json, &err));
  CHECK(SameJson(json, &before));
  sspf_session_close(&s);

  /* Entries: category; disclosures: the receiving actor. */
  OK(sspf_store_open(opts, SCHOOL, KEY_A, &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P("x"), 1, NULL, &id, &err));
  snprintf(entry_id, sizeof entry_id, "%s", id != NULL ? id : "");
  sspf_free(id);
  OK(sspf_session_list_entries(s, case_id, &before, &err));
  for (i = 0; i < N_BAD; ++i) {
    id = (char*)1;
    INVALID(sspf_session_add_entry(s, case_id, kBadEnum[i], P("x"), 1, NULL, &id, &err));
    CHECK(id == NULL);
    id = (char*)1;
    INVALID(sspf_session_disclose_entry(s, entry_id, kBadEnum[i], NULL, NULL, "OSL 10:18 a",
                                        "risk", &id, &err));
    CHECK(id == NULL);
    id = (char*)1;
    INVALID(sspf_session_disclose_entry_until(s, entry_id, kBadEnum[i], "OSL 10:18 a", "risk",
                                              (int64_t)time(NULL) + 3600, &id, &err));
    CHECK(id == NULL);
  }
  INVALID(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_MEETING + 1, P("x"), 1, NULL, &id,
                                 &err));
  INVALID(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_COORDINATION + 1, NULL, NULL,
                                      "OSL 10:18 a", "risk", &id, &err));
  OK(sspf_session_list_entries(s, case_id, &json, &err));
  CHECK(SameJson(json, &before));
  sspf_session_close(&s);

  /* Audit filter: actor (0 is "any" there), allowed; export format. */
  OK(sspf_store_open(opts, AUDITOR, KEY_A, &s, &err));
  OK(sspf_audit_filter_create(&f, &err));
  OK(sspf_audit_filter_set_actor(f, SSPF_ACTOR_SCHOOL, &err));
  OK(sspf_session_query_events(s, f, &before, &err));
  CHECK(before != NULL && strstr(before, "\"actor\":\"school\"") != NULL);
  for (i = 0; i < N_BAD; ++i) {
    if (kBadEnum[i] == 0) continue;
    INVALID(sspf_audit_filter_set_actor(f, kBadEnum[i], &err));
  }
  INVALID(sspf_audit_filter_set_actor(f, SSPF_ACTOR_COORDINATION + 1, &err));
  INVALID(sspf_audit_filter_set_allowed(f, 2, &err));
  INVALID(sspf_audit_filter_set_allowed(f, -2, &err));
  /* The filter still selects the school's events only (the auditor's own
   * queries are not among them). */
  OK(sspf_session_query_events(s, f, &json, &err));
  CHECK(SameJson(json, &before));
  for (i = 0; i < N_BAD; ++i) {
    INVALID(sspf_session_export_events(s, NULL, kBadEnum[i], Never, &calls, &err));
  }
  INVALID(sspf_session_export_events(s, f, SSPF_EXPORT_CSV + 1, Never, &calls, &err));
  CHECK(calls == 0);
  sspf_audit_filter_destroy(&f);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
