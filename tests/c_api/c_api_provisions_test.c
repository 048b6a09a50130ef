/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_options_legal_provisions_json (the
 * provision rules, the document of `sspf-tool provisions --json`) and
 * sspf_options_set_public_authority (a free school may not use an OSL
 * provision, but the Socialtjänstlag's reporting duty binds it). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

void TestProvisions(const char* dir) {
  static const char kBody[] = "Elevens fr\xc3\xa5nvaro har \xc3\xb6kat.";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "provisions.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* json = NULL;
  char case_id[128], entry_id[128];
  const char* team[] = {SCHOOL};

  /* The listing: a list document with the rules of DESIGN §14. */
  INVALID(sspf_options_legal_provisions_json(NULL, &json, &err));
  INVALID(sspf_options_legal_provisions_json(opts, NULL, &err));
  OK(sspf_options_legal_provisions_json(opts, &json, &err));
  CHECK(json != NULL && IsDocument(json, "provisions"));
  if (json != NULL) {
    CHECK(strstr(json, "\"id\":\"osl-10-18a\"") != NULL);
    CHECK(strstr(json, "\"id\":\"osl-10-15a\"") != NULL);
    CHECK(strstr(json, "\"id\":\"osl-10-28\"") != NULL);
    CHECK(strstr(json, "\"directions\":[{\"from\":[\"social\"],\"to\":[\"police\"]}]") != NULL);
    CHECK(strstr(json, "\"in_force_from\":\"2025-12-01\"") != NULL);
    CHECK(strstr(json, "2025:400") != NULL);
  }
  sspf_free(json);
  json = NULL;

  /* Authority status: an unknown actor is refused. */
  INVALID(sspf_options_set_public_authority(NULL, SSPF_ACTOR_SCHOOL, 0, &err));
  INVALID(sspf_options_set_public_authority(opts, SSPF_ACTOR_COORDINATION + 1, 0, &err));

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, SOCIAL, SSPF_ACTOR_SOCIAL, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 431, team, 1, case_id, sizeof case_id);
  OK(sspf_options_set_public_authority(opts, SSPF_ACTOR_SCHOOL, 0, &err));
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  /* A free school: OSL 10 kap. 28 § is refused, naming the rule; the
   * reporting duty of the Socialtjänstlag (2025:400) is not an OSL rule. */
  {
    sspf_status st = sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_SOCIAL, NULL, NULL,
                                                 "OSL 10 kap. 28 \xc2\xa7", "oro", &id, &err);
    CHECK(st == SSPF_STATUS_PERMISSION_DENIED && id == NULL);
    CHECK(err != NULL && strstr(sspf_error_message(err), "public authority") != NULL);
    sspf_error_free(&err);
  }
  OK(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_SOCIAL, NULL, NULL,
                                 "sol-2025-400-report", "oro", &id, &err));
  CHECK(id != NULL);
  sspf_free(id);
  id = NULL;
  sspf_session_close(&s);
  /* A municipal school: 28 § is allowed again; 18 a § never from school. */
  OK(sspf_options_set_public_authority(opts, SSPF_ACTOR_SCHOOL, 1, &err));
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_SOCIAL, NULL, NULL,
                                 "osl-10-28", "oro", &id, &err));
  sspf_free(id);
  id = NULL;
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_POLICE, NULL, NULL,
                                     "OSL 10 kap. 18 a \xc2\xa7", "risk", &id, &err));
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
