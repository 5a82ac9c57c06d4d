// Internal to core/log/kafka/: librdkafka clients owned by smart pointers,
// made from a list of settings, and the few helpers every part of the
// backend shares (where an error happened, librdkafka's millisecond ints).
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/log/kafka/kafka_log.h"
#include "events/status.h"

namespace ledger::core::kafka {

using Clock = std::chrono::steady_clock;

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

// "Kafka topic T at BROKERS", for error messages.
std::string Where(const KafkaOptions& o);

// `d` as librdkafka's int milliseconds (clamped to 0..INT32_MAX).
int Millis(std::chrono::milliseconds d);
int MillisUntil(Clock::time_point deadline);

// A producer's delivery report callback (librdkafka's dr_msg_cb): `opaque`
// is the one given to NewClient.
using DeliveryReport = void (*)(rd_kafka_t*, const rd_kafka_message_t*, void* opaque);

// A client of `type` with `settings` (name, value), set in order; errors name
// the setting. With `on_delivery`, a producer queues a delivery report per
// message, served by rd_kafka_poll and rd_kafka_flush.
Result<KafkaPtr> NewClient(rd_kafka_type_t type,
                           const std::vector<std::pair<std::string, std::string>>& settings,
                           DeliveryReport on_delivery = nullptr, void* opaque = nullptr);

}  // namespace ledger::core::kafka
