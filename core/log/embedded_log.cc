#include "core/log/embedded_log.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "core/log/mirror_log.h"
#include "core/util/merkle.h"
#include "events/codec.h"

namespace ledger::core {
namespace {

constexpr char kFormat[] = "procurement-ledger/1";
constexpr char kLogFamily[] = "log";
constexpr char kMetaFamily[] = "meta";
constexpr char kStateFamily[] = "state";
constexpr char kTreeFamily[] = "tree";
constexpr char kCheckpointFamily[] = "checkpoints";
constexpr char kHeadKey[] = "head";
constexpr char kTreeKey[] = "tree";  // size:u64be, the leaves the tree family covers
constexpr char kFormatKey[] = "format";
// size:u64be hash:32 — the records the state family reflects, and their
// chain head, where the state runs ahead of the records (PutState).
constexpr char kStateAtKey[] = "state-at";

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

// Tree node key: level:u8 index:u64be.
std::string NodeKey(uint8_t level, uint64_t index) {
  std::string k(1, static_cast<char>(level));
  PutBigEndian64(index, &k);
  return k;
}

// The 32 bytes at p as a Hash. memcpy: std::copy from char to uint8_t is a
// byte loop at -O2, paid per record and per node in scans.
Hash HashAt(const char* p) {
  Hash h;
  std::memcpy(h.data(), p, h.size());
  return h;
}

std::string NodeWhere(uint8_t level, uint64_t index) {
  return "tree node (level " + std::to_string(level) + ", index " + std::to_string(index) + ")";
}

std::string EncodeHead(uint64_t size, const Hash& hash) {
  std::string v;
  PutBigEndian64(size, &v);
  v.append(Sha256::AsBytes(hash));
  return v;
}

class EmbeddedLog final : public MirrorLog {
 public:
  ~EmbeddedLog() override {
    // A writer that closes cleanly flushes every family unless little is in
    // memory: the WAL it leaves is then (nearly) empty, so readers (secondary
    // instances, which replay the WAL into a memtable on open) open at once
    // and scan table files, not a memtable. The threshold spares a small
    // `ledger append` a set of tiny table files. A failed flush loses
    // nothing: the WAL still holds the records.
    // Without a WAL (Sync::kNever) it flushes whatever is in memory (a
    // failed flush then loses the latest appends, as a crash would).
    uint64_t in_memory = 0;
    const uint64_t threshold = sync_ == Sync::kNever ? 0 : kFlushOnCloseBytes;
    if (writable_ && db_ != nullptr &&
        db_->GetAggregatedIntProperty("rocksdb.cur-size-all-mem-tables", &in_memory) &&
        in_memory > threshold) {
      rocksdb::FlushOptions fo;
      fo.wait = true;
      (void)db_->Flush(fo, handles_);
    }
    for (auto* h : handles_) {
      if (h != nullptr) db_->DestroyColumnFamilyHandle(h);
    }
    db_.reset();
    if (!secondary_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(secondary_dir_, ec);
    }
  }

  static Result<std::unique_ptr<MirrorLog>> Open(const std::string& dir, OpenMode mode, Sync sync) {
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
    // A family with few writes (meta, checkpoints) would otherwise keep every
    // WAL file alive until it fills its memtable, and every reader replays
    // all of them on open: past this total the oldest WAL's families flush.
    options.max_total_wal_size = 128 << 20;
    // A crash keeps a prefix of whole WriteBatches (the default, stated).
    options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    // Without a WAL, only flushing every family at the same point keeps the
    // families consistent with each other across a crash.
    options.atomic_flush = sync == Sync::kNever;
    // The state family is written on every append and read only when a
    // writer opens (a full scan): an unsorted vector memtable inserts in O(1)
    // where the default skiplist spends most of the write path comparing keys.
    options.allow_concurrent_memtable_write = false;  // required by the vector memtable
    rocksdb::ColumnFamilyOptions state_options;
    state_options.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    state_options.compression = rocksdb::kNoCompression;  // small, mostly distinct values
    state_options.write_buffer_size = 128 << 20;
    // The log is written once and read mostly by whole scans (verify,
    // projections catching up), which readers do in place from mapped table
    // files when blocks are not compressed: less CPU per scan than any
    // compression, for more disk (docs/benchmarks.md). 16 KB blocks cut the
    // per-block work of a scan.
    rocksdb::ColumnFamilyOptions log_options;
    log_options.compression = rocksdb::kNoCompression;
    rocksdb::BlockBasedTableOptions log_table;
    log_table.block_size = 16 << 10;
    log_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(log_table));
    rocksdb::ColumnFamilyOptions tree_options;
    tree_options.compression = rocksdb::kNoCompression;  // hashes do not compress
    // Proofs are a few point reads each: bloom filters and a block cache of
    // its own keep them off the disk (a million records make ~80 MB of tree).
    rocksdb::BlockBasedTableOptions tree_table;
    tree_table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    tree_table.block_cache = rocksdb::NewLRUCache(128 << 20);
    tree_table.cache_index_and_filter_blocks = true;
    tree_table.pin_l0_filter_and_index_blocks_in_cache = true;
    tree_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(tree_table));
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}},
        {kLogFamily, log_options},
        {kMetaFamily, {}},
        {kStateFamily, state_options},
        {kTreeFamily, tree_options},
        {kCheckpointFamily, {}}};
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s;
    if (mode == OpenMode::kRead) {
      options.max_open_files = -1;  // required of a secondary instance
      // Table blocks are read in place (the tree's, uncompressed, with no
      // copy at all): no pread per block for scans and proofs.
      options.allow_mmap_reads = true;
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
    log->log_ = log->Family(kLogFamily);
    log->meta_ = log->Family(kMetaFamily);
    log->state_ = log->Family(kStateFamily);
    log->tree_ = log->Family(kTreeFamily);
    log->checkpoints_ = log->Family(kCheckpointFamily);
    log->writable_ = mode != OpenMode::kRead;
    log->sync_ = sync;
    if (mode == OpenMode::kCreate) {
      rocksdb::WriteBatch batch;
      batch.Put(log->meta(), kFormatKey, kFormat);
      batch.Put(log->meta(), kHeadKey, EncodeHead(0, Hash{}));
      batch.Put(log->meta(), kTreeKey, PositionKey(0));
      LEDGER_RETURN_IF_ERROR(log->Persist(&batch, Lasting::kNow, "init " + dir));
    }
    LEDGER_RETURN_IF_ERROR(log->LoadHead());
    if (log->writable_) LEDGER_RETURN_IF_ERROR(log->LoadTree());
    return std::unique_ptr<MirrorLog>(std::move(log));
  }

  // Events known to be valid: framed with recorded_at = now.
  Result<uint64_t> AppendChecked(std::span<const std::string> events,
                                 std::vector<StateWrite>&& state) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    if (state_ahead_) {
      return Status::InvalidArgument("append: position " + std::to_string(size_) +
                                     ": this is a Kafka writer's local copy " +
                                     "(its decision state reflects " + std::to_string(state_size_) +
                                     " records of the topic): append through --kafka");
    }
    if (events.empty() && state.empty()) return size_;
    const int64_t now = NowMicros();
    std::vector<std::string> records(events.size());
    for (size_t i = 0; i < events.size(); ++i) AppendRecord(size_ + i, now, events[i], &records[i]);
    return Write(records, state, /*verify_events=*/false);
  }

  Result<uint64_t> AppendRecords(std::span<const std::string> records,
                                 std::span<const StateWrite> state) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    return Write(records, state, /*verify_events=*/true);
  }
  Result<uint64_t> AppendOwnRecords(std::span<const std::string> records,
                                    std::span<const Hash> links,
                                    std::span<const StateWrite> state) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    if (links.size() != records.size()) {
      return Status::InvalidArgument("append: " + std::to_string(records.size()) + " records but " +
                                     std::to_string(links.size()) + " chain hashes");
    }
    // The caller chained the records as it sent them; one hash shows that
    // it chained them onto this head (a gap or another head would not).
    if (!records.empty() && links[0] != ChainHash(head_, records[0])) {
      return Status::Corruption("append: position " + std::to_string(size_) +
                                ": the given chain hash does not continue the head");
    }
    return Write(records, state, /*verify_events=*/false, links);
  }

  Status PutState(uint64_t size, const Hash& head, std::span<const StateWrite> state) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    if (size < size_ || size < state_size_) {
      return Status::InvalidArgument("state as of " + std::to_string(size) +
                                     " records, behind the " +
                                     std::to_string(std::max(size_, state_size_)) + " held");
    }
    rocksdb::WriteBatch batch;
    for (const StateWrite& w : state) batch.Put(state_family(), w.key, w.value);
    batch.Put(meta(), kStateAtKey, EncodeHead(size, head));
    LEDGER_RETURN_IF_ERROR(Persist(&batch, Lasting::kAsSync, "save state"));
    state_ahead_ = true;
    state_size_ = size;
    state_head_ = head;
    return Status::OK();
  }
  uint64_t StateSize() const override { return state_ahead_ ? state_size_ : size_; }
  Hash StateHead() const override { return state_ahead_ ? state_head_ : head_; }

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

  // The position after the last key of the log family (keys are positions).
  Result<uint64_t> StoredRecords() override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, log()));
    it->SeekToLast();
    LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "find the log's last record"));
    if (!it->Valid()) return uint64_t{0};
    if (it->key().size() != 8) {
      return Status::Corruption("the log's last key is malformed (" +
                                std::to_string(it->key().size()) + " bytes, not 8)");
    }
    return GetBigEndian64(it->key().data()) + 1;
  }

  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override {
    const uint64_t end = from + std::min(limit, size_ > from ? size_ - from : 0);
    if (from >= end) return Status::OK();
    rocksdb::ReadOptions ro;
    std::string upper = PositionKey(end);
    rocksdb::Slice upper_slice(upper);
    ro.iterate_upper_bound = &upper_slice;
    ro.readahead_size = 2 << 20;
    // Every record byte is covered by its SHA-256 chain link and Merkle leaf,
    // which every reader of records checks or can check; RocksDB's block
    // CRC on top of that would slow every scan and add nothing.
    ro.verify_checksums = false;
    // Reads are scans that use each block once, read in place from the
    // mapped file; filling the block cache would copy every block.
    ro.fill_cache = false;
    // Nothing here ever deletes a range (records and nodes are never
    // deleted): no range tombstones to look for at each step.
    ro.ignore_range_deletions = true;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, log()));
    it->Seek(PositionKey(from));
    // Messages are built only on failure: this loop runs once per record of
    // a full verification.
    auto where = [](uint64_t p) { return "position " + std::to_string(p); };
    for (uint64_t p = from; p < end; ++p, it->Next()) {
      if (!it->Valid()) {
        LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "read " + where(p)));
        return Status::Corruption(where(p) + ": record missing (the log ends before the head's " +
                                  std::to_string(size_) + " records)");
      }
      rocksdb::Slice key = it->key();
      if (key.size() != 8) return Status::Corruption(where(p) + ": malformed key");
      uint64_t found = GetBigEndian64(key.data());
      if (found != p) {
        return Status::Corruption(where(p) + ": record missing (next record found is at position " +
                                  std::to_string(found) + ")");
      }
      rocksdb::Slice v = it->value();
      if (v.size() < 32) {
        return Status::Corruption(where(p) + ": stored value truncated to " +
                                  std::to_string(v.size()) + " bytes");
      }
      auto record = DecodeRecord(std::string_view(v.data() + 32, v.size() - 32));
      if (!record.ok()) return record.status().WithContext(where(p));
      if (record->position != p) {
        return Status::Corruption(where(p) + ": record carries position " +
                                  std::to_string(record->position) + " (moved or swapped)");
      }
      LogEntry entry{*record, HashAt(v.data())};
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

  Result<Hash> TreeNode(uint8_t level, uint64_t index) override {
    LEDGER_RETURN_IF_ERROR(TreeReadable(level, index, 1));
    std::string v;
    rocksdb::Status s = db_->Get({}, tree_, NodeKey(level, index), &v);
    if (s.IsNotFound()) return Status::Corruption(NodeWhere(level, index) + ": missing");
    LEDGER_RETURN_IF_ERROR(FromRocks(s, "read " + NodeWhere(level, index)));
    if (v.size() != 32) {
      return Status::Corruption(NodeWhere(level, index) + ": " + std::to_string(v.size()) +
                                " bytes, not 32");
    }
    return HashAt(v.data());
  }

  Status TreeNodes(std::span<const TreeNodeId> ids, Hash* out) override {
    // A perfect subtree's hash never changes once written, and every proof
    // needs one node of each level: the upper levels (few nodes) are served
    // from memory (UpperNode); only the lower ones go to RocksDB, in one
    // MultiGet.
    constexpr size_t kMaxKeys = 64;  // a proof needs at most 64 nodes
    char key_bytes[kMaxKeys][9];
    rocksdb::Slice keys[kMaxKeys];
    size_t slots[kMaxKeys];
    size_t count = 0;
    const uint8_t upper = UpperLevels();
    for (size_t i = 0; i < ids.size(); ++i) {
      const TreeNodeId& id = ids[i];
      LEDGER_RETURN_IF_ERROR(TreeReadable(id.level, id.index, 1));
      if (id.level >= upper && UpperNode(id, &out[i])) continue;
      if (count == kMaxKeys) {  // not a proof: read these, then go on
        LEDGER_RETURN_IF_ERROR(MultiGetNodes(ids, out, keys, slots, count));
        count = 0;
      }
      key_bytes[count][0] = static_cast<char>(id.level);
      for (int b = 0; b < 8; ++b) {
        key_bytes[count][1 + b] = static_cast<char>(id.index >> (8 * (7 - b)));
      }
      keys[count] = rocksdb::Slice(key_bytes[count], 9);
      slots[count] = i;
      ++count;
    }
    return MultiGetNodes(ids, out, keys, slots, count);
  }

  Status ReadTreeLevel(uint8_t level, uint64_t from, uint64_t limit,
                       const std::function<bool(uint64_t, const Hash&)>& visit) override {
    if (limit == 0) return Status::OK();
    LEDGER_RETURN_IF_ERROR(TreeReadable(level, from, limit));
    rocksdb::ReadOptions ro;
    std::string upper = NodeKey(level, from + limit);
    rocksdb::Slice upper_slice(upper);
    ro.iterate_upper_bound = &upper_slice;
    ro.readahead_size = 2 << 20;
    // A scan reads each block once (a full verify, the whole tree): filling
    // the block cache would copy every block of the mapped file and push out
    // the blocks proofs keep reading. No block checksums, as for the records:
    // every node is a SHA-256 that verify recomputes, and a proof built from
    // a damaged node fails at the auditor's check. No range tombstones: nodes
    // are never deleted.
    ro.fill_cache = false;
    ro.verify_checksums = false;
    ro.ignore_range_deletions = true;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, tree_));
    it->Seek(NodeKey(level, from));
    for (uint64_t i = from; i < from + limit; ++i, it->Next()) {
      if (!it->Valid()) {
        LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "read " + NodeWhere(level, i)));
        return Status::Corruption(NodeWhere(level, i) + ": missing");
      }
      rocksdb::Slice key = it->key(), v = it->value();
      if (key.size() != 9 || static_cast<uint8_t>(key[0]) != level ||
          GetBigEndian64(key.data() + 1) != i) {
        return Status::Corruption(NodeWhere(level, i) + ": missing");
      }
      if (v.size() != 32) {
        return Status::Corruption(NodeWhere(level, i) + ": " + std::to_string(v.size()) +
                                  " bytes, not 32");
      }
      if (!visit(i, HashAt(v.data()))) return Status::OK();
    }
    return FromRocks(it->status(), "read tree");
  }

  // Read and ReadTreeLevel touch no member but the constant sizes: each
  // call has its own RocksDB iterator, and rocksdb::DB is thread-safe.
  bool ConcurrentReads() const override { return true; }

  Status PutCheckpoint(uint64_t size, std::string_view note) override {
    if (!writable_) return Status::InvalidArgument("the ledger was opened read-only");
    if (size > size_) {
      return Status::InvalidArgument("a checkpoint for size " + std::to_string(size) +
                                     " of a log of " + std::to_string(size_) + " records");
    }
    std::string existing;
    rocksdb::Status s = db_->Get({}, checkpoints_, PositionKey(size), &existing);
    if (s.ok()) {
      if (existing == note) return Status::OK();
      return Status::Conflict("fork at size " + std::to_string(size) +
                              ": a different checkpoint is already kept for this size");
    }
    if (!s.IsNotFound()) return FromRocks(s, "read checkpoint");
    rocksdb::WriteBatch batch;
    batch.Put(checkpoints_, PositionKey(size), rocksdb::Slice(note.data(), note.size()));
    return Persist(&batch, Lasting::kNow, "keep checkpoint");
  }

  Status ReadCheckpoints(const std::function<bool(uint64_t, std::string_view)>& visit) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, checkpoints_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != 8) return Status::Corruption("checkpoints: malformed key");
      if (!visit(GetBigEndian64(it->key().data()),
                 std::string_view(it->value().data(), it->value().size()))) {
        break;
      }
    }
    return FromRocks(it->status(), "read checkpoints");
  }

 private:
  EmbeddedLog() = default;
  rocksdb::ColumnFamilyHandle* log() { return log_; }
  rocksdb::ColumnFamilyHandle* meta() { return meta_; }
  rocksdb::ColumnFamilyHandle* state_family() { return state_; }
  // The open family called `name` (every family is opened: Open).
  rocksdb::ColumnFamilyHandle* Family(std::string_view name) const {
    for (rocksdb::ColumnFamilyHandle* h : handles_) {
      if (h->GetName() == name) return h;
    }
    return nullptr;
  }

  // Nodes [from, from + count) of `level` lie inside the tree we have.
  Status TreeReadable(uint8_t level, uint64_t from, uint64_t count) const {
    if (level >= 64 || from + count > (size_ >> level)) {
      return Status::InvalidArgument(NodeWhere(level, from + count - 1) + " is beyond the log's " +
                                     std::to_string(size_) + " records");
    }
    return Status::OK();
  }

  // The one write path: chains `records` (framed, at positions size_, ...)
  // onto the head and writes them, `state` and the new head in one synced
  // WriteBatch.
  // `links`, when not empty, are the records' chain hashes, already known.
  Result<uint64_t> Write(std::span<const std::string> records, std::span<const StateWrite> state,
                         bool verify_events, std::span<const Hash> links = {}) {
    const uint64_t first = size_;
    if (records.empty() && state.empty()) return first;
    rocksdb::WriteBatch batch;
    Hash link = head_;
    std::string value;
    merkle::Frontier frontier = frontier_;  // kept only if the write succeeds
    // Tree nodes are put in key order (level, then index) after the loop:
    // the memtable inserts consecutive keys cheaply, where nodes interleaved
    // by level would each cost a full skiplist search.
    struct Node {
      uint8_t level;
      uint64_t index;
      Hash hash;
    };
    std::vector<Node> nodes;
    nodes.reserve(2 * records.size() + 64);
    auto put_node = [&](uint8_t level, uint64_t index, const Hash& h) {
      nodes.push_back({level, index, h});
    };
    for (size_t i = 0; i < records.size(); ++i) {
      if (verify_events) {
        auto where = [&] { return "append: position " + std::to_string(first + i); };
        auto record = DecodeRecord(records[i]);
        if (!record.ok()) return record.status().WithContext(where());
        if (record->position != first + i) {
          return Status::Corruption(where() + ": record carries position " +
                                    std::to_string(record->position));
        }
        auto decoded = events::DecodeEvent(record->event);
        if (!decoded.ok()) return decoded.status().WithContext(where());
      }
      link = links.empty() ? ChainHash(link, records[i]) : links[i];
      frontier.Add(merkle::LeafHash(records[i]), put_node);
      value.assign(Sha256::AsBytes(link));
      value.append(records[i]);
      batch.Put(log(), PositionKey(first + i), value);
    }
    // The frontier makes each level's nodes in index order: a stable
    // counting sort by level puts them all in key order without comparing.
    std::array<size_t, 65> starts{};
    for (const Node& n : nodes) ++starts[n.level + 1];
    for (size_t l = 1; l < starts.size(); ++l) starts[l] += starts[l - 1];
    std::vector<const Node*> ordered(nodes.size());
    for (const Node& n : nodes) ordered[starts[n.level]++] = &n;
    for (const Node* n : ordered)
      batch.Put(tree_, NodeKey(n->level, n->index), Sha256::AsBytes(n->hash));
    for (const StateWrite& w : state) batch.Put(state_family(), w.key, w.value);
    batch.Put(meta(), kHeadKey, EncodeHead(first + records.size(), link));
    batch.Put(meta(), kTreeKey, PositionKey(first + records.size()));
    LEDGER_RETURN_IF_ERROR(Persist(&batch, Lasting::kAsSync, "append"));
    size_ = first + records.size();
    tree_size_ = size_;
    head_ = link;
    frontier_ = std::move(frontier);
    return first;
  }

  // Reads the head and checks it against the last record, so that a writer
  // never appends to a log whose head and records disagree.
  Status LoadHead() {
    std::string format, head, tree, state_at;
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Get({}, meta(), kFormatKey, &format), "read format"));
    if (format != kFormat) {
      return Status::Corruption("not a procurement ledger (format \"" + format + "\")");
    }
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Get({}, meta(), kHeadKey, &head), "read head"));
    if (head.size() != 40) return Status::Corruption("head record is malformed");
    size_ = GetBigEndian64(head.data());
    std::copy(head.begin() + 8, head.end(), head_.begin());
    rocksdb::Status ss = db_->Get({}, meta(), kStateAtKey, &state_at);
    if (!ss.IsNotFound()) {
      LEDGER_RETURN_IF_ERROR(FromRocks(ss, "read state size"));
      if (state_at.size() != 40) return Status::Corruption("state size record is malformed");
      state_ahead_ = true;
      state_size_ = GetBigEndian64(state_at.data());
      state_head_ = HashAt(state_at.data() + 8);
    }
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Get({}, meta(), kTreeKey, &tree), "read tree size"));
    if (tree.size() != 8) return Status::Corruption("tree size record is malformed");
    tree_size_ = GetBigEndian64(tree.data());
    if (!writable_) return Status::OK();  // readers report problems via Read/verify
    auto records = StoredRecords();
    if (!records.ok()) return records.status();
    if (*records != size_) {
      return Status::Corruption("position " + std::to_string(std::min(*records, size_)) +
                                ": the head says " + std::to_string(size_) +
                                " records but the log ends at " + std::to_string(*records) +
                                "; refusing to append (run `ledger verify`)");
    }
    return Status::OK();
  }

  // Writers: restores the tree's right edge. The tree is written in the same
  // batch as the records it covers, so it covers exactly the head's records.
  Status LoadTree() {
    if (tree_size_ != size_) {
      return Status::Corruption("the Merkle tree covers " + std::to_string(tree_size_) +
                                " records but the log has " + std::to_string(size_) +
                                "; refusing to append (run `ledger verify`)");
    }
    auto frontier = merkle::Frontier::Load(
        tree_size_, [this](uint8_t l, uint64_t i) { return TreeNode(l, i); });
    if (!frontier.ok()) return frontier.status().WithContext("load the Merkle tree");
    frontier_ = std::move(frontier).value();
    return Status::OK();
  }

  static constexpr uint64_t kFlushOnCloseBytes = 1 << 20;

  // How a write reaches the disk: kAsSync as `sync_` says (appends); kNow on
  // disk before it returns, whatever `sync_` (creation, tree backfill,
  // checkpoints: rare, and not refilled from elsewhere).
  enum class Lasting { kAsSync, kNow };
  Status Persist(rocksdb::WriteBatch* batch, Lasting lasting, const std::string& what) {
    rocksdb::WriteOptions wo;
    wo.sync = sync_ == Sync::kEveryAppend;
    wo.disableWAL = sync_ == Sync::kNever;
    LEDGER_RETURN_IF_ERROR(FromRocks(db_->Write(wo, batch), what));
    if (lasting == Lasting::kAsSync || sync_ != Sync::kNever) return Status::OK();
    rocksdb::FlushOptions fo;
    fo.wait = true;
    return FromRocks(db_->Flush(fo, handles_), what + ": flush");
  }

  // out[slots[k]] := the node at keys[k], for k < count.
  Status MultiGetNodes(std::span<const TreeNodeId> ids, Hash* out, const rocksdb::Slice* keys,
                       const size_t* slots, size_t count) {
    if (count == 0) return Status::OK();
    rocksdb::PinnableSlice values[64];
    rocksdb::Status statuses[64];
    db_->MultiGet({}, tree_, count, keys, values, statuses);
    for (size_t k = 0; k < count; ++k) {
      const TreeNodeId& id = ids[slots[k]];
      if (statuses[k].IsNotFound()) {
        return Status::Corruption(NodeWhere(id.level, id.index) + ": missing");
      }
      LEDGER_RETURN_IF_ERROR(FromRocks(statuses[k], "read " + NodeWhere(id.level, id.index)));
      if (values[k].size() != 32) {
        return Status::Corruption(NodeWhere(id.level, id.index) + ": " +
                                  std::to_string(values[k].size()) + " bytes, not 32");
      }
      out[slots[k]] = HashAt(values[k].data());
    }
    return Status::OK();
  }

  // The upper levels of the tree in memory. Levels >= UpperLevels() have at
  // most kUpperLevelNodes nodes each at the current size (all of them
  // together at most twice that: 4 MB). A level is loaded whole, by one scan,
  // once proofs have asked it for kLoadAfter nodes (a one-shot `ledger prove`
  // never pays for a scan), and extended as the log grows; a level that falls
  // below UpperLevels() as the log grows is dropped.
  static constexpr uint64_t kUpperLevelNodes = 1 << 16;
  static constexpr uint32_t kLoadAfter = 64;
  struct LevelCache {
    std::vector<Hash> nodes;  // nodes [0, nodes.size()) of the level
    uint32_t misses = 0;      // reads before the level was loaded
  };

  uint8_t UpperLevels() {
    uint8_t upper = 0;
    while ((size_ >> upper) > kUpperLevelNodes) ++upper;
    for (; upper_from_ < upper; ++upper_from_) levels_[upper_from_] = LevelCache{};
    return upper;
  }

  // The node from memory, loading or extending its level when due. False:
  // read it from RocksDB (not due yet, or the scan failed: the point read
  // then reports what is wrong with the node, if it is this one).
  bool UpperNode(const TreeNodeId& id, Hash* out) {
    LevelCache& level = levels_[id.level];
    if (id.index >= level.nodes.size()) {
      if (level.nodes.empty() && ++level.misses <= kLoadAfter) return false;
      const uint64_t from = level.nodes.size(), have = size_ >> id.level;
      level.nodes.reserve(have);
      (void)ReadTreeLevel(id.level, from, have - from, [&](uint64_t, const Hash& h) {
        level.nodes.push_back(h);
        return true;
      });
      if (id.index >= level.nodes.size()) return false;
    }
    *out = level.nodes[id.index];
    return true;
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::array<LevelCache, 64> levels_;  // by level: UpperNode
  uint8_t upper_from_ = 0;             // UpperLevels() so far; levels below are empty
  rocksdb::ColumnFamilyHandle* log_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* state_ = nullptr;
  rocksdb::ColumnFamilyHandle* tree_ = nullptr;
  rocksdb::ColumnFamilyHandle* checkpoints_ = nullptr;
  std::string secondary_dir_;
  bool writable_ = false;
  Sync sync_ = Sync::kEveryAppend;
  uint64_t size_ = 0;
  uint64_t tree_size_ = 0;  // records the tree covers: the "tree" meta key, = size_
  Hash head_{};
  // PutState ran ahead of the records (kStateAtKey): the state reflects
  // state_size_ records, ending in state_head_.
  bool state_ahead_ = false;
  uint64_t state_size_ = 0;
  Hash state_head_{};
  merkle::Frontier frontier_;  // writers: the tree's right edge
};

}  // namespace

Result<std::unique_ptr<EventLog>> OpenEmbeddedLog(const std::string& dir, OpenMode mode) {
  auto log = EmbeddedLog::Open(dir, mode, Sync::kEveryAppend);
  if (!log.ok()) return log.status();
  return std::unique_ptr<EventLog>(std::move(log).value());
}

Result<std::unique_ptr<MirrorLog>> OpenMirrorLog(const std::string& dir, OpenMode mode, Sync sync) {
  return EmbeddedLog::Open(dir, mode, sync);
}

}  // namespace ledger::core
