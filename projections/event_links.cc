#include "projections/event_links.h"

namespace ledger::projections {

using events::View;

void ForEachLink(const fb::Event& event,
                 const std::function<void(std::string_view, std::string_view)>& up) {
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

}  // namespace ledger::projections
