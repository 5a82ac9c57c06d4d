#include "projections/trace_graph.h"

#include "core/record_format.h"

namespace ledger::projections {
namespace {

using events::View;

std::string Key(char direction, std::string_view from, std::string_view to) {
  std::string k(1, direction);
  k.append(from).push_back('\0');
  k.append(to).push_back('\0');
  return k;
}

void Link(Table& table, std::string_view child, std::string_view parent, std::string_view relation,
          uint64_t position) {
  if (child.empty() || parent.empty() || child == parent) return;
  std::string value(relation);
  value.push_back('\0');
  core::PutBigEndian64(position, &value);
  table.Put(Key('u', child, parent), value);
  table.Put(Key('d', parent, child), value);
}

Result<std::vector<TraceLink>> Links(const ProjectionStore& store, char direction,
                                     std::string_view id) {
  std::string prefix(1, direction);
  prefix.append(id).push_back('\0');
  std::vector<TraceLink> out;
  Status st = store.Scan(
      TraceGraphProjection::kName, prefix, "", [&](std::string_view key, std::string_view value) {
        TraceLink link;
        link.entity_id = key.substr(prefix.size(), key.size() - prefix.size() - 1);
        size_t nul = value.find('\0');
        link.relation = value.substr(0, nul);
        link.position = core::GetBigEndian64(value.data() + nul + 1);
        out.push_back(std::move(link));
        return true;
      });
  if (!st.ok()) return st;
  return out;
}

}  // namespace

void TraceGraphProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                 Table& table) {
  const uint64_t p = entry.record.position;
  const std::string_view self = events::EntityIdOf(event);
  auto up = [&](std::string_view parent, std::string_view relation) {
    Link(table, self, parent, relation, p);
  };
  using P = fb::Payload;
  switch (event.data_type()) {
    case P::UnitRegistered:
      up(View(event.data_as_UnitRegistered()->parent_unit()), "parent unit");
      break;
    case P::AssetInventoried:
      up(View(event.data_as_AssetInventoried()->unit_code()), "unit");
      break;
    case P::DemandRaised:
      up(View(event.data_as_DemandRaised()->unit_code()), "unit");
      break;
    case P::WarehouseQueried:
      for (const auto* a : *event.data_as_WarehouseQueried()->matched_asset_ids()) {
        up(a->string_view(), "matched warehouse asset");
      }
      break;
    case P::AssetAllocated:
      up(View(event.data_as_AssetAllocated()->demand_id()), "allocated to demand");
      break;
    case P::BudgetRequested: {
      auto* d = event.data_as_BudgetRequested();
      for (const auto* id : *d->demand_ids()) up(id->string_view(), "demand");
      up(View(d->unit_code()), "unit");
      break;
    }
    case P::RequirementDefined:
      up(View(event.data_as_RequirementDefined()->budget_line_id()), "budget line");
      break;
    case P::BidSubmitted: {
      auto* d = event.data_as_BidSubmitted();
      up(View(d->project_id()), "project");
      up(View(d->credit_code()), "supplier");
      break;
    }
    case P::AwardDecided:
      up(View(event.data_as_AwardDecided()->bid_id()), "winning bid");
      break;
    case P::ComplaintFiled:
      up(View(event.data_as_ComplaintFiled()->project_id()), "project");
      break;
    case P::ContractSigned: {
      auto* d = event.data_as_ContractSigned();
      up(View(d->project_id()), "project");
      up(View(d->credit_code()), "supplier");
      break;
    }
    case P::AcceptanceRecorded:
      up(View(event.data_as_AcceptanceRecorded()->contract_id()), "contract");
      break;
    case P::PaymentMade: {
      auto* d = event.data_as_PaymentMade();
      up(View(d->contract_id()), "contract");
      up(View(d->acceptance_id()), "acceptance");
      break;
    }
    case P::AssetRegistered: {
      auto* d = event.data_as_AssetRegistered();
      up(View(d->contract_id()), "bought by contract");
      up(View(d->acceptance_id()), "acceptance");
      up(View(d->unit_code()), "unit");
      break;
    }
    case P::FindingRecorded:
      up(View(event.data_as_FindingRecorded()->entity_id()), "finding on");
      break;
    case P::SupplierRegistered:
    case P::ConfigStandardSet:
    case P::AssetDeposited:
    case P::ImportReviewed:
    case P::BudgetApproved:
    case P::BudgetRejected:
    case P::TenderPublished:
    case P::RulingIssued:
    case P::ContractAmended:
    case P::ControlViolationRecorded:
    case P::NONE:
      break;  // no reference to another entity
  }
}

Result<std::vector<TraceLink>> TraceGraphProjection::Up(const ProjectionStore& store,
                                                        std::string_view id) {
  return Links(store, 'u', id);
}

Result<std::vector<TraceLink>> TraceGraphProjection::Down(const ProjectionStore& store,
                                                          std::string_view id) {
  return Links(store, 'd', id);
}

}  // namespace ledger::projections
