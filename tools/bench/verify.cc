// `ledger bench verify`: a full `ledger verify` beside raw SHA-256 of the
// same record bytes.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/tlog/chain_verifier.h"
#include "tools/bench/bench.h"
#include "tools/bench/common.h"

namespace ledger::bench {

namespace fs = std::filesystem;
using core::Hash;

Report VerifyBench(const ReadOptions& o) {
  fs::path dir = ScratchDir(o.dir);
  std::string data = LedgerForReads(o.data, o.events, o.seed, dir);
  // A ledger at rest: the kernel done writing back the one just built.
  Settle();
  auto log = OpenForReads(data);
  auto start = std::chrono::steady_clock::now();
  auto report = core::VerifyChain(*log);
  double seconds = Seconds(start);
  Check(report.status());
  double rate = report->records / seconds;
  // Raw: the same record bytes, in memory, one SHA-256 each.
  std::string bytes;
  std::vector<size_t> ends;
  Check(log->Read(0, log->Size(), [&](const core::LogEntry& e) {
    bytes.append(e.record.bytes);
    ends.push_back(bytes.size());
    return true;
  }));
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
  const size_t record_bytes = bytes.size() / std::max<size_t>(1, ends.size());
  Report out;
  out.text =
      fmt::format(
          "verify of {} records ({} bytes on average; chain, Merkle leaves, {} tree nodes):\n",
          report->records, record_bytes, report->tree_nodes) +
      fmt::format("  ledger verify                 {:>12.0f} events/s\n", rate) +
      fmt::format("  raw SHA-256 of each record    {:>12.0f} records/s (in memory; checksum {})\n",
                  raw, sink[0]) +
      fmt::format("  ratio                         {:>12.2f}\n", rate / raw);
  out.json = nlohmann::ordered_json{{"bench", "verify"},
                                    {"events", report->records},
                                    {"record_bytes", record_bytes},
                                    {"verify_events_per_s", std::round(rate)},
                                    {"raw_sha256_records_per_s", std::round(raw)},
                                    {"ratio", Round3(rate / raw)}}
                 .dump();
  log.reset();
  if (o.dir.empty()) fs::remove_all(dir);
  return out;
}

}  // namespace ledger::bench
