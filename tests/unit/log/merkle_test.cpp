// Longer than 600 lines on purpose: the RFC 6962 test vectors are inline, next to
// the checks that use them.
// Copyright (c) libsspf authors.
//
// Tests for the RFC 6962 Merkle tree: published test vectors, cross-checks
// against a naive transcription of the RFC's recursive definitions, and
// rejection of corrupted proofs.
#include "log/merkle.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "catch.h"

namespace sspf::internal {
namespace {

std::vector<uint8_t> Unhex(const std::string& s) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  REQUIRE(s.size() % 2 == 0);
  for (size_t i = 0; i < s.size(); i += 2) {
    const int hi = nibble(s[i]);
    const int lo = nibble(s[i + 1]);
    REQUIRE(hi >= 0);
    REQUIRE(lo >= 0);
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

Hash H(const std::string& hex) {
  const std::vector<uint8_t> b = Unhex(hex);
  REQUIRE(b.size() == kHashSize);
  Hash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

std::string Hex(const Hash& h) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : h) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

// ---------------------------------------------------------------------------
// Naive reference: RFC 6962 §2.1 definitions, transcribed recursively over
// a vector of leaf hashes.

uint64_t LargestPow2Below(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash NaiveMth(const std::vector<Hash>& l, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return l[begin];
  const uint64_t k = LargestPow2Below(n);
  return NodeHash(NaiveMth(l, begin, begin + k), NaiveMth(l, begin + k, end));
}

std::vector<Hash> NaivePath(const std::vector<Hash>& l, uint64_t m,
                            uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (n <= 1) return {};
  const uint64_t k = LargestPow2Below(n);
  std::vector<Hash> out;
  if (m < k) {
    out = NaivePath(l, m, begin, begin + k);
    out.push_back(NaiveMth(l, begin + k, end));
  } else {
    out = NaivePath(l, m - k, begin + k, end);
    out.push_back(NaiveMth(l, begin, begin + k));
  }
  return out;
}

std::vector<Hash> NaiveSubproof(const std::vector<Hash>& l, uint64_t m,
                                uint64_t begin, uint64_t end, bool b) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (b) return {};
    return {NaiveMth(l, begin, end)};
  }
  const uint64_t k = LargestPow2Below(n);
  std::vector<Hash> out;
  if (m <= k) {
    out = NaiveSubproof(l, m, begin, begin + k, b);
    out.push_back(NaiveMth(l, begin + k, end));
  } else {
    out = NaiveSubproof(l, m - k, begin + k, end, false);
    out.push_back(NaiveMth(l, begin, begin + k));
  }
  return out;
}

std::vector<Hash> NaiveConsistency(const std::vector<Hash>& l, uint64_t m,
                                   uint64_t n) {
  if (m == 0 || m == n) return {};
  return NaiveSubproof(l, m, 0, n, true);
}

// Wraps a source and counts Subtree() calls, to check the O(log n) bound.
class CountingSource : public SubtreeSource {
 public:
  explicit CountingSource(SubtreeSource& inner) : inner_(inner) {}
  Result<Hash> Subtree(uint32_t level, uint64_t index) override {
    ++calls;
    return inner_.Subtree(level, index);
  }
  int calls = 0;

 private:
  SubtreeSource& inner_;
};

// A virtual tree of any size (up to 2^64 - 1 leaves) whose leaves all have
// the same hash, so every complete subtree at a level has the same hash.
// Lets proofs for huge sizes be built and verified without storage.
class UniformSource : public SubtreeSource {
 public:
  UniformSource() {
    level_hash_[0] = LeafHash(nullptr, 0);
    for (int i = 1; i < 64; ++i) {
      level_hash_[i] = NodeHash(level_hash_[i - 1], level_hash_[i - 1]);
    }
  }
  Result<Hash> Subtree(uint32_t level, uint64_t /*index*/) override {
    if (level >= 64) return InvalidArgument("level");
    return level_hash_[level];
  }
  const Hash& leaf() const { return level_hash_[0]; }

 private:
  Hash level_hash_[64];
};

int BitLen(uint64_t x) {
  int n = 0;
  while (x != 0) {
    ++n;
    x >>= 1;
  }
  return n;
}

// ---------------------------------------------------------------------------
// RFC 6962 / Certificate Transparency reference data, as published in
// transparency-dev/merkle testonly/constants.go and proof/verify_test.go
// (originally google/certificate-transparency merkle_tree_test).

std::vector<std::vector<uint8_t>> RfcLeaves() {
  return {Unhex(""),         Unhex("00"),
          Unhex("10"),       Unhex("2021"),
          Unhex("3031"),     Unhex("40414243"),
          Unhex("5051525354555657"),
          Unhex("606162636465666768696a6b6c6d6e6f")};
}

const char* const kRfcRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// NodeHashes()[level][index] of the 8-leaf reference tree.
const std::vector<std::vector<const char*>> kRfcNodes = {
    {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
     "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
     "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
     "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
     "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
    {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
     "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
    {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
    {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
};

struct ProofVector {
  uint64_t a;  // leaf index (0-based) or old size
  uint64_t b;  // tree size or new size
  std::vector<const char*> proof;
};

// verify_test.go lists leaves 1-based; converted to 0-based indices here.
const std::vector<ProofVector> kRfcInclusion = {
    {0, 8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5, 8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3,
     {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1, 5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {0, 1, {}},
};

const std::vector<ProofVector> kRfcConsistency = {
    {1, 1, {}},
    {1, 8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6, 8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6, 7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::vector<Hash> ToHashes(const std::vector<const char*>& hex) {
  std::vector<Hash> out;
  for (const char* h : hex) out.push_back(H(h));
  return out;
}

MemoryTree RfcTree(uint64_t size) {
  MemoryTree t;
  const auto leaves = RfcLeaves();
  for (uint64_t i = 0; i < size; ++i) {
    t.AppendLeaf(leaves[i].data(), leaves[i].size());
  }
  return t;
}

// Every single-point corruption of a valid inclusion proof must be rejected.
void ExpectInclusionRejections(const Hash& leaf, uint64_t index, uint64_t size,
                               const std::vector<Hash>& proof,
                               const Hash& root) {
  INFO("index " << index << " size " << size);
  if (index > 0) {
    CHECK_FALSE(VerifyInclusion(leaf, index - 1, size, proof, root).ok());
  }
  if (index + 1 < size) {
    CHECK_FALSE(VerifyInclusion(leaf, index + 1, size, proof, root).ok());
  }
  CHECK_FALSE(VerifyInclusion(leaf, index ^ 2, size, proof, root).ok());
  // A proof does not by itself bind the tree size (size + 1 can share the
  // same path shape); the size comes from the signed checkpoint.  Sizes that
  // change the tree height must fail.
  CHECK_FALSE(VerifyInclusion(leaf, index, size * 2, proof, root).ok());
  CHECK_FALSE(VerifyInclusion(leaf, index, size / 2, proof, root).ok());
  Hash bad_leaf = leaf;
  bad_leaf[31] ^= 1;
  CHECK_FALSE(VerifyInclusion(bad_leaf, index, size, proof, root).ok());
  Hash bad_root = root;
  bad_root[0] ^= 0x80;
  CHECK_FALSE(VerifyInclusion(leaf, index, size, proof, bad_root).ok());
  CHECK_FALSE(VerifyInclusion(leaf, index, size, proof, EmptyRoot()).ok());

  std::vector<Hash> longer = proof;
  longer.push_back(root);
  CHECK(VerifyInclusion(leaf, index, size, longer, root).code() ==
        StatusCode::kInvalidArgument);
  std::vector<Hash> prefixed = proof;
  prefixed.insert(prefixed.begin(), Hash{});
  CHECK_FALSE(VerifyInclusion(leaf, index, size, prefixed, root).ok());
  if (!proof.empty()) {
    std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
    CHECK(VerifyInclusion(leaf, index, size, shorter, root).code() ==
          StatusCode::kInvalidArgument);
  }
  for (size_t i = 0; i < proof.size(); ++i) {
    for (size_t byte : {size_t{0}, size_t{17}, size_t{31}}) {
      std::vector<Hash> flipped = proof;
      flipped[i][byte] ^= 0x08;
      const Status s = VerifyInclusion(leaf, index, size, flipped, root);
      CHECK(s.code() == StatusCode::kIntegrityViolation);
    }
  }
}

void ExpectConsistencyRejections(uint64_t m, uint64_t n, const Hash& r1,
                                 const Hash& r2,
                                 const std::vector<Hash>& proof) {
  INFO("old " << m << " new " << n);
  CHECK_FALSE(VerifyConsistency(m - 1, n, r1, r2, proof).ok());
  CHECK_FALSE(VerifyConsistency(m + 1, n, r1, r2, proof).ok());
  CHECK_FALSE(VerifyConsistency(m ^ 2, n, r1, r2, proof).ok());
  // As for inclusion, n +- 1 may legitimately share the proof's shape.
  CHECK_FALSE(VerifyConsistency(m, n * 2, r1, r2, proof).ok());
  CHECK_FALSE(VerifyConsistency(m, n / 2, r1, r2, proof).ok());
  CHECK_FALSE(VerifyConsistency(m, n, r2, r1, proof).ok());
  Hash bad = r1;
  bad[5] ^= 1;
  CHECK_FALSE(VerifyConsistency(m, n, bad, r2, proof).ok());
  bad = r2;
  bad[5] ^= 1;
  CHECK_FALSE(VerifyConsistency(m, n, r1, bad, proof).ok());
  CHECK(VerifyConsistency(m, n, r1, r2, {}).code() ==
        StatusCode::kInvalidArgument);
  std::vector<Hash> longer = proof;
  longer.push_back(r2);
  CHECK(VerifyConsistency(m, n, r1, r2, longer).code() ==
        StatusCode::kInvalidArgument);
  std::vector<Hash> prefixed = proof;
  prefixed.insert(prefixed.begin(), r1);
  CHECK_FALSE(VerifyConsistency(m, n, r1, r2, prefixed).ok());
  std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
  CHECK(VerifyConsistency(m, n, r1, r2, shorter).code() ==
        StatusCode::kInvalidArgument);
  for (size_t i = 0; i < proof.size(); ++i) {
    std::vector<Hash> flipped = proof;
    flipped[i][9] ^= 0x10;
    CHECK(VerifyConsistency(m, n, r1, r2, flipped).code() ==
          StatusCode::kIntegrityViolation);
  }
}

TEST_CASE("hash primitives follow RFC 6962", "[merkle]") {
  CHECK(Hex(EmptyRoot()) == kRfcRoots[0]);
  // Leaf hash of the empty leaf is SHA-256(0x00).
  CHECK(Hex(LeafHash(nullptr, 0)) == kRfcRoots[1]);
  const auto leaves = RfcLeaves();
  CHECK(Hex(NodeHash(LeafHash(leaves[0].data(), 0),
                     LeafHash(leaves[1].data(), 1))) == kRfcRoots[2]);
}

TEST_CASE("roots of the reference tree match the published vectors",
          "[merkle]") {
  for (uint64_t n = 0; n <= 8; ++n) {
    MemoryTree t = RfcTree(n);
    REQUIRE(t.Size() == n);
    CHECK(Hex(t.Root()) == kRfcRoots[n]);
    auto root = RootAt(t, n);
    REQUIRE(root.ok());
    CHECK(Hex(*root) == kRfcRoots[n]);

    StreamingRoot s;
    const auto leaves = RfcLeaves();
    for (uint64_t i = 0; i < n; ++i) {
      s.Append(LeafHash(leaves[i].data(), leaves[i].size()));
    }
    CHECK(s.Size() == n);
    CHECK(Hex(s.Root()) == kRfcRoots[n]);
  }
  // Earlier roots are computable from the full tree's stored subtrees.
  MemoryTree full = RfcTree(8);
  for (uint64_t n = 0; n <= 8; ++n) {
    auto root = RootAt(full, n);
    REQUIRE(root.ok());
    CHECK(Hex(*root) == kRfcRoots[n]);
  }
}

TEST_CASE("stored complete subtrees match the published node hashes",
          "[merkle]") {
  MemoryTree t = RfcTree(8);
  for (uint32_t level = 0; level < kRfcNodes.size(); ++level) {
    for (uint64_t i = 0; i < kRfcNodes[level].size(); ++i) {
      auto h = t.Subtree(level, i);
      REQUIRE(h.ok());
      CHECK(Hex(*h) == kRfcNodes[level][i]);
    }
  }
  CHECK(t.Subtree(0, 8).status().code() == StatusCode::kNotFound);
  CHECK(t.Subtree(4, 0).status().code() == StatusCode::kNotFound);
}

TEST_CASE("inclusion proofs match the published vectors", "[merkle]") {
  const auto leaves = RfcLeaves();
  for (const ProofVector& v : kRfcInclusion) {
    INFO("index " << v.a << " size " << v.b);
    MemoryTree t = RfcTree(v.b);
    auto proof = InclusionProof(t, v.a, v.b);
    REQUIRE(proof.ok());
    const std::vector<Hash> want = ToHashes(v.proof);
    CHECK(*proof == want);
    const Hash leaf = LeafHash(leaves[v.a].data(), leaves[v.a].size());
    const Hash root = H(kRfcRoots[v.b]);
    CHECK(VerifyInclusion(leaf, v.a, v.b, want, root).ok());
    ExpectInclusionRejections(leaf, v.a, v.b, want, root);
    // The same proofs come out of a larger tree's stored subtrees.
    MemoryTree full = RfcTree(8);
    auto again = InclusionProof(full, v.a, v.b);
    REQUIRE(again.ok());
    CHECK(*again == want);
  }
}

TEST_CASE("consistency proofs match the published vectors", "[merkle]") {
  MemoryTree full = RfcTree(8);
  for (const ProofVector& v : kRfcConsistency) {
    INFO("old " << v.a << " new " << v.b);
    auto proof = ConsistencyProof(full, v.a, v.b);
    REQUIRE(proof.ok());
    const std::vector<Hash> want = ToHashes(v.proof);
    CHECK(*proof == want);
    const Hash r1 = H(kRfcRoots[v.a]);
    const Hash r2 = H(kRfcRoots[v.b]);
    CHECK(VerifyConsistency(v.a, v.b, r1, r2, want).ok());
    if (!want.empty()) ExpectConsistencyRejections(v.a, v.b, r1, r2, want);
  }
}

TEST_CASE("verifiers handle trivial and malformed cases", "[merkle]") {
  const Hash some = H(
      "abacaba000000000000000000000000000000000000000000060061e00123456");
  const Hash empty = EmptyRoot();
  // Inclusion: index must be below size.
  CHECK(VerifyInclusion(some, 0, 0, {}, empty).code() ==
        StatusCode::kInvalidArgument);
  CHECK(VerifyInclusion(some, 1, 1, {}, some).code() ==
        StatusCode::kInvalidArgument);
  CHECK(VerifyInclusion(some, 0, 1, {}, some).ok());
  CHECK(VerifyInclusion(some, 0, 1, {}, empty).code() ==
        StatusCode::kIntegrityViolation);
  CHECK(VerifyInclusion(some, UINT64_MAX, UINT64_MAX, {}, some).code() ==
        StatusCode::kInvalidArgument);

  // Consistency.
  CHECK(VerifyConsistency(0, 0, empty, empty, {}).ok());
  CHECK(VerifyConsistency(0, 5, empty, some, {}).ok());
  CHECK(VerifyConsistency(0, 5, some, some, {}).code() ==
        StatusCode::kIntegrityViolation);
  CHECK(VerifyConsistency(0, 5, empty, some, {some}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(VerifyConsistency(3, 3, some, some, {}).ok());
  CHECK(VerifyConsistency(3, 3, some, empty, {}).code() ==
        StatusCode::kIntegrityViolation);
  CHECK(VerifyConsistency(3, 3, some, some, {some}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(VerifyConsistency(4, 3, some, some, {}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(VerifyConsistency(1, 2, some, some, {}).code() ==
        StatusCode::kInvalidArgument);
  // 64 hashes is the right length for this pair, 65 is not.
  CHECK(VerifyConsistency(UINT64_MAX - 1, UINT64_MAX, some, some,
                          std::vector<Hash>(64, some))
            .code() == StatusCode::kIntegrityViolation);
  CHECK(VerifyConsistency(UINT64_MAX - 1, UINT64_MAX, some, some,
                          std::vector<Hash>(65, some))
            .code() == StatusCode::kInvalidArgument);
  CHECK(VerifyConsistency(UINT64_MAX, UINT64_MAX, some, some, {}).ok());

  // Proof builders reject bad ranges.
  MemoryTree t = RfcTree(3);
  CHECK(InclusionProof(t, 3, 3).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(ConsistencyProof(t, 3, 2).status().code() ==
        StatusCode::kInvalidArgument);
  // Asking beyond the stored tree reports the source's error.
  CHECK(InclusionProof(t, 0, 4).status().code() == StatusCode::kNotFound);
  CHECK(RootAt(t, 5).status().code() == StatusCode::kNotFound);
}

TEST_CASE("random trees agree with the naive RFC definitions", "[merkle]") {
  std::mt19937_64 rng(20240611);
  std::vector<Hash> leaves;
  MemoryTree tree;
  StreamingRoot streaming;
  const uint64_t kMax = 300;
  for (uint64_t i = 0; i < kMax; ++i) {
    std::vector<uint8_t> data(rng() % 40);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    leaves.push_back(LeafHash(data.data(), data.size()));
    tree.AppendLeaf(data.data(), data.size());
    streaming.Append(leaves.back());
    REQUIRE(streaming.Root() == NaiveMth(leaves, 0, leaves.size()));
  }
  REQUIRE(tree.Size() == kMax);

  std::vector<uint64_t> sizes;
  for (uint64_t n = 1; n <= 70; ++n) sizes.push_back(n);
  for (uint64_t n : {100, 127, 128, 129, 200, 255, 256, 257, 299, 300}) {
    sizes.push_back(n);
  }
  std::vector<Hash> roots(kMax + 1);
  for (uint64_t n = 0; n <= kMax; ++n) {
    roots[n] = NaiveMth(leaves, 0, n);
    auto root = RootAt(tree, n);
    REQUIRE(root.ok());
    REQUIRE(*root == roots[n]);
  }

  size_t proofs_checked = 0;
  for (uint64_t n : sizes) {
    for (uint64_t i = 0; i < n; ++i) {
      CountingSource counting(tree);
      auto proof = InclusionProof(counting, i, n);
      REQUIRE(proof.ok());
      CHECK(counting.calls <= 2 * BitLen(n) + 2);
      REQUIRE(*proof == NaivePath(leaves, i, 0, n));
      REQUIRE(VerifyInclusion(leaves[i], i, n, *proof, roots[n]).ok());
      ++proofs_checked;
      if (n <= 40 || i % 37 == 0) {
        ExpectInclusionRejections(leaves[i], i, n, *proof, roots[n]);
      }
    }
    // All old sizes for the small trees and every old size for the listed
    // large ones.
    for (uint64_t m = 0; m <= n; ++m) {
      CountingSource counting(tree);
      auto proof = ConsistencyProof(counting, m, n);
      REQUIRE(proof.ok());
      CHECK(counting.calls <= 2 * BitLen(n) + 2);
      REQUIRE(*proof == NaiveConsistency(leaves, m, n));
      REQUIRE(VerifyConsistency(m, n, roots[m], roots[n], *proof).ok());
      ++proofs_checked;
      if (!proof->empty() && (n <= 40 || m % 23 == 0)) {
        ExpectConsistencyRejections(m, n, roots[m], roots[n], *proof);
      }
    }
  }
  CHECK(proofs_checked > 9000);
}

TEST_CASE("CompletedByAppend reports every completed subtree", "[merkle]") {
  MemoryTree tree;
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < 64; ++i) {
    const uint8_t byte = static_cast<uint8_t>(i);
    const Hash leaf = LeafHash(&byte, 1);
    CountingSource counting(tree);
    auto done = CompletedByAppend(counting, i, leaf);
    REQUIRE(done.ok());
    // One entry for the leaf plus one per trailing one bit of i.
    int trailing_ones = 0;
    for (uint64_t x = i; (x & 1) != 0; x >>= 1) ++trailing_ones;
    REQUIRE(done->size() == static_cast<size_t>(trailing_ones + 1));
    CHECK(counting.calls == trailing_ones);
    leaves.push_back(leaf);
    for (const SubtreeHash& s : *done) {
      const uint64_t begin = s.index << s.level;
      const uint64_t end = begin + (uint64_t{1} << s.level);
      CHECK(end == i + 1);
      CHECK(s.hash == NaiveMth(leaves, begin, end));
    }
    tree.Append(leaf);
  }
  CHECK(CompletedByAppend(tree, UINT64_MAX, Hash{}).status().code() ==
        StatusCode::kInvalidArgument);
  // A source missing a needed sibling propagates its error.
  MemoryTree empty;
  CHECK(CompletedByAppend(empty, 1, Hash{}).status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("proofs work for sizes near 2^64", "[merkle]") {
  UniformSource uniform;
  const uint64_t big[] = {uint64_t{1} << 63, (uint64_t{1} << 63) + 1,
                          UINT64_MAX - 1, UINT64_MAX, 0xdeadbeefcafe1234};
  for (uint64_t n : big) {
    CountingSource counting(uniform);
    auto root = RootAt(counting, n);
    REQUIRE(root.ok());
    CHECK(counting.calls == __builtin_popcountll(n));
    for (uint64_t i : {uint64_t{0}, n / 3, n / 2, n - 2, n - 1}) {
      auto proof = InclusionProof(uniform, i, n);
      REQUIRE(proof.ok());
      CHECK(VerifyInclusion(uniform.leaf(), i, n, *proof, *root).ok());
    }
    for (uint64_t m : {uint64_t{1}, uint64_t{2}, uint64_t{7}, n / 2, n - 1}) {
      auto old_root = RootAt(uniform, m);
      REQUIRE(old_root.ok());
      auto proof = ConsistencyProof(uniform, m, n);
      REQUIRE(proof.ok());
      CHECK(VerifyConsistency(m, n, *old_root, *root, *proof).ok());
    }
  }
}

TEST_CASE("StreamingRoot keeps a frontier of at most 64 hashes", "[merkle]") {
  StreamingRoot s;
  CHECK(s.Root() == EmptyRoot());
  MemoryTree t;
  for (int i = 0; i < 1000; ++i) {
    const uint8_t b[2] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)};
    s.Append(LeafHash(b, 2));
    t.AppendLeaf(b, 2);
  }
  CHECK(s.Size() == 1000);
  CHECK(s.Root() == t.Root());
}

}  // namespace
}  // namespace sspf::internal
