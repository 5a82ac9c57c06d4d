// Builders of event JSON lines and event bytes for tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ledger::testing {

// A valid PaymentMade line with id "evt-<n>" (and payment id "PAY-<n>").
std::string PaymentLine(uint64_t n);
nlohmann::json PaymentJson(uint64_t n);

// A UnitRegistered line for unit "U-<n>" with id "evt-unit-<n>": valid under
// every control rule, whatever the ledger holds (as long as n is new).
std::string UnitLine(uint64_t n);

// `count` valid event bytes (PaymentMade), ids starting at `first`.
std::vector<std::string> PaymentEvents(uint64_t first, size_t count);

// The lines of events/samples/demo-chain.jsonl.
std::vector<std::string> DemoChainLines();

// The example JSON lines of events/README.md (inside ```json blocks).
std::vector<std::string> ReadmeExampleLines();

}  // namespace ledger::testing
