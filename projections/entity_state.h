// EntityStateProjection ("entity"): what every entity is now, for `ledger
// show` and the trail.
//
// Key: entity_id. Value: its EntitySummary as a compact record
// (core/util/compact_record.h):
//
//   summary := kind:u8 status:u8 version first_position last_position
//              updated:string money_mask {money}        (one per bit set)
//
// kind is the type of its first event, status the type of its last, version
// its number of events, updated the business time of its last event, and
// money the last value of each money field (kMoneyFields) any of its events
// set. The entity's other fields are not copied: they are read from its own
// events, which the history projection lists (projections/as_of.h).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "projections/projection.h"

namespace ledger::projections {

// The money fields an entity's amount is taken from, most specific first.
inline constexpr std::array<std::string_view, 8> kMoneyFields = {
    "new_amount_fen", "approved_amount_fen", "amount_fen",         "accepted_amount_fen",
    "price_fen",      "value_fen",           "original_value_fen", "est_unit_price_fen"};

// The amount one event names: its first money field set, in kMoneyFields order.
std::optional<uint64_t> EventAmountFen(const fb::Event& event);

struct EntitySummary {
  fb::Payload kind = fb::Payload::NONE;
  fb::Payload status = fb::Payload::NONE;
  uint64_t version = 0;
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  std::string updated;
  std::array<std::optional<uint64_t>, kMoneyFields.size()> money;

  // Folds in the entity's next event, recorded at `position`.
  void Apply(uint64_t position, const fb::Event& event);
  // The amount that counts for the entity: the first money field set.
  std::optional<uint64_t> amount_fen() const;

  std::string Encode() const;
  void EncodeTo(std::string* out) const;  // replaces what `out` holds
  // Corruption when `bytes` is not a summary.
  static Result<EntitySummary> Decode(std::string_view bytes);
};

class EntityStateProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "entity";
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;
};

}  // namespace ledger::projections
