// Sample data that ships inside the binary (events/samples/*.jsonl).
#pragma once

#include <string_view>

namespace ledger::events {

// A complete procurement chain as JSON lines: units and suppliers, inventory
// and the public warehouse, budget (with a rejected import line), requirement,
// SME-reserved tender, bids, award, complaint and ruling, contract and
// amendment, two acceptances, two payments, the new assets, an audit finding.
std::string_view DemoChainJsonl();

}  // namespace ledger::events
