// BudgetExecutionProjection ("budget"): budget execution (预算执行) per budget
// line and per unit: requested, approved, required, contracted (with
// amendments), accepted (passed acceptances) and paid.
//
//   "L" budget_line_id -> Totals     "U" unit_code -> Totals
//   "p" project_id  -> budget_line_id          (links it keeps to attribute
//   "c" contract_id -> budget_line_id 0x00 amount:u64be   later events)
// Totals := a compact record (core/util/compact_record.h) of BudgetTotals, in
//           field order: unit:string, then the six amounts as zigzag varints.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "projections/projection.h"
#include "projections/store.h"

namespace ledger::projections {

struct BudgetTotals {
  enum Field { kRequested, kApproved, kRequired, kContracted, kAccepted, kPaid, kFieldCount };
  static constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
      "requested_fen",  "approved_fen", "required_fen",
      "contracted_fen", "accepted_fen", "paid_fen"};

  std::string unit;
  std::array<int64_t, kFieldCount> fen{};

  void EncodeTo(std::string* out) const;  // replaces what `out` holds
  // Corruption when `bytes` are not totals.
  static Result<BudgetTotals> Decode(std::string_view bytes);
};

class BudgetExecutionProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "budget";
  std::string_view name() const override { return kName; }
  void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) override;

  static std::string LineKey(std::string_view budget_line_id) {
    return "L" + std::string(budget_line_id);
  }
  static std::string UnitKey(std::string_view unit_code) { return "U" + std::string(unit_code); }

  // The execution of budget line or unit `id`; nullopt when it is neither.
  static Result<std::optional<BudgetTotals>> Of(const ProjectionStore& store, std::string_view id);
};

}  // namespace ledger::projections
