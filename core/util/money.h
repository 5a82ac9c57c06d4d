// Money for people: integer fen (the events' unit) as yuan with thousands
// separators, "¥1,020,000.00". Every human-readable output and refusal reason
// that names an amount uses it; JSON keeps the integer fen.
#pragma once

#include <cstdint>
#include <string>

namespace ledger::core {

std::string FormatYuan(uint64_t fen);
// Negative amounts (a budget total after a reduction) as "-¥1,000.00".
std::string FormatYuan(int64_t fen);

}  // namespace ledger::core
