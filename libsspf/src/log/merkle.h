// Copyright (c) libsspf authors.
//
// The Merkle hash tree of the access log, hashed exactly as RFC 6962 §2.1 /
// RFC 9162 §2.1 (C2SP merkle-tree):
//
//   leaf hash  = SHA-256(0x00 || leaf bytes)
//   node hash  = SHA-256(0x01 || left || right)
//   empty root = SHA-256("")
//
// Proofs produced here are byte-identical to those of other RFC 6962
// implementations (Certificate Transparency, transparency-dev/merkle), and
// the verifiers accept exactly what RFC 9162 §2.1.3.2 / §2.1.4.2 accept.
//
// Storage model: a "complete subtree" (level L, index i) is the perfect
// subtree over leaves [i * 2^L, (i + 1) * 2^L).  The database layer stores
// the hash of every complete subtree (CompletedByAppend tells it which ones
// an append creates) and exposes them through SubtreeSource.  RootAt and the
// proof builders then need only O(log n) Subtree() calls.
//
// This header is private (libsspf/src) and does not include <sodium.h>.
#ifndef SSPF_SRC_MERKLE_H_
#define SSPF_SRC_MERKLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sspf/status.h"

namespace sspf::internal {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

// The deepest level a tree of at most 2^64 - 1 leaves can have a complete
// subtree at.
inline constexpr uint32_t kMaxSubtreeLevel = 63;

// RFC 6962 leaf hash of the `size` bytes at `data` (data may be null when
// size is 0).
Hash LeafHash(const uint8_t* data, size_t size);
// RFC 6962 interior node hash.
Hash NodeHash(const Hash& left, const Hash& right);
// Root of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// Read access to the hashes of complete subtrees.
//
// Thread-safety: defined by the implementation; the functions below call
// Subtree() sequentially from the calling thread only.
class SubtreeSource {
 public:
  virtual ~SubtreeSource() = default;

  // Returns the hash of the complete subtree at `level` covering leaves
  // [index * 2^level, (index + 1) * 2^level).  Level 0 is a leaf hash.
  // Returns kNotFound if that subtree is not (yet) complete or not stored,
  // or any other error of the underlying storage, which is passed through.
  virtual Result<Hash> Subtree(uint32_t level, uint64_t index) = 0;
};

// Root hash of the first `size` leaves (EmptyRoot() for size 0).
// O(log size) Subtree() calls.  Errors: those of `source`.
Result<Hash> RootAt(SubtreeSource& source, uint64_t size);

// Audit path (RFC 6962 §2.1.1 PATH / RFC 9162 §2.1.3.1) for leaf `index` in
// the tree of the first `size` leaves, ordered from the leaf's sibling up to
// the root's child.  O(log size) Subtree() calls.
// Errors: kInvalidArgument if index >= size; those of `source`.
Result<std::vector<Hash>> InclusionProof(SubtreeSource& source,
                                         uint64_t index, uint64_t size);

// Consistency proof (RFC 6962 §2.1.2 PROOF / RFC 9162 §2.1.4.1) that the
// tree of `old_size` leaves is a prefix of the tree of `new_size` leaves.
// Empty when old_size == 0 or old_size == new_size.  O(log new_size)
// Subtree() calls.
// Errors: kInvalidArgument if old_size > new_size; those of `source`.
Result<std::vector<Hash>> ConsistencyProof(SubtreeSource& source,
                                           uint64_t old_size,
                                           uint64_t new_size);

// Verifies an inclusion proof (RFC 9162 §2.1.3.2).  Pure; safe on any
// (adversarial) input, runs in O(proof.size()) and never loops.
// Errors: kInvalidArgument if index >= size or the proof has the wrong
// length for (index, size); kIntegrityViolation if the recomputed root does
// not equal `root`.
Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                       const std::vector<Hash>& proof, const Hash& root);

// Verifies a consistency proof (RFC 9162 §2.1.4.2).  Pure; safe on any
// input.  Stricter than RFC 9162 in two trivial cases, which it leaves to
// the caller: old_size == 0 additionally requires old_root == EmptyRoot(),
// and old_size == new_size requires old_root == new_root and an empty proof.
// Errors: kInvalidArgument if old_size > new_size or the proof has the wrong
// length; kIntegrityViolation if either recomputed root does not match.
Status VerifyConsistency(uint64_t old_size, uint64_t new_size,
                         const Hash& old_root, const Hash& new_root,
                         const std::vector<Hash>& proof);

// One complete subtree, as stored by the database layer.
struct SubtreeHash {
  uint32_t level = 0;
  uint64_t index = 0;
  Hash hash{};

  bool operator==(const SubtreeHash& o) const {
    return level == o.level && index == o.index && hash == o.hash;
  }
};

// Appending the leaf with hash `leaf_hash` at position `leaf_index` (the
// current tree size) completes exactly the subtrees returned here, in
// increasing level order: the leaf itself (level 0, index leaf_index) and
// every ancestor whose leaf range ends at leaf_index.  Reads the left
// siblings it needs from `source` (one Subtree() call per returned entry
// after the first), which must therefore hold every complete subtree of the
// tree of leaf_index leaves.  The caller stores the returned hashes.
// Errors: kInvalidArgument if leaf_index == UINT64_MAX; those of `source`.
Result<std::vector<SubtreeHash>> CompletedByAppend(SubtreeSource& source,
                                                   uint64_t leaf_index,
                                                   const Hash& leaf_hash);

// A SubtreeSource held in memory (every complete subtree, level by level).
// For tests and tools; the store uses its own table.
//
// Thread-safety: not thread-safe; const use from several threads is fine.
class MemoryTree : public SubtreeSource {
 public:
  MemoryTree() = default;

  // Appends a leaf by its hash (see LeafHash) / by its bytes.
  void Append(const Hash& leaf_hash);
  void AppendLeaf(const uint8_t* data, size_t size) {
    Append(LeafHash(data, size));
  }

  uint64_t Size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // Root of the whole tree.
  Hash Root();

  Result<Hash> Subtree(uint32_t level, uint64_t index) override;

 private:
  std::vector<std::vector<Hash>> levels_;
};

// Computes the root of a tree one leaf at a time in O(log n) memory: it
// keeps only the "frontier", one complete-subtree hash per set bit of the
// size (at most 64).  Used to verify a whole log of 10^6+ leaves while
// streaming it from storage.
//
// Thread-safety: a value; not safe for concurrent mutation.
class StreamingRoot {
 public:
  StreamingRoot() = default;

  // REQUIRES: Size() < UINT64_MAX.
  void Append(const Hash& leaf_hash);
  uint64_t Size() const { return size_; }
  // Root of the leaves appended so far (EmptyRoot() if none).
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  // frontier_[i] is the i-th complete subtree from the left; the sizes are
  // the set bits of size_, largest first.
  std::vector<Hash> frontier_;
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_MERKLE_H_
