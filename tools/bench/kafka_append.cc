#include "tools/bench/kafka_append.h"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/command/command_service.h"
#include "core/log/kafka/kafka_log.h"
#include "core/log/kafka/raw_producer.h"
#include "tools/bench/common.h"

namespace ledger::bench {
namespace {

namespace fs = std::filesystem;

struct LedgerRun {
  Pace pace;
  core::CommandStats stats;
};

// The ledger's write path on Kafka: verify, idempotency, rules R1-R12,
// evidence of refusals, hash chain, decision state, each batch handed to the
// service's committer (FlushAsync) while the next one is checked; batches
// that wait for a commit go together into the next Kafka transaction
// (idempotent, acks=all) and mirror write. Every outcome is counted, and only
// reported once durable; the clock stops when the last one is.
LedgerRun KafkaLedgerRate(const std::vector<std::string>& evs, size_t batch, ScratchTopics& topics,
                          const fs::path& dir) {
  fs::remove_all(dir);
  auto log =
      ValueOrThrow(core::OpenKafkaLog(topics.New("ledger"), dir.string(), core::OpenMode::kCreate));
  size_t reported = 0;
  auto service =
      ValueOrThrow(core::CommandService::Open(*log, [&](const core::LineOutcome&) { ++reported; }));
  Settle();
  Stopwatch watch;
  for (size_t i = 0; i < evs.size(); ++i) {
    service->SubmitEvent(i + 1, evs[i]);
    if ((i + 1) % batch == 0 || i + 1 == evs.size()) {
      Check(i + 1 == evs.size() ? service->Flush() : service->FlushAsync());
    }
  }
  LedgerRun run{watch.Stop(evs.size()), service->stats()};
  if (reported != evs.size()) {
    throw std::runtime_error(
        fmt::format("{} outcomes reported for {} events", reported, evs.size()));
  }
  service.reset();
  log.reset();
  fs::remove_all(dir);
  return run;
}

// The Kafka log alone (no rules): verify, frame, hash-chain, one Kafka
// transaction per batch (and the mirror's note of its size), on the same bytes.
double KafkaLogOnlyRate(const std::vector<std::string>& evs, size_t batch, ScratchTopics& topics,
                        const fs::path& dir) {
  fs::remove_all(dir);
  auto log = ValueOrThrow(
      core::OpenKafkaLog(topics.New("log-only"), dir.string(), core::OpenMode::kCreate));
  Settle();
  Stopwatch watch;
  AppendInBatches(*log, evs, batch);
  double rate = watch.Stop(evs.size()).per_s;
  log.reset();
  fs::remove_all(dir);
  return rate;
}

// Raw librdkafka (core/log/kafka/raw_producer.h), on a fresh topic: the
// producer is connected and has its producer id before the clock starts.
Pace RawKafkaRate(const core::RawKafkaMessages& messages, core::RawPayload payload, size_t events,
                  size_t batch, ScratchTopics& topics, bool per_batch) {
  const core::KafkaOptions& o = topics.New(per_batch ? "raw-batched" : "raw-stream");
  Check(core::CreateKafkaTopic(o));
  auto producer = ValueOrThrow(core::RawKafkaProducer::Open(o, messages, payload));
  Settle();
  Stopwatch watch;
  producer->ProduceAll(batch, per_batch);
  Pace pace = watch.Stop(events);
  Check(producer->Close());
  return pace;
}

}  // namespace

Report KafkaAppendBench(const std::vector<std::string>& evs, size_t bytes, size_t batch, int rounds,
                        const std::string& brokers, const fs::path& dir) {
  std::vector<double> ledger_rates, batched_rates, stream_rates, bare_rates, log_rates;
  std::vector<double> ledger_cpu, stream_cpu;  // µs of this process per event / message
  std::vector<double> paired;  // each round's ledger / raw streaming, measured side by side
  core::CommandStats stats;
  const core::RawKafkaMessages messages = ValueOrThrow(core::RawKafkaMessages::Of(evs));
  ScratchTopics topics(brokers);
  auto raw = [&](core::RawPayload payload, bool per_batch) {
    return RawKafkaRate(messages, payload, evs.size(), batch, topics, per_batch);
  };
  // A broker just started compiles its hot paths during its first messages:
  // the first timed phase would pay for it alone.
  fmt::print(stderr, "warming up the broker (untimed: a raw run and a ledger run)...\n");
  raw(core::RawPayload::kRecordMessages, /*per_batch=*/false);
  KafkaLedgerRate(evs, batch, topics, dir / "mirror");
  for (int r = 0; r < rounds; ++r) {
    auto raw_phases = [&] {
      batched_rates.push_back(raw(core::RawPayload::kRecordMessages, /*per_batch=*/true).per_s);
      Pace stream = raw(core::RawPayload::kRecordMessages, /*per_batch=*/false);
      stream_rates.push_back(stream.per_s);
      stream_cpu.push_back(stream.cpu_us);
      bare_rates.push_back(raw(core::RawPayload::kBareEvents, /*per_batch=*/false).per_s);
    };
    auto ledger_phases = [&] {
      log_rates.push_back(KafkaLogOnlyRate(evs, batch, topics, dir / "log-only"));
      LedgerRun run = KafkaLedgerRate(evs, batch, topics, dir / "mirror");
      ledger_rates.push_back(run.pace.per_s);
      ledger_cpu.push_back(run.pace.cpu_us);
      stats = run.stats;
    };
    // Alternating which side goes first cancels a drift of the machine.
    if (r % 2 == 0) {
      raw_phases();
      ledger_phases();
    } else {
      ledger_phases();
      raw_phases();
    }
    paired.push_back(ledger_rates.back() / stream_rates.back());
    fmt::print(stderr,
               "round {}: ledger on Kafka {:.0f} events/s, Kafka log only {:.0f} events/s, raw "
               "producer of the same messages streaming {:.0f} msgs/s, acknowledged per batch "
               "{:.0f} msgs/s, raw producer of bare event bytes streaming {:.0f} msgs/s; ratio "
               "{:.2f}; CPU of this process per event: ledger {:.2f} µs, raw streaming {:.2f} "
               "µs\n",
               r + 1, ledger_rates.back(), log_rates.back(), stream_rates.back(),
               batched_rates.back(), bare_rates.back(), ledger_rates.back() / stream_rates.back(),
               ledger_cpu.back(), stream_cpu.back());
  }
  double ledger = Median(ledger_rates), batched = Median(batched_rates);
  double log_only = Median(log_rates);
  double stream = Median(stream_rates), bare = Median(bare_rates);
  Report report;
  std::string& out = report.text;
  out += fmt::format(
      "append through Kafka at {}, {} generated events of {} bytes on average, batches of {}, "
      "medians of {} rounds:\n",
      brokers, evs.size(), bytes / evs.size(), batch, rounds);
  out += fmt::format(
      "  ledger (rules; pipelined: a transaction per group)     {:>10.0f} events/s\n", ledger);
  out += fmt::format(
      "  Kafka log only (no rules: a transaction per batch)     {:>10.0f} events/s\n", log_only);
  out += "  raw producer, idempotent acks=all, of the same messages (record, key, headers):\n";
  out += fmt::format("    streaming                                            {:>10.0f} msgs/s\n",
                     stream);
  out += fmt::format("    acknowledged per batch                               {:>10.0f} msgs/s\n",
                     batched);
  out += "  raw producer of the bare event bytes (no key, no headers), streaming\n";
  out += fmt::format("                                                         {:>10.0f} msgs/s\n",
                     bare);
  out += fmt::format("  ratio, ledger / raw same messages streaming            {:>10.2f}\n",
                     ledger / stream);
  // Each round's ratio compares phases run side by side: the machine's
  // speed drifts between rounds.
  std::string rounds_list;
  for (double p : paired) rounds_list += fmt::format(" {:.2f}", p);
  out += fmt::format(
      "  ratio, ledger / raw same messages streaming, per round {:>10.2f} (median of{})\n",
      Median(paired), rounds_list);
  out += fmt::format("  ratio, ledger / raw same messages acked per batch      {:>10.2f}\n",
                     ledger / batched);
  out += fmt::format("  ratio, ledger / raw bare event bytes                   {:>10.2f}\n",
                     ledger / bare);
  out += fmt::format("  ratio, Kafka log only / raw same messages per batch    {:>10.2f}\n",
                     log_only / batched);
  // What the rates come from on a machine the broker shares: the work each
  // side does per event (the broker's own is the same for both and not counted).
  double cpu_ledger = Median(ledger_cpu), cpu_stream = Median(stream_cpu);
  out += "  CPU of this process per event (all its threads; the broker's not counted):\n";
  out += fmt::format("    ledger                                               {:>10.2f} µs\n",
                     cpu_ledger);
  out += fmt::format("    raw producer of the same messages, streaming         {:>10.2f} µs\n",
                     cpu_stream);
  out += fmt::format("  accepted {}, refused by a rule {} (evidence recorded)\n", stats.appended,
                     stats.refused());
  report.json = nlohmann::ordered_json{{"bench", "append"},
                                       {"backend", "kafka"},
                                       {"events", evs.size()},
                                       {"event_bytes", bytes / evs.size()},
                                       {"batch", batch},
                                       {"rounds", rounds},
                                       {"rules", true},
                                       {"pipelined", true},
                                       {"accepted", stats.appended},
                                       {"refused", stats.refused()},
                                       {"ledger_events_per_s", std::round(ledger)},
                                       {"log_only_events_per_s", std::round(log_only)},
                                       {"raw_kafka_stream_msgs_per_s", std::round(stream)},
                                       {"raw_kafka_batched_msgs_per_s", std::round(batched)},
                                       {"raw_kafka_bare_msgs_per_s", std::round(bare)},
                                       {"ratio", Round3(ledger / stream)},
                                       {"ratio_paired_median", Round3(Median(paired))},
                                       {"ratio_batched", Round3(ledger / batched)},
                                       {"ratio_bare", Round3(ledger / bare)},
                                       {"log_only_ratio", Round3(log_only / batched)},
                                       {"ledger_cpu_us_per_event", Round2(cpu_ledger)},
                                       {"raw_kafka_stream_cpu_us_per_msg", Round2(cpu_stream)}}
                    .dump();
  return report;
}

}  // namespace ledger::bench
