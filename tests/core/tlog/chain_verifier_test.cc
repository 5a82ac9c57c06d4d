#include "core/tlog/chain_verifier.h"

#include <doctest/doctest.h>

#include <bit>
#include <filesystem>

#include "core/log/embedded_log.h"
#include "core/tlog/checkpoint.h"
#include "core/util/merkle.h"
#include "tests/support/event_json.h"
#include "tests/support/store_tamper.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

using testing::StoreTamper;
using testing::TempDir;

constexpr uint64_t kRecords = 50;

// A ledger of kRecords events; returns its directory.
std::string MakeLedger(const TempDir& tmp) {
  std::string dir = tmp.Sub("l");
  auto log = OpenEmbeddedLog(dir, OpenMode::kCreate).value();
  REQUIRE(log->Append(testing::PaymentEvents(0, 30)).ok());
  REQUIRE(log->Append(testing::PaymentEvents(30, kRecords - 30)).ok());
  return dir;
}

Status Verify(const std::string& dir, uint64_t chunks_per_batch = 64) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead);
  REQUIRE(log.ok());
  VerifyOptions options;
  options.chunks_per_batch = chunks_per_batch;
  return VerifyLedger(**log, options).status();
}

// The same finding whether the chunks are folded all at once or one by one.
void CheckFailsAt(const std::string& dir, uint64_t position, const std::string& what) {
  for (uint64_t batch : {64, 1}) {
    Status st = Verify(dir, batch);
    CAPTURE(batch);
    CAPTURE(st.ToString());
    CHECK(st.IsCorruption());
    CHECK(st.message().starts_with("position " + std::to_string(position) + ":"));
    CHECK(st.message().find(what) != std::string::npos);
  }
}

// A full verification of the ledger in `dir` with the signer's key, checking
// the ledger's kept checkpoints and the `auditor`'s.
Result<ChainReport> VerifyWithKey(const std::string& dir, const NoteSigner& signer,
                                  std::vector<std::string> auditor) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead).value();
  VerifyOptions o;
  o.key = &signer.verifier();
  o.auditor_checkpoints = std::move(auditor);
  return VerifyLedger(*log, o);
}

TEST_CASE("an untouched ledger verifies") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead).value();
  uint64_t last_progress = 0;
  auto report = VerifyChain(*log, [&](uint64_t done, uint64_t) { last_progress = done; });
  REQUIRE(report.ok());
  CHECK(report->records == kRecords);
  CHECK(report->head == log->HeadHash());
  CHECK(last_progress == kRecords);
}

TEST_CASE("a modified record is found, with its position") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  SUBCASE("a byte of the event's content") {
    { StoreTamper(dir).FlipByte(17, 32 + kRecordHeaderSize + 60); }
    CheckFailsAt(dir, 17, "");
  }
  SUBCASE("the stored hash") {
    { StoreTamper(dir).FlipByte(23, 3); }
    CheckFailsAt(dir, 23, "chain hash mismatch");
  }
  SUBCASE("the ledger time") {
    { StoreTamper(dir).FlipByte(40, 32 + 12); }
    CheckFailsAt(dir, 40, "chain hash mismatch");
  }
  SUBCASE("the last record") {
    { StoreTamper(dir).FlipByte(kRecords - 1, 32 + kRecordHeaderSize + 40); }
    CheckFailsAt(dir, kRecords - 1, "");
  }
  SUBCASE("every single byte of one record") {
    std::string original;
    { original = StoreTamper(dir).Get(9); }
    for (size_t i = 0; i < original.size(); ++i) {
      { StoreTamper(dir).FlipByte(9, i); }
      CAPTURE(i);
      CheckFailsAt(dir, 9, "");
      { StoreTamper(dir).Put(9, original); }
    }
    CHECK(Verify(dir).ok());
  }
}

TEST_CASE("a deleted record is found") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  { StoreTamper(dir).Delete(12); }
  CheckFailsAt(dir, 12, "record missing (next record found is at position 13)");
}

TEST_CASE("two swapped records are found") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  { StoreTamper(dir).Swap(5, 6); }
  CheckFailsAt(dir, 5, "record carries position 6");
}

TEST_CASE("a rewritten record that keeps its position breaks the chain") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  {
    StoreTamper t(dir);
    std::string v7 = t.Get(7), v8 = t.Get(8);
    // Put record 8's event into slot 7, fixing the position field.
    std::string forged = v7.substr(0, 32 + kRecordHeaderSize) + v8.substr(32 + kRecordHeaderSize);
    t.Put(7, forged);
  }
  CheckFailsAt(dir, 7, "chain hash mismatch");
}

TEST_CASE("a truncated tail is found, and the writer refuses to append") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  {
    StoreTamper t(dir);
    t.Delete(kRecords - 1);
    t.Delete(kRecords - 2);
  }
  CheckFailsAt(dir, kRecords - 2, "the head says 50 records but the log ends at 48");
  auto writer = OpenEmbeddedLog(dir, OpenMode::kWrite);
  CHECK(writer.status().IsCorruption());
  CHECK(writer.status().message().find("refusing to append") != std::string::npos);
}

TEST_CASE("a truncated stored value is found") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  {
    StoreTamper t(dir);
    t.Put(3, t.Get(3).substr(0, 20));
  }
  CheckFailsAt(dir, 3, "truncated");
  {
    StoreTamper t(dir);
    t.Put(3, std::string(40, 'x'));
  }
  CheckFailsAt(dir, 3, "");
}

TEST_CASE("a record rewritten with its whole chain is found by the Merkle tree") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  {
    StoreTamper t(dir);
    std::string record = t.Get(21).substr(32);
    record[kRecordHeaderSize + 60] ^= 0x01;
    t.RewriteChain(21, record);  // chain links and head recomputed: the chain alone checks out
  }
  CheckFailsAt(dir, 21, "Merkle leaf mismatch");
}

TEST_CASE("a changed tree node is found with the positions it covers") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  { StoreTamper(dir).FlipTreeNode(2, 3, 5); }  // positions 12-15
  CheckFailsAt(dir, 12, "Merkle tree node (level 2, positions 12-15)");
}

TEST_CASE("checkpoints: recomputed from the records, a rewritten history and a fork are reported") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  auto signer = NoteSigner::Generate("test.example/ledger").value();
  std::string at_20, at_50;
  {
    auto log = OpenEmbeddedLog(dir, OpenMode::kWrite).value();
    auto c20 = SignCheckpoint(*log, signer, 20).value();
    REQUIRE(log->PutCheckpoint(20, c20.note).ok());
    at_20 = c20.note;
    at_50 = SignCheckpoint(*log, signer, 50).value().note;
  }
  auto verify = [&](std::vector<std::string> auditor) {
    return VerifyWithKey(dir, signer, std::move(auditor));
  };
  auto ok = verify({at_50});
  REQUIRE_MESSAGE(ok.ok(), ok.status().ToString());
  CHECK(ok->checkpoints == 2);
  CHECK(ok->tree_nodes >= kRecords);

  // The auditor holds a checkpoint of another history of size 20: a fork.
  Checkpoint other{signer.name(), 20, merkle::LeafHash("another history")};
  auto forked = verify({signer.Sign(CheckpointText(other)).value()});
  CHECK(forked.status().message().starts_with("fork at size 20:"));
  // ... of a size the ledger did not keep: a fork against the records.
  other.size = 30;
  forked = verify({signer.Sign(CheckpointText(other)).value()});
  CHECK(forked.status().message().starts_with("fork at size 30:"));
  // Signed by someone else: refused.
  auto stranger = NoteSigner::Generate("test.example/ledger").value();
  CHECK_FALSE(verify({stranger.Sign(CheckpointText(other)).value()}).ok());

  // History rewritten wholesale (records, chain and tree) before a kept checkpoint.
  {
    StoreTamper t(dir);
    std::string record = t.Get(4).substr(32);
    record[kRecordHeaderSize + 60] ^= 0x01;
    t.RewriteChain(4, record);
  }
  {
    auto w = OpenEmbeddedLog(dir, OpenMode::kWrite);  // the tree is stale but complete
    REQUIRE(w.ok());
  }
  auto rewritten = verify({});
  CHECK_FALSE(rewritten.ok());
  CHECK(rewritten.status().message().starts_with("position 4: Merkle leaf mismatch"));
  // ... and the tree rebuilt from the rewritten records: the signed root catches it.
  { StoreTamper(dir).RebuildTree(); }
  rewritten = verify({});
  CHECK(
      rewritten.status().message().starts_with("checkpoint at size 20: the ledger's signed root"));
}

// VerifyLedger checks the records in aligned chunks of 16384 positions on
// every core at once; what it finds must not depend on that.
constexpr uint64_t kChunk = 16384;
constexpr uint64_t kLong = 2 * kChunk + 37;

// A copy of one ledger of kLong events, made once.
std::string MakeLongLedger(const TempDir& tmp) {
  static TempDir original_dir;
  static const std::string original = [] {
    std::string dir = original_dir.Sub("long");
    auto log = OpenEmbeddedLog(dir, OpenMode::kCreate).value();
    for (uint64_t p = 0; p < kLong; p += 4096) {
      REQUIRE(log->Append(testing::PaymentEvents(p, std::min<uint64_t>(4096, kLong - p))).ok());
    }
    return dir;
  }();
  std::string dir = tmp.Sub("long");
  std::filesystem::copy(original, dir, std::filesystem::copy_options::recursive);
  return dir;
}

TEST_CASE("a ledger of several chunks: findings keep their position, the first one wins") {
  TempDir tmp;
  std::string dir = MakeLongLedger(tmp);
  {
    auto log = OpenEmbeddedLog(dir, OpenMode::kRead).value();
    auto report = VerifyChain(*log);
    REQUIRE_MESSAGE(report.ok(), report.status().ToString());
    CHECK(report->records == kLong);
    CHECK(report->head == log->HeadHash());
    CHECK(report->tree_nodes == 2 * kLong - std::popcount(kLong));  // every perfect subtree
    auto root = merkle::RootAt(kLong, [&](uint8_t l, uint64_t i) { return log->TreeNode(l, i); });
    CHECK(report->root == root.value());
  }
  SUBCASE("the first record of a chunk") {
    { StoreTamper(dir).FlipByte(kChunk, 32 + 12); }
    CheckFailsAt(dir, kChunk, "chain hash mismatch");
  }
  SUBCASE("the stored link of the last record of a chunk") {
    { StoreTamper(dir).FlipByte(kChunk - 1, 3); }
    CheckFailsAt(dir, kChunk - 1, "chain hash mismatch");
  }
  SUBCASE("the event of a record in the last, partial chunk") {
    { StoreTamper(dir).FlipByte(2 * kChunk + 5, 32 + kRecordHeaderSize + 60); }
    CheckFailsAt(dir, 2 * kChunk + 5, "");
  }
  SUBCASE("two changes in different chunks: the earlier one is reported") {
    {
      StoreTamper t(dir);
      t.FlipByte(2 * kChunk + 1, 32 + 12);
      t.FlipByte(kChunk + 100, 32 + 12);
    }
    CheckFailsAt(dir, kChunk + 100, "chain hash mismatch");
  }
  SUBCASE("a record missing at a chunk boundary") {
    { StoreTamper(dir).Delete(2 * kChunk); }
    CheckFailsAt(dir, 2 * kChunk, "record missing");
  }
  SUBCASE("a record rewritten with its whole chain, first of a chunk") {
    {
      StoreTamper t(dir);
      std::string record = t.Get(kChunk).substr(32);
      record[12] ^= 0x01;  // the ledger time
      t.RewriteChain(kChunk, record);
    }
    CheckFailsAt(dir, kChunk, "Merkle leaf mismatch");
  }
  SUBCASE("a tree node above the chunks") {
    { StoreTamper(dir).FlipTreeNode(15, 0, 7); }
    CheckFailsAt(dir, 0, "Merkle tree node (level 15, positions 0-32767)");
  }
  SUBCASE("a tree node of a chunk and a later record: the node completes first") {
    {
      StoreTamper t(dir);
      t.FlipTreeNode(14, 1, 0);  // positions 16384-32767
      t.FlipByte(2 * kChunk + 2, 32 + 12);
    }
    CheckFailsAt(dir, kChunk, "Merkle tree node (level 14, positions 16384-32767)");
  }
}

TEST_CASE("a head claiming more records than the log holds: reported before anything is sized") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  { StoreTamper(dir).FlipHeadByte(2); }  // the size's third byte: 2^40 more records
  Status st = Verify(dir);
  CAPTURE(st.ToString());
  CHECK(st.IsCorruption());
  CHECK(st.message().starts_with("position " + std::to_string(kRecords) + ": the head says " +
                                 std::to_string(kRecords + (uint64_t{1} << 40)) +
                                 " records but the log ends at " + std::to_string(kRecords)));
  // A writer refuses it the same way.
  auto writer = OpenEmbeddedLog(dir, OpenMode::kWrite);
  CHECK(writer.status().message().find("the head says") != std::string::npos);
}

TEST_CASE("a store whose head and last key both claim 2^40 records: found where the log ends") {
  TempDir tmp;
  std::string dir = MakeLedger(tmp);
  const uint64_t claimed = (uint64_t{1} << 40) + 1;
  {
    StoreTamper t(dir);
    t.Put(claimed - 1, t.Get(kRecords - 1));
    t.SetHeadSize(claimed);
  }
  CheckFailsAt(dir, kRecords, "record missing");
}

TEST_CASE("a ledger of several chunks: signed roots inside and at the end of chunks") {
  TempDir tmp;
  std::string dir = MakeLongLedger(tmp);
  auto signer = NoteSigner::Generate("test.example/ledger").value();
  std::vector<std::string> notes;
  {
    auto log = OpenEmbeddedLog(dir, OpenMode::kWrite).value();
    for (uint64_t size : {uint64_t{1}, kChunk, kChunk + 1, kChunk + 12345, kLong}) {
      auto c = SignCheckpoint(*log, signer, size).value();
      REQUIRE(log->PutCheckpoint(size, c.note).ok());
    }
  }
  auto verify = [&](std::vector<std::string> auditor) {
    return VerifyWithKey(dir, signer, std::move(auditor));
  };
  auto ok = verify({});
  REQUIRE_MESSAGE(ok.ok(), ok.status().ToString());
  CHECK(ok->checkpoints == 5);

  // Another history of a size inside the second chunk.
  Checkpoint other{signer.name(), kChunk + 500, merkle::LeafHash("another history")};
  auto forked = verify({signer.Sign(CheckpointText(other)).value()});
  CHECK(forked.status().message().starts_with("fork at size 16884:"));
  // ... the signed root comes before a later finding, after an earlier one.
  { StoreTamper(dir).FlipByte(kChunk + 500, 32 + 12); }
  forked = verify({signer.Sign(CheckpointText(other)).value()});
  CHECK(forked.status().message().starts_with("fork at size 16884:"));
  { StoreTamper(dir).FlipByte(kChunk + 499, 32 + 12); }
  forked = verify({signer.Sign(CheckpointText(other)).value()});
  CHECK(forked.status().message().starts_with("position 16883: chain hash mismatch"));
}

}  // namespace
}  // namespace ledger::core
