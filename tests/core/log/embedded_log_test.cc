#include "core/log/embedded_log.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "core/log/mirror_log.h"
#include "core/tlog/chain_verifier.h"
#include "events/codec.h"
#include "tests/support/event_json.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

using testing::PaymentEvents;
using testing::TempDir;

std::unique_ptr<EventLog> Open(const std::string& dir, OpenMode mode) {
  auto log = OpenEmbeddedLog(dir, mode);
  REQUIRE_MESSAGE(log.ok(), log.status().ToString());
  return std::move(log).value();
}

std::vector<std::string> ReadAll(EventLog& log) {
  std::vector<std::string> out;
  Status st = log.Read(0, UINT64_MAX, [&](const LogEntry& e) {
    CHECK(e.record.position == out.size());
    out.emplace_back(e.record.event);
    return true;
  });
  REQUIRE_MESSAGE(st.ok(), st.ToString());
  return out;
}

TEST_CASE("init, append, read back, reopen") {
  TempDir tmp;
  std::string dir = tmp.Sub("ledger");
  auto events = PaymentEvents(0, 250);
  {
    auto log = Open(dir, OpenMode::kCreate);
    CHECK(log->Size() == 0);
    CHECK(log->HeadHash() == Hash{});
    CHECK(log->Append(std::span(events).subspan(0, 100)).value() == 0);
    CHECK(log->Append(std::span(events).subspan(100, 1)).value() == 100);
    CHECK(log->Append(std::span(events).subspan(101)).value() == 101);
    CHECK(log->Size() == 250);
    CHECK(ReadAll(*log) == events);
  }
  Hash head;
  {
    auto log = Open(dir, OpenMode::kWrite);
    CHECK(log->Size() == 250);
    CHECK(ReadAll(*log) == events);
    head = log->HeadHash();
    CHECK(head != Hash{});
    auto more = PaymentEvents(250, 1);
    CHECK(log->Append(more).value() == 250);
  }
  auto reader = Open(dir, OpenMode::kRead);
  CHECK(reader->Size() == 251);
  CHECK(reader->HeadHash() != head);
}

TEST_CASE("own records with their chain hashes: the first must continue the head") {
  TempDir tmp;
  auto events = PaymentEvents(0, 6);
  std::vector<std::string> records(events.size());
  std::vector<Hash> links(events.size());
  Hash link{};
  for (size_t i = 0; i < events.size(); ++i) {
    AppendRecord(i, 1000 + i, events[i], &records[i]);
    link = links[i] = ChainHash(link, records[i]);
  }
  auto mirror = OpenMirrorLog(tmp.Sub("mirror"), OpenMode::kCreate, Sync::kNever).value();
  auto plain = OpenMirrorLog(tmp.Sub("plain"), OpenMode::kCreate, Sync::kNever).value();
  const std::span<const std::string> first3(records.data(), 3), last3(records.data() + 3, 3);
  const std::span<const Hash> links3(links.data(), 3), later3(links.data() + 3, 3);
  // A count that does not match, or links of other positions: nothing written.
  CHECK(mirror->AppendOwnRecords(first3, links3.first(2), {}).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(mirror->AppendOwnRecords(first3, later3, {}).status().IsCorruption());
  CHECK(mirror->Size() == 0);
  REQUIRE(mirror->AppendOwnRecords(first3, links3, {}).ok());
  CHECK(mirror->AppendOwnRecords(last3, links3, {}).status().IsCorruption());  // not the head's
  REQUIRE(mirror->AppendOwnRecords(last3, later3, {}).ok());
  // The same log as records chained by the log itself.
  REQUIRE(plain->AppendRecords(records, {}).ok());
  CHECK(mirror->Size() == 6);
  CHECK(mirror->HeadHash() == plain->HeadHash());
  CHECK(mirror->TreeNode(2, 0).value() == plain->TreeNode(2, 0).value());
  std::vector<Hash> stored;
  REQUIRE(mirror
              ->Read(0, 6,
                     [&](const LogEntry& e) {
                       stored.push_back(e.chain_hash);
                       return true;
                     })
              .ok());
  CHECK(stored == links);
}

TEST_CASE("reads honour from and limit, and stop when asked") {
  TempDir tmp;
  auto log = Open(tmp.Sub("l"), OpenMode::kCreate);
  REQUIRE(log->Append(PaymentEvents(0, 20)).ok());
  std::vector<uint64_t> seen;
  auto collect = [&](const LogEntry& e) {
    seen.push_back(e.record.position);
    return seen.size() < 3;
  };
  REQUIRE(log->Read(5, 10, collect).ok());
  CHECK(seen == std::vector<uint64_t>{5, 6, 7});
  seen.clear();
  REQUIRE(log->Read(18, 10,
                    [&](const LogEntry& e) {
                      seen.push_back(e.record.position);
                      return true;
                    })
              .ok());
  CHECK(seen == std::vector<uint64_t>{18, 19});
  seen.clear();
  REQUIRE(log->Read(20, 10, [&](const LogEntry&) { return true; }).ok());
}

TEST_CASE("an append with one bad event writes nothing") {
  TempDir tmp;
  auto log = Open(tmp.Sub("l"), OpenMode::kCreate);
  auto events = PaymentEvents(0, 3);
  events[1] = "garbage";
  auto r = log->Append(events);
  CHECK(r.status().IsCorruption());
  CHECK(r.status().message().find("event 1 of batch") != std::string::npos);
  CHECK(log->Size() == 0);
  CHECK(ReadAll(*log).empty());
}

TEST_CASE("opening: missing ledger, existing ledger, concurrent writer, reader follows") {
  TempDir tmp;
  std::string dir = tmp.Sub("l");
  CHECK(OpenEmbeddedLog(dir, OpenMode::kWrite).status().IsNotFound());
  CHECK(OpenEmbeddedLog(dir, OpenMode::kRead).status().IsNotFound());
  auto writer = Open(dir, OpenMode::kCreate);
  CHECK(OpenEmbeddedLog(dir, OpenMode::kCreate).status().code() == Status::Code::kInvalidArgument);
  CHECK(OpenEmbeddedLog(dir, OpenMode::kWrite).status().code() == Status::Code::kUnavailable);

  auto reader = Open(dir, OpenMode::kRead);
  CHECK(reader->Size() == 0);
  CHECK_FALSE(reader->Append(PaymentEvents(0, 1)).ok());
  REQUIRE(writer->Append(PaymentEvents(0, 5)).ok());
  REQUIRE(reader->WaitForMore(0, std::chrono::seconds(10)).ok());
  CHECK(reader->Size() == 5);
  CHECK(ReadAll(*reader) == PaymentEvents(0, 5));
  CHECK(reader->HeadHash() == writer->HeadHash());
}

TEST_CASE("batched tree reads (upper levels from memory) agree with point reads as the log grows") {
  TempDir tmp;
  std::string dir = tmp.Sub("l");
  auto writer = Open(dir, OpenMode::kCreate);
  auto reader = Open(dir, OpenMode::kRead);
  auto check_all = [](EventLog& log) {
    // Every node of every level, many times over: levels get loaded, then extended.
    const uint64_t n = log.Size();
    std::vector<TreeNodeId> ids;
    for (uint8_t level = 0; (n >> level) > 0; ++level) {
      for (uint64_t i = 0; i < (n >> level); ++i) ids.push_back({level, i});
    }
    for (int round = 0; round < 3; ++round) {
      for (size_t begin = 0; begin < ids.size(); begin += 7) {
        std::span<const TreeNodeId> some(ids.data() + begin,
                                         std::min<size_t>(7, ids.size() - begin));
        std::vector<Hash> got(some.size());
        REQUIRE(log.TreeNodes(some, got.data()).ok());
        for (size_t k = 0; k < some.size(); ++k) {
          CHECK(got[k] == log.TreeNode(some[k].level, some[k].index).value());
        }
      }
    }
    std::vector<Hash> out(1);
    TreeNodeId beyond{0, n};
    CHECK(log.TreeNodes({&beyond, 1}, out.data()).code() == Status::Code::kInvalidArgument);
  };
  uint64_t size = 0;
  for (size_t batch : {100, 1, 27, 300}) {
    REQUIRE(writer->Append(PaymentEvents(size, batch)).ok());
    size += batch;
    REQUIRE(reader->WaitForMore(size - 1, std::chrono::seconds(10)).ok());
    REQUIRE(reader->Size() == size);
    check_all(*writer);
    check_all(*reader);
  }
}

TEST_CASE("a writer that closes leaves no write-ahead log to replay") {
  TempDir tmp;
  std::string dir = tmp.Sub("l");
  {
    auto writer = Open(dir, OpenMode::kCreate);
    for (uint64_t p = 0; p < 4000; p += 1000) REQUIRE(writer->Append(PaymentEvents(p, 1000)).ok());
  }
  uint64_t wal_bytes = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".log") wal_bytes += f.file_size();
  }
  CHECK(wal_bytes == 0);
  auto reader = Open(dir, OpenMode::kRead);
  CHECK(reader->Size() == 4000);
  CHECK(ReadAll(*reader) == PaymentEvents(0, 4000));
}

}  // namespace
// The dying process of the test below (run only by it, as a child).
TEST_CASE("(child) appends to a copy without a WAL, keeps a checkpoint, appends, dies" *
          doctest::skip()) {
  const char* dir = getenv("LEDGER_TEST_COPY_DIR");
  REQUIRE(dir != nullptr);
  const auto events = PaymentEvents(0, 10);
  const std::span<const std::string> rest(events.data() + 4, 6);
  auto log = OpenMirrorLog(dir, OpenMode::kWrite, Sync::kNever);
  REQUIRE(log.ok());
  REQUIRE((*log)->Append(rest.first(2), std::vector<StateWrite>{{"k1", "after 6"}}).ok());
  REQUIRE((*log)->PutCheckpoint(6, "note for 6").ok());
  REQUIRE((*log)->Append(rest.subspan(2), std::vector<StateWrite>{{"k1", "after 10"}}).ok());
  REQUIRE((*log)->Size() == 10);
  _exit(0);  // no destructor, no flush: as if killed
}

TEST_CASE("a copy without a WAL (Sync::kNever) survives a crash as it was after a whole append") {
  TempDir tmp;
  const std::string dir = tmp.Sub("copy");
  const auto events = PaymentEvents(0, 10);
  const std::span<const std::string> first(events.data(), 4), rest(events.data() + 4, 6);
  Hash head_at_4{};
  {
    auto log = OpenMirrorLog(dir, OpenMode::kCreate, Sync::kNever).value();
    REQUIRE(log->Append(first, std::vector<StateWrite>{{"k1", "after 4"}}).ok());
    head_at_4 = log->HeadHash();
  }  // closed cleanly: everything flushed
  // A process that appends, keeps a checkpoint (flushed at once), appends
  // more, and dies without closing: nothing of it after the checkpoint is on
  // disk, since nothing went to a WAL.
  // (A process of its own: RocksDB's background threads do not survive a
  // fork, so the child is this test binary run again.)
  setenv("LEDGER_TEST_COPY_DIR", dir.c_str(), 1);
  auto child = testing::Run({"/proc/self/exe", "--no-skip", "-tc=(child) *"});
  unsetenv("LEDGER_TEST_COPY_DIR");
  REQUIRE_MESSAGE(child.exit_code == 0, std::string(child.out + child.err));
  auto log = OpenMirrorLog(dir, OpenMode::kWrite, Sync::kNever);
  REQUIRE_MESSAGE(log.ok(), log.status().ToString());
  // The state after the sixth record: records, head, tree, state and the
  // checkpoint agree with each other.
  CHECK((*log)->Size() == 6);
  CHECK(ReadAll(**log) == std::vector<std::string>(events.begin(), events.begin() + 6));
  CHECK((*log)->HeadHash() != head_at_4);
  std::string state;
  REQUIRE((*log)
              ->ScanState([&](std::string_view key, std::string_view value) {
                if (key == "k1") state = value;
                return Status::OK();
              })
              .ok());
  CHECK(state == "after 6");
  std::vector<std::string> notes;
  REQUIRE((*log)
              ->ReadCheckpoints([&](uint64_t size, std::string_view note) {
                CHECK(size == 6);
                notes.emplace_back(note);
                return true;
              })
              .ok());
  CHECK(notes == std::vector<std::string>{"note for 6"});
  // It goes on from there (as a writer refilling it would), and the whole
  // ledger verifies: records, chain and tree.
  REQUIRE((*log)->Append(rest.subspan(2)).ok());
  log->reset();
  auto reader = Open(dir, OpenMode::kRead);
  auto report = VerifyChain(*reader);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->records == 10);
}

}  // namespace ledger::core
