// Fault injection into the Kafka writer with librdkafka's mock cluster
// (rdkafka_mock.h): failures a real broker rarely gives on demand. The mock
// writes no transaction markers, so the ledger's real behaviour is tested
// against a real broker (tests/kafka); here only the writer's error paths.
#include <doctest/doctest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "core/log/kafka/kafka_log.h"
#include "tests/support/event_json.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

constexpr int16_t kProduceApi = 0;  // Kafka protocol ApiKeys
constexpr int16_t kEndTxnApi = 26;

// A one-broker mock cluster with the ledger's topic.
class MockCluster {
 public:
  MockCluster() {
    char err[256];
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), err, sizeof err);
    REQUIRE(rk_ != nullptr);
    cluster_ = rd_kafka_mock_cluster_new(rk_, 1);
    REQUIRE(cluster_ != nullptr);
    REQUIRE(rd_kafka_mock_topic_create(cluster_, "ledger.mock", 1, 1) ==
            RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ~MockCluster() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(rk_);
  }
  KafkaOptions Options() const {
    KafkaOptions o;
    o.brokers = rd_kafka_mock_cluster_bootstraps(cluster_);
    o.topic = "ledger.mock";
    o.timeout = std::chrono::milliseconds(10000);
    return o;
  }
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }

 private:
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

TEST_CASE("Kafka writer: an aborted transaction leaves nothing in the mirror, the writer goes on") {
  MockCluster mock;
  testing::TempDir tmp;
  auto log = OpenKafkaLog(mock.Options(), tmp.Sub("mirror"), OpenMode::kWrite);
  REQUIRE_MESSAGE(log.ok(), log.status().ToString());
  EventLog& writer = **log;
  REQUIRE(writer.Append(testing::PaymentEvents(1, 3)).ok());
  CHECK(writer.Size() == 3);
  const Hash head = writer.HeadHash();

  // A produce error that cannot be retried makes the transaction abortable.
  rd_kafka_mock_push_request_errors(mock.cluster(), kProduceApi, 1,
                                    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  auto failed = writer.Append(testing::PaymentEvents(4, 2));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message().find("nothing of the batch was written") != std::string::npos);
  CHECK(writer.Size() == 3);
  CHECK(writer.HeadHash() == head);

  // The same writer goes on. (librdkafka may fail the transaction after an
  // aborted one once more while it resets its idempotence sequence: still
  // all or nothing.)
  auto next = writer.Append(testing::PaymentEvents(4, 2));
  for (int attempt = 0; attempt < 2 && !next.ok(); ++attempt) {
    CHECK(next.status().message().find("nothing of the batch was written") != std::string::npos);
    CHECK(writer.Size() == 3);
    next = writer.Append(testing::PaymentEvents(4, 2));
  }
  REQUIRE_MESSAGE(next.ok(), next.status().ToString());
  CHECK(*next == 3);
  CHECK(writer.Size() == 5);
}

TEST_CASE("Kafka writer: fenced at commit, it stops with a clear error and writes nothing more") {
  MockCluster mock;
  testing::TempDir tmp;
  auto log = OpenKafkaLog(mock.Options(), tmp.Sub("mirror"), OpenMode::kWrite);
  REQUIRE_MESSAGE(log.ok(), log.status().ToString());
  EventLog& writer = **log;
  REQUIRE(writer.Append(testing::PaymentEvents(1, 2)).ok());
  rd_kafka_mock_push_request_errors(mock.cluster(), kEndTxnApi, 1,
                                    RD_KAFKA_RESP_ERR_PRODUCER_FENCED);
  auto fenced = writer.Append(testing::PaymentEvents(3, 2));
  REQUIRE_FALSE(fenced.ok());
  CHECK(fenced.status().code() == Status::Code::kConflict);
  CHECK(fenced.status().message().find("fenced: another writer opened topic ledger.mock") !=
        std::string::npos);
  CHECK(writer.Size() == 2);
  auto again = writer.Append(testing::PaymentEvents(5, 1));
  CHECK(again.status().code() == Status::Code::kConflict);
  CHECK(writer.Size() == 2);
}

}  // namespace
}  // namespace ledger::core
