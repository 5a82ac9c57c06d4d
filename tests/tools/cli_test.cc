// End-to-end: the `ledger` binary as a user runs it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "core/log/record_format.h"
#include "tests/support/event_json.h"
#include "tests/support/ledger_cli.h"
#include "tests/support/store_tamper.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

TEST_CASE("every verb has --help") {
  for (std::vector<std::string> verb : {std::vector<std::string>{},
                                        {"init"},
                                        {"append"},
                                        {"log"},
                                        {"verify"},
                                        {"demo"},
                                        {"bench"},
                                        {"bench", "append"}}) {
    verb.push_back("--help");
    auto r = Ledger(verb);
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("help, --version and an unknown verb say what happened") {
  auto help = Ledger({"help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Verbs:") != std::string::npos);
  CHECK(help.out.find("verify-bundle") != std::string::npos);
  auto verb = Ledger({"help", "export"});
  CHECK(verb.exit_code == 0);
  CHECK(verb.out.find("Usage: ledger export") != std::string::npos);
  CHECK(verb.out.find("--from") != std::string::npos);
  CHECK(Ledger({"help", "bench", "append"}).out.find("Usage: ledger bench append") !=
        std::string::npos);

  auto version = Ledger({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(std::regex_match(version.out, std::regex("ledger [0-9]+\\.[0-9]+\\.[0-9]+\n")));

  for (const std::vector<std::string>& unknown :
       {std::vector<std::string>{"frobnicate"}, {"frobnicate", "--json"}, {"help", "frobnicate"}}) {
    auto r = Ledger(unknown);
    CAPTURE(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown verb \"frobnicate\"") != std::string::npos);
  }
  auto none = Ledger({});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("give a verb") != std::string::npos);
  auto bench = Ledger({"bench"});
  CHECK(bench.exit_code == 2);
  CHECK(bench.err.find("`ledger bench` needs one of its verbs: append") != std::string::npos);
  for (const auto& r : {help, version, none, bench}) {
    CHECK(r.err.find("A subcommand is required") == std::string::npos);
  }
}

TEST_CASE("ledger options are taken before the verb as well as after it") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  auto init = Ledger({"--data", data, "init"});
  REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  CHECK(init.out.find("created an empty ledger in " + data) != std::string::npos);
  REQUIRE(Ledger({"--data", data, "append", "-"}, UnitLine(1) + "\n").exit_code == 0);
  CHECK(JsonLines(Ledger({"--data", data, "log"}).out).size() == 1);
  CHECK(JsonLines(Ledger({"log", "--data", data}).out).size() == 1);
  // A verb without the option, or the option twice, is a usage error.
  auto gen = Ledger({"--data", data, "gen", "--chains", "1"});
  CHECK(gen.exit_code == 2);
  CHECK(gen.err.find("`ledger gen` takes no --data") != std::string::npos);
  auto twice = Ledger({"--data", data, "log", "--data", data});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("given before and after the verb") != std::string::npos);
}

TEST_CASE("demo and every other verb default to the same directory") {
  TempDir tmp;
  // In a fresh working directory: demo, then verify and show with no --data.
  std::string in_tmp = "cd '" + tmp.path().string() + "' && " + LEDGER_BIN;
  auto r = Run({"/bin/sh", "-c",
                in_tmp + " demo --chains 5 >/dev/null && " + in_tmp + " verify && " + in_tmp +
                    " show PAY-2025-0042-01-2"});
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(tmp.Sub("ledger-data/CURRENT")));
  CHECK(r.out.find("verified ") != std::string::npos);
  CHECK(r.out.find("PAY-2025-0042-01-2  (PaymentMade") != std::string::npos);
}

TEST_CASE("people's output: yuan with separators, business time labelled, counts in words") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  std::string chain;
  for (const auto& line : DemoChainLines()) chain += line + "\n";
  REQUIRE(Ledger({"append", "--data", data, "-q", "-"}, chain).exit_code == 0);

  auto contract = Ledger({"show", "--data", data, "CON-2025-0042-01"});
  REQUIRE(contract.exit_code == 0);
  CHECK(contract.out.find("(ContractSigned, 2 events, the last at position 27, business time "
                          "2025-06-02T10:00:00+08:00)") != std::string::npos);
  CHECK(contract.out.find("  amount                     ¥206,700.00\n") != std::string::npos);
  CHECK(contract.out.find("  new_amount                 ¥212,000.00\n") != std::string::npos);
  CHECK(contract.out.find("\"unit_price\":\"¥5,300.00\"") != std::string::npos);  // in items
  CHECK(contract.out.find("_fen") == std::string::npos);
  auto line = Ledger({"show", "--data", data, "BL-2025-0042-01"});
  CHECK(line.out.find("    paid                     ¥212,000.00\n") != std::string::npos);
  auto payment = Ledger({"show", "--data", data, "PAY-2025-0042-01-1"});
  CHECK(payment.out.find("(PaymentMade, 1 event, at position 29, business time") !=
        std::string::npos);

  // History: time, actor and amount per event, under a header naming them.
  auto history = Ledger({"history", "--data", data, "CON-2025-0042-01"});
  REQUIRE(history.exit_code == 0);
  std::istringstream rows(history.out);
  std::string header, first, second;
  std::getline(rows, header);
  std::getline(rows, first);
  std::getline(rows, second);
  for (const char* column : {"position", "event", "business time", "actor", "amount"}) {
    CHECK(header.find(column) != std::string::npos);
  }
  for (const char* cell :
       {"27", "ContractAmended", "2025-06-02T10:00:00+08:00", "unit:310115-9042", "¥212,000.00"}) {
    CAPTURE(cell);
    CHECK(second.find(cell) != std::string::npos);
  }
  auto events = JsonLines(Ledger({"history", "--data", data, "--json", "CON-2025-0042-01"}).out);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["time"] == "2025-05-15T10:00:00+08:00");
  CHECK(events[0]["actor"] == "unit:310115-9042");
  CHECK(events[0]["amount_fen"] == 20670000);

  auto trail = Ledger({"trace", "--data", data, "PAY-2025-0042-01-2"});
  CHECK(trail.out.find("[PaymentMade]  pos 32  2025-07-18T09:15:00+08:00  ¥106,000.00\n") !=
        std::string::npos);

  // A refusal's reason names money in yuan too.
  json over = json::parse(DemoChainLines()[29]);
  over["id"] = "evt-over";
  over["data"]["payment_id"] = "PAY-OVER";
  over["data"]["amount_fen"] = 100000000000;
  auto refused = Ledger({"append", "--data", data, "-"}, over.dump() + "\n");
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("refused by R10: payment PAY-OVER of ¥1,000,000,000.00 would bring "
                         "payments on contract CON-2025-0042-01 to ¥1,000,212,000.00, above the "
                         "¥212,000.00 accepted so far") != std::string::npos);
  CHECK(refused.err.find("the ledger holds 36 events") != std::string::npos);
}

TEST_CASE("a refusal says which position is the original and which the evidence") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  auto lines = DemoChainLines();
  REQUIRE(Ledger({"append", "--data", data, "-"}, lines[0] + "\n" + lines[1] + "\n").exit_code ==
          0);
  json changed = json::parse(lines[1]);
  changed["data"]["name"] = "another name";
  auto r = Ledger({"append", "--data", data, "-"}, changed.dump() + "\n");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("stdin:1: refused by R12: event id evt-demo-0002 is already in the ledger with "
                   "different content (the original is at position 1); evidence of this "
                   "refusal recorded at position 2") != std::string::npos);
}

TEST_CASE("exit codes: 0 success, 1 failure, 2 a wrong command line") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  REQUIRE(Ledger({"append", "--data", data, "-"}, UnitLine(1) + "\n").exit_code == 0);
  CHECK(Ledger({"show", "--data", data, "NOPE"}).exit_code == 1);
  CHECK(Ledger({"log", "--data", tmp.Sub("none")}).exit_code == 1);
  for (const std::vector<std::string>& usage : {
           std::vector<std::string>{"log", "--data", data, "--limit", "many"},  // not a number
           {"show", "--data", data},                                            // no id
           {"init", "--data", data, "extra"},                                   // unexpected
           {"log", "--bogus"},                                                  // unknown option
           {"prove", "--data", data},                                           // no position
           {"show", "--data", data, "--as-of", "yesterday", "U-1"},             // not a point
           {"trace", "--data", data, "U-1", "--proof", "-", "--as-of", "0"},    // contradictory
           {"export", "--data", data, "--from", "10", "--to", "5"},             // reversed
       }) {
    auto r = Ledger(usage);
    CAPTURE(usage[0]);
    CAPTURE(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.starts_with("ledger: "));
  }
}

TEST_CASE("export of a reversed range says the range is reversed") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  auto r = Ledger({"export", "--data", data, "--from", "10", "--to", "5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--from 10 is after --to 5: the range is reversed") != std::string::npos);
}

TEST_CASE("append a file, log it, verify, tamper, verify fails naming the position") {
  TempDir tmp;
  std::string data = tmp.Sub("ledger");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  CHECK(Ledger({"init", "--data", data}).exit_code == 1);  // never over an existing ledger

  std::string input;
  for (const auto& line : DemoChainLines()) input += line + "\n";
  json bad = PaymentJson(99);
  bad["data"]["credit_code"] = "x";  // not a field of PaymentMade
  input += bad.dump() + "\n";
  input += "{\"type\":\"PaymentMade\"\n";
  std::string file = tmp.Sub("in.jsonl");
  std::ofstream(file) << input;

  auto r = Ledger({"append", "--data", data, "--json", file});
  CHECK(r.exit_code == 1);  // some lines were refused
  auto outcomes = JsonLines(r.out);
  const size_t n = DemoChainLines().size();
  REQUIRE(outcomes.size() == n + 2);
  for (size_t i = 0; i < n; ++i) {
    CHECK(outcomes[i]["line"] == i + 1);
    CHECK(outcomes[i]["position"] == i);
  }
  CHECK(outcomes[n]["line"] == n + 1);
  CHECK(outcomes[n]["error"] == "data.credit_code: unknown field");
  CHECK(outcomes[n + 1]["error"] == "malformed JSON");

  // Human output names the file and the line; appending again is idempotent.
  auto human = Ledger({"append", "--data", data, file});
  CHECK(human.out.find("in.jsonl:" + std::to_string(n + 1) +
                       ": refused: data.credit_code: unknown field") != std::string::npos);
  CHECK(human.out.find("in.jsonl:1: position 0        UnitRegistered             evt-demo-0001 "
                       "(already in the ledger)") != std::string::npos);
  CHECK(human.err.find("0 appended, " + std::to_string(n) + " already present, 2 refused") !=
        std::string::npos);

  auto log = Ledger({"log", "--data", data, "--from", "2", "--limit", "3"});
  REQUIRE(log.exit_code == 0);
  auto events = JsonLines(log.out);
  REQUIRE(events.size() == 3);
  CHECK(events[0]["position"] == 2);
  CHECK(events[0]["type"] == "SupplierRegistered");
  CHECK(events[0]["hash"].get<std::string>().size() == 64);
  CHECK(events[0]["data"] == json::parse(DemoChainLines()[2])["data"]);

  auto ok = Ledger({"verify", "--data", data, "--json"});
  CHECK(ok.exit_code == 0);
  CHECK(JsonLines(ok.out).at(0)["records"] == n);

  { StoreTamper(data).FlipByte(20, 32 + core::kRecordHeaderSize + 30); }
  auto broken = Ledger({"verify", "--data", data});
  CHECK(broken.exit_code == 1);
  CHECK(broken.out.find("verification FAILED: position 20:") != std::string::npos);
}

TEST_CASE("append reads standard input, and log of a missing ledger is a clear error") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  auto missing = Ledger({"log", "--data", data});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no ledger in " + data) != std::string::npos);
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  auto r = Ledger({"append", "--data", data, "-"}, UnitLine(1) + "\n" + UnitLine(2) + "\n");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("2 appended, 0 already present, 0 refused") != std::string::npos);
  CHECK(JsonLines(Ledger({"log", "--data", data}).out).size() == 2);
}

TEST_CASE("a generated file with violations: refusals under every rule, and verify passes") {
  TempDir tmp;
  std::string data = tmp.Sub("l"), file = tmp.Sub("gen.jsonl");
  auto gen =
      Ledger({"gen", "--chains", "120", "--seed", "5", "--violations", "1.0", "--out", file});
  REQUIRE(gen.exit_code == 0);
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  auto r = Ledger({"append", "--data", data, "--json", file});
  CHECK(r.exit_code == 1);  // some lines were refused
  std::map<std::string, int> by_rule;
  size_t appended = 0, lines = 0;
  for (const auto& o : JsonLines(r.out)) {
    ++lines;
    if (o.contains("rule")) {
      by_rule[o["rule"].get<std::string>()]++;
      CHECK(o.contains("evidence_position"));
      CHECK_FALSE(o.contains("position"));
    } else {
      REQUIRE_MESSAGE(o.contains("position"), o.dump());
      ++appended;
    }
  }
  for (int rule = 1; rule <= 12; ++rule) {
    CAPTURE(rule);
    CHECK(by_rule["R" + std::to_string(rule)] > 0);
  }
  CHECK(by_rule.size() == 12);
  CHECK(Ledger({"verify", "--data", data}).exit_code == 0);
  // Every refusal left its evidence: the ledger holds the accepted events and one
  // ControlViolationRecorded per refusal.
  auto log = JsonLines(Ledger({"log", "--data", data}).out);
  CHECK(log.size() == lines);
  size_t evidence = 0;
  for (const auto& e : log) evidence += e["type"] == "ControlViolationRecorded";
  CHECK(evidence == lines - appended);
  // The human summary counts refusals by rule.
  auto again = Ledger({"append", "--data", data, "-q", file});
  CHECK(again.err.find(std::to_string(appended) + " already present") != std::string::npos);
  CHECK(again.err.find("refused by R10") != std::string::npos);
}

TEST_CASE("log --follow prints events appended by another process as they arrive") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  REQUIRE(Ledger({"append", "--data", data, "-"}, UnitLine(1) + "\n").exit_code == 0);
  Child follower({LEDGER_BIN, "log", "--data", data, "--follow"});
  std::string line;
  REQUIRE(follower.ReadLine(&line));
  CHECK(json::parse(line)["id"] == "evt-unit-1");
  // The writer is another process; the follower reads beside it.
  REQUIRE(
      Ledger({"append", "--data", data, "-"}, UnitLine(2) + "\n" + UnitLine(3) + "\n").exit_code ==
      0);
  REQUIRE(follower.ReadLine(&line));
  CHECK(json::parse(line)["position"] == 1);
  REQUIRE(follower.ReadLine(&line));
  CHECK(json::parse(line)["id"] == "evt-unit-3");
  follower.Kill();
}

TEST_CASE("show, history, trace, warehouse, rebuild and digest on the projections") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  // Up to the deposit: the asset is in the warehouse for its category.
  std::string first, rest;
  auto lines = DemoChainLines();
  for (size_t i = 0; i < lines.size(); ++i) (i < 8 ? first : rest) += lines[i] + "\n";
  REQUIRE(Ledger({"append", "--data", data, "-"}, first).exit_code == 0);
  auto shelf = Ledger({"warehouse", "--data", data, "--json", "A02010104"});
  REQUIRE(shelf.exit_code == 0);
  CHECK(shelf.out == "{\"asset_id\":\"AST-2019-0042-0137\"}\n");
  CHECK(Ledger({"warehouse", "--data", data, "--json", "A02010105"}).out.empty());
  REQUIRE(Ledger({"append", "--data", data, "-"}, rest).exit_code == 0);
  CHECK(Ledger({"warehouse", "--data", data, "--json", "A02010104"}).out.empty());  // allocated

  // Budget execution of the line and of its unit.
  auto line = json::parse(Ledger({"show", "--data", data, "--json", "BL-2025-0042-01"}).out);
  CHECK(line["execution"]["approved_fen"] == 21840000);
  CHECK(line["execution"]["contracted_fen"] == 21200000);  // with the amendment
  CHECK(line["execution"]["accepted_fen"] == 21200000);
  CHECK(line["execution"]["paid_fen"] == 21200000);
  auto unit = json::parse(Ledger({"show", "--data", data, "--json", "310115-9042"}).out);
  CHECK(unit["execution"]["requested_fen"] == 21840000 + 150000000);  // the rejected import too
  CHECK(unit["execution"]["paid_fen"] == 21200000);

  auto show = Ledger({"show", "--data", data, "--json", "CON-2025-0042-01"});
  REQUIRE(show.exit_code == 0);
  json state = json::parse(show.out);
  CHECK(state["kind"] == "ContractSigned");
  CHECK(state["status"] == "ContractAmended");
  CHECK(state["version"] == 2);
  CHECK(state["fields"]["new_amount_fen"] == 21200000);
  CHECK(state["fields"]["amount_fen"] == 20670000);
  auto missing = Ledger({"show", "--data", data, "NOPE"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no entity NOPE") != std::string::npos);

  auto page1 = JsonLines(
      Ledger({"history", "--data", data, "--json", "--limit", "1", "AST-2019-0042-0137"}).out);
  REQUIRE(page1.size() == 1);
  CHECK(page1[0]["type"] == "AssetInventoried");
  auto page2 =
      JsonLines(Ledger({"history", "--data", data, "--json", "--after",
                        std::to_string(page1[0]["position"].get<uint64_t>()), "AST-2019-0042-0137"})
                    .out);
  REQUIRE(page2.size() == 2);
  CHECK(page2[0]["type"] == "AssetDeposited");
  CHECK(page2[1]["type"] == "AssetAllocated");

  // Up from a payment to the demand, the warehouse asset it matched, and the unit.
  auto up = Ledger({"trace", "--data", data, "--json", "PAY-2025-0042-01-2"});
  REQUIRE(up.exit_code == 0);
  std::string tree = up.out;
  for (const char* id :
       {"ACC-2025-0042-01-2", "CON-2025-0042-01", "PRJ-2025-0042-01", "BID-2025-0042-01-1",
        "BL-2025-0042-01", "DEM-2025-0042-01", "AST-2019-0042-0137", "310115-9042"}) {
    CAPTURE(id);
    CHECK(tree.find(std::string("\"entity_id\":\"") + id + "\"") != std::string::npos);
  }
  CHECK(tree.find("\"relation\":\"matched warehouse asset\"") != std::string::npos);
  // Down from the budget line to every payment and registered asset.
  auto down = Ledger({"trace", "--data", data, "--down", "--json", "BL-2025-0042-01"});
  REQUIRE(down.exit_code == 0);
  for (const char* id : {"PRJ-2025-0042-01", "CON-2025-0042-01", "PAY-2025-0042-01-1",
                         "PAY-2025-0042-01-2", "AST-2025-0042-0002", "FND-2025-0042-01"}) {
    CAPTURE(id);
    CHECK(down.out.find(std::string("\"entity_id\":\"") + id + "\"") != std::string::npos);
  }
  CHECK(json::parse(up.out)["amount_fen"] == 10600000);
  auto human = Ledger({"trace", "--data", data, "PAY-2025-0042-01-2"});
  CHECK(human.out.find("└─ acceptance: ACC-2025-0042-01-2") != std::string::npos);

  // As of a past position or time: the contract before its amendment.
  auto then = json::parse(
      Ledger({"show", "--data", data, "--json", "--as-of", "26", "CON-2025-0042-01"}).out);
  CHECK(then["version"] == 1);
  CHECK(then["status"] == "ContractSigned");
  CHECK_FALSE(then["fields"].contains("new_amount_fen"));
  CHECK(JsonLines(
            Ledger({"history", "--data", data, "--json", "--as-of", "26", "CON-2025-0042-01"}).out)
            .size() == 1);
  auto early = Ledger({"trace", "--data", data, "--as-of", "28", "PAY-2025-0042-01-1"});
  CHECK(early.exit_code == 1);  // the payment (position 29) did not exist yet
  CHECK(early.err.find("at that point") != std::string::npos);
  auto past = Ledger({"show", "--data", data, "--as-of", "2000-01-01T00:00:00Z", "310115-9042"});
  CHECK(past.exit_code == 1);  // before the ledger recorded anything
  CHECK(Ledger({"show", "--data", data, "--as-of", "yesterday", "310115-9042"}).exit_code == 2);

  auto before = Ledger({"digest", "--data", data, "--json"});
  REQUIRE(before.exit_code == 0);
  REQUIRE(Ledger({"rebuild", "--data", data}).exit_code == 0);
  CHECK(Ledger({"digest", "--data", data, "--json"}).out == before.out);
  REQUIRE(Ledger({"rebuild", "--data", data, "--projection", "history"}).exit_code == 0);
  CHECK(Ledger({"digest", "--data", data, "--json"}).out == before.out);
  CHECK(Ledger({"rebuild", "--data", data, "--projection", "nope"}).exit_code == 1);
}

// A ledger in `tmp` holding the demo chain; returns its directory.
std::string DemoChainLedger(const TempDir& tmp) {
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  std::string input;
  for (const auto& line : DemoChainLines()) input += line + "\n";
  REQUIRE(Ledger({"append", "--data", data, "-"}, input).exit_code == 0);
  return data;
}

TEST_CASE("an altered record is refused by show, history, trace and rebuild, naming its position") {
  TempDir tmp;
  const std::string data = DemoChainLedger(tmp);
  const std::string id = "CON-2025-0042-01";
  auto before = Ledger({"show", "--data", data, "--json", id});  // projections caught up
  REQUIRE(before.exit_code == 0);
  const uint64_t last = json::parse(before.out)["last_position"].get<uint64_t>();
  { StoreTamper(data).FlipByte(last, 32 + core::kRecordHeaderSize + 30); }

  // A record the entity does not rest on still answers.
  CHECK(Ledger({"show", "--data", data, "--json", "310115-9042"}).exit_code == 0);
  const std::string at = "position " + std::to_string(last) + ":";
  for (std::vector<std::string> args : {std::vector<std::string>{"show", "--json", id},
                                        {"history", "--json", id},
                                        {"trace", "--json", id},
                                        {"trace", "--json", "--down", "BL-2025-0042-01"},
                                        {"show", "--as-of", std::to_string(last), id},
                                        {"rebuild"}}) {
    args.insert(args.begin() + 1, {"--data", data});
    auto r = Ledger(args);
    CAPTURE(args[0]);
    CAPTURE(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("CON-2025") == std::string::npos);
    CHECK(r.err.find(at) != std::string::npos);
  }
}

TEST_CASE("verify --state finds a kept decision-state record changed but well-formed") {
  TempDir tmp;
  const std::string data = DemoChainLedger(tmp);
  auto ok = Ledger({"verify", "--data", data, "--state"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("decision state equal") != std::string::npos);
  {
    // A contract's and a payment's records exchanged: each still decodes.
    StoreTamper t(data);
    const std::string a = "s/CON-2025-0042-01", b = "s/PAY-2025-0042-01-1";
    const std::string va = t.GetRaw("state", a), vb = t.GetRaw("state", b);
    REQUIRE(va != vb);
    t.PutRaw("state", a, vb);
    t.PutRaw("state", b, va);
  }
  CHECK(Ledger({"verify", "--data", data}).exit_code == 0);  // the chain does not cover it
  auto found = Ledger({"verify", "--data", data, "--state", "--json"});
  CHECK(found.exit_code == 1);
  CHECK(JsonLines(found.out).at(0)["error"] ==
        "decision state: s/CON-2025-0042-01 is not what the records give");
}

TEST_CASE("demo builds, verifies and refuses to overwrite without --replace") {
  TempDir tmp;
  std::string data = tmp.Sub("demo");
  auto r = Ledger({"demo", "--data", data, "--chains", "100"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("the sample chain (events/samples/demo-chain.jsonl): " +
                   std::to_string(DemoChainLines().size()) + " events") != std::string::npos);
  CHECK(r.out.find(" refused by R") != std::string::npos);
  CHECK(r.out.find("Rejected by R12: unit") == std::string::npos);  // no clash with generated data
  CHECK(r.out.find("Hash chain verified") != std::string::npos);
  CHECK(Ledger({"demo", "--data", data}).exit_code == 1);
  CHECK(Ledger({"demo", "--data", data, "--replace", "--chains", "50"}).exit_code == 0);
  CHECK(Ledger({"verify", "--data", data}).exit_code == 0);
}

TEST_CASE("bench rebuild and bench trace print JSON summaries") {
  TempDir tmp;
  auto r = Ledger({"bench", "rebuild", "--events", "3000", "--dir", tmp.Sub("r")});
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out.substr(r.out.rfind('{')));
  CHECK(j["events"] == 3000);
  CHECK(j["rebuild_events_per_s"].get<double>() > 0);
  CHECK(j["raw_rocksdb_keys_per_s"].get<double>() > 0);
  auto t =
      Ledger({"bench", "trace", "--events", "3000", "--samples", "200", "--dir", tmp.Sub("t")});
  REQUIRE(t.exit_code == 0);
  j = json::parse(t.out.substr(t.out.rfind('{')));
  CHECK(j["samples"] == 200);
  CHECK(j["p99_us"].get<double>() >= j["p50_us"].get<double>());
  CHECK(j["steps_per_trail"].get<double>() >= 5);  // payment, acceptance, contract, ... unit
}

TEST_CASE("bench append prints a JSON summary with the raw baseline and the ratio") {
  TempDir tmp;
  auto r = Ledger({"bench", "append", "--events", "2000", "--batch", "100", "--rounds", "1",
                   "--dir", tmp.Sub("b")});
  REQUIRE(r.exit_code == 0);
  std::string last = r.out.substr(r.out.rfind('{'));
  json j = json::parse(last);
  CHECK(j["ledger_events_per_s"].get<double>() > 0);
  CHECK(j["raw_rocksdb_events_per_s"].get<double>() > 0);
  CHECK(j["ratio"].get<double>() > 0);
}

}  // namespace
}  // namespace ledger::testing
