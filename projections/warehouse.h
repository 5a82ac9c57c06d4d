// WarehouseProjection ("warehouse"): the assets in the public warehouse
// (公物仓), by category and spec, as the warehouse pre-query needs them.
//
//   "a" asset_id                        -> category 0x00 spec      (every asset)
//   "w" category 0x00 spec 0x00 asset_id -> actor who deposited it (in the warehouse now)
#pragma once

#include <string>
#include <vector>

#include "projections/projection.h"
#include "projections/store.h"

namespace ledger::projections {

class WarehouseProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "warehouse";
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;

  // Asset ids in the warehouse now, of `category` (and `spec`, when not empty).
  static Result<std::vector<std::string>> Available(const ProjectionStore& store,
                                                    std::string_view category,
                                                    std::string_view spec = {});
};

}  // namespace ledger::projections
