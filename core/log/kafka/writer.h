// Internal to core/log/kafka/: the write side of the Kafka backend
// (OpenMode::kCreate, kWrite).
//
// An idempotent, transactional producer (acks=all) with transactional.id
// "ledger-<topic>" (KafkaOptions::transactional_id), so a second writer on
// the topic fences the first instead of forking the chain; the fenced one
// fails every later Append with Conflict "fenced: ...". Each Append is one
// Kafka transaction (group commit): its events framed as records at the next
// positions, each produced as its message (message.h), the decision state
// handed to the mirror (mirror.h) once Kafka has committed. On open the
// writer fences older writers (init_transactions), so that the end of the
// topic it then reads is final. Size and HeadHash are what was committed.
#pragma once

#include <memory>
#include <string>

#include "core/log/event_log.h"
#include "core/log/kafka/kafka_log.h"

namespace ledger::core::kafka {

// OpenKafkaLog for kCreate and kWrite.
Result<std::unique_ptr<EventLog>> OpenKafkaWriter(KafkaOptions o, const std::string& local_dir,
                                                  OpenMode mode);

}  // namespace ledger::core::kafka
