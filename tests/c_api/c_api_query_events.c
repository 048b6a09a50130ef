/* Copyright (c) libsspf authors.
 *
 * c_api_query_events STORE PRINCIPAL PASSPHRASE_FILE: opens the store through
 * the C ABI and prints what sspf_session_query_events returns for all events
 * (one line).  tests/cli/capi_json_cli_test.sh compares it with
 * `sspf-tool audit query --json` and `audit export --format jsonl`.  The
 * passphrase is the first line of the file (never on argv), as sspf-tool
 * reads --passphrase-file; SSPF_KDF=interactive selects the cheap cost, as
 * for sspf-tool.  Exit 0 on success, 1 with the error on stderr otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspf/sspf.h"

/* Wipes n bytes so that the compiler cannot drop the writes. */
static void Wipe(char* p, size_t n) {
  volatile char* v = p;
  while (n-- > 0) *v++ = 0;
}

/* The first line of path (without "\n" or "\r\n") into buf; 0 on failure. */
static int ReadPassphrase(const char* path, char* buf, size_t size, size_t* len) {
  FILE* f = fopen(path, "rb");
  size_t n;
  if (f == NULL) return 0;
  if (fgets(buf, (int)size, f) == NULL) {
    fclose(f);
    return 0;
  }
  fclose(f);
  n = strcspn(buf, "\r\n");
  buf[n] = 0;
  *len = n;
  return n > 0;
}

static int Failed(const char* what, sspf_error_t** err) {
  fprintf(stderr, "c_api_query_events: %s: %s\n", what,
          *err != NULL ? sspf_error_message(*err) : "(no error object)");
  sspf_error_free(err);
  return 1;
}

int main(int argc, char** argv) {
  sspf_error_t* err = NULL;
  sspf_options_t* opts = NULL;
  sspf_session_t* s = NULL;
  char* json = NULL;
  char pass[1024];
  size_t pass_len = 0;
  const char* kdf = getenv("SSPF_KDF");
  int rc = 0;

  if (argc != 4) {
    fprintf(stderr, "usage: c_api_query_events STORE PRINCIPAL PASSPHRASE_FILE\n");
    return 2;
  }
  if (!ReadPassphrase(argv[3], pass, sizeof pass, &pass_len)) {
    fprintf(stderr, "c_api_query_events: cannot read the passphrase file\n");
    Wipe(pass, sizeof pass);
    return 1;
  }
  if (sspf_options_create(&opts, &err) != SSPF_STATUS_OK ||
      sspf_options_set_path(opts, argv[1], &err) != SSPF_STATUS_OK ||
      (kdf != NULL && strcmp(kdf, "interactive") == 0 &&
       sspf_options_set_passphrase_cost(opts, SSPF_COST_INTERACTIVE, &err) !=
           SSPF_STATUS_OK)) {
    rc = Failed("options", &err);
  } else if (sspf_store_open(opts, argv[2], SSPF_CREDENTIAL_PASSPHRASE,
                             (const uint8_t*)pass, pass_len, &s,
                             &err) != SSPF_STATUS_OK) {
    rc = Failed("open", &err);
  } else if (sspf_session_query_events(s, NULL, &json, &err) != SSPF_STATUS_OK) {
    rc = Failed("query", &err);
  } else {
    printf("%s\n", json);
  }
  Wipe(pass, sizeof pass);
  sspf_free(json);
  sspf_session_close(&s);
  sspf_options_destroy(&opts);
  return rc;
}
