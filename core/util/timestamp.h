// Ledger time: microseconds since the Unix epoch (UTC).
#pragma once

#include <cstdint>
#include <string>

namespace ledger::core {

// RFC 3339 UTC with microseconds, for printing recorded_at.
std::string FormatMicros(int64_t us);
// Microseconds since the epoch, now.
int64_t NowMicros();

}  // namespace ledger::core
