// The real Kafka broker the integration tests run against. CTest starts it
// (fixture kafka_broker, tools/kafka-broker) and passes its address in
// LEDGER_TEST_KAFKA; without it these tests fail, they never skip.
#pragma once

#include <doctest/doctest.h>
#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "core/log/kafka/kafka_log.h"

namespace ledger::testing {

inline std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    FAIL(std::string(name)
         << " is not set: run the Kafka tests through ctest, whose kafka_broker fixture "
            "starts a broker (tools/kafka-broker), or set it to HOST:PORT");
  }
  return value;
}

inline std::string KafkaBrokers() { return RequiredEnv("LEDGER_TEST_KAFKA"); }

// The port of a broker a test runs on its own (to stop and restart it): the
// shared broker's port + 100 (tests/CMakeLists.txt keeps both free).
inline int OwnBrokerPort() {
  const std::string shared = KafkaBrokers();
  return std::stoi(shared.substr(shared.rfind(':') + 1)) + 100;
}

// A topic name of this test's own: the broker is shared by parallel tests.
inline std::string FreshTopic(const std::string& what) {
  static int counter = 0;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return fmt::format("test.{}.{}.{}.{}", what, getpid(),
                     std::chrono::duration_cast<std::chrono::milliseconds>(now).count(), ++counter);
}

inline core::KafkaOptions KafkaOpts(const std::string& topic) {
  core::KafkaOptions o;
  o.brokers = KafkaBrokers();
  o.topic = topic;
  return o;
}

}  // namespace ledger::testing
