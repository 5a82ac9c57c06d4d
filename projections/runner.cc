#include "projections/runner.h"

#include <algorithm>

namespace ledger::projections {

ProjectionRunner::ProjectionRunner(core::EventLog& log, ProjectionStore& store,
                                   std::vector<Projection*> projections)
    : log_(log), store_(store), projections_(std::move(projections)) {}

Result<uint64_t> ProjectionRunner::CatchUp(
    size_t batch_size, const std::function<void(uint64_t, uint64_t)>& progress) {
  const uint64_t end = log_.Size();
  // Where each projection resumes: one rebuilt on its own may be behind the others.
  std::vector<uint64_t> next;
  uint64_t from = end;
  for (Projection* p : projections_) {
    next.push_back(store_.Checkpoint(p->name()));
    from = std::min(from, next.back());
  }
  const uint64_t start = from;
  // Where the log keeps `from` (a Kafka offset), saved with the checkpoint.
  for (Projection* p : projections_) {
    if (store_.Checkpoint(p->name()) == from && store_.CheckpointOffset(p->name()) >= 0) {
      log_.HintOffset(from, store_.CheckpointOffset(p->name()));
      break;
    }
  }
  while (from < end) {
    // One commit: up to batch_size events, or less when its changes outgrow
    // the memory budget.
    ProjectionStore::Batch batch = store_.NewBatch();
    std::vector<Table*> tables;
    for (Projection* p : projections_) tables.push_back(&batch.For(p->name()));
    const uint64_t commit_end = std::min<uint64_t>(end, from + batch_size);
    int64_t last_offset = -1;
    while (from < commit_end && batch.ApproximateBytes() < kCommitBytes) {
      const uint64_t limit = std::min<uint64_t>(kReadChunk, commit_end - from);
      Status failure;
      LEDGER_RETURN_IF_ERROR(log_.Read(from, limit, [&](const core::LogEntry& entry) {
        last_offset = entry.source_offset;
        auto event = events::DecodeEvent(entry.record.event);
        if (!event.ok()) {
          failure = event.status().WithContext("position " + std::to_string(entry.record.position));
          return false;
        }
        for (size_t i = 0; i < projections_.size(); ++i) {
          if (next[i] <= entry.record.position) projections_[i]->Apply(entry, **event, *tables[i]);
        }
        return true;
      }));
      LEDGER_RETURN_IF_ERROR(failure);
      from += limit;
      if (progress) progress(from, end);
    }
    for (size_t i = 0; i < projections_.size(); ++i) {
      if (next[i] < from) {
        batch.SetCheckpoint(projections_[i]->name(), from, last_offset >= 0 ? last_offset + 1 : -1);
        next[i] = from;
      }
    }
    LEDGER_RETURN_IF_ERROR(store_.Commit(batch));
  }
  return from - start;
}

}  // namespace ledger::projections
