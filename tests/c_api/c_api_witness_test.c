/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: a witness (sspf_witness_init, _cosign) needs
 * no session; it cosigns an extension, refuses a rollback, and
 * sspf_session_verify_witnessed accepts the cosigned checkpoint and refuses
 * one without the cosignature or with another witness's key. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

/* The "note" member of a cosignature document, with its JSON escapes
 * undone (the note holds only \n escapes); free() it. */
static char* NoteOf(const char* json) {
  const char* p = json != NULL ? strstr(json, "\"note\":\"") : NULL;
  char* out;
  size_t n = 0;
  if (p == NULL) return NULL;
  p += strlen("\"note\":\"");
  out = malloc(strlen(p) + 1);
  if (out == NULL) return NULL;
  while (*p != 0 && *p != '"') {
    if (p[0] == '\\' && p[1] == 'n') {
      out[n++] = '\n';
      p += 2;
    } else {
      out[n++] = *p++;
    }
  }
  out[n] = 0;
  return out;
}

void TestWitness(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  sspf_options_t* opts = NewStore(dir, "witness.db");
  char key_file[512], other_file[512], state[512], vkey[256], other_vkey[256];
  char *json = NULL, *note1 = NULL, *note2 = NULL, *log_key = NULL, *proof = NULL;
  char *cosigned_json = NULL, *cosigned = NULL, *report = NULL;
  const char* keys[2];

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  OK(sspf_session_checkpoint(s, &note1, &err));
  OK(sspf_session_verifier_key(s, &log_key, &err));

  snprintf(key_file, sizeof key_file, "%s/witness.key", dir);
  snprintf(other_file, sizeof other_file, "%s/other.key", dir);
  snprintf(state, sizeof state, "%s/witness-state", dir);
  INVALID(sspf_witness_init(NULL, "polisen.se/witness", &json, &err));
  INVALID(sspf_witness_init(key_file, "bad name", &json, &err));
  OK(sspf_witness_init(key_file, "polisen.se/witness", &json, &err));
  CHECK(IsDocument(json, NULL));
  CHECK(JsonString(json, NULL, "verifier_key", vkey, sizeof vkey));
  CHECK(strncmp(vkey, "polisen.se/witness+", 19) == 0);
  sspf_free(json);
  json = NULL;
  EXPECT(SSPF_STATUS_ALREADY_EXISTS, sspf_witness_init(key_file, "polisen.se/witness", NULL, &err));
  OK(sspf_witness_init(other_file, "other.example/w", &json, &err));
  CHECK(JsonString(json, NULL, "verifier_key", other_vkey, sizeof other_vkey));
  sspf_free(json);
  json = NULL;

  /* First use pins the log; then an extension with its proof. */
  INVALID(sspf_witness_cosign(key_file, state, note1, NULL, NULL, &json, &err));
  INVALID(sspf_witness_cosign(key_file, state, note1, NULL, log_key, NULL, &err));
  OK(sspf_witness_cosign(key_file, state, note1, NULL, log_key, &json, &err));
  CHECK(IsDocument(json, NULL));
  sspf_free(json);
  json = NULL;
  OK(sspf_session_checkpoint(s, &note2, &err));
  OK(sspf_session_consistency(s, note1, note2, &proof, &err));
  INVALID(sspf_witness_cosign(key_file, state, note2, NULL, NULL, &cosigned_json, &err));
  OK(sspf_witness_cosign(key_file, state, note2, proof, NULL, &cosigned_json, &err));
  cosigned = NoteOf(cosigned_json);
  CHECK(cosigned != NULL && strstr(cosigned, "\xE2\x80\x94 polisen.se/witness ") != NULL);
  /* A rollback to the first checkpoint is refused. */
  EXPECT(SSPF_STATUS_INTEGRITY_VIOLATION,
         sspf_witness_cosign(key_file, state, note1, NULL, NULL, &json, &err));
  CHECK(json == NULL);

  /* Verify with the witness's key. */
  keys[0] = vkey;
  keys[1] = other_vkey;
  if (cosigned != NULL) {
    OK(sspf_session_verify_witnessed(s, cosigned, keys, 1, &report, &err));
    CHECK(report != NULL && strstr(report, "\"witnesses\":[\"polisen.se/witness\"]") != NULL);
    sspf_free(report);
    report = NULL;
    EXPECT(SSPF_STATUS_INTEGRITY_VIOLATION,
           sspf_session_verify_witnessed(s, cosigned, keys, 2, &report, &err));
    CHECK(report == NULL);
  }
  EXPECT(SSPF_STATUS_INTEGRITY_VIOLATION,
         sspf_session_verify_witnessed(s, note2, keys, 1, NULL, &err));
  INVALID(sspf_session_verify_witnessed(s, NULL, keys, 1, NULL, &err));
  INVALID(sspf_session_verify_witnessed(s, note2, NULL, 1, NULL, &err));
  keys[0] = log_key; /* a log key is no witness key */
  INVALID(sspf_session_verify_witnessed(s, note2, keys, 1, NULL, &err));

  free(cosigned);
  sspf_free(cosigned_json);
  sspf_free(proof);
  sspf_free(note1);
  sspf_free(note2);
  sspf_free(log_key);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
