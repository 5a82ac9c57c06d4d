// Validation of the codes and formats that the procurement world uses.
//
// Pure functions, thread-safe. Each returns OK or an InvalidArgument whose
// message says what is wrong with the value (the caller adds the field name).
#pragma once

#include <cstdint>
#include <string_view>

#include "events/status.h"

namespace ledger::events {

// 18-character unified social credit code (统一社会信用代码, GB 32100-2015):
// characters from "0123456789ABCDEFGHJKLMNPQRTUWXY", last one the check
// character over the first 17 (weights 3^i mod 31).
Status CheckCreditCode(std::string_view code);

// The check character GB 32100-2015 assigns to the first 17 characters, or
// '\0' when one of them is not in the code's alphabet. Used by generators.
char CreditCodeCheckChar(std::string_view first17);

// Government procurement catalog code (政府采购品目分类目录): A (goods),
// B (works) or C (services), then 2 to 12 digits, e.g. "A02010104".
Status CheckCategoryCode(std::string_view code);

// 310000 for the city, or one of the 16 Shanghai district codes.
Status CheckRegionCode(std::string_view code);

// RFC 3339 date-time, e.g. "2025-06-30T09:15:00Z" or "...09:15:00.5+08:00".
Status CheckDateTime(std::string_view text);

// Microseconds since the Unix epoch of a valid RFC 3339 date-time (offset
// applied; fractions beyond microseconds dropped); InvalidArgument otherwise.
Result<int64_t> DateTimeMicros(std::string_view text);

// A calendar date, YYYY-MM-DD.
Status CheckDate(std::string_view text);

}  // namespace ledger::events
