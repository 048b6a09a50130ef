/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: purpose codes and purpose notes.  The
 * options carry the list of codes; a read states a code (or a label) and
 * an optional note; the note is in no leaf, reads back for the reader's
 * actor and the auditor, and is erased by its author while verify still
 * passes. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static const char kNote[] = "C-ABI anteckning om Nils Testberg-Purpose";

/* The purpose-notes document of case_id as read by `who` (sspf_free it). */
static char* NotesOf(const sspf_options_t* opts, const char* who, const char* case_id) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  char* json = NULL;
  OK(sspf_store_open(opts, who, PASS(SECRET), &s, &err));
  OK(sspf_session_list_purpose_notes(s, case_id, &json, &err));
  sspf_session_close(&s);
  CHECK(json != NULL && IsDocument(json, "purpose_notes"));
  return json;
}

static void TestPurposeOptions(void) {
  sspf_error_t* err = NULL;
  sspf_options_t* o = NULL;
  char* json = NULL;
  OK(sspf_options_create(&o, &err));
  OK(sspf_options_purposes_json(o, &json, &err));
  CHECK(json != NULL && IsDocument(json, "purposes"));
  CHECK(json != NULL && strstr(json, "{\"code\":\"sspf-meeting\",\"label_sv\":\"SSPF-m\xc3\xb6te\","
                                     "\"label_en\":\"SSPF meeting\"}") != NULL);
  CHECK(json != NULL && strstr(json, "\"code\":\"log-review\"") != NULL);
  sspf_free(json);
  INVALID(sspf_options_add_purpose(o, "bad code", "a", "b", &err));
  INVALID(sspf_options_add_purpose(o, "kontroll", "x", "y", &err));  /* a label of control */
  INVALID(sspf_options_add_purpose(o, "tillsyn", "", "supervision", &err));
  INVALID(sspf_options_add_purpose(o, NULL, "tillsyn", "supervision", &err));
  INVALID(sspf_options_purposes_json(o, NULL, &err));
  OK(sspf_options_clear_purposes(o, &err));
  OK(sspf_options_add_purpose(o, "tillsyn", "tillsyn", "supervision", &err));
  OK(sspf_options_purposes_json(o, &json, &err));
  CHECK(json != NULL && strcmp(json, "{\"schema_version\":1,\"purposes\":[{\"code\":\"tillsyn\","
                                     "\"label_sv\":\"tillsyn\",\"label_en\":\"supervision\"}]}") ==
                            0);
  sspf_free(json);
  sspf_options_destroy(&o);
}

void TestPurposes(const char* dir) {
  static const char kBody[] = "Skolans anteckning.";
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "purposes.db");
  sspf_session_t* s = NULL;
  sspf_audit_filter_t* f = NULL;
  char* id = NULL;
  char* json = NULL;
  uint8_t* body = NULL;
  size_t body_len = 0;
  char case_id[128], entry_id[128], note_id[128];
  const char* team[] = {SCHOOL};

  TestPurposeOptions();
  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 431, team, 1, case_id, sizeof case_id);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  /* Free text is no purpose; a note needs a purpose. */
  INVALID(sspf_session_read_entry(s, entry_id, "l\xc3\xa4ste om Nils", &body, &body_len, NULL,
                                  &err));
  CHECK(err == NULL || strstr(sspf_error_message(err), "follow-up") != NULL);
  INVALID(sspf_session_read_entry_with_note(s, entry_id, NULL, kNote, &body, &body_len, NULL,
                                            &err));
  CHECK(body == NULL);
  OK(sspf_session_read_entry_with_note(s, entry_id, "Uppf\xc3\xb6ljning", kNote, &body,
                                       &body_len, NULL, &err));
  CHECK(body != NULL && body_len == strlen(kBody));
  sspf_free(body);
  /* The log holds the code, not the note. */
  OK(sspf_audit_filter_create(&f, &err));
  sspf_session_close(&s);
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  OK(sspf_session_query_events(s, f, &json, &err));
  CHECK(json != NULL && strstr(json, "\"purpose\":\"follow-up note=") != NULL);
  CHECK(json != NULL && strstr(json, "Testberg") == NULL);
  sspf_free(json);
  sspf_audit_filter_destroy(&f);
  sspf_session_close(&s);

  /* The reader's actor and the auditor read it back; the coordinator not. */
  json = NotesOf(opts, AUDITOR, case_id);
  CHECK(json != NULL && strstr(json, kNote) != NULL);
  CHECK(json != NULL && strstr(json, "\"code\":\"follow-up\"") != NULL);
  CHECK(JsonString(json, NULL, "id", note_id, sizeof note_id));
  sspf_free(json);
  json = NotesOf(opts, SCHOOL, case_id);
  CHECK(json != NULL && strstr(json, kNote) != NULL);
  sspf_free(json);
  json = NotesOf(opts, COORD, case_id);
  CHECK(json != NULL && strstr(json, "\"note\":null,\"note_sealed\":true") != NULL);
  sspf_free(json);

  /* Erased by its author: gone, and the log still verifies. */
  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  INVALID(sspf_session_erase_purpose_note(s, NULL, &err));
  EXPECT(SSPF_STATUS_NOT_FOUND, sspf_session_erase_purpose_note(s, "no-such-note", &err));
  OK(sspf_session_erase_purpose_note(s, note_id, &err));
  EXPECT(SSPF_STATUS_FAILED_PRECONDITION, sspf_session_erase_purpose_note(s, note_id, &err));
  sspf_session_close(&s);
  json = NotesOf(opts, AUDITOR, case_id);
  CHECK(json != NULL && strstr(json, kNote) == NULL);
  CHECK(json != NULL && strstr(json, "\"note\":null,\"note_sealed\":false,\"erased\":true") !=
                            NULL);
  sspf_free(json);
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  OK(sspf_session_verify(s, NULL, NULL, &err));
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
