// Direct, raw edits of an embedded ledger's RocksDB store, as an attacker or
// a failing disk would make them. Test-only; the ledger must not be open.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ledger::testing {

class StoreTamper {
 public:
  explicit StoreTamper(const std::string& dir);  // throws if it cannot open
  ~StoreTamper();

  // The stored value (chain_hash:32 record) at `position`.
  std::string Get(uint64_t position);
  void Put(uint64_t position, const std::string& value);
  void Delete(uint64_t position);
  // XORs the byte at `offset` of the stored value with `mask`.
  void FlipByte(uint64_t position, size_t offset, uint8_t mask = 0x01);
  void Swap(uint64_t a, uint64_t b);
  // Replaces the record at `position` with `record` and recomputes every
  // chain hash from there and the head, as an attacker with write access
  // would: the hash chain alone then checks out.
  void RewriteChain(uint64_t position, const std::string& record);
  // Recomputes every stored Merkle tree node from the stored records, as an
  // attacker would after rewriting them (RewriteChain): the tree then agrees
  // with the records, and only a signed root tells.
  void RebuildTree();
  // Drops the tree family, as a lost file or a careless operator would.
  void DropTree();
  // XORs byte `offset` of the stored head (size:u64be chain_hash:32).
  void FlipHeadByte(size_t offset);
  // Sets the stored head's size, keeping its hash.
  void SetHeadSize(uint64_t size);
  // XORs byte `offset` of the stored Merkle tree node (level, index).
  void FlipTreeNode(uint8_t level, uint64_t index, size_t offset);

  // Any column family ("log", "meta", "tree", "state", "checkpoints") by its
  // raw keys and values.
  std::vector<std::string> Keys(const std::string& family);
  std::string GetRaw(const std::string& family, const std::string& key);
  void PutRaw(const std::string& family, const std::string& key, const std::string& value);
  // XORs byte `offset` of the value under `key` with `mask`.
  void FlipRawByte(const std::string& family, const std::string& key, size_t offset,
                   uint8_t mask = 0x01);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace ledger::testing
