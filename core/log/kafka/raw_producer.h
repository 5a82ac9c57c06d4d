// The raw librdkafka baseline of `ledger bench append --kafka`: an
// idempotent producer (acks=all, the writer's linger and batch settings, no
// transactions) of either the very messages the writer produces for the same
// events (message.h, produced through the writer's own ProduceRecordMessage)
// or the bare event bytes. Only ProduceAll is meant to be timed; building the
// messages, connecting and Close are the untimed rest.
//
// This header is free of librdkafka's types: the benchmarks include it.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "core/log/kafka/kafka_log.h"

namespace ledger::core {

// The messages the writer produces for `events` appended from position 0
// (record, key, timestamp, headers with the chain), built once, before any
// clock starts; `events` must outlive them (the bare payload is the events).
class RawKafkaMessages {
 public:
  // The error of the first event that does not decode.
  static Result<RawKafkaMessages> Of(std::span<const std::string> events);
  RawKafkaMessages(RawKafkaMessages&&) noexcept;
  ~RawKafkaMessages();

 private:
  friend class RawKafkaProducer;
  struct Built;
  explicit RawKafkaMessages(std::unique_ptr<Built> built);
  std::unique_ptr<Built> built_;
};

// What a raw producer sends per event.
enum class RawPayload {
  kRecordMessages,  // the writer's message: record, key, timestamp, five headers
  kBareEvents,      // the event bytes alone: no key, no headers
};

class RawKafkaProducer {
 public:
  // A producer to partition 0 of `options.topic` (which must exist), ready
  // as the ledger's writer is once open: connected, with its producer id,
  // one message acknowledged.
  static Result<std::unique_ptr<RawKafkaProducer>> Open(const KafkaOptions& options,
                                                        const RawKafkaMessages& messages,
                                                        RawPayload payload);
  ~RawKafkaProducer();

  // Produces every message once, in batches of `batch`. `per_batch`: waits
  // for each batch to be acknowledged; else streams: serves the delivery
  // reports every batch without waiting, and waits for all of them only at
  // the end.
  void ProduceAll(size_t batch, bool per_batch);

  // Unavailable unless every message produced was acknowledged; ends the
  // producer.
  Status Close();

 private:
  struct Client;
  explicit RawKafkaProducer(std::unique_ptr<Client> client);
  std::unique_ptr<Client> client_;
};

}  // namespace ledger::core
