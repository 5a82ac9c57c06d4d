#include "events/codec.h"

#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "events/codes.h"
#include "events/limits.h"
#include "tests/events/hostile_events.h"
#include "tests/support/event_json.h"
#include "tests/support/ledger_cli.h"

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

// ---- input limits (events/README.md, "Input limits") ----------------------

constexpr std::string_view kNow = "2026-01-01T00:00:00Z";  // the ledger's clock below

int64_t NowMicros() { return DateTimeMicros(kNow).value(); }

// The refusal of a raw line (for what a JSON library would not write).
std::string ErrorOfLine(const std::string& line) {
  JsonCodec codec(NowMicros);
  auto r = codec.Parse(line);
  REQUIRE_MESSAGE(!r.ok(), line.substr(0, 200));
  CHECK(r.status().code() == Status::Code::kInvalidArgument);
  return r.status().message();
}

bool Accepted(const std::string& line) {
  JsonCodec codec(NowMicros);
  auto r = codec.Parse(line);
  CHECK_MESSAGE(r.ok(), r.status().ToString());
  return r.ok();
}

// `line` with its first `from` replaced by `to`.
std::string Edited(std::string line, std::string_view from, std::string_view to) {
  size_t at = line.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return line.replace(at, from.size(), to);
}

std::string WithAmount(std::string_view literal) {
  return Edited(testing::PaymentLine(1), "\"amount_fen\":1250001",
                "\"amount_fen\":" + std::string(literal));
}

json Demo(size_t i) { return json::parse(testing::DemoChainLines().at(i)); }

TEST_CASE("money: every *_fen field is at most 10^15 fen") {
  CHECK(Accepted(WithAmount("1000000000000000")));
  for (const char* n : {"1000000000000001", "9223372036854775808", "18446744073709551615"}) {
    CHECK(ErrorOfLine(WithAmount(n)) ==
          std::string("data.amount_fen: must be at most 1000000000000000, got ") + n);
  }
  // Every money field of every event type, nested ones too.
  int fields = 0;
  for (const auto& line : testing::ReadmeExampleLines()) {
    json j = json::parse(line);
    for (auto& [key, value] : j["data"].items()) {
      if (key.ends_with("_fen")) {
        json bad = j;
        bad["data"][key] = kMaxFen + 1;
        CHECK(ErrorOf(bad) == "data." + key + ": must be at most 1000000000000000, got " +
                                  std::to_string(kMaxFen + 1));
        ++fields;
      }
    }
  }
  CHECK(fields >= 12);
  json contract = Demo(26);
  contract["data"]["items"][0]["unit_price_fen"] = kMaxFen + 1;
  CHECK(ErrorOf(contract).starts_with("data.items[0].unit_price_fen: must be at most"));
}

TEST_CASE("numbers beyond 64 bits or a double, and overlong ones, are named with the field") {
  CHECK(ErrorOfLine(WithAmount("18446744073709551616")) ==
        "data.amount_fen: number 18446744073709551616 is out of range (more than 64 bits)");
  CHECK(ErrorOfLine(WithAmount("-9223372036854775809")) ==
        "data.amount_fen: number -9223372036854775809 is out of range (more than 64 bits)");
  CHECK(ErrorOfLine(WithAmount("1e400")) ==
        "data.amount_fen: number 1e400 is out of range (not a finite double)");
  CHECK(ErrorOfLine(WithAmount("-1e400")) ==
        "data.amount_fen: number -1e400 is out of range (not a finite double)");
  std::string tiny = "0." + std::string(40, '0') + "1";
  CHECK(ErrorOfLine(WithAmount(tiny)) ==
        "data.amount_fen: number literal of 43 characters is longer than 32");
  CHECK(ErrorOfLine(WithAmount("1" + std::string(400, '0'))) ==
        "data.amount_fen: number literal of 401 characters is longer than 32");
  CHECK(ErrorOfLine(WithAmount("1e2")) == "data.amount_fen: must be an integer, got 100.0");
  std::string contract = Demo(26).dump();
  CHECK(ErrorOfLine(Edited(contract, "\"quantity\":39", "\"quantity\":1e400")) ==
        "data.items[0].quantity: number 1e400 is out of range (not a finite double)");
}

TEST_CASE("a member given twice is refused, at every depth") {
  std::string line = testing::PaymentLine(1);
  CHECK(ErrorOfLine(WithAmount("1,\"amount_fen\":999999999")) ==
        "data.amount_fen: given twice (duplicate member name)");
  CHECK(ErrorOfLine(WithAmount("1,\"amount_fen\":1")) ==
        "data.amount_fen: given twice (duplicate member name)");
  CHECK(ErrorOfLine(Edited(line, "\"id\":\"evt-1\"", "\"id\":\"evt-1\",\"id\":\"evt-2\"")) ==
        "id: given twice (duplicate member name)");
  CHECK(ErrorOfLine(Edited(line, "{", "{\"position\":1,\"position\":2,")) ==
        "position: given twice (duplicate member name)");
  std::string contract = Demo(26).dump();
  CHECK(ErrorOfLine(Edited(contract, "\"quantity\":39", "\"quantity\":39,\"quantity\":40")) ==
        "data.items[0].quantity: given twice (duplicate member name)");
}

TEST_CASE("the text must be UTF-8 and JSON: what is wrong is named where it is") {
  std::string supplier = Demo(2).dump();  // SupplierRegistered, a Chinese name
  const std::string shanghai = "上海";
  size_t at = supplier.find(shanghai);
  for (std::string bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe4\xb8", "\xf4\x90\x80\x80"}) {
    std::string line = supplier;
    line.replace(at, shanghai.size(), bad + "x");
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bad[0]));
    CHECK(ErrorOfLine(line) == "data.name: invalid UTF-8 (byte " + std::string(hex) +
                                   " at offset " + std::to_string(at) + " of the line)");
  }
  std::string in_name = Edited(supplier, "\"scale\"",
                               "\"sc\xff"
                               "ale\"");
  CHECK(ErrorOfLine(in_name).starts_with("data: in a member name: invalid UTF-8 (byte 0xFF"));
  std::string query = Demo(9).dump();  // WarehouseQueried
  CHECK(ErrorOfLine(Edited(query, "AST-2019", "AST-\xfe"))
            .starts_with("data.matched_asset_ids[0]: invalid UTF-8 (byte 0xFE"));
  CHECK(ErrorOfLine(Edited(supplier, shanghai, "\t")) ==
        "data.name: control character U+0009 must be written as \\u0009");
  CHECK(ErrorOfLine(Edited(supplier, shanghai, std::string(1, '\0'))) ==
        "data.name: control character U+0000 must be written as \\u0000");
  // A carriage return outside strings is whitespace, not a control character to escape.
  CHECK(ErrorOfLine(supplier.substr(0, supplier.size() - 1) + ",\r") == "malformed JSON");
  CHECK(ErrorOfLine(Edited(supplier, shanghai, "\\ud800")) ==
        "data.name: malformed JSON (invalid string: surrogate U+D800..U+DBFF must be followed "
        "by U+DC00..U+DFFF)");
  CHECK(ErrorOfLine(Edited(supplier, "\"scale\":", "\"scale\"")) ==
        "data.scale: malformed JSON (unexpected string literal; expected ':')");
  // Nested deeper than the schema can be.
  std::string contract = Demo(26).dump();
  CHECK(ErrorOfLine(Edited(contract, "\"quantity\":39", "\"quantity\":[[[[[39]]]]]")) ==
        "data.items[0].quantity[0][0][0][0]: nested deeper than 8 levels");
}

TEST_CASE("ids and codes: letters, digits and -_.:/@+, at most 128 bytes") {
  json j = Demo(8);  // DemandRaised
  j["data"]["demand_id"] = std::string(
      "DEM-\0"
      "3",
      5);
  CHECK(ErrorOf(j) ==
        "data.demand_id: U+0000 at byte 4 is not allowed in an id (letters, digits and -_.:/@+)");
  std::vector<std::string> bad;
  for (int c = 0; c <= 0x20; ++c) bad.push_back(std::string(1, static_cast<char>(c)));
  for (const char* s : {"\x7f", "#", "\"", "é", "中", "А" /* Cyrillic */, "\xc2\x85"}) {
    bad.push_back(s);
  }
  for (const std::string& c : bad) {
    for (const char* field : {"id", "actor", "correlation_id"}) {
      json p = PaymentJson(1);
      p[field] = "x" + c;
      CAPTURE(field);
      CAPTURE(c);
      CHECK(ErrorOf(p).starts_with(std::string(field) + ": "));
      CHECK(ErrorOf(p).find(" at byte 1 is not allowed in an id") != std::string::npos);
    }
    json p = PaymentJson(1);
    p["data"]["payment_id"] = "PAY" + c;
    CHECK(ErrorOf(p).starts_with("data.payment_id: "));
  }
  json p = PaymentJson(1);
  p["data"]["payment_id"] = "a-b_c.d:e/f@g+h-0123456789-XYZ";
  CHECK(Accepted(p.dump()));
  p["data"]["payment_id"] = std::string(kMaxIdBytes, 'P');
  CHECK(Accepted(p.dump()));
  p["data"]["payment_id"] = std::string(kMaxIdBytes + 1, 'P');
  CHECK(ErrorOf(p) == "data.payment_id: an id of 129 bytes is longer than 128");
  json query = Demo(9);
  query["data"]["matched_asset_ids"][0] = "AST 1";
  CHECK(ErrorOf(query) ==
        "data.matched_asset_ids[0]: U+0020 at byte 3 is not allowed in an id "
        "(letters, digits and -_.:/@+)");
  json supplier = Demo(2);
  supplier["data"]["credit_code"] =
      "\x01"
      "1310115MA1K4ABC05";
  CHECK(ErrorOf(supplier).starts_with("data.credit_code: U+0001 at byte 0 is not allowed"));
}

TEST_CASE("free text: any Unicode but control characters, newlines allowed, at most 8 KiB") {
  json j = Demo(2);
  j["data"]["name"] = "上海\n浦江";
  CHECK(Accepted(j.dump()));
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\n') continue;
    j["data"]["name"] = "上" + std::string(1, static_cast<char>(c));
    char want[96];
    std::snprintf(want, sizeof want,
                  "data.name: control character U+%04X at byte 3 is not allowed in text "
                  "(newlines are)",
                  c);
    CHECK(ErrorOf(j) == want);
  }
  j["data"]["name"] = "a\x7f";
  CHECK(ErrorOf(j).starts_with("data.name: control character U+007F at byte 1"));
  j["data"]["name"] = "a\xc2\x85";  // NEL, a C1 control
  CHECK(ErrorOf(j).starts_with("data.name: control character U+0085 at byte 1"));
  std::string text;
  while (text.size() + 3 <= kMaxTextBytes) text += "浦";
  while (text.size() < kMaxTextBytes) text += "x";
  j["data"]["name"] = text;
  CHECK(Accepted(j.dump()));
  j["data"]["name"] = text + "x";
  CHECK(ErrorOf(j) == "data.name: text of 8193 bytes is longer than 8192");
  json finding = Demo(34);  // FindingRecorded: its text in a nested position of the schema
  finding["data"]["text"] = "ok\x1b[31m";
  CHECK(ErrorOf(finding).starts_with("data.text: control character U+001B at byte 2"));
}

TEST_CASE("a line is at most 64 KiB and a list at most 1,000 elements, the culprit named") {
  json j = Demo(2);
  j["data"]["name"] = std::string(12 << 20, 'x');
  std::string line = j.dump();
  CHECK(ErrorOfLine(line) == "data.name: a value of 12582912 bytes makes the line " +
                                 std::to_string(line.size()) + " bytes, longer than 65536");
  json query = Demo(9);
  query["data"]["matched_asset_ids"] = json::array();
  for (int i = 0; i < 1000; ++i)
    query["data"]["matched_asset_ids"].push_back("A" + std::to_string(i));
  CHECK(Accepted(query.dump()));
  query["data"]["matched_asset_ids"].push_back("A-last");
  CHECK(ErrorOf(query) == "data.matched_asset_ids: a list of 1001 elements is longer than 1000");
  for (int i = 0; i < 20000; ++i)
    query["data"]["matched_asset_ids"].push_back("AST-" + std::to_string(i));
  line = query.dump();
  CHECK(ErrorOfLine(line) == "data.matched_asset_ids: a list of 21001 elements makes the line " +
                                 std::to_string(line.size()) + " bytes, longer than 65536");
  line = testing::PaymentLine(1) + std::string(kMaxLineBytes, ' ');
  CHECK(ErrorOfLine(line) ==
        "a line of " + std::to_string(line.size()) + " bytes is longer than 65536");
}

TEST_CASE("business time: from 2000-01-01 to 3,653 days after the ledger's clock") {
  const int64_t day = 86'400'000'000;
  REQUIRE(DateTimeMicros("2036-01-02T00:00:00Z").value() - NowMicros() == kMaxFutureDays * day);
  json j = PaymentJson(1);
  for (const char* ok : {"2000-01-01T00:00:00Z", "2000-01-01T08:00:00+08:00",
                         "2036-01-02T00:00:00Z", "2036-01-02T08:00:00+08:00"}) {
    j["time"] = ok;
    CHECK(Accepted(j.dump()));
  }
  for (const char* early :
       {"1999-12-31T23:59:59.999999Z", "2000-01-01T07:59:59+08:00", "0001-03-03T09:00:00+08:00"}) {
    j["time"] = early;
    CHECK(ErrorOf(j) == "time: \"" + std::string(early) +
                            "\" is before 2000-01-01T00:00:00Z, the earliest business time the "
                            "ledger takes");
  }
  for (const char* late : {"2036-01-02T00:00:00.000001Z", "9999-03-03T09:00:00+08:00"}) {
    j["time"] = late;
    CHECK(ErrorOfLine(j.dump()) ==
          "time: \"" + std::string(late) + "\" is more than 3653 days after the ledger's clock");
  }
  // The window moves with the clock.
  j["time"] = "2036-01-02T00:00:00.000001Z";
  JsonCodec later([] { return NowMicros() + 86'400'000'000; });
  CHECK(later.Parse(j.dump()).ok());
  // Dates in data: a calendar window only.
  json asset = Demo(6);  // AssetInventoried
  for (const char* ok : {"1900-01-01", "2199-12-31"}) {
    asset["data"]["acquired_on"] = ok;
    CHECK(Accepted(asset.dump()));
  }
  asset["data"]["acquired_on"] = "0001-09-01";
  CHECK(ErrorOf(asset) == "data.acquired_on: \"0001-09-01\": the year is outside 1900-2199");
  json tender = Demo(19);
  tender["data"]["deadline"] = "9999-04-20T17:00:00+08:00";
  CHECK(ErrorOf(tender) ==
        "data.deadline: \"9999-04-20T17:00:00+08:00\": the year is outside 1900-2199");
}

bool PrintableUtf8(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  try {
    (void)json(s).dump();  // throws on bytes that are not UTF-8
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

TEST_CASE("messages quote and clip what the line held: printable UTF-8 whatever it was") {
  json j = PaymentJson(1);
  j["data"][std::string("\x01\x1b[31m") + std::string(100, 'k')] = 1;
  std::string m = ErrorOf(j);
  CHECK(m == "data.\"\\u0001\\u001b[31m" + std::string(31, 'k') + "...\": unknown field");
  CHECK(PrintableUtf8(m));
  j = PaymentJson(1);
  j["type"] = std::string("Pay\0\x1b", 5);
  CHECK(ErrorOf(j) == "type: unknown event type \"Pay\\u0000\\u001b\"");
  j = PaymentJson(1);
  std::string chinese;
  for (int i = 0; i < 20; ++i) chinese += "中";
  j["data"]["amount_fen"] = chinese;
  m = ErrorOf(j);
  CHECK(m.starts_with("data.amount_fen: must be an integer, got \"中中"));
  CHECK(m.ends_with("..."));
  CHECK(PrintableUtf8(m));
}

TEST_CASE("every generated chain passes the limits") {
  auto gen = testing::Ledger({"gen", "--chains", "300", "--seed", "7", "--violations", "0.2"});
  REQUIRE(gen.exit_code == 0);
  JsonCodec codec;
  std::istringstream lines(gen.out);
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    auto bytes = codec.Parse(line);
    CHECK_MESSAGE(bytes.ok(), line, " -> ", bytes.status().ToString());
  }
  CHECK(n > 4000);
}

TEST_CASE("sums of amounts saturate at the type's bound") {
  constexpr uint64_t u = std::numeric_limits<uint64_t>::max();
  constexpr int64_t i = std::numeric_limits<int64_t>::max();
  CHECK(AddFen(kMaxFen, kMaxFen) == 2 * kMaxFen);
  CHECK(AddFen(u - 1, uint64_t{1}) == u);
  CHECK(AddFen(u - 1, uint64_t{5}) == u);
  CHECK(AddFen(u, u) == u);
  CHECK(AddFen(i - 1, int64_t{5}) == i);
  CHECK(AddFen(-i, int64_t{-5}) == std::numeric_limits<int64_t>::min());
  CHECK(AddFen(i, -i) == 0);
}

// ---- output -----------------------------------------------------------------

TEST_CASE("printed events are strict JSON whatever the stored bytes hold") {
  JsonCodec codec;
  const std::string read = testing::HostileAsRead();
  std::vector<std::string> events = testing::HostileChain(testing::Hostile());
  events.push_back(testing::HostileContract(testing::Hostile()));
  for (const auto& bytes : events) {
    const fb::Event* e = DecodeEvent(bytes).value();
    CAPTURE(TypeName(e->data_type()));
    std::string out = codec.ToJson(*e, {7, "2026-01-01T00:00:00.000000Z", "00ff"});
    CHECK(PrintableUtf8(out));
    CHECK(out.find("中文") != std::string::npos);  // UTF-8 stays as it is
    json j;
    REQUIRE_NOTHROW(j = json::parse(out));  // throws on raw control characters, bad UTF-8
    CHECK(j["actor"] == read);
    CHECK(j["time"] == read);
    CHECK(j["correlation_id"] == read);
    CHECK(j["id"].get<std::string>().ends_with(read));
    json data;
    REQUIRE_NOTHROW(data = json::parse(codec.DataToJson(*e)));
    CHECK(data == j["data"]);
    switch (e->data_type()) {
      case fb::Payload::UnitRegistered:
        CHECK(j["entity_id"] == "U-" + read);
        CHECK(data["name"] == read);
        break;
      case fb::Payload::WarehouseQueried:
        CHECK(data["matched_asset_ids"][0] == "AST-" + read);
        break;
      case fb::Payload::ContractSigned:
        CHECK(data["items"][0]["spec"] == read);
        CHECK(data["acceptance_method"] == read);
        break;
      default:
        CHECK(data["spec"] == read);
    }
    // What the ledger prints of such an event, it would not take back.
    auto again = codec.Parse(out);
    CHECK(again.status().code() == Status::Code::kInvalidArgument);
  }
}

TEST_CASE("bytes that are not UTF-8 print as nlohmann::json's replacing dump has them") {
  // `ledger show` and `trace` print stored strings through nlohmann::json, `log` through the
  // codec: one stored string must read the same in all three.
  JsonCodec codec;
  uint64_t seed = 1;
  auto next = [&] { return (seed = seed * 6364136223846793005u + 1442695040888963407u) >> 33; };
  const char* pieces[] = {"a",    "\x80", "\xbf", "\xc2", "\xe4", "\xb8", "\xad", "\xed", "\xa0",
                          "\xf0", "\x90", "\xf4", "\x8f", "\xff", "\x01", "\x7f", "\\",   "中"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (uint64_t n = next() % 12; n > 0; --n) text += pieces[next() % std::size(pieces)];
    CAPTURE(json(text).dump(-1, ' ', true, json::error_handler_t::replace));
    std::string bytes = testing::HostileContract(text);
    const fb::Event* e = DecodeEvent(bytes).value();
    json j = json::parse(codec.ToJson(*e));
    std::string want = json::parse(json(text).dump(-1, ' ', false, json::error_handler_t::replace));
    CHECK(j["actor"] == want);
    CHECK(j["data"]["items"][0]["spec"] == want);
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
