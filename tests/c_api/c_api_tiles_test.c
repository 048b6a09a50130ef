/* Copyright (c) libsspf authors.
 *
 * C ABI test, compiled as C11: sspf_session_export_tiles writes the log as
 * C2SP tlog-tiles (checkpoint, a partial level-0 tile of 32 bytes per leaf,
 * its entry bundle) with the tile export document; NULL and non-empty
 * directories and a non-auditor are refused without writing anything. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "c_api_test.h"
#include "sspf/sspf.h"

static long FileSize(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The unsigned integer member "key":N of a JSON text, or -1. */
static long JsonNumber(const char* json, const char* key) {
  char pattern[64];
  const char* p;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  p = json != NULL ? strstr(json, pattern) : NULL;
  return p == NULL ? -1 : strtol(p + strlen(pattern), NULL, 10);
}

void TestTiles(const char* dir) {
  sspf_error_t* err = NULL;
  sspf_session_t* s = NULL;
  sspf_options_t* opts = NewStore(dir, "tiles.db");
  char out[512], path[700], full[512], school_out[512], shown[512];
  char* json = NULL;
  long size;
  FILE* f;

  OK(sspf_store_open(opts, ADMIN, PASS(SECRET), &s, &err));
  OK(sspf_session_add_principal(s, AUDITOR, SSPF_ACTOR_COORDINATION, SSPF_ROLE_AUDITOR,
                                PASS(SECRET), NULL, &err));
  OK(sspf_session_add_principal(s, "tina.school", SSPF_ACTOR_SCHOOL, SSPF_ROLE_MEMBER,
                                PASS(SECRET), NULL, &err));
  sspf_session_close(&s);

  /* A member may not export. */
  snprintf(school_out, sizeof school_out, "%s/tiles-school", dir);
  OK(sspf_store_open(opts, "tina.school", PASS(SECRET), &s, &err));
  EXPECT(SSPF_STATUS_PERMISSION_DENIED, sspf_session_export_tiles(s, school_out, &json, &err));
  CHECK(json == NULL);
  CHECK(FileSize(school_out) == -1);
  sspf_session_close(&s);

  OK(sspf_store_open(opts, AUDITOR, PASS(SECRET), &s, &err));
  INVALID(sspf_session_export_tiles(s, NULL, &json, &err));
  INVALID(sspf_session_export_tiles(s, "", &json, &err));
  CHECK(json == NULL);
  snprintf(full, sizeof full, "%s/full", dir);
  CHECK(mkdir(full, 0700) == 0);
  snprintf(path, sizeof path, "%s/mine.txt", full);
  f = fopen(path, "w");
  CHECK(f != NULL);
  if (f != NULL) fclose(f);
  EXPECT(SSPF_STATUS_ALREADY_EXISTS, sspf_session_export_tiles(s, full, NULL, &err));

  snprintf(out, sizeof out, "%s/tiles", dir);
  OK(sspf_session_export_tiles(s, out, &json, &err));
  CHECK(IsDocument(json, NULL));
  CHECK(JsonString(json, NULL, "dir", shown, sizeof shown) && strcmp(shown, out) == 0);
  CHECK(JsonString(json, NULL, "root", shown, sizeof shown) && strlen(shown) == 44);
  size = JsonNumber(json, "tree_size");
  CHECK(size > 0 && size < 256);
  CHECK(JsonNumber(json, "tiles") == 1);
  CHECK(JsonNumber(json, "entry_bundles") == 1);
  snprintf(path, sizeof path, "%s/checkpoint", out);
  CHECK(FileSize(path) > 0);
  snprintf(path, sizeof path, "%s/tile/0/000.p/%ld", out, size);
  CHECK(FileSize(path) == 32 * size);
  snprintf(path, sizeof path, "%s/tile/entries/000.p/%ld", out, size);
  CHECK(FileSize(path) > 2 * size);
  sspf_free(json);
  json = NULL;
  /* Again into the same (now full) directory: refused; without a document. */
  EXPECT(SSPF_STATUS_ALREADY_EXISTS, sspf_session_export_tiles(s, out, NULL, &err));
  /* The log still verifies. */
  OK(sspf_session_verify(s, NULL, NULL, &err));
  sspf_session_close(&s);
  EXPECT(SSPF_STATUS_INVALID_ARGUMENT, sspf_session_export_tiles(NULL, out, NULL, &err));
  sspf_options_destroy(&opts);
}
