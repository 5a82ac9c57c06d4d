// The legal chain (item 2 of generator.h), step by step. Each step calls the
// BreakAt* hook of its place (violations.cc), which adds a rule-breaking event
// there when the chain's plan says so.
#include "tools/gen/chain.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <utility>

#include "tools/gen/business_time.h"

namespace ledger::gen {
namespace {

constexpr std::array<const char*, 12> kPeople = {"王敏", "李强", "张伟", "刘洋", "陈静", "杨帆",
                                                 "赵磊", "黄丽", "周杰", "吴芳", "徐明", "孙婷"};
constexpr std::array<const char*, 3> kDepositReasons = {"闲置：原机房撤并", "闲置：机构调整后富余",
                                                        "闲置：项目结束后收回"};
constexpr std::array<const char*, 4> kComplaintClaims = {
    "中标人报价明显低于成本，可能影响履约", "评审因素设置具有倾向性", "小微企业价格扣除计算有误",
    "评标委员会未按招标文件规定的评审标准评审"};
constexpr std::array<std::pair<fb::RulingOutcome, const char*>, 5> kRulings = {{
    {fb::RulingOutcome::dismissed, "投诉事项缺乏事实依据，驳回投诉"},
    {fb::RulingOutcome::dismissed, "评审程序符合规定，投诉不成立"},
    {fb::RulingOutcome::dismissed, "投诉事项缺乏事实依据，驳回投诉"},
    {fb::RulingOutcome::partially_upheld, "投诉部分成立，责令采购人改正，不影响中标结果"},
    {fb::RulingOutcome::upheld, "投诉成立，但不影响中标结果，责令代理机构整改"},
}};
constexpr std::array<const char*, 3> kFindingTexts = {
    "合同金额、验收金额与付款金额一致，按验收结果付款", "验收记录完整，资产已登记入账",
    "付款进度与验收进度匹配，未发现超付"};

// Procurement methods with the tender period (publication to deadline) in
// days, and their weights per sector.
struct Method {
  fb::ProcurementMethod method;
  int min_days;
  int max_days;
};
constexpr std::array<Method, 6> kMethods = {{
    {fb::ProcurementMethod::public_tender, 20, 30},
    {fb::ProcurementMethod::invitational, 20, 25},
    {fb::ProcurementMethod::competitive_negotiation, 3, 7},
    {fb::ProcurementMethod::competitive_consultation, 10, 15},
    {fb::ProcurementMethod::inquiry, 3, 7},
    {fb::ProcurementMethod::single_source, 3, 5},
}};
constexpr std::array<std::array<int, kMethods.size()>, kSectorCount> kMethodWeights = {{
    {45, 5, 10, 15, 20, 5},  // goods
    {60, 5, 15, 20, 0, 0},   // works
    {50, 0, 10, 25, 5, 10},  // services
}};

// The evaluated price of a bid: small and micro suppliers get the tender's
// price deduction, rounded down to the fen.
uint64_t EvaluatedPrice(uint64_t price, fb::Scale scale, int pct) {
  return IsSmallOrMicro(scale) ? price * static_cast<uint64_t>(100 - pct) / 100 : price;
}

}  // namespace

void Generator::NewChain(uint64_t k, int64_t start) {
  Chain c;
  c.tag = fmt::format("{}-{}", opts_.seed, k);
  c.corr = "chain-" + c.tag;
  c.t = start;
  PlanViolation(c);

  c.unit = &ref_.units[ref_.buyers[rng_.Index(ref_.buyers.size())]];
  c.actor = "unit:" + c.unit->code;
  c.agency = fmt::format("agency:{}-A{:02}", c.unit->region, rng_.Int(1, 12));
  c.sector = c.plan.goods ? Sector::kGoods
                          : static_cast<Sector>(rng_.Weighted(std::array<int, 3>{55, 15, 30}));
  c.imported = c.sector == Sector::kGoods && (c.plan.imported || rng_.Chance(0.05));
  do {
    c.cat = &rng_.Pick(CategoriesOf(c.sector));
  } while (c.imported && !c.cat->importable);
  c.spec = rng_.Pick(c.cat->specs);
  c.quantity =
      c.sector == Sector::kGoods
          ? static_cast<uint32_t>(rng_.Between(1, std::max(1u, c.cat->max_quantity * 2 / 3)))
          : 1;
  // Prices scatter +-20% around the category's mean, in whole yuan.
  c.est_price = RoundDown(c.cat->mean_unit_price_fen * rng_.Between(80, 120) / 100, 100);

  Inventory(c);
  Demand(c);
  if (!Warehouse(c) || !Budget(c)) return;
  Requirement(c);
  Tender(c);
  Complaint(c);
  Contract(c);
  Execution(c);
  Finding(c);
}

std::string Generator::NewAsset(Chain& c, const std::string& owner, const Category& cat,
                                fb::AssetStatus status, bool deposit) {
  std::string id = fmt::format("AST-{}-{}", c.tag, ++c.asset_no);
  Advance(c, 0, 2);
  const int64_t acquired = c.t - kDay * rng_.Int(3 * 365, 8 * 365);
  const char* spec = rng_.Pick(cat.specs);
  const uint64_t value = RoundDown(cat.mean_unit_price_fen * rng_.Between(70, 110) / 100, 100);
  PushChain(c, fb::Payload::AssetInventoried, "unit:" + owner,
            Object({{"asset_id", id},
                    {"unit_code", owner},
                    {"category", cat.code},
                    {"spec", spec},
                    {"original_value_fen", value},
                    {"acquired_on", FormatDate(acquired)},
                    {"status", fb::EnumNameAssetStatus(status)}}));
  if (deposit) {
    Advance(c, 1, 5);
    PushChain(c, fb::Payload::AssetDeposited, "unit:" + owner,
              Object({{"asset_id", id}, {"reason", rng_.Pick(kDepositReasons)}}));
  }
  return id;
}

void Generator::Inventory(Chain& c) {
  // Idle assets of the demand's category in the public warehouse, which the
  // pre-query will find: enough for the whole demand, or part of it.
  bool stock = c.sector == Sector::kGoods && (c.plan.stock || rng_.Chance(0.25));
  if (stock) {
    uint32_t n;
    if (c.plan.may_be_met_from_stock && rng_.Chance(0.3)) {
      c.quantity = static_cast<uint32_t>(rng_.Between(1, std::min(3u, c.cat->max_quantity)));
      n = c.quantity;
    } else {
      c.quantity = std::max(c.quantity, 2u);  // every goods standard allows 2
      n = static_cast<uint32_t>(rng_.Between(1, std::min(3u, c.quantity - 1)));
    }
    for (uint32_t i = 0; i < n; ++i) {
      const Unit& owner = ref_.units[ref_.buyers[rng_.Index(ref_.buyers.size())]];
      c.matched.push_back(NewAsset(c, owner.code, *c.cat, fb::AssetStatus::idle, true));
    }
  }
  // Assets of other categories found in the inventory: some stay in use, some
  // idle ones go to the warehouse.
  if (c.plan.asset_in_use || rng_.Chance(0.2)) {
    static constexpr std::array<fb::AssetStatus, 3> kStatuses = {
        fb::AssetStatus::in_use, fb::AssetStatus::low_efficiency, fb::AssetStatus::over_standard};
    const Category& cat = rng_.Pick(CategoriesOf(Sector::kGoods));
    const fb::AssetStatus status =
        c.plan.asset_in_use ? fb::AssetStatus::in_use : rng_.Pick(kStatuses);
    c.in_use_asset = NewAsset(c, c.unit->code, cat, status, false);
  }
  if (rng_.Chance(0.1)) {
    const Unit& owner = ref_.units[ref_.buyers[rng_.Index(ref_.buyers.size())]];
    NewAsset(c, owner.code, rng_.Pick(CategoriesOf(Sector::kGoods)), fb::AssetStatus::idle, true);
  }
}

void Generator::Demand(Chain& c) {
  c.demand_id = Id("DEM", c);
  Advance(c, 2, 10);
  PushChain(c, fb::Payload::DemandRaised, c.actor,
            DemandData(c, c.demand_id, *c.cat, c.spec, c.quantity, c.est_price, true));
  BreakAtDemand(c);
}

bool Generator::Warehouse(Chain& c) {
  Advance(c, 0, 0);
  PushChain(c, fb::Payload::WarehouseQueried, c.actor,
            Object({{"demand_id", c.demand_id}, {"matched_asset_ids", c.matched}}));
  c.need = c.quantity - static_cast<uint32_t>(c.matched.size());
  BreakAtPreQuery(c);
  for (size_t i = 0; i < c.matched.size(); ++i) {
    Advance(c, i == 0 ? 1 : 0, i == 0 ? 3 : 0);
    PushChain(
        c, fb::Payload::AssetAllocated, "finance:310000",
        Object(
            {{"asset_id", c.matched[i]}, {"demand_id", c.demand_id}, {"unit_code", c.unit->code}}));
  }
  BreakAtAllocation(c);
  return c.need > 0;  // a demand met from the warehouse needs no budget
}

bool Generator::Budget(Chain& c) {
  c.line_id = Id("BL", c);
  uint64_t amount = c.need * c.est_price;
  Advance(c, 1, 5);
  PushChain(c, fb::Payload::BudgetRequested, c.actor, BudgetData(c, c.line_id, amount));
  BreakAtBudgetRequest(c, amount);
  if (c.imported) {
    bool approved = !(c.plan.may_be_rejected && rng_.Chance(0.2));
    Advance(c, 3, 10);
    PushChain(
        c, fb::Payload::ImportReviewed, "finance:310000",
        Object({{"budget_line_id", c.line_id},
                {"approved", approved},
                {"notes", approved ? "经专家论证，国内同类产品无法满足科研需要，同意采购进口产品"
                                   : "国产同类产品可满足使用需要，不同意采购进口产品"}}));
    if (!approved) {
      Advance(c, 0, 1);
      PushChain(c, fb::Payload::BudgetRejected, "finance:310000",
                Object({{"budget_line_id", c.line_id}, {"reason", "进口产品审核未通过"}}));
      return false;
    }
  } else if (c.plan.may_be_rejected && rng_.Chance(0.02)) {
    Advance(c, 5, 15);
    PushChain(c, fb::Payload::BudgetRejected, "finance:310000",
              Object({{"budget_line_id", c.line_id},
                      {"reason", "年度预算资金已安排完毕，建议下一年度申报"}}));
    return false;
  }
  // Approved in full, or cut by a few percent.
  c.approved =
      rng_.Chance(0.7) ? amount : RoundDown(amount - amount * rng_.Between(1, 8) / 100, 100);
  Advance(c, 1, 10);
  PushChain(c, fb::Payload::BudgetApproved, "finance:310000",
            Object({{"budget_line_id", c.line_id}, {"approved_amount_fen", c.approved}}));
  return true;
}

void Generator::Requirement(Chain& c) {
  Advance(c, 3, 15);
  BreakAtRequirement(c);
  c.project_id = Id("PRJ", c);
  c.required =
      rng_.Chance(0.8) ? c.approved : RoundDown(c.approved * rng_.Between(92, 99) / 100, 100);
  PushChain(c, fb::Payload::RequirementDefined, c.actor,
            RequirementData(c, c.project_id, c.required));
}

size_t Generator::PickSupplier(const Chain& c, bool sme_only, const std::vector<Bid>& exclude) {
  size_t s = static_cast<size_t>(c.sector);
  const auto& pool = sme_only ? ref_.sme_by_sector[s] : ref_.by_sector[s];
  for (;;) {  // callers leave at least one supplier of the pool unused
    size_t pick = pool[rng_.Index(pool.size())];
    if (std::none_of(exclude.begin(), exclude.end(),
                     [&](const Bid& b) { return b.supplier == pick; })) {
      return pick;
    }
  }
}

void Generator::Tender(Chain& c) {
  size_t s = static_cast<size_t>(c.sector);
  size_t m = rng_.Weighted(kMethodWeights[s]);
  if (kMethods[m].method == fb::ProcurementMethod::single_source && c.plan.complaint) m = 0;
  const Method& method = kMethods[m];
  bool single = method.method == fb::ProcurementMethod::single_source;
  bool reserved = !single && rng_.Chance(0.3);
  if (reserved) {
    c.pct = 10;
  } else if (c.sector == Sector::kWorks) {
    c.pct = rng_.Chance(0.6) ? 5 : 0;
  } else {
    c.pct = rng_.Chance(0.7) ? 10 : 0;
  }
  Advance(c, 2, 7);
  const int64_t published = c.t;
  const int64_t deadline =
      WorkingDay(DayOf(published) + rng_.Int(method.min_days, method.max_days)) * kDay + 9 * kHour +
      30 * kMinute;
  PushChain(c, fb::Payload::TenderPublished, c.agency,
            Object({{"project_id", c.project_id},
                    {"method", fb::EnumNameProcurementMethod(method.method)},
                    {"sme_reserved", reserved},
                    {"sme_price_deduction_pct", c.pct},
                    {"deadline", FormatTime(deadline)},
                    {"imported", c.imported}}));

  // Bids: distinct suppliers of the sector (small and micro ones only for a
  // reserved tender), at or under the requirement's amount, before the
  // deadline. One supplier of the pool stays out, for a late bid.
  const auto& pool = reserved ? ref_.sme_by_sector[s] : ref_.by_sector[s];
  size_t n = single ? 1 : std::min<size_t>(rng_.Between(2, 5), pool.size() - 1);
  // Bid times: working days of the tender period; on the deadline's own day,
  // in the hour or two before it.
  std::vector<int64_t> times(n);
  const int64_t period = DayOf(deadline) - DayOf(published);
  for (auto& at : times) {
    const int64_t day = WorkingDay(DayOf(published) + rng_.Int(1, static_cast<int>(period)));
    at = day * kDay + 9 * kHour + kMinute * rng_.Int(0, 8 * 60 + 30);
    if (at >= deadline) at = deadline - kMinute * rng_.Int(10, 90);
  }
  std::sort(times.begin(), times.end());
  // Unit prices at most the estimate and within the requirement's amount.
  const uint64_t base = std::min(c.est_price, c.required / c.need);
  c.bids.clear();
  for (size_t i = 0; i < n; ++i) {
    Bid b;
    b.id = fmt::format("BID-{}-{}", c.tag, i + 1);
    b.supplier = PickSupplier(c, reserved, c.bids);
    b.unit_price = RoundDown(base * rng_.Between(85, 100) / 100, 100);
    b.price = b.unit_price * c.need;
    b.evaluated = EvaluatedPrice(b.price, ref_.suppliers[b.supplier].scale, c.pct);
    c.t = std::max(c.t, times[i]);
    const std::string& code = ref_.suppliers[b.supplier].credit_code;
    Json data = BidData(c, b.id, code, b.price);
    if (rng_.Chance(0.7))
      data["guarantee_id"] = fmt::format("EG-{}-{:08}", Year(c.t), rng_.Between(0, 99999999));
    PushChain(c, fb::Payload::BidSubmitted, "supplier:" + code, data);
    c.bids.push_back(std::move(b));
  }
  BreakAtBids(c, reserved, deadline);

  // The award: the lowest evaluated price (the first such bid on a tie).
  c.winner = 0;
  for (size_t i = 1; i < c.bids.size(); ++i) {
    if (c.bids[i].evaluated < c.bids[c.winner].evaluated) c.winner = i;
  }
  const Bid& w = c.bids[c.winner];
  c.t = std::max(c.t, deadline);
  Advance(c, 1, 7);
  BreakAtAward(c);
  PushChain(c, fb::Payload::AwardDecided, c.agency, AwardData(c, w.evaluated));
  c.amount = w.price;
}

void Generator::Complaint(Chain& c) {
  if (c.bids.size() < 2 || !(c.plan.complaint || rng_.Chance(0.1))) return;
  size_t loser = rng_.Index(c.bids.size() - 1);
  if (loser >= c.winner) ++loser;
  const std::string& code = ref_.suppliers[c.bids[loser].supplier].credit_code;
  std::string complaint_id = Id("CMP", c);
  Advance(c, 1, 7);
  PushChain(c, fb::Payload::ComplaintFiled, "supplier:" + code,
            Object({{"complaint_id", complaint_id},
                    {"project_id", c.project_id},
                    {"credit_code", code},
                    {"claim", rng_.Pick(kComplaintClaims)}}));
  BreakAtComplaint(c);
  const auto& [outcome, ruling] = rng_.Pick(kRulings);
  Advance(c, 7, 30);
  PushChain(c, fb::Payload::RulingIssued, "finance:310000",
            Object({{"complaint_id", complaint_id},
                    {"outcome", fb::EnumNameRulingOutcome(outcome)},
                    {"text", ruling}}));
}

void Generator::Contract(Chain& c) {
  const SectorText& text = TextOf(c.sector);
  const std::string& winner = ref_.suppliers[c.bids[c.winner].supplier].credit_code;
  Advance(c, 3, 20);
  BreakAtContract(c);
  c.contract_id = Id("CON", c);
  PushChain(c, fb::Payload::ContractSigned, c.actor,
            ContractData(c, c.contract_id, winner, c.need, text.acceptance_standard,
                         text.acceptance_method));

  BreakAtAmendment(c);
  if (rng_.Chance(0.1)) {
    // Supplementary contracts stay within 10% (new * 10 <= original * 11).
    const uint64_t original = c.amount;
    const uint64_t unit_price = c.bids[c.winner].unit_price;
    std::string reason;
    if (c.sector == Sector::kGoods && c.need >= 10 && rng_.Chance(0.5)) {
      uint32_t extra = static_cast<uint32_t>(rng_.Between(1, c.need / 10));
      c.amount = original + extra * unit_price;
      reason = fmt::format("补充采购{}台（件），未超过原合同金额10%", extra);
    } else if (rng_.Chance(0.25)) {
      c.amount = original - RoundDown(original * rng_.Between(1, 10) / 100, 100);
      reason = "核减部分采购内容";
    } else {
      c.amount = original + RoundDown(original * rng_.Between(1, 10) / 100, 100);
      reason = "补充合同：增加少量同类内容，未超过原合同金额10%";
    }
    Advance(c, 10, 40);
    PushChain(
        c, fb::Payload::ContractAmended, c.actor,
        Object({{"contract_id", c.contract_id}, {"new_amount_fen", c.amount}, {"reason", reason}}));
  }
}

std::string Generator::Inspector() {
  size_t a = rng_.Index(kPeople.size());
  size_t b = (a + 1 + rng_.Index(kPeople.size() - 1)) % kPeople.size();  // not a
  return fmt::format("验收小组（{}、{}{}）", kPeople[a], kPeople[b],
                     rng_.Chance(0.3) ? "、第三方检测机构" : "");
}

void Generator::Execution(Chain& c) {
  // 1-3 passed acceptances sharing the contract's current amount; a failed
  // inspection now and then, followed by a passed re-inspection.
  const int n = c.sector == Sector::kGoods && c.need == 1 ? 1 : rng_.Int(1, 3);
  std::vector<uint64_t> amounts;
  uint64_t rest = c.amount;
  for (int i = 0; i + 1 < n; ++i) {
    uint64_t a = RoundDown(c.amount * rng_.Between(100 / n - 10, 100 / n + 10) / 100, 100);
    amounts.push_back(a);
    rest -= a;
  }
  amounts.push_back(rest);
  const int failed_at = c.plan.failed_acceptance || rng_.Chance(0.06) ? rng_.Int(0, n - 1) : -1;

  uint64_t accepted = 0, paid = 0;
  int acc_no = 0, pay_no = 0;
  auto acceptance = [&](bool passed, uint64_t amount) {
    std::string id = fmt::format("ACC-{}-{}", c.tag, ++acc_no);
    PushChain(c, fb::Payload::AcceptanceRecorded, c.actor,
              Object({{"acceptance_id", id},
                      {"contract_id", c.contract_id},
                      {"passed", passed},
                      {"accepted_amount_fen", amount},
                      {"inspector", Inspector()}}));
    return id;
  };
  for (int i = 0; i < n; ++i) {
    const uint64_t a = amounts[i];
    std::string spec = n > 1 ? fmt::format("{}（第{}批）", c.spec, i + 1) : c.spec;
    Advance(c, 15, 60);
    if (i == failed_at) {
      std::string failed = acceptance(false, 0);
      BreakAtFailedAcceptance(c, failed, spec, a);
      Advance(c, 7, 20);
    }
    std::string acc = acceptance(true, a);
    accepted += a;
    if (i == 0) BreakAtFirstAcceptance(c, acc, a, accepted - paid);
    // The last payment sometimes keeps back a 3% warranty deposit (质保金).
    uint64_t pay = i + 1 == n && rng_.Chance(0.25) ? a - a * 3 / 100 : a;
    Advance(c, 3, 15);
    PushChain(c, fb::Payload::PaymentMade, c.actor,
              PaymentData(fmt::format("PAY-{}-{}", c.tag, ++pay_no), c.contract_id, acc, pay));
    paid += pay;
    if (c.sector == Sector::kGoods) {
      Advance(c, 0, 5);
      PushChain(c, fb::Payload::AssetRegistered, c.actor,
                AssetData(c, fmt::format("AST-{}-{}", c.tag, ++c.asset_no), acc, spec, a));
    }
  }
}

void Generator::Finding(Chain& c) {
  if (!rng_.Chance(0.05)) return;
  static constexpr std::array<fb::Severity, 3> kSeverities = {
      fb::Severity::info, fb::Severity::info, fb::Severity::warning};
  Advance(c, 20, 90);
  const fb::Severity severity = rng_.Pick(kSeverities);
  const char* text = rng_.Pick(kFindingTexts);
  PushChain(c, fb::Payload::FindingRecorded, "auditor:310000-SJ01",
            Object({{"finding_id", Id("FND", c)},
                    {"entity_id", c.contract_id},
                    {"severity", fb::EnumNameSeverity(severity)},
                    {"text", text}}));
}

// ---- payloads ---------------------------------------------------------------

Json Generator::DemandData(const Chain& c, const std::string& id, const Category& cat,
                           const std::string& spec, uint32_t quantity, uint64_t price,
                           bool checked) const {
  return Object({{"demand_id", id},
                 {"unit_code", c.unit->code},
                 {"category", cat.code},
                 {"spec", spec},
                 {"quantity", quantity},
                 {"est_unit_price_fen", price},
                 {"internal_reuse_checked", checked},
                 {"justification", TextOf(c.sector).justification}});
}

Json Generator::BudgetData(const Chain& c, const std::string& id, uint64_t amount) const {
  return Object({{"budget_line_id", id},
                 {"unit_code", c.unit->code},
                 {"demand_ids", std::vector<std::string>{c.demand_id}},
                 {"amount_fen", amount},
                 {"fiscal_year", Year(c.t)},
                 {"imported", c.imported}});
}

Json Generator::RequirementData(const Chain& c, const std::string& id, uint64_t amount) const {
  Json item = Object({{"category", c.cat->code}, {"spec", c.spec}, {"quantity", c.need}});
  return Object({{"project_id", id},
                 {"budget_line_id", c.line_id},
                 {"amount_fen", amount},
                 {"items", Json::array({item})},
                 {"acceptance_criteria", TextOf(c.sector).acceptance_criteria}});
}

Json Generator::BidData(const Chain& c, const std::string& id, const std::string& credit_code,
                        uint64_t price) const {
  return Object({{"bid_id", id},
                 {"project_id", c.project_id},
                 {"credit_code", credit_code},
                 {"price_fen", price}});
}

Json Generator::AwardData(const Chain& c, uint64_t evaluated) const {
  const Bid& w = c.bids[c.winner];
  return Object({{"project_id", c.project_id},
                 {"bid_id", w.id},
                 {"credit_code", ref_.suppliers[w.supplier].credit_code},
                 {"amount_fen", w.price},
                 {"evaluated_price_fen", evaluated}});
}

Json Generator::ContractData(const Chain& c, const std::string& id, const std::string& credit_code,
                             uint32_t quantity, const char* standard, const char* method) const {
  const uint64_t unit_price = c.bids[c.winner].unit_price;
  Json item = Object({{"category", c.cat->code},
                      {"spec", c.spec},
                      {"quantity", quantity},
                      {"unit_price_fen", unit_price}});
  return Object({{"contract_id", id},
                 {"project_id", c.project_id},
                 {"credit_code", credit_code},
                 {"amount_fen", unit_price * quantity},
                 {"items", Json::array({item})},
                 {"acceptance_standard", standard},
                 {"acceptance_method", method}});
}

Json Generator::PaymentData(const std::string& id, const std::string& contract,
                            const std::string& acc, uint64_t amount) {
  return Object({{"payment_id", id},
                 {"contract_id", contract},
                 {"acceptance_id", acc},
                 {"amount_fen", amount}});
}

Json Generator::AssetData(const Chain& c, const std::string& id, const std::string& acc,
                          const std::string& spec, uint64_t value) const {
  return Object({{"asset_id", id},
                 {"contract_id", c.contract_id},
                 {"acceptance_id", acc},
                 {"unit_code", c.unit->code},
                 {"category", c.cat->code},
                 {"spec", spec},
                 {"value_fen", value}});
}

// ---- time and ids -----------------------------------------------------------

void Generator::Advance(Chain& c, int min_days, int max_days) {
  int days = rng_.Int(min_days, max_days);
  if (days == 0) {
    c.t += kMinute * rng_.Int(5, 120);
    return;
  }
  int64_t at =
      WorkingDay(DayOf(c.t) + days) * kDay + 9 * kHour + kMinute * rng_.Int(0, 8 * 60 + 30);
  c.t = std::max(at, c.t + kMinute);
}

std::string Generator::Id(const char* kind, const Chain& c, std::string_view suffix) const {
  return fmt::format("{}-{}{}", kind, c.tag, suffix);
}

}  // namespace ledger::gen
