#include "core/embedded_log.h"

#include <rocksdb/db.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "events/codec.h"

namespace ledger::core {
namespace {

constexpr char kFormat[] = "procurement-ledger/1";
constexpr char kLogFamily[] = "log";
constexpr char kMetaFamily[] = "meta";
constexpr char kStateFamily[] = "state";
constexpr char kHeadKey[] = "head";
constexpr char kFormatKey[] = "format";

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  if (s.IsNotFound()) return Status::NotFound(what + ": " + s.ToString());
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) {
    return Status::Unavailable(what + ": " + s.ToString());
  }
  return Status::IOError(what + ": " + s.ToString());
}

std::string PositionKey(uint64_t position) {
  std::string k;
  PutBigEndian64(position, &k);
  return k;
}

std::string EncodeHead(uint64_t size, const Hash& hash) {
  std::string v;
  PutBigEndian64(size, &v);
  v.append(Sha256::AsBytes(hash));
  return v;
}

class EmbeddedLog final : public EmbeddedEventLog {
 public:
  ~EmbeddedLog() override {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_.reset();
    if (!secondary_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(secondary_dir_, ec);
    }
  }

  static Result<std::unique_ptr<EmbeddedEventLog>> Open(const std::string& dir, OpenMode mode) {
    namespace fs = std::filesystem;
    bool exists = fs::exists(fs::path(dir) / "CURRENT");
    if (mode == OpenMode::kCreate && exists) {
      return Status::InvalidArgument("a ledger already exists in " + dir);
    }
    if (mode != OpenMode::kCreate && !exists) {
      return Status::NotFound("no ledger in " + dir + " (create one with `ledger init`)");
    }
    auto log = std::unique_ptr<EmbeddedLog>(new EmbeddedLog());
    rocksdb::Options options;
    options.create_if_missing = mode == OpenMode::kCreate;
    options.create_missing_column_families = mode == OpenMode::kCreate;
    options.error_if_exists = mode == OpenMode::kCreate;
    options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
    options.keep_log_file_num = 2;
    // The state family is written on every append and read only when a
    // writer opens (a full scan): an unsorted vector memtable inserts in O(1)
    // where the default skiplist spends most of the write path comparing keys.
    options.allow_concurrent_memtable_write = false;  // required by the vector memtable
    rocksdb::ColumnFamilyOptions state_options;
    state_options.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    state_options.compression = rocksdb::kNoCompression;  // small, mostly distinct values
    state_options.write_buffer_size = 128 << 20;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}},
        {kLogFamily, {}},
        {kMetaFamily, {}},
        {kStateFamily, state_options}};
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s;
    if (mode == OpenMode::kRead) {
      options.max_open_files = -1;  // required of a secondary instance
      std::string tmpl = (fs::temp_directory_path() / "ledger-reader-XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) return Status::IOError("mkdtemp " + tmpl);
      log->secondary_dir_ = tmpl;
      s = rocksdb::DB::OpenAsSecondary(options, dir, tmpl, families, &log->handles_, &raw);
    } else {
      s = rocksdb::DB::Open(options, dir, families, &log->handles_, &raw);
    }
    if (!s.ok()) {
      if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
        return Status::Unavailable("the ledger in " + dir +
                                   " is open for writing by another process");
      }
      return FromRocks(s, "open " + dir);
    }
    log->db_.reset(raw);
    log->writable_ = mode != OpenMode::kRead;
    if (mode == OpenMode::kCreate) {
      rocksdb::WriteBatch batch;
      batch.Put(log->meta(), kFormatKey, kFormat);
      batch.Put(log->meta(), kHeadKey, EncodeHead(0, Hash{}));
      rocksdb::WriteOptions wo;
      wo.sync = true;
      LEDGER_RETURN_IF_ERROR(FromRocks(log->db_->Write(wo, &batch), "init " + dir));
    }
    LEDGER_RETURN_IF_ERROR(log->LoadHead());
    return std::unique_ptr<EmbeddedEventLog>(std::move(log));
  }

  Result<uint64_t> Append(std::span<const std::string> events,
                          std::span<const StateWrite> state) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    if (events.empty() && state.empty()) return size_;
    const int64_t now = NowMicros();
    std::vector<std::string> records(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      auto decoded = events::DecodeEvent(events[i]);
      if (!decoded.ok()) {
        return decoded.status().WithContext("append: event " + std::to_string(i) + " of batch");
      }
      AppendRecord(size_ + i, now, events[i], &records[i]);
    }
    return Write(records, state, /*verify_events=*/false);
  }

  Result<uint64_t> AppendRecords(std::span<const std::string> records,
                                 std::span<const StateWrite> state) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    return Write(records, state, /*verify_events=*/true);
  }

  Status ScanState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, state_family()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      LEDGER_RETURN_IF_ERROR(visit(std::string_view(it->key().data(), it->key().size()),
                                   std::string_view(it->value().data(), it->value().size())));
    }
    return FromRocks(it->status(), "scan state");
  }

  uint64_t Size() const override { return size_; }
  Hash HeadHash() const override { return head_; }

  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override {
    const uint64_t end = from + std::min(limit, size_ > from ? size_ - from : 0);
    if (from >= end) return Status::OK();
    rocksdb::ReadOptions ro;
    std::string upper = PositionKey(end);
    rocksdb::Slice upper_slice(upper);
    ro.iterate_upper_bound = &upper_slice;
    ro.readahead_size = 2 << 20;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, log()));
    it->Seek(PositionKey(from));
    for (uint64_t p = from; p < end; ++p, it->Next()) {
      std::string where = "position " + std::to_string(p);
      if (!it->Valid()) {
        LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "read " + where));
        return Status::Corruption(where + ": record missing (the log ends before the head's " +
                                  std::to_string(size_) + " records)");
      }
      rocksdb::Slice key = it->key();
      if (key.size() != 8) return Status::Corruption(where + ": malformed key");
      uint64_t found = GetBigEndian64(key.data());
      if (found != p) {
        return Status::Corruption(where + ": record missing (next record found is at position " +
                                  std::to_string(found) + ")");
      }
      rocksdb::Slice v = it->value();
      if (v.size() < 32) {
        return Status::Corruption(where + ": stored value truncated to " +
                                  std::to_string(v.size()) + " bytes");
      }
      auto record = DecodeRecord(std::string_view(v.data() + 32, v.size() - 32));
      if (!record.ok()) return record.status().WithContext(where);
      if (record->position != p) {
        return Status::Corruption(where + ": record carries position " +
                                  std::to_string(record->position) + " (moved or swapped)");
      }
      LogEntry entry{*record, {}};
      std::copy(v.data(), v.data() + 32, entry.chain_hash.begin());
      if (!visit(entry)) return Status::OK();
    }
    return FromRocks(it->status(), "read");
  }

  Status WaitForMore(uint64_t known_size, std::chrono::milliseconds timeout) override {
    if (writable_) return Status::OK();  // a writer sees its own appends at once
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      LEDGER_RETURN_IF_ERROR(FromRocks(db_->TryCatchUpWithPrimary(), "follow"));
      LEDGER_RETURN_IF_ERROR(LoadHead());
      if (size_ > known_size || std::chrono::steady_clock::now() >= deadline) return Status::OK();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  EmbeddedLog() = default;
  rocksdb::ColumnFamilyHandle* log() { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* meta() { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* state_family() { return handles_[3]; }

  // The one write path: chains `records` (framed, at positions size_, ...)
  // onto the head and writes them, `state` and the new head in one synced
  // WriteBatch.
  Result<uint64_t> Write(std::span<const std::string> records, std::span<const StateWrite> state,
                         bool verify_events) {
    const uint64_t first = size_;
    if (records.empty() && state.empty()) return first;
    rocksdb::WriteBatch batch;
    Hash link = head_;
    std::string value;
    for (size_t i = 0; i < records.size(); ++i) {
      const std::string where = "append: position " + std::to_string(first + i);
      if (verify_events) {
        auto record = DecodeRecord(records[i]);
        if (!record.ok()) return record.status().WithContext(where);
        if (record->position != first + i) {
          return Status::Corruption(where + ": record carries position " +
                                    std::to_string(record->position));
        }
        auto decoded = events::DecodeEvent(record->event);
        if (!decoded.ok()) return decoded.status().WithContext(where);
      }
      link = ChainHash(link, records[i]);
      value.assign(Sha256::AsBytes(link));
      value.append(records[i]);
      batch.Put(log(), PositionKey(first + i), value);
    }
    for (const StateWrite& w : state) batch.Put(state_family(), w.key, w.value);
    batch.Put(meta(), kHeadKey, EncodeHead(first + records.size(), link));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &batch), "append"));
    size_ = first + records.size();
    head_ = link;
    return first;
  }

  // Reads the head and checks it against the last record, so that a writer
  // never appends to a log whose head and records disagree.
  Status LoadHead() {
    std::string format, head;
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Get({}, meta(), kFormatKey, &format), "read format"));
    if (format != kFormat) {
      return Status::Corruption("not a procurement ledger (format \"" + format + "\")");
    }
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Get({}, meta(), kHeadKey, &head), "read head"));
    if (head.size() != 40) return Status::Corruption("head record is malformed");
    size_ = GetBigEndian64(head.data());
    std::copy(head.begin() + 8, head.end(), head_.begin());
    if (!writable_) return Status::OK();  // readers report problems via Read/verify
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, log()));
    it->SeekToLast();
    uint64_t records =
        it->Valid() && it->key().size() == 8 ? GetBigEndian64(it->key().data()) + 1 : 0;
    if (records != size_) {
      return Status::Corruption("position " + std::to_string(std::min(records, size_)) +
                                ": the head says " + std::to_string(size_) +
                                " records but the log ends at " + std::to_string(records) +
                                "; refusing to append (run `ledger verify`)");
    }
    return Status::OK();
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::string secondary_dir_;
  bool writable_ = false;
  uint64_t size_ = 0;
  Hash head_{};
};

}  // namespace

Result<std::unique_ptr<EventLog>> OpenEmbeddedLog(const std::string& dir, OpenMode mode) {
  auto log = EmbeddedLog::Open(dir, mode);
  if (!log.ok()) return log.status();
  return std::unique_ptr<EventLog>(std::move(log).value());
}

Result<std::unique_ptr<EmbeddedEventLog>> OpenEmbeddedEventLog(const std::string& dir,
                                                               OpenMode mode) {
  return EmbeddedLog::Open(dir, mode);
}

}  // namespace ledger::core
