// The binary schema (reflection data) of events/schema/event.fbs, embedded at
// build time by events/CMakeLists.txt. Immutable; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ledger::events {
extern const uint8_t kEventSchemaBfbs[];
extern const size_t kEventSchemaBfbsSize;
}  // namespace ledger::events
