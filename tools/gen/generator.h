// Generator: deterministic, realistic procurement chains as event JSON lines,
// for demos, load tests and tests of the control rules (`ledger gen`).
//
// What it produces, in business-time order (`time` never decreases):
//   1. reference data: budget units of the city (310000) and of the 16
//      districts, suppliers (max(20, chains/5); valid GB 32100-2015 credit
//      codes; about 10% large, 25% medium, 40% small, 25% micro; each in one
//      sector: goods, works or services) and the configuration standard of
//      every goods category of the catalog;
//   2. `chains` procurement chains (correlation id chain-<seed>-<k>), started
//      hours apart and interleaved in time: inventory and warehouse
//      deposits -> demand -> warehouse pre-query and allocations -> budget
//      request (import review for imported goods) -> approval -> requirement
//      -> tender -> bids -> award (lowest price after the SME deduction) ->
//      complaint and ruling -> contract -> amendment -> acceptances ->
//      payments -> registered assets -> audit finding. A chain ends early
//      when its demand is met from the warehouse or its budget is rejected.
//      Every event is one the ledger's control rules accept.
//   3. with `violations` = P: each chain carries, with probability P, one
//      extra event made to break one rule (R1, R2, ..., R12 in turn), placed
//      where it makes sense. The ledger refuses it, and the chain's other
//      events are valid with or without it. Its new entity ids end in "-X".
//
// Entity ids carry the seed and the chain number (DEM-<seed>-<k>, ...);
// event ids are evt-<seed>-<n> in output order. Same options, same bytes, on
// every platform: own RNG, integer money, no floating point in the output.
//
// The parts (internal, in the same namespace): random.h, business_time.h, catalog.h,
// reference.h (item 1), chain.cc (item 2), violations.cc (item 3) and
// json_output.h (the merge into time order); chain.h ties them together.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "events/event_generated.h"

namespace ledger::gen {

struct GeneratorOptions {
  uint64_t chains = 100;
  uint64_t seed = 1;
  double violations = 0.0;  // per chain, the probability of one rule-breaking event
};

// An event the generator made for the ledger to refuse, and the rule it breaks.
struct IntendedViolation {
  std::string event_id;
  fb::RuleId rule{};
};

struct GeneratorStats {
  uint64_t events = 0;                        // lines emitted
  std::vector<IntendedViolation> violations;  // in output order
};

// Calls `emit` once per JSON line (no trailing newline), in output order.
// `stats`, when given, is filled in as the lines are emitted.
void GenerateChains(const GeneratorOptions& opts,
                    const std::function<void(const std::string&)>& emit,
                    GeneratorStats* stats = nullptr);

}  // namespace ledger::gen
