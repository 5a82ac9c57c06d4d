// `ledger bench rebuild`: every projection rebuilt from zero, beside raw
// RocksDB ingest (embedded) or reading the topic alone (Kafka).
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/log/kafka/kafka_log.h"
#include "core/log/raw_rocksdb.h"
#include "projections/catalog.h"
#include "tools/bench/bench.h"
#include "tools/bench/common.h"

namespace ledger::bench {
namespace {

namespace fs = std::filesystem;

// Raw RocksDB: unsynced WriteBatches of 4096 puts, `keys` keys of ~200 bytes.
double RawIngestRate(size_t keys, const fs::path& dir) {
  std::unique_ptr<core::RawRocksDb> db = ValueOrThrow(core::RawRocksDb::Fresh(dir.string()));
  auto start = std::chrono::steady_clock::now();
  Check(db->IngestUnsynced(keys));
  double rate = keys / Seconds(start);
  db.reset();
  fs::remove_all(dir);
  return rate;
}

Report KafkaRebuild(const core::KafkaOptions& kafka, const fs::path& dir) {
  // The topic alone: a reader through every record (the consumer's ceiling).
  auto reader = ValueOrThrow(core::OpenKafkaLog(kafka, "", core::OpenMode::kRead));
  auto start = std::chrono::steady_clock::now();
  uint64_t n = 0;
  Check(reader->Read(0, reader->Size(), [&](const core::LogEntry&) {
    ++n;
    return true;
  }));
  double read_rate = n / Seconds(start);
  reader.reset();
  auto log = ValueOrThrow(core::OpenKafkaLog(kafka, "", core::OpenMode::kRead));
  fs::remove_all(dir / "consumer");
  fs::create_directories(dir / "consumer");
  auto p = projections::OpenLedgerProjections((dir / "consumer").string(), *log).value();
  start = std::chrono::steady_clock::now();
  const uint64_t read = ValueOrThrow(p->runner->CatchUp(4096));
  double rate = read / Seconds(start);
  Report report;
  std::string& out = report.text;
  out += fmt::format("rebuild of {} projections from Kafka topic {} ({} events):\n",
                     projections::AllProjections().size(), kafka.topic, read);
  out += fmt::format("  ledger projections from Kafka   {:>12.0f} events/s\n", rate);
  out += fmt::format("  reading the topic alone         {:>12.0f} records/s\n", read_rate);
  out += fmt::format("  ratio                           {:>12.3f}\n", rate / read_rate);
  report.json = nlohmann::ordered_json{{"bench", "rebuild"},
                                       {"backend", "kafka"},
                                       {"events", read},
                                       {"projections", projections::AllProjections().size()},
                                       {"rebuild_events_per_s", std::round(rate)},
                                       {"kafka_read_records_per_s", std::round(read_rate)},
                                       {"ratio", Round3(rate / read_rate)}}
                    .dump();
  return report;
}

Report EmbeddedRebuild(const fs::path& dir) {
  auto log = OpenForReads((dir / "ledger").string());
  auto p = projections::OpenLedgerProjections((dir / "ledger").string(), *log).value();
  for (const auto& name : p->names()) Check(p->store->Reset(name));
  auto start = std::chrono::steady_clock::now();
  const uint64_t read = ValueOrThrow(p->runner->CatchUp());
  double rate = read / Seconds(start);
  p.reset();
  log.reset();
  double raw = RawIngestRate(read, dir / "raw");
  fs::remove_all(dir / "ledger");
  Report report;
  std::string& out = report.text;
  out += fmt::format("rebuild of {} projections over {} events:\n",
                     projections::AllProjections().size(), read);
  out += fmt::format("  ledger projections         {:>12.0f} events/s\n", rate);
  out += fmt::format("  raw RocksDB ingest         {:>12.0f} keys/s (unsynced batches of 4096)\n",
                     raw);
  out += fmt::format("  ratio                      {:>12.3f}\n", rate / raw);
  report.json = nlohmann::ordered_json{{"bench", "rebuild"},
                                       {"events", read},
                                       {"projections", projections::AllProjections().size()},
                                       {"rebuild_events_per_s", std::round(rate)},
                                       {"raw_rocksdb_keys_per_s", std::round(raw)},
                                       {"ratio", Round3(rate / raw)}}
                    .dump();
  return report;
}

}  // namespace

Report RebuildBench(const ReadOptions& o) {
  fs::path dir = ScratchDir(o.dir);
  fs::create_directories(dir);
  fmt::print(stderr, "building a ledger of {} events...\n", o.events);
  ScratchTopics topics(o.kafka);
  const core::KafkaOptions* kafka = o.kafka.empty() ? nullptr : &topics.New("rebuild");
  BuildLedger(dir / "ledger", o.events, o.seed, kafka);
  Report report = kafka != nullptr ? KafkaRebuild(*kafka, dir) : EmbeddedRebuild(dir);
  if (o.dir.empty()) fs::remove_all(dir);
  return report;
}

}  // namespace ledger::bench
