// The Kafka backend of EventLog (librdkafka): the ledger's log is one Kafka
// topic with a single partition, so the ledger keeps one total order and one
// hash chain. Its message format (what any consumer of the topic finds) is
// in core/log/kafka/message.h.
//
// Writer (OpenMode::kCreate, kWrite; core/log/kafka/writer.h): a
// transactional producer, one Kafka transaction per Append; a second writer
// on the topic fences the first, which then fails every later Append with
// Conflict "fenced: ...". It keeps a local mirror, an embedded log in
// `local_dir` holding the decision state, the signed checkpoints and, once
// something reads them, the records and their Merkle tree
// (core/log/kafka/mirror.h). Size and HeadHash are what was committed.
//
// Reader (OpenMode::kRead; core/log/kafka/reader.h): a read-committed
// consumer; `local_dir` is not used. LogEntry::source_offset is the Kafka
// offset. It keeps no tree: proofs and checkpoints of a Kafka ledger come
// from the writer's mirror.
//
// Threading: as EventLog; one thread per instance (the writer's mirror
// thread is internal).
//
// Outside core/log/kafka/, include only this header and raw_producer.h (the
// raw baseline of the benchmarks); the others use librdkafka's types.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/log/embedded_log.h"
#include "core/log/event_log.h"

namespace ledger::core {

struct KafkaOptions {
  std::string brokers;                       // HOST:PORT[,HOST:PORT...]
  std::string topic = "procurement.ledger";  // one partition
  std::string transactional_id;              // default "ledger-" + topic
  int replication_factor = 1;                // when creating the topic
  std::chrono::milliseconds timeout{30000};  // per broker round trip or commit
};

// Creates the ledger's topic: one partition, `replication_factor` replicas,
// min.insync.replicas = max(1, replication_factor - 1), no retention limit,
// cleanup.policy=delete. OK if it exists with one partition (sets *existed);
// InvalidArgument if it exists with another partition count; Unavailable
// when the cluster does not answer.
Status CreateKafkaTopic(const KafkaOptions& options, bool* existed = nullptr);

// Deletes `options.topic` and everything in it (benchmarks clean up their
// scratch topics with this). NotFound if there is no such topic;
// Unavailable when the cluster does not answer.
Status DeleteKafkaTopic(const KafkaOptions& options);

// Opens the ledger on topic `options.topic`. kCreate creates the topic
// (CreateKafkaTopic) and a new mirror in `local_dir` (InvalidArgument if a
// ledger is there); kWrite opens the mirror, creating it when missing (a new
// writer machine copies the topic); both then open the writer. kRead opens a
// reader. NotFound when the topic does not exist (except kCreate);
// Corruption when the mirror and the topic disagree; Conflict when fenced.
Result<std::unique_ptr<EventLog>> OpenKafkaLog(const KafkaOptions& options,
                                               const std::string& local_dir, OpenMode mode);

}  // namespace ledger::core
