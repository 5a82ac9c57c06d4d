#include "projections/store.h"

#include <absl/container/flat_hash_map.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>

#include "core/record_format.h"

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

  rocksdb::ColumnFamilyHandle* Family(std::string_view name) const {
    auto it = families.find(name);
    return it == families.end() ? nullptr : it->second;
  }
};

// Staged writes per projection; reads fall through to the committed store.
struct ProjectionStore::Batch::Impl {
  struct StagedTable : Table {
    const ProjectionStore::Impl* store = nullptr;
    rocksdb::ColumnFamilyHandle* family = nullptr;
    absl::flat_hash_map<std::string, std::optional<std::string>> staged;  // nullopt: delete
    std::optional<ProjectionStore::Impl::Checkpoint> checkpoint;
    size_t* bytes = nullptr;  // the batch's running total

    std::optional<std::string> Get(std::string_view key) override {
      auto it = staged.find(absl::string_view(key.data(), key.size()));
      if (it != staged.end()) return it->second;  // staged value, or staged delete
      std::string value;
      if (store->db->Get({}, family, rocksdb::Slice(key.data(), key.size()), &value).ok()) {
        return value;
      }
      return std::nullopt;
    }
    void Stage(std::string_view key, std::optional<std::string> value) {
      *bytes += value ? value->size() : 0;
      auto it = staged.find(absl::string_view(key.data(), key.size()));
      if (it == staged.end()) {
        *bytes += key.size() + kEntryOverhead;
        staged.emplace(std::string(key), std::move(value));
      } else {
        it->second = std::move(value);
      }
    }
    void Put(std::string_view key, std::string_view value) override {
      Stage(key, std::string(value));
    }
    void Delete(std::string_view key) override { Stage(key, std::nullopt); }
  };
  // Bookkeeping bytes per staged key, for the batch's size estimate.
  static constexpr size_t kEntryOverhead = 96;
  ProjectionStore* store;
  size_t bytes = 0;
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
    it->second.bytes = &impl_->bytes;
  }
  return it->second;
}

void ProjectionStore::Batch::SetCheckpoint(std::string_view name, uint64_t next_position,
                                           int64_t next_source_offset) {
  For(name);
  impl_->tables.find(name)->second.checkpoint =
      ProjectionStore::Impl::Checkpoint{next_position, next_source_offset};
}

size_t ProjectionStore::Batch::ApproximateBytes() const { return impl_->bytes; }

ProjectionStore::ProjectionStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProjectionStore::~ProjectionStore() {
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
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
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
  return std::unique_ptr<ProjectionStore>(new ProjectionStore(std::move(impl)));
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
  for (auto& [name, table] : batch.impl_->tables) entries += table.staged.size();
  LEDGER_RETURN_IF_ERROR(entries >= kIngestThreshold ? CommitByIngest(batch)
                                                     : CommitByWrite(batch));
  for (auto& [name, table] : batch.impl_->tables) {
    if (table.checkpoint) impl_->checkpoints[name] = *table.checkpoint;
  }
  batch.impl_->tables.clear();
  batch.impl_->bytes = 0;
  return Status::OK();
}

Status ProjectionStore::CommitByWrite(Batch& batch) {
  rocksdb::WriteBatch wb;
  for (auto& [name, table] : batch.impl_->tables) {
    for (const auto& [key, value] : table.staged) {
      if (value) {
        wb.Put(table.family, key, *value);
      } else {
        wb.Delete(table.family, key);
      }
    }
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

// Writes one projection's staged keys, sorted, with its checkpoint, as an SST
// file at `path`.
Status WriteSortedFile(const rocksdb::Options& options, rocksdb::ColumnFamilyHandle* family,
                       const absl::flat_hash_map<std::string, std::optional<std::string>>& staged,
                       std::optional<std::string> checkpoint, const std::string& path) {
  using Entry = std::pair<std::string_view, const std::optional<std::string>*>;
  std::vector<Entry> entries;
  entries.reserve(staged.size() + 1);
  for (const auto& [key, value] : staged) entries.emplace_back(key, &value);
  if (checkpoint) entries.emplace_back(kCheckpointKey, &checkpoint);
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.first < b.first; });
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family);
  LEDGER_RETURN_IF_ERROR(FromRocks(writer.Open(path), "create " + path));
  for (const auto& [key, value] : entries) {
    rocksdb::Slice k(key.data(), key.size());
    LEDGER_RETURN_IF_ERROR(
        FromRocks(*value ? writer.Put(k, **value) : writer.Delete(k), "write " + path));
  }
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
  std::vector<rocksdb::IngestExternalFileArg> args;
  std::vector<std::future<Status>> writes;
  for (auto& [name, table] : batch.impl_->tables) {
    if (table.staged.empty() && !table.checkpoint) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = table.family;
    arg.external_files = {(tmp / (name + ".sst")).string()};
    arg.options.move_files = true;
    rocksdb::Options options(impl_->options, impl_->family_options);
    std::optional<std::string> cp;
    if (table.checkpoint) {
      cp.emplace();
      core::PutBigEndian64(table.checkpoint->next_position, &*cp);
      if (table.checkpoint->next_source_offset >= 0) {
        core::PutBigEndian64(static_cast<uint64_t>(table.checkpoint->next_source_offset), &*cp);
      }
    }
    writes.push_back(std::async(std::launch::async, WriteSortedFile, options, table.family,
                                std::cref(table.staged), cp, arg.external_files[0]));
    args.push_back(std::move(arg));
  }
  Status failure;
  for (auto& w : writes) {
    Status st = w.get();
    if (failure.ok()) failure = st;
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
