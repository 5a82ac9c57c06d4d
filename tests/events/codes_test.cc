#include "events/codes.h"

#include <doctest/doctest.h>

namespace ledger::events {
namespace {

TEST_CASE("unified social credit codes (GB 32100-2015)") {
  // Published examples, and their check characters.
  CHECK(CheckCreditCode("91350100M000100Y43").ok());
  CHECK(CheckCreditCode("91110000600037341L").ok());
  CHECK(CreditCodeCheckChar("91350100M000100Y4") == '3');
  CHECK(CreditCodeCheckChar("91110000600037341") == 'L');
  // A check value of 0 maps to '0', not to '31'.
  for (char c : std::string_view("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
    std::string first17 = std::string("9131011500000000") + c;
    std::string code = first17 + CreditCodeCheckChar(first17);
    CHECK(CheckCreditCode(code).ok());
  }
  CHECK_FALSE(CheckCreditCode("91350100M000100Y44").ok());
  CHECK_FALSE(CheckCreditCode("91350100M000100Y4").ok());    // 17 characters
  CHECK_FALSE(CheckCreditCode("91350100M000100Y433").ok());  // 19
  CHECK_FALSE(CheckCreditCode("91350100I000100Y43").ok());   // I is not in the alphabet
  CHECK_FALSE(CheckCreditCode("91350100m000100Y43").ok());   // lower case
  CHECK(CreditCodeCheckChar("9135010OM000100Y4") == '\0');
  CHECK(CheckCreditCode("91350100M000100Y44").message().find("GB 32100-2015 gives '3'") !=
        std::string::npos);
}

TEST_CASE("catalog codes") {
  CHECK(CheckCategoryCode("A02010104").ok());
  CHECK(CheckCategoryCode("B01").ok());
  CHECK(CheckCategoryCode("C0101").ok());
  CHECK_FALSE(CheckCategoryCode("D0101").ok());
  CHECK_FALSE(CheckCategoryCode("A").ok());
  CHECK_FALSE(CheckCategoryCode("A0").ok());
  CHECK_FALSE(CheckCategoryCode("A02x").ok());
  CHECK_FALSE(CheckCategoryCode("a0201").ok());
  CHECK_FALSE(CheckCategoryCode("A0201010401020").ok());  // 13 digits
}

TEST_CASE("region codes") {
  CHECK(CheckRegionCode("310000").ok());
  CHECK(CheckRegionCode("310115").ok());
  CHECK(CheckRegionCode("310151").ok());
  CHECK_FALSE(CheckRegionCode("310102").ok());  // merged into Huangpu in 2011
  CHECK_FALSE(CheckRegionCode("110000").ok());
}

TEST_CASE("RFC 3339 dates and times") {
  CHECK(CheckDateTime("2025-06-30T09:15:00Z").ok());
  CHECK(CheckDateTime("2025-06-30T09:15:00.123456+08:00").ok());
  CHECK(CheckDateTime("2024-02-29T23:59:60-05:00").ok());
  CHECK_FALSE(CheckDateTime("2025-02-29T00:00:00Z").ok());
  CHECK_FALSE(CheckDateTime("2025-06-30 09:15:00Z").ok());
  CHECK_FALSE(CheckDateTime("2025-06-30T09:15:00").ok());
  CHECK_FALSE(CheckDateTime("2025-06-30T24:00:00Z").ok());
  CHECK_FALSE(CheckDateTime("2025-06-30T09:15:00.Z").ok());
  CHECK_FALSE(CheckDateTime("2025-06-30T09:15:00+0800").ok());
  CHECK_FALSE(CheckDateTime("2025-06-30T09:15:00Zjunk").ok());
  CHECK(DateTimeMicros("1970-01-01T00:00:00Z").value() == 0);
  CHECK(DateTimeMicros("2025-06-30T09:15:00.5+08:00").value() == 1751246100500000);
  CHECK(DateTimeMicros("2025-06-30T01:15:00.5Z").value() == 1751246100500000);
  CHECK(DateTimeMicros("2000-03-01T00:00:00-01:30").value() == 951874200000000);
  CHECK_FALSE(DateTimeMicros("2025-06-30").ok());
  CHECK(CheckDate("2019-09-01").ok());
  CHECK_FALSE(CheckDate("2019-9-01").ok());
  CHECK_FALSE(CheckDate("2019-13-01").ok());
}

}  // namespace
}  // namespace ledger::events
