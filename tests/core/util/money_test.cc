#include "core/util/money.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

namespace ledger::core {
namespace {

TEST_CASE("money for people: yuan with thousands separators and two decimals") {
  CHECK(FormatYuan(uint64_t{0}) == "¥0.00");
  CHECK(FormatYuan(uint64_t{7}) == "¥0.07");
  CHECK(FormatYuan(uint64_t{99999}) == "¥999.99");
  CHECK(FormatYuan(uint64_t{100000}) == "¥1,000.00");
  CHECK(FormatYuan(uint64_t{102000000}) == "¥1,020,000.00");
  CHECK(FormatYuan(uint64_t{12345678901}) == "¥123,456,789.01");
  CHECK(FormatYuan(std::numeric_limits<uint64_t>::max()) == "¥184,467,440,737,095,516.15");
  CHECK(FormatYuan(int64_t{-150000}) == "-¥1,500.00");
  CHECK(FormatYuan(std::numeric_limits<int64_t>::min()) == "-¥92,233,720,368,547,758.08");
}

}  // namespace
}  // namespace ledger::core
