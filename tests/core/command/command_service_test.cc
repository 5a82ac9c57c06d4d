#include "core/command/command_service.h"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "core/log/embedded_log.h"
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

// The event stored at `position`, as JSON.
json StoredJson(EventLog& log, uint64_t position) {
  std::string text;
  REQUIRE(log.Read(position, 1,
                   [&](const LogEntry& e) {
                     events::JsonCodec codec;
                     text = codec.ToJson(*events::DecodeEvent(e.record.event).value());
                     return false;
                   })
              .ok());
  REQUIRE(!text.empty());
  return json::parse(text);
}

// The first 29 events of the demo chain, up to the first acceptance.
std::vector<std::string> UpToFirstAcceptance() {
  auto chain = testing::DemoChainLines();
  chain.resize(29);
  return chain;
}
// The payment that follows them, over the accepted amount: refused by R10.
json OverPayment() {
  json pay = json::parse(testing::DemoChainLines()[29]);
  pay["data"]["amount_fen"] = 10600001;
  return pay;
}

TEST_CASE("outcomes: positions, bad input, refusals with evidence, in line order") {
  Ledger l;
  auto out = l.Append(UpToFirstAcceptance());
  REQUIRE(out.size() == 29);
  for (const auto& o : out) CHECK(o.error.ok());
  json over = OverPayment();
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
  json ev = StoredJson(*l.log, 29);
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
  CHECK(out[0].error.message().find("(the original is at position 1)") != std::string::npos);
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

TEST_CASE("refusal evidence names who attempted it, its entity and its unit") {
  // Given the demo chain up to the first acceptance,
  Ledger l;
  l.Append(UpToFirstAcceptance());
  // when a payment above what was accepted and a demand of an unknown unit are refused,
  json pay = OverPayment();
  json demand = json::parse(testing::DemoChainLines()[8]);
  demand["id"] = "evt-demand-unknown-unit";
  demand["data"]["demand_id"] = "DEM-UNKNOWN-UNIT";
  demand["data"]["unit_code"] = "310115-9999";
  auto out = l.Append({pay.dump(), demand.dump()});
  REQUIRE(out[0].evidence_position == 29);
  REQUIRE(out[1].evidence_position == 30);
  // then each evidence carries the refused event's actor and entity, and its unit if named.
  json ev = StoredJson(*l.log, 29);
  CHECK(ev["data"]["refused_actor"] == pay["actor"]);
  CHECK(ev["data"]["refused_entity_id"] == pay["data"]["payment_id"]);
  CHECK_FALSE(ev["data"].contains("refused_unit_code"));  // a payment names no unit
  ev = StoredJson(*l.log, 30);
  CHECK(ev["data"]["rule"] == "R12");
  CHECK(ev["data"]["refused_actor"] == demand["actor"]);
  CHECK(ev["data"]["refused_entity_id"] == "DEM-UNKNOWN-UNIT");
  CHECK(ev["data"]["refused_unit_code"] == "310115-9999");
}

TEST_CASE("a refused event submitted again answers its first evidence, also after a restart") {
  // Given a payment refused once,
  Ledger l;
  l.Append(UpToFirstAcceptance());
  json pay = OverPayment();
  // when the same line comes twice in one batch, then again after a restart,
  auto out = l.Append({pay.dump(), pay.dump()});
  // then the second answers the first evidence and writes nothing,
  CHECK(out[0].evidence_position == 29);
  CHECK_FALSE(out[0].duplicate);
  CHECK(out[1].error.rule() == "R10");
  CHECK(out[1].duplicate);
  CHECK(out[1].evidence_position == 29);
  CHECK(l.log->Size() == 30);
  CHECK(l.service->stats().refused_again == 1);
  l.Restart();
  out = l.Append({pay.dump()});
  CHECK(out[0].error.rule() == "R10");
  CHECK(out[0].duplicate);
  CHECK(out[0].evidence_position == 29);
  CHECK(l.log->Size() == 30);
  // and the same id with other bytes is a new attempt, with new evidence.
  pay["data"]["amount_fen"] = 10600002;
  out = l.Append({pay.dump()});
  CHECK_FALSE(out[0].duplicate);
  CHECK(out[0].evidence_position == 30);
  CHECK(l.log->Size() == 31);
  CHECK(StoredJson(*l.log, 30)["data"]["refused_event_id"] == pay["id"]);
}

TEST_CASE("a refusal stands for its id and bytes, even once the rules would let it through") {
  // Given a demand refused because its unit does not exist,
  Ledger l;
  auto chain = testing::DemoChainLines();
  chain.resize(8);
  l.Append(chain);
  json demand = json::parse(testing::DemoChainLines()[8]);
  demand["data"]["unit_code"] = "310115-9999";
  auto out = l.Append({demand.dump()});
  REQUIRE(out[0].error.rule() == "R12");
  REQUIRE(out[0].evidence_position == 8);
  // when the unit is registered and the same demand comes again,
  json unit = json::parse(chain[1]);
  unit["id"] = "evt-unit-9999";
  unit["data"]["unit_code"] = "310115-9999";
  REQUIRE(l.Append({unit.dump()})[0].position == 9);
  out = l.Append({demand.dump()});
  // then it is refused as the first time, with the first evidence, and nothing is written.
  CHECK(out[0].error.rule() == "R12");
  CHECK(out[0].error.message().find("310115-9999") != std::string::npos);
  CHECK(out[0].duplicate);
  CHECK(out[0].evidence_position == 8);
  CHECK(l.log->Size() == 10);
  // Under a new id it goes in.
  demand["id"] = "evt-demand-again";
  CHECK(l.Append({demand.dump()})[0].position == 10);
}

TEST_CASE("a reused id refused under R12 answers its first evidence when retried") {
  // Given an event in the ledger, and its id reused with other content once,
  Ledger l;
  auto chain = testing::DemoChainLines();
  l.Append({chain[0], chain[1]});
  json changed = json::parse(chain[1]);
  changed["data"]["name"] = "another name";
  auto out = l.Append({changed.dump()});
  REQUIRE(out[0].evidence_position == 2);
  // when the same reuse comes again after a restart,
  l.Restart();
  out = l.Append({changed.dump()});
  // then it answers the same evidence and the log does not grow.
  CHECK(out[0].error.rule() == "R12");
  CHECK(out[0].duplicate);
  CHECK(out[0].evidence_position == 2);
  CHECK(l.log->Size() == 3);
}

TEST_CASE("the duplicate check knows each event's digest, kept with the state") {
  // Given two events appended, and the service restarted,
  Ledger l;
  auto chain = testing::DemoChainLines();
  l.Append({chain[0], chain[1]});
  l.Restart();
  // then the state knows each event's position and the digest of its bytes.
  events::JsonCodec codec;
  const EventRef* ref =
      l.service->state().FindEvent(json::parse(chain[1])["id"].get<std::string>());
  REQUIRE(ref != nullptr);
  CHECK(ref->position == 1);
  CHECK(ref->digest == DigestOf(codec.Parse(chain[1]).value()));
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

// An embedded log whose appends wait at a gate the test opens, and fail from
// the `fail_from`-th append on: the committer's view of a slow or failing
// Kafka commit. `durable` is the size after the last append that returned.
class GatedLog final : public EventLog {
 public:
  explicit GatedLog(std::unique_ptr<EventLog> inner) : inner_(std::move(inner)) {}

  Result<uint64_t> AppendChecked(std::span<const std::string> events,
                                 std::vector<StateWrite>&& state) override {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_ > 0; });
    --open_;
    ++appends_;
    if (fail_from_ > 0 && appends_ >= fail_from_) {
      return Status::Unavailable("commit failed (injected)");
    }
    auto first = inner_->AppendVerified(events, std::move(state));
    if (first.ok()) durable_ = inner_->Size();
    return first;
  }
  // Lets `n` more appends through.
  void Open(int n) {
    std::lock_guard lock(mu_);
    open_ += n;
    cv_.notify_all();
  }
  // Waits until `n` appends have started.
  void AwaitEntered(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  void FailFrom(int n) { fail_from_ = n; }
  int appends() {
    std::lock_guard lock(mu_);
    return appends_;
  }
  uint64_t durable() const { return durable_; }

  Status ScanState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override {
    return inner_->ScanState(visit);
  }
  uint64_t Size() const override { return inner_->Size(); }
  Hash HeadHash() const override { return inner_->HeadHash(); }
  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override {
    return inner_->Read(from, limit, visit);
  }
  Status WaitForMore(uint64_t n, std::chrono::milliseconds t) override {
    return inner_->WaitForMore(n, t);
  }
  Result<Hash> TreeNode(uint8_t level, uint64_t index) override {
    return inner_->TreeNode(level, index);
  }
  Status ReadTreeLevel(uint8_t level, uint64_t from, uint64_t limit,
                       const std::function<bool(uint64_t, const Hash&)>& visit) override {
    return inner_->ReadTreeLevel(level, from, limit, visit);
  }
  Status PutCheckpoint(uint64_t size, std::string_view note) override {
    return inner_->PutCheckpoint(size, note);
  }
  Status ReadCheckpoints(const std::function<bool(uint64_t, std::string_view)>& visit) override {
    return inner_->ReadCheckpoints(visit);
  }

 private:
  std::unique_ptr<EventLog> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  int open_ = 0, entered_ = 0, appends_ = 0;
  std::atomic<int> fail_from_{0};
  std::atomic<uint64_t> durable_{0};
};

TEST_CASE(
    "pipelined: outcomes in order, each only once its batch is durable; waiting batches "
    "go together") {
  testing::TempDir tmp;
  GatedLog log(OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value());
  std::vector<LineOutcome> out;
  auto service = CommandService::Open(log, [&](const LineOutcome& o) {
                   // Reported only when in the log.
                   if (o.position) CHECK(*o.position < log.durable());
                   if (o.evidence_position) CHECK(*o.evidence_position < log.durable());
                   out.push_back(o);
                 }).value();
  auto chain = testing::DemoChainLines();
  REQUIRE(chain.size() >= 30);
  uint64_t line = 0;
  auto submit = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) service->SubmitJson(++line, chain[i]);
  };
  submit(0, 10);
  REQUIRE(service->FlushAsync().ok());
  log.AwaitEntered(1);  // the committer holds batch 1 at the gate
  CHECK(out.empty());
  submit(10, 20);
  REQUIRE(service->FlushAsync().ok());
  // An idempotent retry of an event of batch 2 (handed over, not durable):
  // answered from the handed-over bytes, reported after batch 2.
  service->SubmitJson(++line, chain[12]);
  submit(20, 30);
  REQUIRE(service->FlushAsync().ok());
  CHECK(out.empty());  // nothing durable yet
  CHECK(service->next_position() == 30);
  log.Open(1);          // batch 1 commits
  log.AwaitEntered(2);  // batches 2 and 3, merged: one append
  log.Open(1);
  REQUIRE(service->Flush().ok());
  CHECK(log.appends() == 2);
  REQUIRE(out.size() == 31);
  for (size_t i = 0; i < out.size(); ++i) {
    CHECK(out[i].line == i + 1);
    CHECK(out[i].error.ok());
  }
  CHECK(out[20].duplicate);
  CHECK(out[20].position == 12);
  CHECK(out[30].position == 29);
  CHECK(log.Size() == 30);
}

TEST_CASE("pipelined: a failed append acknowledges nothing from it on, and the service stops") {
  testing::TempDir tmp;
  GatedLog log(OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value());
  log.FailFrom(2);
  std::vector<LineOutcome> out;
  auto service = CommandService::Open(log, [&](const LineOutcome& o) { out.push_back(o); }).value();
  auto chain = testing::DemoChainLines();
  uint64_t line = 0;
  auto submit = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) service->SubmitJson(++line, chain[i]);
  };
  submit(0, 10);
  REQUIRE(service->FlushAsync().ok());
  log.AwaitEntered(1);
  submit(10, 20);
  REQUIRE(service->FlushAsync().ok());
  log.Open(1);                             // batch 1 durable
  log.AwaitEntered(2);                     // batch 2 at the gate; it will fail
  service->SubmitJson(++line, chain[15]);  // a retry of an event of the failing batch
  submit(20, 25);
  Status async = service->FlushAsync();  // batch 3 waits behind batch 2
  log.Open(1);
  Status st = service->Flush();
  CHECK_FALSE(st.ok());
  CHECK(st.message().find("commit failed (injected)") != std::string::npos);
  CHECK((async.ok() || async.message() == st.message()));
  CHECK(log.appends() == 2);  // batch 3 never reached the log
  CHECK(log.Size() == 10);
  REQUIRE(out.size() == 26);
  for (size_t i = 0; i < out.size(); ++i) {
    CHECK(out[i].line == i + 1);
    if (i < 10) {
      CHECK(out[i].position == i);
    } else {
      CHECK_FALSE(out[i].position);
      CHECK_FALSE(out[i].duplicate);
      CHECK(out[i].error.message().find("commit failed (injected)") != std::string::npos);
    }
  }
  // Unusable from now on, with the same error.
  out.clear();
  service->SubmitJson(++line, chain[25]);
  CHECK(service->Flush().message() == st.message());
  REQUIRE(out.size() == 1);
  CHECK_FALSE(out[0].position);
  CHECK(log.Size() == 10);
}

}  // namespace
}  // namespace ledger::core
