// The `ledger` binary on Kafka, against a real broker, as an operator runs it.
#include <doctest/doctest.h>
#include <librdkafka/rdkafka.h>

#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "tests/kafka/kafka_env.h"
#include "tests/support/event_json.h"
#include "tests/support/ledger_cli.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tools/gen/generator.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST_CASE("init, append, log, verify, trace, digest and rebuild with --kafka") {
  TempDir tmp;
  const std::string brokers = KafkaBrokers(), topic = FreshTopic("cli");
  const std::vector<std::string> k = {"--kafka", brokers, "--topic", topic};
  auto with = [&](std::vector<std::string> args, const std::string& data) {
    args.push_back("--data");
    args.push_back(data);
    args.insert(args.end(), k.begin(), k.end());
    return args;
  };
  const std::string writer = tmp.Sub("writer"), reader = tmp.Sub("reader");
  const std::string embedded = tmp.Sub("embedded");

  auto missing = Ledger(with({"append", "-"}, writer), UnitLine(1) + "\n");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("Kafka topic " + topic + " at " + brokers + ": no such topic") !=
        std::string::npos);

  auto init = Ledger(with({"init"}, writer));
  REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  CHECK(init.out.find("ledger on Kafka topic " + topic) != std::string::npos);
  CHECK(Ledger(with({"init"}, writer)).exit_code == 1);  // never over an existing mirror
  REQUIRE(Ledger({"init", "--data", embedded}).exit_code == 0);

  const std::string input = Join(DemoChainLines());
  auto appended = Ledger(with({"append", "--json", "-"}, writer), input);
  REQUIRE_MESSAGE(appended.exit_code == 0, appended.err);
  REQUIRE(Ledger({"append", "--data", embedded, "-"}, input).exit_code == 0);
  const size_t n = DemoChainLines().size();
  auto outcomes = JsonLines(appended.out);
  REQUIRE(outcomes.size() == n);
  CHECK(outcomes.back()["position"] == n - 1);

  // A reader elsewhere: no mirror, only the topic.
  auto log = Ledger(with({"log", "--from", "2", "--limit", "3"}, reader));
  REQUIRE_MESSAGE(log.exit_code == 0, log.err);
  auto events = JsonLines(log.out);
  auto local = JsonLines(Ledger({"log", "--data", embedded, "--from", "2", "--limit", "3"}).out);
  REQUIRE(events.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(events[i]["position"] == 2 + i);
    CHECK(events[i]["id"] == local[i]["id"]);
    CHECK(events[i]["data"] == local[i]["data"]);
  }
  auto verified = Ledger(with({"verify", "--json"}, reader));
  REQUIRE_MESSAGE(verified.exit_code == 0, verified.out << verified.err);
  CHECK(JsonLines(verified.out).at(0)["records"] == n);
  CHECK(JsonLines(Ledger(with({"verify", "--json"}, writer)).out).at(0)["head"] ==
        JsonLines(verified.out).at(0)["head"]);  // the mirror equals the topic
  // The run ended with the records copied into --data, which verifies alone...
  auto local_copy = Ledger({"verify", "--json", "--data", writer});
  REQUIRE_MESSAGE(local_copy.exit_code == 0, local_copy.out << local_copy.err);
  CHECK(JsonLines(local_copy.out).at(0)["head"] == JsonLines(verified.out).at(0)["head"]);
  // ...and takes no append but through the topic.
  auto bypass = Ledger({"append", "--data", writer, "-"}, UnitLine(90) + "\n");
  CHECK(bypass.exit_code == 1);
  CHECK(bypass.err.find("append through --kafka") != std::string::npos);

  for (std::vector<std::string> query :
       {std::vector<std::string>{"trace", "--json", "PAY-2025-0042-01-2"},
        {"trace", "--down", "--json", "BL-2025-0042-01"},
        {"show", "--json", "CON-2025-0042-01"},
        {"history", "--json", "CON-2025-0042-01"},
        {"digest", "--json"}}) {
    CAPTURE(query[0]);
    auto on_kafka = Ledger(with(query, reader));
    query.push_back("--data");
    query.push_back(embedded);
    auto on_disk = Ledger(query);
    REQUIRE_MESSAGE(on_kafka.exit_code == 0, on_kafka.err);
    CHECK(!on_kafka.out.empty());
    CHECK(on_kafka.out == on_disk.out);
  }
  auto digest = Ledger(with({"digest", "--json"}, reader)).out;
  auto rebuilt = Ledger(with({"rebuild"}, reader));
  REQUIRE_MESSAGE(rebuilt.exit_code == 0, rebuilt.err);
  CHECK(rebuilt.out.find("from " + std::to_string(n) + " events") != std::string::npos);
  CHECK(Ledger(with({"digest", "--json"}, reader)).out == digest);
}

// Creates `topic` with `partitions` partitions, as another team might have.
void CreateTopicWithPartitions(const std::string& topic, int partitions) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  REQUIRE(rd_kafka_conf_set(conf, "bootstrap.servers", KafkaBrokers().c_str(), err, sizeof err) ==
          RD_KAFKA_CONF_OK);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  REQUIRE(rk != nullptr);
  rd_kafka_NewTopic_t* t = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, err, sizeof err);
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &t, 1, nullptr, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 30000);
  REQUIRE(ev != nullptr);
  size_t n = 0;
  const rd_kafka_topic_result_t** res =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
  REQUIRE(n == 1);
  CHECK(rd_kafka_topic_result_error(res[0]) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(q);
  rd_kafka_NewTopic_destroy(t);
  rd_kafka_destroy(rk);
}

TEST_CASE("init --kafka accepts an existing one-partition topic and refuses any other count") {
  TempDir tmp;
  const std::string brokers = KafkaBrokers();
  const std::string wide = FreshTopic("wide"), single = FreshTopic("single");
  CreateTopicWithPartitions(wide, 3);
  auto refused = Ledger({"init", "--kafka", brokers, "--topic", wide, "--data", tmp.Sub("a")});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("Kafka topic " + wide + " at " + brokers +
                         " has 3 partitions; the ledger's topic must have exactly 1") !=
        std::string::npos);
  CreateTopicWithPartitions(single, 1);
  auto accepted = Ledger({"init", "--kafka", brokers, "--topic", single, "--data", tmp.Sub("b")});
  CHECK_MESSAGE(accepted.exit_code == 0, accepted.err);
  auto appended = Ledger({"append", "--kafka", brokers, "--topic", wide, "--data", tmp.Sub("c")},
                         UnitLine(1) + "\n");
  CHECK(appended.exit_code == 1);  // neither does a writer use it
}

TEST_CASE("bench append --kafka and bench rebuild --kafka print JSON summaries") {
  const std::string brokers = KafkaBrokers();
  auto append =
      Ledger({"bench", "append", "--kafka", brokers, "--events", "3000", "--rounds", "1"});
  REQUIRE_MESSAGE(append.exit_code == 0, append.err);
  auto a = json::parse(append.out.substr(append.out.rfind('{')));
  CHECK(a["backend"] == "kafka");
  CHECK(a["events"] == 3000);
  CHECK(a["accepted"].get<uint64_t>() + a["refused"].get<uint64_t>() == 3000);
  CHECK(a["ledger_events_per_s"].get<double>() > 0);
  CHECK(a["raw_kafka_batched_msgs_per_s"].get<double>() > 0);
  CHECK(a["ratio"].get<double>() > 0);
  CHECK(a["ratio_paired_median"].get<double>() > 0);
  CHECK(a["ledger_cpu_us_per_event"].get<double>() > 0);
  CHECK(a["raw_kafka_stream_cpu_us_per_msg"].get<double>() > 0);
  auto rebuild = Ledger({"bench", "rebuild", "--kafka", brokers, "--events", "3000"});
  REQUIRE_MESSAGE(rebuild.exit_code == 0, rebuild.err);
  auto r = json::parse(rebuild.out.substr(rebuild.out.rfind('{')));
  CHECK(r["backend"] == "kafka");
  CHECK(r["events"] == 3000);
  CHECK(r["rebuild_events_per_s"].get<double>() > 0);
}

TEST_CASE("log --kafka --follow prints committed events as JSON lines as they arrive") {
  TempDir tmp;
  const std::string brokers = KafkaBrokers(), topic = FreshTopic("follow");
  const std::string w = tmp.Sub("w");
  REQUIRE(Ledger({"init", "--kafka", brokers, "--topic", topic, "--data", w}).exit_code == 0);
  REQUIRE(Ledger({"append", "--kafka", brokers, "--topic", topic, "--data", w, "-"},
                 Join({UnitLine(1), UnitLine(2)}))
              .exit_code == 0);
  Child follower({LEDGER_BIN, "log", "--kafka", brokers, "--topic", topic, "--data", tmp.Sub("r"),
                  "--from", "1", "--follow"});
  std::string line;
  REQUIRE(follower.ReadLine(&line));
  CHECK(json::parse(line)["position"] == 1);
  CHECK(json::parse(line)["id"] == "evt-unit-2");
  for (uint64_t batch = 0; batch < 3; ++batch) {
    REQUIRE(Ledger({"append", "--kafka", brokers, "--topic", topic, "--data", w, "-"},
                   Join({UnitLine(10 + 2 * batch), UnitLine(11 + 2 * batch)}))
                .exit_code == 0);
    for (uint64_t i = 0; i < 2; ++i) {
      REQUIRE(follower.ReadLine(&line));
      auto e = json::parse(line);
      CHECK(e["position"] == 2 + 2 * batch + i);
      CHECK(e["id"] == "evt-unit-" + std::to_string(10 + 2 * batch + i));
      CHECK(e["hash"].get<std::string>().size() == 64);
    }
  }
  follower.Kill();
}

// A broker of this test's own, to stop and restart under a running writer.
class OwnBroker {
 public:
  OwnBroker(std::string dir, int port) : dir_(std::move(dir)), port_(port) {
    auto r = Run({script_, "start", dir_, std::to_string(port_)});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  ~OwnBroker() { Run({script_, "stop", dir_}); }
  void Stop() { REQUIRE(Run({script_, "stop", dir_}).exit_code == 0); }
  void Restart() {
    auto r = Run({script_, "restart", dir_});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::string script_ = std::string(LEDGER_SOURCE_DIR) + "/tools/kafka-broker";
  std::string dir_;
  int port_;
};

TEST_CASE(
    "the broker stops and restarts in the middle of an append run: nothing acknowledged is "
    "lost or duplicated") {
  TempDir tmp;
  OwnBroker broker(tmp.Sub("broker"), OwnBrokerPort());
  const std::string topic = FreshTopic("restart"), data = tmp.Sub("w");
  const std::vector<std::string> k = {"--kafka", broker.address(), "--topic",
                                      topic,     "--data",         data};
  auto init = k;
  init.insert(init.begin(), "init");
  REQUIRE(Ledger(init).exit_code == 0);
  std::vector<std::string> lines;
  gen::GenerateChains({36, 4, 0.0}, [&](const std::string& l) { lines.push_back(l); });
  REQUIRE(lines.size() > 450);

  std::vector<std::string> args = {LEDGER_BIN, "append", "--json", "-"};
  args.insert(args.end(), k.begin(), k.end());
  Child writer(args);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<json> outcomes;
  bool done = false;
  std::thread collect([&] {
    std::string line;
    while (writer.ReadLine(&line)) {
      std::lock_guard lock(mu);
      outcomes.push_back(json::parse(line));
      cv.notify_all();
    }
    std::lock_guard lock(mu);
    done = true;
    cv.notify_all();
  });
  auto wait_for = [&](size_t count) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done || outcomes.size() >= count; });
  };
  const size_t third = 150;
  REQUIRE(writer.Write(Join({lines.begin(), lines.begin() + third})));
  wait_for(third);
  broker.Stop();
  // Under 64 KB: the pipe takes it while the writer waits for the broker.
  REQUIRE(writer.Write(Join({lines.begin() + third, lines.begin() + 2 * third})));
  broker.Restart();
  REQUIRE(writer.Write(Join({lines.begin() + 2 * third, lines.end()})));
  writer.CloseInput();
  collect.join();
  writer.Wait();

  std::map<std::string, uint64_t> acknowledged;  // event id -> position
  for (const json& o : outcomes) {
    if (o.contains("position") && !o.contains("error")) acknowledged[o["id"]] = o["position"];
  }
  MESSAGE(acknowledged.size() << " of " << lines.size() << " acknowledged across the restart");
  CHECK(acknowledged.size() > third);
  // Whatever was not acknowledged is sent again: idempotent by event id.
  args = {"append", "--json", "-"};
  args.insert(args.end(), k.begin(), k.end());
  auto rerun = Ledger(args, Join(lines));
  REQUIRE_MESSAGE(rerun.exit_code == 0, rerun.err);

  args = {"log"};
  args.insert(args.end(), k.begin(), k.end());
  args.back() = tmp.Sub("reader");  // --data: a reader of its own
  auto log = JsonLines(Ledger(args).out);
  CHECK(log.size() == lines.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < log.size(); ++i) {
    CHECK(log[i]["position"] == i);
    CHECK_MESSAGE(ids.insert(log[i]["id"].get<std::string>()).second,
                  "duplicated: " << log[i]["id"]);
  }
  for (const auto& [id, position] : acknowledged) {
    REQUIRE(position < log.size());
    CHECK(log[position]["id"] == id);
  }
  args[0] = "verify";
  auto verified = Ledger(args);
  CHECK_MESSAGE(verified.exit_code == 0, verified.out << verified.err);
}

}  // namespace
}  // namespace ledger::testing
