// Copyright (c) libsspf authors.
#include "log/merkle.h"

// The low-level SHA256_* interface is deprecated in OpenSSL 3 in favour of
// EVP, whose per-call context setup costs more than hashing a 200-byte leaf.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cstring>

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

namespace sspf::internal {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

// Number of significant bits of x (0 for x == 0).
int BitLength(uint64_t x) { return x == 0 ? 0 : 64 - __builtin_clzll(x); }

// Largest power of two strictly smaller than n.  REQUIRES: n >= 2.
uint64_t SplitPoint(uint64_t n) {
  return uint64_t{1} << (BitLength(n - 1) - 1);
}

bool IsPowerOfTwo(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

// MTH(D[begin:end]) for a range whose start is aligned to a power of two at
// least as large as the range.  That holds for every range a proof needs:
// complete subtrees and pieces of the right edge of the tree.  The range
// then splits into the complete subtrees given by the set bits of its
// length, largest first, and RFC 6962 hashes them right to left.
Result<Hash> RangeHash(SubtreeSource& source, uint64_t begin, uint64_t end) {
  assert(begin < end);
  const uint64_t length = end - begin;
  std::vector<Hash> parts;
  uint64_t offset = begin;
  for (int level = BitLength(length) - 1; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((length & width) == 0) continue;
    SSPF_ASSIGN_OR_RETURN(Hash h, source.Subtree(static_cast<uint32_t>(level),
                                                 offset >> level));
    parts.push_back(h);
    offset += width;
  }
  Hash acc = parts.back();
  for (size_t i = parts.size() - 1; i-- > 0;) acc = NodeHash(parts[i], acc);
  return acc;
}

// Expected audit-path length for (index, size), split as in RFC 9162
// §2.1.3.2: `inner` levels below the point where the leaf's path leaves the
// right edge, plus one sibling per left subtree on the right edge above it.
// Computing it up front lets malformed proofs be told apart from forged ones.
void DecomposeInclusion(uint64_t index, uint64_t size, int* inner,
                        int* border) {
  *inner = BitLength(index ^ (size - 1));
  *border = *inner >= 64 ? 0 : __builtin_popcountll(index >> *inner);
}

std::string Num(uint64_t v) { return std::to_string(v); }

}  // namespace

Hash LeafHash(const uint8_t* data, size_t size) {
  SHA256_CTX st;
  SHA256_Init(&st);
  SHA256_Update(&st, &kLeafPrefix, 1);
  if (size > 0) SHA256_Update(&st, data, size);
  Hash out;
  SHA256_Final(out.data(), &st);
  return out;
}

// One-shot SHA256() goes through EVP (a digest fetch and a context per
// call): 0.46 us per node hash against 0.21 us this way (docs/performance.md).
Hash NodeHash(const Hash& left, const Hash& right) {
  uint8_t buf[1 + 2 * kHashSize];
  buf[0] = kNodePrefix;
  std::memcpy(buf + 1, left.data(), kHashSize);
  std::memcpy(buf + 1 + kHashSize, right.data(), kHashSize);
  SHA256_CTX st;
  SHA256_Init(&st);
  SHA256_Update(&st, buf, sizeof buf);
  Hash out;
  SHA256_Final(out.data(), &st);
  return out;
}

Hash EmptyRoot() {
  SHA256_CTX st;
  SHA256_Init(&st);
  Hash out;
  SHA256_Final(out.data(), &st);
  return out;
}

Result<Hash> RootAt(SubtreeSource& source, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return RangeHash(source, 0, size);
}

Result<std::vector<Hash>> InclusionProof(SubtreeSource& source,
                                         uint64_t index, uint64_t size) {
  if (index >= size) {
    return InvalidArgument("inclusion proof: index " + Num(index) +
                           " not below tree size " + Num(size));
  }
  // Walk from the root down to the leaf (the RFC's recursion unrolled), so
  // siblings come out top-down; the proof lists them bottom-up.
  std::vector<Hash> proof;
  uint64_t lo = 0;
  uint64_t hi = size;
  while (hi - lo > 1) {
    const uint64_t k = SplitPoint(hi - lo);
    if (index < lo + k) {
      SSPF_ASSIGN_OR_RETURN(Hash right, RangeHash(source, lo + k, hi));
      proof.push_back(right);
      hi = lo + k;
    } else {
      SSPF_ASSIGN_OR_RETURN(Hash left, RangeHash(source, lo, lo + k));
      proof.push_back(left);
      lo += k;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(SubtreeSource& source,
                                           uint64_t old_size,
                                           uint64_t new_size) {
  if (old_size > new_size) {
    return InvalidArgument("consistency proof: old size " + Num(old_size) +
                           " exceeds new size " + Num(new_size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) return proof;

  // RFC 6962 SUBPROOF unrolled; `m` is old_size relative to `lo`, and
  // `whole` is the RFC's flag b (still on the left edge of the old tree).
  uint64_t lo = 0;
  uint64_t hi = new_size;
  uint64_t m = old_size;
  bool whole = true;
  while (m != hi - lo) {
    const uint64_t k = SplitPoint(hi - lo);
    if (m <= k) {
      SSPF_ASSIGN_OR_RETURN(Hash right, RangeHash(source, lo + k, hi));
      proof.push_back(right);
      hi = lo + k;
    } else {
      SSPF_ASSIGN_OR_RETURN(Hash left, RangeHash(source, lo, lo + k));
      proof.push_back(left);
      lo += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) {
    SSPF_ASSIGN_OR_RETURN(Hash node, RangeHash(source, lo, hi));
    proof.push_back(node);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                       const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) {
    return InvalidArgument("inclusion proof: index " + Num(index) +
                           " not below tree size " + Num(size));
  }
  int inner = 0;
  int border = 0;
  DecomposeInclusion(index, size, &inner, &border);
  const size_t want = static_cast<size_t>(inner + border);
  if (proof.size() != want) {
    return InvalidArgument("inclusion proof for index " + Num(index) +
                           " in size " + Num(size) + " has " +
                           Num(proof.size()) + " hashes, expected " +
                           Num(want));
  }

  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return IntegrityViolation("inclusion proof too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return IntegrityViolation("inclusion proof too short");
  if (r != root) {
    return IntegrityViolation("inclusion proof for index " + Num(index) +
                              " in size " + Num(size) +
                              " does not lead to the expected root");
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size,
                         const Hash& old_root, const Hash& new_root,
                         const std::vector<Hash>& proof) {
  if (old_size > new_size) {
    return InvalidArgument("consistency proof: old size " + Num(old_size) +
                           " exceeds new size " + Num(new_size));
  }
  if (old_size == new_size) {
    if (!proof.empty()) {
      return InvalidArgument("consistency proof between equal sizes must be "
                             "empty");
    }
    if (old_root != new_root) {
      return IntegrityViolation("different roots for the same tree size " +
                                Num(old_size));
    }
    return Status::Ok();
  }
  if (old_size == 0) {
    if (!proof.empty()) {
      return InvalidArgument("consistency proof from size 0 must be empty");
    }
    if (old_root != EmptyRoot()) {
      return IntegrityViolation("root of size 0 is not the empty-tree hash");
    }
    return Status::Ok();
  }

  // Expected length: the inclusion path of the old tree's last leaf minus
  // the levels inside the largest complete subtree ending there, plus that
  // subtree's own hash unless it is the whole old tree (then the verifier
  // already knows it as old_root).
  const int level = __builtin_ctzll(old_size);
  int inner = 0;
  int border = 0;
  DecomposeInclusion(old_size - 1, new_size, &inner, &border);
  const bool old_is_subtree = IsPowerOfTwo(old_size);
  const int want_int = inner - level + border + (old_is_subtree ? 0 : 1);
  const size_t want = want_int < 0 ? 0 : static_cast<size_t>(want_int);
  if (proof.size() != want || want == 0) {
    return InvalidArgument("consistency proof from size " + Num(old_size) +
                           " to " + Num(new_size) + " has " +
                           Num(proof.size()) + " hashes, expected " +
                           Num(want));
  }

  // RFC 9162 §2.1.4.2.
  size_t next = 0;
  Hash fr;
  if (old_is_subtree) {
    fr = old_root;
  } else {
    fr = proof[0];
    next = 1;
  }
  Hash sr = fr;
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return IntegrityViolation("consistency proof too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return IntegrityViolation("consistency proof too short");
  if (fr != old_root) {
    return IntegrityViolation("consistency proof from size " + Num(old_size) +
                              " does not match the old root");
  }
  if (sr != new_root) {
    return IntegrityViolation("consistency proof to size " + Num(new_size) +
                              " does not match the new root");
  }
  return Status::Ok();
}

Result<std::vector<SubtreeHash>> CompletedByAppend(SubtreeSource& source,
                                                   uint64_t leaf_index,
                                                   const Hash& leaf_hash) {
  if (leaf_index == UINT64_MAX) {
    return InvalidArgument("tree is full");
  }
  std::vector<SubtreeHash> out;
  out.push_back(SubtreeHash{0, leaf_index, leaf_hash});
  // The subtree at `level` containing the new leaf is complete exactly when
  // the leaf is its last one, i.e. while the low bits of the index are ones.
  uint64_t index = leaf_index;
  uint32_t level = 0;
  Hash acc = leaf_hash;
  while ((index & 1) != 0) {
    SSPF_ASSIGN_OR_RETURN(Hash left, source.Subtree(level, index - 1));
    acc = NodeHash(left, acc);
    index >>= 1;
    ++level;
    out.push_back(SubtreeHash{level, index, acc});
  }
  return out;
}

void MemoryTree::Append(const Hash& leaf_hash) {
  auto completed = CompletedByAppend(*this, Size(), leaf_hash);
  // Cannot fail: this tree holds every complete subtree it has.
  assert(completed.ok());
  if (!completed.ok()) return;
  for (const SubtreeHash& s : *completed) {
    if (levels_.size() <= s.level) levels_.resize(s.level + 1);
    assert(levels_[s.level].size() == s.index);
    levels_[s.level].push_back(s.hash);
  }
}

Hash MemoryTree::Root() {
  auto root = RootAt(*this, Size());
  assert(root.ok());
  return root.ok() ? *root : Hash{};
}

Result<Hash> MemoryTree::Subtree(uint32_t level, uint64_t index) {
  if (level >= levels_.size() || index >= levels_[level].size()) {
    return NotFound("no complete subtree at level " + Num(level) +
                    " index " + Num(index));
  }
  return levels_[level][index];
}

void StreamingRoot::Append(const Hash& leaf_hash) {
  assert(size_ != UINT64_MAX);
  Hash acc = leaf_hash;
  // Each trailing one bit of the old size is a frontier subtree of the same
  // width as `acc`; merging them mirrors binary carry propagation.
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    acc = NodeHash(frontier_.back(), acc);
    frontier_.pop_back();
  }
  frontier_.push_back(acc);
  ++size_;
}

Hash StreamingRoot::Root() const {
  if (frontier_.empty()) return EmptyRoot();
  Hash acc = frontier_.back();
  for (size_t i = frontier_.size() - 1; i-- > 0;) {
    acc = NodeHash(frontier_[i], acc);
  }
  return acc;
}

}  // namespace sspf::internal
