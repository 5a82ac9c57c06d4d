// The control rules as given-events / when-event / then-accept-or-refuse,
// with no store: the "given" is a prefix of the shipped demo chain
// (events/samples/demo-chain.jsonl), applied to a bare DecisionState.
#include "core/rules/rules.h"

#include <doctest/doctest.h>

#include <map>
#include <set>

#include "core/log/record_format.h"
#include "tests/support/event_json.h"

namespace ledger::core {
namespace {

using nlohmann::json;

const std::vector<std::string>& Chain() {
  static const auto lines = testing::DemoChainLines();
  return lines;
}
json Line(size_t i) { return json::parse(Chain().at(i)); }

struct Given {
  DecisionState state;
  events::JsonCodec codec;
  uint64_t position = 0;

  // The first `n` events of the demo chain, each of which the rules accept.
  explicit Given(size_t n) {
    for (size_t i = 0; i < n; ++i) And(Line(i));
  }
  Given& And(const json& j) {
    std::string bytes = codec.Parse(j.dump()).value();
    const fb::Event& e = *events::DecodeEvent(bytes).value();
    auto refusal = Decide(state, e);
    REQUIRE_MESSAGE(!refusal, j.dump(), " refused: ", refusal ? refusal->reason : "");
    std::vector<EntityChange> changed;
    state.Apply(e, position++, DigestOf(bytes), &changed);
    return *this;
  }
  // The decision on `j`; "" for accept, else "R<n>: reason".
  std::string When(const json& j) {
    auto bytes = codec.Parse(j.dump());
    REQUIRE_MESSAGE(bytes.ok(), bytes.status().ToString());
    auto refusal = Decide(state, *events::DecodeEvent(*bytes).value());
    return refusal ? std::string(RuleName(refusal->rule)) + ": " + refusal->reason : "";
  }
};

// The rule id of a decision, "" for accept.
std::string Rule(const std::string& decision) { return decision.substr(0, decision.find(':')); }

json With(json j, const std::string& field, const json& value) {
  j["data"][field] = value;
  return j;
}

TEST_CASE("the whole demo chain is accepted") {
  Given given(Chain().size());
  CHECK(given.state.FindAs<ContractState>("CON-2025-0042-01")->paid_fen == 21200000);
}

TEST_CASE("R1: a demand needs the internal reuse check") {
  Given g(8);
  CHECK(g.When(Line(8)) == "");
  CHECK(g.When(With(Line(8), "internal_reuse_checked", false)) ==
        "R1: demand DEM-2025-0042-01: internal reuse and in-department reallocation were not "
        "checked (internal_reuse_checked is false)");
}

TEST_CASE("R2: no budget for a demand without a warehouse pre-query") {
  Given g(9);  // DEM-1 raised, not yet queried; asset allocated later
  CHECK(Rule(g.When(Line(11))) == "R2");
}

TEST_CASE("R3: warehouse assets first, budget after") {
  Given g(10);  // the pre-query matched AST-2019-0042-0137, still in the warehouse
  CHECK(g.When(Line(11)) ==
        "R3: demand DEM-2025-0042-01: its pre-query matched warehouse asset AST-2019-0042-0137, "
        "which is still in the warehouse; allocate it before arranging budget");
  g.And(Line(10));  // allocated
  CHECK(g.When(Line(11)) == "");
}

TEST_CASE("R4: a demand within the configuration standard (boundaries)") {
  Given g(8);  // A02010104: at most 800000 fen a unit, 50 a demand
  CHECK(g.When(With(Line(8), "est_unit_price_fen", 800000)) == "");
  CHECK(Rule(g.When(With(Line(8), "est_unit_price_fen", 800001))) == "R4");
  CHECK(g.When(With(Line(8), "quantity", 50)) == "");
  CHECK(Rule(g.When(With(Line(8), "quantity", 51))) == "R4");
  // No standard for the category: no limit.
  json other = With(With(Line(8), "category", "A02100301"), "quantity", 5000);
  CHECK(g.When(other) == "");
}

TEST_CASE("R5: imported products need an approved import review") {
  json approve = {{"type", "BudgetApproved"},
                  {"id", "evt-approve-2"},
                  {"actor", "finance:310000"},
                  {"time", "2025-03-13T09:00:00+08:00"},
                  {"data", {{"budget_line_id", "BL-2025-0042-02"}, {"approved_amount_fen", 1}}}};
  SUBCASE("no review") {
    Given g(15);
    CHECK(Rule(g.When(approve)) == "R5");
  }
  SUBCASE("a rejected review") {
    Given g(16);
    CHECK(Rule(g.When(approve)) == "R5");
  }
  SUBCASE("an approved review") {
    Given g(15);
    g.And(With(Line(15), "approved", true));
    CHECK(g.When(approve) == "");
  }
  SUBCASE("an imported tender on a line without review") {
    Given g(19);
    CHECK(Rule(g.When(With(Line(19), "imported", true))) == "R5");
    CHECK(g.When(Line(19)) == "");
  }
}

TEST_CASE("R6: hardened budget constraints (boundaries)") {
  SUBCASE("requirements within the approved amount") {
    Given g(18);  // BL-01 approved for 21840000
    CHECK(g.When(With(Line(18), "amount_fen", 21840000)) == "");
    CHECK(g.When(With(Line(18), "amount_fen", 21840001)) ==
          "R6: requirements on budget line BL-2025-0042-01 would add up to ¥218,400.01, above "
          "its approved ¥218,400.00");
  }
  SUBCASE("no requirement on a rejected line") {
    Given g(18);
    CHECK(Rule(g.When(With(With(Line(18), "budget_line_id", "BL-2025-0042-02"), "project_id",
                           "PRJ-X"))) == "R6");
  }
  SUBCASE("a contract within its award") {
    Given g(26);  // awarded 20670000
    CHECK(g.When(Line(26)) == "");
    CHECK(Rule(g.When(With(Line(26), "amount_fen", 20670001))) == "R6");
  }
  SUBCASE("amendments up to 110%") {
    Given g(27);  // original 20670000: 110% is 22737000
    CHECK(g.When(With(Line(27), "new_amount_fen", 22737000)) == "");
    CHECK(Rule(g.When(With(Line(27), "new_amount_fen", 22737001))) == "R6");
  }
}

TEST_CASE("R7: SME-reserved awards and the price deduction (boundaries)") {
  Given g(23);  // reserved tender, 10% deduction; BID-1 small 20670000, BID-2 medium
  CHECK(g.When(Line(23)) == "");  // 20670000 * 90% = 18603000
  CHECK(Rule(g.When(With(Line(23), "evaluated_price_fen", 18603001))) == "R7");
  CHECK(Rule(g.When(With(Line(23), "evaluated_price_fen", 20670000))) == "R7");
  json medium = With(
      With(With(Line(23), "bid_id", "BID-2025-0042-01-2"), "credit_code", "91310104MA1FL2XY31"),
      "evaluated_price_fen", 19900000);
  CHECK(g.When(medium).starts_with("R7: tender PRJ-2025-0042-01 is reserved for SMEs"));
  // Rounded down to the fen: 21000001 * 90% = 18900000.9 -> 18900000 (micro supplier).
  Given odd(20);
  odd.And(With(Line(22), "price_fen", 21000001));
  json micro = With(
      With(With(Line(23), "bid_id", "BID-2025-0042-01-3"), "credit_code", "92310112MA1GB7QK50"),
      "amount_fen", 21000001);
  CHECK(odd.When(With(micro, "evaluated_price_fen", 18900000)) == "");
  CHECK(Rule(odd.When(With(micro, "evaluated_price_fen", 18900001))) == "R7");
}

TEST_CASE("R8: a contract names the awarded supplier and how it will be accepted") {
  Given g(26);
  CHECK(Rule(g.When(With(Line(26), "credit_code", "91310104MA1FL2XY31"))) == "R8");
  CHECK(Rule(g.When(With(Line(26), "acceptance_method", "  "))) == "R8");
  CHECK(g.When(Line(26)) == "");
}

TEST_CASE("R9: no contract while a complaint waits for its ruling") {
  Given g(25);  // complaint filed, no ruling yet
  CHECK(g.When(Line(26)) ==
        "R9: contract CON-2025-0042-01 signed while 1 complaint on project PRJ-2025-0042-01 "
        "has no ruling");
  g.And(Line(25));
  CHECK(g.When(Line(26)) == "");
}

TEST_CASE("R10: payments follow passed acceptances (boundaries)") {
  Given g(29);  // ACC-1 passed for 10600000, nothing paid
  CHECK(g.When(With(Line(29), "amount_fen", 10600000)) == "");
  CHECK(g.When(With(Line(29), "amount_fen", 10600001)) ==
        "R10: payment PAY-2025-0042-01-1 of ¥106,000.01 would bring payments on contract "
        "CON-2025-0042-01 to ¥106,000.01, above the ¥106,000.00 accepted so far");
  SUBCASE("a failed acceptance pays nothing") {
    json failed = With(With(Line(28), "acceptance_id", "ACC-F"), "passed", false);
    g.And(failed);
    CHECK(Rule(g.When(With(With(Line(29), "acceptance_id", "ACC-F"), "amount_fen", 1))) == "R10");
  }
  SUBCASE("the contract amount caps payments even when more was accepted") {
    Given full(32);  // accepted 21200000 = the amended amount, paid 10600000
    full.And(With(With(Line(31), "acceptance_id", "ACC-3"), "accepted_amount_fen", 5));
    CHECK(full.When(Line(32)) == "");
    CHECK(Rule(full.When(With(With(Line(32), "amount_fen", 10600001), "acceptance_id", "ACC-3"))) ==
          "R10");
  }
}

TEST_CASE("R11: the warehouse and the asset loop") {
  SUBCASE("never deposited") {
    Given g(7);      // inventoried, not deposited
    g.And(Line(8));  // the demand it would be allocated to
    CHECK(
        g.When(Line(10)).starts_with("R11: asset AST-2019-0042-0137 is not in the public "
                                     "warehouse (never deposited)"));
  }
  SUBCASE("already allocated") {
    Given g(11);
    CHECK(Rule(g.When(Line(10))) == "R11");
  }
  SUBCASE("an asset registered on a failed acceptance") {
    Given g(30);
    g.And(With(With(Line(28), "acceptance_id", "ACC-F"), "passed", false));
    CHECK(Rule(g.When(With(Line(30), "acceptance_id", "ACC-F"))) == "R11");
    CHECK(g.When(Line(30)) == "");
  }
}

TEST_CASE("R12: references, creation and stage order") {
  Given g(30);
  CHECK(g.When(With(With(Line(29), "payment_id", "PAY-9"), "contract_id", "CON-MISSING")) ==
        "R12: data.contract_id: contract CON-MISSING does not exist");
  CHECK(g.When(With(With(Line(29), "payment_id", "PAY-9"), "contract_id", "BID-2025-0042-01-1")) ==
        "R12: data.contract_id: BID-2025-0042-01-1 is a bid, not a contract");
  CHECK(g.When(Line(29)) == "R12: payment PAY-2025-0042-01-1 already exists");
  Given bids(19);
  CHECK(
      bids.When(Line(20)).starts_with("R12: bid BID-2025-0042-01-1 on project "
                                      "PRJ-2025-0042-01, whose tender is not published"));
  bids.And(Line(19));
  CHECK(bids.When(Line(20)) == "");
  json on_deadline = Line(20);
  on_deadline["time"] = "2025-04-20T17:00:00+08:00";
  CHECK(bids.When(on_deadline) == "");
  on_deadline["time"] = "2025-04-20T09:00:01Z";  // one second after the deadline
  CHECK(Rule(bids.When(on_deadline)) == "R12");
  Given award(22);
  CHECK(Rule(award.When(With(Line(23), "credit_code", "92310112MA1GB7QK50"))) == "R12");
  CHECK(Rule(Given(3).When(Line(2))) == "R12");  // the supplier exists already
}

}  // namespace
}  // namespace ledger::core

namespace ledger::core {
namespace {

TEST_CASE("decision state records round-trip, and malformed ones are corruption") {
  Given g(Chain().size());
  DecisionState copy;
  std::set<std::string> ids;
  for (const auto& line : Chain()) {
    auto bytes = g.codec.Parse(line).value();
    ids.insert(std::string(events::EntityIdOf(*events::DecodeEvent(bytes).value())));
  }
  REQUIRE(ids.size() > 20);  // every kind of the chain
  for (const auto& id : ids) {
    std::string record = g.state.EncodeEntity(id);
    REQUIRE(copy.Load(DecisionState::EntityKey(id), record).ok());
    CHECK(copy.EncodeEntity(id) == record);
    CHECK(copy.Find(id)->version == g.state.Find(id)->version);
    CHECK(copy.Find(id)->body.index() == g.state.Find(id)->body.index());
    // Every truncation, and a trailing byte, is refused.
    for (size_t n = 0; n < record.size(); ++n) {
      CHECK(copy.Load("s/x", record.substr(0, n)).IsCorruption());
    }
    CHECK(copy.Load("s/x", record + "!").IsCorruption());
  }
  CHECK(copy.FindAs<ContractState>("CON-2025-0042-01")->paid_fen == 21200000);
  CHECK(copy.Load("s/x", std::string("\x01\x63", 2)).IsCorruption());  // kind 99
  CHECK(copy.Load("q/x", "").IsCorruption());
  CHECK(copy.Load("e/evt", "1234567").IsCorruption());
}

TEST_CASE("the event ids of an append are kept as one run, and every malformed run is corruption") {
  const std::vector<std::string_view> ids = {"EVT-a", "EVT-bb", "EVT-ccc"};
  const std::vector<EventDigest> digests = {DigestOf("a"), DigestOf("bb"), DigestOf("ccc")};
  auto writes = StateWritesFor({}, ids, digests, 41);
  REQUIRE(writes.size() == 1);  // one write for the run, not one per event
  CHECK(writes[0].key == DecisionState::RunKey(41));
  DecisionState copy;
  REQUIRE(copy.Load(writes[0].key, writes[0].value).ok());
  CHECK(copy.event_count() == 3);
  CHECK(copy.EventPosition("EVT-a") == 41u);
  CHECK(copy.EventPosition("EVT-ccc") == 43u);
  CHECK(!copy.EventPosition("EVT-d").has_value());
  // Each id keeps the digest of its bytes.
  REQUIRE(copy.FindEvent("EVT-bb") != nullptr);
  CHECK(copy.FindEvent("EVT-bb")->digest == digests[1]);
  CHECK(copy.FindEvent("EVT-ccc")->digest == digests[2]);
  // A key per event id is no key of the state.
  std::string position;
  PutBigEndian64(7, &position);
  CHECK(copy.Load("e/EVT-old", position).IsCorruption());
  // Every truncation and a trailing byte are refused, and load nothing.
  const std::string& run = writes[0].value;
  for (size_t n = 0; n < run.size(); ++n) {
    DecisionState empty;
    CHECK(empty.Load(writes[0].key, run.substr(0, n)).IsCorruption());
    CHECK(empty.event_count() == 0);
  }
  CHECK(copy.Load(writes[0].key, run + "!").IsCorruption());
  CHECK(copy.Load("r/short", run).IsCorruption());
  CHECK(copy.Load(DecisionState::RunKey(1), std::string("\0", 1)).IsCorruption());  // no ids
  // No events, no run.
  CHECK(StateWritesFor({}, {}, {}, 44).empty());
}

TEST_CASE("the evidence of a refusal is found by the refused id and digest, also once persisted") {
  // Given the evidence of a refused payment applied at position 40,
  Given g(10);
  events::Violation v;
  v.id = "violation-40";
  v.actor = "ledger:rules";
  v.time = "2025-06-30T09:20:00+08:00";
  v.rule = fb::RuleId::R10;
  v.refused_event_id = "evt-pay";
  v.refused_type = "PaymentMade";
  v.reason = "over";
  const std::string refused = "the refused event's bytes";
  v.digest = ToHex(Sha256Of(refused));
  v.refused_actor = "unit:310115-9042";
  v.refused_entity_id = "PAY-1";
  const std::string bytes = events::EncodeViolation(v);
  std::vector<EntityChange> changed;
  g.state.Apply(*events::DecodeEvent(bytes).value(), 40, DigestOf(bytes), &changed);
  // then it is found by the refused event's id and digest, and by nothing else,
  CHECK(g.state.EvidenceOf("evt-pay", DigestOf(refused)) == 40u);
  CHECK_FALSE(g.state.EvidenceOf("evt-pay", DigestOf("other bytes")).has_value());
  CHECK_FALSE(g.state.EvidenceOf("evt-other", DigestOf(refused)).has_value());
  // and a state loaded from the violation's persisted record finds it too.
  DecisionState copy;
  REQUIRE(copy.Load(DecisionState::EntityKey("violation-40"), g.state.EncodeEntity("violation-40"))
              .ok());
  CHECK(copy.EvidenceOf("evt-pay", DigestOf(refused)) == 40u);
  CHECK(copy.FindAs<ViolationState>("violation-40")->refused_event_id == "evt-pay");
}

TEST_CASE("an entity changed several times in a batch is written once, as it ended") {
  Given g(Chain().size());
  const Entity& contract = *g.state.Find("CON-2025-0042-01");
  Entity before = contract;
  before.version--;
  auto writes = StateWritesFor({{"CON-2025-0042-01", DecisionState::EncodeEntity(before)},
                                {"UNIT-x", "u"},
                                {"CON-2025-0042-01", DecisionState::EncodeEntity(contract)}},
                               {}, {}, 0);
  REQUIRE(writes.size() == 2);
  std::map<std::string, std::string> by_key;
  for (const auto& w : writes) by_key[w.key] = w.value;
  CHECK(by_key.at(DecisionState::EntityKey("CON-2025-0042-01")) ==
        g.state.EncodeEntity("CON-2025-0042-01"));
  CHECK(by_key.at(DecisionState::EntityKey("UNIT-x")) == "u");
}

TEST_CASE("applying an event reports each entity it changed with its new record") {
  Given g(Chain().size() - 1);
  const std::string last = Chain().back();
  std::string bytes = g.codec.Parse(last).value();
  const fb::Event& e = *events::DecodeEvent(bytes).value();
  REQUIRE(!Decide(g.state, e));
  std::vector<EntityChange> changed;
  g.state.Apply(e, g.position, DigestOf(bytes), &changed);
  REQUIRE(!changed.empty());
  CHECK(changed.back().id == events::EntityIdOf(e));
  for (const auto& c : changed) CHECK(c.record == g.state.EncodeEntity(c.id));
}

}  // namespace
}  // namespace ledger::core
