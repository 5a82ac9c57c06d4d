// EntityHistoryProjection ("history"): the log positions of every event of
// every entity, for `ledger history`.
//
// Key layout: entity_id 0x00 position:u64be  ->  event type name
// so the events of one entity are one key range, in log order.
#pragma once

#include "projections/projection.h"

namespace ledger::projections {

class EntityHistoryProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "history";
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;

  // The key range of one entity, and the key of one of its events.
  static std::string Prefix(std::string_view entity_id);
  static std::string Key(std::string_view entity_id, uint64_t position);
  static uint64_t PositionOf(std::string_view key);  // key from this projection
};

}  // namespace ledger::projections
