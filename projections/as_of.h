// As-of queries: the ledger as it was at a past point, answered from the
// projections and the entity's own events, without replaying the log from
// zero, and equal to what a replay cut at that point gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// The entity as `ledger show` prints it, from its events before `end` (the
// log's size for now): one JSON object
//   {"entity_id", "kind", "status", "version", "first_position",
//    "last_position", "updated", "fields": the data fields of all its events,
//    later ones overriding earlier ones}
// nullopt if it had no events.
Result<std::optional<std::string>> EntityJsonAsOf(const ProjectionStore& store, core::EventLog& log,
                                                  std::string_view id, uint64_t end);

}  // namespace ledger::projections
