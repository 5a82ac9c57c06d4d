#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/command_service.h"
#include "core/embedded_log.h"
#include "core/generator.h"
#include "projections/catalog.h"
#include "projections/entity_history.h"
#include "projections/entity_state.h"
#include "tests/support/temp_dir.h"

namespace ledger::projections {
namespace {

// Appends `chains` generated chains (with some refusals) to `log`.
void AppendChains(core::EventLog& log, uint64_t chains, uint64_t seed) {
  auto service = core::CommandService::Open(log, [](const core::LineOutcome&) {}).value();
  uint64_t n = 0;
  core::GenerateChains({chains, seed, 0.1}, [&](const std::string& line) {
    service->SubmitJson(++n, line);
    if (service->pending() >= 997) REQUIRE(service->Flush().ok());
  });
  REQUIRE(service->Flush().ok());
}

std::vector<std::string> Digests(LedgerProjections& p) {
  std::vector<std::string> out;
  for (const auto& name : p.names()) out.push_back(core::ToHex(p.store->Digest(name).value()));
  return out;
}

TEST_CASE("incremental projection equals a rebuild from zero, and resumes at its checkpoint") {
  testing::TempDir tmp;
  auto log = core::OpenEmbeddedLog(tmp.Sub("l"), core::OpenMode::kCreate).value();
  auto p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  // Generated chains, then five more appends, each followed by a catch-up in
  // odd-sized batches. (One seed per ledger: generated unit codes repeat.)
  uint64_t applied = 0;
  std::vector<std::string> names = {"a", "b", "c", "d", "e", "f"};
  for (uint64_t round = 0; round < 6; ++round) {
    if (round == 0) AppendChains(*log, 6000, 11);
    if (round > 0) {
      auto service = core::CommandService::Open(*log, [](const core::LineOutcome&) {}).value();
      nlohmann::json unit = {
          {"type", "UnitRegistered"},
          {"id", "evt-extra-" + names[round]},
          {"actor", "finance:310000"},
          {"time", "2031-01-01T00:00:00Z"},
          {"data", {{"unit_code", "X-" + names[round]}, {"name", "extra"}, {"region", "310101"}}}};
      service->SubmitJson(1, unit.dump());
      REQUIRE(service->Flush().ok());
    }
    auto read = p->runner->CatchUp(333).value();
    CHECK(read == log->Size() - applied);
    applied = log->Size();
    for (const auto& name : p->names()) CHECK(p->store->Checkpoint(name) == log->Size());
  }
  REQUIRE(log->Size() > 100000);
  auto incremental = Digests(*p);
  CHECK(p->runner->CatchUp().value() == 0);  // nothing new: nothing applied again

  // Reopen (a restart): nothing to apply, same content.
  p.reset();
  p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  CHECK(p->runner->CatchUp().value() == 0);
  CHECK(Digests(*p) == incremental);

  // Rebuild every projection from zero, in one go with other batch sizes.
  for (const auto& name : p->names()) REQUIRE(p->store->Reset(name).ok());
  CHECK(p->runner->CatchUp(4096).value() == log->Size());
  CHECK(Digests(*p) == incremental);

  // Rebuild one projection on its own: the other is not applied twice.
  REQUIRE(p->store->Reset(std::string(EntityHistoryProjection::kName)).ok());
  CHECK(p->runner->CatchUp(1000).value() == log->Size());
  CHECK(Digests(*p) == incremental);
}

TEST_CASE("every event is applied exactly once: versions match histories") {
  testing::TempDir tmp;
  auto log = core::OpenEmbeddedLog(tmp.Sub("l"), core::OpenMode::kCreate).value();
  AppendChains(*log, 60, 3);
  auto p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  REQUIRE(p->runner->CatchUp(7).ok());
  uint64_t entities = 0, events = 0;
  REQUIRE(p->store
              ->Scan(EntityStateProjection::kName, "", "",
                     [&](std::string_view id, std::string_view value) {
                       auto state = nlohmann::json::parse(value);
                       uint64_t history = 0;
                       REQUIRE(p->store
                                   ->Scan(EntityHistoryProjection::kName,
                                          EntityHistoryProjection::Prefix(id), "",
                                          [&](std::string_view, std::string_view) {
                                            ++history;
                                            return true;
                                          })
                                   .ok());
                       CHECK(state["version"] == history);
                       ++entities;
                       events += history;
                       return true;
                     })
              .ok());
  CHECK(entities > 100);
  CHECK(events == log->Size());
}

}  // namespace
}  // namespace ledger::projections
