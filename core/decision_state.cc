#include "core/decision_state.h"

#include <nlohmann/json.hpp>

#include "core/record_format.h"
#include "events/codes.h"

namespace ledger::core {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(UnitState, region)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SupplierState, scale)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StandardState, max_unit_price_fen, max_quantity)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AssetState, unit_code, category, place, contract_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DemandState, unit_code, category, quantity, queried, matched)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BudgetLineState, unit_code, imported, status, import_review,
                                   requested_fen, approved_fen, required_fen)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ProjectState, budget_line_id, amount_fen, tendered, sme_reserved,
                                   sme_price_deduction_pct, deadline_us, imported, awarded_bid,
                                   awarded_supplier, award_fen, open_complaints)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BidState, project_id, credit_code, price_fen)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ComplaintState, project_id, ruled)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ContractState, project_id, credit_code, original_fen, amount_fen,
                                   accepted_fen, paid_fen)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AcceptanceState, contract_id, passed, accepted_fen)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PaymentState, contract_id, amount_fen)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FindingState, entity_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ViolationState, rule)

namespace {

using nlohmann::json;

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

// Builds the body of kind `index` from JSON, for Load.
template <size_t I = 0>
bool BodyFromJson(size_t index, const json& j, EntityBody* out) {
  if constexpr (I < std::variant_size_v<EntityBody>) {
    if (index == I) {
      *out = j.get<std::variant_alternative_t<I, EntityBody>>();
      return true;
    }
    return BodyFromJson<I + 1>(index, j, out);
  }
  return false;
}

// A default-constructed body of kind `index`, as JSON (its field names).
json KindTemplate(size_t index) {
  json out;
  EntityBody body;
  auto make = [&]<size_t I>(std::integral_constant<size_t, I>) {
    if (index == I) out = std::variant_alternative_t<I, EntityBody>{};
  };
  [&]<size_t... I>(std::index_sequence<I...>) { (make(std::integral_constant<size_t, I>{}), ...); }
  (std::make_index_sequence<std::variant_size_v<EntityBody>>{});
  return out;
}

}  // namespace

std::string_view KindName(const EntityBody& body) {
  static constexpr std::string_view kNames[] = {"unit",     "supplier",   "configuration standard",
                                                "asset",    "demand",     "budget line",
                                                "project",  "bid",        "complaint",
                                                "contract", "acceptance", "payment",
                                                "finding",  "violation"};
  static_assert(std::size(kNames) == std::variant_size_v<EntityBody>);
  return kNames[body.index()];
}

const Entity* DecisionState::Find(std::string_view id) const {
  auto it = entities_.find(id);
  return it == entities_.end() ? nullptr : &it->second;
}

std::optional<uint64_t> DecisionState::EventPosition(std::string_view event_id) const {
  auto it = events_.find(event_id);
  if (it == events_.end()) return std::nullopt;
  return it->second;
}

Entity& DecisionState::Upsert(std::string_view id, EntityBody initial) {
  auto it = entities_.find(id);
  if (it == entities_.end()) {
    it = entities_.emplace(std::string(id), Entity{0, std::move(initial)}).first;
  }
  return it->second;
}

void DecisionState::Apply(const fb::Event& event, uint64_t position,
                          std::vector<std::string>* changed) {
  events_[event.id()->str()] = position;
  const std::string entity(events::EntityIdOf(event));
  auto touch = [&](std::string_view id) { changed->emplace_back(id); };
  using P = fb::Payload;
  switch (event.data_type()) {
    case P::UnitRegistered: {
      Upsert(entity, UnitState{Str(event.data_as_UnitRegistered()->region())});
      break;
    }
    case P::SupplierRegistered: {
      auto* d = event.data_as_SupplierRegistered();
      Upsert(entity, SupplierState{static_cast<uint8_t>(d->scale().value_or(fb::Scale::large))});
      break;
    }
    case P::ConfigStandardSet: {
      auto* d = event.data_as_ConfigStandardSet();
      Upsert(entity, StandardState{}).body =
          StandardState{d->max_unit_price_fen().value_or(0), d->max_quantity().value_or(0)};
      break;
    }
    case P::AssetInventoried: {
      auto* d = event.data_as_AssetInventoried();
      Upsert(entity, AssetState{Str(d->unit_code()), Str(d->category()),
                                static_cast<uint8_t>(AssetPlace::kInUnit), ""});
      break;
    }
    case P::AssetDeposited:
      Mutable<AssetState>(entity).place = static_cast<uint8_t>(AssetPlace::kInWarehouse);
      break;
    case P::DemandRaised: {
      auto* d = event.data_as_DemandRaised();
      Upsert(entity,
             DemandState{
                 Str(d->unit_code()), Str(d->category()), d->quantity().value_or(0), false, {}});
      break;
    }
    case P::WarehouseQueried: {
      auto* d = event.data_as_WarehouseQueried();
      auto& demand = Mutable<DemandState>(entity);
      demand.queried = true;
      demand.matched.clear();
      for (const auto* a : *d->matched_asset_ids()) demand.matched.push_back(a->str());
      break;
    }
    case P::AssetAllocated: {
      auto* d = event.data_as_AssetAllocated();
      auto& asset = Mutable<AssetState>(entity);
      asset.place = static_cast<uint8_t>(AssetPlace::kAllocated);
      asset.unit_code = Str(d->unit_code());
      break;
    }
    case P::BudgetRequested: {
      auto* d = event.data_as_BudgetRequested();
      BudgetLineState line;
      line.unit_code = Str(d->unit_code());
      line.imported = d->imported().value_or(false);
      line.requested_fen = d->amount_fen().value_or(0);
      Upsert(entity, std::move(line));
      break;
    }
    case P::ImportReviewed: {
      auto* d = event.data_as_ImportReviewed();
      Mutable<BudgetLineState>(entity).import_review = static_cast<uint8_t>(
          d->approved().value_or(false) ? Review::kApproved : Review::kRejected);
      break;
    }
    case P::BudgetApproved: {
      auto& line = Mutable<BudgetLineState>(entity);
      line.status = static_cast<uint8_t>(BudgetStatus::kApproved);
      line.approved_fen = event.data_as_BudgetApproved()->approved_amount_fen().value_or(0);
      break;
    }
    case P::BudgetRejected:
      Mutable<BudgetLineState>(entity).status = static_cast<uint8_t>(BudgetStatus::kRejected);
      break;
    case P::RequirementDefined: {
      auto* d = event.data_as_RequirementDefined();
      ProjectState project;
      project.budget_line_id = Str(d->budget_line_id());
      project.amount_fen = d->amount_fen().value_or(0);
      Mutable<BudgetLineState>(project.budget_line_id).required_fen += project.amount_fen;
      touch(project.budget_line_id);
      Upsert(entity, std::move(project));
      break;
    }
    case P::TenderPublished: {
      auto* d = event.data_as_TenderPublished();
      auto& project = Mutable<ProjectState>(entity);
      project.tendered = true;
      project.sme_reserved = d->sme_reserved().value_or(false);
      project.sme_price_deduction_pct = d->sme_price_deduction_pct().value_or(0);
      project.deadline_us = events::DateTimeMicros(d->deadline()->string_view()).value();
      project.imported = d->imported().value_or(false);
      break;
    }
    case P::BidSubmitted: {
      auto* d = event.data_as_BidSubmitted();
      Upsert(entity,
             BidState{Str(d->project_id()), Str(d->credit_code()), d->price_fen().value_or(0)});
      break;
    }
    case P::AwardDecided: {
      auto* d = event.data_as_AwardDecided();
      auto& project = Mutable<ProjectState>(entity);
      project.awarded_bid = Str(d->bid_id());
      project.awarded_supplier = Str(d->credit_code());
      project.award_fen = d->amount_fen().value_or(0);
      break;
    }
    case P::ComplaintFiled: {
      std::string project = Str(event.data_as_ComplaintFiled()->project_id());
      Upsert(entity, ComplaintState{project, false});
      Mutable<ProjectState>(project).open_complaints++;
      touch(project);
      break;
    }
    case P::RulingIssued: {
      auto& complaint = Mutable<ComplaintState>(entity);
      complaint.ruled = true;
      Mutable<ProjectState>(complaint.project_id).open_complaints--;
      touch(complaint.project_id);
      break;
    }
    case P::ContractSigned: {
      auto* d = event.data_as_ContractSigned();
      uint64_t amount = d->amount_fen().value_or(0);
      Upsert(entity,
             ContractState{Str(d->project_id()), Str(d->credit_code()), amount, amount, 0, 0});
      break;
    }
    case P::ContractAmended:
      Mutable<ContractState>(entity).amount_fen =
          event.data_as_ContractAmended()->new_amount_fen().value_or(0);
      break;
    case P::AcceptanceRecorded: {
      auto* d = event.data_as_AcceptanceRecorded();
      bool passed = d->passed().value_or(false);
      uint64_t amount = d->accepted_amount_fen().value_or(0);
      Upsert(entity, AcceptanceState{Str(d->contract_id()), passed, amount});
      if (passed) {
        Mutable<ContractState>(Str(d->contract_id())).accepted_fen += amount;
        touch(Str(d->contract_id()));
      }
      break;
    }
    case P::PaymentMade: {
      auto* d = event.data_as_PaymentMade();
      uint64_t amount = d->amount_fen().value_or(0);
      Upsert(entity, PaymentState{Str(d->contract_id()), amount});
      Mutable<ContractState>(Str(d->contract_id())).paid_fen += amount;
      touch(Str(d->contract_id()));
      break;
    }
    case P::AssetRegistered: {
      auto* d = event.data_as_AssetRegistered();
      Upsert(entity, AssetState{Str(d->unit_code()), Str(d->category()),
                                static_cast<uint8_t>(AssetPlace::kInUnit), Str(d->contract_id())});
      break;
    }
    case P::ControlViolationRecorded:
      Upsert(entity,
             ViolationState{static_cast<uint8_t>(
                 event.data_as_ControlViolationRecorded()->rule().value_or(fb::RuleId::R12))});
      break;
    case P::FindingRecorded:
      Upsert(entity, FindingState{Str(event.data_as_FindingRecorded()->entity_id())});
      break;
    case P::NONE:
      return;
  }
  entities_.find(entity)->second.version++;
  touch(entity);
}

std::string DecisionState::EncodeEntity(std::string_view id) const {
  const Entity& e = entities_.find(id)->second;
  // The body's values only, in the (sorted) order of its field names: the
  // names are the kind's, known to the reader.
  json values = json::array();
  std::visit(
      [&](const auto& b) {
        json fields = b;
        for (auto& [key, value] : fields.items()) values.push_back(std::move(value));
      },
      e.body);
  json j = json::array({e.version, e.body.index(), std::move(values)});
  std::vector<uint8_t> cbor = json::to_cbor(j);
  return std::string(cbor.begin(), cbor.end());
}

Status DecisionState::Load(std::string_view key, std::string_view value) {
  if (key.starts_with("e/")) {
    if (value.size() != 8)
      return Status::Corruption("decision state: malformed " + std::string(key));
    events_[std::string(key.substr(2))] = GetBigEndian64(value.data());
    return Status::OK();
  }
  if (!key.starts_with("s/")) {
    return Status::Corruption("decision state: unknown key " + std::string(key));
  }
  json j = json::from_cbor(value, true, false);
  Entity entity;
  auto bad = [&](const std::string& why) {
    return Status::Corruption("decision state: " + std::string(key) + ": " + why);
  };
  if (j.is_discarded() || !j.is_array() || j.size() != 3 || !j[2].is_array()) {
    return bad("undecodable");
  }
  try {
    entity.version = j[0].get<uint64_t>();
    size_t kind = j[1].get<size_t>();
    if (kind >= std::variant_size_v<EntityBody>) return bad("unknown kind");
    // Zip the values with the field names of the kind.
    EntityBody blank;
    BodyFromJson(kind, KindTemplate(kind), &blank);
    json names;
    std::visit([&](const auto& b) { names = b; }, blank);
    if (names.size() != j[2].size()) return bad("wrong number of fields");
    json body = json::object();
    size_t i = 0;
    for (auto& [name, unused] : names.items()) body[name] = j[2][i++];
    BodyFromJson(kind, body, &entity.body);
  } catch (const json::exception& e) {
    return bad(e.what());
  }
  entities_[std::string(key.substr(2))] = std::move(entity);
  return Status::OK();
}

}  // namespace ledger::core
