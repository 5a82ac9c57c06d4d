#include "projections/catalog.h"

#include "projections/budget_execution.h"
#include "projections/entity_history.h"
#include "projections/entity_state.h"
#include "projections/trace_graph.h"
#include "projections/warehouse.h"

namespace ledger::projections {

std::vector<std::unique_ptr<Projection>> AllProjections() {
  std::vector<std::unique_ptr<Projection>> all;
  all.push_back(std::make_unique<EntityStateProjection>());
  all.push_back(std::make_unique<EntityHistoryProjection>());
  all.push_back(std::make_unique<TraceGraphProjection>());
  all.push_back(std::make_unique<WarehouseProjection>());
  all.push_back(std::make_unique<BudgetExecutionProjection>());
  return all;
}

std::vector<std::string> LedgerProjections::names() const {
  std::vector<std::string> out;
  for (const auto& p : projections) out.emplace_back(p->name());
  return out;
}

Result<std::unique_ptr<LedgerProjections>> OpenLedgerProjections(const std::string& data_dir,
                                                                 core::EventLog& log) {
  auto lp = std::make_unique<LedgerProjections>();
  lp->projections = AllProjections();
  auto store = ProjectionStore::Open(data_dir + "/projections", lp->names());
  if (!store.ok()) return store.status();
  lp->store = std::move(store).value();
  std::vector<Projection*> raw;
  for (auto& p : lp->projections) raw.push_back(p.get());
  lp->runner = std::make_unique<ProjectionRunner>(log, *lp->store, std::move(raw));
  return lp;
}

}  // namespace ledger::projections
