// The Kafka backend of EventLog (librdkafka): the ledger's log is one Kafka
// topic with a single partition, so the ledger keeps one total order and one
// hash chain.
//
// One message per record:
//
//   value   := record              (core/log/record_format.h, byte for byte:
//                                   version position recorded_at event)
//   key     := event id            (UTF-8, the envelope's `id`)
//   timestamp := recorded_at, in milliseconds (CreateTime)
//   headers := ledger-type      the event type name, e.g. "PaymentMade"
//              ledger-schema    the envelope's schema_version, decimal
//              ledger-event-id  the event id (as the key)
//              ledger-position  the record's position, decimal
//              ledger-chain     chain_hash(position), 64 lowercase hex digits
//
// Kafka offsets are not positions: every committed transaction leaves a
// marker, so offsets have gaps. The position is the one inside the record;
// readers map positions to offsets themselves. The chain header lets a reader
// start anywhere; `ledger verify` recomputes every link from position 0 and
// compares it with the header.
//
// Writer (OpenMode::kCreate, kWrite): an idempotent, transactional producer
// (acks=all) with transactional.id "ledger-<topic>", so a second writer on
// the topic fences the first instead of forking the chain; the fenced one
// fails every later Append with Conflict "fenced: ...". Each Append is one
// Kafka transaction (group commit). The writer keeps a local mirror, an
// embedded log in `local_dir` (core/log/mirror_log.h). After Kafka commits a
// batch, its decision state goes into the mirror (MirrorLog::PutState,
// with the size and chain head it reflects), with no write-ahead log
// (Sync::kNever): the topic is the durable truth, and the mirror only ever
// reflects a prefix of it (a crash of the process or the machine may lose
// its latest whole writes, which the next open applies again). That write
// runs on a thread of the writer's own, so Append returns once Kafka has
// committed and the next transaction overlaps it; a failed mirror write
// stops the writer (every later Append answers it). The records and their
// Merkle tree are not written on that path: they are copied from the topic
// into the mirror when something reads them through the writer (Read, the
// tree, checkpoints, CopyLocally), after checking that the topic continues
// the mirror's chain. On open the writer fences older writers
// (init_transactions), reads the topic to its end (read-committed) and checks
// that it continues the chain the state was saved at; where the state lags
// the topic (EventLog::StateSize), it copies the records the state lacks into
// the mirror, for the caller that catches the state up
// (core/command/decision_store.h; the log knows nothing of the rules). Size
// and HeadHash are what was committed.
//
// Reader (OpenMode::kRead): a read-committed consumer of partition 0 (no
// consumer group, fetch wait 10 ms); `local_dir` is not used. Size() is the
// number of committed records, HeadHash() the chain header of the last one;
// LogEntry::source_offset is the Kafka offset.
//
// Threading: as EventLog; one thread per instance (the writer's mirror
// thread is internal).
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include "core/log/embedded_log.h"
#include "core/log/event_log.h"
#include "events/codec.h"

struct rd_kafka_s;  // librdkafka's rd_kafka_t

namespace ledger::core {

// The headers of a record's message, as above: the type and event id point
// into the event (and the type name table); the rest is formatted in place
// (no allocation per message).
struct KafkaRecordHeaders {
  std::string_view type;      // ledger-type
  std::string_view event_id;  // ledger-event-id (and the key)
  std::string_view schema() const { return {schema_digits.data(), schema_size}; }
  std::string_view position() const { return {position_digits.data(), position_size}; }
  std::string_view chain() const { return {chain_hex.data(), chain_hex.size()}; }

  std::array<char, 20> schema_digits;    // ledger-schema, decimal
  std::array<char, 20> position_digits;  // ledger-position, decimal
  std::array<char, 64> chain_hex;        // ledger-chain, lowercase hex
  uint8_t schema_size = 0;
  uint8_t position_size = 0;
};
KafkaRecordHeaders HeadersOf(uint64_t position, const fb::Event& event, const Hash& chain);

// Produces the message of one record (format above; the value copied) to
// partition 0 of `topic` on producer `rk`. Returns librdkafka's
// rd_kafka_resp_err_t. The writer and the raw baseline of `ledger bench
// append --kafka` produce through this one function.
int ProduceRecordMessage(rd_kafka_s* rk, const std::string& topic, std::string_view record,
                         int64_t recorded_at_us, const KafkaRecordHeaders& headers);

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
