// The Kafka backend against a real broker: the library API.
#include "core/log/kafka/kafka_log.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <thread>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "core/log/mirror_log.h"
#include "core/tlog/chain_verifier.h"
#include "projections/catalog.h"
#include "tests/kafka/kafka_env.h"
#include "tests/support/event_json.h"
#include "tests/support/temp_dir.h"
#include "tools/gen/generator.h"

namespace ledger::testing {
namespace {

using core::OpenMode;

std::unique_ptr<core::EventLog> OpenKafka(const std::string& topic, const std::string& dir,
                                          OpenMode mode) {
  auto log = core::OpenKafkaLog(KafkaOpts(topic), dir, mode);
  REQUIRE_MESSAGE(log.ok(), log.status().ToString());
  return std::move(log).value();
}

std::vector<std::string> Generated(uint64_t chains, uint64_t seed, double violations) {
  std::vector<std::string> lines;
  gen::GenerateChains({chains, seed, violations},
                      [&](const std::string& line) { lines.push_back(line); });
  return lines;
}

// Submits `lines` through the command service, flushing every `batch` lines;
// returns the outcomes' positions (or -1) in submission order.
std::vector<int64_t> Submit(core::EventLog& log, const std::vector<std::string>& lines,
                            size_t batch, uint64_t first_line = 0) {
  std::vector<int64_t> positions;
  auto service = core::CommandService::Open(log, [&](const core::LineOutcome& o) {
                   positions.push_back(o.position ? static_cast<int64_t>(*o.position) : -1);
                 }).value();
  for (size_t i = 0; i < lines.size(); ++i) {
    service->SubmitJson(first_line + i + 1, lines[i]);
    if (service->pending() >= batch) REQUIRE(service->Flush().ok());
  }
  REQUIRE(service->Flush().ok());
  return positions;
}

std::vector<std::string> Digests(projections::LedgerProjections& p) {
  std::vector<std::string> out;
  for (const auto& name : p.names()) {
    out.push_back(name + " " + core::ToHex(p.store->Digest(name).value()));
  }
  return out;
}

std::string RecordAt(core::EventLog& log, uint64_t position) {
  std::string out;
  REQUIRE(log.Read(position, 1,
                   [&](const core::LogEntry& e) {
                     out.assign(e.record.bytes);
                     return false;
                   })
              .ok());
  return out;
}

TEST_CASE("generated chains through Kafka: same outcomes, verify, digests equal the embedded's") {
  TempDir tmp;
  const std::string topic = FreshTopic("chains");
  auto lines = Generated(60, 7, 0.1);
  auto embedded = core::OpenEmbeddedLog(tmp.Sub("embedded"), OpenMode::kCreate).value();
  auto writer = OpenKafka(topic, tmp.Sub("mirror"), OpenMode::kCreate);
  auto want = Submit(*embedded, lines, 500);
  auto got = Submit(*writer, lines, 500);
  CHECK(got == want);
  REQUIRE(writer->Size() == embedded->Size());
  CHECK(std::count(got.begin(), got.end(), -1) > 0);  // some refused: their evidence is recorded
  CHECK(writer->Size() == lines.size());

  auto reader = OpenKafka(topic, "", OpenMode::kRead);
  CHECK(reader->Size() == writer->Size());
  CHECK(reader->HeadHash() == writer->HeadHash());
  auto report = core::VerifyChain(*reader);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->records == writer->Size());
  // The topic holds the mirror's bytes exactly (recorded_at included).
  for (uint64_t p : {uint64_t{0}, writer->Size() / 2, writer->Size() - 1}) {
    CHECK(RecordAt(*reader, p) == RecordAt(*writer, p));
  }

  auto from_embedded = projections::OpenLedgerProjections(tmp.Sub("embedded"), *embedded).value();
  REQUIRE(from_embedded->runner->CatchUp(1000).ok());
  std::filesystem::create_directories(tmp.Sub("consumer"));
  auto from_kafka = projections::OpenLedgerProjections(tmp.Sub("consumer"), *reader).value();
  REQUIRE(from_kafka->runner->CatchUp(1000).ok());
  CHECK(Digests(*from_kafka) == Digests(*from_embedded));
  for (const auto& name : from_kafka->names()) {
    CHECK(from_kafka->store->Checkpoint(name) == writer->Size());
    // Saved beside the position: the Kafka offset, past the transaction markers.
    CHECK(from_kafka->store->CheckpointOffset(name) > static_cast<int64_t>(writer->Size()));
    CHECK(from_embedded->store->CheckpointOffset(name) == -1);
  }
}

TEST_CASE("reads at any position map positions to offsets across transaction markers") {
  TempDir tmp;
  const std::string topic = FreshTopic("random");
  auto writer = OpenKafka(topic, tmp.Sub("mirror"), OpenMode::kCreate);
  for (uint64_t batch = 0; batch < 12; ++batch) {
    std::vector<std::string> lines;
    for (uint64_t i = 0; i < 1 + batch * 7; ++i) lines.push_back(UnitLine(batch * 1000 + i));
    Submit(*writer, lines, 10000);
  }
  auto reader = OpenKafka(topic, "", OpenMode::kRead);
  REQUIRE(reader->Size() == writer->Size());
  std::vector<uint64_t> order(writer->Size());
  for (uint64_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(5));
  order.resize(40);
  for (uint64_t p : order) {
    CAPTURE(p);
    CHECK(RecordAt(*reader, p) == RecordAt(*writer, p));
  }
  // A wrong hint costs a search, never a wrong record.
  reader->HintOffset(10, 3);
  CHECK(RecordAt(*reader, 10) == RecordAt(*writer, 10));
  std::vector<uint64_t> seen;
  REQUIRE(reader
              ->Read(reader->Size() - 5, 100,
                     [&](const core::LogEntry& e) {
                       seen.push_back(e.record.position);
                       CHECK(e.source_offset >= static_cast<int64_t>(e.record.position));
                       return true;
                     })
              .ok());
  CHECK(seen.size() == 5);
  CHECK(seen.back() == writer->Size() - 1);
}

TEST_CASE("a second writer fences the first, which stops with a clear error") {
  TempDir tmp;
  const std::string topic = FreshTopic("fence");
  auto first = OpenKafka(topic, tmp.Sub("a"), OpenMode::kCreate);
  Submit(*first, {UnitLine(1), UnitLine(2), UnitLine(3)}, 100);
  // A writer on another machine: an empty mirror of its own, filled from the topic.
  auto second = OpenKafka(topic, tmp.Sub("b"), OpenMode::kWrite);
  CHECK(second->Size() == 3);
  CHECK(second->HeadHash() == first->HeadHash());

  auto service = core::CommandService::Open(*first, [](const core::LineOutcome&) {}).value();
  service->SubmitJson(1, UnitLine(4));
  Status st = service->Flush();
  CHECK(st.code() == Status::Code::kConflict);
  CHECK(st.message().find("fenced: another writer opened topic " + topic) != std::string::npos);
  CHECK(first->Size() == 3);  // nothing of the refused batch in the mirror

  auto positions = Submit(*second, {UnitLine(4), UnitLine(5)}, 100);
  CHECK(positions == std::vector<int64_t>{3, 4});
  auto reader = OpenKafka(topic, "", OpenMode::kRead);
  CHECK(reader->Size() == 5);
  CHECK(core::VerifyChain(*reader).ok());

  // The first machine's mirror, reopened, copies what the second wrote, with
  // its decision state: the same event again is an idempotent no-op.
  first.reset();
  second.reset();
  auto again = OpenKafka(topic, tmp.Sub("a"), OpenMode::kWrite);
  CHECK(again->Size() == 5);
  std::vector<core::LineOutcome> outcomes;
  auto s2 = core::CommandService::Open(*again, [&](const core::LineOutcome& o) {
              outcomes.push_back(o);
            }).value();
  s2->SubmitJson(1, UnitLine(5));
  REQUIRE(s2->Flush().ok());
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].duplicate);
  CHECK(outcomes[0].position == 4);
}

TEST_CASE("pipelined appends: a writer fenced mid-stream acknowledged only what the topic holds") {
  TempDir tmp;
  const std::string topic = FreshTopic("pipelined-fence");
  auto first = OpenKafka(topic, tmp.Sub("a"), OpenMode::kCreate);
  struct Acked {
    uint64_t line;
    uint64_t position;
    std::string event_id;
  };
  std::vector<Acked> acked;
  std::vector<core::LineOutcome> failed;
  uint64_t reported = 0;
  auto service = core::CommandService::Open(*first, [&](const core::LineOutcome& o) {
                   CHECK(o.line == ++reported);  // in submission order
                   if (o.position) {
                     acked.push_back({o.line, *o.position, o.event_id});
                   } else {
                     failed.push_back(o);
                   }
                 }).value();
  std::unique_ptr<core::EventLog> second;
  Status st;
  constexpr uint64_t kLines = 4000, kBatch = 50;
  for (uint64_t n = 1; n <= kLines && st.ok(); ++n) {
    service->SubmitJson(n, UnitLine(n));
    if (n % kBatch == 0) st = service->FlushAsync();
    // Another writer opens while batches are in flight: it fences the first.
    if (n == kLines / 2) second = OpenKafka(topic, tmp.Sub("b"), OpenMode::kWrite);
  }
  if (st.ok()) st = service->Flush();
  REQUIRE_FALSE(st.ok());
  CHECK(st.code() == Status::Code::kConflict);
  CHECK(st.message().find("fenced: another writer opened topic " + topic) != std::string::npos);
  CHECK(reported == acked.size() + failed.size());
  REQUIRE(!failed.empty());
  for (const auto& o : failed) CHECK_FALSE(o.error.ok());

  // Every acknowledged event is in the topic at its position, and they are
  // its first records, in order (nothing acknowledged after a failure).
  auto reader = OpenKafka(topic, "", OpenMode::kRead);
  REQUIRE(reader->Size() >= acked.size());
  CHECK(reader->Size() == second->Size());
  std::vector<std::string> ids;
  REQUIRE(reader
              ->Read(0, acked.size(),
                     [&](const core::LogEntry& e) {
                       ids.emplace_back(events::DecodeEvent(e.record.event).value()->id()->str());
                       return true;
                     })
              .ok());
  REQUIRE(ids.size() == acked.size());
  for (size_t i = 0; i < acked.size(); ++i) {
    CHECK(acked[i].position == i);
    CHECK(acked[i].line == i + 1);
    CHECK(ids[i] == acked[i].event_id);
  }
  CHECK(core::VerifyChain(*reader).ok());
}

TEST_CASE("a mirror that lost its latest writes (unsynced, a machine crash) is refilled on open") {
  TempDir tmp;
  const std::string topic = FreshTopic("mirror-behind");
  {
    auto w = OpenKafka(topic, tmp.Sub("m"), OpenMode::kCreate);
    Submit(*w, {UnitLine(1), UnitLine(2), UnitLine(3)}, 10);
  }
  // The mirror as a crash might leave it: without the writes after this.
  std::filesystem::copy(tmp.Sub("m"), tmp.Sub("behind"), std::filesystem::copy_options::recursive);
  core::Hash head{};
  {
    auto w = OpenKafka(topic, tmp.Sub("m"), OpenMode::kWrite);
    Submit(*w, {UnitLine(4), UnitLine(5), UnitLine(6)}, 2);
    CHECK(w->Size() == 6);
    head = w->HeadHash();
  }
  auto w = OpenKafka(topic, tmp.Sub("behind"), OpenMode::kWrite);
  CHECK(w->Size() == 6);
  CHECK(w->HeadHash() == head);
  CHECK(RecordAt(*w, 5) == RecordAt(*OpenKafka(topic, "", OpenMode::kRead), 5));
  // Its decision state reflects the first three; no state follows it until
  // the command service has caught it up.
  CHECK(w->StateSize() == 3);
  CHECK(w->Append({}, std::vector<core::StateWrite>{{"s/x", "y"}}).status().code() ==
        Status::Code::kInvalidArgument);
  // With the decision state of what it copied: a retry is a duplicate.
  std::vector<core::LineOutcome> out;
  auto service =
      core::CommandService::Open(*w, [&](const core::LineOutcome& o) { out.push_back(o); }).value();
  CHECK(w->StateSize() == 6);
  service->SubmitJson(1, UnitLine(5));
  service->SubmitJson(2, UnitLine(7));
  REQUIRE(service->Flush().ok());
  REQUIRE(out.size() == 2);
  CHECK(out[0].duplicate);
  CHECK(out[0].position == 4);
  CHECK(out[1].position == 6);
  CHECK(core::VerifyChain(*OpenKafka(topic, "", OpenMode::kRead)).ok());
}

TEST_CASE("the mirror gets each batch's decision state at once, and the records when read") {
  TempDir tmp;
  const std::string topic = FreshTopic("mirror-lazy"), dir = tmp.Sub("m");
  const std::vector<std::string> lines = Generated(4, 11, 0.0);
  {
    auto w = OpenKafka(topic, dir, OpenMode::kCreate);
    Submit(*w, lines, 16);
  }
  const uint64_t n = lines.size();
  {
    // The write path copied no record: the mirror alone holds none yet...
    auto alone = core::OpenMirrorLog(dir, OpenMode::kWrite, core::Sync::kNever).value();
    CHECK(alone->Size() == 0);
    CHECK(alone->StateSize() == n);
    // ...and refuses appends of its own, which would not follow its state.
    const std::vector<std::string> event = {events::JsonCodec().Parse(UnitLine(9)).value()};
    auto refused = alone->Append(event, {});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("append through --kafka") != std::string::npos);
  }
  {
    // ...while a writer opens at once on its state: a retry is a duplicate.
    auto w = OpenKafka(topic, dir, OpenMode::kWrite);
    CHECK(w->Size() == n);
    std::vector<core::LineOutcome> out;
    auto service = core::CommandService::Open(*w, [&](const core::LineOutcome& o) {
                     out.push_back(o);
                   }).value();
    service->SubmitJson(1, lines[3]);
    REQUIRE(service->Flush().ok());
    REQUIRE(out.size() == 1);
    CHECK(out[0].duplicate);
    CHECK(out[0].position == 3);  // read back through the writer: the records are copied
    CHECK(RecordAt(*w, n - 1) == RecordAt(*OpenKafka(topic, "", OpenMode::kRead), n - 1));
  }
  auto alone = core::OpenEmbeddedLog(dir, OpenMode::kRead).value();
  CHECK(alone->Size() == n);
  CHECK(core::VerifyChain(*alone).ok());
}

TEST_CASE("a mirror of another topic is refused, naming the position") {
  TempDir tmp;
  const std::string a = FreshTopic("mirror-a"), b = FreshTopic("mirror-b");
  {
    auto wa = OpenKafka(a, tmp.Sub("m"), OpenMode::kCreate);
    Submit(*wa, {UnitLine(1), UnitLine(2)}, 10);
    auto wb = OpenKafka(b, tmp.Sub("other"), OpenMode::kCreate);
    Submit(*wb, {UnitLine(7), UnitLine(8), UnitLine(9)}, 10);
  }
  auto opened = core::OpenKafkaLog(KafkaOpts(b), tmp.Sub("m"), OpenMode::kWrite);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.status().code() == Status::Code::kCorruption);
  CHECK(opened.status().message().find("position 1: the mirror in") != std::string::npos);
  auto missing = core::OpenKafkaLog(KafkaOpts(FreshTopic("none")), "", OpenMode::kRead);
  CHECK(missing.status().IsNotFound());
}

TEST_CASE("a deleted topic is gone, and deleting it again says there is no such topic") {
  const std::string topic = FreshTopic("deleted");
  REQUIRE(core::CreateKafkaTopic(KafkaOpts(topic)).ok());
  REQUIRE(core::OpenKafkaLog(KafkaOpts(topic), "", OpenMode::kRead).ok());
  Status deleted = core::DeleteKafkaTopic(KafkaOpts(topic));
  REQUIRE_MESSAGE(deleted.ok(), deleted.ToString());
  // The brokers' metadata may show the deletion a moment later.
  Status opened;
  for (int i = 0; i < 100; ++i) {
    opened = core::OpenKafkaLog(KafkaOpts(topic), "", OpenMode::kRead).status();
    if (!opened.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(opened.IsNotFound());
  CHECK(core::DeleteKafkaTopic(KafkaOpts(topic)).IsNotFound());
}

TEST_CASE("a consumer restarted mid-stream resumes where it stopped, and a follower sees appends") {
  TempDir tmp;
  const std::string topic = FreshTopic("resume");
  auto lines = Generated(30, 9, 0.0);
  const size_t half = lines.size() / 2;
  auto writer = OpenKafka(topic, tmp.Sub("mirror"), OpenMode::kCreate);
  Submit(*writer, {lines.begin(), lines.begin() + half}, 100);
  const uint64_t first_size = writer->Size();
  std::filesystem::create_directories(tmp.Sub("consumer"));
  {
    auto reader = OpenKafka(topic, "", OpenMode::kRead);
    auto p = projections::OpenLedgerProjections(tmp.Sub("consumer"), *reader).value();
    CHECK(p->runner->CatchUp(64).value() == first_size);
  }
  Submit(*writer, {lines.begin() + half, lines.end()}, 100, half);
  std::vector<std::string> resumed;
  {
    auto reader = OpenKafka(topic, "", OpenMode::kRead);
    auto p = projections::OpenLedgerProjections(tmp.Sub("consumer"), *reader).value();
    // Only what it had not seen, starting at the saved Kafka offset.
    CHECK(p->runner->CatchUp(64).value() == writer->Size() - first_size);
    resumed = Digests(*p);
  }
  {
    auto reader = OpenKafka(topic, "", OpenMode::kRead);
    std::filesystem::create_directories(tmp.Sub("fresh"));
    auto p = projections::OpenLedgerProjections(tmp.Sub("fresh"), *reader).value();
    CHECK(p->runner->CatchUp(4096).value() == writer->Size());
    CHECK(Digests(*p) == resumed);
  }

  // A follower at the tail sees the next commit.
  auto follower = OpenKafka(topic, "", OpenMode::kRead);
  const uint64_t before = follower->Size();
  std::thread append([&] { Submit(*writer, {UnitLine(9001), UnitLine(9002)}, 10); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (follower->Size() < before + 2 && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(follower->WaitForMore(follower->Size(), std::chrono::milliseconds(500)).ok());
  }
  append.join();
  REQUIRE(follower->Size() == before + 2);
  std::vector<uint64_t> got;
  REQUIRE(follower
              ->Read(before, 10,
                     [&](const core::LogEntry& e) {
                       got.push_back(e.record.position);
                       return true;
                     })
              .ok());
  CHECK(got == std::vector<uint64_t>{before, before + 1});
  CHECK(follower->HeadHash() == writer->HeadHash());
}

}  // namespace
}  // namespace ledger::testing
