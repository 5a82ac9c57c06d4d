// `ledger bench ...`: throughput measured beside the raw library baseline in
// the same run, so the ratio stays meaningful on a shared, drifting machine.
#include <fmt/core.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/embedded_log.h"
#include "events/codec.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

namespace fs = std::filesystem;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ~400-byte ContractSigned events, each with its own ids and amounts.
std::vector<std::string> MakeEvents(size_t n) {
  events::JsonCodec codec;
  nlohmann::json j = nlohmann::json::parse(R"({"type":"ContractSigned","actor":"unit:310115-0042",
    "time":"2025-05-15T10:00:00+08:00","correlation_id":"chain-bench",
    "data":{"project_id":"PRJ","credit_code":"91310115MA1K4ABC05","items":[{"category":"A02010104",
    "spec":"desktop computer i5/16G/512G, 23.8in display","quantity":39,"unit_price_fen":530000}],
    "acceptance_standard":"tender document chapter 5 technical parameters",
    "acceptance_method":"delivery in lots, every unit unpacked and tested"}})");
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    j["id"] = fmt::format("evt-bench-{:010}", i);
    j["data"]["contract_id"] = fmt::format("CON-BENCH-{:010}", i);
    j["data"]["project_id"] = fmt::format("PRJ-BENCH-{:010}", i);
    j["data"]["amount_fen"] = 20000000 + i;
    out.push_back(codec.Parse(j.dump()).value());
  }
  return out;
}

double LedgerRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
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
    size_t events = 200000;
    size_t batch = 1000;
    int rounds = 3;
    std::string dir;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* append = bench->add_subcommand(
      "append",
      "Durable appends of generated ~400-byte events in synced batches, beside raw RocksDB\n"
      "synced WriteBatches of the same bytes. Last line: JSON.");
  append->add_option("--events", opts->events, "Events per round")->capture_default_str();
  append->add_option("--batch", opts->batch, "Events per durable batch")->capture_default_str();
  append->add_option("--rounds", opts->rounds, "Alternating rounds; medians are reported")
      ->capture_default_str();
  append->add_option("--dir", opts->dir, "Scratch directory (default: a temporary one)");
  append->callback([opts] {
    fs::path dir =
        opts->dir.empty() ? fs::temp_directory_path() / "ledger-bench" : fs::path(opts->dir);
    fs::create_directories(dir);
    fmt::print(stderr, "generating {} events...\n", opts->events);
    auto evs = MakeEvents(opts->events);
    size_t bytes = 0;
    for (const auto& e : evs) bytes += e.size();
    std::vector<double> ledger_rates, raw_rates;
    for (int r = 0; r < opts->rounds; ++r) {
      raw_rates.push_back(RawRocksRate(evs, opts->batch, dir / "raw"));
      ledger_rates.push_back(LedgerRate(evs, opts->batch, dir / "ledger"));
      fmt::print(stderr, "round {}: ledger {:.0f} events/s, raw RocksDB {:.0f} events/s\n", r + 1,
                 ledger_rates.back(), raw_rates.back());
    }
    double ledger_rate = Median(ledger_rates), raw_rate = Median(raw_rates);
    fmt::print("append, {} events of {} bytes on average, synced batches of {}:\n", evs.size(),
               bytes / evs.size(), opts->batch);
    fmt::print("  ledger (encode + hash chain + RocksDB) {:>12.0f} events/s\n", ledger_rate);
    fmt::print("  raw RocksDB WriteBatch, same bytes     {:>12.0f} events/s\n", raw_rate);
    fmt::print("  ratio                                  {:>12.2f}\n", ledger_rate / raw_rate);
    nlohmann::json j = {{"bench", "append"},
                        {"backend", "embedded"},
                        {"events", evs.size()},
                        {"event_bytes", bytes / evs.size()},
                        {"batch", opts->batch},
                        {"rounds", opts->rounds},
                        {"ledger_events_per_s", std::round(ledger_rate)},
                        {"raw_rocksdb_events_per_s", std::round(raw_rate)},
                        {"ratio", std::round(ledger_rate / raw_rate * 1000) / 1000}};
    fmt::print("{}\n", j.dump());
  });
}

}  // namespace ledger::cli
