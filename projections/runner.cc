#include "projections/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>

#include "core/log/checked_read.h"

namespace ledger::projections {
namespace {

// A run of log entries copied out of the reader, with their events decoded,
// so that several threads can apply them while the next run is read.
struct Chunk {
  uint64_t first = 0;
  std::string bytes;  // the records, back to back
  std::vector<core::LogEntry> entries;
  std::vector<const fb::Event*> events;
  Status failure;                         // reading, a chain link or decoding stopped here
  core::LinkChecker links{core::Hash{}};  // at the last entry

  uint64_t end() const { return first + entries.size(); }
};

// Reads [from, from + limit), checking each record's link against the one
// before it, starting from `links`.
Chunk ReadChunk(core::EventLog& log, uint64_t from, uint64_t limit, core::LinkChecker links) {
  Chunk c{.first = from, .links = links};
  struct Span {
    size_t at, event_at, event_size;
  };
  std::vector<Span> spans;
  spans.reserve(limit);
  c.entries.reserve(limit);
  c.events.reserve(limit);
  c.bytes.reserve(limit * 384);  // records are ~300 bytes; it grows if need be
  Status broken;
  c.failure = log.Read(from, limit, [&](const core::LogEntry& e) {
    broken = c.links.Next(e);
    if (!broken.ok()) return false;
    Span s{c.bytes.size(), size_t(e.record.event.data() - e.record.bytes.data()),
           e.record.event.size()};
    c.bytes.append(e.record.bytes);
    spans.push_back(s);
    c.entries.push_back(e);
    return true;
  });
  if (c.failure.ok()) c.failure = broken;
  // Point the entries at the copy, and decode their events.
  const std::string_view all(c.bytes);
  for (size_t i = 0; i < c.entries.size(); ++i) {
    core::RecordView& r = c.entries[i].record;
    const size_t size = r.bytes.size();
    r.bytes = all.substr(spans[i].at, size);
    r.event = all.substr(spans[i].at + spans[i].event_at, spans[i].event_size);
    auto event = events::DecodeEvent(r.event);
    if (!event.ok()) {
      c.failure = event.status().WithContext("position " + std::to_string(r.position));
      c.entries.resize(i);
      break;
    }
    c.events.push_back(*event);
  }
  if (c.failure.ok() && c.entries.size() < limit) {
    c.failure = Status::Corruption("position " + std::to_string(c.end()) +
                                   ": the log ended before its size");
  }
  return c;
}

}  // namespace

ProjectionRunner::ProjectionRunner(core::EventLog& log, ProjectionStore& store,
                                   std::vector<Projection*> projections)
    : log_(log), store_(store), projections_(std::move(projections)) {}

// Each chunk is applied by two threads taking projections in turn (each
// projection stages into its own table), while this thread reads the next.
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
  std::optional<Chunk> ahead;             // read, not applied yet
  core::LinkChecker links(core::Hash{});  // at the record before the next chunk
  if (from < end) {
    auto at = core::LinkChecker::At(log_, from);
    if (!at.ok()) return at.status();
    links = *at;
  }
  // The projections as the appliers take them: the slowest on the last chunk
  // first, so the two threads finish together.
  std::vector<size_t> order(projections_.size());
  std::vector<double> took(projections_.size(), 0);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  while (from < end) {
    // One commit: up to batch_size events, or less when its changes outgrow
    // the memory budget.
    ProjectionStore::Batch batch = store_.NewBatch();
    std::vector<Table*> tables;
    for (Projection* p : projections_) tables.push_back(&batch.For(p->name()));
    const uint64_t commit_start = from;
    const uint64_t commit_end = std::min<uint64_t>(end, from + batch_size);
    int64_t last_offset = -1;
    while (from < commit_end && batch.ApproximateBytes() < kCommitBytes) {
      Chunk chunk =
          ahead ? std::move(*ahead)
                : ReadChunk(log_, from, std::min<uint64_t>(kReadChunk, commit_end - from), links);
      ahead.reset();
      links = chunk.links;
      std::atomic<size_t> task{0};
      auto apply = [&] {
        for (size_t t; (t = task.fetch_add(1)) < order.size();) {
          const size_t i = order[t];
          const auto started = std::chrono::steady_clock::now();
          for (size_t k = 0; k < chunk.entries.size(); ++k) {
            const core::LogEntry& entry = chunk.entries[k];
            if (next[i] <= entry.record.position) {
              projections_[i]->Apply(entry, *chunk.events[k], *tables[i]);
            }
          }
          took[i] =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        }
      };
      std::future<void> appliers[2] = {std::async(std::launch::async, apply),
                                       std::async(std::launch::async, apply)};
      if (chunk.failure.ok() && chunk.end() < commit_end) {
        ahead = ReadChunk(log_, chunk.end(),
                          std::min<uint64_t>(kReadChunk, commit_end - chunk.end()), chunk.links);
      }
      for (auto& a : appliers) a.get();
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return took[a] > took[b]; });
      LEDGER_RETURN_IF_ERROR(chunk.failure);
      if (!chunk.entries.empty()) last_offset = chunk.entries.back().source_offset;
      // The first chunk tells how large the tables of this commit will grow.
      if (chunk.first == commit_start)
        batch.Expect(chunk.end() - commit_start, commit_end - commit_start);
      from = chunk.end();
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
