// ProjectionRunner: follows the log through the EventLog interface (so it
// works on any backend) and applies every event to every projection, in log
// order, exactly once: each projection's changes and its checkpoint are
// committed in one atomic write, so a restart resumes at the checkpoint and a
// crash mid-batch neither repeats nor skips an event.
#pragma once

#include <functional>
#include <vector>

#include "core/log/event_log.h"
#include "projections/projection.h"
#include "projections/store.h"

namespace ledger::projections {

class ProjectionRunner {
 public:
  ProjectionRunner(core::EventLog& log, ProjectionStore& store,
                   std::vector<Projection*> projections);

  // Applies what the log holds beyond each projection's checkpoint, committing
  // every `batch_size` events (or sooner, when a commit's changes reach
  // kCommitBytes). `progress(done, total)` is called as the log is read.
  // Returns the number of events read.
  Result<uint64_t> CatchUp(size_t batch_size = kDefaultBatch,
                           const std::function<void(uint64_t, uint64_t)>& progress = {});

  static constexpr size_t kDefaultBatch = 1 << 20;
  static constexpr size_t kCommitBytes = size_t{512} << 20;
  static constexpr size_t kReadChunk = 65536;

 private:
  core::EventLog& log_;
  ProjectionStore& store_;
  std::vector<Projection*> projections_;
};

}  // namespace ledger::projections
