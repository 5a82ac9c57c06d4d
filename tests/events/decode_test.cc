#include <doctest/doctest.h>

#include "events/codec.h"
#include "tests/support/event_json.h"

namespace ledger::events {
namespace {

std::string SomeEvent() { return testing::PaymentEvents(1, 1).at(0); }

TEST_CASE("valid bytes decode") {
  auto e = DecodeEvent(SomeEvent());
  REQUIRE(e.ok());
  CHECK((*e)->data_type() == fb::Payload::PaymentMade);
  CHECK(EntityIdOf(**e) == "PAY-1");
}

TEST_CASE("truncated bytes are corruption, at every length") {
  std::string bytes = SomeEvent();
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto e = DecodeEvent(std::string_view(bytes).substr(0, n));
    CAPTURE(n);
    CHECK(e.status().IsCorruption());
  }
}

TEST_CASE("a wrong file identifier is corruption") {
  std::string bytes = SomeEvent();
  bytes[8] = 'X';  // after the u32 size prefix and the root offset
  auto e = DecodeEvent(bytes);
  REQUIRE(e.status().IsCorruption());
  CHECK(e.status().message().find("file identifier") != std::string::npos);
  CHECK(DecodeEvent("not a flatbuffer at all").status().IsCorruption());
}

TEST_CASE("an unknown union tag is corruption") {
  std::string bytes = SomeEvent();
  const fb::Event* e = DecodeEvent(bytes).value();
  // Find the stored type byte and set it past the last known type.
  auto offset =
      reinterpret_cast<const char*>(
          reinterpret_cast<const flatbuffers::Table*>(e)->GetAddressOf(fb::Event::VT_DATA_TYPE)) -
      bytes.data();
  REQUIRE(static_cast<uint8_t>(bytes[offset]) == static_cast<uint8_t>(fb::Payload::PaymentMade));
  for (int tag : {0, kEventTypeCount + 1, 255}) {
    bytes[offset] = static_cast<char>(tag);
    auto bad = DecodeEvent(bytes);
    CAPTURE(tag);
    CHECK(bad.status().IsCorruption());
  }
}

TEST_CASE("every flipped byte either fails verification or decodes safely") {
  // The verifier guards structure; content flips are the hash chain's job
  // (tests/core/chain_verifier_test.cc). Neither may crash.
  std::string bytes = SomeEvent();
  int rejected = 0;
  JsonCodec codec;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string b = bytes;
      b[i] = static_cast<char>(b[i] ^ mask);
      auto e = DecodeEvent(b);
      if (!e.ok()) {
        ++rejected;
        CHECK(e.status().IsCorruption());
      } else {
        (void)codec.ToJson(**e);  // reading every field must be safe
      }
    }
  }
  CHECK(rejected > 0);
}

}  // namespace
}  // namespace ledger::events
