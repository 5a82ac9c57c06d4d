// As-of queries: the ledger as it was at a past point, answered from the
// projections and the entity's own events, without replaying the log from
// zero, and equal to what a replay cut at that point gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/event_log.h"
#include "events/status.h"
#include "projections/store.h"

namespace ledger::projections {

// The end (exclusive) of the log prefix that `spec` names: a position N
// (events 0..N included), or an RFC 3339 time (every event the ledger had
// recorded by then, by its recorded_at). Binary search: O(log n) reads.
Result<uint64_t> ResolveAsOf(core::EventLog& log, std::string_view spec);

// The entity state (as EntityStateProjection stores it) built from the
// entity's events before `end`; nullopt if it had none.
Result<std::optional<std::string>> EntityStateAsOf(const ProjectionStore& store,
                                                   core::EventLog& log, std::string_view id,
                                                   uint64_t end);

}  // namespace ledger::projections
