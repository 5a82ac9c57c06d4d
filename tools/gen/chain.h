// The chain generator's inside: the state of one chain in the making, and the
// Generator that makes the chains. Its members are defined by concern:
// generator.cc runs it, chain.cc makes the legal chain step by step, and
// violations.cc chooses a chain's rule-breaking event and makes it at the
// step it breaks (the BreakAt* hooks, which do nothing for a legal chain).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_generated.h"
#include "tools/gen/catalog.h"
#include "tools/gen/generator.h"
#include "tools/gen/json_output.h"
#include "tools/gen/random.h"
#include "tools/gen/reference.h"

namespace ledger::gen {

inline uint64_t RoundDown(uint64_t x, uint64_t unit) { return x / unit * unit; }

struct Bid {
  std::string id;
  size_t supplier;
  uint64_t unit_price;
  uint64_t price;
  uint64_t evaluated;
};

// A chain's rule-breaking event, and what it needs of the legal chain around
// it. A legal chain has no rule, needs nothing and may end early.
struct ViolationPlan {
  std::optional<fb::RuleId> rule;     // the rule its extra event breaks
  int variant = 0;                    // which way it breaks it
  bool may_be_met_from_stock = true;  // the chain may end at the warehouse pre-query
  bool may_be_rejected = true;        // the chain may end at the budget decision
  bool goods = false;                 // it buys goods
  bool imported = false;              // imported goods (import review)
  bool stock = false;                 // idle assets of its category in the warehouse
  bool asset_in_use = false;          // another inventoried asset, in use in its unit
  bool complaint = false;             // a losing bidder's complaint (so not single source)
  bool failed_acceptance = false;     // an acceptance that fails
};

// One chain in the making: what later steps need of earlier ones.
struct Chain {
  std::string tag;  // "<seed>-<k>": every entity id of the chain ends with it
  std::string corr;
  int64_t t = 0;  // business time of the chain's latest event
  ViolationPlan plan;

  const Unit* unit = nullptr;
  std::string actor;   // unit:<code>
  std::string agency;  // agency:<region>-A<nn>
  Sector sector = Sector::kGoods;
  const Category* cat = nullptr;
  std::string spec;
  uint32_t quantity = 0;  // demanded
  uint32_t need = 0;      // still needed after warehouse allocations
  uint64_t est_price = 0;
  bool imported = false;

  int asset_no = 0;
  std::vector<std::string> matched;  // warehouse assets the pre-query finds
  std::string in_use_asset;          // an inventoried asset never deposited

  std::string demand_id, line_id, project_id, contract_id;
  uint64_t approved = 0;
  uint64_t required = 0;
  int pct = 0;
  std::vector<Bid> bids;
  size_t winner = 0;
  uint64_t amount = 0;  // the contract's current amount
};

class Generator {
 public:
  Generator(const GeneratorOptions& opts, const std::function<void(const std::string&)>& emit,
            GeneratorStats* stats)
      : opts_(opts), rng_(opts.seed), out_(opts.seed, emit, stats) {}

  void Run();

 private:
  // The legal chain (chain.cc), in the order of its steps. Warehouse and
  // Budget return false where the chain ends.
  void NewChain(uint64_t k, int64_t start);
  void Inventory(Chain& c);
  void Demand(Chain& c);
  bool Warehouse(Chain& c);
  bool Budget(Chain& c);
  void Requirement(Chain& c);
  void Tender(Chain& c);
  void Complaint(Chain& c);
  void Contract(Chain& c);
  void Execution(Chain& c);
  void Finding(Chain& c);

  std::string NewAsset(Chain& c, const std::string& owner, const Category& cat,
                       fb::AssetStatus status, bool deposit);
  size_t PickSupplier(const Chain& c, bool sme_only, const std::vector<Bid>& exclude);
  std::string Inspector();

  // The payloads that legal and rule-breaking events share.
  Json DemandData(const Chain& c, const std::string& id, const Category& cat,
                  const std::string& spec, uint32_t quantity, uint64_t price, bool checked) const;
  Json BudgetData(const Chain& c, const std::string& id, uint64_t amount) const;
  Json RequirementData(const Chain& c, const std::string& id, uint64_t amount) const;
  Json BidData(const Chain& c, const std::string& id, const std::string& credit_code,
               uint64_t price) const;
  Json AwardData(const Chain& c, uint64_t evaluated) const;
  Json ContractData(const Chain& c, const std::string& id, const std::string& credit_code,
                    uint32_t quantity, const char* standard, const char* method) const;
  static Json PaymentData(const std::string& id, const std::string& contract,
                          const std::string& acc, uint64_t amount);
  Json AssetData(const Chain& c, const std::string& id, const std::string& acc,
                 const std::string& spec, uint64_t value) const;

  // The rule-breaking variations (violations.cc): which rule a new chain
  // breaks, if any, and the events that break it, at the step where they go.
  void PlanViolation(Chain& c);
  void BreakAtDemand(Chain& c);
  void BreakAtPreQuery(Chain& c);
  void BreakAtAllocation(Chain& c);
  void BreakAtBudgetRequest(Chain& c, uint64_t amount);
  void BreakAtRequirement(Chain& c);
  void BreakAtBids(Chain& c, bool reserved, int64_t deadline);
  void BreakAtAward(Chain& c);
  void BreakAtComplaint(Chain& c);
  void BreakAtContract(Chain& c);
  void BreakAtAmendment(Chain& c);
  void BreakAtFailedAcceptance(Chain& c, const std::string& failed, const std::string& spec,
                               uint64_t amount);
  void BreakAtFirstAcceptance(Chain& c, const std::string& acc, uint64_t amount, uint64_t unpaid);

  // Moves the chain's clock to a working time `min_days`..`max_days` later
  // (0 days: minutes later).
  void Advance(Chain& c, int min_days, int max_days);
  void PushChain(const Chain& c, fb::Payload type, const std::string& actor, const Json& data,
                 std::optional<fb::RuleId> rule = std::nullopt) {
    out_.Push(c.t, type, actor, c.corr, data, rule);
  }
  // An id of the chain's entity of `kind`: <kind>-<tag><suffix>.
  std::string Id(const char* kind, const Chain& c, std::string_view suffix = "") const;

  const GeneratorOptions& opts_;
  Rng rng_;
  Output out_;
  ReferenceData ref_;
  uint64_t violations_ = 0;  // chains planned to carry one so far
};

}  // namespace ledger::gen
