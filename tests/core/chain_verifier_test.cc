#include "core/chain_verifier.h"

#include <doctest/doctest.h>

#include "core/checkpoint.h"
#include "core/embedded_log.h"
#include "core/merkle.h"
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

Status Verify(const std::string& dir) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead);
  REQUIRE(log.ok());
  return VerifyChain(**log).status();
}

void CheckFailsAt(const std::string& dir, uint64_t position, const std::string& what) {
  Status st = Verify(dir);
  CAPTURE(st.ToString());
  CHECK(st.IsCorruption());
  CHECK(st.message().starts_with("position " + std::to_string(position) + ":"));
  CHECK(st.message().find(what) != std::string::npos);
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
  CheckFailsAt(dir, kRecords - 2, "record missing (the log ends before the head's 50 records)");
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

TEST_CASE("checkpoints: recomputed from the records; a rewritten history and a fork are reported") {
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
    auto log = OpenEmbeddedLog(dir, OpenMode::kRead).value();
    VerifyOptions o;
    o.key = &signer.verifier();
    o.auditor_checkpoints = std::move(auditor);
    return VerifyLedger(*log, o);
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
  { StoreTamper(dir).DropTree(/*keep_checkpoints=*/true); }
  { REQUIRE(OpenEmbeddedLog(dir, OpenMode::kWrite).ok()); }
  rewritten = verify({});
  CHECK(
      rewritten.status().message().starts_with("checkpoint at size 20: the ledger's signed root"));
}

}  // namespace
}  // namespace ledger::core
