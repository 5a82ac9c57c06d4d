// Recomputes the hash chain of a log from position 0 and checks every record.
#pragma once

#include <cstdint>
#include <functional>

#include "core/event_log.h"

namespace ledger::core {

struct ChainReport {
  uint64_t records = 0;
  Hash head{};
};

// Reads every record of `log` and checks: framing and position, the event
// bytes (FlatBuffers verifier), each chain link, and the head hash. On the
// first failure returns Corruption naming the position and what was wrong.
// `progress(done, total)` is called every few thousand records if given.
Result<ChainReport> VerifyChain(EventLog& log,
                                const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace ledger::core
