// The rule-breaking variations (item 3 of generator.h): which rule a chain
// breaks and in which way, what that needs of the legal chain, and the event
// that breaks it, made at the step where it makes sense.
#include <fmt/core.h>

#include <algorithm>
#include <array>

#include "tools/gen/business_time.h"
#include "tools/gen/chain.h"

namespace ledger::gen {
namespace {

using R = fb::RuleId;

constexpr uint64_t kRuleCount = static_cast<uint64_t>(R::MAX) - static_cast<uint64_t>(R::MIN) + 1;

// The number of ways each rule is broken (ViolationPlan::variant); the
// BreakAt* below say which is which.
int WaysToBreak(R rule) {
  switch (rule) {
    case R::R6:
    case R::R11:
    case R::R12:
      return 3;
    case R::R8:
    case R::R10:
      return 2;
    default:
      return 1;
  }
}

bool Is(const ViolationPlan& p, R rule, int variant) {
  return p.rule == rule && p.variant == variant;
}

}  // namespace

void Generator::PlanViolation(Chain& c) {
  if (!(opts_.violations > 0 && rng_.Chance(opts_.violations))) return;
  ViolationPlan& p = c.plan;
  p.rule = static_cast<R>(static_cast<uint64_t>(R::MIN) + violations_++ % kRuleCount);
  p.variant = rng_.Int(0, WaysToBreak(*p.rule) - 1);
  // The chain must get as far as the step its violation breaks.
  const bool by_warehouse =
      *p.rule <= R::R4 || (p.rule == R::R11 && p.variant < 2) || Is(p, R::R12, 2);
  p.may_be_met_from_stock = by_warehouse;
  p.may_be_rejected = by_warehouse || p.rule == R::R5;
  p.goods = p.rule == R::R3 || p.rule == R::R5 || (p.rule == R::R11 && p.variant > 0);
  p.imported = p.rule == R::R5;
  p.stock = p.rule == R::R3 || Is(p, R::R11, 1);
  p.asset_in_use = Is(p, R::R11, 0);
  p.complaint = p.rule == R::R9;
  p.failed_acceptance = Is(p, R::R10, 1) || Is(p, R::R11, 2);
}

void Generator::BreakAtDemand(Chain& c) {
  const ViolationPlan& p = c.plan;
  if (p.rule == R::R1) {  // a second demand, raised without checking internal reuse
    Advance(c, 0, 1);
    PushChain(c, fb::Payload::DemandRaised, c.actor,
              DemandData(c, Id("DEM", c, "-X"), *c.cat, c.spec, c.quantity, c.est_price, false),
              R::R1);
  } else if (p.rule == R::R4) {  // a second demand above its category's configuration standard
    const Category& cat =
        c.sector == Sector::kGoods ? *c.cat : rng_.Pick(CategoriesOf(Sector::kGoods));
    uint32_t quantity = 1;
    uint64_t price = RoundDown(cat.mean_unit_price_fen, 100);
    if (rng_.Chance(0.5)) {
      price = RoundDown(MaxUnitPrice(cat) * rng_.Between(105, 140) / 100, 100);
    } else {
      quantity = cat.max_quantity + static_cast<uint32_t>(rng_.Between(1, cat.max_quantity));
    }
    Advance(c, 0, 1);
    PushChain(c, fb::Payload::DemandRaised, c.actor,
              DemandData(c, Id("DEM", c, "-X"), cat, cat.specs[0], quantity, price, true), R::R4);
  } else if (Is(p, R::R12, 2)) {  // the same demand id raised again
    Advance(c, 0, 1);
    PushChain(c, fb::Payload::DemandRaised, c.actor,
              DemandData(c, c.demand_id, *c.cat, c.spec, c.quantity, c.est_price, true), R::R12);
  } else if (p.rule == R::R2) {  // budget requested before the warehouse pre-query
    Advance(c, 0, 0);
    PushChain(c, fb::Payload::BudgetRequested, c.actor,
              BudgetData(c, Id("BL", c, "-X"), c.quantity * c.est_price), R::R2);
  }
}

void Generator::BreakAtPreQuery(Chain& c) {
  if (c.plan.rule != R::R3) return;
  // Budget requested while the matched assets are still in the warehouse.
  Advance(c, 0, 1);
  PushChain(c, fb::Payload::BudgetRequested, c.actor,
            BudgetData(c, Id("BL", c, "-X"), c.quantity * c.est_price), R::R3);
}

void Generator::BreakAtAllocation(Chain& c) {
  if (!(c.plan.rule == R::R11 && c.plan.variant < 2)) return;
  // Allocating an asset that is not in the warehouse: one still in use in its
  // unit, or one just allocated.
  Advance(c, 0, 1);
  PushChain(c, fb::Payload::AssetAllocated, "finance:310000",
            Object({{"asset_id", c.plan.variant == 0 ? c.in_use_asset : c.matched[0]},
                    {"demand_id", c.demand_id},
                    {"unit_code", c.unit->code}}),
            R::R11);
}

void Generator::BreakAtBudgetRequest(Chain& c, uint64_t amount) {
  if (c.plan.rule != R::R5) return;
  // Approved before the import review.
  Advance(c, 0, 2);
  PushChain(c, fb::Payload::BudgetApproved, "finance:310000",
            Object({{"budget_line_id", c.line_id}, {"approved_amount_fen", amount}}), R::R5);
}

void Generator::BreakAtRequirement(Chain& c) {
  if (!Is(c.plan, R::R6, 0)) return;
  // A requirement above the approved budget.
  PushChain(c, fb::Payload::RequirementDefined, c.actor,
            RequirementData(c, Id("PRJ", c, "-X"),
                            c.approved + c.approved * rng_.Between(1, 10) / 100 + 100),
            R::R6);
  Advance(c, 0, 1);
}

void Generator::BreakAtBids(Chain& c, bool reserved, int64_t deadline) {
  if (!Is(c.plan, R::R12, 1)) return;
  // A bid after the deadline.
  size_t late = PickSupplier(c, reserved, c.bids);
  c.t = deadline + kMinute * rng_.Int(10, 300);
  const std::string& code = ref_.suppliers[late].credit_code;
  PushChain(c, fb::Payload::BidSubmitted, "supplier:" + code,
            BidData(c, Id("BID", c, "-X"), code, RoundDown(c.est_price * 90 / 100, 100) * c.need),
            R::R12);
}

void Generator::BreakAtAward(Chain& c) {
  if (c.plan.rule != R::R7) return;
  // An evaluated price that ignores (or invents) the SME deduction.
  const Bid& w = c.bids[c.winner];
  uint64_t wrong = w.evaluated != w.price ? w.price : w.price * 9 / 10;
  PushChain(c, fb::Payload::AwardDecided, c.agency, AwardData(c, wrong), R::R7);
  Advance(c, 0, 1);
}

void Generator::BreakAtComplaint(Chain& c) {
  if (c.plan.rule != R::R9) return;
  // A contract signed before the ruling.
  Advance(c, 1, 5);
  const SectorText& text = TextOf(c.sector);
  PushChain(
      c, fb::Payload::ContractSigned, c.actor,
      ContractData(c, Id("CON", c, "-X"), ref_.suppliers[c.bids[c.winner].supplier].credit_code,
                   c.need, text.acceptance_standard, text.acceptance_method),
      R::R9);
}

void Generator::BreakAtContract(Chain& c) {
  const ViolationPlan& p = c.plan;
  if (!(Is(p, R::R6, 1) || p.rule == R::R8)) return;
  const SectorText& text = TextOf(c.sector);
  std::string credit_code = ref_.suppliers[c.bids[c.winner].supplier].credit_code;
  uint32_t quantity = c.need;
  const char* standard = text.acceptance_standard;
  const char* method = text.acceptance_method;
  if (p.rule == R::R6) {  // a contract above the award: one more unit
    ++quantity;
  } else if (p.variant == 0) {  // with a supplier that was not awarded
    size_t other = c.bids.size() > 1 ? c.bids[(c.winner + 1) % c.bids.size()].supplier
                                     : PickSupplier(c, false, c.bids);
    credit_code = ref_.suppliers[other].credit_code;
  } else if (rng_.Chance(0.5)) {  // without an acceptance standard, or method
    standard = " ";
  } else {
    method = " ";
  }
  PushChain(c, fb::Payload::ContractSigned, c.actor,
            ContractData(c, Id("CON", c, "-X"), credit_code, quantity, standard, method), p.rule);
  Advance(c, 0, 1);
}

void Generator::BreakAtAmendment(Chain& c) {
  if (!Is(c.plan, R::R6, 2)) return;
  // An amendment above 110% of the original amount.
  Advance(c, 1, 10);
  const uint64_t original = c.amount;
  uint64_t over = original + original / 10 + rng_.Between(1, std::max<uint64_t>(1, original / 20));
  PushChain(c, fb::Payload::ContractAmended, c.actor,
            Object({{"contract_id", c.contract_id},
                    {"new_amount_fen", over},
                    {"reason", "增加工程量及服务内容"}}),
            R::R6);
}

void Generator::BreakAtFailedAcceptance(Chain& c, const std::string& failed,
                                        const std::string& spec, uint64_t amount) {
  if (Is(c.plan, R::R10, 1)) {  // paying on the failed acceptance
    Advance(c, 0, 3);
    PushChain(c, fb::Payload::PaymentMade, c.actor,
              PaymentData(Id("PAY", c, "-X"), c.contract_id, failed, amount), R::R10);
  } else if (Is(c.plan, R::R11, 2)) {  // registering assets it did not accept
    Advance(c, 0, 3);
    PushChain(c, fb::Payload::AssetRegistered, c.actor,
              AssetData(c, Id("AST", c, "-X"), failed, spec, amount), R::R11);
  }
}

void Generator::BreakAtFirstAcceptance(Chain& c, const std::string& acc, uint64_t amount,
                                       uint64_t unpaid) {
  if (Is(c.plan, R::R10, 0)) {  // paying more than was accepted
    Advance(c, 0, 2);
    PushChain(c, fb::Payload::PaymentMade, c.actor,
              PaymentData(Id("PAY", c, "-X"), c.contract_id, acc,
                          unpaid + rng_.Between(1, amount / 10 + 1)),
              R::R10);
  } else if (Is(c.plan, R::R12, 0)) {  // paying a contract that does not exist
    Advance(c, 0, 2);
    PushChain(c, fb::Payload::PaymentMade, c.actor,
              PaymentData(Id("PAY", c, "-X"), Id("CON", c, "-MISSING"), acc, amount), R::R12);
  }
}

}  // namespace ledger::gen
