// The prepared page cipher (page_cipher.h).
//
// Each codec context of SQLCipher has a provider context, an `openssl_ctx`
// that holds one pointer (the EVP_CIPHER); this file never changes its
// layout.  The prepared contexts live beside it, in a table from the
// provider context's address to its Prepared contexts, made on the first
// page and freed by ctx_free.  A context that is not in the table (one made
// while another thread changed the provider, say) is served by the stock
// functions, and a Prepared entry is only a cache: every call compares the
// key it is given with the key its context was prepared with, so a stale or
// shared entry still computes with the right key.
#include "storage/page_cipher.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace sspf::internal {
namespace {

// SQLCipher 3.4.1's provider table (src/sqlcipher.h of that release, which
// Debian does not install), field for field.  Only used when the loaded
// library is that release (Supported).
struct Provider341 {
  int (*activate)(void* ctx);
  int (*deactivate)(void* ctx);
  const char* (*get_provider_name)(void* ctx);
  int (*add_random)(void* ctx, void* buffer, int length);
  int (*random)(void* ctx, void* buffer, int length);
  int (*hmac)(void* ctx, unsigned char* hmac_key, int key_sz, unsigned char* in, int in_sz,
              unsigned char* in2, int in2_sz, unsigned char* out);
  int (*kdf)(void* ctx, const unsigned char* pass, int pass_sz, unsigned char* salt,
             int salt_sz, int workfactor, int key_sz, unsigned char* key);
  int (*cipher)(void* ctx, int mode, unsigned char* key, int key_sz, unsigned char* iv,
                unsigned char* in, int in_sz, unsigned char* out);
  int (*set_cipher)(void* ctx, const char* cipher_name);
  const char* (*get_cipher)(void* ctx);
  int (*get_key_sz)(void* ctx);
  int (*get_iv_sz)(void* ctx);
  int (*get_block_sz)(void* ctx);
  int (*get_hmac_sz)(void* ctx);
  int (*ctx_copy)(void* target_ctx, void* source_ctx);
  int (*ctx_cmp)(void* c1, void* c2);
  int (*ctx_init)(void** ctx);
  int (*ctx_free)(void** ctx);
  int (*fips_status)(void* ctx);
  const char* (*get_provider_version)(void* ctx);
};

}  // namespace
}  // namespace sspf::internal

// SQLCipher's own functions, weak: a library without them (another SQLCipher
// build, plain SQLite) leaves them null and the stock provider in place.
extern "C" {
__attribute__((weak)) int sqlcipher_register_provider(sspf::internal::Provider341* p);
__attribute__((weak)) sspf::internal::Provider341* sqlcipher_get_provider(void);
__attribute__((weak)) int sqlcipher_openssl_setup(sspf::internal::Provider341* p);
__attribute__((weak)) void* sqlcipher_malloc(int size);
}

namespace sspf::internal {
namespace {

constexpr int kModes = 2;          // SQLCipher's CIPHER_DECRYPT 0, CIPHER_ENCRYPT 1
constexpr int kAesKeySize = 32;    // AES-256
constexpr int kMaxHmacKey = 64;    // one SHA-1 block: longer keys are hashed first (stock)
constexpr size_t kSha1Size = 20;

// The prepared contexts of one provider context.
struct Prepared {
  EVP_CIPHER_CTX* cipher[kModes] = {nullptr, nullptr};
  unsigned char cipher_key[kModes][kAesKeySize] = {};
  bool cipher_keyed[kModes] = {false, false};
  EVP_MAC_CTX* mac = nullptr;
  unsigned char mac_key[kMaxHmacKey] = {};
  int mac_key_size = -1;  // -1: not keyed

  Prepared() = default;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  ~Prepared() {
    // EVP_*_free clear the key schedules they hold.
    for (EVP_CIPHER_CTX* c : cipher) EVP_CIPHER_CTX_free(c);
    EVP_MAC_CTX_free(mac);
    OPENSSL_cleanse(cipher_key, sizeof(cipher_key));
    OPENSSL_cleanse(mac_key, sizeof(mac_key));
  }
};

// Process-wide state.  The algorithms are fetched once; `stock` is
// SQLCipher's OpenSSL provider, which the prepared one falls back to.
struct Global {
  std::once_flag once;
  bool supported = false;
  Provider341 stock{};
  EVP_CIPHER* aes = nullptr;  // fetched AES-256-CBC
  EVP_MAC* hmac = nullptr;    // fetched HMAC
  std::atomic<bool> enabled{true};
  std::atomic<uint64_t> pages{0};  // pages the prepared contexts enciphered
  std::mutex mu;  // guards prepared
  std::unordered_map<void*, std::unique_ptr<Prepared>> prepared;
};

Global& G() {
  static Global* g = new Global();  // never destroyed: SQLCipher may call in at exit
  return *g;
}

// The Prepared contexts of provider context ctx, made on first use; null
// when they cannot be made (the stock function serves the call).
Prepared* PreparedOf(void* ctx) {
  Global& g = G();
  std::lock_guard<std::mutex> lock(g.mu);
  std::unique_ptr<Prepared>& p = g.prepared[ctx];
  if (!p) {
    auto made = std::make_unique<Prepared>();
    made->mac = EVP_MAC_CTX_new(g.hmac);
    char sha1[] = "SHA1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha1, 0),
                                 OSSL_PARAM_construct_end()};
    if (made->mac == nullptr || EVP_MAC_CTX_set_params(made->mac, params) != 1) {
      g.prepared.erase(ctx);
      return nullptr;
    }
    for (EVP_CIPHER_CTX*& c : made->cipher) {
      c = EVP_CIPHER_CTX_new();
      if (c == nullptr) {
        g.prepared.erase(ctx);
        return nullptr;
      }
    }
    p = std::move(made);
  }
  return p.get();
}

// HMAC-SHA1 of in and in2 under hmac_key (SQLCipher's page HMAC: the
// encrypted page with its IV, then the page number).
int Hmac(void* ctx, unsigned char* hmac_key, int key_sz, unsigned char* in, int in_sz,
         unsigned char* in2, int in2_sz, unsigned char* out) {
  Global& g = G();
  Prepared* p = key_sz >= 0 && key_sz <= kMaxHmacKey ? PreparedOf(ctx) : nullptr;
  if (p == nullptr) return g.stock.hmac(ctx, hmac_key, key_sz, in, in_sz, in2, in2_sz, out);
  const bool same = p->mac_key_size == key_sz &&
                    CRYPTO_memcmp(p->mac_key, hmac_key, static_cast<size_t>(key_sz)) == 0;
  // With a null key, EVP_MAC_init starts again under the key it has.
  int ok = same ? EVP_MAC_init(p->mac, nullptr, 0, nullptr)
                : EVP_MAC_init(p->mac, hmac_key, static_cast<size_t>(key_sz), nullptr);
  if (ok == 1 && !same) {
    std::memcpy(p->mac_key, hmac_key, static_cast<size_t>(key_sz));
    p->mac_key_size = key_sz;
  }
  size_t written = 0;
  ok = ok == 1 && EVP_MAC_update(p->mac, in, static_cast<size_t>(in_sz)) == 1 &&
       EVP_MAC_update(p->mac, in2, static_cast<size_t>(in2_sz)) == 1 &&
       EVP_MAC_final(p->mac, out, &written, kSha1Size) == 1 && written == kSha1Size;
  if (!ok) {
    p->mac_key_size = -1;
    return g.stock.hmac(ctx, hmac_key, key_sz, in, in_sz, in2, in2_sz, out);
  }
  return SQLITE_OK;
}

// AES-256-CBC without padding of in_sz bytes (a page less its reserve).
int Cipher(void* ctx, int mode, unsigned char* key, int key_sz, unsigned char* iv,
           unsigned char* in, int in_sz, unsigned char* out) {
  Global& g = G();
  // SQLCipher's openssl_ctx begins with the EVP_CIPHER it was set to.
  const EVP_CIPHER* set = ctx == nullptr ? nullptr : *static_cast<const EVP_CIPHER* const*>(ctx);
  Prepared* p = set == EVP_aes_256_cbc() && key_sz == kAesKeySize && (mode == 0 || mode == 1) &&
                        in_sz > 0 && in_sz % 16 == 0
                    ? PreparedOf(ctx)
                    : nullptr;
  if (p == nullptr) return g.stock.cipher(ctx, mode, key, key_sz, iv, in, in_sz, out);
  EVP_CIPHER_CTX* c = p->cipher[mode];
  const bool same = p->cipher_keyed[mode] &&
                    CRYPTO_memcmp(p->cipher_key[mode], key, kAesKeySize) == 0;
  // With the key null, EVP_CipherInit_ex2 keeps the key schedule it has.
  int ok = same ? EVP_CipherInit_ex2(c, nullptr, nullptr, iv, mode, nullptr)
                : EVP_CipherInit_ex2(c, g.aes, key, iv, mode, nullptr);
  if (ok == 1 && !same) {
    std::memcpy(p->cipher_key[mode], key, kAesKeySize);
    p->cipher_keyed[mode] = true;
  }
  int n = 0, tail = 0;
  ok = ok == 1 && EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
       EVP_CipherUpdate(c, out, &n, in, in_sz) == 1 &&
       EVP_CipherFinal_ex(c, out + n, &tail) == 1 && n + tail == in_sz;
  if (!ok) {
    p->cipher_keyed[mode] = false;
    return g.stock.cipher(ctx, mode, key, key_sz, iv, in, in_sz, out);
  }
  g.pages.fetch_add(1, std::memory_order_relaxed);
  return SQLITE_OK;
}

// Frees the Prepared contexts of ctx, then ctx the stock way.
int CtxFree(void** ctx) {
  Global& g = G();
  std::unique_ptr<Prepared> gone;
  {
    std::lock_guard<std::mutex> lock(g.mu);
    auto it = g.prepared.find(*ctx);
    if (it != g.prepared.end()) {
      gone = std::move(it->second);
      g.prepared.erase(it);
    }
  }
  return g.stock.ctx_free(ctx);
}

void Setup(Global& g) {
  if (sqlite3_libversion_number() != 3015002) return;  // not SQLCipher 3.4.1's SQLite
  if (sqlcipher_register_provider == nullptr || sqlcipher_get_provider == nullptr ||
      sqlcipher_openssl_setup == nullptr || sqlcipher_malloc == nullptr) {
    return;
  }
  if (sqlcipher_openssl_setup(&g.stock) != SQLITE_OK || g.stock.hmac == nullptr ||
      g.stock.cipher == nullptr || g.stock.ctx_free == nullptr) {
    return;
  }
  g.aes = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  g.hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  g.supported = g.aes != nullptr && g.hmac != nullptr;
}

// Registers a copy of `from` (SQLCipher frees the one it replaces).
void Register(const Provider341& from) {
  auto* p = static_cast<Provider341*>(sqlcipher_malloc(sizeof(Provider341)));
  if (p == nullptr) return;
  *p = from;
  sqlcipher_register_provider(p);
}

}  // namespace

void UsePreparedPageCipher() {
  Global& g = G();
  std::call_once(g.once, [&g] { Setup(g); });
  if (!g.supported || sqlite3_initialize() != SQLITE_OK) return;
  // SQLCipher's activation and deactivation, which install and drop the
  // registered provider, hold the master mutex.
  sqlite3_mutex* master = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_MASTER);
  sqlite3_mutex_enter(master);
  const Provider341* now = sqlcipher_get_provider();
  const bool prepared = now != nullptr && now->hmac == Hmac;
  const bool stock = now == nullptr || now->hmac == g.stock.hmac;
  if (g.enabled.load() && !prepared && stock) {
    Provider341 mine = g.stock;
    mine.hmac = Hmac;
    mine.cipher = Cipher;
    mine.ctx_free = CtxFree;
    Register(mine);
  } else if (!g.enabled.load() && prepared) {
    Register(g.stock);
  }
  sqlite3_mutex_leave(master);
}

bool PreparedPageCipherInUse() {
  Global& g = G();
  std::call_once(g.once, [&g] { Setup(g); });
  if (!g.supported || sqlite3_initialize() != SQLITE_OK) return false;
  sqlite3_mutex* master = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_MASTER);
  sqlite3_mutex_enter(master);
  const Provider341* now = sqlcipher_get_provider();
  const bool prepared = now != nullptr && now->hmac == Hmac;
  sqlite3_mutex_leave(master);
  return prepared;
}

uint64_t PreparedPageCipherPages() { return G().pages.load(std::memory_order_relaxed); }

void SetPreparedPageCipherEnabledForTesting(bool enabled) { G().enabled.store(enabled); }

}  // namespace sspf::internal
