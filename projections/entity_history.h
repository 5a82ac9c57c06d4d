// EntityHistoryProjection ("history"): the log positions of every event of
// every entity, for `ledger history` and for state as of a point.
//
// Key layout: entity_id  ->  one 9-byte entry per event, in log order:
//   position:u64be type:u8 (fb::Payload)
// Each event appends its entry (Table::Append), so a rebuild writes one key
// per entity.
#pragma once

#include <vector>

#include "projections/projection.h"
#include "projections/store.h"

namespace ledger::projections {

struct HistoryEntry {
  uint64_t position = 0;
  fb::Payload type = fb::Payload::NONE;
};

class EntityHistoryProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "history";
  static constexpr size_t kEntryBytes = 9;
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;

  // The events of `id` in log order (empty when there is no such entity).
  static Result<std::vector<HistoryEntry>> Of(const ProjectionStore& store, std::string_view id);
};

}  // namespace ledger::projections
