/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_rotate_actor_key (admin) makes
 * a new actor-key version that new entries use, and
 * sspf_session_rewrap_entry_keys (a member of the actor) moves the old
 * entry keys to it, reporting progress; both refuse the wrong principals
 * and check their arguments.  sspf_session_rekey_store (admin) gives the
 * store a new root key and hands the new recovery key to a callback. */
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

/* Keeps the recovery key the rekey hands over, or refuses to (refuse). */
struct Kept {
  int refuse;
  int calls;
  uint8_t key[32];
};
static int KeepKey(void* user_data, const uint8_t* key, size_t key_len) {
  struct Kept* kept = (struct Kept*)user_data;
  kept->calls++;
  if (kept->refuse || key_len != sizeof kept->key) return 1;
  memcpy(kept->key, key, key_len);
  return 0;
}

static void TestRekey(const sspf_options_t* opts) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  char* json = NULL;
  uint64_t last[2] = {0, 0};
  struct Kept kept;
  memset(&kept, 0, sizeof kept);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_rekey_store(s, KeepKey, &kept, NULL, NULL, &json, &err));
  CHECK(json == NULL && kept.calls == 0);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  INVALID(sspf_session_rekey_store(NULL, KeepKey, &kept, NULL, NULL, &json, &err));
  INVALID(sspf_session_rekey_store(s, NULL, NULL, NULL, NULL, &json, &err));
  /* A caller that cannot keep the key abandons the rekey. */
  kept.refuse = 1;
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION,
         sspf_session_rekey_store(s, KeepKey, &kept, NULL, NULL, &json, &err));
  CHECK(kept.calls == 1 && json == NULL);
  kept.refuse = 0;
  kept.calls = 0;
  OK(sspf_session_rekey_store(s, KeepKey, &kept, CountProgress, last, &json, &err));
  CHECK(kept.calls == 1);
  CHECK(last[0] == 3 && last[1] == 3);
  CHECK(IsDocument(json, NULL) && strstr(json, "\"generation\":2,") != NULL);
  sspf_free(json);
  sspf_session_close(&s);
  /* Credentials are unchanged; the new recovery key is the one in force. */
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  sspf_session_close(&s);
  OK(sspf_store_reset_with_recovery_key(opts, kept.key, sizeof kept.key, COORD, PASS(SECRET),
                                        &err));
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
  TestRekey(opts);
  sspf_options_destroy(&opts);
}
