/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_list_certificates returns the
 * certificates document to an auditor (every version: a disabled principal
 * has two), refuses everyone else, and checks its arguments. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

void TestCertificates(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* s = NULL;
  char path[512];
  char* id = NULL;
  char* json = (char*)1;
  char police_id[128];
  const char* p;
  int versions = 0;
  uint8_t* recovery = NULL;
  size_t recovery_len = 0;

  snprintf(path, sizeof path, "%s/certificates.db", dir);
  OK(sspf_options_create(&opts, &err));
  OK(sspf_options_set_path(opts, path, &err));
  OK(sspf_options_set_passphrase_cost(opts, SSPF_COST_INTERACTIVE, &err));
  OK(sspf_store_create(opts, ADMIN, PASS(SECRET), NULL, &recovery, &recovery_len, &err));
  sspf_free(recovery);
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), &id, &err));
  sspf_free(id);
  id = NULL;
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                &id, &err));
  snprintf(police_id, sizeof police_id, "%s", id != NULL ? id : "");
  sspf_free(id);
  OK(sspf_session_disable_principal(s, POLICE, &err));
  /* An admin may not list them (audit reads are the auditor's); nothing out. */
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_list_certificates(s, &json, &err));
  CHECK(json == NULL);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  INVALID(sspf_session_list_certificates(NULL, &json, &err));
  CHECK(json == NULL);
  INVALID(sspf_session_list_certificates(s, NULL, &err));
  OK(sspf_session_list_certificates(s, &json, &err));
  CHECK(IsDocument(json, "certificates"));
  CHECK(json != NULL && strstr(json, "\"signing_key\":\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"certificate\":\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"certificate_signature\":\"") != NULL);
  /* admin, auditor, and the police member twice (added, then disabled). */
  for (p = json; p != NULL && (p = strstr(p, "\"principal_id\":")) != NULL; ++p) ++versions;
  CHECK(versions == 4);
  CHECK(json != NULL && strstr(json, police_id) != NULL);
  CHECK(json != NULL && strstr(json, "\"active\":false") != NULL);
  CHECK(json != NULL && strstr(json, "\"version\":2") != NULL);
  CHECK(json != NULL && strstr(json, SECRET) == NULL);
  sspf_free(json);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
