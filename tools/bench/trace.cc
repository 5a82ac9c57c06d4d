// `ledger bench trace`: latency of a full upward trail from random payments.
#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <random>

#include "projections/catalog.h"
#include "projections/entity_state.h"
#include "projections/trail.h"
#include "tools/bench/bench.h"
#include "tools/bench/common.h"

namespace ledger::bench {

namespace fs = std::filesystem;

Report TraceBench(const ReadOptions& o) {
  fs::path dir = ScratchDir(o.dir);
  std::string data = o.data;
  if (data.empty()) {
    fs::create_directories(dir);
    fmt::print(stderr, "building a ledger of {} events...\n", o.events);
    BuildLedger(dir / "ledger", o.events, o.seed);
    data = (dir / "ledger").string();
  }
  auto log = OpenForReads(data);
  auto p = projections::OpenLedgerProjections(data, *log).value();
  if (!p->runner->CatchUp().ok()) throw std::runtime_error("projections do not catch up");
  std::vector<std::string> payments;
  Status st = p->store->Scan(projections::EntityStateProjection::kName, "PAY-", "",
                             [&](std::string_view id, std::string_view) {
                               payments.emplace_back(id);
                               return true;
                             });
  if (!st.ok() || payments.empty()) throw std::runtime_error("no payments in the ledger");
  std::mt19937_64 rng(o.seed);
  std::vector<double> micros;
  size_t steps = 0;
  for (size_t i = 0; i < o.samples; ++i) {
    const std::string& id = payments[rng() % payments.size()];
    auto start = std::chrono::steady_clock::now();
    auto trail = projections::Trail(*p->store, id, /*down=*/false);
    micros.push_back(Seconds(start) * 1e6);
    Check(trail.status());
    std::vector<const projections::TrailNode*> stack = {&*trail};
    while (!stack.empty()) {
      const auto* n = stack.back();
      stack.pop_back();
      ++steps;
      for (const auto& c : n->links) stack.push_back(&c);
    }
  }
  const Percentiles lat = Of(micros);
  const double steps_each = double(steps) / micros.size();
  Report report;
  report.text =
      fmt::format("upward trail from {} random payments ({} in the ledger, {:.1f} steps each):\n",
                  micros.size(), payments.size(), steps_each) +
      fmt::format("  p50 {:.0f} us, p99 {:.0f} us, max {:.0f} us\n", lat.p50, lat.p99, lat.max);
  report.json = nlohmann::ordered_json{{"bench", "trace"},
                                       {"samples", micros.size()},
                                       {"payments", payments.size()},
                                       {"steps_per_trail", std::round(steps_each)},
                                       {"p50_us", std::round(lat.p50)},
                                       {"p99_us", std::round(lat.p99)},
                                       {"max_us", std::round(lat.max)}}
                    .dump();
  p.reset();
  log.reset();
  if (o.dir.empty()) fs::remove_all(dir);  // ours, whether used or not
  return report;
}

}  // namespace ledger::bench
