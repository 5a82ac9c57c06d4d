#include "core/log/kafka/kafka_log.h"

#include <utility>

#include "core/log/kafka/reader.h"
#include "core/log/kafka/writer.h"

namespace ledger::core {

Result<std::unique_ptr<EventLog>> OpenKafkaLog(const KafkaOptions& options,
                                               const std::string& local_dir, OpenMode mode) {
  if (options.brokers.empty()) return Status::InvalidArgument("no Kafka brokers given");
  if (options.topic.empty()) return Status::InvalidArgument("no Kafka topic given");
  if (mode == OpenMode::kRead) {
    auto reader = kafka::KafkaReader::Open(options);
    if (!reader.ok()) return reader.status();
    LEDGER_RETURN_IF_ERROR((*reader)->Refresh());
    return std::unique_ptr<EventLog>(std::move(reader).value());
  }
  return kafka::OpenKafkaWriter(options, local_dir, mode);
}

}  // namespace ledger::core
