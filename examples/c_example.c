/* Copyright (c) libsspf authors.
 *
 * A small SSPF case end to end through the C ABI (sspf/sspf.h), the same
 * scenario as cpp_example.cpp: a school entry is disclosed to the police
 * under the consent of a 16-year-old and both guardians; after the youth
 * withdraws consent the police read is denied and returns no content; an
 * auditor checkpoints and verifies the access log.
 *
 * Every buffer the library returns is freed with sspf_free; every handle is
 * released with its release function.  Personal data is fictitious
 * (sspf_make_test_personal_number). */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sspf/sspf.h"

static const char kPassphrase[] = "example passphrase, never reuse";

/* Prints the error of a failed call and exits: an example cannot recover. */
static void Must(sspf_status status, sspf_error_t** err, const char* what) {
  if (status == SSPF_STATUS_OK) return;
  fprintf(stderr, "%s: %s: %s\n", what, sspf_status_name(status),
          sspf_error_message(*err));
  sspf_error_free(err);
  exit(1);
}

static sspf_session_t* OpenAs(const sspf_options_t* options, const char* name) {
  sspf_error_t* err = NULL;
  sspf_session_t* session = NULL;
  Must(sspf_store_open(options, name, SSPF_CREDENTIAL_PASSPHRASE,
                       (const uint8_t*)kPassphrase, strlen(kPassphrase), &session,
                       &err),
       &err, name);
  return session;
}

/* Copies the string value of "key":"..." found after `after` in json. */
static void JsonField(const char* json, const char* after, const char* key,
                      char* out, size_t out_size) {
  char pattern[64];
  const char* p = strstr(json, after);
  const char* end;
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  p = p != NULL ? strstr(p, pattern) : NULL;
  end = p != NULL ? strchr(p + strlen(pattern), '"') : NULL;
  if (p == NULL || end == NULL ||
      (size_t)(end - p - (ptrdiff_t)strlen(pattern)) >= out_size) {
    fprintf(stderr, "no %s in the result\n", key);
    exit(1);
  }
  p += strlen(pattern);
  memcpy(out, p, (size_t)(end - p));
  out[end - p] = 0;
}

int main(void) {
  char dir[] = "/tmp/sspf-c-example-XXXXXX";
  char path[256], cmd[300], until[32];
  char subject_id[80], guardian1[80], guardian2[80];
  char case_id[80], youth_consent[80], entry_id[80];
  sspf_error_t* err = NULL;
  sspf_options_t* options = NULL;
  sspf_session_t* s = NULL;
  char* text = NULL;
  uint8_t* recovery = NULL;
  size_t recovery_len = 0;
  uint8_t* body = NULL;
  size_t body_len = 0;
  char* pnr = NULL;
  time_t now = time(NULL);
  struct tm today;
  static const char kEntry[] = "Absent 12 of 20 days; meeting with guardians held.";
  static const char* kTeam[] = {"kim.coordinator", "sara.school", "per.police",
                                "sol.social"};
  static const char* kGuardians[] = {"Guardian One", "Guardian Two"};
  static const int kActors[] = {SSPF_ACTOR_SCHOOL, SSPF_ACTOR_POLICE,
                                SSPF_ACTOR_SOCIAL};
  static const int kCategories[] = {SSPF_CATEGORY_SCHOOL, SSPF_CATEGORY_POLICE,
                                    SSPF_CATEGORY_SOCIAL};
  sspf_status st;

  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  gmtime_r(&now, &today);
  snprintf(path, sizeof path, "%s/sspf.db", dir);
  { /* 180 days on: a consent lasts at most 12 months */
    time_t later = time(NULL) + 180 * 86400;
    struct tm t;
    gmtime_r(&later, &t);
    strftime(until, sizeof until, "%Y-%m-%d", &t);
  }
  printf("libsspf %s\n", sspf_version());

  Must(sspf_options_create(&options, &err), &err, "options");
  Must(sspf_options_set_path(options, path, &err), &err, "options");
  /* Fast Argon2id for a demo; production keeps the moderate default. */
  Must(sspf_options_set_passphrase_cost(options, SSPF_COST_INTERACTIVE, &err),
       &err, "options");

  /* 1. Create the store; the admin adds the people working on the case. */
  Must(sspf_store_create(options, "admin", SSPF_CREDENTIAL_PASSPHRASE,
                         (const uint8_t*)kPassphrase, strlen(kPassphrase), &text,
                         &recovery, &recovery_len, &err),
       &err, "create store");
  printf("store %s created (recovery key: %zu bytes, shown once)\n", text,
         recovery_len);
  sspf_free(text);
  text = NULL;
  sspf_free(recovery); /* wipes the key */
  s = OpenAs(options, "admin");
  {
    static const struct {
      const char* name;
      int actor, role;
    } kPeople[] = {
        {"kim.coordinator", SSPF_ACTOR_COORDINATION, SSPF_ROLE_COORDINATOR},
        {"sara.school", SSPF_ACTOR_SCHOOL, SSPF_ROLE_MEMBER},
        {"per.police", SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER},
        {"sol.social", SSPF_ACTOR_SOCIAL, SSPF_ROLE_MEMBER},
        {"alva.auditor", SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR},
    };
    size_t i;
    for (i = 0; i < sizeof kPeople / sizeof kPeople[0]; ++i) {
      Must(sspf_session_add_principal(s, kPeople[i].name, kPeople[i].actor,
                                      kPeople[i].role, SSPF_CREDENTIAL_PASSPHRASE,
                                      (const uint8_t*)kPassphrase,
                                      strlen(kPassphrase), NULL, &err),
           &err, "add principal");
    }
  }
  sspf_session_close(&s);

  /* 2. The coordinator registers the youth (16 years old), opens a case and
   *    records the consent of the youth and both guardians. */
  Must(sspf_make_test_personal_number(today.tm_year + 1900 - 16, today.tm_mon + 1,
                                      1, 421, 0, &pnr, &err),
       &err, "test number");
  s = OpenAs(options, "kim.coordinator");
  Must(sspf_session_add_subject(s, pnr, "Test Youth", kGuardians, 2, &text, &err),
       &err, "add subject");
  sspf_free(pnr);
  JsonField(text, "{", "id", subject_id, sizeof subject_id);
  /* Guardian objects are {"id":..., "name":...}, in the order given. */
  JsonField(text, "\"guardians\"", "id", guardian1, sizeof guardian1);
  JsonField(text, "Guardian One", "id", guardian2, sizeof guardian2);
  sspf_free(text);
  text = NULL;
  Must(sspf_session_open_case(s, subject_id, kTeam, 4, &text, &err), &err,
       "open case");
  snprintf(case_id, sizeof case_id, "%s", text);
  sspf_free(text);
  text = NULL;
  printf("case %s opened\n", case_id);
  Must(sspf_session_grant_consent(s, case_id, NULL, kActors, 3, kCategories, 3,
                                  until, "sspf-meeting",
                                  "signed form 2024-17", &text, &err),
       &err, "youth consent");
  snprintf(youth_consent, sizeof youth_consent, "%s", text);
  sspf_free(text);
  text = NULL;
  Must(sspf_session_grant_consent(s, case_id, guardian1, kActors, 3, kCategories,
                                  3, until, "sspf-meeting",
                                  "signed form 2024-17", &text, &err),
       &err, "guardian consent");
  sspf_free(text);
  text = NULL;
  Must(sspf_session_grant_consent(s, case_id, guardian2, kActors, 3, kCategories,
                                  3, until, "sspf-meeting",
                                  "signed form 2024-17", &text, &err),
       &err, "guardian consent");
  sspf_free(text);
  text = NULL;
  sspf_session_close(&s);

  /* 3. School writes an entry and discloses it to the police. */
  s = OpenAs(options, "sara.school");
  Must(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL,
                              (const uint8_t*)kEntry, strlen(kEntry), NULL, &text,
                              &err),
       &err, "add entry");
  snprintf(entry_id, sizeof entry_id, "%s", text);
  sspf_free(text);
  text = NULL;
  Must(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_POLICE, NULL, NULL,
                                   NULL, NULL, NULL, &err),
       &err, "disclose");
  sspf_session_close(&s);

  /* 4. The police reads it. */
  s = OpenAs(options, "per.police");
  Must(sspf_session_read_entry(s, entry_id, "SSPF meeting", &body, &body_len,
                               &text, &err),
       &err, "police read");
  printf("police read %zu bytes: %s\n", body_len, text);
  sspf_free(body);
  body = NULL;
  sspf_free(text);
  text = NULL;
  sspf_session_close(&s);

  /* 5. The youth withdraws consent: the police read is now denied. */
  s = OpenAs(options, "kim.coordinator");
  Must(sspf_session_withdraw_consent(s, youth_consent, &err), &err, "withdraw");
  sspf_session_close(&s);
  s = OpenAs(options, "per.police");
  st = sspf_session_read_entry(s, entry_id, "SSPF meeting", &body, &body_len, NULL,
                               &err);
  if ((st != SSPF_STATUS_CONSENT_REQUIRED && st != SSPF_STATUS_PERMISSION_DENIED) ||
      body != NULL || body_len != 0) {
    fprintf(stderr, "expected a denied read without content, got %s\n",
            sspf_status_name(st));
    return 1;
  }
  printf("after withdrawal: %s: %s\n", sspf_status_name(st),
         sspf_error_message(err));
  sspf_error_free(&err);
  sspf_session_close(&s);

  /* 6. The auditor checkpoints and verifies the access log. */
  s = OpenAs(options, "alva.auditor");
  Must(sspf_session_checkpoint(s, &text, &err), &err, "checkpoint");
  {
    char* report = NULL;
    Must(sspf_session_verify(s, text, &report, &err), &err, "verify");
    printf("access log verified: %s\n", report);
    sspf_free(report);
  }
  sspf_free(text);
  sspf_session_close(&s);
  sspf_options_destroy(&options);

  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : 1;
}
