#include "core/log/kafka/admin.h"

#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>

#include "core/log/kafka/client.h"

namespace ledger::core {
namespace {

using kafka::Clock;
using kafka::KafkaPtr;
using kafka::Millis;
using kafka::Where;

// Partition count of `topic`, or NotFound / Unavailable.
Result<int> PartitionCount(rd_kafka_t* rk, const KafkaOptions& o) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, o.topic.c_str(), nullptr);
  const struct rd_kafka_metadata* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, Millis(o.timeout));
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: no metadata within {} ms: {}", Where(o),
                                           o.timeout.count(), rd_kafka_err2str(err)));
  }
  std::unique_ptr<const struct rd_kafka_metadata, decltype(&rd_kafka_metadata_destroy)> owned(
      md, &rd_kafka_metadata_destroy);
  if (md->topic_cnt != 1) return Status::NotFound(Where(o) + ": no such topic");
  const rd_kafka_metadata_topic& t = md->topics[0];
  if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound(Where(o) + ": no such topic (create it with `ledger init --kafka`)");
  }
  if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: {}", Where(o), rd_kafka_err2str(t.err)));
  }
  return t.partition_cnt;
}

// The client the topic verbs (create, delete) send their admin requests with.
Result<KafkaPtr> NewAdminClient(const KafkaOptions& o) {
  return kafka::NewClient(RD_KAFKA_PRODUCER,
                          {{"bootstrap.servers", o.brokers}, {"client.id", "ledger-admin"}});
}

// Runs one topic admin request (`request` sends it with the options and
// queue given) and waits for its answer: the error of the one topic it names
// in *code and *message (as `results` lists them). Unavailable when the
// cluster does not answer in time.
template <typename Request, typename Results>
Status RunTopicAdmin(rd_kafka_t* rk, const KafkaOptions& o, rd_kafka_admin_op_t op,
                     const Request& request, const Results& results, rd_kafka_resp_err_t* code,
                     std::string* message) {
  char err[512];
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, op);
  rd_kafka_AdminOptions_set_request_timeout(options, Millis(o.timeout), err, sizeof err);
  rd_kafka_AdminOptions_set_operation_timeout(options, Millis(o.timeout), err, sizeof err);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  request(options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, Millis(o.timeout) + 5000);
  Status st;
  *code = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (event == nullptr) {
    st = Status::Unavailable(
        fmt::format("{}: no answer to {}", Where(o),
                    op == RD_KAFKA_ADMIN_OP_CREATETOPICS ? "CreateTopics" : "DeleteTopics"));
  } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    *code = rd_kafka_event_error(event);
    *message = rd_kafka_event_error_string(event);
  } else {
    size_t count = 0;
    const rd_kafka_topic_result_t** topics = results(event, &count);
    if (count == 1) {
      *code = rd_kafka_topic_result_error(topics[0]);
      const char* s = rd_kafka_topic_result_error_string(topics[0]);
      *message = s == nullptr ? rd_kafka_err2str(*code) : s;
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_AdminOptions_destroy(options);
  return st;
}

}  // namespace

namespace kafka {

Status CheckSinglePartition(rd_kafka_t* rk, const KafkaOptions& o) {
  auto n = PartitionCount(rk, o);
  if (!n.ok()) return n.status();
  if (*n != 1) {
    return Status::InvalidArgument(fmt::format(
        "{} has {} partitions; the ledger's topic must have exactly 1 (one order, one chain)",
        Where(o), *n));
  }
  return Status::OK();
}

}  // namespace kafka

Status CreateKafkaTopic(const KafkaOptions& o, bool* existed) {
  if (existed != nullptr) *existed = false;
  if (o.replication_factor < 1) {
    return Status::InvalidArgument("replication factor must be at least 1");
  }
  auto rk = NewAdminClient(o);
  if (!rk.ok()) return rk.status();
  char err[512];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(o.topic.c_str(), 1, o.replication_factor, err, sizeof err);
  if (topic == nullptr) return Status::InvalidArgument(Where(o) + ": " + err);
  const std::string min_isr = std::to_string(std::max(1, o.replication_factor - 1));
  rd_kafka_NewTopic_set_config(topic, "min.insync.replicas", min_isr.c_str());
  rd_kafka_NewTopic_set_config(topic, "cleanup.policy", "delete");
  rd_kafka_NewTopic_set_config(topic, "retention.ms", "-1");
  rd_kafka_NewTopic_set_config(topic, "retention.bytes", "-1");
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  Status st = RunTopicAdmin(
      rk->get(), o, RD_KAFKA_ADMIN_OP_CREATETOPICS,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_CreateTopics(rk->get(), &topic, 1, options, queue);
      },
      [](rd_kafka_event_t* event, size_t* count) {
        return rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event),
                                                   count);
      },
      &code, &message);
  rd_kafka_NewTopic_destroy(topic);
  LEDGER_RETURN_IF_ERROR(st);
  if (code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    if (existed != nullptr) *existed = true;
    return kafka::CheckSinglePartition(rk->get(), o);
  }
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: create topic: {}", Where(o), message));
  }
  // CreateTopics answers once the controller made the topic; the brokers'
  // metadata may show it a moment later. Wait for it, so that the client
  // opened next (the writer of `ledger init`) finds the topic.
  const auto deadline = Clock::now() + o.timeout;
  while (true) {
    auto n = PartitionCount(rk->get(), o);
    if (n.ok()) return Status::OK();
    if (!n.status().IsNotFound() || Clock::now() >= deadline) return n.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status DeleteKafkaTopic(const KafkaOptions& o) {
  auto rk = NewAdminClient(o);
  if (!rk.ok()) return rk.status();
  rd_kafka_DeleteTopic_t* topic = rd_kafka_DeleteTopic_new(o.topic.c_str());
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  Status st = RunTopicAdmin(
      rk->get(), o, RD_KAFKA_ADMIN_OP_DELETETOPICS,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DeleteTopics(rk->get(), &topic, 1, options, queue);
      },
      [](rd_kafka_event_t* event, size_t* count) {
        return rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event),
                                                   count);
      },
      &code, &message);
  rd_kafka_DeleteTopic_destroy(topic);
  LEDGER_RETURN_IF_ERROR(st);
  if (code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound(Where(o) + ": no such topic");
  }
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: delete topic: {}", Where(o), message));
  }
  return Status::OK();
}

}  // namespace ledger::core
