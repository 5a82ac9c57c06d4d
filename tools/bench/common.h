// Internal to tools/bench/: clocks, statistics, scratch space and the
// ledgers the benchmarks run on.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/log/event_log.h"
#include "core/log/kafka/kafka_log.h"
#include "events/status.h"

namespace ledger::bench {

// Failures end the benchmark: thrown as std::runtime_error(status text).
void Check(const Status& status);
template <typename T>
T ValueOrThrow(Result<T> result) {
  Check(result.status());
  return std::move(result).value();
}

double Seconds(std::chrono::steady_clock::time_point start);

// A timed phase: items per second, and this process's CPU time per item.
struct Pace {
  double per_s = 0;
  double cpu_us = 0;
};
// CPU time of this process so far, every thread of it (the caller's,
// librdkafka's, RocksDB's), in seconds.
double ProcessCpuSeconds();
class Stopwatch {
 public:
  Pace Stop(size_t items) const {
    return {items / Seconds(start_), (ProcessCpuSeconds() - cpu_) * 1e6 / items};
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double cpu_ = ProcessCpuSeconds();
};

// Before a timed phase: the kernel done writing back what earlier phases
// wrote (the broker's log, the mirrors), so no phase pays for another's.
void Settle();

double Median(std::vector<double> v);
struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
};
Percentiles Of(std::vector<double> micros);
double Round2(double v);
double Round3(double v);

// `dir`, or a fresh directory of this run's own under the temp dir (two
// benchmarks running at once must not share their scratch space).
std::filesystem::path ScratchDir(const std::string& dir);

// At least `n` events of generated procurement chains (a few of them made to
// break a rule), encoded once, before any clock starts.
std::vector<std::string> MakeEvents(size_t n, uint64_t seed, double violations);

// An empty embedded ledger in `dir`.
std::unique_ptr<core::EventLog> FreshLog(const std::filesystem::path& dir);
// `events` appended to `log` through the log alone (verify, frame, chain,
// tree; no rules), `batch` events per Append.
void AppendInBatches(core::EventLog& log, std::span<const std::string> events, size_t batch);
// A ledger of `events` generated events in `dir`, through the command
// service (rules on), embedded or on `kafka`; untimed.
void BuildLedger(const std::filesystem::path& dir, size_t events, uint64_t seed,
                 const core::KafkaOptions* kafka = nullptr);
// The ledger given with `data`, or one of `events` generated events built in
// `dir` through the log alone, untimed.
std::string LedgerForReads(const std::string& data, size_t events, uint64_t seed,
                           const std::filesystem::path& dir);
// The embedded ledger in `data`, read-only.
std::unique_ptr<core::EventLog> OpenForReads(const std::string& data);

// The scratch topics of one bench on `brokers`, each of its phase's own,
// deleted with everything in them once the phase is over (when the next one
// asks for its topic) and when the bench ends, so that every phase finds the
// broker as the first did and the bench leaves the cluster as it found it.
// A broker removes the files of a deleted topic file.delete.delay.ms later
// (tools/kafka-broker: at once).
class ScratchTopics {
 public:
  explicit ScratchTopics(std::string brokers) : brokers_(std::move(brokers)) {}
  ~ScratchTopics() { DeleteAll(); }
  ScratchTopics(const ScratchTopics&) = delete;
  ScratchTopics& operator=(const ScratchTopics&) = delete;

  // A new topic's options (the topic is made by whoever uses it first).
  // Deletes the topics made before: their phases are over.
  const core::KafkaOptions& New(const std::string& what);

 private:
  void DeleteAll();

  std::string brokers_;
  std::deque<core::KafkaOptions> made_;  // stable addresses
};

}  // namespace ledger::bench
