#include "projections/runner.h"

#include <algorithm>

namespace ledger::projections {

ProjectionRunner::ProjectionRunner(core::EventLog& log, ProjectionStore& store,
                                   std::vector<Projection*> projections)
    : log_(log), store_(store), projections_(std::move(projections)) {}

Result<uint64_t> ProjectionRunner::CatchUp(
    size_t batch_size, const std::function<void(uint64_t, uint64_t)>& progress) {
  const uint64_t end = log_.Size();
  uint64_t from = end;
  for (Projection* p : projections_) from = std::min(from, store_.Checkpoint(p->name()));
  // Where the log keeps `from` (a Kafka offset), saved with the checkpoint.
  for (Projection* p : projections_) {
    if (store_.Checkpoint(p->name()) == from && store_.CheckpointOffset(p->name()) >= 0) {
      log_.HintOffset(from, store_.CheckpointOffset(p->name()));
      break;
    }
  }
  uint64_t read = 0;
  while (from < end) {
    const uint64_t limit = std::min<uint64_t>(batch_size, end - from);
    ProjectionStore::Batch batch = store_.NewBatch();
    Status failure;
    int64_t last_offset = -1;
    Status st = log_.Read(from, limit, [&](const core::LogEntry& entry) {
      last_offset = entry.source_offset;
      auto event = events::DecodeEvent(entry.record.event);
      if (!event.ok()) {
        failure = event.status().WithContext("position " + std::to_string(entry.record.position));
        return false;
      }
      for (Projection* p : projections_) {
        // A projection rebuilt on its own may be behind the others.
        if (store_.Checkpoint(p->name()) <= entry.record.position) {
          p->Apply(entry, **event, batch.For(p->name()));
        }
      }
      return true;
    });
    LEDGER_RETURN_IF_ERROR(st);
    LEDGER_RETURN_IF_ERROR(failure);
    for (Projection* p : projections_) {
      if (store_.Checkpoint(p->name()) < from + limit) {
        batch.SetCheckpoint(p->name(), from + limit, last_offset >= 0 ? last_offset + 1 : -1);
      }
    }
    LEDGER_RETURN_IF_ERROR(store_.Commit(batch));
    from += limit;
    read += limit;
    if (progress) progress(from, end);
  }
  return read;
}

}  // namespace ledger::projections
