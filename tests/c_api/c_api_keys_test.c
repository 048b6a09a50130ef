/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_rotate_actor_key (admin) makes
 * a new actor-key version that new entries use, and
 * sspf_session_rewrap_entry_keys (a member of the actor) moves the old
 * entry keys to it, reporting progress; both refuse the wrong principals
 * and check their arguments. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static void CountProgress(void* user_data, uint64_t done, uint64_t total) {
  uint64_t* last = (uint64_t*)user_data;
  last[0] = done;
  last[1] = total;
}

void TestActorKeys(const char* dir) {
  static const char kBody[] = "Elevens frånvaro har ökat.";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "keys.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char case_id[128], entry_id[128];
  const char* team[] = {SCHOOL};
  uint8_t* body = NULL;
  size_t body_len = 0;
  int64_t version = -1;
  uint64_t count = 99;
  uint64_t last[2] = {0, 0};

  NewCase(opts, 422, team, 1, case_id, sizeof case_id);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  /* A member does not rotate; nothing out. */
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_rotate_actor_key(s, SSPF_ACTOR_SCHOOL, &version, &err));
  CHECK(version == 0);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  INVALID(sspf_session_rotate_actor_key(NULL, SSPF_ACTOR_SCHOOL, &version, &err));
  INVALID(sspf_session_rotate_actor_key(s, 42, &version, &err));
  OK(sspf_session_rotate_actor_key(s, SSPF_ACTOR_SCHOOL, &version, &err));
  CHECK(version == 2);
  OK(sspf_session_rotate_actor_key(s, SSPF_ACTOR_SCHOOL, NULL, &err));
  /* An admin holds no actor key and so does not rewrap. */
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_rewrap_entry_keys(s, NULL, NULL, &count,
                                                                       &err));
  CHECK(count == 0);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  INVALID(sspf_session_rewrap_entry_keys(NULL, NULL, NULL, &count, &err));
  OK(sspf_session_rewrap_entry_keys(s, CountProgress, last, &count, &err));
  CHECK(count == 1);
  CHECK(last[0] == 1 && last[1] == 1);
  OK(sspf_session_rewrap_entry_keys(s, NULL, NULL, NULL, &err));
  OK(sspf_session_read_entry(s, entry_id, "uppföljning", &body, &body_len, NULL, &err));
  CHECK(body != NULL && body_len == strlen(kBody) && memcmp(body, kBody, body_len) == 0);
  sspf_free(body);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
