// TraceGraphProjection ("trace"): the links between entities, in both
// directions, for `ledger trace` (逆向动态可溯: from a payment up to the demand
// and its warehouse query; from a budget line down to every payment).
//
// Every reference an event makes from its entity to another gives one link,
// appended (Table::Append) to the lists of both ends:
//   "u" child   ->  entries of its parents   (upward)
//   "d" parent  ->  entries of its children  (downward)
//   entry := len:varint entity_id len:varint relation position:u64be
// e.g. PaymentMade links the payment up to its contract and its acceptance;
// WarehouseQueried links the demand up to each matched warehouse asset.
// Readers see one link per entity at the other end (the latest event that
// made it), in entity-id order.
#pragma once

#include <string>
#include <vector>

#include "projections/projection.h"
#include "projections/store.h"

namespace ledger::projections {

struct TraceLink {
  std::string entity_id;  // the entity at the other end
  std::string relation;   // "contract", "acceptance", "matched asset", ...
  uint64_t position = 0;  // the event that made the link
};

class TraceGraphProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "trace";
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;

  // The entities `id` refers to (up) or that refer to it (down), in key order.
  static Result<std::vector<TraceLink>> Up(const ProjectionStore& store, std::string_view id);
  static Result<std::vector<TraceLink>> Down(const ProjectionStore& store, std::string_view id);
};

}  // namespace ledger::projections
