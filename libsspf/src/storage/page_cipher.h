// SQLCipher's page cipher with prepared OpenSSL contexts.
//
// SQLCipher 3.4.1 (Debian bookworm's) encrypts every 4 KiB page with
// AES-256-CBC and authenticates it with HMAC-SHA1, and for each page it
// makes a fresh HMAC_CTX and EVP_CIPHER_CTX.  With OpenSSL 3 that set-up
// (an algorithm fetch, a key schedule and two allocations per context)
// costs about a third of the page's work: 4.3 µs per page where the
// hashing and the decryption themselves take 2.9 µs (docs/performance.md).
// Every scan of audit verify decrypts the whole store, so that is where it
// shows most.
//
// UsePreparedPageCipher registers, in place of SQLCipher's stock OpenSSL
// provider, a copy of it whose two per-page functions keep one keyed
// context per connection: the same AES-256-CBC, the same HMAC-SHA1 over
// the same bytes, so the file format does not change (a store written with
// it opens with the stock `sqlcipher` tool and the other way round; the
// tests check both).  Key derivation, random bytes and everything else
// stay SQLCipher's own.
//
// It changes nothing, and the stock provider stays, unless every one of
// these holds: the SQLite library is 3.15.2 (SQLCipher 3.4.1, whose
// provider table this file mirrors), SQLCipher's provider functions are
// exported by the loaded library, and the provider in place is SQLCipher's
// own OpenSSL provider (a host that registered another one keeps it).  The
// registration is process-wide: it applies to every SQLCipher connection
// opened afterwards, the host's own too, which is why it only ever replaces
// the stock provider by the same algorithms.
#ifndef SSPF_SRC_STORAGE_PAGE_CIPHER_H_
#define SSPF_SRC_STORAGE_PAGE_CIPHER_H_

#include <cstdint>

namespace sspf::internal {

// Before sqlite3_key on a new connection (Db::Open): makes sure the
// prepared cipher is the registered provider, where it may be.  SQLCipher
// drops its registered provider when its last connection closes, so this
// runs on every open.  Thread-safe; never fails (the stock provider stays).
void UsePreparedPageCipher();

// True when the registered provider is the prepared one (while a store is
// open: SQLCipher drops it with its last connection).  For the tests and for
// `sspf-bench`, which says which one it measured.
bool PreparedPageCipherInUse();

// Pages enciphered or deciphered by the prepared contexts since the process
// began (tests: the prepared path is the one taken).
uint64_t PreparedPageCipherPages();

// Tests only: turn the prepared cipher off (false) or on again (true) for
// connections opened afterwards, to check that the two read each other's
// pages.
void SetPreparedPageCipherEnabledForTesting(bool enabled);

}  // namespace sspf::internal

#endif  // SSPF_SRC_STORAGE_PAGE_CIPHER_H_
