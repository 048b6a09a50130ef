/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: the scoped review (sspf_session_review_report),
 * the sign-off (sspf_session_ack_flag, sspf_session_close_review), the seq
 * filter and the wrong-checkpoint usage error.  The documents are those of
 * ReviewReportJson, ReviewAckJson and ReviewClosureJson. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

/* The number after "key": following `after` in json, or -1. */
static long long NumberAfter(const char* json, const char* after, const char* key) {
  char pattern[64];
  const char* at = json == NULL ? NULL : (after ? strstr(json, after) : json);
  if (at == NULL) return -1;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  at = strstr(at, pattern);
  return at == NULL ? -1 : atoll(at + strlen(pattern));
}

void TestReview(const char* dir) {
  static const char kNote[] = "Granskat: n\xc3\xb6" "d\xc3\xa5tkomst befogad.";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "review.db");
  sspf_session_t* s = NULL;
  sspf_audit_filter_t* scope = NULL;
  char* json = NULL;
  char* id = NULL;
  char case_id[128];
  const char* team[] = {SCHOOL};
  long long grant_seq, ack_seq;
  const int64_t now = (int64_t)time(NULL);

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 431, team, 1, case_id, sizeof case_id);
  OK(sspf_store_open(opts, POLICE, PASS(SECRET), &s, &err));
  OK(sspf_session_grant_emergency(s, case_id, "OSL 10 kap. 15 a \xc2\xa7", "Akut fara", 2,
                                  &id, &err));
  sspf_free(id);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  /* Scoped to the last day, emergency grants only. */
  OK(sspf_audit_filter_create(&scope, &err));
  OK(sspf_audit_filter_set_time_range(scope, 1, now - 86400, 0, 0, &err));
  OK(sspf_session_review_report(s, scope, "emergency-grant", SSPF_REVIEW_BY_WEEK, 3, &json,
                                &err));
  CHECK(IsDocument(json, NULL));
  CHECK(json != NULL && strstr(json, "\"principal_name\":\"" POLICE "\"") != NULL);
  CHECK(json != NULL && strstr(json, case_id) != NULL);
  CHECK(json != NULL && strstr(json, "\"flag_kind\":\"emergency-grant\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"by\":\"week\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"acknowledged\":false") != NULL);
  CHECK(json != NULL && strstr(json, "\"kind\":\"membership-change\"") == NULL);
  grant_seq = NumberAfter(json, "\"kind\":\"emergency-grant\"", "seq");
  CHECK(grant_seq > 0);
  sspf_free(json);
  json = NULL;
  /* Only a time range, a principal and an actor make a scope. */
  OK(sspf_audit_filter_set_action(scope, "entry.read", &err));
  INVALID(sspf_session_review_report(s, scope, NULL, SSPF_REVIEW_BY_DAY, 5, &json, &err));
  CHECK(json == NULL);
  sspf_audit_filter_destroy(&scope);
  INVALID(sspf_session_review_report(s, NULL, NULL, 7, 5, &json, &err));
  INVALID(sspf_session_review_report(s, NULL, "no-such-kind", SSPF_REVIEW_BY_DAY, 5, &json,
                                     &err));
  INVALID(sspf_session_review_report(s, NULL, NULL, SSPF_REVIEW_BY_DAY, 5, NULL, &err));

  /* Sign-off. */
  OK(sspf_session_ack_flag(s, (uint64_t)grant_seq, kNote, &json, &err));
  CHECK(IsDocument(json, NULL) && NumberAfter(json, NULL, "flagged_seq") == grant_seq);
  CHECK(json != NULL && strstr(json, kNote) != NULL);
  ack_seq = NumberAfter(json, NULL, "seq");
  sspf_free(json);
  json = NULL;
  EXPECT(SSPF_STATUS_ALREADY_EXISTS,
         sspf_session_ack_flag(s, (uint64_t)grant_seq, "again", NULL, &err));
  EXPECT(SSPF_STATUS_NOT_FOUND, sspf_session_ack_flag(s, 1000000, "x", NULL, &err));
  INVALID(sspf_session_ack_flag(s, (uint64_t)grant_seq, NULL, NULL, &err));
  OK(sspf_session_review_report(s, NULL, NULL, SSPF_REVIEW_BY_DAY, 5, &json, &err));
  CHECK(json != NULL && strstr(json, "\"acknowledged\":true") != NULL);
  CHECK(NumberAfter(json, "\"acknowledged\":true", "seq") == ack_seq);
  CHECK(json != NULL && strstr(json, kNote) != NULL);
  sspf_free(json);
  json = NULL;
  {
    /* The period ends after the grant (times are whole seconds). */
    struct timespec pause = {1, 100000000L};
    nanosleep(&pause, NULL);
  }
  OK(sspf_session_close_review(s, (int64_t)time(NULL), &json, &err));
  CHECK(IsDocument(json, NULL) && strstr(json, "\"since\":\"1970-01-01T00:00:00Z\"") != NULL);
  CHECK(NumberAfter(json, NULL, "flags_acknowledged") == 1);
  sspf_free(json);
  json = NULL;
  INVALID(sspf_session_close_review(s, now - 1, NULL, &err));

  /* The seq filter: one event, named. */
  OK(sspf_audit_filter_create(&scope, &err));
  OK(sspf_audit_filter_set_seq_range(scope, 1, (uint64_t)grant_seq, 1, (uint64_t)grant_seq,
                                     &err));
  OK(sspf_session_query_events(s, scope, &json, &err));
  CHECK(json != NULL && NumberAfter(json, NULL, "seq") == grant_seq);
  CHECK(json != NULL && strstr(json, "\"principal_name\":\"" POLICE "\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"action\":\"grant.emergency\"") != NULL);
  sspf_free(json);
  json = NULL;
  OK(sspf_audit_filter_set_seq_range(scope, 1, 1000000, 0, 0, &err));
  EXPECT(SSPF_STATUS_NOT_FOUND, sspf_session_query_events(s, scope, &json, &err));
  sspf_audit_filter_destroy(&scope);

  /* A file that is not a checkpoint of this store: a usage error. */
  {
    char* vkey = NULL;
    OK(sspf_session_verifier_key(s, &vkey, &err));
    CHECK(sspf_session_verify(s, vkey, &json, &err) == SSPF_STATUS_INVALID_ARGUMENT);
    CHECK(err != NULL &&
          strstr(sspf_error_message(err), "this is not a checkpoint of this store") != NULL);
    sspf_error_free(&err);
    sspf_free(vkey);
  }
  OK(sspf_session_verify(s, NULL, NULL, &err));
  sspf_session_close(&s);

  /* Not for a content member. */
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_ack_flag(s, (uint64_t)grant_seq, "mine", NULL, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_review_report(s, NULL, NULL, SSPF_REVIEW_BY_DAY, 5, &json, &err));
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
