// The references an event makes from its own entity to other entities (a
// payment to its contract and acceptance, a demand to its unit, ...): the
// edges of the trace graph (projections/trace_graph.h), derived from the
// event's content alone. Pure; used by the trace projection and by offline
// bundle verification (projections/proof_bundle.h), so that both derive
// links the same way.
#pragma once

#include <functional>
#include <string_view>

#include "events/codec.h"

namespace ledger::projections {

// Calls `link(parent, relation)` for each reference `event` makes from its
// entity (events::EntityIdOf) to `parent`, in payload field order. The views
// point into the event's buffer.
void ForEachLink(
    const fb::Event& event,
    const std::function<void(std::string_view parent, std::string_view relation)>& link);

}  // namespace ledger::projections
