#include "core/command_service.h"

#include <doctest/doctest.h>

#include "core/embedded_log.h"
#include "tests/support/event_json.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

using nlohmann::json;

struct Ledger {
  testing::TempDir tmp;
  std::unique_ptr<EventLog> log;
  std::unique_ptr<CommandService> service;
  std::vector<LineOutcome> outcomes;

  Ledger() {
    log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value();
    Start();
  }
  void Start() {
    service =
        CommandService::Open(*log, [this](const LineOutcome& o) { outcomes.push_back(o); }).value();
  }
  void Restart() {
    service.reset();
    log.reset();
    log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kWrite).value();
    Start();
  }
  // Submits the lines and flushes; returns their outcomes.
  std::vector<LineOutcome> Append(const std::vector<std::string>& lines) {
    outcomes.clear();
    uint64_t n = 0;
    for (const auto& line : lines) service->SubmitJson(++n, line);
    REQUIRE(service->Flush().ok());
    return outcomes;
  }
};

TEST_CASE("outcomes: positions, bad input, refusals with evidence, in line order") {
  Ledger l;
  auto chain = testing::DemoChainLines();
  chain.resize(29);  // up to the first acceptance
  auto out = l.Append(chain);
  REQUIRE(out.size() == 29);
  for (const auto& o : out) CHECK(o.error.ok());
  json over = json::parse(testing::DemoChainLines()[29]);
  over["data"]["amount_fen"] = 10600001;
  out = l.Append({"{bad", over.dump(), testing::DemoChainLines()[29]});
  REQUIRE(out.size() == 3);
  CHECK(out[0].error.message() == "malformed JSON");
  CHECK_FALSE(out[0].evidence_position);
  CHECK(out[1].error.IsRejected());
  CHECK(out[1].error.rule() == "R10");
  CHECK_FALSE(out[1].position);
  REQUIRE(out[1].evidence_position == 29);
  CHECK(out[2].position == 30);  // the legal payment goes in after the evidence
  CHECK(l.service->stats().refused_by_rule[10] == 1);
  CHECK(l.service->stats().invalid == 1);

  // The evidence names the rule, the refused event and a digest of its bytes.
  std::string evidence;
  REQUIRE(l.log
              ->Read(29, 1,
                     [&](const LogEntry& e) {
                       events::JsonCodec codec;
                       evidence = codec.ToJson(*events::DecodeEvent(e.record.event).value());
                       return true;
                     })
              .ok());
  json ev = json::parse(evidence);
  CHECK(ev["type"] == "ControlViolationRecorded");
  CHECK(ev["actor"] == "ledger:rules");
  CHECK(ev["data"]["rule"] == "R10");
  CHECK(ev["data"]["refused_event_id"] == over["id"]);
  CHECK(ev["data"]["refused_type"] == "PaymentMade");
  CHECK(ev["data"]["digest"].get<std::string>().size() == 64);
  CHECK(ev["entity_id"] == ev["id"]);
}

TEST_CASE("users cannot write violation evidence themselves") {
  Ledger l;
  json cv = json::parse(testing::ReadmeExampleLines().at(23));
  REQUIRE(cv["type"] == "ControlViolationRecorded");
  auto out = l.Append({cv.dump()});
  CHECK(out.at(0).error.code() == Status::Code::kInvalidArgument);
  CHECK(l.log->Size() == 0);
}

TEST_CASE("idempotent appends survive a restart, a reused id with new content is R12") {
  Ledger l;
  auto chain = testing::DemoChainLines();
  l.Append({chain[0], chain[1]});
  l.Restart();
  // The same event again: a no-op answering the original position, even
  // with its members in another order.
  json reordered = nlohmann::ordered_json::parse(chain[1]);
  json flipped = json::object();
  for (auto it = reordered.rbegin(); it != reordered.rend(); ++it) flipped[it.key()] = it.value();
  auto out = l.Append({chain[1], flipped.dump()});
  CHECK(out[0].duplicate);
  CHECK(out[0].position == 1);
  CHECK(out[1].duplicate);
  CHECK(out[1].position == 1);
  CHECK(l.log->Size() == 2);
  // Same id, other content.
  json changed = json::parse(chain[1]);
  changed["data"]["name"] = "another name";
  out = l.Append({changed.dump()});
  CHECK(out[0].error.rule() == "R12");
  CHECK(out[0].error.message().find("already in the ledger at position 1") != std::string::npos);
  CHECK(l.log->Size() == 3);  // the evidence
  // Duplicates within one batch too.
  out = l.Append({chain[2], chain[2]});
  CHECK(out[0].position == 3);
  CHECK(out[1].duplicate);
  CHECK(out[1].position == 3);
}

TEST_CASE("the decision state persists with the log and is never behind it") {
  Ledger l;
  auto chain = testing::DemoChainLines();
  chain.resize(30);  // ACC-1 accepted, PAY-1 paid
  l.Append(chain);
  l.Restart();
  json again = json::parse(testing::DemoChainLines()[29]);
  again["id"] = "evt-again";
  again["data"]["payment_id"] = "PAY-AGAIN";
  auto out = l.Append({again.dump()});
  CHECK(out[0].error.rule() == "R10");  // already paid in full: state survived
  CHECK(l.service->state().FindAs<ContractState>("CON-2025-0042-01")->paid_fen == 10600000);
}

TEST_CASE("expected_version gives optimistic concurrency") {
  Ledger l;
  auto chain = testing::DemoChainLines();
  l.Append({chain[0], chain[1], chain[2], chain[3], chain[4], chain[5], chain[6]});
  json deposit = json::parse(chain[7]);  // AST-2019-0042-0137 has 1 event
  deposit["expected_version"] = 0;
  auto out = l.Append({deposit.dump()});
  CHECK(out[0].error.code() == Status::Code::kConflict);
  CHECK(out[0].error.message() == "AST-2019-0042-0137 is at version 1, the event expected 0");
  CHECK(l.log->Size() == 7);
  deposit["expected_version"] = 1;
  out = l.Append({deposit.dump()});
  CHECK(out[0].position == 7);
}

}  // namespace
}  // namespace ledger::core
