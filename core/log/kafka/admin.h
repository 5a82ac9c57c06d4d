// Internal to core/log/kafka/: the topic's shape as the cluster's metadata
// shows it. The topic verbs themselves (CreateKafkaTopic, DeleteKafkaTopic)
// are declared in kafka_log.h and defined in admin.cc.
#pragma once

#include <librdkafka/rdkafka.h>

#include "core/log/kafka/kafka_log.h"
#include "events/status.h"

namespace ledger::core::kafka {

// OK when `o.topic` has exactly one partition, as client `rk` sees it;
// InvalidArgument with another count; NotFound / Unavailable.
Status CheckSinglePartition(rd_kafka_t* rk, const KafkaOptions& o);

}  // namespace ledger::core::kafka
