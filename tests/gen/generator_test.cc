// The chain generator: deterministic, valid for the codec, and valid for the
// control rules as docs/domain.md states them — every legal event passes, every
// intended violation breaks its one rule. The rules are modelled here, from
// the generator's side, independently of core/rules/rules.cc.
#include "tools/gen/generator.h"

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "events/codec.h"

namespace ledger::gen {
namespace {

using nlohmann::json;

std::vector<std::string> Generate(uint64_t chains, uint64_t seed, double violations,
                                  GeneratorStats* stats = nullptr) {
  std::vector<std::string> lines;
  GenerateChains(
      {.chains = chains, .seed = seed, .violations = violations},
      [&](const std::string& line) { lines.push_back(line); }, stats);
  return lines;
}

std::map<int, int> RuleCounts(const GeneratorStats& stats) {
  std::map<int, int> counts;
  for (const auto& v : stats.violations) ++counts[static_cast<int>(v.rule)];
  return counts;
}

// The ledger's state as far as the rules need it, and the rules, each
// reporting every rule an event breaks (not only the first). 13 marks a
// break of the generator's own promises (amounts that add up, a bid price
// within the requirement, ...), which no ledger rule covers.
class RuleModel {
 public:
  static constexpr int kPromise = 13;

  std::set<int> Check(const json& e) {
    why_.clear();
    broken_.clear();
    const std::string type = S(e["type"]);
    const json& d = e["data"];
    if (!event_ids_.insert(S(e["id"])).second) Break(kPromise, "event id reused");
    if (type == "UnitRegistered") {
      New(d["unit_code"]);
      if (d.contains("parent_unit")) Exists(d["parent_unit"]);
    } else if (type == "SupplierRegistered") {
      New(d["credit_code"]);
    } else if (type == "AssetInventoried") {
      New(d["asset_id"]);
      Exists(d["unit_code"]);
    } else if (type == "AssetDeposited") {
      if (!Exists(d["asset_id"])) return broken_;
      if (assets_[S(d["asset_id"])] != kInUnit) Break(11, "deposit of an asset not in its unit");
    } else if (type == "DemandRaised") {
      New(d["demand_id"]);
      if (!Exists(d["unit_code"])) return broken_;
      if (!B(d["internal_reuse_checked"])) Break(1, "internal reuse not checked");
      if (auto it = standards_.find(S(d["category"])); it != standards_.end()) {
        if (U(d["est_unit_price_fen"]) > it->second.first || U(d["quantity"]) > it->second.second) {
          Break(4, "above the configuration standard");
        }
      }
    } else if (type == "WarehouseQueried") {
      if (!Exists(d["demand_id"])) return broken_;
      for (const auto& id : d["matched_asset_ids"]) {
        if (!Exists(id)) return broken_;
        if (assets_[S(id)] != kInWarehouse)
          Break(kPromise, "matched an asset not in the warehouse");
      }
    } else if (type == "AssetAllocated") {
      if (!Exists(d["asset_id"]) || !Exists(d["demand_id"]) || !Exists(d["unit_code"])) {
        return broken_;
      }
      if (assets_[S(d["asset_id"])] != kInWarehouse) {
        Break(11, "allocation from outside the warehouse");
      }
    } else if (type == "BudgetRequested") {
      New(d["budget_line_id"]);
      if (!Exists(d["unit_code"])) return broken_;
      for (const auto& id : d["demand_ids"]) {
        if (!Exists(id)) return broken_;
        const Demand& demand = demands_[S(id)];
        if (!demand.queried) Break(2, "no warehouse pre-query");
        for (const auto& asset : demand.matched) {
          if (assets_[asset] == kInWarehouse) Break(3, "matched assets still in the warehouse");
        }
      }
      if (U(d["amount_fen"]) == 0) Break(kPromise, "zero budget");
    } else if (type == "ImportReviewed" || type == "BudgetApproved" || type == "BudgetRejected") {
      if (!Exists(d["budget_line_id"])) return broken_;
      const Line& line = lines_[S(d["budget_line_id"])];
      if (line.status != kRequested) Break(12, "budget line already decided");
      if (type == "BudgetApproved") {
        if (line.imported && line.review != true) Break(5, "import not reviewed");
        if (U(d["approved_amount_fen"]) > line.requested) {
          Break(kPromise, "approved above the request");
        }
      }
      if (type == "ImportReviewed" && !line.imported) Break(kPromise, "review of a domestic line");
    } else if (type == "RequirementDefined") {
      New(d["project_id"]);
      if (!Exists(d["budget_line_id"])) return broken_;
      const Line& line = lines_[S(d["budget_line_id"])];
      if (line.status != kApproved || line.required + U(d["amount_fen"]) > line.approved) {
        Break(6, "requirements above the approved budget");
      }
    } else if (type == "TenderPublished") {
      if (!Exists(d["project_id"])) return broken_;
      const Project& p = projects_[S(d["project_id"])];
      if (p.tendered) Break(12, "tendered twice");
      const Line& line = lines_[p.line];
      if (B(d["imported"]) && line.review != true) Break(5, "import not reviewed");
      if (B(d["imported"]) != line.imported) Break(kPromise, "imported differs from the line's");
      if (B(d["sme_reserved"]) && U(d["sme_price_deduction_pct"]) != 10) {
        Break(kPromise, "reserved tender without the 10% deduction");
      }
    } else if (type == "BidSubmitted") {
      New(d["bid_id"]);
      if (!Exists(d["project_id"]) || !Exists(d["credit_code"])) return broken_;
      const std::string project = S(d["project_id"]), supplier = S(d["credit_code"]);
      const Project& p = projects_[project];
      if (!p.tendered || p.awarded) Break(12, "bid out of stage");
      if (S(e["time"]) > p.deadline) Break(12, "bid after the deadline");
      if (p.reserved && !IsSme(supplier)) Break(kPromise, "large bidder on a reserved tender");
      if (U(d["price_fen"]) > p.amount) Break(kPromise, "bid above the requirement");
      for (const auto& [id, bid] : bids_) {
        if (bid.project == project && bid.supplier == supplier) Break(kPromise, "bid twice");
      }
    } else if (type == "AwardDecided") {
      if (!Exists(d["project_id"]) || !Exists(d["bid_id"]) || !Exists(d["credit_code"])) {
        return broken_;
      }
      const std::string project = S(d["project_id"]);
      const Project& p = projects_[project];
      const Bid& bid = bids_[S(d["bid_id"])];
      if (!p.tendered || p.awarded || bid.project != project ||
          bid.supplier != S(d["credit_code"])) {
        Break(12, "award out of stage or on a foreign bid");
        return broken_;
      }
      const bool sme = IsSme(bid.supplier);
      if (p.reserved && !sme) Break(7, "reserved tender awarded to a large supplier");
      if (U(d["evaluated_price_fen"]) != Evaluated(bid.price, sme, p.pct)) {
        Break(7, "evaluated price off the deduction rule");
      }
      if (S(e["time"]) <= p.deadline) Break(kPromise, "award before the deadline");
      if (U(d["amount_fen"]) != bid.price) Break(kPromise, "award amount is not the bid price");
      for (const auto& [id, other] : bids_) {
        if (other.project == project && Evaluated(other.price, IsSme(other.supplier), p.pct) <
                                            Evaluated(bid.price, sme, p.pct)) {
          Break(kPromise, "not the lowest evaluated price");
        }
      }
    } else if (type == "ComplaintFiled") {
      New(d["complaint_id"]);
      if (!Exists(d["project_id"]) || !Exists(d["credit_code"])) return broken_;
      const std::string project = S(d["project_id"]), supplier = S(d["credit_code"]);
      bool bidder = false;
      for (const auto& [id, bid] : bids_)
        bidder |= bid.project == project && bid.supplier == supplier;
      if (!bidder || projects_[project].award_supplier == supplier) {
        Break(kPromise, "complaint not by a losing bidder");
      }
    } else if (type == "RulingIssued") {
      if (!Exists(d["complaint_id"])) return broken_;
      if (complaints_[S(d["complaint_id"])].ruled) Break(12, "ruled twice");
    } else if (type == "ContractSigned") {
      New(d["contract_id"]);
      if (!Exists(d["project_id"]) || !Exists(d["credit_code"])) return broken_;
      const Project& p = projects_[S(d["project_id"])];
      if (!p.awarded) {
        Break(12, "contract without an award");
        return broken_;
      }
      if (Blank(S(d["acceptance_standard"])) || Blank(S(d["acceptance_method"]))) {
        Break(8, "no acceptance standard or method");
      }
      if (S(d["credit_code"]) != p.award_supplier) Break(8, "not the awarded supplier");
      if (p.open_complaints > 0) Break(9, "a complaint without a ruling");
      if (U(d["amount_fen"]) > p.award) Break(6, "contract above the award");
      uint64_t total = 0;
      for (const auto& item : d["items"]) total += U(item["quantity"]) * U(item["unit_price_fen"]);
      if (total != U(d["amount_fen"])) Break(kPromise, "items do not add up to the amount");
    } else if (type == "ContractAmended") {
      if (!Exists(d["contract_id"])) return broken_;
      if (U(d["new_amount_fen"]) * 10 > contracts_[S(d["contract_id"])].original * 11) {
        Break(6, "amendment above 110% of the original");
      }
    } else if (type == "AcceptanceRecorded") {
      New(d["acceptance_id"]);
      if (!Exists(d["contract_id"])) return broken_;
      const Contract& c = contracts_[S(d["contract_id"])];
      if (B(d["passed"]) && c.accepted + U(d["accepted_amount_fen"]) > c.amount) {
        Break(kPromise, "accepted above the contract amount");
      }
    } else if (type == "PaymentMade") {
      New(d["payment_id"]);
      if (!Exists(d["contract_id"]) || !Exists(d["acceptance_id"])) return broken_;
      const Contract& c = contracts_[S(d["contract_id"])];
      const Acceptance& a = acceptances_[S(d["acceptance_id"])];
      const uint64_t amount = U(d["amount_fen"]);
      if (a.contract != S(d["contract_id"]) || !a.passed) Break(10, "no passed acceptance");
      if (c.paid + amount > c.accepted || c.paid + amount > c.amount) Break(10, "overpaid");
      if (amount > a.amount) Break(kPromise, "payment above its acceptance");
    } else if (type == "AssetRegistered") {
      New(d["asset_id"]);
      if (!Exists(d["contract_id"]) || !Exists(d["acceptance_id"]) || !Exists(d["unit_code"])) {
        return broken_;
      }
      const Acceptance& a = acceptances_[S(d["acceptance_id"])];
      if (a.contract != S(d["contract_id"]) || !a.passed) {
        Break(11, "asset without a passed acceptance");
      }
    } else if (type == "FindingRecorded") {
      New(d["finding_id"]);
      Exists(d["entity_id"]);
      if (!S(e["actor"]).starts_with("auditor:")) Break(kPromise, "a finding not by an auditor");
    } else if (type != "ConfigStandardSet") {
      Break(kPromise, "unexpected type " + type);
    }
    return broken_;
  }

  // Records an event the ledger accepted.
  void Apply(const json& e) {
    const std::string type = S(e["type"]);
    const json& d = e["data"];
    const std::string id = S(d[EntityField(type)]);
    if (type == "UnitRegistered" || type == "DemandRaised" || type == "FindingRecorded") {
      entities_.insert(id);
    } else if (type == "SupplierRegistered") {
      entities_.insert(id);
      scales_[id] = S(d["scale"]);
    } else if (type == "ConfigStandardSet") {
      standards_[id] = {U(d["max_unit_price_fen"]), U(d["max_quantity"])};
    } else if (type == "AssetInventoried" || type == "AssetRegistered") {
      entities_.insert(id);
      assets_[id] = kInUnit;
    } else if (type == "AssetDeposited") {
      assets_[id] = kInWarehouse;
    } else if (type == "WarehouseQueried") {
      demands_[id] = {true, d["matched_asset_ids"].get<std::vector<std::string>>()};
    } else if (type == "AssetAllocated") {
      assets_[id] = kAllocated;
    } else if (type == "BudgetRequested") {
      entities_.insert(id);
      lines_[id] = {.imported = B(d["imported"]), .requested = U(d["amount_fen"])};
    } else if (type == "ImportReviewed") {
      lines_[id].review = B(d["approved"]);
    } else if (type == "BudgetApproved") {
      lines_[id].status = kApproved;
      lines_[id].approved = U(d["approved_amount_fen"]);
    } else if (type == "BudgetRejected") {
      lines_[id].status = kRejected;
    } else if (type == "RequirementDefined") {
      entities_.insert(id);
      lines_[S(d["budget_line_id"])].required += U(d["amount_fen"]);
      projects_[id] = {.line = S(d["budget_line_id"]), .amount = U(d["amount_fen"])};
    } else if (type == "TenderPublished") {
      Project& p = projects_[id];
      p.tendered = true;
      p.reserved = B(d["sme_reserved"]);
      p.pct = static_cast<int>(U(d["sme_price_deduction_pct"]));
      p.deadline = S(d["deadline"]);
    } else if (type == "BidSubmitted") {
      entities_.insert(id);
      bids_[id] = {S(d["project_id"]), S(d["credit_code"]), U(d["price_fen"])};
    } else if (type == "AwardDecided") {
      Project& p = projects_[id];
      p.awarded = true;
      p.award_supplier = S(d["credit_code"]);
      p.award = U(d["amount_fen"]);
    } else if (type == "ComplaintFiled") {
      entities_.insert(id);
      complaints_[id] = {S(d["project_id"]), false};
      ++projects_[S(d["project_id"])].open_complaints;
    } else if (type == "RulingIssued") {
      complaints_[id].ruled = true;
      --projects_[complaints_[id].project].open_complaints;
    } else if (type == "ContractSigned") {
      entities_.insert(id);
      contracts_[id] = {.original = U(d["amount_fen"]), .amount = U(d["amount_fen"])};
    } else if (type == "ContractAmended") {
      contracts_[id].amount = U(d["new_amount_fen"]);
    } else if (type == "AcceptanceRecorded") {
      entities_.insert(id);
      acceptances_[id] = {S(d["contract_id"]), B(d["passed"]), U(d["accepted_amount_fen"])};
      if (B(d["passed"])) contracts_[S(d["contract_id"])].accepted += U(d["accepted_amount_fen"]);
    } else if (type == "PaymentMade") {
      entities_.insert(id);
      contracts_[S(d["contract_id"])].paid += U(d["amount_fen"]);
    }
  }

  const std::string& why() const { return why_; }
  const std::map<std::string, std::string>& scales() const { return scales_; }

 private:
  enum Place { kInUnit, kInWarehouse, kAllocated };
  enum Decision { kRequested, kApproved, kRejected };
  struct Demand {
    bool queried = false;
    std::vector<std::string> matched;
  };
  struct Line {
    bool imported = false;
    uint64_t requested = 0;
    int status = kRequested;
    std::optional<bool> review;  // the import review's decision
    uint64_t approved = 0, required = 0;
  };
  struct Project {
    std::string line;
    uint64_t amount = 0;  // the requirement's
    bool tendered = false, reserved = false, awarded = false;
    int pct = 0;
    std::string deadline;  // RFC 3339, all +08:00: compared as text
    std::string award_supplier;
    uint64_t award = 0;
    int open_complaints = 0;
  };
  struct Bid {
    std::string project, supplier;
    uint64_t price = 0;
  };
  struct Complaint {
    std::string project;
    bool ruled = false;
  };
  struct Contract {
    uint64_t original = 0, amount = 0, accepted = 0, paid = 0;
  };
  struct Acceptance {
    std::string contract;
    bool passed = false;
    uint64_t amount = 0;
  };

  void Break(int rule, const std::string& why) {
    broken_.insert(rule);
    why_ += (why_.empty() ? "" : "; ") + std::string("R") + std::to_string(rule) + ": " + why;
  }
  // The field naming the entity an event belongs to (the first of its data).
  static const char* EntityField(const std::string& type) {
    static const std::map<std::string, const char*> kFields = {
        {"UnitRegistered", "unit_code"},
        {"SupplierRegistered", "credit_code"},
        {"ConfigStandardSet", "category"},
        {"AssetInventoried", "asset_id"},
        {"AssetDeposited", "asset_id"},
        {"DemandRaised", "demand_id"},
        {"WarehouseQueried", "demand_id"},
        {"AssetAllocated", "asset_id"},
        {"BudgetRequested", "budget_line_id"},
        {"ImportReviewed", "budget_line_id"},
        {"BudgetApproved", "budget_line_id"},
        {"BudgetRejected", "budget_line_id"},
        {"RequirementDefined", "project_id"},
        {"TenderPublished", "project_id"},
        {"BidSubmitted", "bid_id"},
        {"AwardDecided", "project_id"},
        {"ComplaintFiled", "complaint_id"},
        {"RulingIssued", "complaint_id"},
        {"ContractSigned", "contract_id"},
        {"ContractAmended", "contract_id"},
        {"AcceptanceRecorded", "acceptance_id"},
        {"PaymentMade", "payment_id"},
        {"AssetRegistered", "asset_id"},
        {"FindingRecorded", "finding_id"}};
    return kFields.at(type);
  }
  static std::string S(const json& j) { return j.get<std::string>(); }
  static uint64_t U(const json& j) { return j.get<uint64_t>(); }
  static bool B(const json& j) { return j.get<bool>(); }

  void New(const json& id) {
    if (entities_.contains(S(id))) Break(12, S(id) + " already exists");
  }
  bool Exists(const json& id) {
    if (entities_.contains(S(id))) return true;
    Break(12, S(id) + " does not exist");
    return false;
  }
  bool IsSme(const std::string& code) const {
    const std::string& scale = scales_.at(code);
    return scale == "small" || scale == "micro";
  }
  static uint64_t Evaluated(uint64_t price, bool sme, int pct) {
    return sme ? price * static_cast<uint64_t>(100 - pct) / 100 : price;
  }
  static bool Blank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  }

  std::set<int> broken_;
  std::string why_;
  std::set<std::string> event_ids_, entities_;
  std::map<std::string, std::string> scales_;
  std::map<std::string, std::pair<uint64_t, uint64_t>> standards_;
  std::map<std::string, int> assets_;
  std::map<std::string, Demand> demands_;
  std::map<std::string, Line> lines_;
  std::map<std::string, Project> projects_;
  std::map<std::string, Bid> bids_;
  std::map<std::string, Complaint> complaints_;
  std::map<std::string, Contract> contracts_;
  std::map<std::string, Acceptance> acceptances_;
};

// Runs the model over a generated stream: legal events must break nothing,
// each intended violation exactly its rule. Returns the number of violations.
size_t CheckAgainstRules(uint64_t chains, uint64_t seed, double violations) {
  RuleModel model;
  GeneratorStats stats;
  auto lines = Generate(chains, seed, violations, &stats);
  std::map<std::string, int> intended;
  for (const auto& v : stats.violations) intended[v.event_id] = static_cast<int>(v.rule);
  int checked_violations = 0;
  for (const auto& line : lines) {
    json e = json::parse(line);
    auto it = intended.find(e["id"]);
    std::set<int> expected;
    if (it != intended.end()) expected.insert(it->second);
    std::set<int> broken = model.Check(e);
    // The generator's own promises hold for the events the ledger accepts.
    if (it != intended.end()) broken.erase(RuleModel::kPromise);
    CHECK_MESSAGE(broken == expected, line, "\n  ", model.why());
    if (it == intended.end()) {
      model.Apply(e);
    } else {
      ++checked_violations;
    }
  }
  CHECK(checked_violations == static_cast<int>(stats.violations.size()));
  return stats.violations.size();
}

TEST_CASE("the same options give the same bytes, another seed gives others") {
  auto a = Generate(50, 7, 0.2);
  auto b = Generate(50, 7, 0.2);
  REQUIRE(a.size() > 500);
  CHECK(a == b);
  auto c = Generate(50, 8, 0.2);
  CHECK(a != c);
  // Not just the ids: the content differs too.
  size_t same = 0;
  for (size_t i = 0; i < std::min(a.size(), c.size()); ++i) {
    json ja = json::parse(a[i]), jc = json::parse(c[i]);
    same += ja["data"] == jc["data"];
  }
  CHECK(same < a.size() / 2);
}

TEST_CASE("every generated line is a valid event, ids unique, business time never decreases") {
  GeneratorStats stats;
  auto lines = Generate(200, 3, 0.3, &stats);
  CHECK(stats.events == lines.size());
  events::JsonCodec codec;
  std::set<std::string> ids;
  std::set<std::string> types;
  std::string last_time;
  for (const auto& line : lines) {
    auto bytes = codec.Parse(line);
    REQUIRE_MESSAGE(bytes.ok(), line, "\n  ", bytes.status().ToString());
    json e = json::parse(line);
    CHECK(ids.insert(e["id"].get<std::string>()).second);
    types.insert(e["type"]);
    std::string time = e["time"];
    REQUIRE(time.size() == 25);  // YYYY-MM-DDTHH:MM:SS+08:00: comparable as text
    REQUIRE(time.ends_with("+08:00"));
    CHECK_MESSAGE(time >= last_time, line);
    last_time = time;
  }
  // Every type but the ledger's own refusal evidence.
  CHECK(types.size() == static_cast<size_t>(events::kEventTypeCount) - 1);
  CHECK_FALSE(types.contains("ControlViolationRecorded"));
}

TEST_CASE("without violations nothing is meant to be refused") {
  GeneratorStats stats;
  auto lines = Generate(300, 11, 0.0, &stats);
  CHECK(stats.violations.empty());
  for (const auto& line : lines) CHECK(line.find("-X\"") == std::string::npos);
}

TEST_CASE("with violations 1.0 every chain carries one, and all twelve rules occur") {
  GeneratorStats stats;
  auto lines = Generate(60, 5, 1.0, &stats);
  CHECK(stats.violations.size() == 60);
  auto counts = RuleCounts(stats);
  CHECK(counts.size() == 12);
  for (int rule = 1; rule <= 12; ++rule) CHECK_MESSAGE(counts[rule] == 5, "R", rule);
  // Each is an event of the stream, with an id that appears once.
  std::set<std::string> ids;
  for (const auto& line : lines) ids.insert(json::parse(line)["id"].get<std::string>());
  for (const auto& v : stats.violations) CHECK(ids.contains(v.event_id));
}

TEST_CASE("legal events pass the control rules, each violation breaks exactly its rule") {
  SUBCASE("no violations") { CHECK(CheckAgainstRules(400, 21, 0.0) == 0); }
  SUBCASE("every chain with one, every variant of every rule") {
    // Each chain gets as far as the step its violation breaks.
    CHECK(CheckAgainstRules(600, 22, 1.0) == 600);
  }
  SUBCASE("a few, among many legal chains") { CHECK(CheckAgainstRules(500, 23, 0.05) > 10); }
}

TEST_CASE("the reference data: every region, enough suppliers, the scale mix") {
  auto lines = Generate(1000, 4, 0.0);
  std::set<std::string> regions;
  std::map<std::string, int> scales;
  int suppliers = 0;
  for (const auto& line : lines) {
    json e = json::parse(line);
    if (e["type"] == "UnitRegistered") regions.insert(e["data"]["region"].get<std::string>());
    if (e["type"] == "SupplierRegistered") {
      ++suppliers;
      ++scales[e["data"]["scale"]];
    }
  }
  CHECK(regions.size() == 17);
  CHECK(suppliers == 200);
  CHECK(scales["large"] >= 15);
  CHECK(scales["large"] <= 25);
  CHECK(scales["medium"] >= 40);
  CHECK(scales["small"] >= 70);
  CHECK(scales["micro"] >= 40);
  CHECK(Generate(1, 4, 0.0).size() > 20 + 17);  // at least 20 suppliers and 17 units
}

}  // namespace
}  // namespace ledger::gen
