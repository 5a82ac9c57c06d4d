// EntityStateProjection ("entity"): the current fields and status of every
// entity, for `ledger show`.
//
// Key: entity_id. Value: one JSON object
//   {"entity_id", "kind": type of its first event, "status": type of its last
//    event, "version": number of events, "first_position", "last_position",
//    "updated": business time of the last event, "fields": the data fields of
//    all its events, later ones overriding earlier ones}
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "projections/projection.h"

namespace ledger::projections {

class EntityStateProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "entity";
  EntityStateProjection();
  ~EntityStateProjection() override;
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;

  // The entity's state after `event` (at `position`), given its state before
  // (`prior`, nullopt for none): what Apply stores, and what an as-of query
  // folds from the entity's own events.
  static std::string Fold(const std::optional<std::string>& prior, uint64_t position,
                          const fb::Event& event, events::JsonCodec& codec);

 private:
  std::unique_ptr<events::JsonCodec> codec_;
};

}  // namespace ledger::projections
