/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_extract_report, the loggutdrag
 * for the youth and the family as JSON, HTML and text, in Swedish and
 * English; sspf_session_review_html, the review report as a page.  A refused read shows as refused, the youth's name is escaped
 * in HTML, the entry's content and another youth are never in it. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static const char kName[] = "Nils <b>Testberg</b> & Co";
static const char kBody[] = "Skolans hemliga anteckning.";

/* The extract of subject_id as `who` (sspf_free it); NULL on failure. */
static char* ExtractOf(const sspf_options_t* opts, const char* subject_id, int format,
                       const char* lang) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  char* doc = NULL;
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  OK(sspf_session_extract_report(s, subject_id, format, lang, kName, 0, 0, 0, 0, &doc, &err));
  sspf_session_close(&s);
  return doc;
}

void TestExtractReport(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NewStore(dir, "extract.db");
  sspf_session_t* s = NULL;
  char* id = NULL;
  char* json = NULL;
  char* doc = NULL;
  char* pnr = NULL;
  uint8_t* body = NULL;
  size_t body_len = 0;
  char case_id[128], other_case[128], entry_id[128], subject_id[128], other_subject[128];
  const char* team[] = {SCHOOL};

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  OK(sspf_session_add_principal(s, POLICE, SSPF_ACTOR_POLICE, SSPF_ROLE_MEMBER, PASS(SECRET),
                                NULL, &err));
  sspf_session_close(&s);
  NewCase(opts, 441, team, 1, case_id, sizeof case_id);
  OK(sspf_store_open(opts, COORD, PASS(SECRET), &s, &err));
  OK(sspf_session_show_case(s, case_id, &json, &err));
  CHECK(JsonString(json, NULL, "subject_id", subject_id, sizeof subject_id));
  sspf_free(json);
  /* Another youth, with a case of her own. */
  OK(sspf_make_test_personal_number(2011, 5, 1, 442, 0, &pnr, &err));
  OK(sspf_session_add_subject(s, pnr, "Bertil Hemligsson", NULL, 0, &json, &err));
  sspf_free(pnr);
  CHECK(JsonString(json, NULL, "id", other_subject, sizeof other_subject));
  sspf_free(json);
  OK(sspf_session_open_case(s, other_subject, team, 1, &id, &err));
  TakeId(&id, other_case, sizeof other_case);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, SCHOOL, PASS(SECRET), &s, &err));
  OK(sspf_session_add_entry(s, case_id, SSPF_CATEGORY_SCHOOL, P(kBody), strlen(kBody), NULL,
                            &id, &err));
  TakeId(&id, entry_id, sizeof entry_id);
  OK(sspf_session_read_entry(s, entry_id, "follow-up", &body, &body_len, NULL, &err));
  sspf_free(body);
  sspf_session_close(&s);
  OK(sspf_store_open(opts, POLICE, PASS(SECRET), &s, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_read_entry(s, entry_id, "follow-up", &body, &body_len, NULL, &err));
  /* Only auditors issue extracts. */
  EXPECT(SSPF_STATUS_PERMISSION_DENIED,
         sspf_session_extract_report(s, subject_id, SSPF_EXTRACT_JSON, NULL, NULL, 0, 0, 0, 0,
                                     &doc, &err));
  CHECK(doc == NULL);
  sspf_session_close(&s);

  /* Arguments. */
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  INVALID(sspf_session_extract_report(s, NULL, SSPF_EXTRACT_JSON, NULL, NULL, 0, 0, 0, 0, &doc,
                                      &err));
  INVALID(sspf_session_extract_report(s, subject_id, SSPF_EXTRACT_TEXT + 1, NULL, NULL, 0, 0, 0,
                                      0, &doc, &err));
  INVALID(sspf_session_extract_report(s, subject_id, SSPF_EXTRACT_JSON, "de", NULL, 0, 0, 0, 0,
                                      &doc, &err));
  INVALID(sspf_session_extract_report(s, subject_id, SSPF_EXTRACT_JSON, NULL, NULL, 0, 0, 0, 0,
                                      NULL, &err));
  INVALID(sspf_session_extract_report(s, subject_id, SSPF_EXTRACT_JSON, NULL, NULL, 1, 100, 1,
                                      50, &doc, &err));
  EXPECT(SSPF_STATUS_NOT_FOUND,
         sspf_session_extract_report(s, "00000000000000000000000000000000", SSPF_EXTRACT_JSON,
                                     NULL, NULL, 0, 0, 0, 0, &doc, &err));
  CHECK(doc == NULL);
  sspf_session_close(&s);

  /* JSON, Swedish: the lines, the refused read, the youth's name. */
  doc = ExtractOf(opts, subject_id, SSPF_EXTRACT_JSON, "sv");
  CHECK(doc != NULL && IsDocument(doc, NULL));
  CHECK(doc != NULL && strstr(doc, "\"kind\":\"log_extract\"") != NULL);
  CHECK(doc != NULL && strstr(doc, "\"youth_name\":\"Nils <b>Testberg</b> & Co\"") != NULL);
  CHECK(doc != NULL && strstr(doc, "Skolan (anv\xc3\xa4ndare " SCHOOL
                                   ") l\xc3\xa4ste en anteckning fr\xc3\xa5n skolan") != NULL);
  CHECK(doc != NULL && strstr(doc, "Polisen (anv\xc3\xa4ndare " POLICE
                                   ") f\xc3\xb6rs\xc3\xb6kte l\xc3\xa4sa en anteckning") != NULL);
  CHECK(doc != NULL && strstr(doc, "\"outcome\":\"denied\"") != NULL);
  CHECK(doc != NULL && strstr(doc, "Skolans hemliga") == NULL);
  CHECK(doc != NULL && strstr(doc, other_subject) == NULL);
  CHECK(doc != NULL && strstr(doc, other_case) == NULL);
  CHECK(doc != NULL && strstr(doc, "Hemligsson") == NULL);
  sspf_free(doc);

  /* HTML (Swedish by default): every value escaped, nothing fetched. */
  doc = ExtractOf(opts, subject_id, SSPF_EXTRACT_HTML, NULL);
  CHECK(doc != NULL && strncmp(doc, "<!DOCTYPE html>", 15) == 0);
  CHECK(doc != NULL && strstr(doc, "<html lang=\"sv\">") != NULL);
  CHECK(doc != NULL && strstr(doc, "Nils &lt;b&gt;Testberg&lt;/b&gt; &amp; Co") != NULL);
  CHECK(doc != NULL && strstr(doc, "<b>") == NULL);
  CHECK(doc != NULL && strstr(doc, "http://") == NULL && strstr(doc, "https://") == NULL);
  CHECK(doc != NULL && strstr(doc, "Skolans hemliga") == NULL);
  sspf_free(doc);

  /* Text, English. */
  doc = ExtractOf(opts, subject_id, SSPF_EXTRACT_TEXT, "en");
  CHECK(doc != NULL && strncmp(doc, "Log extract\n", 12) == 0);
  CHECK(doc != NULL && strstr(doc, "The youth: Nils <b>Testberg</b> & Co\n") != NULL);
  CHECK(doc != NULL && strstr(doc, "Police (user " POLICE ") tried to read an entry from the "
                                   "school \xe2\x80\x94 refused: ") != NULL);
  CHECK(doc != NULL && strstr(doc, "School (user " SCHOOL ") read an entry from the school "
                                   "\xe2\x80\x94 basis: the entry was written by their own "
                                   "organisation; purpose: follow-up\n") != NULL);
  sspf_free(doc);

  /* The review as a page: verified against a kept checkpoint, then the
   * flags, charts and principals; a checkpoint that is not one fails. */
  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  OK(sspf_session_checkpoint(s, &json, &err));
  OK(sspf_session_review_html(s, NULL, NULL, SSPF_REVIEW_BY_DAY, 5, json, &doc, &err));
  sspf_free(json);
  CHECK(doc != NULL && strncmp(doc, "<!DOCTYPE html>", 15) == 0);
  CHECK(doc != NULL && strstr(doc, "consistent with the log") != NULL);
  CHECK(doc != NULL && strstr(doc, "<svg id=\"chart-denied\"") != NULL);
  CHECK(doc != NULL && strstr(doc, "<td>" POLICE "</td>") != NULL);
  CHECK(doc != NULL && strstr(doc, "flags-membership-change") != NULL);
  CHECK(doc != NULL && strstr(doc, "http://") == NULL && strstr(doc, "<script") == NULL);
  sspf_free(doc);
  doc = NULL;
  CHECK(sspf_session_review_html(s, NULL, NULL, SSPF_REVIEW_BY_DAY, 5, "not a checkpoint\n",
                                 &doc, &err) != SSPF_STATUS_OK);
  CHECK(doc == NULL);
  sspf_error_free(&err);
  INVALID(sspf_session_review_html(s, NULL, NULL, 7, 5, NULL, &doc, &err));
  INVALID(sspf_session_review_html(s, NULL, NULL, SSPF_REVIEW_BY_DAY, 5, NULL, NULL, &err));
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
}
