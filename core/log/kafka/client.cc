#include "core/log/kafka/client.h"

#include <fmt/core.h>

#include <algorithm>

namespace ledger::core::kafka {

std::string Where(const KafkaOptions& o) {
  return fmt::format("Kafka topic {} at {}", o.topic, o.brokers);
}

int Millis(std::chrono::milliseconds d) {
  return static_cast<int>(std::clamp<int64_t>(d.count(), 0, INT32_MAX));
}

int MillisUntil(Clock::time_point deadline) {
  return Millis(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

Result<KafkaPtr> NewClient(rd_kafka_type_t type,
                           const std::vector<std::pair<std::string, std::string>>& settings,
                           DeliveryReport on_delivery, void* opaque) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] : settings) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Status::InvalidArgument(fmt::format("Kafka setting {}={}: {}", name, value, err));
    }
  }
  if (on_delivery != nullptr) rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  if (opaque != nullptr) rd_kafka_conf_set_opaque(conf, opaque);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(fmt::format("Kafka client: {}", err));
  }
  return KafkaPtr(rk);
}

}  // namespace ledger::core::kafka
