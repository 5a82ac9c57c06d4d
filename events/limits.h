// The input limits the codec enforces on every event line (JsonCodec::Parse),
// and the saturating sums of amounts the rules and projections use. The table
// with the reasons for each value: events/README.md, "Input limits".
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace ledger::events {

inline constexpr size_t kMaxLineBytes = 64 * 1024;          // one JSON line
inline constexpr size_t kMaxDepth = 8;                      // objects and lists inside each other
inline constexpr size_t kMaxNumberChars = 32;               // one number literal
inline constexpr size_t kMaxIdBytes = 128;                  // an id or code
inline constexpr size_t kMaxTextBytes = 8 * 1024;           // a free-text field (text)
inline constexpr size_t kMaxListLength = 1000;              // elements of a list
inline constexpr uint64_t kMaxFen = 1'000'000'000'000'000;  // every *_fen: 10^15 fen
// The characters of ids and codes, besides ASCII letters and digits.
inline constexpr std::string_view kIdPunctuation = "-_.:/@+";
// The envelope's business `time`: from this instant to kMaxFutureDays after
// the ledger's clock.
inline constexpr std::string_view kEarliestBusinessTime = "2000-01-01T00:00:00Z";
inline constexpr int64_t kMaxFutureDays = 3653;
// Dates and date-times in `data` (deadline, acquired_on): these years.
inline constexpr int kFirstDataYear = 1900;
inline constexpr int kLastDataYear = 2199;

// A sum of amounts. Each amount is at most kMaxFen, but a total over many
// events is not bounded by it (9,224 payments of 10^15 fen pass 2^63): the
// sum stops at the type's bound instead of wrapping.
inline uint64_t AddFen(uint64_t a, uint64_t b) {
  uint64_t sum;
  return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<uint64_t>::max() : sum;
}
inline int64_t AddFen(int64_t a, int64_t b) {
  int64_t sum;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

}  // namespace ledger::events
