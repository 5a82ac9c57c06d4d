#include "projections/store.h"

#include <absl/container/flat_hash_map.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <thread>

#include "core/log/record_format.h"
#include "projections/append_log.h"

namespace ledger::projections {
namespace {

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::Unavailable(what + ": the projections are in use by another process");
  }
  return Status::IOError(what + ": " + s.ToString());
}

// Merge operands of Table::Append: the stored value, then the bytes appended.
class ConcatenateOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* merged, rocksdb::Logger*) const override {
    merged->clear();
    if (existing != nullptr) merged->assign(existing->data(), existing->size());
    merged->append(value.data(), value.size());
    return true;
  }
  const char* Name() const override { return "ledger.Concatenate"; }
};

}  // namespace

struct ProjectionStore::Impl {
  std::string dir;
  rocksdb::Options options;  // of the database, for SST files written to be ingested
  std::unique_ptr<rocksdb::DB> db;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families;
  struct Checkpoint {
    uint64_t next_position = 0;
    int64_t next_source_offset = -1;
  };
  std::map<std::string, Checkpoint, std::less<>> checkpoints;
  rocksdb::ColumnFamilyOptions family_options;  // for families recreated by Reset
  // A committed batch's staged tables being freed in the background (a large
  // one holds millions of strings); waited for by the next commit.
  std::future<void> releasing;

  rocksdb::ColumnFamilyHandle* Family(std::string_view name) const {
    auto it = families.find(name);
    return it == families.end() ? nullptr : it->second;
  }
};

// Staged writes per projection; reads fall through to the committed store.
struct ProjectionStore::Batch::Impl {
  struct Staged {
    enum Kind : uint8_t { kPut, kAppend, kDelete };
    Kind kind = kPut;
    std::string bytes;  // the value (kPut), or what to append to the stored one
  };
  using StagedMap = absl::flat_hash_map<std::string, Staged>;
  struct StagedTable : Table {
    using Kind = Staged::Kind;
    const ProjectionStore::Impl* store = nullptr;
    rocksdb::ColumnFamilyHandle* family = nullptr;
    // Nothing committed yet (checkpoint 0): an append is the whole value.
    bool empty_base = false;
    StagedMap staged;
    std::optional<ProjectionStore::Impl::Checkpoint> checkpoint;
    size_t bytes = 0;  // roughly the memory the staged changes take

    std::optional<std::string> Committed(std::string_view key) const {
      if (empty_base) return std::nullopt;
      std::string value;
      if (store->db->Get({}, family, rocksdb::Slice(key.data(), key.size()), &value).ok()) {
        return value;
      }
      return std::nullopt;
    }
    // The value `key` has with its staged change; nullopt when deleted.
    std::optional<std::string> After(std::string_view key, const Staged& s) const {
      switch (s.kind) {
        case Staged::kPut:
          return s.bytes;
        case Staged::kDelete:
          return std::nullopt;
        case Staged::kAppend:
          break;
      }
      return Committed(key).value_or("").append(s.bytes);
    }
    // The staged change of `key`; a new one changes nothing yet (appends
    // nothing, or on an empty base puts the empty value it already has).
    Staged& Slot(std::string_view key) {
      if (!appends.empty()) FoldAppends();
      return SlotInMap(key);
    }
    Staged& SlotInMap(std::string_view key) {
      auto [it, fresh] = staged.try_emplace(absl::string_view(key.data(), key.size()));
      if (fresh) {
        bytes += key.size() + kEntryOverhead;
        it->second.kind = empty_base ? Staged::kPut : Staged::kAppend;
      }
      return it->second;
    }
    void AppendInMap(Staged& s, std::string_view more) {
      if (s.kind == Staged::kDelete) s.kind = Staged::kPut;  // appended to nothing
      s.bytes.append(more);
      bytes += more.size();
    }
    // The appends staged as a log move into the map, before anything reads
    // or changes a key there.
    void FoldAppends() {
      appends.ForEachKey(
          [&](std::string_view key, std::string_view more) { AppendInMap(SlotInMap(key), more); });
      appends.Clear();
    }
    std::optional<std::string> Get(std::string_view key) override {
      if (!appends.empty()) FoldAppends();
      auto it = staged.find(absl::string_view(key.data(), key.size()));
      return it == staged.end() ? Committed(key) : After(key, it->second);
    }
    void Put(std::string_view key, std::string_view value) override {
      Staged& s = Slot(key);
      s.kind = Staged::kPut;
      s.bytes.assign(value);
      bytes += value.size();
    }
    void Delete(std::string_view key) override {
      Staged& s = Slot(key);
      s.kind = Staged::kDelete;
      s.bytes.clear();
    }
    std::string& Edit(std::string_view key) override {
      Staged& s = Slot(key);
      if (s.kind != Staged::kPut) {
        s.bytes = After(key, s).value_or("");
        s.kind = Staged::kPut;
        bytes += s.bytes.size();
      }
      return s.bytes;
    }
    // A table that has only appends staged keeps them as a log (no lookup).
    void Append(std::string_view key, std::string_view more) override {
      if (staged.empty()) {
        appends.Add(key, more);
      } else {
        AppendInMap(Slot(key), more);
      }
    }
    size_t Changes() const { return staged.size() + appends.size(); }
    size_t ApproximateBytes() const { return bytes + appends.ApproximateBytes(); }
    using Visit = std::function<void(std::string_view, Staged::Kind, std::string_view)>;
    // Visits every staged change in key order: (key, kind, bytes).
    void ForEachSorted(const Visit& visit) {
      Split(1);
      ForEachSorted(0, visit);
    }
    // Splits the staged changes into at most `parts` key ranges
    // (SplitByKeyRange) and returns the pivots; then ForEachSorted(part, …)
    // visits range `part` in key order, different parts on different threads
    // at once if need be. Nothing may be staged in between.
    const std::vector<OrderedKey>& Split(size_t parts) {
      if (!appends.empty()) return appends.Split(parts);  // then nothing else is staged
      sorted.clear();
      sorted.reserve(staged.size());
      for (const auto& [key, value] : staged) sorted.emplace_back(OrderedKey(key), &value);
      SplitByKeyRange(
          sorted, parts, [](const auto& e) -> const OrderedKey& { return e.first; }, bounds,
          pivots);
      return pivots;
    }
    size_t PartSize(size_t part) const {
      return appends.empty() ? bounds[part + 1] - bounds[part] : appends.PartSize(part);
    }
    void ForEachSorted(size_t part, const Visit& visit) {
      if (!appends.empty()) {
        const Staged::Kind kind = empty_base ? Staged::kPut : Staged::kAppend;
        appends.ForEachKey(
            part, [&](std::string_view key, std::string_view more) { visit(key, kind, more); });
        return;
      }
      const auto first = sorted.begin() + static_cast<ptrdiff_t>(bounds[part]);
      const auto last = sorted.begin() + static_cast<ptrdiff_t>(bounds[part + 1]);
      std::sort(first, last, [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto it = first; it != last; ++it)
        visit(it->first.key(), it->second->kind, it->second->bytes);
    }
    // The map's changes in parts, after Split.
    std::vector<std::pair<OrderedKey, const Staged*>> sorted;
    std::vector<size_t> bounds;
    std::vector<OrderedKey> pivots;
    // Staged while nothing else is: appends without a lookup each.
    AppendLog appends;
  };
  // Bookkeeping bytes per staged key, for the batch's size estimate.
  static constexpr size_t kEntryOverhead = 96;
  ProjectionStore* store;
  std::map<std::string, StagedTable, std::less<>> tables;
};

ProjectionStore::Batch::Batch(ProjectionStore* store) : impl_(std::make_shared<Impl>()) {
  impl_->store = store;
}

Table& ProjectionStore::Batch::For(std::string_view name) {
  auto it = impl_->tables.find(name);
  if (it == impl_->tables.end()) {
    it = impl_->tables.emplace(std::string(name), Impl::StagedTable{}).first;
    it->second.store = impl_->store->impl_.get();
    it->second.family = impl_->store->impl_->Family(name);
    it->second.empty_base = impl_->store->Checkpoint(name) == 0;
  }
  return it->second;
}

void ProjectionStore::Batch::SetCheckpoint(std::string_view name, uint64_t next_position,
                                           int64_t next_source_offset) {
  For(name);
  impl_->tables.find(name)->second.checkpoint =
      ProjectionStore::Impl::Checkpoint{next_position, next_source_offset};
}

size_t ProjectionStore::Batch::ApproximateBytes() const {
  size_t total = 0;
  for (const auto& [name, table] : impl_->tables) total += table.ApproximateBytes();
  return total;
}

void ProjectionStore::Batch::Expect(uint64_t events_applied, uint64_t events_total) {
  if (events_applied == 0 || events_total <= events_applied) return;
  const double growth = double(events_total) / double(events_applied);
  for (auto& [name, table] : impl_->tables) {
    table.staged.reserve(size_t(double(table.staged.size()) * growth));
    table.appends.Reserve(size_t(double(table.appends.size()) * growth));
  }
}

ProjectionStore::ProjectionStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProjectionStore::~ProjectionStore() {
  if (impl_->releasing.valid()) impl_->releasing.wait();
  for (auto& [name, h] : impl_->families) impl_->db->DestroyColumnFamilyHandle(h);
}

Result<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(
    const std::string& dir, const std::vector<std::string>& names) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.keep_log_file_num = 2;
  // Queries are point reads and short scans over a store that outgrows the
  // default 8 MB cache: a larger shared block cache and bloom filters.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(256 << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // XXH3 block checksums: this RocksDB's CRC32C has no hardware path, and a
  // rebuild writes every block once. No compression: projections are derived
  // data, and compressing would be a large part of the cost of writing a
  // rebuild's files (docs/benchmarks.md).
  table.checksum = rocksdb::kXXH3;
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  family_options.compression = rocksdb::kNoCompression;
  family_options.merge_operator = std::make_shared<ConcatenateOperator>();
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {{rocksdb::kDefaultColumnFamilyName, {}}};
  for (const auto& n : names) families.push_back({n, family_options});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  LEDGER_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(options, dir, families, &handles, &raw), "open " + dir));
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  impl->db.reset(raw);
  impl->family_options = family_options;
  raw->DestroyColumnFamilyHandle(handles[0]);
  for (size_t i = 0; i < names.size(); ++i) {
    impl->families[names[i]] = handles[i + 1];
    std::string value;
    auto s = raw->Get({}, handles[i + 1],
                      rocksdb::Slice(kCheckpointKey.data(), kCheckpointKey.size()), &value);
    Impl::Checkpoint next;
    if (s.ok() && (value.size() == 8 || value.size() == 16)) {
      next.next_position = core::GetBigEndian64(value.data());
      if (value.size() == 16) {
        next.next_source_offset = static_cast<int64_t>(core::GetBigEndian64(value.data() + 8));
      }
    } else if (!s.IsNotFound()) {
      return Status::Corruption("projection " + names[i] + ": unreadable checkpoint (" +
                                std::to_string(value.size()) + " bytes)");
    }
    impl->checkpoints[names[i]] = next;
  }
  auto store = std::unique_ptr<ProjectionStore>(new ProjectionStore(std::move(impl)));
  LEDGER_RETURN_IF_ERROR(store->CheckLayout());
  return store;
}

// Projections are derived data: written in an older layout, they are dropped
// and the runner rebuilds them from the log.
Status ProjectionStore::CheckLayout() {
  rocksdb::DB& db = *impl_->db;
  std::string stored;
  auto s = db.Get({}, rocksdb::Slice(kLayoutKey.data(), kLayoutKey.size()), &stored);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "read the projections' layout");
  const std::string current = std::to_string(kLayoutVersion);
  if (s.ok() && stored == current) return Status::OK();
  std::vector<std::string> names;
  for (const auto& [name, family] : impl_->families) names.push_back(name);
  for (const auto& name : names) {
    if (Checkpoint(name) > 0 || s.ok()) LEDGER_RETURN_IF_ERROR(Reset(name));
  }
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return FromRocks(db.Put(synced, rocksdb::Slice(kLayoutKey.data(), kLayoutKey.size()), current),
                   "write the projections' layout");
}

uint64_t ProjectionStore::Checkpoint(std::string_view name) const {
  auto it = impl_->checkpoints.find(name);
  return it == impl_->checkpoints.end() ? 0 : it->second.next_position;
}

int64_t ProjectionStore::CheckpointOffset(std::string_view name) const {
  auto it = impl_->checkpoints.find(name);
  return it == impl_->checkpoints.end() ? -1 : it->second.next_source_offset;
}

ProjectionStore::Batch ProjectionStore::NewBatch() { return Batch(this); }

Status ProjectionStore::Commit(Batch& batch) {
  size_t entries = 0;
  for (auto& [name, table] : batch.impl_->tables) entries += table.Changes();
  LEDGER_RETURN_IF_ERROR(entries >= kIngestThreshold ? CommitByIngest(batch)
                                                     : CommitByWrite(batch));
  for (auto& [name, table] : batch.impl_->tables) {
    if (table.checkpoint) impl_->checkpoints[name] = *table.checkpoint;
  }
  if (impl_->releasing.valid()) impl_->releasing.wait();
  if (entries >= kIngestThreshold) {
    impl_->releasing = std::async(std::launch::async, [tables = std::move(batch.impl_->tables)] {});
  }
  batch.impl_->tables.clear();
  return Status::OK();
}

Status ProjectionStore::CommitByWrite(Batch& batch) {
  using Staged = Batch::Impl::Staged;
  rocksdb::WriteBatch wb;
  for (auto& [name, table] : batch.impl_->tables) {
    table.ForEachSorted([&](std::string_view key, Staged::Kind kind, std::string_view bytes) {
      const rocksdb::Slice k(key.data(), key.size()), v(bytes.data(), bytes.size());
      switch (kind) {
        case Staged::kPut:
          wb.Put(table.family, k, v);
          break;
        case Staged::kAppend:
          wb.Merge(table.family, k, v);
          break;
        case Staged::kDelete:
          wb.Delete(table.family, k);
          break;
      }
    });
    if (table.checkpoint) {
      std::string cp;
      core::PutBigEndian64(table.checkpoint->next_position, &cp);
      if (table.checkpoint->next_source_offset >= 0) {
        core::PutBigEndian64(static_cast<uint64_t>(table.checkpoint->next_source_offset), &cp);
      }
      wb.Put(table.family, rocksdb::Slice(kCheckpointKey.data(), kCheckpointKey.size()), cp);
    }
  }
  // Not synced: a projection is rebuilt from the durable log; what matters is
  // that state and checkpoint land together, which the WriteBatch guarantees.
  return FromRocks(impl_->db->Write({}, &wb), "commit projections");
}

namespace {

// Writes one projection's staged changes, visited in key order by
// `for_each_sorted`, with its checkpoint, as an SST file at `path`.
template <typename Table>
Status WriteSortedFile(const rocksdb::Options& options, rocksdb::ColumnFamilyHandle* family,
                       Table& table, size_t part, std::optional<std::string> checkpoint,
                       const std::string& path) {
  using Kind = typename Table::Kind;
  // The file is read right after it is ingested (queries, trails): keep its
  // pages in the page cache (the writer drops them by default).
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family,
                                /*invalidate_page_cache=*/false);
  LEDGER_RETURN_IF_ERROR(FromRocks(writer.Open(path), "create " + path));
  rocksdb::Status s;
  // The checkpoint key goes in its place in the key order.
  auto put_checkpoint_before = [&](std::string_view key) {
    if (checkpoint && s.ok() && OrderedKey(kCheckpointKey) < OrderedKey(key)) {
      s = writer.Put(rocksdb::Slice(kCheckpointKey.data(), kCheckpointKey.size()), *checkpoint);
      checkpoint.reset();
    }
  };
  table.ForEachSorted(part, [&](std::string_view key, Kind kind, std::string_view bytes) {
    put_checkpoint_before(key);
    if (!s.ok()) return;
    const rocksdb::Slice k(key.data(), key.size()), v(bytes.data(), bytes.size());
    switch (kind) {
      case Kind::kPut:
        s = writer.Put(k, v);
        break;
      case Kind::kAppend:
        s = writer.Merge(k, v);
        break;
      case Kind::kDelete:
        s = writer.Delete(k);
        break;
    }
  });
  if (checkpoint && s.ok()) {  // after every key
    s = writer.Put(rocksdb::Slice(kCheckpointKey.data(), kCheckpointKey.size()), *checkpoint);
  }
  LEDGER_RETURN_IF_ERROR(FromRocks(s, "write " + path));
  return FromRocks(writer.Finish(), "finish " + path);
}

}  // namespace

// A large batch (a rebuild, a long catch-up) skips the memtable: each
// projection's keys are sorted into an SST file and all files are ingested in
// one atomic step, checkpoints included.
Status ProjectionStore::CommitByIngest(Batch& batch) {
  namespace fs = std::filesystem;
  const fs::path tmp = impl_->dir + ".ingest";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return Status::IOError("create " + tmp.string() + ": " + ec.message());
  // Every table is split into key ranges of about kChangesPerFile changes,
  // each sorted and written to a file of its own by whichever thread is free
  // (largest first); the files of a table do not overlap, so they are
  // ingested together into its family.
  struct File {
    Batch::Impl::StagedTable* table;
    size_t part;
    std::optional<std::string> checkpoint;
    std::string path;
    rocksdb::Options options;
    size_t changes;
    Status written;
  };
  std::vector<File> files;
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& [name, table] : batch.impl_->tables) {
    if (table.Changes() == 0 && !table.checkpoint) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = table.family;
    arg.options.move_files = true;
    std::optional<std::string> cp;
    if (table.checkpoint) {
      cp.emplace();
      core::PutBigEndian64(table.checkpoint->next_position, &*cp);
      if (table.checkpoint->next_source_offset >= 0) {
        core::PutBigEndian64(static_cast<uint64_t>(table.checkpoint->next_source_offset), &*cp);
      }
    }
    const std::vector<OrderedKey>& pivots = table.Split(
        std::clamp<size_t>((table.Changes() + kChangesPerFile / 2) / kChangesPerFile, 1, 64));
    // The part whose key range holds the checkpoint key.
    const size_t checkpoint_part = static_cast<size_t>(
        std::upper_bound(pivots.begin(), pivots.end(), OrderedKey(kCheckpointKey)) -
        pivots.begin());
    for (size_t part = 0; part <= pivots.size(); ++part) {
      const bool has_checkpoint = cp && part == checkpoint_part;
      if (table.PartSize(part) == 0 && !has_checkpoint) continue;
      files.push_back({&table, part, has_checkpoint ? cp : std::nullopt,
                       (tmp / (name + "-" + std::to_string(part) + ".sst")).string(),
                       rocksdb::Options(impl_->options, impl_->family_options),
                       table.PartSize(part), Status::OK()});
      arg.external_files.push_back(files.back().path);
    }
    args.push_back(std::move(arg));
  }
  std::vector<File*> order;
  for (File& f : files) order.push_back(&f);
  std::sort(order.begin(), order.end(), [](File* a, File* b) { return a->changes > b->changes; });
  std::atomic<size_t> next{0};
  auto write = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) {
      File& f = *order[i];
      f.written =
          WriteSortedFile(f.options, f.table->family, *f.table, f.part, f.checkpoint, f.path);
    }
  };
  std::vector<std::future<void>> writers;
  const size_t threads =
      std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), order.size());
  for (size_t t = 1; t < threads; ++t) writers.push_back(std::async(std::launch::async, write));
  write();
  for (auto& w : writers) w.get();
  Status failure;
  for (const File& f : files) {
    if (failure.ok()) failure = f.written;
  }
  if (failure.ok()) {
    failure = FromRocks(impl_->db->IngestExternalFiles(args), "ingest projections");
  }
  fs::remove_all(tmp, ec);
  return failure;
}

Result<std::optional<std::string>> ProjectionStore::Get(std::string_view name,
                                                        std::string_view key) const {
  auto* family = impl_->Family(name);
  if (family == nullptr) return Status::NotFound("no projection " + std::string(name));
  std::string value;
  auto s = impl_->db->Get({}, family, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  LEDGER_RETURN_IF_ERROR(FromRocks(s, "read projection " + std::string(name)));
  return std::optional<std::string>(std::move(value));
}

Status ProjectionStore::Scan(
    std::string_view name, std::string_view prefix, std::string_view start,
    const std::function<bool(std::string_view, std::string_view)>& visit) const {
  auto* family = impl_->Family(name);
  if (family == nullptr) return Status::NotFound("no projection " + std::string(name));
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator({}, family));
  std::string from(start.empty() ? prefix : start);
  for (it->Seek(from); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (!key.starts_with(prefix)) break;
    if (key == kCheckpointKey) continue;
    if (!visit(key, std::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "scan projection " + std::string(name));
}

Result<core::Hash> ProjectionStore::Digest(std::string_view name) const {
  core::Sha256 sha;
  auto frame = [&](std::string_view bytes) {
    std::string len;
    core::PutBigEndian64(bytes.size(), &len);
    sha.Update(len).Update(bytes);
  };
  LEDGER_RETURN_IF_ERROR(Scan(name, "", "", [&](std::string_view k, std::string_view v) {
    frame(k);
    frame(v);
    return true;
  }));
  return sha.Final();
}

Status ProjectionStore::Reset(std::string_view name) {
  auto* family = impl_->Family(name);
  if (family == nullptr) return Status::NotFound("no projection " + std::string(name));
  rocksdb::ColumnFamilyOptions options = impl_->family_options;
  rocksdb::ColumnFamilyHandle* fresh = nullptr;
  LEDGER_RETURN_IF_ERROR(FromRocks(impl_->db->DropColumnFamily(family), "drop projection"));
  impl_->db->DestroyColumnFamilyHandle(family);
  LEDGER_RETURN_IF_ERROR(FromRocks(
      impl_->db->CreateColumnFamily(options, std::string(name), &fresh), "recreate projection"));
  impl_->families[std::string(name)] = fresh;
  impl_->checkpoints[std::string(name)] = Impl::Checkpoint{};
  return Status::OK();
}

}  // namespace ledger::projections
