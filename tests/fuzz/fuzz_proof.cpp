// Copyright (c) libsspf authors.
//
// Fuzzes the Merkle proof verifiers with attacker-chosen sizes, indices,
// roots and proof hashes.  They must never crash, hang or accept a proof
// that differs from the genuine one for a real tree.
//
// Input layout (missing bytes read as zero):
//   byte 0          mode: bit 0 selects raw 64-bit sizes, otherwise small
//                   sizes (1..256) against a real in-memory tree
//   bytes 1..32     four little-endian 64-bit numbers a, b, c, d
//   then            32-byte hashes: leaf, root1, root2, proof...
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "log/merkle.h"

namespace {

using sspf::internal::Hash;
using sspf::internal::MemoryTree;

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{Byte()} << (8 * i);
    return v;
  }
  Hash NextHash() {
    Hash h{};
    for (auto& b : h) b = Byte();
    return h;
  }
  size_t Remaining() const { return size_ - pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

const MemoryTree& Tree() {
  static const MemoryTree* tree = [] {
    auto* t = new MemoryTree;
    for (uint32_t i = 0; i < 256; ++i) {
      const uint8_t b[4] = {uint8_t(i), uint8_t(i >> 8), 0x5a, 0xa5};
      t->AppendLeaf(b, sizeof(b));
    }
    return t;
  }();
  return *tree;
}

void Check(bool ok) {
  if (!ok) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  const uint8_t mode = r.Byte();
  uint64_t a = r.U64();
  uint64_t b = r.U64();
  uint64_t c = r.U64();
  uint64_t d = r.U64();
  const Hash leaf = r.NextHash();
  const Hash root1 = r.NextHash();
  const Hash root2 = r.NextHash();
  std::vector<Hash> proof;
  while (r.Remaining() > 0 && proof.size() < 80) proof.push_back(r.NextHash());

  // Arbitrary values: only the absence of crashes is checked.
  sspf::internal::VerifyInclusion(leaf, a, b, proof, root1).IgnoreError();
  sspf::internal::VerifyConsistency(c, d, root1, root2, proof).IgnoreError();
  if ((mode & 1) != 0) return 0;

  // A real tree: the genuine proofs verify, and a fuzzed proof is accepted
  // only if it equals the genuine one (same sizes, same roots).
  MemoryTree tree = Tree();
  const uint64_t n = b % 256 + 1;
  const uint64_t index = a % n;
  auto leaf_hash = tree.Subtree(0, index);
  auto root = sspf::internal::RootAt(tree, n);
  auto genuine = sspf::internal::InclusionProof(tree, index, n);
  Check(leaf_hash.ok() && root.ok() && genuine.ok());
  Check(sspf::internal::VerifyInclusion(*leaf_hash, index, n, *genuine, *root)
            .ok());
  std::vector<Hash> mixed = *genuine;
  for (size_t i = 0; i < mixed.size() && i < proof.size(); ++i) {
    if ((mode >> (1 + i % 7)) & 1) mixed[i] = proof[i];
  }
  if (sspf::internal::VerifyInclusion(*leaf_hash, index, n, mixed, *root)
          .ok()) {
    Check(mixed == *genuine);
  }

  const uint64_t m = c % (n + 1);
  auto old_root = sspf::internal::RootAt(tree, m);
  auto consistency = sspf::internal::ConsistencyProof(tree, m, n);
  Check(old_root.ok() && consistency.ok());
  Check(sspf::internal::VerifyConsistency(m, n, *old_root, *root,
                                          *consistency)
            .ok());
  mixed = *consistency;
  for (size_t i = 0; i < mixed.size() && i < proof.size(); ++i) {
    if ((mode >> (1 + i % 7)) & 1) mixed[i] = proof[i];
  }
  if (sspf::internal::VerifyConsistency(m, n, *old_root, *root, mixed).ok()) {
    Check(mixed == *consistency);
  }
  return 0;
}
