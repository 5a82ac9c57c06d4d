// ProjectionStore: the RocksDB that holds the read models, one column family
// per projection, beside the ledger (DIR/projections). Each column family
// holds the projection's keys and, under kCheckpointKey, the next log position
// it has to apply, always written in the same WriteBatch as the state:
//
//   checkpoint := next_position:u64be [next_source_offset:u64be]
//
// next_source_offset (Kafka: the offset of the last applied record + 1) is
// there when the log has offsets of its own; a reader resumes there.
//
// Table::Append is a RocksDB merge (ConcatenateOperator): the stored value,
// then the appended bytes.
//
// Not thread-safe. One process at a time (RocksDB's lock).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/sha256.h"
#include "events/status.h"
#include "projections/projection.h"

namespace ledger::projections {

// Not a possible entity id: ids are printable.
inline constexpr std::string_view kCheckpointKey("\0checkpoint", 11);

// The layout of every projection's keys and values, kept under kLayoutKey in
// the store's default family as decimal ASCII. Bump it when any projection's
// format changes: a store in another layout is dropped on open and rebuilt
// from the log.
inline constexpr uint32_t kLayoutVersion = 3;
inline constexpr std::string_view kLayoutKey("layout");

class ProjectionStore {
 public:
  ~ProjectionStore();

  // Opens (creating if needed) the store in `dir` with a column family per name.
  static Result<std::unique_ptr<ProjectionStore>> Open(const std::string& dir,
                                                       const std::vector<std::string>& names);

  // The next position projection `name` has to apply (0 when empty).
  uint64_t Checkpoint(std::string_view name) const;
  // The backend offset saved with that checkpoint (EventLog::HintOffset), or -1.
  int64_t CheckpointOffset(std::string_view name) const;

  // A group of changes to several projections, committed atomically.
  class Batch {
   public:
    // The table of projection `name` for this batch.
    Table& For(std::string_view name);
    void SetCheckpoint(std::string_view name, uint64_t next_position,
                       int64_t next_source_offset = -1);
    // Roughly how much memory the staged changes take.
    size_t ApproximateBytes() const;
    // The batch has staged `events_applied` of about `events_total` events:
    // each table reserves room for changes in that proportion, so that a
    // large batch does not grow its tables by copying them again and again.
    void Expect(uint64_t events_applied, uint64_t events_total);

   private:
    friend class ProjectionStore;
    struct Impl;
    explicit Batch(ProjectionStore* store);
    std::shared_ptr<Impl> impl_;
  };
  Batch NewBatch();
  // Commits the batch atomically: a small one as one WriteBatch, a large one
  // (at least kIngestThreshold keys) as sorted SST files ingested together.
  Status Commit(Batch& batch);
  static constexpr size_t kIngestThreshold = 100'000;
  // Changes per SST file of such a commit: a table with more is split into
  // key ranges written on several threads.
  static constexpr size_t kChangesPerFile = 400'000;

  // Reads a committed key of projection `name`.
  Result<std::optional<std::string>> Get(std::string_view name, std::string_view key) const;
  // Visits committed keys of `name` starting with `prefix`, in key order, from
  // `start` (>= prefix) on, until `visit` returns false. Skips the checkpoint.
  Status Scan(std::string_view name, std::string_view prefix, std::string_view start,
              const std::function<bool(std::string_view, std::string_view)>& visit) const;
  // SHA-256 over every key and value of `name` (length-prefixed), in key
  // order, checkpoint excluded: equal content, equal digest.
  Result<core::Hash> Digest(std::string_view name) const;
  // Drops every key of `name`, checkpoint included (for a rebuild).
  Status Reset(std::string_view name);

 private:
  struct Impl;
  explicit ProjectionStore(std::unique_ptr<Impl> impl);
  Status CheckLayout();
  Status CommitByWrite(Batch& batch);
  Status CommitByIngest(Batch& batch);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::projections
