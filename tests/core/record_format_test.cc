#include "core/record_format.h"

#include <doctest/doctest.h>

namespace ledger::core {
namespace {

TEST_CASE("a record round-trips and its header is big-endian") {
  std::string r;
  AppendRecord(0x0102030405060708ULL, 1751246100000000, "EVENT", &r);
  REQUIRE(r.size() == kRecordHeaderSize + 5);
  CHECK(static_cast<uint8_t>(r[0]) == kRecordVersion);
  CHECK(static_cast<uint8_t>(r[1]) == 0x01);
  CHECK(static_cast<uint8_t>(r[8]) == 0x08);
  auto v = DecodeRecord(r);
  REQUIRE(v.ok());
  CHECK(v->position == 0x0102030405060708ULL);
  CHECK(v->recorded_at_us == 1751246100000000);
  CHECK(v->event == "EVENT");
  CHECK(v->bytes == r);
}

TEST_CASE("short or unknown records are corruption") {
  std::string r;
  AppendRecord(1, 2, "", &r);
  CHECK(DecodeRecord(r).ok());
  for (size_t n = 0; n < kRecordHeaderSize; ++n) {
    CHECK(DecodeRecord(std::string_view(r).substr(0, n)).status().IsCorruption());
  }
  r[0] = 2;
  auto bad = DecodeRecord(r);
  CHECK(bad.status().IsCorruption());
  CHECK(bad.status().message() == "unknown record version 2");
}

TEST_CASE("the chain link is SHA-256(previous || record)") {
  // SHA-256("abc"), FIPS 180-2 test vector.
  CHECK(ToHex(Sha256Of("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Of("a", "bc") == Sha256Of("abc"));
  Hash zero{};
  CHECK(ChainHash(zero, "rec") == Sha256Of(std::string(32, '\0'), "rec"));
}

TEST_CASE("times print as RFC 3339 UTC") {
  CHECK(FormatMicros(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(FormatMicros(1751246100123456) == "2025-06-30T01:15:00.123456Z");
}

}  // namespace
}  // namespace ledger::core
