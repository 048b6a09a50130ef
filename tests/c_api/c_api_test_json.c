/* Copyright (c) libsspf authors.
 *
 * The JSON helpers of the C ABI tests (c_api_test.h): string search, no
 * parser, as a C host without a JSON library would do. */
#include <stdio.h>
#include <string.h>

#include "c_api_test.h"

int JsonString(const char* json, const char* after, const char* key, char* out,
               size_t out_size) {
  const char* p = json;
  char pattern[64];
  const char* q;
  size_t n;
  if (json == NULL) return 0;
  if (after != NULL) {
    p = strstr(json, after);
    if (p == NULL) return 0;
  }
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  p = strstr(p, pattern);
  if (p == NULL) return 0;
  p += strlen(pattern);
  q = strchr(p, '"');
  if (q == NULL) return 0;
  n = (size_t)(q - p);
  if (n + 1 > out_size) return 0;
  memcpy(out, p, n);
  out[n] = 0;
  return 1;
}

int IsDocument(const char* json, const char* list) {
  static const char kStart[] = "{\"schema_version\":1,";
  char prefix[96];
  if (json == NULL) return 0;
  if (list == NULL) return strncmp(json, kStart, strlen(kStart)) == 0;
  snprintf(prefix, sizeof prefix, "%s\"%s\":[", kStart, list);
  return strncmp(json, prefix, strlen(prefix)) == 0;
}
