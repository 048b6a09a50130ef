/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_trust_anchor gives every
 * principal of a store the same anchor (the key pinned in its own keyring
 * entry), as 32 bytes and as the trust anchor document of sspf/json.h; a
 * second store has another anchor. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

/* Standard padded base64 (RFC 4648 §4) of n bytes into out. */
static void Base64(const uint8_t* p, size_t n, char* out) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i;
  for (i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16;
    if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
    *out++ = i + 2 < n ? kAlphabet[v & 63] : '=';
  }
  *out = 0;
}

sspf_options_t* NewStore(const char* dir, const char* name) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* s = NULL;
  uint8_t* recovery = NULL;
  size_t recovery_len = 0;
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  OK(sspf_options_create(&opts, &err));
  OK(sspf_options_set_path(opts, path, &err));
  OK(sspf_options_set_passphrase_cost(opts, SSPF_COST_INTERACTIVE, &err));
  OK(sspf_store_create(opts, ADMIN, PASS(SECRET), NULL, &recovery, &recovery_len, &err));
  sspf_free(recovery);
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, SCHOOL, SSPF_ACTOR_SCHOOL, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  sspf_session_close(&s);
  return opts;
}

void TakeId(char** id, char* out, size_t out_size) {
  snprintf(out, out_size, "%s", *id != NULL ? *id : "");
  sspf_free(*id);
  *id = NULL;
}

void NewCase(const sspf_options_t* opts, int serial, const char** team, size_t team_len,
             char* case_id, size_t case_id_size) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* pnr = NULL;
  char* json = NULL;
  char subject_id[128];
  time_t now = time(NULL);
  struct tm today;

  gmtime_r(&now, &today);
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, COORD, SSPF_ACTOR_COORDINATION, SSPF_ROLE_COORDINATOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);
  OK(sspf_store_open(opts, COORD, PASS(SECRET), &s, &err));
  OK(sspf_make_test_personal_number(today.tm_year + 1900 - 15, today.tm_mon + 1, 1, serial, 0,
                                    &pnr, &err));
  OK(sspf_session_add_subject(s, pnr, "Test Youth", NULL, 0, &json, &err));
  sspf_free(pnr);
  CHECK(JsonString(json, NULL, "id", subject_id, sizeof subject_id));
  sspf_free(json);
  OK(sspf_session_open_case(s, subject_id, team, team_len, &id, &err));
  TakeId(&id, case_id, case_id_size);
  sspf_session_close(&s);
}

/* The anchor of `who` as bytes (into key, 32) and its document (sspf_free). */
static char* AnchorOf(const sspf_options_t* opts, const char* who, uint8_t key[32]) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  uint8_t* k = NULL;
  size_t len = 0;
  char* json = NULL;
  OK(sspf_store_open(opts, who, PASS(SECRET), &s, &err));
  OK(sspf_session_trust_anchor(s, &k, &len, &json, &err));
  CHECK(k != NULL && len == 32);
  CHECK(json != NULL);
  if (k != NULL && len == 32) memcpy(key, k, 32);
  sspf_free(k);
  /* The document is optional. */
  OK(sspf_session_trust_anchor(s, &k, &len, NULL, &err));
  CHECK(k != NULL && len == 32 && memcmp(k, key, 32) == 0);
  sspf_free(k);
  sspf_session_close(&s);
  return json;
}

void TestTrustAnchor(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  sspf_options_t* a = NewStore(dir, "anchor-a.db");
  sspf_options_t* b = NewStore(dir, "anchor-b.db");
  uint8_t admin_key[32], school_key[32], other_key[32], zero[32] = {0};
  char b64[64], text[128], store_id[128];
  char* store_id_c = NULL;
  uint8_t* k = (uint8_t*)1;
  size_t len = 99;
  char* json = (char*)1;
  char* admin_json = AnchorOf(a, ADMIN, admin_key);
  char* school_json = AnchorOf(a, SCHOOL, school_key);
  char* other_json = AnchorOf(b, ADMIN, other_key);

  /* Every principal of a store holds the same anchor; another store's differs. */
  CHECK(memcmp(admin_key, school_key, 32) == 0);
  CHECK(memcmp(admin_key, zero, 32) != 0);
  CHECK(memcmp(admin_key, other_key, 32) != 0);
  CHECK(admin_json != NULL && school_json != NULL && strcmp(admin_json, school_json) == 0);
  CHECK(other_json != NULL && admin_json != NULL && strcmp(admin_json, other_json) != 0);

  /* The document: schema_version first, the store id, the key in base64, the
   * fingerprint as 8 groups of 4 hex digits. */
  CHECK(admin_json != NULL && strncmp(admin_json, "{\"schema_version\":1,", 20) == 0);
  Base64(admin_key, 32, b64);
  CHECK(JsonString(admin_json, NULL, "public_key", text, sizeof text) &&
        strcmp(text, b64) == 0);
  CHECK(JsonString(admin_json, NULL, "fingerprint", text, sizeof text) && strlen(text) == 39 &&
        text[4] == '-' && text[34] == '-');
  OK(sspf_store_open(a, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_store_id(s, &store_id_c, &err));
  CHECK(JsonString(admin_json, NULL, "store_id", store_id, sizeof store_id) &&
        store_id_c != NULL && strcmp(store_id, store_id_c) == 0);
  sspf_free(store_id_c);

  /* NULL arguments: INVALID_ARGUMENT, outputs cleared. */
  INVALID(sspf_session_trust_anchor(NULL, &k, &len, &json, &err));
  CHECK(k == NULL && len == 0 && json == NULL);
  INVALID(sspf_session_trust_anchor(s, NULL, &len, &json, &err));
  INVALID(sspf_session_trust_anchor(s, &k, NULL, &json, &err));
  CHECK(k == NULL && json == NULL);
  sspf_session_close(&s);

  sspf_free(admin_json);
  sspf_free(school_json);
  sspf_free(other_json);
  sspf_options_destroy(&a);
  sspf_options_destroy(&b);
}
