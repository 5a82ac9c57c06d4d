#include "core/rules/decision_state.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "core/util/compact_record.h"
#include "core/util/encoding.h"
#include "events/codes.h"
#include "events/limits.h"

namespace ledger::core {

namespace {

using compact::Reader;
using compact::Writer;

// The persisted fields of each kind, in order. Append-only: a new field goes
// at the end of its list (and old records then need a default).
auto Fields(UnitState& s) { return std::tie(s.region); }
auto Fields(SupplierState& s) { return std::tie(s.scale); }
auto Fields(StandardState& s) { return std::tie(s.max_unit_price_fen, s.max_quantity); }
auto Fields(AssetState& s) { return std::tie(s.unit_code, s.category, s.place, s.contract_id); }
auto Fields(DemandState& s) {
  return std::tie(s.unit_code, s.category, s.quantity, s.queried, s.matched);
}
auto Fields(BudgetLineState& s) {
  return std::tie(s.unit_code, s.imported, s.status, s.import_review, s.requested_fen,
                  s.approved_fen, s.required_fen);
}
auto Fields(ProjectState& s) {
  return std::tie(s.budget_line_id, s.amount_fen, s.tendered, s.sme_reserved,
                  s.sme_price_deduction_pct, s.deadline_us, s.imported, s.awarded_bid,
                  s.awarded_supplier, s.award_fen, s.open_complaints);
}
auto Fields(BidState& s) { return std::tie(s.project_id, s.credit_code, s.price_fen); }
auto Fields(ComplaintState& s) { return std::tie(s.project_id, s.ruled); }
auto Fields(ContractState& s) {
  return std::tie(s.project_id, s.credit_code, s.original_fen, s.amount_fen, s.accepted_fen,
                  s.paid_fen);
}
auto Fields(AcceptanceState& s) { return std::tie(s.contract_id, s.passed, s.accepted_fen); }
auto Fields(PaymentState& s) { return std::tie(s.contract_id, s.amount_fen); }
auto Fields(FindingState& s) { return std::tie(s.entity_id); }
auto Fields(ViolationState& s) {
  return std::tie(s.rule, s.refused_event_id, s.refused_digest, s.position);
}

// Default-constructs the body of kind `index`; false if there is none.
template <size_t I = 0>
bool MakeBody(size_t index, EntityBody* out) {
  if constexpr (I < std::variant_size_v<EntityBody>) {
    if (index == I) {
      out->emplace<I>();
      return true;
    }
    return MakeBody<I + 1>(index, out);
  }
  return false;
}

// The EventDigest of a hex SHA-256 (64 hex digits); false if it is not one.
bool DigestFromHex(std::string_view hex, EventDigest* out) {
  auto nibble = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (nibble(c) < 0) return false;
  }
  for (size_t i = 0; i < out->size(); ++i) {
    (*out)[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return true;
}

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

// A typed id from an event's (untyped) string field.
template <typename Id>
Id Typed(const flatbuffers::String* s) {
  return Id(Str(s));
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

EventDigest DigestOf(const Hash& sha256) {
  EventDigest d;
  std::copy_n(sha256.begin(), d.size(), d.begin());
  return d;
}

const Entity* DecisionState::Find(std::string_view id) const {
  auto it = entities_.find(id);
  return it == entities_.end() ? nullptr : &it->second;
}

const EventRef* DecisionState::FindEvent(std::string_view event_id) const {
  auto it = events_.find(event_id);
  return it == events_.end() ? nullptr : &it->second;
}

std::optional<uint64_t> DecisionState::EventPosition(std::string_view event_id) const {
  const EventRef* e = FindEvent(event_id);
  if (e == nullptr) return std::nullopt;
  return e->position;
}

std::optional<uint64_t> DecisionState::EvidenceOf(std::string_view event_id,
                                                  const EventDigest& digest) const {
  auto it = refused_.find(event_id);
  if (it == refused_.end()) return std::nullopt;
  for (const EventRef& attempt : it->second) {
    if (attempt.digest == digest) return attempt.position;
  }
  return std::nullopt;
}

void DecisionState::IndexRefusal(const ViolationState& v) {
  auto& attempts = refused_[v.refused_event_id];
  // The first evidence of these bytes stays the one answered.
  for (const EventRef& attempt : attempts) {
    if (attempt.digest == v.refused_digest) return;
  }
  attempts.push_back({v.position, v.refused_digest});
}

void DecisionState::Apply(const fb::Event& event, uint64_t position, const EventDigest& digest,
                          std::vector<EntityChange>* changed) {
  events_[event.id()->str()] = EventRef{position, digest};
  const std::string_view entity = events::EntityIdOf(event);
  // One lookup for the event's own entity (created here if new).
  auto self_it = entities_.find(entity);
  if (self_it == entities_.end()) self_it = entities_.emplace(std::string(entity), Entity{}).first;
  Entity& self = self_it->second;
  using P = fb::Payload;
  switch (event.data_type()) {
    case P::UnitRegistered:
      self.body = UnitState{Str(event.data_as_UnitRegistered()->region())};
      break;
    case P::SupplierRegistered:
      self.body =
          SupplierState{event.data_as_SupplierRegistered()->scale().value_or(fb::Scale::large)};
      break;
    case P::ConfigStandardSet: {
      auto* d = event.data_as_ConfigStandardSet();
      self.body = StandardState{d->max_unit_price_fen().value_or(0), d->max_quantity().value_or(0)};
      break;
    }
    case P::AssetInventoried: {
      auto* d = event.data_as_AssetInventoried();
      self.body = AssetState{Typed<UnitCode>(d->unit_code()), Typed<CategoryCode>(d->category()),
                             AssetPlace::kInUnit, ContractId()};
      break;
    }
    case P::AssetDeposited:
      std::get<AssetState>(self.body).place = AssetPlace::kInWarehouse;
      break;
    case P::DemandRaised: {
      auto* d = event.data_as_DemandRaised();
      self.body = DemandState{Typed<UnitCode>(d->unit_code()),
                              Typed<CategoryCode>(d->category()),
                              d->quantity().value_or(0),
                              false,
                              {}};
      break;
    }
    case P::WarehouseQueried: {
      auto* d = event.data_as_WarehouseQueried();
      auto& demand = std::get<DemandState>(self.body);
      demand.queried = true;
      demand.matched.clear();
      for (const auto* a : *d->matched_asset_ids()) demand.matched.push_back(Typed<AssetId>(a));
      break;
    }
    case P::AssetAllocated: {
      auto& asset = std::get<AssetState>(self.body);
      asset.place = AssetPlace::kAllocated;
      asset.unit_code = Typed<UnitCode>(event.data_as_AssetAllocated()->unit_code());
      break;
    }
    case P::BudgetRequested: {
      auto* d = event.data_as_BudgetRequested();
      BudgetLineState line;
      line.unit_code = Typed<UnitCode>(d->unit_code());
      line.imported = d->imported().value_or(false);
      line.requested_fen = d->amount_fen().value_or(0);
      self.body = std::move(line);
      break;
    }
    case P::ImportReviewed:
      std::get<BudgetLineState>(self.body).import_review =
          event.data_as_ImportReviewed()->approved().value_or(false) ? Review::kApproved
                                                                     : Review::kRejected;
      break;
    case P::BudgetApproved: {
      auto& line = std::get<BudgetLineState>(self.body);
      line.status = BudgetStatus::kApproved;
      line.approved_fen = event.data_as_BudgetApproved()->approved_amount_fen().value_or(0);
      break;
    }
    case P::BudgetRejected:
      std::get<BudgetLineState>(self.body).status = BudgetStatus::kRejected;
      break;
    case P::RequirementDefined: {
      auto* d = event.data_as_RequirementDefined();
      ProjectState project;
      project.budget_line_id = Typed<BudgetLineId>(d->budget_line_id());
      project.amount_fen = d->amount_fen().value_or(0);
      Change<BudgetLineState>(project.budget_line_id.value(), changed, [&](BudgetLineState& line) {
        line.required_fen = events::AddFen(line.required_fen, project.amount_fen);
      });
      self.body = std::move(project);
      break;
    }
    case P::TenderPublished: {
      auto* d = event.data_as_TenderPublished();
      auto& project = std::get<ProjectState>(self.body);
      project.tendered = true;
      project.sme_reserved = d->sme_reserved().value_or(false);
      project.sme_price_deduction_pct = d->sme_price_deduction_pct().value_or(0);
      project.deadline_us = events::DateTimeMicros(d->deadline()->string_view()).value();
      project.imported = d->imported().value_or(false);
      break;
    }
    case P::BidSubmitted: {
      auto* d = event.data_as_BidSubmitted();
      self.body = BidState{Typed<ProjectId>(d->project_id()), Typed<CreditCode>(d->credit_code()),
                           d->price_fen().value_or(0)};
      break;
    }
    case P::AwardDecided: {
      auto* d = event.data_as_AwardDecided();
      auto& project = std::get<ProjectState>(self.body);
      project.awarded_bid = Typed<BidId>(d->bid_id());
      project.awarded_supplier = Typed<CreditCode>(d->credit_code());
      project.award_fen = d->amount_fen().value_or(0);
      break;
    }
    case P::ComplaintFiled: {
      auto project = Typed<ProjectId>(event.data_as_ComplaintFiled()->project_id());
      Change<ProjectState>(project.value(), changed, [](ProjectState& p) { p.open_complaints++; });
      self.body = ComplaintState{std::move(project), false};
      break;
    }
    case P::RulingIssued: {
      auto& complaint = std::get<ComplaintState>(self.body);
      complaint.ruled = true;
      Change<ProjectState>(complaint.project_id.value(), changed,
                           [](ProjectState& p) { p.open_complaints--; });
      break;
    }
    case P::ContractSigned: {
      auto* d = event.data_as_ContractSigned();
      uint64_t amount = d->amount_fen().value_or(0);
      self.body = ContractState{Typed<ProjectId>(d->project_id()),
                                Typed<CreditCode>(d->credit_code()),
                                amount,
                                amount,
                                0,
                                0};
      break;
    }
    case P::ContractAmended:
      std::get<ContractState>(self.body).amount_fen =
          event.data_as_ContractAmended()->new_amount_fen().value_or(0);
      break;
    case P::AcceptanceRecorded: {
      auto* d = event.data_as_AcceptanceRecorded();
      bool passed = d->passed().value_or(false);
      uint64_t amount = d->accepted_amount_fen().value_or(0);
      self.body = AcceptanceState{Typed<ContractId>(d->contract_id()), passed, amount};
      if (passed) {
        Change<ContractState>(d->contract_id()->string_view(), changed, [&](ContractState& c) {
          c.accepted_fen = events::AddFen(c.accepted_fen, amount);
        });
      }
      break;
    }
    case P::PaymentMade: {
      auto* d = event.data_as_PaymentMade();
      uint64_t amount = d->amount_fen().value_or(0);
      self.body = PaymentState{Typed<ContractId>(d->contract_id()), amount};
      Change<ContractState>(d->contract_id()->string_view(), changed, [&](ContractState& c) {
        c.paid_fen = events::AddFen(c.paid_fen, amount);
      });
      break;
    }
    case P::AssetRegistered: {
      auto* d = event.data_as_AssetRegistered();
      self.body = AssetState{Typed<UnitCode>(d->unit_code()), Typed<CategoryCode>(d->category()),
                             AssetPlace::kInUnit, Typed<ContractId>(d->contract_id())};
      break;
    }
    case P::ControlViolationRecorded: {
      auto* d = event.data_as_ControlViolationRecorded();
      ViolationState v{
          d->rule().value_or(fb::RuleId::R12), Str(d->refused_event_id()), {}, position};
      // Evidence whose digest is not hex SHA-256 (not written by this
      // ledger) is not indexed: no retry can match it.
      if (DigestFromHex(events::View(d->digest()), &v.refused_digest)) IndexRefusal(v);
      self.body = std::move(v);
      break;
    }
    case P::FindingRecorded:
      self.body = FindingState{Typed<EntityId>(event.data_as_FindingRecorded()->entity_id())};
      break;
    case P::NONE:
      return;
  }
  self.version++;
  changed->push_back({std::string(entity), EncodeEntity(self)});
}

std::string DecisionState::EncodeEntity(std::string_view id) const {
  return EncodeEntity(entities_.find(id)->second);
}

std::string DecisionState::EncodeEntity(const Entity& e) {
  std::string out;
  Writer w(&out);
  w.Put(e.version);
  w.Put(static_cast<uint8_t>(e.body.index()));
  std::visit(
      [&](const auto& body) {
        std::apply([&](const auto&... f) { (w.Put(f), ...); },
                   Fields(const_cast<std::remove_cvref_t<decltype(body)>&>(body)));
      },
      e.body);
  return out;
}

std::string DecisionState::RunKey(uint64_t first_position) {
  std::string key = "r/";
  PutBigEndian64(first_position, &key);
  return key;
}

Status DecisionState::Load(std::string_view key, std::string_view value) {
  if (key.starts_with("r/")) {
    if (key.size() != 10) {
      return Status::Corruption("decision state: malformed key of a run of event ids (" +
                                std::to_string(key.size()) + " bytes)");
    }
    const uint64_t first = GetBigEndian64(key.data() + 2);
    auto malformed = [&] {
      return Status::Corruption("decision state: malformed run of event ids from position " +
                                std::to_string(first));
    };
    Reader r(value);
    uint64_t count = 0;
    r.Get(count);
    if (!r.ok() || count == 0 || count > value.size()) return malformed();
    std::vector<std::pair<std::string, EventDigest>> events(count);  // all read before any loads
    for (auto& [id, digest] : events) {
      r.Get(id);
      r.Get(digest);
    }
    if (!r.ok() || !r.done()) return malformed();
    for (uint64_t i = 0; i < count; ++i) {
      events_[std::move(events[i].first)] = EventRef{first + i, events[i].second};
    }
    return Status::OK();
  }
  if (!key.starts_with("s/")) {
    return Status::Corruption("decision state: unknown key " + std::string(key));
  }
  Reader r(value);
  Entity entity;
  uint8_t kind = 0;
  r.Get(entity.version);
  r.Get(kind);
  if (!r.ok() || !MakeBody(kind, &entity.body)) {
    return Status::Corruption("decision state: " + std::string(key) + ": unknown kind");
  }
  std::visit([&](auto& body) { std::apply([&](auto&... f) { (r.Get(f), ...); }, Fields(body)); },
             entity.body);
  if (!r.ok() || !r.done()) {
    return Status::Corruption("decision state: " + std::string(key) + ": malformed record");
  }
  if (const auto* v = std::get_if<ViolationState>(&entity.body)) IndexRefusal(*v);
  entities_[std::string(key.substr(2))] = std::move(entity);
  return Status::OK();
}

std::vector<StateWrite> StateWritesFor(std::vector<EntityChange> changed,
                                       std::span<const std::string_view> event_ids,
                                       std::span<const EventDigest> digests,
                                       uint64_t first_position) {
  std::vector<StateWrite> writes;
  absl::flat_hash_set<std::string_view> seen;  // views into `changed`
  seen.reserve(changed.size());
  writes.reserve(changed.size() + 1);
  // Latest first: an entity changed several times is written as it ended.
  for (auto c = changed.rbegin(); c != changed.rend(); ++c) {
    if (seen.insert(c->id).second) {
      writes.push_back({DecisionState::EntityKey(c->id), std::move(c->record)});
    }
  }
  if (!event_ids.empty()) {
    std::string run;
    size_t bytes = 10;
    for (std::string_view id : event_ids) bytes += id.size() + 2 + sizeof(EventDigest);
    run.reserve(bytes);
    Writer w(&run);
    w.Put(static_cast<uint64_t>(event_ids.size()));
    for (size_t i = 0; i < event_ids.size(); ++i) {
      w.Put(static_cast<uint64_t>(event_ids[i].size()));
      run.append(event_ids[i]);
      w.Put(digests[i]);
    }
    writes.push_back({DecisionState::RunKey(first_position), std::move(run)});
  }
  return writes;
}

}  // namespace ledger::core
