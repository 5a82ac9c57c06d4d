// DecisionState: what the control rules know of the ledger so far — one
// record per entity (unit, supplier, category standard, asset, demand, budget
// line, project, bid, complaint, contract, acceptance, payment, finding,
// violation), the position and digest of every event id, and where the
// refusal of each refused (event id, digest) was recorded.
//
// It is derived from the log only (Apply), persisted beside it in the same
// atomic write (Encode/Load, see core/command/command_service.h), and read by the
// rules through the const accessors. Not thread-safe.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/util/sha256.h"
#include "core/util/state_write.h"
#include "events/codec.h"
#include "events/ids.h"

namespace ledger::core {

// The first 16 bytes of the SHA-256 of an event's bytes. Two events with
// the same id and digest are taken to be the same bytes (a collision would
// take about 2^128 attempts), so a retry is recognized without reading the
// stored event back; half the hash keeps the per-event memory down.
using EventDigest = std::array<uint8_t, 16>;
EventDigest DigestOf(const Hash& sha256);
inline EventDigest DigestOf(std::string_view bytes) { return DigestOf(Sha256Of(bytes)); }

// An event in the log, as the idempotency check knows it.
struct EventRef {
  uint64_t position = 0;
  EventDigest digest{};
};

struct UnitState {
  std::string region;
};
struct SupplierState {
  fb::Scale scale = fb::Scale::large;
  bool IsSmallOrMicro() const { return scale == fb::Scale::small || scale == fb::Scale::micro; }
};
struct StandardState {
  uint64_t max_unit_price_fen = 0;
  uint32_t max_quantity = 0;
};
enum class AssetPlace : uint8_t { kInUnit = 0, kInWarehouse = 1, kAllocated = 2 };
struct AssetState {
  UnitCode unit_code;
  CategoryCode category;
  AssetPlace place = AssetPlace::kInUnit;
  ContractId contract_id;  // set for assets registered from a contract
};
struct DemandState {
  UnitCode unit_code;
  CategoryCode category;
  uint32_t quantity = 0;
  bool queried = false;
  std::vector<AssetId> matched;  // of the latest warehouse pre-query
};
enum class BudgetStatus : uint8_t { kRequested = 0, kApproved = 1, kRejected = 2 };
enum class Review : uint8_t { kNone = 0, kApproved = 1, kRejected = 2 };
struct BudgetLineState {
  UnitCode unit_code;
  bool imported = false;
  BudgetStatus status = BudgetStatus::kRequested;
  Review import_review = Review::kNone;
  uint64_t requested_fen = 0;
  uint64_t approved_fen = 0;
  uint64_t required_fen = 0;  // sum of the requirements drawing on it
};
struct ProjectState {
  BudgetLineId budget_line_id;
  uint64_t amount_fen = 0;
  bool tendered = false;
  bool sme_reserved = false;
  uint8_t sme_price_deduction_pct = 0;
  int64_t deadline_us = 0;
  bool imported = false;
  BidId awarded_bid;
  CreditCode awarded_supplier;
  uint64_t award_fen = 0;
  uint32_t open_complaints = 0;
};
struct BidState {
  ProjectId project_id;
  CreditCode credit_code;
  uint64_t price_fen = 0;
};
struct ComplaintState {
  ProjectId project_id;
  bool ruled = false;
};
struct ContractState {
  ProjectId project_id;
  CreditCode credit_code;
  uint64_t original_fen = 0;
  uint64_t amount_fen = 0;    // with amendments
  uint64_t accepted_fen = 0;  // sum of passed acceptances
  uint64_t paid_fen = 0;
};
struct AcceptanceState {
  ContractId contract_id;
  bool passed = false;
  uint64_t accepted_fen = 0;
};
struct PaymentState {
  ContractId contract_id;
  uint64_t amount_fen = 0;
};
struct FindingState {
  EntityId entity_id;
};
struct ViolationState {
  fb::RuleId rule = fb::RuleId::R12;
  std::string refused_event_id;
  EventDigest refused_digest{};  // of the refused event's bytes
  uint64_t position = 0;         // of the evidence
};

using EntityBody =
    std::variant<UnitState, SupplierState, StandardState, AssetState, DemandState, BudgetLineState,
                 ProjectState, BidState, ComplaintState, ContractState, AcceptanceState,
                 PaymentState, FindingState, ViolationState>;

// "unit", "contract", ... for messages.
std::string_view KindName(const EntityBody& body);
template <typename T>
std::string_view KindName() {
  return KindName(EntityBody(T{}));
}

struct Entity {
  uint64_t version = 0;  // number of events of this entity so far
  EntityBody body;
};

// An entity an applied event changed: its id and its persisted record as
// the event left it (DecisionState::Apply encodes it while the entity is at
// hand, so that persisting a batch looks nothing up again).
struct EntityChange {
  std::string id;
  std::string record;  // DecisionState::EncodeEntity's format
};

class DecisionState {
 public:
  // The entity called `id`, or nullptr.
  const Entity* Find(std::string_view id) const;
  // The entity called `id` if it is a T, else nullptr.
  template <typename T>
  const T* FindAs(std::string_view id) const {
    const Entity* e = Find(id);
    return e == nullptr ? nullptr : std::get_if<T>(&e->body);
  }
  template <typename T, typename Tag>
  const T* FindAs(const NamedId<Tag>& id) const {
    return FindAs<T>(std::string_view(id.value()));
  }
  // The event with this id, if it is in the log (nullptr if not). Valid
  // until the next Apply or Load.
  const EventRef* FindEvent(std::string_view event_id) const;
  // Position of the event with this id, if it is in the log.
  std::optional<uint64_t> EventPosition(std::string_view event_id) const;
  // Position of the evidence (ControlViolationRecorded) of the refused event
  // `event_id` whose bytes have this digest, if that very event was refused
  // before (the first evidence, if it was refused more than once).
  std::optional<uint64_t> EvidenceOf(std::string_view event_id, const EventDigest& digest) const;

  // Applies an event the rules accepted (or the evidence of a refusal),
  // appended at `position`, its bytes of `digest`. Appends the entities it
  // changed, as they now are, to `changed` (for persistence).
  void Apply(const fb::Event& event, uint64_t position, const EventDigest& digest,
             std::vector<EntityChange>* changed);

  // Persistence: one key per entity ("s/" + id), and one per run of events
  // appended together ("r/" + position of the first, u64be) listing their
  // ids and digests, where a key per event id would cost a write per event.
  // The refusals are indexed from the violation entities as they load.
  // Grammar of values (varint: LEB128, unsigned; zigzag for signed):
  //   entity := version:varint kind:u8 field*    (kind: index in EntityBody;
  //             fields in the order of Fields() in decision_state.cc)
  //   field  := varint (integers, bools, enums) | len:varint bytes (strings)
  //           | count:varint (len:varint bytes)* (lists of strings)
  //           | 16 bytes (an EventDigest, as it is)
  //   run    := count:varint (len:varint id digest:16 bytes)+
  //             (events at first, first + 1, ...; digest: EventDigest)
  static std::string EntityKey(std::string_view id) { return "s/" + std::string(id); }
  static std::string RunKey(uint64_t first_position);
  std::string EncodeEntity(std::string_view id) const;
  static std::string EncodeEntity(const Entity& entity);
  // Loads one persisted key/value; Corruption if it does not decode.
  Status Load(std::string_view key, std::string_view value);

  size_t entity_count() const { return entities_.size(); }
  size_t event_count() const { return events_.size(); }

 private:
  // The entity `id`, which exists and is a T: its body, and `id` with its
  // record after `change` to `changed`.
  template <typename T, typename Fn>
  void Change(std::string_view id, std::vector<EntityChange>* changed, Fn change) {
    Entity& e = entities_.find(id)->second;
    change(std::get<T>(e.body));
    changed->push_back({std::string(id), EncodeEntity(e)});
  }

  // Open addressing (abseil's Swiss tables): the rules look up several
  // entities per event among millions, where node-based maps spend their
  // time in cache misses. No pointer stability: references into the maps
  // are not kept across inserts. Heterogeneous lookup by string_view, with
  // abseil's hash (cheaper on short ids than std::hash's).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return absl::Hash<std::string_view>()(s); }
  };
  template <typename V>
  using Map = absl::flat_hash_map<std::string, V, Hash, std::equal_to<>>;

  void IndexRefusal(const ViolationState& v);

  Map<Entity> entities_;
  Map<EventRef> events_;
  // Refused event id -> each attempt under it: digest, position of its evidence.
  Map<std::vector<EventRef>> refused_;
};

// The writes that persist the state after appending events with ids
// `event_ids` and digests `digests` (as many) at first_position,
// first_position + 1, ...: the record of every entity in `changed` (once
// each: its latest change) and the position and digest of each event id.
// Stored with the records in the same atomic write (core/log/event_log.h).
std::vector<StateWrite> StateWritesFor(std::vector<EntityChange> changed,
                                       std::span<const std::string_view> event_ids,
                                       std::span<const EventDigest> digests,
                                       uint64_t first_position);

}  // namespace ledger::core
