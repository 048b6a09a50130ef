/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_list_reasons.  A disclosure's
 * reason is encrypted (DESIGN §13): the deciding actor (school), the
 * receiving actor (police) and the auditor read the text; a coordinator of
 * another actor gets "reason":null,"reason_sealed":true; an admin is
 * denied.  The JSON fields are the same as ReasonListJson's. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static const char kReason[] = "orosanm\xc3\xa4lan: C-ABI testmotivering";

/* The reasons document of case_id as read by `who` (sspf_free it). */
static char* ReasonsOf(const sspf_options_t* opts, const char* who, const char* case_id) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  char* json = NULL;
  OK(sspf_store_open(opts, who, PASS(SECRET), &s, &err));
  OK(sspf_session_list_reasons(s, case_id, &json, &err));
  sspf_session_close(&s);
  CHECK(json != NULL && IsDocument(json, "reasons"));
  return json;
}

void TestReasons(const char* dir) {
  static const char kBody[] = "Elevens fr\xc3\xa5nvaro har \xc3\xb6kat.";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "reasons.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* json = NULL;
  char case_id[128], entry_id[128], disclosure_id[128], got[128];
  const char* team[] = {SCHOOL, POLICE};

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 423, team, 2, case_id, sizeof case_id);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  /* School -> police: OSL 10 kap. 15 a § (between authorities, crime
   * prevention); 18 a § runs only from social services. */
  OK(sspf_session_disclose_entry(s, entry_id, SSPF_ACTOR_POLICE, NULL, NULL,
                                 "OSL 10 kap. 15 a \xc2\xa7", kReason, &id, &err));
  TakeId(&id, disclosure_id, sizeof disclosure_id);
  INVALID(sspf_session_list_reasons(s, NULL, &json, &err));
  INVALID(sspf_session_list_reasons(s, case_id, NULL, &err));
  sspf_session_close(&s);

  /* Deciding actor, receiving actor and auditor read it. */
  {
    const char* readers[] = {SCHOOL, POLICE, AUDITOR};
    size_t i;
    for (i = 0; i < sizeof readers / sizeof readers[0]; ++i) {
      json = ReasonsOf(opts, readers[i], case_id);
      CHECK(json != NULL && strstr(json, kReason) != NULL);
      CHECK(json != NULL && strstr(json, "\"reason_sealed\":false") != NULL);
      CHECK(json != NULL && strstr(json, "\"kind\":\"disclosure\"") != NULL);
      CHECK(json != NULL && strstr(json, "\"to\":\"police\"") != NULL);
      CHECK(JsonString(json, NULL, "id", got, sizeof got) && strcmp(got, disclosure_id) == 0);
      CHECK(JsonString(json, NULL, "entry_id", got, sizeof got) && strcmp(got, entry_id) == 0);
      sspf_free(json);
    }
  }
  /* The coordinator (actor coordination) sees only that a reason exists. */
  json = ReasonsOf(opts, COORD, case_id);
  CHECK(json != NULL && strstr(json, "testmotivering") == NULL);
  CHECK(json != NULL && strstr(json, "\"reason\":null,\"reason_sealed\":true") != NULL);
  sspf_free(json);

  /* An admin is denied, and gets no document. */
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  json = NULL;
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_list_reasons(s, case_id, &json, &err));
  CHECK(json == NULL);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
