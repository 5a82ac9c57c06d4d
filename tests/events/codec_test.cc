#include "events/codec.h"

#include <doctest/doctest.h>

#include <set>

#include "tests/support/event_json.h"

namespace ledger::events {
namespace {

using nlohmann::json;
using testing::PaymentJson;

std::string ErrorOf(const json& j) {
  JsonCodec codec;
  auto r = codec.Parse(j.dump());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalidArgument);
  return r.status().message();
}

TEST_CASE("every event type has a documented example that round-trips") {
  JsonCodec codec;
  std::set<std::string> types;
  auto lines = testing::ReadmeExampleLines();
  REQUIRE(lines.size() == static_cast<size_t>(kEventTypeCount));
  for (const auto& line : lines) {
    CAPTURE(line);
    auto bytes = codec.Parse(line);
    REQUIRE_MESSAGE(bytes.ok(), bytes.status().ToString());
    const fb::Event* event = DecodeEvent(*bytes).value();
    types.insert(std::string(TypeName(event->data_type())));

    // JSON -> bytes -> JSON -> bytes -> JSON is a fixed point, and keeps every field.
    std::string printed = codec.ToJson(*event);
    auto again = codec.Parse(printed);
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    CHECK(codec.ToJson(*DecodeEvent(*again).value()) == printed);
    json in = json::parse(line), out = json::parse(printed);
    CHECK(out["data"] == in["data"]);
    for (const char* k : {"type", "id", "actor", "time"}) CHECK(out[k] == in[k]);

    // The entity is the first field of the payload.
    auto first = nlohmann::ordered_json::parse(line)["data"].begin().value();
    CHECK(out["entity_id"] == (first.is_string() && out["type"] != "ControlViolationRecorded"
                                   ? first.get<std::string>()
                                   : out["id"].get<std::string>()));
  }
  CHECK(types.size() == static_cast<size_t>(kEventTypeCount));
}

TEST_CASE("the demo chain parses") {
  JsonCodec codec;
  for (const auto& line : testing::DemoChainLines()) {
    auto bytes = codec.Parse(line);
    CHECK_MESSAGE(bytes.ok(), line, " -> ", bytes.status().ToString());
  }
}

TEST_CASE("ledger fields printed by `ledger log` are ignored on input") {
  json j = PaymentJson(1);
  j["position"] = 7;
  j["recorded_at"] = "2026-01-01T00:00:00Z";
  j["hash"] = "00";
  j["entity_id"] = "X";
  j["schema_version"] = 1;
  JsonCodec codec;
  auto with = codec.Parse(j.dump());
  REQUIRE(with.ok());
  CHECK(*with == codec.Parse(PaymentJson(1).dump()).value());
}

TEST_CASE("bad input is refused, naming the field") {
  JsonCodec codec;
  SUBCASE("malformed JSON") {
    auto r = codec.Parse("{\"type\": \"PaymentMade\",");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "malformed JSON");
  }
  SUBCASE("not an object") { CHECK(ErrorOf(json::array()) == "an event must be a JSON object"); }
  SUBCASE("unknown type") {
    json j = PaymentJson(1);
    j["type"] = "PaymentMaid";
    CHECK(ErrorOf(j) == "type: unknown event type \"PaymentMaid\"");
  }
  SUBCASE("missing type, id, data") {
    for (const char* k : {"type", "id", "actor", "time", "data"}) {
      json j = PaymentJson(1);
      j.erase(k);
      CHECK(ErrorOf(j) == std::string(k) + ": missing");
    }
  }
  SUBCASE("unknown envelope member") {
    json j = PaymentJson(1);
    j["colour"] = "red";
    CHECK(ErrorOf(j) == "colour: unknown field");
  }
  SUBCASE("unknown data field") {
    json j = PaymentJson(1);
    j["data"]["tip_fen"] = 5;
    CHECK(ErrorOf(j) == "data.tip_fen: unknown field");
  }
  SUBCASE("missing string and scalar fields") {
    json j = PaymentJson(1);
    j["data"].erase("contract_id");
    CHECK(ErrorOf(j) == "data.contract_id: missing");
    j = PaymentJson(1);
    j["data"].erase("amount_fen");
    CHECK(ErrorOf(j) == "data.amount_fen: missing");
    j = PaymentJson(1);
    j["data"]["amount_fen"] = nullptr;
    CHECK(ErrorOf(j) == "data.amount_fen: missing");
  }
  SUBCASE("ill-typed values") {
    json j = PaymentJson(1);
    j["data"]["amount_fen"] = "5";
    CHECK(ErrorOf(j) == "data.amount_fen: must be an integer, got \"5\"");
    j["data"]["amount_fen"] = 5.5;
    CHECK(ErrorOf(j) == "data.amount_fen: must be an integer, got 5.5");
    j = PaymentJson(1);
    j["data"]["contract_id"] = 7;
    CHECK(ErrorOf(j) == "data.contract_id: must be a string, got 7");
    j = PaymentJson(1);
    j["data"]["contract_id"] = "";
    CHECK(ErrorOf(j) == "data.contract_id: must not be empty");
  }
  SUBCASE("negative and out-of-range money") {
    json j = PaymentJson(1);
    j["data"]["amount_fen"] = -1;
    CHECK(ErrorOf(j) == "data.amount_fen: must not be negative, got -1");
  }
  SUBCASE("booleans, enums, lists, nested tables") {
    json j = json::parse(testing::DemoChainLines().at(2));  // SupplierRegistered
    j["data"]["e_licence_verified"] = 1;
    CHECK(ErrorOf(j) == "data.e_licence_verified: must be true or false, got 1");
    j = json::parse(testing::DemoChainLines().at(2));
    j["data"]["scale"] = "tiny";
    CHECK(ErrorOf(j) == "data.scale: must be one of large, medium, small, micro, got \"tiny\"");
    j = json::parse(testing::DemoChainLines().at(9));  // WarehouseQueried
    j["data"]["matched_asset_ids"] = "AST-1";
    CHECK(ErrorOf(j) == "data.matched_asset_ids: must be a list, got \"AST-1\"");
    j["data"]["matched_asset_ids"] = json::array({"AST-1", 2});
    CHECK(ErrorOf(j) == "data.matched_asset_ids[1]: must be a string, got 2");
    j = json::parse(testing::DemoChainLines().at(26));  // ContractSigned
    j["data"]["items"][0].erase("unit_price_fen");
    CHECK(ErrorOf(j) == "data.items[0].unit_price_fen: missing");
    j = json::parse(testing::DemoChainLines().at(26));
    j["data"]["items"][0]["category"] = "D01";
    CHECK(ErrorOf(j).starts_with("data.items[0].category: \"D01\" is not a procurement catalog"));
  }
  SUBCASE("codes and dates") {
    json j = json::parse(testing::DemoChainLines().at(2));
    j["data"]["credit_code"] = "91310115MA1K4ABC06";
    CHECK(ErrorOf(j) ==
          "data.credit_code: \"91310115MA1K4ABC06\" has a wrong check character: '6', "
          "GB 32100-2015 gives '5'");
    j = json::parse(testing::DemoChainLines().at(1));  // UnitRegistered
    j["data"]["region"] = "310102";
    CHECK(ErrorOf(j).starts_with("data.region: \"310102\" is not a region code"));
    j = PaymentJson(1);
    j["time"] = "2025-02-30T09:00:00Z";
    CHECK(ErrorOf(j).starts_with("time: \"2025-02-30T09:00:00Z\" is not an RFC 3339"));
    j = json::parse(testing::DemoChainLines().at(19));  // TenderPublished
    j["data"]["sme_price_deduction_pct"] = 101;
    CHECK(ErrorOf(j) == "data.sme_price_deduction_pct: must be at most 100, got 101");
  }
  SUBCASE("optional fields may be left out or null") {
    json j = PaymentJson(1);
    j.erase("correlation_id");
    j["expected_version"] = nullptr;
    CHECK(codec.Parse(j.dump()).ok());
    j["expected_version"] = 3;
    auto bytes = codec.Parse(j.dump());
    REQUIRE(bytes.ok());
    CHECK(DecodeEvent(*bytes).value()->expected_version().value() == 3);
  }
  SUBCASE("the codec keeps working after an error") {
    CHECK_FALSE(codec.Parse("{").ok());
    CHECK(codec.Parse(PaymentJson(2).dump()).ok());
  }
}

TEST_CASE("type names and tags") {
  CHECK(TypeName(fb::Payload::PaymentMade) == "PaymentMade");
  CHECK(TypeName(fb::Payload::NONE).empty());
  CHECK(TypeFromName("AwardDecided").value() == fb::Payload::AwardDecided);
  CHECK(TypeFromName("NONE").status().IsNotFound());
  CHECK(kEventTypeCount == 25);
}

}  // namespace
}  // namespace ledger::events
