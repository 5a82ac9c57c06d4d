// The Kafka message of a ledger record: what the writer produces, what every
// reader (the ledger's own and any other consumer of the topic) finds.
//
// The ledger's topic has one partition (partition 0), so it keeps one total
// order and one hash chain. One message per record:
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
// readers map positions to offsets themselves (core/log/kafka/reader.h). The
// chain header lets a reader start anywhere; `ledger verify` recomputes every
// link from position 0 and compares it with the header.
//
// Internal to core/log/kafka/.
#pragma once

#include <librdkafka/rdkafka.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/log/kafka/client.h"
#include "core/log/record_format.h"
#include "events/codec.h"

namespace ledger::core::kafka {

inline constexpr int32_t kPartition = 0;  // the ledger's topic has exactly one

// The headers of a record's message: the type and event id point into the
// event (and the type name table); the rest is formatted in place (no
// allocation per message).
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

// Produces the message of one record (the value copied) to partition 0 of
// `topic` on producer `rk`. The writer and the raw baseline of `ledger bench
// append --kafka` (raw_producer.h) produce through this one function.
rd_kafka_resp_err_t ProduceRecordMessage(rd_kafka_t* rk, const std::string& topic,
                                         std::string_view record, int64_t recorded_at_us,
                                         const KafkaRecordHeaders& headers);

// A record as consumed: the message owns the bytes `record` points into.
struct Fetched {
  MessagePtr message;
  RecordView record;
  Hash chain{};
  int64_t offset = -1;
};

// The record and chain header of consumed message `m` (of topic `o`):
// Corruption naming the offset when either is missing or malformed.
Result<Fetched> ParseMessage(MessagePtr m, const KafkaOptions& o);

}  // namespace ledger::core::kafka
