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
