#include "projections/budget_execution.h"

#include <nlohmann/json.hpp>

#include "core/record_format.h"

namespace ledger::projections {
namespace {

using nlohmann::ordered_json;

ordered_json Load(Table& table, const std::string& key) {
  if (auto v = table.Get(key)) {
    auto j = ordered_json::parse(*v, nullptr, false);
    if (j.is_object()) return j;
  }
  return {{"unit", ""},          {"requested_fen", 0}, {"approved_fen", 0}, {"required_fen", 0},
          {"contracted_fen", 0}, {"accepted_fen", 0},  {"paid_fen", 0}};
}

// Adds `delta` (may be negative) to `field` of the line and of its unit.
void Add(Table& table, std::string_view line_id, const char* field, int64_t delta) {
  std::string line_key = BudgetExecutionProjection::LineKey(line_id);
  ordered_json line = Load(table, line_key);
  line[field] = line[field].get<int64_t>() + delta;
  table.Put(line_key, line.dump());
  std::string unit = line["unit"].get<std::string>();
  if (unit.empty()) return;
  std::string unit_key = BudgetExecutionProjection::UnitKey(unit);
  ordered_json totals = Load(table, unit_key);
  totals["unit"] = unit;
  totals[field] = totals[field].get<int64_t>() + delta;
  table.Put(unit_key, totals.dump());
}

struct ContractLink {
  std::string line;
  uint64_t amount = 0;
};

std::optional<ContractLink> Contract(Table& table, std::string_view contract_id) {
  auto v = table.Get("c" + std::string(contract_id));
  if (!v || v->size() < 9) return std::nullopt;
  return ContractLink{v->substr(0, v->size() - 9), core::GetBigEndian64(v->data() + v->size() - 8)};
}

void PutContract(Table& table, std::string_view contract_id, const ContractLink& link) {
  std::string v = link.line;
  v.push_back('\0');
  core::PutBigEndian64(link.amount, &v);
  table.Put("c" + std::string(contract_id), v);
}

int64_t Fen(const flatbuffers::Optional<uint64_t>& v) {
  return static_cast<int64_t>(v.value_or(0));
}

}  // namespace

void BudgetExecutionProjection::Apply(const core::LogEntry&, const fb::Event& event, Table& table) {
  using P = fb::Payload;
  switch (event.data_type()) {
    case P::BudgetRequested: {
      auto* d = event.data_as_BudgetRequested();
      std::string key = LineKey(d->budget_line_id()->string_view());
      ordered_json line = Load(table, key);
      line["unit"] = d->unit_code()->str();
      table.Put(key, line.dump());
      Add(table, d->budget_line_id()->string_view(), "requested_fen", Fen(d->amount_fen()));
      break;
    }
    case P::BudgetApproved: {
      auto* d = event.data_as_BudgetApproved();
      Add(table, d->budget_line_id()->string_view(), "approved_fen", Fen(d->approved_amount_fen()));
      break;
    }
    case P::RequirementDefined: {
      auto* d = event.data_as_RequirementDefined();
      table.Put("p" + d->project_id()->str(), d->budget_line_id()->string_view());
      Add(table, d->budget_line_id()->string_view(), "required_fen", Fen(d->amount_fen()));
      break;
    }
    case P::ContractSigned: {
      auto* d = event.data_as_ContractSigned();
      auto line = table.Get("p" + d->project_id()->str());
      if (!line) break;
      PutContract(table, d->contract_id()->string_view(), {*line, d->amount_fen().value_or(0)});
      Add(table, *line, "contracted_fen", Fen(d->amount_fen()));
      break;
    }
    case P::ContractAmended: {
      auto* d = event.data_as_ContractAmended();
      auto link = Contract(table, d->contract_id()->string_view());
      if (!link) break;
      int64_t delta = Fen(d->new_amount_fen()) - static_cast<int64_t>(link->amount);
      Add(table, link->line, "contracted_fen", delta);
      link->amount = d->new_amount_fen().value_or(0);
      PutContract(table, d->contract_id()->string_view(), *link);
      break;
    }
    case P::AcceptanceRecorded: {
      auto* d = event.data_as_AcceptanceRecorded();
      if (!d->passed().value_or(false)) break;
      if (auto link = Contract(table, d->contract_id()->string_view())) {
        Add(table, link->line, "accepted_fen", Fen(d->accepted_amount_fen()));
      }
      break;
    }
    case P::PaymentMade: {
      auto* d = event.data_as_PaymentMade();
      if (auto link = Contract(table, d->contract_id()->string_view())) {
        Add(table, link->line, "paid_fen", Fen(d->amount_fen()));
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace ledger::projections
