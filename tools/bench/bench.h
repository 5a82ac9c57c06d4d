// The benchmarks of `ledger bench ...`: each measures the ledger beside the
// raw library baseline it is built on, in the same run, so that the ratio
// stays meaningful on a shared machine whose speed drifts. The method of
// each is in its --help (tools/ledger/verb_bench.cc) and docs/benchmarks.md.
//
// Each returns its report; progress goes to stderr meanwhile. Failures are
// thrown (std::runtime_error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ledger::bench {

struct Report {
  std::string text;  // the lines people read
  std::string json;  // one line of JSON, the same figures, for scripts
};

struct AppendOptions {
  size_t events = 1000000;   // per round
  uint64_t seed = 1;         // of the generator
  double violations = 0.01;  // share of chains carrying one rule-breaking event
  size_t batch = 1000;       // events per durable batch
  int rounds = 3;            // alternating rounds; medians are reported
  std::string dir;           // scratch; empty: a temporary one of the run's own
  std::string kafka;         // brokers; empty: the embedded log
  bool replay = false;       // the same events appended again after a restart (embedded)
};

// The write path with the rules on, beside raw RocksDB synced WriteBatches of
// the same event bytes (append.cc); with `kafka`, through Kafka beside a raw
// librdkafka producer of the same messages (kafka_append.cc); with `replay`,
// the same events submitted again to a reopened ledger that holds them all,
// beside their fresh append in the same round (append.cc).
Report AppendBench(const AppendOptions& options);

struct ReadOptions {
  size_t events = 1000000;  // of the ledger built when `data` is empty
  uint64_t seed = 1;        // of the generator and the sampling
  size_t samples = 10000;   // trails or proofs timed
  std::string dir;          // scratch; empty: a temporary one of the run's own
  std::string data;         // an existing ledger (trace, proofs, verify)
  std::string kafka;        // brokers (rebuild)
};

// Every projection rebuilt from zero, beside raw RocksDB ingest of as many
// keys; with `kafka`, from a topic beside reading the topic alone.
Report RebuildBench(const ReadOptions& options);
// Latency of a full upward trail from random payments.
Report TraceBench(const ReadOptions& options);
// Inclusion-proof generation beside raw RocksDB MultiGet, and verification
// beside raw SHA-256.
Report ProofsBench(const ReadOptions& options);
// A full `ledger verify` beside raw SHA-256 of the same record bytes.
Report VerifyBench(const ReadOptions& options);

}  // namespace ledger::bench
