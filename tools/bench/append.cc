// `ledger bench append`: the embedded write path beside raw RocksDB.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
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

struct ReplayRun {
  double fresh_rate = 0;
  double replay_rate = 0;
  double open_s = 0;  // reopening the ledger and loading its decision state
  core::CommandStats fresh, replay;
  uint64_t grown = 0;  // records the replay added to the log
};

double TimedSubmit(core::CommandService& service, const std::vector<std::string>& evs,
                   size_t batch) {
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < evs.size(); ++i) {
    service.SubmitEvent(i + 1, evs[i]);
    if ((i + 1) % batch == 0 || i + 1 == evs.size()) Check(service.Flush());
  }
  return evs.size() / Seconds(start);
}

// The events appended to a fresh ledger, which is then closed and reopened
// (as after a crash) and given the same events again, every one of them
// already there: accepted ones answer as duplicates, refused ones with the
// evidence already recorded.
ReplayRun ReplayRound(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  ReplayRun run;
  auto ignore = [](const core::LineOutcome&) {};
  {
    std::unique_ptr<core::EventLog> log = FreshLog(dir);
    auto service = ValueOrThrow(core::CommandService::Open(*log, ignore));
    run.fresh_rate = TimedSubmit(*service, evs, batch);
    run.fresh = service->stats();
  }
  Settle();
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<core::EventLog> log =
      ValueOrThrow(core::OpenEmbeddedLog(dir.string(), core::OpenMode::kWrite));
  auto service = ValueOrThrow(core::CommandService::Open(*log, ignore));
  run.open_s = Seconds(start);
  const uint64_t size = log->Size();
  run.replay_rate = TimedSubmit(*service, evs, batch);
  run.replay = service->stats();
  run.grown = log->Size() - size;
  service.reset();
  log.reset();
  fs::remove_all(dir);
  return run;
}

Report ReplayBench(const AppendOptions& o, const std::vector<std::string>& evs, size_t bytes,
                   const fs::path& dir) {
  std::vector<double> fresh_rates, replay_rates, opens;
  ReplayRun last;
  for (int r = 0; r < o.rounds; ++r) {
    last = ReplayRound(evs, o.batch, dir / "ledger");
    fresh_rates.push_back(last.fresh_rate);
    replay_rates.push_back(last.replay_rate);
    opens.push_back(last.open_s);
    fmt::print(stderr, "round {}: fresh {:.0f} events/s, replay {:.0f} events/s\n", r + 1,
               last.fresh_rate, last.replay_rate);
  }
  const double fresh = Median(fresh_rates), replay = Median(replay_rates);
  Report report;
  std::string& out = report.text;
  out += fmt::format(
      "append --replay, {} generated events of {} bytes on average, synced batches of {}:\n",
      evs.size(), bytes / evs.size(), o.batch);
  out += fmt::format("  replay into the reopened ledger holding them {:>10.0f} events/s\n", replay);
  out += fmt::format("  fresh append of the same events (baseline)   {:>10.0f} events/s\n", fresh);
  out += fmt::format("  ratio, replay / fresh                        {:>10.2f}\n", replay / fresh);
  out += fmt::format("  reopening (decision state loaded)            {:>10.3f} s\n", Median(opens));
  out += fmt::format(
      "  fresh: accepted {}, refused {}; replay: duplicates {}, refused {}, records added {}\n",
      last.fresh.appended, last.fresh.refused(), last.replay.duplicates, last.replay.refused(),
      last.grown);
  report.json = nlohmann::ordered_json{{"bench", "append_replay"},
                                       {"backend", "embedded"},
                                       {"events", evs.size()},
                                       {"event_bytes", bytes / evs.size()},
                                       {"batch", o.batch},
                                       {"rounds", o.rounds},
                                       {"accepted", last.fresh.appended},
                                       {"refused", last.fresh.refused()},
                                       {"replay_duplicates", last.replay.duplicates},
                                       {"replay_refused", last.replay.refused()},
                                       {"replay_records_added", last.grown},
                                       {"open_s", Round3(Median(opens))},
                                       {"replay_events_per_s", std::round(replay)},
                                       {"fresh_events_per_s", std::round(fresh)},
                                       {"ratio", Round3(replay / fresh)}}
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
  if (o.replay && !o.kafka.empty()) {
    throw std::runtime_error("--replay runs on the embedded log only, not with --kafka");
  }
  Report report = o.replay          ? ReplayBench(o, evs, bytes, dir)
                  : o.kafka.empty() ? EmbeddedAppendBench(o, evs, bytes, dir)
                                    : KafkaAppendBench(evs, bytes, o.batch, o.rounds, o.kafka, dir);
  if (o.dir.empty()) fs::remove_all(dir);
  return report;
}

}  // namespace ledger::bench
