// Typed identifiers: a ContractId is not a SupplierId that happens to be a string.
//
// Like redpanda's named_type: a thin wrapper whose Tag makes ids of different
// kinds distinct types, so that passing one where another is expected does not
// compile. Values, thread-compatible.
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>

namespace ledger {

template <typename Tag>
class NamedId {
 public:
  NamedId() = default;
  explicit NamedId(std::string value) : value_(std::move(value)) {}
  explicit NamedId(std::string_view value) : value_(value) {}

  const std::string& value() const { return value_; }
  bool empty() const { return value_.empty(); }
  auto operator<=>(const NamedId&) const = default;
  // Against an id as it appears in an event (not typed there).
  bool operator==(std::string_view other) const { return value_ == other; }

 private:
  std::string value_;
};

using EventId = NamedId<struct EventIdTag>;
using EntityId = NamedId<struct EntityIdTag>;  // an id of any kind
using UnitCode = NamedId<struct UnitCodeTag>;
using CreditCode = NamedId<struct CreditCodeTag>;
using CategoryCode = NamedId<struct CategoryCodeTag>;
using AssetId = NamedId<struct AssetIdTag>;
using DemandId = NamedId<struct DemandIdTag>;
using BudgetLineId = NamedId<struct BudgetLineIdTag>;
using ProjectId = NamedId<struct ProjectIdTag>;
using BidId = NamedId<struct BidIdTag>;
using ComplaintId = NamedId<struct ComplaintIdTag>;
using ContractId = NamedId<struct ContractIdTag>;
using AcceptanceId = NamedId<struct AcceptanceIdTag>;
using PaymentId = NamedId<struct PaymentIdTag>;
using FindingId = NamedId<struct FindingIdTag>;

}  // namespace ledger

template <typename Tag>
struct std::hash<ledger::NamedId<Tag>> {
  size_t operator()(const ledger::NamedId<Tag>& id) const noexcept {
    return std::hash<std::string>()(id.value());
  }
};
