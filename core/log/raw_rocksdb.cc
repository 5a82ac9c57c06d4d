#include "core/log/raw_rocksdb.h"

#include <fmt/core.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "core/util/encoding.h"

namespace ledger::core {
namespace {

Status FromRocks(const rocksdb::Status& s) {
  return s.ok() ? Status::OK() : Status::IOError("raw RocksDB: " + s.ToString());
}

}  // namespace

RawRocksDb::RawRocksDb(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
RawRocksDb::~RawRocksDb() = default;

Result<std::unique_ptr<RawRocksDb>> RawRocksDb::Fresh(const std::string& dir) {
  std::filesystem::remove_all(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  LEDGER_RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(options, dir, &raw)));
  return std::unique_ptr<RawRocksDb>(new RawRocksDb(std::unique_ptr<rocksdb::DB>(raw)));
}

Status RawRocksDb::WriteSynced(std::span<const std::string> values, size_t batch) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  for (size_t i = 0; i < values.size(); i += batch) {
    rocksdb::WriteBatch wb;
    for (size_t k = i; k < std::min(i + batch, values.size()); ++k) {
      char key[8];
      for (int b = 0; b < 8; ++b) key[b] = static_cast<char>(k >> (56 - 8 * b));
      wb.Put(rocksdb::Slice(key, 8), values[k]);
    }
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &wb)));
  }
  return Status::OK();
}

Status RawRocksDb::IngestUnsynced(size_t keys) {
  const std::string value(200, 'v');
  rocksdb::WriteBatch wb;
  for (size_t k = 0; k < keys; ++k) {
    std::string key = fmt::format("key-{:012}", k * 2654435761u % keys);
    wb.Put(key, value);
    if (wb.Count() == 4096 || k + 1 == keys) {
      LEDGER_RETURN_IF_ERROR(FromRocks(db_->Write({}, &wb)));
      wb.Clear();
    }
  }
  return Status::OK();
}

Status RawRocksDb::FillHashes(uint64_t n) {
  rocksdb::WriteBatch wb;
  const std::string value(32, 'h');
  for (uint64_t k = 0; k < n; ++k) {
    std::string key;
    PutBigEndian64(k, &key);
    wb.Put(key, value);
    if (wb.Count() == 65536 || k + 1 == n) {
      LEDGER_RETURN_IF_ERROR(FromRocks(db_->Write({}, &wb)));
      wb.Clear();
    }
  }
  return FromRocks(db_->Flush({}));
}

Status RawRocksDb::MultiGet(std::span<const std::string> keys) {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet({}, db_->DefaultColumnFamily(), keys.size(), slices.data(), values.data(),
                statuses.data());
  for (const auto& s : statuses) LEDGER_RETURN_IF_ERROR(FromRocks(s));
  return Status::OK();
}

}  // namespace ledger::core
