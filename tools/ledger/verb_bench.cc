// `ledger bench ...`: throughput measured beside the raw library baseline in
// the same run, so the ratio stays meaningful on a shared, drifting machine.
#include <fmt/core.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/command_service.h"
#include "core/embedded_log.h"
#include "core/generator.h"
#include "events/codec.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

namespace fs = std::filesystem;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// At least `n` events of generated procurement chains (a few of them made to
// break a rule), encoded once, before any clock starts.
std::vector<std::string> MakeEvents(size_t n, uint64_t seed, double violations) {
  events::JsonCodec codec;
  std::vector<std::string> out;
  out.reserve(n);
  core::GeneratorOptions gen{n / 16 + 1, seed, violations};
  while (out.size() < n) {
    core::GenerateChains(gen, [&](const std::string& line) {
      if (out.size() < n) out.push_back(codec.Parse(line).value());
    });
    gen.chains *= 2;  // fewer events per chain than guessed: generate more
    if (out.size() < n) out.clear();
  }
  return out;
}

struct LedgerRun {
  double rate = 0;
  core::CommandStats stats;
};

// The ledger's write path: verify, idempotency, rules R1-R12, evidence of
// refusals, hash chain, decision state, one synced batch per `batch` events.
LedgerRun LedgerRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  fs::remove_all(dir);
  auto log = core::OpenEmbeddedLog(dir.string(), core::OpenMode::kCreate);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  auto service = core::CommandService::Open(**log, [](const core::LineOutcome&) {});
  if (!service.ok()) throw std::runtime_error(service.status().ToString());
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < evs.size(); ++i) {
    (*service)->SubmitEvent(i + 1, evs[i]);
    if ((i + 1) % batch == 0 || i + 1 == evs.size()) {
      Status st = (*service)->Flush();
      if (!st.ok()) throw std::runtime_error(st.ToString());
    }
  }
  LedgerRun run{evs.size() / Seconds(start), (*service)->stats()};
  service->reset();
  log->reset();
  fs::remove_all(dir);
  return run;
}

// The log alone (issue: encoding and hashing should be nearly free): verify,
// frame, hash-chain and write the same bytes in synced batches, no rules.
double LogOnlyRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  fs::remove_all(dir);
  auto log = core::OpenEmbeddedLog(dir.string(), core::OpenMode::kCreate);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < evs.size(); i += batch) {
    std::span<const std::string> chunk(evs.data() + i, std::min(batch, evs.size() - i));
    auto pos = (*log)->Append(chunk);
    if (!pos.ok()) throw std::runtime_error(pos.status().ToString());
  }
  double rate = evs.size() / Seconds(start);
  log->reset();
  fs::remove_all(dir);
  return rate;
}

double RawRocksRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  fs::remove_all(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) throw std::runtime_error(s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < evs.size(); i += batch) {
    rocksdb::WriteBatch wb;
    for (size_t k = i; k < std::min(i + batch, evs.size()); ++k) {
      char key[8];
      for (int b = 0; b < 8; ++b) key[b] = static_cast<char>(k >> (56 - 8 * b));
      wb.Put(rocksdb::Slice(key, 8), evs[k]);
    }
    s = db->Write(wo, &wb);
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }
  double rate = evs.size() / Seconds(start);
  db.reset();
  fs::remove_all(dir);
  return rate;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

void AddBenchVerb(CLI::App& app) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks, each beside its raw baseline");
  bench->require_subcommand(1);

  struct Opts {
    size_t events = 1000000;
    uint64_t seed = 1;
    double violations = 0.01;
    size_t batch = 1000;
    int rounds = 3;
    std::string dir;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* append = bench->add_subcommand(
      "append",
      "The ledger's write path with the control rules on (verify, idempotency, R1-R12,\n"
      "evidence of refusals, hash chain, decision state) over generated procurement chains,\n"
      "in durable synced batches, beside raw RocksDB synced WriteBatches of the same event\n"
      "bytes. Prints both rates and the ratio; JSON on the last line.");
  append->add_option("--events", opts->events, "Events per round")->capture_default_str();
  append->add_option("--seed", opts->seed, "Generator seed")->capture_default_str();
  append
      ->add_option("--violations", opts->violations,
                   "Share of chains carrying one rule-breaking event")
      ->capture_default_str();
  append->add_option("--batch", opts->batch, "Events per durable batch")->capture_default_str();
  append->add_option("--rounds", opts->rounds, "Alternating rounds; medians are reported")
      ->capture_default_str();
  append->add_option("--dir", opts->dir, "Scratch directory (default: a temporary one)");
  append->callback([opts] {
    fs::path dir =
        opts->dir.empty() ? fs::temp_directory_path() / "ledger-bench" : fs::path(opts->dir);
    fs::create_directories(dir);
    fmt::print(stderr, "generating and encoding {} events...\n", opts->events);
    auto evs = MakeEvents(opts->events, opts->seed, opts->violations);
    size_t bytes = 0;
    for (const auto& e : evs) bytes += e.size();
    std::vector<double> ledger_rates, raw_rates, log_rates;
    core::CommandStats stats;
    for (int r = 0; r < opts->rounds; ++r) {
      raw_rates.push_back(RawRocksRate(evs, opts->batch, dir / "raw"));
      log_rates.push_back(LogOnlyRate(evs, opts->batch, dir / "log"));
      LedgerRun run = LedgerRate(evs, opts->batch, dir / "ledger");
      ledger_rates.push_back(run.rate);
      stats = run.stats;
      fmt::print(stderr,
                 "round {}: ledger {:.0f} events/s, log only {:.0f} events/s, raw RocksDB {:.0f} "
                 "events/s\n",
                 r + 1, ledger_rates.back(), log_rates.back(), raw_rates.back());
    }
    double ledger_rate = Median(ledger_rates), raw_rate = Median(raw_rates);
    double log_rate = Median(log_rates);
    fmt::print("append, {} generated events of {} bytes on average, synced batches of {}:\n",
               evs.size(), bytes / evs.size(), opts->batch);
    fmt::print("  ledger with rules R1-R12 (validated)   {:>12.0f} events/s\n", ledger_rate);
    fmt::print("  log only (verify + frame + hash chain) {:>12.0f} events/s\n", log_rate);
    fmt::print("  raw RocksDB WriteBatch, same bytes     {:>12.0f} events/s\n", raw_rate);
    fmt::print("  ratio, ledger with rules / raw         {:>12.2f}\n", ledger_rate / raw_rate);
    fmt::print("  ratio, log only / raw                  {:>12.2f}\n", log_rate / raw_rate);
    fmt::print("  accepted {}, refused by a rule {} (evidence recorded)\n", stats.appended,
               stats.refused());
    nlohmann::ordered_json j = {{"bench", "append"},
                                {"backend", "embedded"},
                                {"events", evs.size()},
                                {"event_bytes", bytes / evs.size()},
                                {"batch", opts->batch},
                                {"rounds", opts->rounds},
                                {"rules", true},
                                {"accepted", stats.appended},
                                {"refused", stats.refused()},
                                {"ledger_events_per_s", std::round(ledger_rate)},
                                {"log_only_events_per_s", std::round(log_rate)},
                                {"raw_rocksdb_events_per_s", std::round(raw_rate)},
                                {"log_only_ratio", std::round(log_rate / raw_rate * 1000) / 1000},
                                {"ratio", std::round(ledger_rate / raw_rate * 1000) / 1000}};
    fmt::print("{}\n", j.dump());
  });
}

}  // namespace ledger::cli
