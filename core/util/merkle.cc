#include "core/util/merkle.h"

#include <bit>
#include <cstring>
#include <string>

namespace ledger::core::merkle {
namespace {

// Largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

uint8_t LevelOf(uint64_t perfect_size) {
  return static_cast<uint8_t>(std::countr_zero(perfect_size));
}

// MTH(D[begin:end]) for a range the RFC recursion produces: begin is a
// multiple of the power of two at or above (end - begin), so the range is a
// chain of perfect subtrees of decreasing size, folded from the right.
Result<Hash> RangeHash(uint64_t begin, uint64_t end, const NodeReader& read) {
  Hash pieces[65];
  int count = 0;
  while (begin < end) {
    uint64_t len = end - begin;
    uint64_t k = std::has_single_bit(len) ? len : SplitPoint(len);
    if (begin % k != 0) {
      return Status::InvalidArgument("merkle: unaligned range [" + std::to_string(begin) + ", " +
                                     std::to_string(end) + ")");
    }
    auto h = read(LevelOf(k), begin >> LevelOf(k));
    if (!h.ok()) return h.status();
    pieces[count++] = *h;
    begin += k;
  }
  if (count == 0) return EmptyRoot();
  Hash acc = pieces[count - 1];
  for (int i = count - 2; i >= 0; --i) acc = NodeHash(pieces[i], acc);
  return acc;
}

// The perfect subtrees RangeHash(begin, end, ...) reads, in its order.
void RangeIds(uint64_t begin, uint64_t end, std::vector<TreeNodeId>* ids) {
  while (begin < end) {
    uint64_t len = end - begin;
    uint64_t k = std::has_single_bit(len) ? len : SplitPoint(len);
    ids->push_back({LevelOf(k), begin >> LevelOf(k)});
    begin += k;
  }
}

// The perfect subtrees Path(m, begin, end, ...) reads, in its order, without
// hashing anything.
void PathIds(uint64_t m, uint64_t begin, uint64_t end, std::vector<TreeNodeId>* ids) {
  if (end - begin <= 1) return;
  uint64_t k = SplitPoint(end - begin);
  if (m < begin + k) {
    PathIds(m, begin, begin + k, ids);
    RangeIds(begin + k, end, ids);
  } else {
    PathIds(m, begin + k, end, ids);
    RangeIds(begin, begin + k, ids);
  }
}

// PATH(m, D[begin:end]), appended leaf-side first.
Status Path(uint64_t m, uint64_t begin, uint64_t end, const NodeReader& read,
            std::vector<Hash>* out) {
  if (end - begin <= 1) return Status::OK();
  uint64_t k = SplitPoint(end - begin);
  Result<Hash> sibling = Hash{};
  if (m < begin + k) {
    LEDGER_RETURN_IF_ERROR(Path(m, begin, begin + k, read, out));
    sibling = RangeHash(begin + k, end, read);
  } else {
    LEDGER_RETURN_IF_ERROR(Path(m, begin + k, end, read, out));
    sibling = RangeHash(begin, begin + k, read);
  }
  if (!sibling.ok()) return sibling.status();
  out->push_back(*sibling);
  return Status::OK();
}

// SUBPROOF(m, D[begin:end], b), appended.
Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole, const NodeReader& read,
                std::vector<Hash>* out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (whole) return Status::OK();
    auto h = RangeHash(begin, end, read);
    if (!h.ok()) return h.status();
    out->push_back(*h);
    return Status::OK();
  }
  uint64_t k = SplitPoint(n);
  Result<Hash> sibling = Hash{};
  if (m <= k) {
    LEDGER_RETURN_IF_ERROR(SubProof(m, begin, begin + k, whole, read, out));
    sibling = RangeHash(begin + k, end, read);
  } else {
    LEDGER_RETURN_IF_ERROR(SubProof(m - k, begin + k, end, false, read, out));
    sibling = RangeHash(begin, begin + k, read);
  }
  if (!sibling.ok()) return sibling.status();
  out->push_back(*sibling);
  return Status::OK();
}

std::string Short(const Hash& h) { return ToHex(h).substr(0, 16); }

}  // namespace

Hash LeafHash(std::string_view leaf) {
  thread_local Sha256 sha;
  static constexpr char kPrefix = '\x00';
  return sha.Update(std::string_view(&kPrefix, 1)).Update(leaf).Final();
}

Hash NodeHash(const Hash& left, const Hash& right) {
  // One Update of the 65 bytes: a full verify hashes about one node per
  // record, and each Update call costs as much as copying them.
  thread_local Sha256 sha;
  char input[1 + 2 * sizeof(Hash)];
  input[0] = '\x01';
  std::memcpy(input + 1, left.data(), left.size());
  std::memcpy(input + 1 + left.size(), right.data(), right.size());
  return sha.Update(std::string_view(input, sizeof input)).Final();
}

Hash EmptyRoot() { return Sha256Of({}); }

Result<Hash> RootAt(uint64_t size, const NodeReader& read) { return RangeHash(0, size, read); }

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read) {
  if (index >= size) {
    return Status::InvalidArgument("no leaf " + std::to_string(index) + " in a tree of " +
                                   std::to_string(size));
  }
  std::vector<Hash> out;
  LEDGER_RETURN_IF_ERROR(Path(index, 0, size, read, &out));
  return out;
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         const BatchNodeReader& read) {
  if (index >= size) return InclusionProof(index, size, NodeReader());  // the error
  std::vector<TreeNodeId> ids;
  ids.reserve(128);
  PathIds(index, 0, size, &ids);
  std::vector<Hash> hashes(ids.size());
  LEDGER_RETURN_IF_ERROR(read(ids, hashes.data()));
  size_t next = 0;
  return InclusionProof(index, size, [&](uint8_t, uint64_t) -> Result<Hash> {
    if (next == hashes.size())
      return Status::InvalidArgument("merkle: the proof plan and the proof disagree");
    return hashes[next++];
  });
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const NodeReader& read) {
  if (old_size > new_size) {
    return Status::InvalidArgument("consistency from size " + std::to_string(old_size) +
                                   " to the smaller size " + std::to_string(new_size));
  }
  std::vector<Hash> out;
  if (old_size == 0 || old_size == new_size) return out;
  LEDGER_RETURN_IF_ERROR(SubProof(old_size, 0, new_size, true, read, &out));
  return out;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return Status::Corruption("inclusion: leaf " + std::to_string(index) + " is not in a tree of " +
                              std::to_string(size));
  }
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return Status::Corruption("inclusion: the proof is too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::Corruption("inclusion: the proof is too short");
  if (r != root) {
    return Status::Corruption("inclusion: the proof leads to root " + Short(r) +
                              "..., not to the signed root " + Short(root) + "...");
  }
  return Status::OK();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) {
    return Status::Corruption("consistency: size " + std::to_string(old_size) + " follows size " +
                              std::to_string(new_size));
  }
  if (old_size == new_size) {
    if (!proof.empty()) return Status::Corruption("consistency: equal sizes need an empty proof");
    if (old_root != new_root) {
      return Status::Corruption("consistency: two different roots for size " +
                                std::to_string(old_size) + " (a fork)");
    }
    return Status::OK();
  }
  if (old_size == 0) {
    if (!proof.empty()) return Status::Corruption("consistency: size 0 needs an empty proof");
    return Status::OK();
  }
  if (proof.empty()) return Status::Corruption("consistency: the proof is empty");
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return Status::Corruption("consistency: the proof is too long");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::Corruption("consistency: the proof is too short");
  if (fr != old_root) {
    return Status::Corruption("consistency: the proof does not lead to the old root " +
                              Short(old_root) + "... of size " + std::to_string(old_size) +
                              " (got " + Short(fr) + "...)");
  }
  if (sr != new_root) {
    return Status::Corruption("consistency: the proof does not lead to the new root " +
                              Short(new_root) + "... of size " + std::to_string(new_size) +
                              " (got " + Short(sr) + "...)");
  }
  return Status::OK();
}

Hash RootOfLeafHashes(std::span<const Hash> leaf_hashes) {
  Frontier f;
  for (const Hash& h : leaf_hashes) f.Add(h);
  return f.Root();
}

Result<Frontier> Frontier::Load(uint64_t size, const NodeReader& read) {
  Frontier f;
  f.size_ = size;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    uint64_t k = uint64_t{1} << level;
    if (!(size & k)) continue;
    auto h = read(static_cast<uint8_t>(level), begin >> level);
    if (!h.ok()) return h.status();
    f.nodes_.push_back(*h);
    begin += k;
  }
  return f;
}

Hash Frontier::Root() const {
  if (nodes_.empty()) return EmptyRoot();
  Hash acc = nodes_.back();
  for (size_t i = nodes_.size() - 1; i-- > 0;) acc = NodeHash(nodes_[i], acc);
  return acc;
}

}  // namespace ledger::core::merkle
