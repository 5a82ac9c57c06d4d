// Raw RocksDB: the baseline the benchmarks (tools/bench/) measure the
// embedded log (embedded_log.h) against, in the same run. A DB with default
// options and one column family: none of the ledger's framing, chain, tree
// or state. Each method is one phase for the caller to time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "events/status.h"

namespace rocksdb {
class DB;
}

namespace ledger::core {

class RawRocksDb {
 public:
  // An empty DB in `dir` (anything there is removed first).
  static Result<std::unique_ptr<RawRocksDb>> Fresh(const std::string& dir);
  ~RawRocksDb();

  // `values[k]` under key k:u64be, in WriteBatches of `batch` written with
  // sync=true (one fsync each), as the embedded log writes its records.
  Status WriteSynced(std::span<const std::string> values, size_t batch);

  // `keys` keys "key-NNNNNNNNNNNN" in a scattered order, 200-byte values, in
  // unsynced WriteBatches of 4096 puts.
  Status IngestUnsynced(size_t keys);

  // Keys 0..n-1 (u64be) with 32-byte values, as many as a tree has leaves, in
  // unsynced WriteBatches of 65536, then flushed to a table file.
  Status FillHashes(uint64_t n);

  // One MultiGet of `keys`; the first error, if any (a missing key too).
  Status MultiGet(std::span<const std::string> keys);

 private:
  explicit RawRocksDb(std::unique_ptr<rocksdb::DB> db);
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace ledger::core
