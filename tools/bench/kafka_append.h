// Internal to tools/bench/: `ledger bench append --kafka` (AppendBench with
// brokers), on events generated and encoded by the caller.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/bench/bench.h"

namespace ledger::bench {

// The ledger through Kafka beside a raw idempotent producer of the same
// messages, in alternating rounds on fresh topics; `bytes` is the events'
// total size.
Report KafkaAppendBench(const std::vector<std::string>& evs, size_t bytes, size_t batch, int rounds,
                        const std::string& brokers, const std::filesystem::path& dir);

}  // namespace ledger::bench
