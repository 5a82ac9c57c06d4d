#include "tools/bench/common.h"

#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "events/codec.h"
#include "tools/gen/generator.h"

namespace ledger::bench {

namespace fs = std::filesystem;

void Check(const Status& status) {
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

void Settle() { ::sync(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Percentiles Of(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) {
    return micros[std::min(micros.size() - 1, size_t(q * micros.size()))];
  };
  return {at(0.5), at(0.99), micros.back()};
}

double Round2(double v) { return std::round(v * 100) / 100; }
double Round3(double v) { return std::round(v * 1000) / 1000; }

fs::path ScratchDir(const std::string& dir) {
  if (!dir.empty()) return dir;
  std::string tmpl = (fs::temp_directory_path() / "ledger-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp " + tmpl);
  return tmpl;
}

std::vector<std::string> MakeEvents(size_t n, uint64_t seed, double violations) {
  events::JsonCodec codec;
  std::vector<std::string> out;
  out.reserve(n);
  gen::GeneratorOptions gen{n / 16 + 1, seed, violations};
  while (out.size() < n) {
    gen::GenerateChains(gen, [&](const std::string& line) {
      if (out.size() < n) out.push_back(codec.Parse(line).value());
    });
    gen.chains *= 2;  // fewer events per chain than guessed: generate more
    if (out.size() < n) out.clear();
  }
  return out;
}

std::unique_ptr<core::EventLog> FreshLog(const fs::path& dir) {
  fs::remove_all(dir);
  return ValueOrThrow(core::OpenEmbeddedLog(dir.string(), core::OpenMode::kCreate));
}

void AppendInBatches(core::EventLog& log, std::span<const std::string> events, size_t batch) {
  for (size_t i = 0; i < events.size(); i += batch) {
    Check(log.Append(events.subspan(i, std::min(batch, events.size() - i))).status());
  }
}

void BuildLedger(const fs::path& dir, size_t events, uint64_t seed,
                 const core::KafkaOptions* kafka) {
  std::unique_ptr<core::EventLog> log;
  if (kafka == nullptr) {
    log = FreshLog(dir);
  } else {
    fs::remove_all(dir);
    log = ValueOrThrow(core::OpenKafkaLog(*kafka, dir.string(), core::OpenMode::kCreate));
  }
  auto service = ValueOrThrow(core::CommandService::Open(*log, [](const core::LineOutcome&) {}));
  uint64_t n = 0;
  gen::GenerateChains({events / 16 + 1, seed, 0.01}, [&](const std::string& line) {
    if (n >= events) return;
    service->SubmitJson(++n, line);
    if (service->pending() >= 4096) Check(service->Flush());
  });
  Check(service->Flush());
}

std::string LedgerForReads(const std::string& data, size_t events, uint64_t seed,
                           const fs::path& dir) {
  if (!data.empty()) return data;
  fs::create_directories(dir);
  fmt::print(stderr, "generating and appending {} events...\n", events);
  std::vector<std::string> evs = MakeEvents(events, seed, 0.0);
  AppendInBatches(*FreshLog(dir / "ledger"), evs, 10000);
  return (dir / "ledger").string();
}

std::unique_ptr<core::EventLog> OpenForReads(const std::string& data) {
  return ValueOrThrow(core::OpenEmbeddedLog(data, core::OpenMode::kRead));
}

const core::KafkaOptions& ScratchTopics::New(const std::string& what) {
  DeleteAll();
  core::KafkaOptions o;
  o.brokers = brokers_;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  // A topic of this run's own: benchmarks never reuse one.
  o.topic = fmt::format("bench.{}.{}.{}", what, getpid(),
                        std::chrono::duration_cast<std::chrono::microseconds>(now).count());
  made_.push_back(std::move(o));
  return made_.back();
}

void ScratchTopics::DeleteAll() {
  for (const core::KafkaOptions& o : made_) {
    Status st = core::DeleteKafkaTopic(o);
    if (!st.ok() && !st.IsNotFound()) {
      fmt::print(stderr, "bench: scratch topic left behind: {}\n", st.ToString());
    }
  }
  made_.clear();
}

}  // namespace ledger::bench
