// The input limits and the strict output seen through the `ledger` binary:
// what a refused line leaves (nothing), and what `log`, `show` and `trace
// --json` print of a store holding bytes the codec never admits.
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "events/limits.h"
#include "tests/events/hostile_events.h"
#include "tests/support/event_json.h"
#include "tests/support/ledger_cli.h"
#include "tests/support/temp_dir.h"

namespace ledger::testing {
namespace {

using events::kMaxFen;
using nlohmann::json;

// Each line of `out` read by a strict parser (raw control characters and bytes
// that are not UTF-8 throw).
std::vector<json> StrictLines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    CHECK_NOTHROW(lines.push_back(json::parse(line)));
  }
  return lines;
}

// The nodes of a trail, depth first.
void Nodes(const json& node, std::vector<json>* out) {
  out->push_back(node);
  if (node.contains("links")) {
    for (const auto& child : node["links"]) Nodes(child, out);
  }
}

TEST_CASE("a refused line is named with its line and field, and nothing is written") {
  TempDir tmp;
  std::string data = tmp.Sub("ledger");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  auto with = [](std::string from, std::string to) {
    std::string line = PaymentLine(1);
    return line.replace(line.find(from), from.size(), to);
  };
  json supplier = json::parse(DemoChainLines().at(2));
  supplier["data"]["name"] = std::string(12 << 20, 'x');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {with("1250001", "18446744073709551615"), "data.amount_fen: must be at most"},
      {with("1250001", "9223372036854775808"), "data.amount_fen: must be at most"},
      {with("1250001", "18446744073709551616"), "data.amount_fen: number 18446744073709551616"},
      {with("1250001", "1e400"), "data.amount_fen: number 1e400 is out of range"},
      {with("1250001", "1,\"amount_fen\":999999999"), "data.amount_fen: given twice"},
      {with("PAY-1", "PAY-\\u00003"), "data.payment_id: U+0000 at byte 4"},
      {with("2025-06-30", "0001-06-30"), "time: \"0001-06-30T09:15:00Z\" is before"},
      {with("2025-06-30", "9999-06-30"), "time: \"9999-06-30T09:15:00Z\" is more than"},
      {supplier.dump(), "data.name: a value of 12582912 bytes"},
      {with("CON-7", "CON-\xff"), "data.contract_id: invalid UTF-8 (byte 0xFF"},
  };
  std::string file = tmp.Sub("bad.jsonl");
  {
    std::ofstream out(file);
    for (const auto& [line, error] : cases) out << line << "\n";
  }
  auto r = Ledger({"append", "--data", data, "--json", file});
  CHECK(r.exit_code == 1);
  auto outcomes = JsonLines(r.out);
  REQUIRE(outcomes.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i);
    CHECK(outcomes[i]["line"] == i + 1);
    CHECK(outcomes[i]["error"].get<std::string>().starts_with(cases[i].second));
    CHECK_FALSE(outcomes[i].contains("position"));
    CHECK_FALSE(outcomes[i].contains("evidence_position"));
  }
  auto human = Ledger({"append", "--data", data, file});
  CHECK(human.out.find("bad.jsonl:5: refused: data.amount_fen: given twice") != std::string::npos);
  CHECK(Ledger({"log", "--data", data}).out.empty());  // no event, no evidence
  CHECK(Ledger({"verify", "--data", data}).exit_code == 0);
}

TEST_CASE("a unit's budget totals saturate instead of wrapping") {
  // 9,300 budget lines of the maximum amount on one unit: 9.3e18 fen, past 2^63.
  TempDir tmp;
  std::string data = tmp.Sub("ledger");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  std::vector<std::string> lines = {DemoChainLines().at(0), DemoChainLines().at(1),
                                    DemoChainLines().at(8)};
  json query = json::parse(DemoChainLines().at(9));
  query["data"]["matched_asset_ids"] = json::array();
  lines.push_back(query.dump());
  json budget = json::parse(DemoChainLines().at(11));
  budget["data"]["amount_fen"] = kMaxFen;
  for (int i = 0; i < 9300; ++i) {
    budget["id"] = "evt-bl-" + std::to_string(i);
    budget["data"]["budget_line_id"] = "BL-" + std::to_string(i);
    lines.push_back(budget.dump());
  }
  std::string input;
  for (const auto& line : lines) input += line + "\n";
  auto r = Ledger({"append", "--data", data, "--quiet"}, input);
  REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
  auto show = Ledger({"show", "--data", data, "--json", "310115-9042"});
  REQUIRE(show.exit_code == 0);
  json unit = json::parse(show.out);
  CHECK(unit["execution"]["requested_fen"] == std::numeric_limits<int64_t>::max());
}

TEST_CASE("ledger log, show and trace --json print strict JSON whatever the store holds") {
  TempDir tmp;
  std::string data = tmp.Sub("ledger");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  {
    // Past the codec, as an older or hostile writer would have stored them.
    auto log = core::OpenEmbeddedLog(data, core::OpenMode::kWrite).value();
    std::vector<core::LineOutcome> outcomes;
    auto service = core::CommandService::Open(*log, [&](const core::LineOutcome& o) {
                     outcomes.push_back(o);
                   }).value();
    uint64_t n = 0;
    for (auto& e : HostileChain(Hostile())) service->SubmitEvent(++n, e);
    REQUIRE(service->Flush().ok());
    REQUIRE(outcomes.size() == 4);
    for (const auto& o : outcomes) CHECK_MESSAGE(o.error.ok(), o.error.ToString());
  }
  const std::string read = HostileAsRead();

  auto log = Ledger({"log", "--data", data});
  REQUIRE(log.exit_code == 0);
  auto events = StrictLines(log.out);
  REQUIRE(events.size() == 4);
  for (const auto& e : events) {
    CHECK(e["actor"] == read);
    CHECK(e["time"] == read);
  }
  CHECK(events[0]["data"]["name"] == read);
  CHECK(events[0]["entity_id"] == "U-" + read);
  CHECK(events[3]["data"]["matched_asset_ids"][0] == "AST-" + read);

  auto show = Ledger({"show", "--data", data, "--json", "DEM-CTL-1"});
  REQUIRE(show.exit_code == 0);
  auto shown = StrictLines(show.out);
  REQUIRE(shown.size() == 1);
  CHECK(shown[0]["fields"]["unit_code"] == "U-" + read);
  CHECK(shown[0]["fields"]["justification"] == read);
  CHECK(shown[0]["fields"]["matched_asset_ids"][0] == "AST-" + read);

  auto trace = Ledger({"trace", "--data", data, "--json", "DEM-CTL-1"});
  REQUIRE(trace.exit_code == 0);
  auto trail = StrictLines(trace.out);
  REQUIRE(trail.size() == 1);
  std::vector<json> nodes;
  Nodes(trail[0], &nodes);
  bool unit = false;
  for (const auto& n : nodes) {
    CHECK(n["time"] == read);
    unit = unit || n["entity_id"] == "U-" + read;
  }
  CHECK(unit);

  // A second strict reader, the one the issue saw break on a raw NUL.
  if (access("/usr/bin/python3", X_OK) == 0) {
    auto py = Run({"/usr/bin/python3", "-c",
                   "import json, sys\n"
                   "for line in sys.stdin: json.loads(line)\n"},
                  log.out + show.out + trace.out);
    CHECK_MESSAGE(py.exit_code == 0, py.err);
  }
}

}  // namespace
}  // namespace ledger::testing
