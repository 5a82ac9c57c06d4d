// The ledger's projections, and where they live beside a ledger.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/log/event_log.h"
#include "projections/projection.h"
#include "projections/runner.h"
#include "projections/store.h"

namespace ledger::projections {

// Every projection the ledger maintains, in a fixed order.
std::vector<std::unique_ptr<Projection>> AllProjections();

// The projections of the ledger in `data_dir` (DIR/projections), opened
// beside its log, with a runner over them.
struct LedgerProjections {
  std::vector<std::unique_ptr<Projection>> projections;
  std::unique_ptr<ProjectionStore> store;
  std::unique_ptr<ProjectionRunner> runner;
  std::vector<std::string> names() const;
};
Result<std::unique_ptr<LedgerProjections>> OpenLedgerProjections(const std::string& data_dir,
                                                                 core::EventLog& log);

}  // namespace ledger::projections
