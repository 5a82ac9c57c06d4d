// `ledger bench append`: the embedded write path beside raw RocksDB.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/command/command_service.h"
#include "core/log/raw_rocksdb.h"
#include "tools/bench/bench.h"
#include "tools/bench/common.h"
#include "tools/bench/kafka_append.h"

namespace ledger::bench {
namespace {

namespace fs = std::filesystem;

struct LedgerRun {
  double rate = 0;
  core::CommandStats stats;
};

// The ledger's write path: verify, idempotency, rules R1-R12, evidence of
// refusals, hash chain, decision state, one synced batch per `batch` events.
LedgerRun LedgerRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  std::unique_ptr<core::EventLog> log = FreshLog(dir);
  auto service = ValueOrThrow(core::CommandService::Open(*log, [](const core::LineOutcome&) {}));
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < evs.size(); ++i) {
    service->SubmitEvent(i + 1, evs[i]);
    if ((i + 1) % batch == 0 || i + 1 == evs.size()) Check(service->Flush());
  }
  LedgerRun run{evs.size() / Seconds(start), service->stats()};
  service.reset();
  log.reset();
  fs::remove_all(dir);
  return run;
}

// The log alone: verify, frame, hash-chain and write the same bytes in
// synced batches, no rules.
double LogOnlyRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  std::unique_ptr<core::EventLog> log = FreshLog(dir);
  auto start = std::chrono::steady_clock::now();
  AppendInBatches(*log, evs, batch);
  double rate = evs.size() / Seconds(start);
  log.reset();
  fs::remove_all(dir);
  return rate;
}

// Raw RocksDB: synced WriteBatches of the same event bytes.
double RawRocksRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  std::unique_ptr<core::RawRocksDb> db = ValueOrThrow(core::RawRocksDb::Fresh(dir.string()));
  auto start = std::chrono::steady_clock::now();
  Check(db->WriteSynced(evs, batch));
  double rate = evs.size() / Seconds(start);
  db.reset();
  fs::remove_all(dir);
  return rate;
}

Report EmbeddedAppendBench(const AppendOptions& o, const std::vector<std::string>& evs,
                           size_t bytes, const fs::path& dir) {
  std::vector<double> ledger_rates, raw_rates, log_rates;
  core::CommandStats stats;
  for (int r = 0; r < o.rounds; ++r) {
    raw_rates.push_back(RawRocksRate(evs, o.batch, dir / "raw"));
    log_rates.push_back(LogOnlyRate(evs, o.batch, dir / "log"));
    LedgerRun run = LedgerRate(evs, o.batch, dir / "ledger");
    ledger_rates.push_back(run.rate);
    stats = run.stats;
    fmt::print(stderr,
               "round {}: ledger {:.0f} events/s, log only {:.0f} events/s, raw RocksDB {:.0f} "
               "events/s\n",
               r + 1, ledger_rates.back(), log_rates.back(), raw_rates.back());
  }
  double ledger_rate = Median(ledger_rates), raw_rate = Median(raw_rates);
  double log_rate = Median(log_rates);
  Report report;
  std::string& out = report.text;
  out += fmt::format("append, {} generated events of {} bytes on average, synced batches of {}:\n",
                     evs.size(), bytes / evs.size(), o.batch);
  out += fmt::format("  ledger with rules R1-R12 (validated)   {:>12.0f} events/s\n", ledger_rate);
  out += fmt::format("  log only (verify + frame + hash chain) {:>12.0f} events/s\n", log_rate);
  out += fmt::format("  raw RocksDB WriteBatch, same bytes     {:>12.0f} events/s\n", raw_rate);
  out +=
      fmt::format("  ratio, ledger with rules / raw         {:>12.2f}\n", ledger_rate / raw_rate);
  out += fmt::format("  ratio, log only / raw                  {:>12.2f}\n", log_rate / raw_rate);
  out += fmt::format("  accepted {}, refused by a rule {} (evidence recorded)\n", stats.appended,
                     stats.refused());
  report.json = nlohmann::ordered_json{{"bench", "append"},
                                       {"backend", "embedded"},
                                       {"events", evs.size()},
                                       {"event_bytes", bytes / evs.size()},
                                       {"batch", o.batch},
                                       {"rounds", o.rounds},
                                       {"rules", true},
                                       {"accepted", stats.appended},
                                       {"refused", stats.refused()},
                                       {"ledger_events_per_s", std::round(ledger_rate)},
                                       {"log_only_events_per_s", std::round(log_rate)},
                                       {"raw_rocksdb_events_per_s", std::round(raw_rate)},
                                       {"log_only_ratio", Round3(log_rate / raw_rate)},
                                       {"ratio", Round3(ledger_rate / raw_rate)}}
                    .dump();
  return report;
}

}  // namespace

Report AppendBench(const AppendOptions& o) {
  fs::path dir = ScratchDir(o.dir);
  fs::create_directories(dir);
  fmt::print(stderr, "generating and encoding {} events...\n", o.events);
  auto evs = MakeEvents(o.events, o.seed, o.violations);
  size_t bytes = 0;
  for (const auto& e : evs) bytes += e.size();
  Report report = o.kafka.empty() ? EmbeddedAppendBench(o, evs, bytes, dir)
                                  : KafkaAppendBench(evs, bytes, o.batch, o.rounds, o.kafka, dir);
  if (o.dir.empty()) fs::remove_all(dir);
  return report;
}

}  // namespace ledger::bench
