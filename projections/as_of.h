// As-of queries: the ledger as it was at a past point, answered from the
// projections and the entity's own events, without replaying the log from
// zero, and equal to what a replay cut at that point gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log/event_log.h"
#include "events/status.h"
#include "projections/entity_state.h"
#include "projections/store.h"

namespace ledger::projections {

// The end (exclusive) of the log prefix that `spec` names: a position N
// (events 0..N included), or an RFC 3339 time (every event the ledger had
// recorded by then, by its recorded_at). Binary search: O(log n) reads.
Result<uint64_t> ResolveAsOf(core::EventLog& log, std::string_view spec);

// The entity's summary (as EntityStateProjection stores it) folded from its
// events before `end`; nullopt if it had none.
Result<std::optional<EntitySummary>> EntitySummaryAsOf(const ProjectionStore& store,
                                                       core::EventLog& log, std::string_view id,
                                                       uint64_t end);

// One event of an entity, as `ledger history` lists it.
struct EntityEvent {
  uint64_t position = 0;
  fb::Payload type = fb::Payload::NONE;
  std::string time;  // business time, as the event gives it
  std::string actor;
  std::optional<uint64_t> amount_fen;  // EventAmountFen
};

// A page of the events of `id` before `end`, in log order: at most `limit`,
// the first after position `after` when given.
Result<std::vector<EntityEvent>> EntityEventsAsOf(const ProjectionStore& store, core::EventLog& log,
                                                  std::string_view id,
                                                  std::optional<uint64_t> after, uint64_t limit,
                                                  uint64_t end);

// The entity as `ledger show` prints it, from its events before `end` (the
// log's size for now): one JSON object
//   {"entity_id", "kind", "status", "version", "first_position",
//    "last_position", "updated", "fields": the data fields of all its events,
//    later ones overriding earlier ones}
// nullopt if it had no events.
Result<std::optional<std::string>> EntityJsonAsOf(const ProjectionStore& store, core::EventLog& log,
                                                  std::string_view id, uint64_t end);

}  // namespace ledger::projections
