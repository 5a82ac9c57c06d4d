#include "core/rules/rules.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "core/util/id_format.h"
#include "core/util/money.h"
#include "events/codes.h"
#include "events/limits.h"

namespace ledger::core {
namespace {

using Maybe = std::optional<Refusal>;
using R = fb::RuleId;

// Returns from the enclosing decision when a check refuses.
#define LEDGER_REFUSE_IF(check)                    \
  do {                                             \
    if (Maybe _refusal = (check)) return _refusal; \
  } while (0)

Refusal Refuse(R rule, std::string reason) { return Refusal{rule, std::move(reason)}; }

using events::View;

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// --- R12: references, creation, stage order -------------------------------

// The entity `id`, named by `field`, must exist and be a T.
template <typename T>
Maybe R12_MustExist(const DecisionState& s, std::string_view field, std::string_view id,
                    const T** out) {
  const Entity* e = s.Find(id);
  if (e == nullptr) {
    return Refuse(R::R12, fmt::format("{}: {} {} does not exist", field, KindName<T>(), id));
  }
  *out = std::get_if<T>(&e->body);
  if (*out == nullptr) {
    return Refuse(R::R12, fmt::format("{}: {} is a {}, not a {}", field, id, KindName(e->body),
                                      KindName<T>()));
  }
  return std::nullopt;
}

// An event that creates entity `id` may not reuse an existing id.
Maybe R12_MustBeNew(const DecisionState& s, std::string_view id) {
  if (const Entity* e = s.Find(id)) {
    return Refuse(R::R12, fmt::format("{} {} already exists", KindName(e->body), id));
  }
  return std::nullopt;
}

Maybe R12_StageOrder(bool ok, std::string reason) {
  if (ok) return std::nullopt;
  return Refuse(R::R12, std::move(reason));
}

// --- the rules of each stage ----------------------------------------------

Maybe R1_DemandNeedsInternalReuseCheck(const fb::DemandRaised& d) {
  if (d.internal_reuse_checked().value_or(false)) return std::nullopt;
  return Refuse(R::R1, fmt::format("demand {}: internal reuse and in-department reallocation "
                                   "were not checked (internal_reuse_checked is false)",
                                   View(d.demand_id())));
}

Maybe R4_DemandWithinConfigurationStandard(const DecisionState& s, const fb::DemandRaised& d) {
  const auto* standard = s.FindAs<StandardState>(View(d.category()));
  if (standard == nullptr) return std::nullopt;  // no standard set: no limit
  uint64_t price = d.est_unit_price_fen().value_or(0);
  uint32_t quantity = d.quantity().value_or(0);
  if (price > standard->max_unit_price_fen) {
    return Refuse(R::R4, fmt::format("demand {}: estimated unit price {} exceeds the "
                                     "configuration standard of {} ({})",
                                     View(d.demand_id()), FormatYuan(price), View(d.category()),
                                     FormatYuan(standard->max_unit_price_fen)));
  }
  if (quantity > standard->max_quantity) {
    return Refuse(R::R4, fmt::format("demand {}: quantity {} exceeds the configuration standard "
                                     "of {} ({} per demand)",
                                     View(d.demand_id()), quantity, View(d.category()),
                                     standard->max_quantity));
  }
  return std::nullopt;
}

Maybe R2_BudgetNeedsWarehousePreQuery(std::string_view demand_id, const DemandState& demand) {
  if (demand.queried) return std::nullopt;
  return Refuse(R::R2, fmt::format("demand {} has no public-warehouse pre-query "
                                   "(WarehouseQueried) before its budget request",
                                   demand_id));
}

Maybe R3_WarehouseAssetsBeforeBudget(const DecisionState& s, std::string_view demand_id,
                                     const DemandState& demand) {
  for (const auto& asset_id : demand.matched) {
    const auto* asset = s.FindAs<AssetState>(asset_id);
    if (asset != nullptr && asset->place == AssetPlace::kInWarehouse) {
      return Refuse(R::R3, fmt::format("demand {}: its pre-query matched warehouse asset {}, "
                                       "which is still in the warehouse; allocate it before "
                                       "arranging budget",
                                       demand_id, asset_id));
    }
  }
  return std::nullopt;
}

Maybe R5_ImportNeedsApprovedReview(std::string_view line_id, const BudgetLineState& line,
                                   std::string_view what) {
  if (line.import_review == Review::kApproved) return std::nullopt;
  return Refuse(R::R5, fmt::format("{} on imported-product budget line {} without an approved "
                                   "import review",
                                   what, line_id));
}

Maybe R6_RequirementsWithinApprovedBudget(std::string_view line_id, const BudgetLineState& line,
                                          uint64_t amount) {
  if (line.status != BudgetStatus::kApproved) {
    return Refuse(R::R6,
                  fmt::format("budget line {} is not approved; nothing may draw on it", line_id));
  }
  const uint64_t required = events::AddFen(line.required_fen, amount);
  if (required > line.approved_fen) {
    return Refuse(R::R6, fmt::format("requirements on budget line {} would add up to {}, "
                                     "above its approved {}",
                                     line_id, FormatYuan(required), FormatYuan(line.approved_fen)));
  }
  return std::nullopt;
}

Maybe R6_ContractWithinAward(std::string_view contract_id, const ProjectState& project,
                             uint64_t amount) {
  if (amount <= project.award_fen) return std::nullopt;
  return Refuse(R::R6, fmt::format("contract {} of {} exceeds its award of {}", contract_id,
                                   FormatYuan(amount), FormatYuan(project.award_fen)));
}

Maybe R6_AmendmentWithinTenPercent(std::string_view contract_id, const ContractState& contract,
                                   uint64_t new_amount) {
  // new <= 110% of original, in integers: new * 10 <= original * 11.
  if (static_cast<unsigned __int128>(new_amount) * 10 <=
      static_cast<unsigned __int128>(contract.original_fen) * 11) {
    return std::nullopt;
  }
  return Refuse(
      R::R6, fmt::format("amendment raises contract {} to {}, above 110% of its "
                         "original {}",
                         contract_id, FormatYuan(new_amount), FormatYuan(contract.original_fen)));
}

Maybe R7_SmeAwardAndPriceDeduction(std::string_view project_id, const ProjectState& project,
                                   const SupplierState& supplier, const BidState& bid,
                                   const fb::AwardDecided& d) {
  std::string_view supplier_id = View(d.credit_code());
  if (project.sme_reserved && !supplier.IsSmallOrMicro()) {
    return Refuse(R::R7, fmt::format("tender {} is reserved for SMEs but supplier {} is not "
                                     "registered as small or micro",
                                     project_id, supplier_id));
  }
  uint64_t expected = bid.price_fen;
  if (supplier.IsSmallOrMicro()) {
    expected = static_cast<uint64_t>(static_cast<unsigned __int128>(bid.price_fen) *
                                     (100 - project.sme_price_deduction_pct) / 100);
  }
  uint64_t evaluated = d.evaluated_price_fen().value_or(0);
  if (evaluated != expected) {
    return Refuse(R::R7, fmt::format("award on {}: evaluated price {}, but bid price {} "
                                     "with the {}% SME deduction {} gives {}",
                                     project_id, FormatYuan(evaluated), FormatYuan(bid.price_fen),
                                     project.sme_price_deduction_pct,
                                     supplier.IsSmallOrMicro() ? "applied" : "not applicable",
                                     FormatYuan(expected)));
  }
  return std::nullopt;
}

Maybe R8_ContractNamesAwardedSupplierAndAcceptance(const ProjectState& project,
                                                   const fb::ContractSigned& d) {
  if (Blank(View(d.acceptance_standard())) || Blank(View(d.acceptance_method()))) {
    return Refuse(R::R8, fmt::format("contract {} lacks an acceptance standard or method",
                                     View(d.contract_id())));
  }
  if (View(d.credit_code()) != project.awarded_supplier) {
    return Refuse(
        R::R8, fmt::format("contract {} names supplier {}, but the award went to {}",
                           View(d.contract_id()), View(d.credit_code()), project.awarded_supplier));
  }
  return std::nullopt;
}

Maybe R9_NoContractWhileComplaintOpen(std::string_view project_id, const ProjectState& project,
                                      std::string_view contract_id) {
  if (project.open_complaints == 0) return std::nullopt;
  return Refuse(R::R9,
                fmt::format("contract {} signed while {} on project {} {} no ruling", contract_id,
                            project.open_complaints == 1
                                ? std::string("1 complaint")
                                : fmt::format("{} complaints", project.open_complaints),
                            project_id, project.open_complaints == 1 ? "has" : "have"));
}

Maybe R10_PaymentNeedsPassedAcceptance(const fb::PaymentMade& d, const ContractState& contract,
                                       const AcceptanceState& acceptance) {
  std::string_view payment = View(d.payment_id()), contract_id = View(d.contract_id());
  uint64_t amount = d.amount_fen().value_or(0);
  if (acceptance.contract_id != contract_id) {
    return Refuse(R::R10,
                  fmt::format("payment {}: acceptance {} belongs to contract {}, not {}", payment,
                              View(d.acceptance_id()), acceptance.contract_id, contract_id));
  }
  if (!acceptance.passed) {
    return Refuse(R::R10, fmt::format("payment {}: acceptance {} did not pass", payment,
                                      View(d.acceptance_id())));
  }
  const uint64_t paid = events::AddFen(contract.paid_fen, amount);
  if (paid > contract.accepted_fen) {
    return Refuse(R::R10, fmt::format("payment {} of {} would bring payments on contract {} "
                                      "to {}, above the {} accepted so far",
                                      payment, FormatYuan(amount), contract_id, FormatYuan(paid),
                                      FormatYuan(contract.accepted_fen)));
  }
  if (paid > contract.amount_fen) {
    return Refuse(R::R10, fmt::format("payment {} of {} would bring payments on contract {} "
                                      "to {}, above its amount of {}",
                                      payment, FormatYuan(amount), contract_id, FormatYuan(paid),
                                      FormatYuan(contract.amount_fen)));
  }
  return std::nullopt;
}

Maybe R11_AllocateOnlyFromWarehouse(std::string_view asset_id, const AssetState& asset) {
  if (asset.place == AssetPlace::kInWarehouse) return std::nullopt;
  return Refuse(R::R11, fmt::format("asset {} is not in the public warehouse ({})", asset_id,
                                    asset.place == AssetPlace::kAllocated ? "already allocated"
                                                                          : "never deposited"));
}

Maybe R11_DepositOnlyFromUnit(std::string_view asset_id, const AssetState& asset) {
  if (asset.place == AssetPlace::kInUnit) return std::nullopt;
  return Refuse(R::R11, fmt::format("asset {} is already in the warehouse or allocated", asset_id));
}

Maybe R11_AssetNeedsPassedAcceptance(const fb::AssetRegistered& d,
                                     const AcceptanceState& acceptance) {
  if (acceptance.contract_id == View(d.contract_id()) && acceptance.passed) return std::nullopt;
  return Refuse(R::R11,
                fmt::format("asset {}: acceptance {} is not a passed acceptance of "
                            "contract {}",
                            View(d.asset_id()), View(d.acceptance_id()), View(d.contract_id())));
}

// --- one decision per event type -------------------------------------------

Maybe DecideEvent(const DecisionState& s, const fb::Event& e) {
  using P = fb::Payload;
  switch (e.data_type()) {
    case P::UnitRegistered: {
      auto* d = e.data_as_UnitRegistered();
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->unit_code())));
      if (d->parent_unit() != nullptr) {
        const UnitState* parent;
        LEDGER_REFUSE_IF(R12_MustExist(s, "data.parent_unit", View(d->parent_unit()), &parent));
      }
      return std::nullopt;
    }
    case P::SupplierRegistered:
      return R12_MustBeNew(s, View(e.data_as_SupplierRegistered()->credit_code()));
    case P::ConfigStandardSet: {
      // Setting a standard again replaces it; the id must not be another kind's.
      std::string_view category = View(e.data_as_ConfigStandardSet()->category());
      const StandardState* standard;
      if (s.Find(category) == nullptr) return std::nullopt;
      return R12_MustExist(s, "data.category", category, &standard);
    }
    case P::AssetInventoried: {
      auto* d = e.data_as_AssetInventoried();
      const UnitState* unit;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->asset_id())));
      return R12_MustExist(s, "data.unit_code", View(d->unit_code()), &unit);
    }
    case P::AssetDeposited: {
      auto* d = e.data_as_AssetDeposited();
      const AssetState* asset;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.asset_id", View(d->asset_id()), &asset));
      return R11_DepositOnlyFromUnit(View(d->asset_id()), *asset);
    }
    case P::DemandRaised: {
      auto* d = e.data_as_DemandRaised();
      const UnitState* unit;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->demand_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.unit_code", View(d->unit_code()), &unit));
      LEDGER_REFUSE_IF(R1_DemandNeedsInternalReuseCheck(*d));
      return R4_DemandWithinConfigurationStandard(s, *d);
    }
    case P::WarehouseQueried: {
      auto* d = e.data_as_WarehouseQueried();
      const DemandState* demand;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.demand_id", View(d->demand_id()), &demand));
      for (const auto* id : *d->matched_asset_ids()) {
        const AssetState* asset;
        LEDGER_REFUSE_IF(R12_MustExist(s, "data.matched_asset_ids", id->string_view(), &asset));
      }
      return std::nullopt;
    }
    case P::AssetAllocated: {
      auto* d = e.data_as_AssetAllocated();
      const AssetState* asset;
      const DemandState* demand;
      const UnitState* unit;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.asset_id", View(d->asset_id()), &asset));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.demand_id", View(d->demand_id()), &demand));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.unit_code", View(d->unit_code()), &unit));
      return R11_AllocateOnlyFromWarehouse(View(d->asset_id()), *asset);
    }
    case P::BudgetRequested: {
      auto* d = e.data_as_BudgetRequested();
      const UnitState* unit;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->budget_line_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.unit_code", View(d->unit_code()), &unit));
      for (const auto* id : *d->demand_ids()) {
        const DemandState* demand;
        LEDGER_REFUSE_IF(R12_MustExist(s, "data.demand_ids", id->string_view(), &demand));
        LEDGER_REFUSE_IF(R2_BudgetNeedsWarehousePreQuery(id->string_view(), *demand));
        LEDGER_REFUSE_IF(R3_WarehouseAssetsBeforeBudget(s, id->string_view(), *demand));
      }
      return std::nullopt;
    }
    case P::ImportReviewed: {
      auto* d = e.data_as_ImportReviewed();
      const BudgetLineState* line;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.budget_line_id", View(d->budget_line_id()), &line));
      return R12_StageOrder(line->status == BudgetStatus::kRequested,
                            fmt::format("budget line {} was already decided; an import review "
                                        "comes before approval",
                                        View(d->budget_line_id())));
    }
    case P::BudgetApproved:
    case P::BudgetRejected: {
      std::string_view line_id = events::EntityIdOf(e);
      const BudgetLineState* line;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.budget_line_id", line_id, &line));
      LEDGER_REFUSE_IF(
          R12_StageOrder(line->status == BudgetStatus::kRequested,
                         fmt::format("budget line {} was already approved or rejected", line_id)));
      if (e.data_type() == P::BudgetApproved && line->imported) {
        return R5_ImportNeedsApprovedReview(line_id, *line, "approval");
      }
      return std::nullopt;
    }
    case P::RequirementDefined: {
      auto* d = e.data_as_RequirementDefined();
      const BudgetLineState* line;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->project_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.budget_line_id", View(d->budget_line_id()), &line));
      return R6_RequirementsWithinApprovedBudget(View(d->budget_line_id()), *line,
                                                 d->amount_fen().value_or(0));
    }
    case P::TenderPublished: {
      auto* d = e.data_as_TenderPublished();
      const ProjectState* project;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.project_id", View(d->project_id()), &project));
      LEDGER_REFUSE_IF(
          R12_StageOrder(!project->tendered,
                         fmt::format("project {} was already tendered", View(d->project_id()))));
      if (d->imported().value_or(false)) {
        const BudgetLineState* line = s.FindAs<BudgetLineState>(project->budget_line_id);
        BudgetLineState none;
        return R5_ImportNeedsApprovedReview(project->budget_line_id.value(), line ? *line : none,
                                            "an imported-product tender");
      }
      return std::nullopt;
    }
    case P::BidSubmitted: {
      auto* d = e.data_as_BidSubmitted();
      const ProjectState* project;
      const SupplierState* supplier;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->bid_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.project_id", View(d->project_id()), &project));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.credit_code", View(d->credit_code()), &supplier));
      LEDGER_REFUSE_IF(R12_StageOrder(
          project->tendered, fmt::format("bid {} on project {}, whose tender is not published",
                                         View(d->bid_id()), View(d->project_id()))));
      LEDGER_REFUSE_IF(R12_StageOrder(project->awarded_bid.empty(),
                                      fmt::format("bid {} on project {}, which was already awarded",
                                                  View(d->bid_id()), View(d->project_id()))));
      int64_t at = events::DateTimeMicros(View(e.time())).value();
      return R12_StageOrder(at <= project->deadline_us,
                            fmt::format("bid {} at {} is after the tender's deadline",
                                        View(d->bid_id()), View(e.time())));
    }
    case P::AwardDecided: {
      auto* d = e.data_as_AwardDecided();
      const ProjectState* project;
      const BidState* bid;
      const SupplierState* supplier;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.project_id", View(d->project_id()), &project));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.bid_id", View(d->bid_id()), &bid));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.credit_code", View(d->credit_code()), &supplier));
      LEDGER_REFUSE_IF(R12_StageOrder(
          project->tendered, fmt::format("award on project {}, whose tender is not published",
                                         View(d->project_id()))));
      LEDGER_REFUSE_IF(
          R12_StageOrder(project->awarded_bid.empty(),
                         fmt::format("project {} was already awarded", View(d->project_id()))));
      LEDGER_REFUSE_IF(
          R12_StageOrder(bid->project_id == View(d->project_id()),
                         fmt::format("award on project {} names bid {} of project {}",
                                     View(d->project_id()), View(d->bid_id()), bid->project_id)));
      LEDGER_REFUSE_IF(
          R12_StageOrder(bid->credit_code == View(d->credit_code()),
                         fmt::format("award names supplier {}, but bid {} is from {}",
                                     View(d->credit_code()), View(d->bid_id()), bid->credit_code)));
      return R7_SmeAwardAndPriceDeduction(View(d->project_id()), *project, *supplier, *bid, *d);
    }
    case P::ComplaintFiled: {
      auto* d = e.data_as_ComplaintFiled();
      const ProjectState* project;
      const SupplierState* supplier;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->complaint_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.project_id", View(d->project_id()), &project));
      return R12_MustExist(s, "data.credit_code", View(d->credit_code()), &supplier);
    }
    case P::RulingIssued: {
      auto* d = e.data_as_RulingIssued();
      const ComplaintState* complaint;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.complaint_id", View(d->complaint_id()), &complaint));
      return R12_StageOrder(!complaint->ruled, fmt::format("complaint {} already has a ruling",
                                                           View(d->complaint_id())));
    }
    case P::ContractSigned: {
      auto* d = e.data_as_ContractSigned();
      const ProjectState* project;
      const SupplierState* supplier;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->contract_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.project_id", View(d->project_id()), &project));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.credit_code", View(d->credit_code()), &supplier));
      LEDGER_REFUSE_IF(R12_StageOrder(!project->awarded_bid.empty(),
                                      fmt::format("contract {} on project {}, which has no award",
                                                  View(d->contract_id()), View(d->project_id()))));
      LEDGER_REFUSE_IF(R8_ContractNamesAwardedSupplierAndAcceptance(*project, *d));
      LEDGER_REFUSE_IF(
          R9_NoContractWhileComplaintOpen(View(d->project_id()), *project, View(d->contract_id())));
      return R6_ContractWithinAward(View(d->contract_id()), *project, d->amount_fen().value_or(0));
    }
    case P::ContractAmended: {
      auto* d = e.data_as_ContractAmended();
      const ContractState* contract;
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.contract_id", View(d->contract_id()), &contract));
      return R6_AmendmentWithinTenPercent(View(d->contract_id()), *contract,
                                          d->new_amount_fen().value_or(0));
    }
    case P::AcceptanceRecorded: {
      auto* d = e.data_as_AcceptanceRecorded();
      const ContractState* contract;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->acceptance_id())));
      return R12_MustExist(s, "data.contract_id", View(d->contract_id()), &contract);
    }
    case P::PaymentMade: {
      auto* d = e.data_as_PaymentMade();
      const ContractState* contract;
      const AcceptanceState* acceptance;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->payment_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.contract_id", View(d->contract_id()), &contract));
      LEDGER_REFUSE_IF(
          R12_MustExist(s, "data.acceptance_id", View(d->acceptance_id()), &acceptance));
      return R10_PaymentNeedsPassedAcceptance(*d, *contract, *acceptance);
    }
    case P::AssetRegistered: {
      auto* d = e.data_as_AssetRegistered();
      const ContractState* contract;
      const AcceptanceState* acceptance;
      const UnitState* unit;
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->asset_id())));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.contract_id", View(d->contract_id()), &contract));
      LEDGER_REFUSE_IF(
          R12_MustExist(s, "data.acceptance_id", View(d->acceptance_id()), &acceptance));
      LEDGER_REFUSE_IF(R12_MustExist(s, "data.unit_code", View(d->unit_code()), &unit));
      return R11_AssetNeedsPassedAcceptance(*d, *acceptance);
    }
    case P::ControlViolationRecorded:
      return R12_MustBeNew(s, events::EntityIdOf(e));
    case P::FindingRecorded: {
      auto* d = e.data_as_FindingRecorded();
      LEDGER_REFUSE_IF(R12_MustBeNew(s, View(d->finding_id())));
      if (s.Find(View(d->entity_id())) == nullptr) {
        return Refuse(
            R::R12, fmt::format("data.entity_id: entity {} does not exist", View(d->entity_id())));
      }
      return std::nullopt;
    }
    case P::NONE:
      break;
  }
  return Refuse(R::R12, "unknown event type");
}

}  // namespace

std::string_view RuleName(fb::RuleId rule) { return fb::EnumNameRuleId(rule); }

std::optional<Refusal> Decide(const DecisionState& state, const fb::Event& event) {
  // Optimistic concurrency is not a control rule: see CommandService.
  return DecideEvent(state, event);
}

}  // namespace ledger::core
