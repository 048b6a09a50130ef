/* Consumer test (C): the installed C ABI is usable from plain C. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspf/sspf.h"

int main(void) {
  char dir[] = "/tmp/sspf-consumer-c-XXXXXX";
  char path[128], cmd[160];
  static const char kPass[] = "consumer passphrase";
  sspf_error_t* err = NULL;
  sspf_options_t* options = NULL;
  sspf_session_t* session = NULL;
  uint8_t* recovery = NULL;
  size_t recovery_len = 0;
  char* json = NULL;
  int rc = 0;

  if (mkdtemp(dir) == NULL) return 2;
  snprintf(path, sizeof path, "%s/store.db", dir);
  if (sspf_options_create(&options, &err) != SSPF_STATUS_OK ||
      sspf_options_set_path(options, path, &err) != SSPF_STATUS_OK ||
      sspf_options_set_passphrase_cost(options, SSPF_COST_INTERACTIVE, &err) !=
          SSPF_STATUS_OK ||
      sspf_store_create(options, "admin", SSPF_CREDENTIAL_PASSPHRASE,
                        (const uint8_t*)kPass, strlen(kPass), NULL, &recovery,
                        &recovery_len, &err) != SSPF_STATUS_OK ||
      sspf_store_open(options, "admin", SSPF_CREDENTIAL_PASSPHRASE,
                      (const uint8_t*)kPass, strlen(kPass), &session,
                      &err) != SSPF_STATUS_OK ||
      sspf_session_principal(session, &json, &err) != SSPF_STATUS_OK) {
    fprintf(stderr, "consumer: %s\n", sspf_error_message(err));
    rc = 1;
  } else {
    printf("consumer (C, libsspf %s): %s\n", sspf_version(), json);
  }
  sspf_free(json);
  sspf_free(recovery);
  sspf_error_free(&err);
  sspf_session_close(&session);
  sspf_options_destroy(&options);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) rc = 1;
  return rc;
}
