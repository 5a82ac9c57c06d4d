// Internal to core/log/kafka/: the Kafka writer's mirror, an embedded log in
// the writer's `local_dir` (core/log/mirror_log.h) kept a prefix of the topic.
//
// After Kafka commits a batch, its decision state goes into the mirror
// (MirrorLog::PutState, with the size and chain head it reflects) on a thread
// of the mirror's own, so the writer returns once Kafka has committed and
// the next transaction overlaps the write. The mirror is written without a
// write-ahead log (Sync::kNever): the topic is the durable truth, and a crash
// of the process or the machine may lose the mirror's latest whole writes,
// which the next open copies again. A failed write stops the writer (every
// later Append answers it). The records and their Merkle tree are not written
// on that path: they are copied from the topic when something reads them
// through the writer (Read, the tree, checkpoints, CopyLocally), after
// checking that the topic continues the mirror's chain, so the write path
// never pays for a second copy of every record.
//
// Invariants: the mirror's state reflects a prefix of what the writer
// committed, and its records a prefix of that; ScanState first waits for the
// state (Drain), and every read of the records first copies them (CopyRecords).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/log/kafka/kafka_log.h"
#include "core/log/kafka/reader.h"
#include "core/log/mirror_log.h"
#include "events/codec.h"

namespace ledger::core::kafka {

class KafkaMirror {
 public:
  // The mirror in `local_dir` (created when missing: a new writer machine
  // copies the topic), following the topic through `reader`.
  static Result<std::unique_ptr<KafkaMirror>> Open(const KafkaOptions& o,
                                                   const std::string& local_dir,
                                                   std::unique_ptr<KafkaReader> reader);
  // Writes what was queued, then stops the thread.
  ~KafkaMirror();

  // What the topic holds once opened: `size` committed records ending in
  // chain hash `head`, of which the mirror's state reflects `state_size`.
  struct TopicEnd {
    uint64_t size = 0;
    Hash head{};
    uint64_t state_size = 0;
  };
  // On open: reads the topic to its end (read-committed) and checks that it
  // continues the chain the decision state was saved at. When the state lags
  // the topic (EventLog::StateSize), the records it lacks are copied into the
  // mirror first (their chain checked), so that the caller that catches the
  // state up (core/command/decision_store.h) reads them locally.
  Result<TopicEnd> OpenAtEnd();

  // Queues a committed batch's state: as of `size` records, whose chain ends
  // in `head`. Waits while one is already queued behind the one being
  // written (bounded memory).
  void Enqueue(uint64_t size, const Hash& head, std::vector<StateWrite> state);
  // The error of a failed mirror write, if any.
  Status Failure();
  // EventLog::SaveState on the mirror, once it holds the queued states: the
  // head must be the chain hash of record `size` - 1.
  Status SaveState(uint64_t size, const Hash& head, std::span<const StateWrite> state);
  // EventLog::ScanState, once the mirror holds the queued states.
  Status ScanState(const std::function<Status(std::string_view, std::string_view)>& visit);

  // Copies the first `committed` records of the topic that the mirror lacks
  // (and their tree nodes), after checking that the topic continues the
  // mirror's chain; first waits for the queued states (Drain). Then `log()`
  // answers reads up to `committed`.
  Status CopyRecords(uint64_t committed);
  MirrorLog& log() { return *log_; }

 private:
  struct Job {
    uint64_t size = 0;
    Hash head{};
    std::vector<StateWrite> state;
  };

  KafkaMirror(const KafkaOptions& o, std::string local_dir, std::unique_ptr<MirrorLog> log,
              std::unique_ptr<KafkaReader> reader);

  // Waits until the mirror holds every queued state; its error, if any.
  Status Drain();
  void Loop();

  // Checks that the topic's record at `size` - 1 has chain hash `head` (what
  // the mirror holds of `what`): otherwise the mirror is of another topic.
  Status CheckContinues(uint64_t size, const Hash& head, const char* what);
  // Reads records [from, from + count) of the topic, each checked to continue
  // the chain from *link, and gives each to `visit` with its event (and with
  // *link then its chain hash).
  Status ReadChain(uint64_t from, uint64_t count, Hash* link,
                   const std::function<void(const LogEntry&, const fb::Event&)>& visit);

  KafkaOptions opts_;
  std::string local_dir_;
  std::unique_ptr<MirrorLog> log_;
  std::unique_ptr<KafkaReader> reader_;  // the topic
  std::mutex io_mu_;                     // one write into the mirror at a time

  std::thread thread_;
  std::mutex mu_;  // guards the fields below
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool busy_ = false;  // a job is being written
  bool stop_ = false;
  Status failed_;  // set by the mirror thread only
};

}  // namespace ledger::core::kafka
