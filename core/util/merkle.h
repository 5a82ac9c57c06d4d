// The Merkle tree over the log, exactly as RFC 6962 (section 2.1) and RFC 9162
// (section 2.1) define it, and its proofs.
//
//   leaf_hash(d)   := SHA-256(0x00 || d)        d = the record bytes (core/log/record_format.h)
//   node_hash(l,r) := SHA-256(0x01 || l || r)
//   MTH({})        := SHA-256()                 (the empty string)
//   MTH(D[n])      := leaf_hash(d0)                        for n = 1
//                   := node_hash(MTH(D[0:k]), MTH(D[k:n]))  k = largest power of 2 < n
//
// Storage-independent: proofs are computed from the hashes of PERFECT
// subtrees, read through a NodeReader. The perfect subtree (level, index)
// covers leaves [index * 2^level, (index + 1) * 2^level); level 0 is the leaf
// hashes. Any subtree hash the RFC recursion needs is a fold of at most
// log2(n) + 1 perfect subtrees, so a root or a proof for any size costs
// O(log n) reads.
//
// The Verify* functions need nothing but their arguments (no database): the
// offline auditor tools (`ledger verify-proof`, `ledger verify-bundle`) use
// them. All functions are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "core/util/sha256.h"
#include "events/status.h"

namespace ledger::core {

// A perfect subtree of the Merkle tree (below): leaves
// [index * 2^level, (index + 1) * 2^level).
struct TreeNodeId {
  uint8_t level = 0;
  uint64_t index = 0;
};

}  // namespace ledger::core

namespace ledger::core::merkle {

Hash LeafHash(std::string_view leaf);
Hash NodeHash(const Hash& left, const Hash& right);
// MTH of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// Reads the hash of the perfect subtree (level, index), which lies wholly
// inside the tree being proved. An error is passed up unchanged.
using NodeReader = std::function<Result<Hash>(uint8_t level, uint64_t index)>;

// MTH of the first `size` leaves.
Result<Hash> RootAt(uint64_t size, const NodeReader& read);

// The audit path (RFC 6962 PATH(m, D[n])) of leaf `index` in the tree of
// `size` leaves, leaf-side first. InvalidArgument unless index < size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read);

// The consistency proof (RFC 6962 PROOF(m, D[n])) between the trees of
// `old_size` and `new_size` leaves. Empty when old_size is 0 or equals
// new_size. InvalidArgument unless old_size <= new_size.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const NodeReader& read);

// Reads many perfect subtrees at once into `out` (ids.size() entries).
using BatchNodeReader = std::function<Status(std::span<const TreeNodeId> ids, Hash* out)>;

// InclusionProof with one batched read: the nodes a proof needs depend only
// on index and size, so they are listed first, fetched together, then folded.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         const BatchNodeReader& read);

// RFC 9162 2.1.3.2. OK, or Corruption saying why the proof does not hold.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);

// RFC 9162 2.1.4.2 (plus: size 0 is consistent with everything, equal sizes
// need an empty proof and equal roots). OK, or Corruption saying why not.
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof);

// MTH over leaf hashes held in memory (tests, small bundles).
Hash RootOfLeafHashes(std::span<const Hash> leaf_hashes);

// The right edge of a growing tree: for every set bit b of size(), the hash
// of the perfect subtree of 2^b leaves that ends the decomposition of
// [0, size). Adding a leaf emits every perfect subtree it completes (the leaf
// itself at level 0 first, then each parent), so a store can keep every
// perfect subtree as the log grows. Not thread-safe.
class Frontier {
 public:
  Frontier() = default;
  // Restores the frontier of a tree of `size` leaves from stored nodes.
  static Result<Frontier> Load(uint64_t size, const NodeReader& read);

  // Adds the next leaf; calls `emit(level, index, hash)` for each perfect
  // subtree completed by it, in increasing level.
  template <typename Emit>
  void Add(const Hash& leaf_hash, Emit&& emit) {
    emit(uint8_t{0}, size_, leaf_hash);
    AddSubtree(0, leaf_hash, emit);
  }
  void Add(const Hash& leaf_hash) {
    Add(leaf_hash, [](uint8_t, uint64_t, const Hash&) {});
  }

  // Adds the next 2^level leaves at once, given the hash of their perfect
  // subtree; size() must be a multiple of 2^level (the subtree is aligned).
  // Calls `emit(level, index, hash)` for each perfect subtree ABOVE `level`
  // that it completes, in increasing level (not for the subtree itself).
  template <typename Emit>
  void AddSubtree(uint8_t level, const Hash& subtree_hash, Emit&& emit) {
    uint64_t index = size_ >> level;
    Hash h = subtree_hash;
    size_ += uint64_t{1} << level;
    while (index & 1) {
      h = NodeHash(nodes_.back(), h);
      nodes_.pop_back();
      index >>= 1;
      ++level;
      emit(level, index, h);
    }
    nodes_.push_back(h);
  }

  uint64_t size() const { return size_; }
  // MTH of the leaves added so far.
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> nodes_;  // highest level first: the decomposition of [0, size_)
};

}  // namespace ledger::core::merkle
