/* Copyright (c) libsspf authors.
 * (One header over 700 lines on purpose: a C host includes one file.)
 *
 * sspf.h: the C ABI of libsspf, for hosts that cannot use the C++ API
 * (.NET P/Invoke, Java FFM/JNA, Python ctypes, plain C).  It wraps the whole
 * public C++ API of sspf/store.h; docs/c-api.md has the ownership table and
 * host bindings.
 *
 * Conventions (they hold for every function below unless it says otherwise):
 *
 *  - Every function returns an sspf_status (0 is SSPF_STATUS_OK) and takes a
 *    last argument `sspf_error_t** out_error`, which may be NULL.  If it is
 *    not NULL, *out_error is always written and never read: NULL on success,
 *    a new error object on failure, which the caller frees with
 *    sspf_error_free().  (An error still held in the variable is not freed
 *    for you: free it before reusing the variable.)  Error messages are one
 *    line of English, carry ids only and never personal data, keys or
 *    passphrases.
 *  - No exception or C++ type crosses this boundary.  An unexpected failure
 *    inside the library is SSPF_STATUS_INTERNAL.
 *  - A NULL where a pointer is required gives SSPF_STATUS_INVALID_ARGUMENT
 *    with a message naming the argument; the library never dereferences it.
 *  - Output pointers (out_*) are set to NULL / 0 on entry, so after any
 *    failure they hold nothing to free.
 *  - Every buffer the library returns (strings, JSON, entry bodies, keys) is
 *    owned by the caller and freed with sspf_free(), never free(): the
 *    library wipes it (it may hold personal data) before releasing it.
 *    Strings are UTF-8 and NUL-terminated; binary buffers come with a length
 *    and are NUL-terminated as well for convenience.
 *  - Handles are opaque.  Each has one release function that takes the
 *    address of the handle, releases it, and sets it to NULL; releasing NULL
 *    (or a handle already set to NULL) does nothing, so a double release
 *    through the same variable is safe.
 *  - Input strings are NUL-terminated UTF-8.  Secrets (passphrases, raw keys,
 *    the recovery key) are (const uint8_t*, size_t) and are copied into
 *    guarded memory at once; the caller should wipe its own copy.
 *  - Booleans are int (0 false, non-zero true); enums are int with the
 *    values below, which are the values of the C++ enums and never change.
 *  - Timestamps passed in are int64_t seconds since the Unix epoch, UTC;
 *    dates are "YYYY-MM-DD" strings.
 *  - JSON results (char** out_json and the like) are documents of the
 *    library's one JSON schema (sspf/json.h, docs/json-schema.md), the same
 *    text `sspf-tool --json` prints; see "JSON documents" at the end.
 *
 * Threading: the global functions (sspf_version, sspf_status_name,
 * sspf_free, sspf_make_test_personal_number) are thread-safe.  Every handle
 * may be used from any thread, but by one thread at a time (no internal
 * locking); a handle may move between threads.  Use one sspf_session_t per
 * thread: sessions in several threads or processes may work on the same store
 * at once (a writer waits for the others and returns SSPF_STATUS_BUSY after
 * the busy timeout).  An sspf_options_t may be shared by several threads
 * opening sessions as long as none of them modifies it meanwhile.  An
 * sspf_error_t is immutable and may be read from any thread.
 */
#ifndef SSPF_SSPF_H_
#define SSPF_SSPF_H_

#include <stddef.h>
#include <stdint.h>

#include "sspf/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------- */

/* The values equal sspf::StatusCode (sspf/status.h); they never change, new
 * codes are only appended. */
typedef int sspf_status;
enum {
  SSPF_STATUS_OK = 0,
  SSPF_STATUS_INVALID_ARGUMENT = 1,    /* bad input: the caller can fix it */
  SSPF_STATUS_NOT_FOUND = 2,           /* no such principal, case, entry... */
  SSPF_STATUS_ALREADY_EXISTS = 3,      /* e.g. a store at that path */
  SSPF_STATUS_PERMISSION_DENIED = 4,   /* the access decision said no */
  SSPF_STATUS_CONSENT_REQUIRED = 5,    /* denied: no consent basis in force */
  SSPF_STATUS_WRONG_KEY = 6,           /* wrong passphrase/key, not a store */
  SSPF_STATUS_INTEGRITY_VIOLATION = 7, /* tampering, rollback, corruption */
  SSPF_STATUS_IO_ERROR = 8,            /* the file system refused */
  SSPF_STATUS_INTERNAL = 9,            /* a bug or unexpected failure */
  SSPF_STATUS_BUSY = 10,               /* another writer holds the store */
  SSPF_STATUS_FAILED_PRECONDITION = 11 /* not valid in this state */
};

/* Enum values (the values of sspf::Actor, sspf::Role, sspf::Category). */
enum {
  SSPF_ACTOR_SCHOOL = 1,       /* skola */
  SSPF_ACTOR_SOCIAL = 2,       /* socialtjänst */
  SSPF_ACTOR_POLICE = 3,       /* polis */
  SSPF_ACTOR_LEISURE = 4,      /* fritid */
  SSPF_ACTOR_COORDINATION = 5  /* the municipality's SSPF coordination */
};
enum {
  SSPF_ROLE_MEMBER = 1,
  SSPF_ROLE_COORDINATOR = 2,
  SSPF_ROLE_AUDITOR = 3,
  SSPF_ROLE_ADMIN = 4
};
enum {
  SSPF_CATEGORY_IDENTITY = 1,
  SSPF_CATEGORY_SCHOOL = 2,
  SSPF_CATEGORY_SOCIAL = 3,
  SSPF_CATEGORY_POLICE = 4,
  SSPF_CATEGORY_LEISURE = 5,
  SSPF_CATEGORY_HEALTH = 6,
  SSPF_CATEGORY_PLAN = 7,    /* joint action plan */
  SSPF_CATEGORY_MEETING = 8  /* SSPF meeting minutes */
};
/* What a secret argument is: a passphrase (at least 8 bytes, stretched with
 * Argon2id) or a raw 32-byte key from the host (KMS, HSM, key file). */
enum { SSPF_CREDENTIAL_PASSPHRASE = 1, SSPF_CREDENTIAL_KEY = 2 };
/* Argon2id cost for passphrases set through an options handle. */
enum {
  SSPF_COST_MODERATE = 0,    /* default: opslimit 3, memlimit 256 MiB */
  SSPF_COST_INTERACTIVE = 1, /* for tests and demos only */
  SSPF_COST_SENSITIVE = 2
};
enum { SSPF_EXPORT_JSON_LINES = 1, SSPF_EXPORT_CSV = 2 };
/* Formats of the log extract for the youth (sspf_session_extract_report). */
enum { SSPF_EXTRACT_JSON = 1, SSPF_EXTRACT_HTML = 2, SSPF_EXTRACT_TEXT = 3 };

/* ---- Global functions ----------------------------------------------------- */

/* The library version, e.g. "0.1.0".  Static storage: never free it. */
SSPF_EXPORT const char* sspf_version(void);

/* A stable lower-case name of a status code ("ok", "invalid_argument",
 * "wrong_key", ...), or "unknown".  Static storage: never free it. */
SSPF_EXPORT const char* sspf_status_name(sspf_status code);

/* Frees a buffer returned by this library (after wiping it).  NULL is a
 * no-op.  Never pass memory from anywhere else. */
SSPF_EXPORT void sspf_free(void* ptr);

/* ---- Errors --------------------------------------------------------------- */

typedef struct sspf_error_t sspf_error_t;

/* The code of an error; SSPF_STATUS_INVALID_ARGUMENT for NULL. */
SSPF_EXPORT sspf_status sspf_error_code(const sspf_error_t* error);
/* The message of an error, valid until the error is freed; "" for NULL. */
SSPF_EXPORT const char* sspf_error_message(const sspf_error_t* error);
/* Frees *error and sets *error = NULL.  NULL or *error == NULL: no-op. */
SSPF_EXPORT void sspf_error_free(sspf_error_t** error);

/* ---- Test data ------------------------------------------------------------ */

/* FOR TESTS AND DEMOS ONLY: a fictitious personal identity number
 * "YYYYMMDDNNNC" with a correct check digit (sspf::MakeTestPersonalNumber).
 * serial is 1..999 (000 is never assigned); coordination != 0 makes a
 * samordningsnummer (day + 60).
 * *out_pnr: free with sspf_free.  INVALID_ARGUMENT for a date that does not
 * exist or a serial out of range. */
SSPF_EXPORT sspf_status sspf_make_test_personal_number(
    int year, int month, int day, int serial, int coordination, char** out_pnr,
    sspf_error_t** out_error);

/* ---- Options ---------------------------------------------------------------- */

/* Configuration for creating and opening a store (sspf::StoreOptions).  The
 * defaults are those of StoreOptions: no path, moderate Argon2id cost,
 * checkpoints every 1000 events or 3600 s, entries up to 1 MiB, free text up
 * to 4096 bytes, youth consent from 15, adult at 18, a clock tolerance of
 * 300 s.  The clock is always the system clock. */
typedef struct sspf_options_t sspf_options_t;

/* *out_options: release with sspf_options_destroy. */
SSPF_EXPORT sspf_status sspf_options_create(sspf_options_t** out_options,
                                            sspf_error_t** out_error);
SSPF_EXPORT void sspf_options_destroy(sspf_options_t** options);

/* The store file; the keyring is path + ".keyring".  Copied. */
SSPF_EXPORT sspf_status sspf_options_set_path(sspf_options_t* options,
                                              const char* path,
                                              sspf_error_t** out_error);
/* One of SSPF_COST_*. */
SSPF_EXPORT sspf_status sspf_options_set_passphrase_cost(
    sspf_options_t* options, int cost, sspf_error_t** out_error);
/* Automatic checkpoints after `events` events (0: never) or when the last is
 * older than `seconds` (0: never).  seconds must not be negative. */
SSPF_EXPORT sspf_status sspf_options_set_checkpoint_interval(
    sspf_options_t* options, uint64_t events, int64_t seconds,
    sspf_error_t** out_error);
/* Largest accepted entry body (bytes, > 0). */
SSPF_EXPORT sspf_status sspf_options_set_max_entry_bytes(
    sspf_options_t* options, size_t max_bytes, sspf_error_t** out_error);
/* Longest accepted free-text argument (bytes, > 0). */
SSPF_EXPORT sspf_status sspf_options_set_max_text_bytes(
    sspf_options_t* options, size_t max_bytes, sspf_error_t** out_error);
/* How far (seconds, >= 0; default 300) the clock may be behind the access
 * log's last event (StoreOptions::clock_tolerance_seconds).  Event times
 * never go backwards; while the clock is behind, decisions use the last
 * event's time, and beyond the tolerance every call fails with
 * FAILED_PRECONDITION and writes nothing. */
SSPF_EXPORT sspf_status sspf_options_set_clock_tolerance(
    sspf_options_t* options, int64_t seconds, sspf_error_t** out_error);
/* Consent policy (sspf::ConsentPolicy): the youth consents as well from
 * youth_consent_from_age; guardians no longer from adult_age.  REQUIRES
 * 0 <= youth_consent_from_age <= adult_age <= 150 (else INVALID_ARGUMENT). */
SSPF_EXPORT sspf_status sspf_options_set_consent_policy(
    sspf_options_t* options, int youth_consent_from_age, int adult_age,
    sspf_error_t** out_error);
/* The longest a consent may last (StoreOptions::consent_max_months): its
 * last day at most this many calendar months after the day it is recorded.
 * Default 12.  REQUIRES 1 <= months <= 120 (else INVALID_ARGUMENT). */
SSPF_EXPORT sspf_status sspf_options_set_consent_max_months(sspf_options_t* options, int months,
                                                            sspf_error_t** out_error);
/* Whether actor (SSPF_ACTOR_*) is a public authority (myndighet;
 * sspf::PublicAuthorities): is_authority 0 for a free school (fristående
 * skola) or a civil-society leisure club, which may not use OSL provisions.
 * Every actor is one by default. */
SSPF_EXPORT sspf_status sspf_options_set_public_authority(
    sspf_options_t* options, int actor, int is_authority, sspf_error_t** out_error);
/* The secrecy-breaking provisions the options accept, as rules
 * (StoreOptions::legal_provisions, by default sspf::DefaultLegalProvisions).
 * *out_json: {"schema_version":1,"provisions":[...]} (LegalProvisionListJson,
 * docs/json-schema.md), the text of `sspf-tool provisions --json`; free with
 * sspf_free. */
SSPF_EXPORT sspf_status sspf_options_legal_provisions_json(
    const sspf_options_t* options, char** out_json, sspf_error_t** out_error);
/* Purpose codes (StoreOptions::purposes): the purposes a read may state.
 * A new options handle has the defaults (sspf-meeting, planning,
 * follow-up, emergency, log-review, investigation, control).  clear empties
 * the list; add appends a code (1-64 ASCII letters, digits, '-', '_', '.')
 * with its Swedish and English labels: INVALID_ARGUMENT when the list
 * would not validate (a bad code, an empty label, a code or label given
 * twice), and the list is then unchanged.  An empty list makes every read
 * that states a purpose fail with INVALID_ARGUMENT. */
SSPF_EXPORT sspf_status sspf_options_clear_purposes(sspf_options_t* options,
                                                    sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_options_add_purpose(sspf_options_t* options,
                                                 const char* code, const char* label_sv,
                                                 const char* label_en,
                                                 sspf_error_t** out_error);
/* The purpose codes of options (sspf/json.h PurposeCodesJson):
 * {"schema_version":1,"purposes":[{"code","label_sv","label_en"}...]}.
 * Free *out_json with sspf_free. */
SSPF_EXPORT sspf_status sspf_options_purposes_json(const sspf_options_t* options,
                                                   char** out_json,
                                                   sspf_error_t** out_error);

/* ---- Store ------------------------------------------------------------------ */

/* Creates a new store and keyring with one admin principal (actor
 * coordination, role admin) unlocked by the credential.  Returns the store id
 * (*out_store_id, may be NULL if not wanted) and the recovery key: 32 raw
 * bytes in *out_recovery_key / *out_recovery_key_len.  Show the recovery key
 * to the operator once (e.g. as 64 hex digits) and free it with sspf_free
 * (which wipes it).  ALREADY_EXISTS if the store or keyring exists; IO_ERROR
 * if the directory is not writable; nothing is left behind on failure. */
SSPF_EXPORT sspf_status sspf_store_create(
    const sspf_options_t* options, const char* admin_name, int credential_kind,
    const uint8_t* secret, size_t secret_len, char** out_store_id,
    uint8_t** out_recovery_key, size_t* out_recovery_key_len,
    sspf_error_t** out_error);

/* ---- Sessions --------------------------------------------------------------- */

/* One unlocked principal working on a store (sspf::Session).  Every call is
 * decided by the access policy and written to the access log. */
typedef struct sspf_session_t sspf_session_t;

/* Unlocks the store as principal.  WRONG_KEY for a wrong passphrase or key,
 * an unknown principal (indistinguishable) or a file that is not an sspf
 * store; PERMISSION_DENIED for a disabled principal; INTEGRITY_VIOLATION for
 * a tampered keyring.  *out_session: release with sspf_session_close. */
SSPF_EXPORT sspf_status sspf_store_open(const sspf_options_t* options,
                                        const char* principal,
                                        int credential_kind,
                                        const uint8_t* secret,
                                        size_t secret_len,
                                        sspf_session_t** out_session,
                                        sspf_error_t** out_error);

/* Sets a new credential for principal with the 32-byte recovery key from
 * sspf_store_create. */
SSPF_EXPORT sspf_status sspf_store_reset_with_recovery_key(
    const sspf_options_t* options, const uint8_t* recovery_key,
    size_t recovery_key_len, const char* principal, int new_credential_kind,
    const uint8_t* new_secret, size_t new_secret_len, sspf_error_t** out_error);

/* Closes the session (wipes its keys) and sets *session = NULL.  An open
 * batch is rolled back.  NULL or *session == NULL: no-op. */
SSPF_EXPORT void sspf_session_close(sspf_session_t** session);

/* The unlocked principal: the principal document (JSON documents below). */
SSPF_EXPORT sspf_status sspf_session_principal(sspf_session_t* session,
                                               char** out_json,
                                               sspf_error_t** out_error);
/* The store id (hex). */
SSPF_EXPORT sspf_status sspf_session_store_id(sspf_session_t* session,
                                              char** out_store_id,
                                              sspf_error_t** out_error);
/* The trust anchor pinned in this principal's keyring entry (the store
 * authority's Ed25519 public key; Session::TrustAnchor in sspf/store.h).
 * *out_key: its 32 bytes, *out_key_len: 32.  *out_json (may be NULL if not
 * wanted): the trust anchor document of sspf/json.h (TrustAnchorJson,
 * docs/json-schema.md), {"schema_version":1,"store_id":s,"public_key":
 * base64,"fingerprint":s}, the same text as `sspf-tool audit trust-anchor
 * --json`.  Both freed with sspf_free. */
SSPF_EXPORT sspf_status sspf_session_trust_anchor(sspf_session_t* session,
                                                  uint8_t** out_key,
                                                  size_t* out_key_len,
                                                  char** out_json,
                                                  sspf_error_t** out_error);

/* Batching: between begin and commit all operations share one transaction;
 * see Session::BeginBatch in sspf/store.h for what that means for the log.
 * sspf_session_abort_batch rolls back (no-op without a batch). */
SSPF_EXPORT sspf_status sspf_session_begin_batch(sspf_session_t* session,
                                                 sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_session_commit_batch(sspf_session_t* session,
                                                  sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_session_abort_batch(sspf_session_t* session,
                                                 sspf_error_t** out_error);

/* ---- Principals (admin) ----------------------------------------------------- */

/* Adds a principal (actor SSPF_ACTOR_*, role SSPF_ROLE_*); *out_id (may be
 * NULL) receives its id.  Auditors and admins belong to actor coordination. */
SSPF_EXPORT sspf_status sspf_session_add_principal(
    sspf_session_t* session, const char* name, int actor, int role,
    int credential_kind, const uint8_t* secret, size_t secret_len,
    char** out_id, sspf_error_t** out_error);
/* The principals document: {"schema_version":1,"principals":[...]}. */
SSPF_EXPORT sspf_status sspf_session_list_principals(sspf_session_t* session,
                                                     char** out_json,
                                                     sspf_error_t** out_error);
/* The active staff (members and coordinators) of actor (an SSPF_ACTOR_*
 * value), or of every actor when actor is negative: *out_json
 * {"schema_version","staff":[{"id","name","actor","role"}...]}, as each
 * certificate says.  Coordinators and admins (others PERMISSION_DENIED,
 * logged); logged as staff.list. */
SSPF_EXPORT sspf_status sspf_session_list_staff(sspf_session_t* session, int actor,
                                                char** out_json, sspf_error_t** out_error);
/* Disables (never deletes) a principal. */
SSPF_EXPORT sspf_status sspf_session_disable_principal(
    sspf_session_t* session, const char* name, sspf_error_t** out_error);
/* Changes this principal's own credential. */
SSPF_EXPORT sspf_status sspf_session_change_credential(
    sspf_session_t* session, int credential_kind, const uint8_t* secret,
    size_t secret_len, sspf_error_t** out_error);

/* ---- Actor keys ---------------------------------------------------------------- */

/* Admin: makes the next version of the key of actor (SSPF_ACTOR_*),
 * certified by the store authority and sealed only to the actor's active
 * members and coordinators (the admin never holds it); new entries of the
 * actor use it.  *out_version (may be NULL): the new version. */
SSPF_EXPORT sspf_status sspf_session_rotate_actor_key(sspf_session_t* session, int actor,
                                                      int64_t* out_version,
                                                      sspf_error_t** out_error);
/* Called after each committed batch of a rewrap with the entry keys done
 * so far and the total.  Must not unwind through the library. */
typedef void (*sspf_progress_fn)(void* user_data, uint64_t done, uint64_t total);
/* A member or coordinator: re-seals every entry key of its actor held under
 * an older key version to the newest one, in batches that each commit and
 * are logged on their own (an interrupted run loses nothing; run it again to
 * finish).  progress may be NULL.  *out_count (may be NULL): the number of
 * entry keys re-sealed. */
SSPF_EXPORT sspf_status sspf_session_rewrap_entry_keys(sspf_session_t* session,
                                                       sspf_progress_fn progress,
                                                       void* user_data, uint64_t* out_count,
                                                       sspf_error_t** out_error);

/* ---- Store rekey ---------------------------------------------------------------- */

/* Called once during a rekey with the new recovery key (key_len 32), after
 * the new keyring is durable and before the store changes.  Keep it durably
 * (show it to the operator, write it to a file or a KMS) and return 0; any
 * other value abandons the rekey and nothing changes.  key is valid only
 * during the call; do not keep the pointer.  Must not unwind through the
 * library. */
typedef int (*sspf_keep_recovery_key_fn)(void* user_data, const uint8_t* key, size_t key_len);
/* Admin: gives the store a new root key, so that a copy of an older keyring
 * no longer opens it; every active principal keeps its credential, and the
 * old recovery key stops working (Session::RekeyStore in store.h).  Needs
 * the store alone: SSPF_BUSY while another session has it open.  An
 * interruption after keep returned 0 is finished by the next open.  keep
 * is required; progress may be NULL (called after each of 3 steps).
 * *out_json (may be NULL): {"schema_version","generation","principals"}. */
SSPF_EXPORT sspf_status sspf_session_rekey_store(sspf_session_t* session,
                                                 sspf_keep_recovery_key_fn keep,
                                                 void* keep_data, sspf_progress_fn progress,
                                                 void* progress_data, char** out_json,
                                                 sspf_error_t** out_error);

/* ---- Subjects (the youth) ---------------------------------------------------- */

/* Adds a subject.  personal_number: any accepted form (sspf/pnr.h),
 * validated.  guardians: guardian_count names (guardians may be NULL when
 * guardian_count is 0).  *out_json: the subject document, with the new
 * guardian ids. */
SSPF_EXPORT sspf_status sspf_session_add_subject(
    sspf_session_t* session, const char* personal_number, const char* name,
    const char* const* guardians, size_t guardian_count, char** out_json,
    sspf_error_t** out_error);
/* Finds a subject by personal identity number; *out_json: the subject
 * document. */
SSPF_EXPORT sspf_status sspf_session_find_subject(sspf_session_t* session,
                                                  const char* personal_number,
                                                  char** out_json,
                                                  sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_session_show_subject(sspf_session_t* session,
                                                  const char* subject_id,
                                                  char** out_json,
                                                  sspf_error_t** out_error);
/* Every youth whose name contains name (case-insensitive; NULL or "" for
 * all): *out_json {"schema_version","subjects":[subject...]}, identity data
 * (wipe it).  Coordinators only (others PERMISSION_DENIED, logged); logged
 * as subject.list without the search text. */
SSPF_EXPORT sspf_status sspf_session_list_subjects(sspf_session_t* session, const char* name,
                                                   char** out_json, sspf_error_t** out_error);
/* The guardian of the youth of case case_id named by handle: a 1-based
 * position ("1") or a name exactly one guardian has (case-insensitive).
 * *out_json {"schema_version","subject_id","guardian_id","position",
 * "custody"}.  Decided and logged as subject show.  INVALID_ARGUMENT for an
 * unknown or ambiguous name or a position out of range (the message names
 * positions only). */
SSPF_EXPORT sspf_status sspf_session_resolve_guardian(sspf_session_t* session,
                                                      const char* case_id, const char* handle,
                                                      char** out_json, sspf_error_t** out_error);
/* Records whether a guardian (an id from the subject document) has custody
 * (vårdnad) of the youth: custody 1 or 0 (coordinators; guardian.custody).
 * Only guardians with custody must consent.  SSPF_STATUS_FAILED_PRECONDITION when
 * the custody already is that; SSPF_STATUS_NOT_FOUND for no such guardian of the
 * subject. */
SSPF_EXPORT sspf_status sspf_session_set_guardian_custody(sspf_session_t* session,
                                                          const char* subject_id,
                                                          const char* guardian_id,
                                                          int custody,
                                                          sspf_error_t** out_error);

/* ---- Cases (ärenden) ----------------------------------------------------------- */

/* Opens a case for the subject with a team of team_count principal names
 * (team may be NULL when team_count is 0).  *out_case_id: the new id. */
SSPF_EXPORT sspf_status sspf_session_open_case(
    sspf_session_t* session, const char* subject_id, const char* const* team,
    size_t team_count, char** out_case_id, sspf_error_t** out_error);
/* The cases document of the cases visible to this principal; show_case:
 * the case document. */
SSPF_EXPORT sspf_status sspf_session_list_cases(sspf_session_t* session,
                                                char** out_json,
                                                sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_session_show_case(sspf_session_t* session,
                                               const char* case_id,
                                               char** out_json,
                                               sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_session_close_case(sspf_session_t* session,
                                                const char* case_id,
                                                sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_session_add_team_member(
    sspf_session_t* session, const char* case_id, const char* principal,
    sspf_error_t** out_error);
/* Opens a closed case again (a coordinator on its team; case.reopen).
 * SSPF_STATUS_FAILED_PRECONDITION when the case is open. */
SSPF_EXPORT sspf_status sspf_session_reopen_case(sspf_session_t* session,
                                                 const char* case_id,
                                                 sspf_error_t** out_error);
/* Takes a principal off the case team (a coordinator on the team;
 * case.team_remove); its access through the team ends at once.
 * SSPF_STATUS_FAILED_PRECONDITION when it is not on the team, or when no other
 * active coordinator would stay on it. */
SSPF_EXPORT sspf_status sspf_session_remove_team_member(
    sspf_session_t* session, const char* case_id, const char* principal,
    sspf_error_t** out_error);

/* ---- Consent (samtycke) ----------------------------------------------------------- */

/* Records one party's consent for a case.  guardian_id NULL: the youth's own
 * consent; otherwise the consent of that guardian (an id from the subject
 * document).  actors/categories: arrays of SSPF_ACTOR_* / SSPF_CATEGORY_*
 * values (at least two actors, one category).  valid_until: "YYYY-MM-DD",
 * inclusive, at most the options' consent maximum (12 months by default)
 * away.  purpose: a purpose code or label (the kind of collaboration;
 * required).  form_ref may be NULL (empty): the recording actor's own
 * reference.  A general consent is SSPF_STATUS_INVALID_ARGUMENT.
 * *out_consent_id: the new id. */
SSPF_EXPORT sspf_status sspf_session_grant_consent(
    sspf_session_t* session, const char* case_id, const char* guardian_id,
    const int* actors, size_t actor_count, const int* categories,
    size_t category_count, const char* valid_until, const char* purpose,
    const char* form_ref, char** out_consent_id, sspf_error_t** out_error);
/* Withdraws a consent (a new version; nothing is deleted).  Reads of what
 * was disclosed under it are denied from now on. */
SSPF_EXPORT sspf_status sspf_session_withdraw_consent(
    sspf_session_t* session, const char* consent_id, sspf_error_t** out_error);
/* Records this principal's actor's own reference to a consent (each
 * authority documents the consent itself; a case team member;
 * consent.confirm).  The reference is stored, the access log holds only a
 * salted commitment of it.  SSPF_STATUS_ALREADY_EXISTS when the actor has
 * recorded one; SSPF_STATUS_FAILED_PRECONDITION when the consent is withdrawn.
 * The consents document lists them in each consent's "references". */
SSPF_EXPORT sspf_status sspf_session_confirm_consent(sspf_session_t* session,
                                                     const char* consent_id,
                                                     const char* reference,
                                                     sspf_error_t** out_error);
/* The consents document of the case. */
SSPF_EXPORT sspf_status sspf_session_list_consents(sspf_session_t* session,
                                                   const char* case_id,
                                                   char** out_json,
                                                   sspf_error_t** out_error);

/* ---- Entries ------------------------------------------------------------------------ */

/* Adds an immutable entry authored by this principal's actor.  body may be
 * binary (body_len bytes; body may be NULL only when body_len is 0).
 * supersedes: NULL, or the id of the entry this one corrects. */
SSPF_EXPORT sspf_status sspf_session_add_entry(
    sspf_session_t* session, const char* case_id, int category,
    const uint8_t* body, size_t body_len, const char* supersedes,
    char** out_entry_id, sspf_error_t** out_error);
/* The entries document of the case (metadata only, no bodies). */
SSPF_EXPORT sspf_status sspf_session_list_entries(sspf_session_t* session,
                                                  const char* case_id,
                                                  char** out_json,
                                                  sspf_error_t** out_error);
/* Reads (decrypts) an entry.  purpose may be NULL.  On success *out_body /
 * *out_body_len hold the body (NUL-terminated beyond body_len) and
 * *out_info_json (may be NULL if not wanted) the entry read document
 * without "body" (the entry's keys and "basis").
 * On any failure, including PERMISSION_DENIED and CONSENT_REQUIRED, no
 * content is returned: *out_body is NULL and *out_body_len 0. */
SSPF_EXPORT sspf_status sspf_session_read_entry(
    sspf_session_t* session, const char* entry_id, const char* purpose,
    uint8_t** out_body, size_t* out_body_len, char** out_info_json,
    sspf_error_t** out_error);
/* Makes an entry readable to actor to_actor.  The basis is at most one of
 * consent_id, grant_id, provision (provision needs a reason); with all NULL
 * the library picks a consent in force that covers the disclosure.
 * *out_disclosure_id may be NULL. */
SSPF_EXPORT sspf_status sspf_session_disclose_entry(
    sspf_session_t* session, const char* entry_id, int to_actor,
    const char* consent_id, const char* grant_id, const char* provision,
    const char* reason, char** out_disclosure_id, sspf_error_t** out_error);
/* Like sspf_session_disclose_entry under a legal provision (reason
 * required), valid only until until_unix (Unix seconds, UTC, exclusive;
 * must be in the future): reads after it are denied. */
SSPF_EXPORT sspf_status sspf_session_disclose_entry_until(
    sspf_session_t* session, const char* entry_id, int to_actor,
    const char* provision, const char* reason, int64_t until_unix,
    char** out_disclosure_id, sspf_error_t** out_error);
/* Time-limited (hours) access to a case without consent, under a legal
 * provision; always flagged for review.  *out_grant_id: the new id. */
SSPF_EXPORT sspf_status sspf_session_grant_emergency(
    sspf_session_t* session, const char* case_id, const char* provision,
    const char* reason, int hours, char** out_grant_id,
    sspf_error_t** out_error);
/* The same; *out_json: the grant document (sspf/json.h GrantJson) with its
 * "until" (the end time). */
SSPF_EXPORT sspf_status sspf_session_grant_emergency_json(
    sspf_session_t* session, const char* case_id, const char* provision,
    const char* reason, int hours, char** out_json, sspf_error_t** out_error);
/* Ends an emergency grant before its end time (its holder, or a
 * coordinator on the case team; grant.end).  SSPF_STATUS_FAILED_PRECONDITION when
 * it has ended or expired. */
SSPF_EXPORT sspf_status sspf_session_end_grant(sspf_session_t* session,
                                               const char* grant_id,
                                               sspf_error_t** out_error);
/* Revokes a disclosure made by this principal's actor (entry.revoke): the
 * receiving actor's reads under it stop at once.  SSPF_STATUS_FAILED_PRECONDITION
 * when it is already revoked. */
SSPF_EXPORT sspf_status sspf_session_revoke_disclosure(sspf_session_t* session,
                                                       const char* disclosure_id,
                                                       sspf_error_t** out_error);
/* The reasons document of the case (sspf/json.h ReasonListJson): every
 * disclosure of its entries and every emergency grant, each with "reason"
 * (the text, or null) and "reason_sealed" (true when a reason exists that this
 * session cannot read: only members of the deciding or receiving actor and
 * auditors can).  Logged as reason.list.  SSPF_PERMISSION_DENIED for roles
 * that may not see the case (admins); SSPF_INTEGRITY_VIOLATION when a
 * reason was replaced.  Free *out_json with sspf_free. */
SSPF_EXPORT sspf_status sspf_session_list_reasons(sspf_session_t* session,
                                                  const char* case_id, char** out_json,
                                                  sspf_error_t** out_error);
/* sspf_session_read_entry with a purpose note: purpose is a code of the
 * options' list or one of its labels (NULL or "" for none; anything else is
 * INVALID_ARGUMENT, nothing logged); note (may be NULL) is free text stored
 * encrypted, sealed to this principal's actor and the auditors, and
 * erasable; the access log holds only the code, the note id and a salted
 * commitment.  A note without a purpose is INVALID_ARGUMENT.  Outputs as
 * sspf_session_read_entry. */
SSPF_EXPORT sspf_status sspf_session_read_entry_with_note(
    sspf_session_t* session, const char* entry_id, const char* purpose, const char* note,
    uint8_t** out_body, size_t* out_body_len, char** out_info_json,
    sspf_error_t** out_error);
/* The purpose notes of the case's reads (sspf/json.h PurposeNoteListJson),
 * each with "note" (the text, or null) and "note_sealed" / "erased".  Read
 * back by members of the reader's actor and by auditors.  Logged as
 * purpose_note.list; errors as sspf_session_list_reasons.  Free *out_json
 * with sspf_free. */
SSPF_EXPORT sspf_status sspf_session_list_purpose_notes(sspf_session_t* session,
                                                        const char* case_id,
                                                        char** out_json,
                                                        sspf_error_t** out_error);
/* Erases a purpose note's text (ciphertext and key seals; the commitment
 * stays, so the log still verifies).  The note's author or a coordinator;
 * logged as purpose_note.erase.  NOT_FOUND, PERMISSION_DENIED,
 * FAILED_PRECONDITION (already erased). */
SSPF_EXPORT sspf_status sspf_session_erase_purpose_note(sspf_session_t* session,
                                                        const char* note_id,
                                                        sspf_error_t** out_error);

/* ---- Ids by prefix ------------------------------------------------------------- */

/* The record whose id starts with prefix (6 to 32 hex digits, as in git):
 * *out_json {"schema_version","kind","id"}, kind one of subject, guardian,
 * case, consent, entry, disclosure, grant, purpose_note.  NOT_FOUND when
 * nothing has the prefix; INVALID_ARGUMENT when it is malformed or
 * ambiguous (the message lists the candidates).  Not logged: ids carry no
 * personal data.  A case number ("2026-0042") gives kind "case" and the
 * case's id, checked against the signed log (INTEGRITY_VIOLATION when the
 * table numbers another case than the log). */
SSPF_EXPORT sspf_status sspf_session_resolve_id(sspf_session_t* session,
                                                const char* prefix, char** out_json,
                                                sspf_error_t** out_error);

/* ---- Access log (auditor) -------------------------------------------------------------- */

/* Makes and signs a checkpoint now; *out_note: the C2SP signed note. */
SSPF_EXPORT sspf_status sspf_session_checkpoint(sspf_session_t* session,
                                                char** out_note,
                                                sspf_error_t** out_error);
/* The C2SP verifier key line of the store's log. */
SSPF_EXPORT sspf_status sspf_session_verifier_key(sspf_session_t* session,
                                                  char** out_key,
                                                  sspf_error_t** out_error);
/* Verifies the log; kept_checkpoint (may be NULL) is a signed note kept
 * outside the store that the log must extend.  With it the verify is
 * incremental: only the events after it get their signatures checked
 * ("events_checked" in the report); every event's leaf hash, order and the
 * replayed state are checked either way.  INTEGRITY_VIOLATION, with one line
 * saying what failed, on any failure.  *out_report_json (may be NULL if not
 * wanted): the verify report document. */
SSPF_EXPORT sspf_status sspf_session_verify(sspf_session_t* session,
                                            const char* kept_checkpoint,
                                            char** out_report_json,
                                            sspf_error_t** out_error);
/* As sspf_session_verify, but checks every event's signature even with a
 * kept checkpoint (audit verify --full). */
SSPF_EXPORT sspf_status sspf_session_verify_full(sspf_session_t* session,
                                                 const char* kept_checkpoint,
                                                 char** out_report_json,
                                                 sspf_error_t** out_error);
/* Inclusion proof of event `index` in the tree of checkpoint (a signed note;
 * NULL: the current tree).  *out_json: the inclusion proof document. */
SSPF_EXPORT sspf_status sspf_session_prove(sspf_session_t* session,
                                           uint64_t index,
                                           const char* checkpoint,
                                           char** out_json,
                                           sspf_error_t** out_error);

/* RFC 6962 consistency proof between two signed checkpoints of this store
 * (old_checkpoint, new_checkpoint: signed notes, both required).
 * *out_json: the consistency proof document (old_size, new_size, old_root,
 * new_root, proof).  INVALID_ARGUMENT if the old one is larger than the new
 * one; INTEGRITY_VIOLATION, naming "old" or "new", when a checkpoint does
 * not verify or its root is not the log's tree at its size. */
SSPF_EXPORT sspf_status sspf_session_consistency(sspf_session_t* session,
                                                 const char* old_checkpoint,
                                                 const char* new_checkpoint,
                                                 char** out_json,
                                                 sspf_error_t** out_error);

/* Verify (as sspf_session_verify) with the kept checkpoint required and,
 * for each of the witness_key_count verifier keys in witness_keys (from
 * sspf_witness_init), a valid C2SP cosignature/v1 by that witness on it.
 * INTEGRITY_VIOLATION naming the first witness whose cosignature is
 * missing or invalid; INVALID_ARGUMENT for a malformed key.  The report
 * document lists the witnesses checked ("witnesses"). */
SSPF_EXPORT sspf_status sspf_session_verify_witnessed(sspf_session_t* session,
                                                      const char* kept_checkpoint,
                                                      const char* const* witness_keys,
                                                      size_t witness_key_count,
                                                      char** out_report_json,
                                                      sspf_error_t** out_error);

/* ---- Witness (no store, no session: run by another party) --------------------------------- */

/* Makes a witness Ed25519 key named `name` in key_file (created, never
 * overwritten, mode 0600) and its verifier key in "<key_file>.pub" (0644).
 * *out_json (may be NULL): the witness key document (name, verifier_key,
 * key_file, public_key_file).  ALREADY_EXISTS if a file exists. */
SSPF_EXPORT sspf_status sspf_witness_init(const char* key_file, const char* name,
                                          char** out_json, sspf_error_t** out_error);
/* Cosigns checkpoint (a signed note) if it is signed by the log pinned in
 * state_dir and consistent with the last one cosigned; records it there.
 * proof_json: the consistency proof document from the last cosigned
 * checkpoint (sspf_session_consistency), NULL when not needed; log_key: the
 * log's verifier key, required on first use (NULL afterwards, or the pinned
 * one).  *out_json: the cosignature document, whose "note" is the checkpoint
 * with the cosignature line.  INTEGRITY_VIOLATION for a rollback, a fork, a
 * failing proof or another log; the state is then unchanged. */
SSPF_EXPORT sspf_status sspf_witness_cosign(const char* key_file, const char* state_dir,
                                            const char* checkpoint, const char* proof_json,
                                            const char* log_key, char** out_json,
                                            sspf_error_t** out_error);

/* A filter for log queries (sspf::AuditFilter).  A new filter matches every
 * event; each setter narrows it (calling a setter again replaces the value;
 * a NULL string clears it). */
typedef struct sspf_audit_filter_t sspf_audit_filter_t;
SSPF_EXPORT sspf_status sspf_audit_filter_create(
    sspf_audit_filter_t** out_filter, sspf_error_t** out_error);
SSPF_EXPORT void sspf_audit_filter_destroy(sspf_audit_filter_t** filter);
SSPF_EXPORT sspf_status sspf_audit_filter_set_case(sspf_audit_filter_t* filter,
                                                   const char* case_id,
                                                   sspf_error_t** out_error);
/* The subject and its cases and entries. */
SSPF_EXPORT sspf_status sspf_audit_filter_set_subject(
    sspf_audit_filter_t* filter, const char* subject_id,
    sspf_error_t** out_error);
/* A principal name. */
SSPF_EXPORT sspf_status sspf_audit_filter_set_principal(
    sspf_audit_filter_t* filter, const char* principal,
    sspf_error_t** out_error);
/* SSPF_ACTOR_*, or 0 for any. */
SSPF_EXPORT sspf_status sspf_audit_filter_set_actor(sspf_audit_filter_t* filter,
                                                    int actor,
                                                    sspf_error_t** out_error);
/* An action name as in the events ("entry.read", "consent.withdraw", ...). */
SSPF_EXPORT sspf_status sspf_audit_filter_set_action(
    sspf_audit_filter_t* filter, const char* action, sspf_error_t** out_error);
/* -1 any, 0 denied only, 1 allowed only. */
SSPF_EXPORT sspf_status sspf_audit_filter_set_allowed(
    sspf_audit_filter_t* filter, int allowed, sspf_error_t** out_error);
/* An exact target string ("case:<id>", "entry:<id>", ...). */
SSPF_EXPORT sspf_status sspf_audit_filter_set_target(
    sspf_audit_filter_t* filter, const char* target, sspf_error_t** out_error);
/* Time range [since, until): has_since / has_until 0 clears the bound. */
SSPF_EXPORT sspf_status sspf_audit_filter_set_time_range(
    sspf_audit_filter_t* filter, int has_since, int64_t since, int has_until,
    int64_t until, sspf_error_t** out_error);
/* At most `limit` events (0: no limit). */
SSPF_EXPORT sspf_status sspf_audit_filter_set_limit(sspf_audit_filter_t* filter,
                                                    size_t limit,
                                                    sspf_error_t** out_error);
/* Events with seq in [from, to] (audit query --seq, --around): has_from /
 * has_to 0 clears the bound.  A query whose `from` lies past the end of the
 * log fails with SSPF_STATUS_NOT_FOUND. */
SSPF_EXPORT sspf_status sspf_audit_filter_set_seq_range(
    sspf_audit_filter_t* filter, int has_from, uint64_t from, int has_to,
    uint64_t to, sspf_error_t** out_error);

/* The events document of the events matching filter (NULL: all events);
 * each event is the event document of the JSON-lines export without
 * "schema_version". */
SSPF_EXPORT sspf_status sspf_session_query_events(
    sspf_session_t* session, const sspf_audit_filter_t* filter,
    char** out_json, sspf_error_t** out_error);

/* Receives one exported line (no newline) valid only during the call.
 * Return SSPF_STATUS_OK to continue; any other code stops the export, and
 * sspf_session_export_events returns that code.  Must not unwind (longjmp,
 * C++ or managed exceptions) through the library. */
typedef sspf_status (*sspf_line_sink)(void* user_data, const char* line,
                                      size_t line_len);
/* Streams the matching events (filter may be NULL) in format
 * SSPF_EXPORT_JSON_LINES (one event document per line) or SSPF_EXPORT_CSV
 * to sink, one call per line. */
SSPF_EXPORT sspf_status sspf_session_export_events(
    sspf_session_t* session, const sspf_audit_filter_t* filter, int format,
    sspf_line_sink sink, void* user_data, sspf_error_t** out_error);
/* Writes the whole access log as a C2SP tlog-tiles directory at dir (C++:
 * Session::ExportTiles; docs/audit-log-format.md, "Tiles export"): after
 * verifying the log, the signed checkpoint of the verified tree as
 * dir/checkpoint, the hash tiles tile/<L>/<N>[.p/<W>] and the entry bundles
 * tile/entries/<N>[.p/<W>].
 * dir must not exist (its parent must) or be an empty directory; it appears
 * whole or not at all.  Auditor only; logged as audit.export (target
 * "tiles").  *out_json (may be NULL if not wanted): the tile export
 * document {"schema_version","tree_size","root","tiles","entry_bundles",
 * "dir"}.  INVALID_ARGUMENT (dir NULL or empty, or not a directory),
 * ALREADY_EXISTS (dir not empty), NOT_FOUND (its parent is missing),
 * PERMISSION_DENIED, INTEGRITY_VIOLATION when the log does not verify
 * (nothing is written), IO_ERROR. */
SSPF_EXPORT sspf_status sspf_session_export_tiles(sspf_session_t* session,
                                                  const char* dir,
                                                  char** out_json,
                                                  sspf_error_t** out_error);
/* Loggutdrag: the subject extract document, every event touching the
 * subject, its cases and entries.  "principal_names" is {} (naming the
 * principals would be an operation of its own; sspf_session_list_principals
 * gives them). */
SSPF_EXPORT sspf_status sspf_session_extract_subject(sspf_session_t* session,
                                                     const char* subject_id,
                                                     char** out_json,
                                                     sspf_error_t** out_error);
/* Loggutdrag for the youth and the family (C++: Session::ExtractSubjectReport,
 * sspf/report.h): one plain-language line per access with its basis,
 * refusals and failures, Europe/Stockholm time; no content, nothing about
 * other people.  format: SSPF_EXTRACT_JSON (the log_extract document of
 * docs/json-schema.md), SSPF_EXTRACT_HTML (one self-contained HTML page)
 * or SSPF_EXTRACT_TEXT (UTF-8 text).  language: "sv", "en" or NULL
 * (Swedish).  youth_name: the name to head the extract, as the issuer has
 * it from the request, or NULL (the library never decrypts it for an
 * extract).  The period: events with since <= time < until (Unix seconds)
 * when has_since / has_until are non-zero.  *out_document: free with
 * sspf_free; it holds youth_name, so wipe it first.  Logged as
 * audit.extract.  SSPF_STATUS_INVALID_ARGUMENT for an unknown format or
 * language; SSPF_STATUS_NOT_FOUND for an unknown subject. */
SSPF_EXPORT sspf_status sspf_session_extract_report(
    sspf_session_t* session, const char* subject_id, int format, const char* language,
    const char* youth_name, int has_since, int64_t since, int has_until, int64_t until,
    char** out_document, sspf_error_t** out_error);
/* Review report: the flags document. */
SSPF_EXPORT sspf_status sspf_session_review(sspf_session_t* session,
                                            char** out_json,
                                            sspf_error_t** out_error);
/* Summary periods of the scoped review (sspf::ReviewPeriodUnit). */
#define SSPF_REVIEW_BY_DAY 1
#define SSPF_REVIEW_BY_WEEK 2
/* The scoped review (loggkontroll; sspf::Session::Review(ReviewOptions)):
 * the review document (docs/json-schema.md, "review").  scope may be NULL
 * (the whole log); of it only the time range, the principal name and the
 * actor are used, and any other bound set on it is
 * SSPF_STATUS_INVALID_ARGUMENT.  flag_kind: NULL or one flag kind
 * ("emergency-grant", ...); by: SSPF_REVIEW_BY_DAY or SSPF_REVIEW_BY_WEEK;
 * top_readers: readers listed per case.  Auditor only; logged. */
SSPF_EXPORT sspf_status sspf_session_review_report(
    sspf_session_t* session, const sspf_audit_filter_t* scope,
    const char* flag_kind, int by, size_t top_readers, char** out_json,
    sspf_error_t** out_error);
/* The same review as one self-contained HTML page (audit review --html;
 * sspf/report.h, ReviewReportHtml): the log is verified first, against
 * kept_checkpoint (a checkpoint note kept outside the store) when it is
 * not NULL, and a failure is returned as sspf_session_verify returns it;
 * then the review of the scope (arguments as for
 * sspf_session_review_report).  *out_html: free with sspf_free.  Auditor
 * only; logged (audit.verify, audit.review). */
SSPF_EXPORT sspf_status sspf_session_review_html(
    sspf_session_t* session, const sspf_audit_filter_t* scope,
    const char* flag_kind, int by, size_t top_readers,
    const char* kept_checkpoint, char** out_html, sspf_error_t** out_error);
/* Signs off the flags of event seq (audit ack) with a note, stored
 * encrypted for the auditors: the ack document.  SSPF_STATUS_NOT_FOUND (no
 * such event), SSPF_STATUS_FAILED_PRECONDITION (it raises no flag),
 * SSPF_STATUS_ALREADY_EXISTS (already acknowledged). */
SSPF_EXPORT sspf_status sspf_session_ack_flag(sspf_session_t* session,
                                              uint64_t seq, const char* note,
                                              char** out_json,
                                              sspf_error_t** out_error);
/* Closes the review period up to `until` (Unix seconds, exclusive) from the
 * previous closure: the closure document.  SSPF_STATUS_INVALID_ARGUMENT
 * when until is not after the previous closure or lies in the future. */
SSPF_EXPORT sspf_status sspf_session_close_review(sspf_session_t* session,
                                                  int64_t until,
                                                  char** out_json,
                                                  sspf_error_t** out_error);
/* Every version of every principal's certificate, each checked against the
 * trust anchor pinned in this session's keyring entry: the certificates
 * document (auditor; logged).  SSPF_STATUS_INTEGRITY_VIOLATION naming the
 * first certificate that does not verify.  With the JSON-lines export it
 * lets an auditor check every event's signature without the library
 * (docs/auditing.md). */
SSPF_EXPORT sspf_status sspf_session_list_certificates(sspf_session_t* session,
                                                       char** out_json,
                                                       sspf_error_t** out_error);

/* ---- JSON documents ---------------------------------------------------------------------
 * Every JSON result is one document of the schema in docs/json-schema.md
 * (sspf/json.h), made by the same encoder as `sspf-tool --json` and the
 * JSON-lines export: one line of UTF-8, an object whose first member is
 * "schema_version":1.  Times are RFC 3339 UTC strings
 * ("2026-12-01T07:47:34Z"), dates "YYYY-MM-DD", hashes, roots and leaves
 * standard padded base64; a value that is absent is null (the key is always
 * there); actors, roles, categories and actions are their names ("school",
 * "coordinator", "meeting", "entry.read").  A list is wrapped
 * ({"schema_version":1,"cases":[...]}); a record in a list is its own
 * document without "schema_version".  Readers must ignore keys they do not
 * know (new keys do not change the version).
 *
 * principal:  {"schema_version", "id", "name", "actor", "role",
 *              "active":bool, "created":time}
 * principals: {"schema_version", "principals":[principal...]}
 * subject:    {"schema_version", "id", "personal_number":"YYYYMMDDNNNC",
 *              "name", "birth_date":"YYYY-MM-DD",
 *              "guardians":[{"id", "name"}...]}
 * case:       {"schema_version", "id", "subject_id", "open":bool,
 *              "opened":time, "closed":time|null, "team":[principal name...]}
 * cases:      {"schema_version", "cases":[case...]}
 * consents:   {"schema_version", "consents":[{"id", "case_id",
 *              "party":"youth"|"guardian", "guardian_id":s|null,
 *              "actors":[name...], "categories":[name...],
 *              "valid_from":time, "valid_until":"YYYY-MM-DD",
 *              "withdrawn_at":time|null, "purpose":s|null,
 *              "form_ref":s|null, "version":n, "recorded_by":principal id}...]}
 * entries:    {"schema_version", "entries":[{"id", "case_id", "category",
 *              "author":principal name, "author_actor", "created":time,
 *              "supersedes":s|null, "disclosed_to":[actor...]}...]}
 * entry read: the entry's keys with "schema_version" first, then
 *              "basis" ("author-actor", "consent:<id>", ...); no "body"
 * verify report: {"schema_version", "tree_size":n, "root":base64,
 *              "checkpoints_checked":n, "events_checked":n,
 *              "kept_checkpoint_consistent":bool|null,
 *              "kept_checkpoint_signer":s|null (both null without a
 *              kept checkpoint)}
 * inclusion proof: {"schema_version", "index":n, "tree_size":n,
 *              "leaf_hash":base64, "root":base64, "proof":[base64...]}
 * events:     {"schema_version", "events":[{"seq":n, "time":time,
 *              "principal_id", "principal_name":s|null, "actor", "role", "action", "target",
 *              "allowed":bool, "reason":s|null, "basis":s|null,
 *              "purpose":s|null, "case_id":s|null, "subject_id":s|null,
 *              "detail":s|null, "leaf":base64, "leaf_hash":base64}...]}
 * subject extract: {"schema_version", "subject_id", "events":[event...],
 *              "principal_names":{}}
 * flags:      {"schema_version", "flags":[{"kind", "seq":n, "principal_id",
 *              "target", "detail":s|null, "time":time, "principal_name":s|null,
 *              "actor", "role", "action", "allowed":bool, "case_id":s|null,
 *              "acknowledged":bool, "ack":ack|null}...]}
 * review:     {"schema_version", "store_id", "since":time|null,
 *              "until":time|null, "principal":s|null, "actor":s|null,
 *              "flag_kind":s|null, "generated":time, "tree_size":n,
 *              "events_in_scope":n, "flags":[flag...], "flags_open":n,
 *              "flags_acknowledged":n, "summary":{"by":"day"|"week",
 *              "per_principal":[count...], "per_actor":[count...],
 *              "per_action":[count...]}, "top_readers":[{"case_id",
 *              "reads":n, "readers":[{"principal_id", "name":s|null, "actor",
 *              "reads":n, "denied":n, "last":time}...]}...],
 *              "closures":[closure...]}; count: {"period", "period_start":
 *              time, "key", "name":s|null, "events":n, "denied":n,
 *              "entry_reads":n, "accesses":n}
 * ack:        {"schema_version", "seq":n, "flagged_seq":n, "time":time,
 *              "auditor_id", "auditor_name":s|null, "note_id",
 *              "note":s|null, "note_sealed":bool}
 * closure:    {"schema_version", "seq":n, "time":time, "auditor_id",
 *              "auditor_name":s|null, "since":time, "until":time,
 *              "flags_open":n, "flags_acknowledged":n}
 * certificates: {"schema_version", "certificates":[{"principal_id", "name",
 *              "actor", "role", "active":bool, "version":n,
 *              "signing_key":base64, "certificate":base64,
 *              "certificate_signature":base64}...]}
 */

/* ---- Retention (gallring) ---------------------------------------------------- */

/* Retention rules (StoreOptions::retention_rules, sspf/retention.h,
 * docs/retention.md).  A new options handle has the defaults.  clear
 * empties the list (nothing is then ever due); add appends one rule: from
 * is SSPF_RETENTION_FROM_*, categories (may be NULL when category_count is
 * 0: every category) and birth_days (may be NULL when birth_day_count is
 * 0) as in RetentionRule; citation required, summary may be NULL.
 * INVALID_ARGUMENT when the list would not validate, and it is then
 * unchanged. */
#define SSPF_RETENTION_FROM_CASE_CLOSED 1
#define SSPF_RETENTION_FROM_LAST_ENTRY 2
#define SSPF_RETENTION_FROM_BIRTH 3
#define SSPF_RETENTION_FROM_DECISION 4
#define SSPF_RETENTION_FROM_NEVER 5
SSPF_EXPORT sspf_status sspf_options_clear_retention_rules(sspf_options_t* options,
                                                           sspf_error_t** out_error);
SSPF_EXPORT sspf_status sspf_options_add_retention_rule(
    sspf_options_t* options, const char* id, int actor, const int* categories,
    size_t category_count, int from, int years, const int* birth_days, size_t birth_day_count,
    const char* citation, const char* summary, int verified, sspf_error_t** out_error);
/* {"schema_version":1,"rules":[...]} (RetentionRulesJson); free with
 * sspf_free. */
SSPF_EXPORT sspf_status sspf_options_retention_rules_json(const sspf_options_t* options,
                                                          char** out_json,
                                                          sspf_error_t** out_error);
/* The dry run (Session::PlanRetention), admin only: *out_json is the plan
 * document of `sspf-tool retention plan --json` (RetentionPlanJson).
 * decision may be NULL; decided_rules (may be NULL when decided_count is 0)
 * names decision rules to plan as decided.  Free with sspf_free. */
SSPF_EXPORT sspf_status sspf_session_retention_plan(sspf_session_t* session,
                                                    const char* decision,
                                                    const char* const* decided_rules,
                                                    size_t decided_count, char** out_json,
                                                    sspf_error_t** out_error);
/* The run (Session::RunRetention), admin only: executes the erasure
 * decision `decision` (required: its register reference).  progress (may
 * be NULL) is called after each case.  *out_json (may be NULL): the run
 * document of `sspf-tool retention run --json` (RetentionRunJson). */
SSPF_EXPORT sspf_status sspf_session_retention_run(sspf_session_t* session,
                                                   const char* decision,
                                                   const char* const* decided_rules,
                                                   size_t decided_count,
                                                   sspf_progress_fn progress, void* user_data,
                                                   char** out_json, sspf_error_t** out_error);

/* ---- The joint plan (åtagandeplan) and meetings ---------------------------------- */

/* The kinds of an SSPF meeting (sspf/plan.h MeetingKind). */
enum {
  SSPF_MEETING_KARTLAGGNING = 1, /* kartläggning: mapping the youth's situation */
  SSPF_MEETING_NATVERKSMOTE = 2, /* nätverksmöte / samverkansmöte: network meeting */
  SSPF_MEETING_UPPFOLJNING = 3   /* uppföljning: follow-up */
};
/* Each write below is one entry of the case (category plan, or meeting)
 * whose encrypted body holds the goal, action, status or meeting, disclosed
 * on the consent in force to every other actor on the case team that a
 * consent covers for that category; written by a coordinator on the team
 * (Session::AddPlanGoal ...).  *out_json (may be NULL): the plan write
 * document {"schema_version","id","case_id","kind","disclosed_to"}
 * (PlanWriteJson), as `sspf-tool plan goal add --json` prints it. */
SSPF_EXPORT sspf_status sspf_session_plan_add_goal(sspf_session_t* session,
                                                   const char* case_id, const char* text,
                                                   char** out_json, sspf_error_t** out_error);
/* An action of goal goal_id: owner SSPF_ACTOR_*, principal NULL or a user
 * name of that actor, due "YYYY-MM-DD". */
SSPF_EXPORT sspf_status sspf_session_plan_add_action(sspf_session_t* session,
                                                     const char* case_id, const char* goal_id,
                                                     int owner, const char* principal,
                                                     const char* due, const char* text,
                                                     char** out_json, sspf_error_t** out_error);
/* Marks action action_id done (a new status entry).  FAILED_PRECONDITION
 * when it is already done, INVALID_ARGUMENT when the entry is no action. */
SSPF_EXPORT sspf_status sspf_session_plan_action_done(sspf_session_t* session,
                                                      const char* action_id, char** out_json,
                                                      sspf_error_t** out_error);
/* A meeting: date "YYYY-MM-DD", kind SSPF_MEETING_*, attendees an array of
 * SSPF_ACTOR_* (at least one, no repeats), minutes NULL or UTF-8 text (may
 * span lines), next_follow_up NULL or "YYYY-MM-DD" on or after date. */
SSPF_EXPORT sspf_status sspf_session_add_meeting(sspf_session_t* session, const char* case_id,
                                                 const char* date, int kind,
                                                 const int* attendees, size_t attendee_count,
                                                 const char* minutes,
                                                 const char* next_follow_up, char** out_json,
                                                 sspf_error_t** out_error);
/* The plan document of the case as this session may read it (CasePlanJson,
 * `sspf-tool plan show --json`); every plan entry read is decided and
 * logged.  PERMISSION_DENIED or CONSENT_REQUIRED when none may be read.  It
 * holds content: wipe it before sspf_free. */
SSPF_EXPORT sspf_status sspf_session_plan_show(sspf_session_t* session, const char* case_id,
                                               char** out_json, sspf_error_t** out_error);
/* Shares the plan after a new consent or team member (Session::SharePlan):
 * every plan and meeting entry of the case by this session's actor is
 * disclosed, decided and logged one by one, to every team actor a consent
 * in force covers for it that does not hold it yet; never under a withdrawn
 * or expired consent, never again after a revocation.  Idempotent.
 * *out_json (may be NULL): the plan share document
 * {"schema_version","case_id","disclosed":[{"entry_id","category","to",
 * "disclosure_id"}],"held","not_covered","revoked","other_author"}
 * (PlanShareJson), as `sspf-tool plan share --json` prints it. */
SSPF_EXPORT sspf_status sspf_session_plan_share(sspf_session_t* session, const char* case_id,
                                                char** out_json, sspf_error_t** out_error);
/* The due document for this principal within days (0..366) days
 * (DueReportJson, `sspf-tool due --json`). */
SSPF_EXPORT sspf_status sspf_session_due(sspf_session_t* session, int days, char** out_json,
                                         sspf_error_t** out_error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SSPF_SSPF_H_ */
