// `ledger bench ...`: throughput measured beside the raw library baseline in
// the same run, so the ratio stays meaningful on a shared, drifting machine.
#include <fmt/core.h>
#include <librdkafka/rdkafka.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "core/log/kafka/kafka_log.h"
#include "core/log/record_format.h"
#include "core/tlog/chain_verifier.h"
#include "core/tlog/proof_json.h"
#include "core/util/merkle.h"
#include "events/codec.h"
#include "projections/catalog.h"
#include "projections/entity_state.h"
#include "projections/trail.h"
#include "tools/gen/generator.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

namespace fs = std::filesystem;
namespace merkle = core::merkle;
using core::Hash;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `dir`, or a fresh directory of this run's own under the temp dir (two
// benchmarks running at once must not share their scratch space).
fs::path ScratchDir(const std::string& dir) {
  if (!dir.empty()) return dir;
  std::string tmpl = (fs::temp_directory_path() / "ledger-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp " + tmpl);
  return tmpl;
}

// An empty RocksDB with default options: the raw baseline.
std::unique_ptr<rocksdb::DB> FreshRawDb(const fs::path& dir) {
  fs::remove_all(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return std::unique_ptr<rocksdb::DB>(raw);
}

// An empty embedded ledger.
std::unique_ptr<core::EventLog> FreshLog(const fs::path& dir) {
  fs::remove_all(dir);
  auto log = core::OpenEmbeddedLog(dir.string(), core::OpenMode::kCreate);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  return std::move(log).value();
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

// CPU time of this process so far, every thread of it (the caller's,
// librdkafka's, RocksDB's), in seconds.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// A timed phase: items per second, and this process's CPU time per item.
struct Pace {
  double per_s = 0;
  double cpu_us = 0;
};
class Stopwatch {
 public:
  Pace Stop(size_t items) const {
    return {items / Seconds(start_), (ProcessCpuSeconds() - cpu_) * 1e6 / items};
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double cpu_ = ProcessCpuSeconds();
};

struct LedgerRun {
  double rate = 0;
  core::CommandStats stats;
  double cpu_us = 0;  // per event, this process
};

// The ledger's write path: verify, idempotency, rules R1-R12, evidence of
// refusals, hash chain, decision state, one synced batch per `batch` events.
LedgerRun LedgerRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  std::unique_ptr<core::EventLog> log = FreshLog(dir);
  auto service = core::CommandService::Open(*log, [](const core::LineOutcome&) {});
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
  log.reset();
  fs::remove_all(dir);
  return run;
}

// The log alone, to show what encoding and hashing cost without the rules:
// verify, frame, hash-chain and write the same bytes in synced batches.
double LogOnlyRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  std::unique_ptr<core::EventLog> log = FreshLog(dir);
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < evs.size(); i += batch) {
    std::span<const std::string> chunk(evs.data() + i, std::min(batch, evs.size() - i));
    auto pos = log->Append(chunk);
    if (!pos.ok()) throw std::runtime_error(pos.status().ToString());
  }
  double rate = evs.size() / Seconds(start);
  log.reset();
  fs::remove_all(dir);
  return rate;
}

double RawRocksRate(const std::vector<std::string>& evs, size_t batch, const fs::path& dir) {
  std::unique_ptr<rocksdb::DB> db = FreshRawDb(dir);
  rocksdb::Status s;
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

// A ledger of `events` generated events in `dir` (built once, untimed).
void BuildLedger(const fs::path& dir, size_t events, uint64_t seed,
                 const core::KafkaOptions* kafka = nullptr) {
  std::unique_ptr<core::EventLog> log;
  if (kafka == nullptr) {
    log = FreshLog(dir);
  } else {
    fs::remove_all(dir);
    auto opened = core::OpenKafkaLog(*kafka, dir.string(), core::OpenMode::kCreate);
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    log = std::move(opened).value();
  }
  auto service = core::CommandService::Open(*log, [](const core::LineOutcome&) {});
  if (!service.ok()) throw std::runtime_error(service.status().ToString());
  uint64_t n = 0;
  core::GenerateChains({events / 16 + 1, seed, 0.01}, [&](const std::string& line) {
    if (n >= events) return;
    (*service)->SubmitJson(++n, line);
    if ((*service)->pending() >= 4096) {
      Status st = (*service)->Flush();
      if (!st.ok()) throw std::runtime_error(st.ToString());
    }
  });
  Status st = (*service)->Flush();
  if (!st.ok()) throw std::runtime_error(st.ToString());
}

// Raw RocksDB: unsynced WriteBatches of 4096 puts, `keys` keys of ~200 bytes.
double RawIngestRate(size_t keys, const fs::path& dir) {
  std::unique_ptr<rocksdb::DB> db = FreshRawDb(dir);
  rocksdb::Status s;
  std::string value(200, 'v');
  auto start = std::chrono::steady_clock::now();
  rocksdb::WriteBatch wb;
  for (size_t k = 0; k < keys; ++k) {
    std::string key = fmt::format("key-{:012}", k * 2654435761u % keys);
    wb.Put(key, value);
    if (wb.Count() == 4096 || k + 1 == keys) {
      s = db->Write({}, &wb);
      if (!s.ok()) throw std::runtime_error(s.ToString());
      wb.Clear();
    }
  }
  double rate = keys / Seconds(start);
  db.reset();
  fs::remove_all(dir);
  return rate;
}

// A topic of this run's own (benchmarks never reuse a topic).
std::string BenchTopic(const std::string& what) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return fmt::format("bench.{}.{}.{}", what, getpid(),
                     std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

// The scratch topics of one bench on `brokers`, each of its phase's own,
// deleted with everything in them once the phase is over (when the next one
// asks for its topic) and when the bench ends, so that every phase finds the
// broker as the first did (not holding every earlier phase's messages) and
// the bench leaves the cluster as it found it.
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
  const core::KafkaOptions& New(const std::string& what) {
    DeleteAll();
    core::KafkaOptions o;
    o.brokers = brokers_;
    o.topic = BenchTopic(what);
    made_.push_back(std::move(o));
    return made_.back();
  }

 private:
  void DeleteAll() {
    for (const core::KafkaOptions& o : made_) {
      Status st = core::DeleteKafkaTopic(o);
      if (!st.ok() && !st.IsNotFound()) {
        fmt::print(stderr, "bench: scratch topic left behind: {}\n", st.ToString());
      }
    }
    made_.clear();
  }

  std::string brokers_;
  std::deque<core::KafkaOptions> made_;  // stable addresses
};

// Before a timed phase: the kernel done writing back what earlier phases
// wrote (the broker's log, the mirrors), so no phase pays for another's.
void Settle() { ::sync(); }

// The ledger's write path on Kafka: as LedgerRate, each batch handed to the
// service's committer (FlushAsync) while the next one is checked; batches
// that wait for a commit go together into the next Kafka transaction
// (idempotent, acks=all) and mirror write. Every outcome is counted, and only
// reported once durable; the clock stops when the last one is.
LedgerRun KafkaLedgerRate(const std::vector<std::string>& evs, size_t batch, ScratchTopics& topics,
                          const fs::path& dir) {
  fs::remove_all(dir);
  auto log = core::OpenKafkaLog(topics.New("ledger"), dir.string(), core::OpenMode::kCreate);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  size_t reported = 0;
  auto service = core::CommandService::Open(**log, [&](const core::LineOutcome&) { ++reported; });
  if (!service.ok()) throw std::runtime_error(service.status().ToString());
  Settle();
  Stopwatch watch;
  for (size_t i = 0; i < evs.size(); ++i) {
    (*service)->SubmitEvent(i + 1, evs[i]);
    if ((i + 1) % batch == 0 || i + 1 == evs.size()) {
      Status st = i + 1 == evs.size() ? (*service)->Flush() : (*service)->FlushAsync();
      if (!st.ok()) throw std::runtime_error(st.ToString());
    }
  }
  Pace pace = watch.Stop(evs.size());
  LedgerRun run{pace.per_s, (*service)->stats(), pace.cpu_us};
  if (reported != evs.size()) {
    throw std::runtime_error(
        fmt::format("{} outcomes reported for {} events", reported, evs.size()));
  }
  service->reset();
  log->reset();
  fs::remove_all(dir);
  return run;
}

// The Kafka log alone (no rules): verify, frame, hash-chain, one Kafka
// transaction per batch (and the mirror's note of its size), on the same bytes.
double KafkaLogOnlyRate(const std::vector<std::string>& evs, size_t batch, ScratchTopics& topics,
                        const fs::path& dir) {
  fs::remove_all(dir);
  auto log = core::OpenKafkaLog(topics.New("log-only"), dir.string(), core::OpenMode::kCreate);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  Settle();
  Stopwatch watch;
  for (size_t i = 0; i < evs.size(); i += batch) {
    std::span<const std::string> chunk(evs.data() + i, std::min(batch, evs.size() - i));
    auto pos = (*log)->Append(chunk);
    if (!pos.ok()) throw std::runtime_error(pos.status().ToString());
  }
  double rate = watch.Stop(evs.size()).per_s;
  log->reset();
  fs::remove_all(dir);
  return rate;
}

// The messages the ledger's writer produces for `evs` appended from
// position 0 (record, key, headers, chain), built before any clock starts.
struct RecordMessages {
  std::vector<std::string> records;
  std::vector<core::KafkaRecordHeaders> headers;
  int64_t recorded_at_us = core::NowMicros();
};
RecordMessages MessagesOf(const std::vector<std::string>& evs) {
  RecordMessages m;
  m.records.resize(evs.size());
  core::Hash chain{};
  for (size_t i = 0; i < evs.size(); ++i) {
    core::AppendRecord(i, m.recorded_at_us, evs[i], &m.records[i]);
    chain = core::ChainHash(chain, m.records[i]);
    auto event = events::DecodeEvent(evs[i]);
    if (!event.ok()) throw std::runtime_error(event.status().ToString());
    m.headers.push_back(core::HeadersOf(i, **event, chain));
  }
  return m;
}

// Raw librdkafka: an idempotent producer (acks=all), same linger and batch
// settings as the ledger's writer, of the very messages the writer produces
// (`messages`: value, key, timestamp, five headers, through the writer's own
// ProduceRecordMessage), or with `messages` null of the event bytes alone
// (no key, no headers). Waits for every batch of `batch` to be acknowledged
// when `per_batch`, else streams: serves its delivery reports every batch
// without waiting, and waits for all of them only at the end.
Pace RawKafkaRate(const std::vector<std::string>& evs, const RecordMessages* messages, size_t batch,
                  ScratchTopics& topics, bool per_batch) {
  const core::KafkaOptions& o = topics.New(per_batch ? "raw-batched" : "raw-stream");
  Status created = core::CreateKafkaTopic(o);
  if (!created.ok()) throw std::runtime_error(created.ToString());
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  static uint64_t failed = 0;
  failed = 0;
  for (auto [k, v] :
       std::vector<std::pair<const char*, const char*>>{{"bootstrap.servers", o.brokers.c_str()},
                                                        {"enable.idempotence", "true"},
                                                        {"acks", "all"},
                                                        {"linger.ms", "5"},
                                                        {"batch.num.messages", "10000"},
                                                        {"queue.buffering.max.messages", "1000000"},
                                                        {"queue.buffering.max.kbytes", "1048576"},
                                                        {"socket.nagle.disable", "true"}}) {
    if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(err);
    }
  }
  rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    if (m->err) ++failed;
  });
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (rk == nullptr) throw std::runtime_error(err);
  auto produce = [&](size_t i) {
    if (messages != nullptr) {
      return static_cast<rd_kafka_resp_err_t>(core::ProduceRecordMessage(
          rk, o.topic, messages->records[i], messages->recorded_at_us, messages->headers[i]));
    }
    return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(o.topic.c_str()), RD_KAFKA_V_PARTITION(0),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_VALUE(const_cast<char*>(evs[i].data()), evs[i].size()),
                             RD_KAFKA_V_END);
  };
  // Ready before the clock starts, as the ledger's writer is once open: one
  // message acknowledged (connection, metadata, producer id).
  while (produce(0) == RD_KAFKA_RESP_ERR__QUEUE_FULL) rd_kafka_poll(rk, 10);
  rd_kafka_flush(rk, 60000);
  Settle();
  Stopwatch watch;
  for (size_t i = 0; i < evs.size(); ++i) {
    while (produce(i) == RD_KAFKA_RESP_ERR__QUEUE_FULL) rd_kafka_poll(rk, 10);
    if ((per_batch && (i + 1) % batch == 0) || i + 1 == evs.size()) {
      rd_kafka_flush(rk, 60000);
    } else if ((i + 1) % batch == 0) {
      rd_kafka_poll(rk, 0);  // streaming: serve the delivery reports, never wait
    }
  }
  Pace pace = watch.Stop(evs.size());
  bool unacked = rd_kafka_outq_len(rk) > 0;
  rd_kafka_destroy(rk);
  if (failed > 0 || unacked) throw std::runtime_error("raw producer: messages not acknowledged");
  return pace;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The ledger given with `data`, or one of `events` generated events built in
// `dir` through the log alone (verify, frame, chain, tree), untimed.
std::string LedgerForReads(const std::string& data, size_t events, uint64_t seed,
                           const fs::path& dir) {
  if (!data.empty()) return data;
  fs::create_directories(dir);
  fmt::print(stderr, "generating and appending {} events...\n", events);
  std::vector<std::string> evs = MakeEvents(events, seed, 0.0);
  std::unique_ptr<core::EventLog> log = FreshLog(dir / "ledger");
  for (size_t i = 0; i < evs.size(); i += 10000) {
    std::span<const std::string> chunk(evs.data() + i, std::min<size_t>(10000, evs.size() - i));
    auto pos = log->Append(chunk);
    if (!pos.ok()) throw std::runtime_error(pos.status().ToString());
  }
  return (dir / "ledger").string();
}

std::unique_ptr<core::EventLog> OpenForReads(const std::string& data) {
  auto log = core::OpenEmbeddedLog(data, core::OpenMode::kRead);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  return std::move(log).value();
}

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
};
Percentiles Of(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) {
    return micros[std::min(micros.size() - 1, size_t(q * micros.size()))];
  };
  return {at(0.5), at(0.99), micros.back()};
}

double Round2(double v) { return std::round(v * 100) / 100; }

// `bench append --kafka`: the ledger through Kafka beside a raw idempotent
// producer of the same bytes, in alternating rounds on fresh topics.
void KafkaAppendBench(const std::vector<std::string>& evs, size_t bytes, size_t batch, int rounds,
                      const std::string& brokers, const fs::path& dir) {
  std::vector<double> ledger_rates, batched_rates, stream_rates, bare_rates, log_rates;
  std::vector<double> ledger_cpu, stream_cpu;  // µs of this process per event / message
  std::vector<double> paired;  // each round's ledger / raw streaming, measured side by side
  core::CommandStats stats;
  const RecordMessages messages = MessagesOf(evs);
  ScratchTopics topics(brokers);
  // A broker just started compiles its hot paths during the first hundreds
  // of thousands of messages: the first timed phase would pay for it alone.
  fmt::print(stderr, "warming up the broker (untimed: a raw run and a ledger run)...\n");
  RawKafkaRate(evs, &messages, batch, topics, /*per_batch=*/false);
  KafkaLedgerRate(evs, batch, topics, dir / "mirror");
  for (int r = 0; r < rounds; ++r) {
    auto raw_phases = [&] {
      batched_rates.push_back(
          RawKafkaRate(evs, &messages, batch, topics, /*per_batch=*/true).per_s);
      Pace stream = RawKafkaRate(evs, &messages, batch, topics, /*per_batch=*/false);
      stream_rates.push_back(stream.per_s);
      stream_cpu.push_back(stream.cpu_us);
      bare_rates.push_back(RawKafkaRate(evs, nullptr, batch, topics, /*per_batch=*/false).per_s);
    };
    auto ledger_phases = [&] {
      log_rates.push_back(KafkaLogOnlyRate(evs, batch, topics, dir / "log-only"));
      LedgerRun run = KafkaLedgerRate(evs, batch, topics, dir / "mirror");
      ledger_rates.push_back(run.rate);
      ledger_cpu.push_back(run.cpu_us);
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
  fmt::print(
      "append through Kafka at {}, {} generated events of {} bytes on average, batches of {}, "
      "medians of {} rounds:\n",
      brokers, evs.size(), bytes / evs.size(), batch, rounds);
  fmt::print("  ledger (rules; pipelined: a transaction per group)     {:>10.0f} events/s\n",
             ledger);
  fmt::print("  Kafka log only (no rules: a transaction per batch)     {:>10.0f} events/s\n",
             log_only);
  fmt::print("  raw producer, idempotent acks=all, of the same messages (record, key, headers):\n");
  fmt::print("    streaming                                            {:>10.0f} msgs/s\n", stream);
  fmt::print("    acknowledged per batch                               {:>10.0f} msgs/s\n",
             batched);
  fmt::print("  raw producer of the bare event bytes (no key, no headers), streaming\n");
  fmt::print("                                                         {:>10.0f} msgs/s\n", bare);
  fmt::print("  ratio, ledger / raw same messages streaming            {:>10.2f}\n",
             ledger / stream);
  // A shared machine's speed drifts between rounds: each round's ratio
  // compares phases run side by side.
  std::string rounds_list;
  for (double p : paired) rounds_list += fmt::format(" {:.2f}", p);
  fmt::print("  ratio, ledger / raw same messages streaming, per round {:>10.2f} (median of{})\n",
             Median(paired), rounds_list);
  fmt::print("  ratio, ledger / raw same messages acked per batch      {:>10.2f}\n",
             ledger / batched);
  fmt::print("  ratio, ledger / raw bare event bytes                   {:>10.2f}\n", ledger / bare);
  fmt::print("  ratio, Kafka log only / raw same messages per batch    {:>10.2f}\n",
             log_only / batched);
  // What the rates come from on a machine the broker shares: the work each
  // side does per event (the broker's own is the same for both and not counted).
  double cpu_ledger = Median(ledger_cpu), cpu_stream = Median(stream_cpu);
  fmt::print("  CPU of this process per event (all its threads; the broker's not counted):\n");
  fmt::print("    ledger                                               {:>10.2f} µs\n", cpu_ledger);
  fmt::print("    raw producer of the same messages, streaming         {:>10.2f} µs\n", cpu_stream);
  fmt::print("  accepted {}, refused by a rule {} (evidence recorded)\n", stats.appended,
             stats.refused());
  nlohmann::ordered_json j = {{"bench", "append"},
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
                              {"ratio", std::round(ledger / stream * 1000) / 1000},
                              {"ratio_paired_median", std::round(Median(paired) * 1000) / 1000},
                              {"ratio_batched", std::round(ledger / batched * 1000) / 1000},
                              {"ratio_bare", std::round(ledger / bare * 1000) / 1000},
                              {"log_only_ratio", std::round(log_only / batched * 1000) / 1000},
                              {"ledger_cpu_us_per_event", Round2(cpu_ledger)},
                              {"raw_kafka_stream_cpu_us_per_msg", Round2(cpu_stream)}};
  fmt::print("{}\n", j.dump());
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
    std::string kafka;
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
  append->add_option(
      "--kafka", opts->kafka,
      "Through Kafka on these brokers (a fresh topic per phase, all deleted when the bench\n"
      "ends), beside a raw idempotent acks=all librdkafka producer of the same messages the\n"
      "ledger writes (record, key, timestamp, five headers; built before the clock starts,\n"
      "produced through the writer's own ProduceRecordMessage), in two modes: streaming\n"
      "(never waits; serves its delivery reports) and acknowledged per batch (waits for\n"
      "each batch); and a raw producer of the bare event bytes (no key, no headers),\n"
      "streaming. The ledger hands each batch to its committer and goes on (FlushAsync):\n"
      "batches that wait for a commit form one transaction, and outcomes arrive, in order,\n"
      "once durable. That is the streaming pattern, so `ratio` is ledger / raw same\n"
      "messages streaming; the other ratios are printed too. The Kafka log alone appends\n"
      "one batch at a time (a transaction per batch): its ratio is against the per-batch\n"
      "mode. An untimed raw run and ledger run warm the broker up first; every producer is\n"
      "connected and has its producer id before its clock starts (the writer once open, a\n"
      "raw producer after one acknowledged message); each phase starts after a sync (no\n"
      "phase pays for the writeback of the one before); rounds alternate which side goes\n"
      "first. Also printed: this process's CPU time per event (all its threads) for the\n"
      "ledger and the raw streaming producer, the work behind the rates on a machine\n"
      "whose cores the broker shares (the broker's own CPU is not counted).");
  append->callback([opts] {
    fs::path dir = ScratchDir(opts->dir);
    fs::create_directories(dir);
    fmt::print(stderr, "generating and encoding {} events...\n", opts->events);
    auto evs = MakeEvents(opts->events, opts->seed, opts->violations);
    size_t bytes = 0;
    for (const auto& e : evs) bytes += e.size();
    if (!opts->kafka.empty()) {
      KafkaAppendBench(evs, bytes, opts->batch, opts->rounds, opts->kafka, dir);
      if (opts->dir.empty()) fs::remove_all(dir);
      return;
    }
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
    if (opts->dir.empty()) fs::remove_all(dir);
  });

  struct ReadOpts {
    size_t events = 1000000;
    uint64_t seed = 1;
    size_t samples = 10000;
    std::string dir;
    std::string data;
    std::string kafka;
  };
  auto ropts = std::make_shared<ReadOpts>();
  CLI::App* rebuild = bench->add_subcommand(
      "rebuild",
      "Rebuild every projection from zero over a ledger of generated events, beside raw\n"
      "RocksDB unsynced WriteBatch ingest of as many keys. Last line: JSON.");
  rebuild->add_option("--events", ropts->events, "Events in the ledger")->capture_default_str();
  rebuild->add_option("--seed", ropts->seed, "Generator seed")->capture_default_str();
  rebuild->add_option("--dir", ropts->dir, "Scratch directory (default: a temporary one)");
  rebuild->add_option(
      "--kafka", ropts->kafka,
      "Rebuild from a Kafka topic (fresh, deleted afterwards) on these brokers, beside "
      "reading the topic alone");
  rebuild->callback([ropts] {
    fs::path dir = ScratchDir(ropts->dir);
    fs::create_directories(dir);
    fmt::print(stderr, "building a ledger of {} events...\n", ropts->events);
    ScratchTopics topics(ropts->kafka);
    const core::KafkaOptions* kafka_or_null =
        ropts->kafka.empty() ? nullptr : &topics.New("rebuild");
    BuildLedger(dir / "ledger", ropts->events, ropts->seed, kafka_or_null);
    if (kafka_or_null != nullptr) {
      const core::KafkaOptions& kafka = *kafka_or_null;
      // The topic alone: a reader through every record (the consumer's ceiling).
      auto reader = core::OpenKafkaLog(kafka, "", core::OpenMode::kRead);
      if (!reader.ok()) throw std::runtime_error(reader.status().ToString());
      auto start = std::chrono::steady_clock::now();
      uint64_t n = 0;
      Status st = (*reader)->Read(0, (*reader)->Size(), [&](const core::LogEntry&) {
        ++n;
        return true;
      });
      if (!st.ok()) throw std::runtime_error(st.ToString());
      double read_rate = n / Seconds(start);
      reader->reset();
      auto log = core::OpenKafkaLog(kafka, "", core::OpenMode::kRead);
      if (!log.ok()) throw std::runtime_error(log.status().ToString());
      fs::remove_all(dir / "consumer");
      fs::create_directories(dir / "consumer");
      auto p = projections::OpenLedgerProjections((dir / "consumer").string(), **log).value();
      start = std::chrono::steady_clock::now();
      auto read = p->runner->CatchUp(4096);
      if (!read.ok()) throw std::runtime_error(read.status().ToString());
      double rate = *read / Seconds(start);
      fmt::print("rebuild of {} projections from Kafka topic {} ({} events):\n",
                 projections::AllProjections().size(), kafka.topic, *read);
      fmt::print("  ledger projections from Kafka   {:>12.0f} events/s\n", rate);
      fmt::print("  reading the topic alone         {:>12.0f} records/s\n", read_rate);
      fmt::print("  ratio                           {:>12.3f}\n", rate / read_rate);
      nlohmann::ordered_json j = {{"bench", "rebuild"},
                                  {"backend", "kafka"},
                                  {"events", *read},
                                  {"projections", projections::AllProjections().size()},
                                  {"rebuild_events_per_s", std::round(rate)},
                                  {"kafka_read_records_per_s", std::round(read_rate)},
                                  {"ratio", std::round(rate / read_rate * 1000) / 1000}};
      fmt::print("{}\n", j.dump());
      p.reset();
      log->reset();
      if (ropts->dir.empty()) fs::remove_all(dir);
      return;
    }
    auto log = core::OpenEmbeddedLog((dir / "ledger").string(), core::OpenMode::kRead);
    if (!log.ok()) throw std::runtime_error(log.status().ToString());
    auto p = projections::OpenLedgerProjections((dir / "ledger").string(), **log).value();
    for (const auto& name : p->names()) {
      Status st = p->store->Reset(name);
      if (!st.ok()) throw std::runtime_error(st.ToString());
    }
    auto start = std::chrono::steady_clock::now();
    auto read = p->runner->CatchUp();
    if (!read.ok()) throw std::runtime_error(read.status().ToString());
    double rate = *read / Seconds(start);
    p.reset();
    log->reset();
    double raw = RawIngestRate(*read, dir / "raw");
    fs::remove_all(dir / "ledger");
    fmt::print("rebuild of {} projections over {} events:\n", projections::AllProjections().size(),
               *read);
    fmt::print("  ledger projections         {:>12.0f} events/s\n", rate);
    fmt::print("  raw RocksDB ingest         {:>12.0f} keys/s (unsynced batches of 4096)\n", raw);
    fmt::print("  ratio                      {:>12.3f}\n", rate / raw);
    nlohmann::ordered_json j = {{"bench", "rebuild"},
                                {"events", *read},
                                {"projections", projections::AllProjections().size()},
                                {"rebuild_events_per_s", std::round(rate)},
                                {"raw_rocksdb_keys_per_s", std::round(raw)},
                                {"ratio", std::round(rate / raw * 1000) / 1000}};
    fmt::print("{}\n", j.dump());
    if (ropts->dir.empty()) fs::remove_all(dir);
  });

  CLI::App* trace = bench->add_subcommand(
      "trace",
      "Latency of a full upward trail from random payments (p50, p99, max), on the ledger\n"
      "given with --data, or on one built of --events generated events. Last line: JSON.");
  trace->add_option("--data", ropts->data, "An existing ledger");
  trace->add_option("--events", ropts->events, "Events of the ledger to build without --data")
      ->capture_default_str();
  trace->add_option("--samples", ropts->samples, "Trails to time")->capture_default_str();
  trace->add_option("--dir", ropts->dir, "Scratch directory (default: a temporary one)");
  trace->callback([ropts] {
    fs::path dir = ScratchDir(ropts->dir);
    std::string data = ropts->data;
    if (data.empty()) {
      fs::create_directories(dir);
      fmt::print(stderr, "building a ledger of {} events...\n", ropts->events);
      BuildLedger(dir / "ledger", ropts->events, ropts->seed);
      data = (dir / "ledger").string();
    }
    auto log = core::OpenEmbeddedLog(data, core::OpenMode::kRead);
    if (!log.ok()) throw std::runtime_error(log.status().ToString());
    auto p = projections::OpenLedgerProjections(data, **log).value();
    if (!p->runner->CatchUp().ok()) throw std::runtime_error("projections do not catch up");
    std::vector<std::string> payments;
    Status st = p->store->Scan(projections::EntityStateProjection::kName, "PAY-", "",
                               [&](std::string_view id, std::string_view) {
                                 payments.emplace_back(id);
                                 return true;
                               });
    if (!st.ok() || payments.empty()) throw std::runtime_error("no payments in the ledger");
    std::mt19937_64 rng(ropts->seed);
    std::vector<double> micros;
    size_t steps = 0;
    for (size_t i = 0; i < ropts->samples; ++i) {
      const std::string& id = payments[rng() % payments.size()];
      auto start = std::chrono::steady_clock::now();
      auto trail = projections::Trail(*p->store, id, /*down=*/false);
      micros.push_back(Seconds(start) * 1e6);
      if (!trail.ok()) throw std::runtime_error(trail.status().ToString());
      std::vector<const projections::TrailNode*> stack = {&*trail};
      while (!stack.empty()) {
        const auto* n = stack.back();
        stack.pop_back();
        ++steps;
        for (const auto& c : n->links) stack.push_back(&c);
      }
    }
    std::sort(micros.begin(), micros.end());
    auto pct = [&](double q) {
      return micros[std::min(micros.size() - 1, size_t(q * micros.size()))];
    };
    fmt::print("upward trail from {} random payments ({} in the ledger, {:.1f} steps each):\n",
               micros.size(), payments.size(), double(steps) / micros.size());
    fmt::print("  p50 {:.0f} us, p99 {:.0f} us, max {:.0f} us\n", pct(0.5), pct(0.99),
               micros.back());
    nlohmann::ordered_json j = {{"bench", "trace"},
                                {"samples", micros.size()},
                                {"payments", payments.size()},
                                {"steps_per_trail", std::round(double(steps) / micros.size())},
                                {"p50_us", std::round(pct(0.5))},
                                {"p99_us", std::round(pct(0.99))},
                                {"max_us", std::round(micros.back())}};
    fmt::print("{}\n", j.dump());
    p.reset();
    log->reset();
    if (ropts->dir.empty()) fs::remove_all(dir);  // ours, whether used or not
  });

  auto popts = std::make_shared<ReadOpts>();
  CLI::App* proofs = bench->add_subcommand(
      "proofs",
      "Inclusion-proof generation latency (p50, p99, max) from the stored tree of a ledger of\n"
      "--events generated events (or --data; one batched read per proof), beside raw\n"
      "RocksDB: a MultiGet of as many random keys\n"
      "as a proof has hashes, on a raw DB of as many 32-byte values. Then proof\n"
      "verification per second beside raw SHA-256 of as many 65-byte node inputs. Ratios\n"
      "printed; JSON on the last line.");
  proofs->add_option("--events", popts->events, "Events of the ledger to build without --data")
      ->capture_default_str();
  proofs->add_option("--data", popts->data, "An existing ledger");
  proofs->add_option("--samples", popts->samples, "Proofs to time")->capture_default_str();
  proofs->add_option("--seed", popts->seed, "Generator and sampling seed")->capture_default_str();
  proofs->add_option("--dir", popts->dir, "Scratch directory (default: a temporary one)");
  proofs->callback([popts] {
    fs::path dir = ScratchDir(popts->dir);
    fs::create_directories(dir);
    std::string data = LedgerForReads(popts->data, popts->events, popts->seed, dir);
    auto log = OpenForReads(data);
    const uint64_t n = log->Size();
    if (n == 0) throw std::runtime_error("an empty ledger");
    merkle::NodeReader read = [&](uint8_t l, uint64_t i) { return log->TreeNode(l, i); };
    const Hash root = merkle::RootAt(n, read).value();
    merkle::BatchNodeReader batch = core::BatchReader(*log);
    std::mt19937_64 rng(popts->seed);
    std::vector<uint64_t> positions(popts->samples);
    for (auto& p : positions) p = rng() % n;
    // Warm the block cache as a serving ledger would be, then time.
    for (size_t i = 0; i < std::min<size_t>(1000, positions.size()); ++i) {
      (void)merkle::InclusionProof(positions[i], n, batch);
    }
    std::vector<double> micros;
    std::vector<std::vector<Hash>> made;
    size_t hashes = 0;
    for (uint64_t p : positions) {
      auto start = std::chrono::steady_clock::now();
      auto proof = merkle::InclusionProof(p, n, batch);
      micros.push_back(Seconds(start) * 1e6);
      if (!proof.ok()) throw std::runtime_error(proof.status().ToString());
      hashes += proof->size();
      made.push_back(std::move(proof).value());
    }
    Percentiles ledger_lat = Of(micros);
    const size_t per_proof = std::max<size_t>(1, hashes / made.size());

    // Raw baseline: per_proof random Gets of 32-byte values, on a raw DB of n keys.
    std::unique_ptr<rocksdb::DB> db = FreshRawDb(dir / "raw");
    {
      rocksdb::WriteBatch wb;
      std::string value(32, 'h');
      for (uint64_t k = 0; k < n; ++k) {
        std::string key;
        core::PutBigEndian64(k, &key);
        wb.Put(key, value);
        if (wb.Count() == 65536 || k + 1 == n) {
          auto s = db->Write({}, &wb);
          if (!s.ok()) throw std::runtime_error(s.ToString());
          wb.Clear();
        }
      }
      db->Flush({});
    }
    micros.clear();
    for (size_t i = 0; i < positions.size(); ++i) {
      auto start = std::chrono::steady_clock::now();
      std::vector<std::string> keys(per_proof);
      for (auto& key : keys) core::PutBigEndian64(rng() % n, &key);
      std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
      std::vector<rocksdb::PinnableSlice> values(per_proof);
      std::vector<rocksdb::Status> statuses(per_proof);
      db->MultiGet({}, db->DefaultColumnFamily(), per_proof, slices.data(), values.data(),
                   statuses.data());
      for (const auto& s : statuses) {
        if (!s.ok()) throw std::runtime_error(s.ToString());
      }
      micros.push_back(Seconds(start) * 1e6);
    }
    Percentiles raw_lat = Of(micros);
    db.reset();

    // Verification rate, and raw SHA-256 of as many node inputs.
    std::vector<Hash> leaves;
    for (uint64_t p : positions) leaves.push_back(log->TreeNode(0, p).value());
    size_t verified = 0;
    auto start = std::chrono::steady_clock::now();
    while (Seconds(start) < 1.0) {
      for (size_t i = 0; i < made.size(); ++i) {
        if (!merkle::VerifyInclusion(positions[i], n, leaves[i], made[i], root).ok()) {
          throw std::runtime_error("a proof did not verify");
        }
      }
      verified += made.size();
    }
    double verify_rate = verified / Seconds(start);
    core::Sha256 sha;
    std::string node(65, '\x01');
    size_t raw_hashes = 0;
    start = std::chrono::steady_clock::now();
    while (Seconds(start) < 1.0) {
      for (size_t i = 0; i < 10000; ++i) {
        Hash h = sha.Update(node).Final();
        node[1] = static_cast<char>(h[0]);
      }
      raw_hashes += 10000;
    }
    double raw_verify_rate = raw_hashes / Seconds(start) / per_proof;

    fmt::print("inclusion proofs on a ledger of {} events ({} samples, {} hashes per proof):\n", n,
               positions.size(), per_proof);
    fmt::print("  generation     p50 {:>7.1f} us  p99 {:>7.1f} us  max {:>8.1f} us\n",
               ledger_lat.p50, ledger_lat.p99, ledger_lat.max);
    fmt::print(
        "  raw RocksDB MultiGet of {} random keys: p50 {:.1f} us  p99 {:.1f} us  (ratio p99 "
        "{:.2f})\n",
        per_proof, raw_lat.p50, raw_lat.p99, ledger_lat.p99 / raw_lat.p99);
    fmt::print("  verification   {:>12.0f} proofs/s\n", verify_rate);
    fmt::print("  raw SHA-256 of {} node inputs each {:>12.0f} proofs/s  (ratio {:.2f})\n",
               per_proof, raw_verify_rate, verify_rate / raw_verify_rate);
    nlohmann::ordered_json j = {{"bench", "proofs"},
                                {"events", n},
                                {"samples", positions.size()},
                                {"hashes_per_proof", per_proof},
                                {"p50_us", Round2(ledger_lat.p50)},
                                {"p99_us", Round2(ledger_lat.p99)},
                                {"max_us", Round2(ledger_lat.max)},
                                {"raw_rocksdb_p99_us", Round2(raw_lat.p99)},
                                {"p99_ratio", Round2(ledger_lat.p99 / raw_lat.p99)},
                                {"verify_per_s", std::round(verify_rate)},
                                {"raw_sha256_proofs_per_s", std::round(raw_verify_rate)},
                                {"verify_ratio", Round2(verify_rate / raw_verify_rate)}};
    fmt::print("{}\n", j.dump());
    log.reset();
    if (popts->dir.empty()) fs::remove_all(dir);
  });

  auto vopts = std::make_shared<ReadOpts>();
  CLI::App* verify = bench->add_subcommand(
      "verify",
      "A full `ledger verify` (records, chain, Merkle leaves and stored tree) over a ledger of\n"
      "--events generated events (or --data), beside raw SHA-256 of the same record bytes\n"
      "(one hash per record, from memory). Prints both rates and the ratio; JSON last.");
  verify->add_option("--events", vopts->events, "Events of the ledger to build without --data")
      ->capture_default_str();
  verify->add_option("--data", vopts->data, "An existing ledger");
  verify->add_option("--seed", vopts->seed, "Generator seed")->capture_default_str();
  verify->add_option("--dir", vopts->dir, "Scratch directory (default: a temporary one)");
  verify->callback([vopts] {
    fs::path dir = ScratchDir(vopts->dir);
    std::string data = LedgerForReads(vopts->data, vopts->events, vopts->seed, dir);
    // A ledger at rest: the kernel done writing back the one just built.
    ::sync();
    auto log = OpenForReads(data);
    auto start = std::chrono::steady_clock::now();
    auto report = core::VerifyChain(*log);
    double seconds = Seconds(start);
    if (!report.ok()) throw std::runtime_error(report.status().ToString());
    double rate = report->records / seconds;
    // Raw: the same record bytes, in memory, one SHA-256 each.
    std::string bytes;
    std::vector<size_t> ends;
    Status st = log->Read(0, log->Size(), [&](const core::LogEntry& e) {
      bytes.append(e.record.bytes);
      ends.push_back(bytes.size());
      return true;
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    core::Sha256 sha;
    Hash sink{};
    start = std::chrono::steady_clock::now();
    size_t begin = 0;
    for (size_t end : ends) {
      Hash h = sha.Update(std::string_view(bytes).substr(begin, end - begin)).Final();
      sink[0] ^= h[0];
      begin = end;
    }
    double raw = ends.size() / Seconds(start);
    fmt::print("verify of {} records ({} bytes on average; chain, Merkle leaves, {} tree nodes):\n",
               report->records, bytes.size() / std::max<size_t>(1, ends.size()),
               report->tree_nodes);
    fmt::print("  ledger verify                 {:>12.0f} events/s\n", rate);
    fmt::print("  raw SHA-256 of each record    {:>12.0f} records/s (in memory; checksum {})\n",
               raw, sink[0]);
    fmt::print("  ratio                         {:>12.2f}\n", rate / raw);
    nlohmann::ordered_json j = {{"bench", "verify"},
                                {"events", report->records},
                                {"record_bytes", bytes.size() / std::max<size_t>(1, ends.size())},
                                {"verify_events_per_s", std::round(rate)},
                                {"raw_sha256_records_per_s", std::round(raw)},
                                {"ratio", std::round(rate / raw * 1000) / 1000}};
    fmt::print("{}\n", j.dump());
    log.reset();
    if (vopts->dir.empty()) fs::remove_all(dir);
  });
}

}  // namespace ledger::cli
