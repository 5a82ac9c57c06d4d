#include "core/util/money.h"

#include <fmt/core.h>

namespace ledger::core {

std::string FormatYuan(uint64_t fen) {
  std::string yuan = std::to_string(fen / 100);
  for (size_t i = yuan.size(); i > 3; i -= 3) yuan.insert(i - 3, ",");
  return fmt::format("¥{}.{:02}", yuan, fen % 100);
}

std::string FormatYuan(int64_t fen) {
  // Through unsigned arithmetic: -INT64_MIN does not fit an int64_t.
  if (fen >= 0) return FormatYuan(static_cast<uint64_t>(fen));
  return "-" + FormatYuan(uint64_t{0} - static_cast<uint64_t>(fen));
}

}  // namespace ledger::core
