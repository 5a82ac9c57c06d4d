// Internal to core/log/kafka/: the read side of the Kafka backend
// (OpenMode::kRead, and the writer's view of its topic).
//
// A read-committed consumer of partition 0 (no consumer group, fetch wait
// 10 ms) with a cursor. Size() is the number of committed records,
// HeadHash() the chain header of the last one; LogEntry::source_offset is
// the Kafka offset. Offsets are not positions (message.h): the reader finds
// a position's offset from a sparse index of the offsets it has seen, the
// caller's hints and a binary search between them (PositionAt).
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/log/event_log.h"
#include "core/log/kafka/client.h"
#include "core/log/kafka/kafka_log.h"
#include "core/log/kafka/message.h"

namespace ledger::core::kafka {

// Records a reader takes ahead at most when following the topic
// (WaitForMore), and the writer's mirror copies per write.
inline constexpr size_t kCatchUpBatch = 4096;

// Uses the legacy per-partition consumer API: seeking is stop + start.
//
// Invariant: when next_position_ != kUnknown, the next record the cursor
// delivers (pending_ first, then the consumer) is at next_position_, and
// pending_ holds consecutive records.
class KafkaReader final : public EventLog {
 public:
  ~KafkaReader() override;

  // A reader of `o.topic`, checked to have one partition; Refresh before use.
  static Result<std::unique_ptr<KafkaReader>> Open(const KafkaOptions& o);

  // Finds the last committed record: Size() and HeadHash().
  Status Refresh();

  Status ScanState(const std::function<Status(std::string_view, std::string_view)>&) override;
  uint64_t Size() const override { return size_; }
  Hash HeadHash() const override { return head_; }
  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override;
  Status WaitForMore(uint64_t known_size, std::chrono::milliseconds timeout) override;
  void HintOffset(uint64_t position, int64_t source_offset) override {
    hint_ = {position, source_offset};
  }

  // The Merkle tree and the signed checkpoints of a Kafka ledger are kept by
  // its writer, in the mirror (an embedded ledger in the writer's --data).
  Result<Hash> TreeNode(uint8_t, uint64_t) override { return NoTree(); }
  Status ReadTreeLevel(uint8_t, uint64_t, uint64_t,
                       const std::function<bool(uint64_t, const Hash&)>&) override {
    return NoTree();
  }
  Status PutCheckpoint(uint64_t, std::string_view) override { return NoTree(); }
  Status ReadCheckpoints(const std::function<bool(uint64_t, std::string_view)>&) override {
    return Status::OK();  // none kept on the topic
  }

 private:
  // Read-only: InvalidArgument.
  Result<uint64_t> AppendChecked(std::span<const std::string>, std::vector<StateWrite>&&) override;

  enum class Got { kRecord, kEnd, kTimeout };
  static constexpr uint64_t kUnknown = UINT64_MAX;
  static constexpr uint64_t kIndexEvery = 1024;  // sparse position -> offset index

  static Status NoTree();

  KafkaReader(const KafkaOptions& o, KafkaPtr rk) : opts_(o), rk_(std::move(rk)) {}

  Status Seek(int64_t offset);
  // The next record from the consumer, the end of the committed records, or
  // kTimeout at `deadline`. Transient errors (a broker away) are retried by
  // librdkafka; only errors that cannot heal are returned.
  Result<Got> Pull(Clock::time_point deadline, Fetched* out);
  // Seeks to `offset` and returns the position of the first record at or
  // after it (left in pending_), or nullopt at the end.
  Result<std::optional<uint64_t>> Probe(int64_t offset);
  // Leaves the cursor so that it delivers `p` next.
  Status PositionAt(uint64_t p);

  KafkaOptions opts_;
  KafkaPtr rk_;
  rd_kafka_topic_t* rkt_ = nullptr;
  bool started_ = false;
  std::deque<Fetched> pending_;
  uint64_t next_position_ = kUnknown;
  std::map<uint64_t, int64_t> index_;  // position -> offset, sparse
  std::optional<std::pair<uint64_t, int64_t>> hint_;
  int64_t low_ = 0;
  int64_t last_offset_ = -1;  // offset of the last committed record
  uint64_t size_ = 0;
  Hash head_{};
};

}  // namespace ledger::core::kafka
