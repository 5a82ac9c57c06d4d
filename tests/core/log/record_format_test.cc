#include "core/log/record_format.h"

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

TEST_CASE("a Sha256 context streams across blocks and starts afresh after Final") {
  // FIPS 180-2 test vectors: the empty string, and 56 bytes (two blocks).
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256 sha;
  CHECK(ToHex(sha.Final()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (size_t split : {size_t{0}, size_t{1}, size_t{55}}) {
    CAPTURE(split);
    Hash h = sha.Update(std::string_view(two_blocks).substr(0, split))
                 .Update(std::string_view(two_blocks).substr(split))
                 .Final();
    CHECK(ToHex(h) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  // A million 'a's, fed in pieces that straddle block boundaries.
  const std::string piece(1000, 'a');
  for (int i = 0; i < 1000; ++i) sha.Update(piece);
  CHECK(ToHex(sha.Final()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("times print as RFC 3339 UTC") {
  CHECK(FormatMicros(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(FormatMicros(1751246100123456) == "2025-06-30T01:15:00.123456Z");
}

}  // namespace
}  // namespace ledger::core
