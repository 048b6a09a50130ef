// sspf-bench: the raw SHA-256 baselines of log_verify.
#include <sodium.h>

#include <cstring>
#include <utility>
#include <vector>

#ifdef SSPF_BENCH_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

#include "bench.h"
#include "log/audit_log.h"
#include "session/bench_access.h"

namespace sspf::bench {

Leaves CollectLeaves(Session& s) {
  Leaves l;
  l.offsets.push_back(0);
  Must(internal::ForEachEvent(internal::bench::Database(s), 0,
                              [&](const internal::EventRecord& e) {
                                internal::Bytes b = internal::EncodeLeaf(e);
                                l.bytes.insert(l.bytes.end(), b.begin(), b.end());
                                l.offsets.push_back(l.bytes.size());
                                return Status::Ok();
                              }),
       "collect leaves");
  return l;
}

namespace {

Hash SodiumLeaf(const uint8_t* p, size_t n) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const uint8_t zero = 0;
  crypto_hash_sha256_update(&st, &zero, 1);
  crypto_hash_sha256_update(&st, p, n);
  Hash h;
  crypto_hash_sha256_final(&st, h.data());
  return h;
}
Hash SodiumNode(const Hash& l, const Hash& r) {
  uint8_t buf[65];
  buf[0] = 1;
  std::memcpy(buf + 1, l.data(), 32);
  std::memcpy(buf + 33, r.data(), 32);
  Hash h;
  crypto_hash_sha256(h.data(), buf, sizeof(buf));
  return h;
}
#ifdef SSPF_BENCH_HAVE_OPENSSL
// EVP with one reused context and an explicitly fetched digest, as a
// verifier on OpenSSL 3 would write it (the low-level SHA256_* calls are
// deprecated); SHA-NI is used when the CPU has it.
struct Evp {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ~Evp() {
    EVP_MD_free(md);
    EVP_MD_CTX_free(ctx);
  }
};
Evp& TheEvp() {
  static Evp e;
  return e;
}
Hash OpensslLeaf(const uint8_t* p, size_t n) {
  Evp& e = TheEvp();
  const uint8_t zero = 0;
  Hash h;
  EVP_DigestInit_ex(e.ctx, e.md, nullptr);
  EVP_DigestUpdate(e.ctx, &zero, 1);
  EVP_DigestUpdate(e.ctx, p, n);
  EVP_DigestFinal_ex(e.ctx, h.data(), nullptr);
  return h;
}
Hash OpensslNode(const Hash& l, const Hash& r) {
  Evp& e = TheEvp();
  uint8_t buf[65];
  buf[0] = 1;
  std::memcpy(buf + 1, l.data(), 32);
  std::memcpy(buf + 33, r.data(), 32);
  Hash h;
  EVP_DigestInit_ex(e.ctx, e.md, nullptr);
  EVP_DigestUpdate(e.ctx, buf, sizeof(buf));
  EVP_DigestFinal_ex(e.ctx, h.data(), nullptr);
  return h;
}
#endif

// RFC 6962 root over the leaves with a given SHA-256: n leaf hashes and
// n - 1 node hashes, O(log n) memory.  The least a verifier must compute.
template <typename LeafFn, typename NodeFn>
Hash RawRoot(const Leaves& l, LeafFn leaf, NodeFn node) {
  std::vector<std::pair<uint64_t, Hash>> stack;  // (width, hash)
  for (size_t i = 0; i < l.count(); ++i) {
    Hash h = leaf(l.bytes.data() + l.offsets[i], l.offsets[i + 1] - l.offsets[i]);
    uint64_t width = 1;
    while (!stack.empty() && stack.back().first == width) {
      h = node(stack.back().second, h);
      stack.pop_back();
      width *= 2;
    }
    stack.emplace_back(width, h);
  }
  if (stack.empty()) return internal::EmptyRoot();
  Hash acc = stack.back().second;
  for (size_t i = stack.size() - 1; i-- > 0;) acc = node(stack[i].second, acc);
  return acc;
}

}  // namespace

Hash SodiumRoot(const Leaves& l) { return RawRoot(l, SodiumLeaf, SodiumNode); }

#ifdef SSPF_BENCH_HAVE_OPENSSL
Hash OpensslRoot(const Leaves& l) { return RawRoot(l, OpensslLeaf, OpensslNode); }
#endif

}  // namespace sspf::bench
