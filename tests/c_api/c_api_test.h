/* Copyright (c) libsspf authors.
 *
 * What the C ABI test files share: the check counters and macros, the
 * scenario's principal names, and the test functions of the other files. */
#ifndef SSPF_TESTS_C_API_C_API_TEST_H_
#define SSPF_TESTS_C_API_C_API_TEST_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sspf/sspf.h"

/* Checks run and failed (c_api_test.c). */
extern int g_checks;
extern int g_failures;

#define CHECK(cond)                                                  \
  do {                                                               \
    ++g_checks;                                                      \
    if (!(cond)) {                                                   \
      ++g_failures;                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
              #cond);                                                \
    }                                                                \
  } while (0)

/* Runs `call` (which must take &err as its error argument) and expects the
 * status `want`; for a failure also an error object with that code.  Prints
 * the error if not, and frees it. */
#define EXPECT(want, call)                                                 \
  do {                                                                    \
    sspf_status st_ = (call);                                             \
    ++g_checks;                                                           \
    if (st_ != (want)) {                                                  \
      ++g_failures;                                                       \
      fprintf(stderr, "%s:%d: %s: expected %s, got %s: %s\n", __FILE__,   \
              __LINE__, #call, sspf_status_name(want),                    \
              sspf_status_name(st_), sspf_error_message(err));            \
    }                                                                     \
    if ((want) != SSPF_STATUS_OK) {                                       \
      CHECK(err != NULL && sspf_error_code(err) == (want));               \
    }                                                                     \
    sspf_error_free(&err);                                                \
  } while (0)
#define OK(call) EXPECT(SSPF_STATUS_OK, call)
#define INVALID(call) EXPECT(SSPF_STATUS_INVALID_ARGUMENT, call)

static inline const uint8_t* P(const char* s) { return (const uint8_t*)s; }
#define PASS(s) SSPF_CREDENTIAL_PASSPHRASE, P(s), strlen(s)

/* Extracts the string value of "key":"..." that follows `after` (or the
 * start) in a JSON text into out; good enough for ids (no escapes). */
int JsonString(const char* json, const char* after, const char* key, char* out,
               size_t out_size);

/* True if json is a document of the JSON schema (docs/json-schema.md):
 * an object starting with "schema_version":1, and with list != NULL a list
 * document whose next member is the array `list`. */
int IsDocument(const char* json, const char* list);

/* c_api_certificates_test.c: sspf_session_list_certificates. */
void TestCertificates(const char* dir);

/* The names of the scenario's principals. */
#define ADMIN "admin"
#define COORD "kim.coordinator"
#define SCHOOL "sara.school"
#define POLICE "per.police"
#define SOCIAL "sol.social"
#define AUDITOR "alva.auditor"
#define SECRET "correct horse battery staple"

/* c_api_review_test.c: the scoped review, ack and review close. */
void TestReview(const char* dir);
/* c_api_enum_test.c: enum arguments out of range. */
void TestEnumRanges(const char* dir);
/* c_api_trust_anchor_test.c: sspf_session_trust_anchor. */
void TestTrustAnchor(const char* dir);
/* c_api_trust_anchor_test.c: a new store at dir/name with an admin and a
 * school member; returns the options (destroy them). */
sspf_options_t* NewStore(const char* dir, const char* name);
/* Copies the id *id returned by the library into out (empty for NULL),
 * frees it and sets *id = NULL. */
void TakeId(char** id, char* out, size_t out_size);
/* As COORD (added here by the admin): a fictitious youth born 15 years ago
 * (personnummer serial `serial`) and a case with `team`; its id into
 * case_id (empty on failure). */
void NewCase(const sspf_options_t* opts, int serial, const char** team, size_t team_len,
             char* case_id, size_t case_id_size);
/* c_api_keys_test.c: sspf_session_rotate_actor_key, _rewrap_entry_keys. */
void TestActorKeys(const char* dir);
/* c_api_reasons_test.c: sspf_session_list_reasons. */
void TestReasons(const char* dir);
/* c_api_provisions_test.c: sspf_options_legal_provisions_json,
 * sspf_options_set_public_authority. */
void TestProvisions(const char* dir);
/* c_api_purposes_test.c: purpose codes and notes. */
void TestPurposes(const char* dir);
/* c_api_lifecycle_test.c: revoke, grant end, team remove, reopen, custody. */
void TestLifecycle(const char* dir);
/* c_api_plan_test.c: the joint plan, meetings and due (issue 14). */
void TestPlan(const char* dir);
void TestHandles(const char* dir);
/* c_api_retention_test.c: retention rules, plan and run. */
void TestRetention(const char* dir);
/* c_api_witness_test.c: sspf_witness_init, _cosign, verify_witnessed. */
void TestWitness(const char* dir);
/* c_api_tiles_test.c: sspf_session_export_tiles (C2SP tlog-tiles). */
void TestTiles(const char* dir);
/* c_api_extract_test.c: sspf_session_extract_report (loggutdrag). */
void TestExtractReport(const char* dir);

#endif /* SSPF_TESTS_C_API_C_API_TEST_H_ */
