#include "projections/budget_execution.h"

#include <algorithm>
#include <limits>

#include "core/log/record_format.h"
#include "core/util/compact_record.h"
#include "events/limits.h"

namespace ledger::projections {
namespace {

using Field = BudgetTotals::Field;

// Changes the totals under `key` in place (one lookup); returns them.
template <typename Change>
BudgetTotals Update(Table& table, const std::string& key, Change change) {
  std::string& stored = table.Edit(key);
  BudgetTotals totals;
  if (!stored.empty()) {
    if (auto decoded = BudgetTotals::Decode(stored); decoded.ok()) totals = std::move(*decoded);
  }
  change(totals);
  totals.EncodeTo(&stored);
  return totals;
}

// Adds `delta` (may be negative) to `field` of the line and of its unit. A
// unit's totals add up any number of events: they saturate (events/limits.h).
void Add(Table& table, std::string_view line_id, Field field, int64_t delta) {
  BudgetTotals line =
      Update(table, BudgetExecutionProjection::LineKey(line_id),
             [&](BudgetTotals& t) { t.fen[field] = events::AddFen(t.fen[field], delta); });
  if (line.unit.empty()) return;
  Update(table, BudgetExecutionProjection::UnitKey(line.unit), [&](BudgetTotals& t) {
    t.unit = line.unit;
    t.fen[field] = events::AddFen(t.fen[field], delta);
  });
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

// An amount as a total's term. The codec admits at most kMaxFen; a larger one
// (stored by an older writer) is held at the int64 bound, never wrapped.
int64_t Fen(uint64_t v) {
  return static_cast<int64_t>(std::min<uint64_t>(v, std::numeric_limits<int64_t>::max()));
}
int64_t Fen(const flatbuffers::Optional<uint64_t>& v) { return Fen(v.value_or(0)); }

}  // namespace

void BudgetTotals::EncodeTo(std::string* out) const {
  out->clear();
  core::compact::Writer w(out);
  w.Put(unit);
  for (int64_t v : fen) w.Put(v);
}

Result<BudgetTotals> BudgetTotals::Decode(std::string_view bytes) {
  BudgetTotals t;
  core::compact::Reader r(bytes);
  r.Get(t.unit);
  for (int64_t& v : t.fen) r.Get(v);
  if (!r.ok() || !r.done()) return Status::Corruption("malformed budget totals");
  return t;
}

void BudgetExecutionProjection::Apply(const core::LogEntry&, const fb::Event& event, Table& table) {
  using P = fb::Payload;
  switch (event.data_type()) {
    case P::BudgetRequested: {
      auto* d = event.data_as_BudgetRequested();
      Update(table, LineKey(d->budget_line_id()->string_view()),
             [&](BudgetTotals& t) { t.unit = d->unit_code()->str(); });
      Add(table, d->budget_line_id()->string_view(), Field::kRequested, Fen(d->amount_fen()));
      break;
    }
    case P::BudgetApproved: {
      auto* d = event.data_as_BudgetApproved();
      Add(table, d->budget_line_id()->string_view(), Field::kApproved,
          Fen(d->approved_amount_fen()));
      break;
    }
    case P::RequirementDefined: {
      auto* d = event.data_as_RequirementDefined();
      table.Put("p" + d->project_id()->str(), d->budget_line_id()->string_view());
      Add(table, d->budget_line_id()->string_view(), Field::kRequired, Fen(d->amount_fen()));
      break;
    }
    case P::ContractSigned: {
      auto* d = event.data_as_ContractSigned();
      auto line = table.Get("p" + d->project_id()->str());
      if (!line) break;
      PutContract(table, d->contract_id()->string_view(), {*line, d->amount_fen().value_or(0)});
      Add(table, *line, Field::kContracted, Fen(d->amount_fen()));
      break;
    }
    case P::ContractAmended: {
      auto* d = event.data_as_ContractAmended();
      auto link = Contract(table, d->contract_id()->string_view());
      if (!link) break;
      int64_t delta = Fen(d->new_amount_fen()) - Fen(link->amount);
      Add(table, link->line, Field::kContracted, delta);
      link->amount = d->new_amount_fen().value_or(0);
      PutContract(table, d->contract_id()->string_view(), *link);
      break;
    }
    case P::AcceptanceRecorded: {
      auto* d = event.data_as_AcceptanceRecorded();
      if (!d->passed().value_or(false)) break;
      if (auto link = Contract(table, d->contract_id()->string_view())) {
        Add(table, link->line, Field::kAccepted, Fen(d->accepted_amount_fen()));
      }
      break;
    }
    case P::PaymentMade: {
      auto* d = event.data_as_PaymentMade();
      if (auto link = Contract(table, d->contract_id()->string_view())) {
        Add(table, link->line, Field::kPaid, Fen(d->amount_fen()));
      }
      break;
    }
    default:
      break;
  }
}

Result<std::optional<BudgetTotals>> BudgetExecutionProjection::Of(const ProjectionStore& store,
                                                                  std::string_view id) {
  for (const std::string& key : {LineKey(id), UnitKey(id)}) {
    auto stored = store.Get(kName, key);
    if (!stored.ok()) return stored.status();
    if (!*stored) continue;
    auto totals = BudgetTotals::Decode(**stored);
    if (!totals.ok()) return totals.status();
    return std::optional<BudgetTotals>(std::move(totals).value());
  }
  return std::optional<BudgetTotals>();
}

}  // namespace ledger::projections
