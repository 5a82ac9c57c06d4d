#include "core/tlog/checkpoint.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "core/log/embedded_log.h"
#include "core/tlog/chain_verifier.h"
#include "core/util/encoding.h"
#include "core/util/merkle.h"
#include "tests/support/event_json.h"
#include "tests/support/store_tamper.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

using testing::TempDir;

// golang.org/x/mod/sumdb/note's example key and note (Ed25519 is
// deterministic, so signing must give exactly this note).
constexpr char kSignerKey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kNote[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

TEST_CASE("signed notes: the Go sumdb example, byte for byte") {
  auto signer = NoteSigner::Parse(kSignerKey);
  REQUIRE_MESSAGE(signer.ok(), signer.status().ToString());
  CHECK(signer->verifier().VerifierKey() == kVerifierKey);
  CHECK(signer->SignerKey() == kSignerKey);
  CHECK(signer->Sign(kText).value() == kNote);
  auto verifier = NoteVerifier::Parse(kVerifierKey).value();
  CHECK(verifier.Open(kNote).value() == kText);

  std::string changed = kNote;
  changed.replace(changed.find("cryptography"), 12, "cryptographY");
  CHECK(verifier.Open(changed).status().IsCorruption());
  std::string other_sig = kNote;
  other_sig[other_sig.size() - 10] ^= 1;
  CHECK_FALSE(verifier.Open(other_sig).ok());
  // Another key's signature is skipped; with no signature by this key, fail.
  auto stranger = NoteSigner::Generate("PeterNeumann").value();
  CHECK(stranger.verifier().Open(kNote).status().message().find("no signature by") !=
        std::string::npos);
  std::string cosigned = stranger.Sign(kText).value();
  cosigned += std::string(kNote).substr(std::string(kText).size() + 1);  // append the Go signature
  CHECK(verifier.Open(cosigned).value() == kText);
  CHECK(stranger.verifier().Open(cosigned).value() == kText);
  // Bad keys.
  std::string bad_id = kVerifierKey;
  bad_id[13] = '0';
  CHECK_FALSE(NoteVerifier::Parse(bad_id).ok());
  CHECK_FALSE(NoteVerifier::Parse("PeterNeumann+c74f20a3").ok());
  CHECK_FALSE(NoteSigner::Generate("has space").ok());
}

TEST_CASE("checkpoint text: format, parse, corruption cases") {
  Checkpoint c{"example.org/ledger", 1234, merkle::LeafHash("x")};
  std::string text = CheckpointText(c);
  CHECK(text == "example.org/ledger\n1234\n" + Base64Encode(Sha256::AsBytes(c.root)) + "\n");
  auto back = ParseCheckpointText(text).value();
  CHECK(back.origin == c.origin);
  CHECK(back.size == 1234);
  CHECK(back.root == c.root);
  CHECK(ParseCheckpointText(text + "extension line\n").ok());  // extensions are allowed
  for (std::string bad :
       {std::string("example.org/ledger\n1234\n"),
        std::string("example.org/ledger\n01234\n") + text.substr(24),
        std::string("example.org/ledger\n12x4\n") + text.substr(24),
        std::string("example.org/ledger\n1234\nAAAA\n"), text.substr(0, text.size() - 1)}) {
    CAPTURE(bad);
    CHECK(ParseCheckpointText(bad).status().IsCorruption());
  }
  auto signer = NoteSigner::Generate("example.org/ledger").value();
  auto note = signer.Sign(text).value();
  CHECK(OpenCheckpoint(note, signer.verifier()).value().checkpoint.size == 1234);
  auto other = NoteSigner::Generate("example.org/other").value();
  auto foreign = other.Sign(text).value();  // signed, but not by the origin's key
  CHECK(OpenCheckpoint(foreign, other.verifier()).status().message().find("origin") !=
        std::string::npos);
}

TEST_CASE("the embedded log keeps the tree: roots and proofs of every size match memory") {
  TempDir tmp;
  auto log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value();
  auto events = testing::PaymentEvents(0, 70);
  REQUIRE(log->Append(std::span(events).subspan(0, 1)).ok());
  REQUIRE(log->Append(std::span(events).subspan(1, 40)).ok());
  REQUIRE(log->Append(std::span(events).subspan(41)).ok());
  std::vector<Hash> leaves;
  REQUIRE(log->Read(0, 100,
                    [&](const LogEntry& e) {
                      leaves.push_back(merkle::LeafHash(e.record.bytes));
                      return true;
                    })
              .ok());
  auto reader = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kRead).value();
  merkle::NodeReader read = [&](uint8_t l, uint64_t i) { return reader->TreeNode(l, i); };
  for (uint64_t n = 1; n <= 70; ++n) {
    CAPTURE(n);
    Hash root = merkle::RootAt(n, read).value();
    CHECK(root == merkle::RootOfLeafHashes(std::span(leaves).first(n)));
    for (uint64_t i = 0; i < n; i += 7) {
      auto proof = merkle::InclusionProof(i, n, read).value();
      CHECK(merkle::VerifyInclusion(i, n, leaves[i], proof, root).ok());
    }
  }
  CHECK(reader->TreeNode(0, 70).status().code() == Status::Code::kInvalidArgument);
  CHECK(reader->TreeNode(7, 0).status().code() == Status::Code::kInvalidArgument);  // 128 > 70
  CHECK(reader->TreeNode(6, 0).ok());
}

TEST_CASE("a store whose tree family is gone is refused on open, by readers and writers") {
  TempDir tmp;
  std::string dir = tmp.Sub("l");
  {
    auto log = OpenEmbeddedLog(dir, OpenMode::kCreate).value();
    REQUIRE(log->Append(testing::PaymentEvents(0, 100)).ok());
  }
  { testing::StoreTamper(dir).DropTree(); }
  for (OpenMode mode : {OpenMode::kRead, OpenMode::kWrite}) {
    auto log = OpenEmbeddedLog(dir, mode);
    REQUIRE_FALSE(log.ok());
    CHECK(log.status().message().find("tree") != std::string::npos);
  }
}

TEST_CASE("checkpoints: signed, kept, one per size, a different root for a kept size refused") {
  TempDir tmp;
  std::string dir = tmp.Sub("l");
  auto log = OpenEmbeddedLog(dir, OpenMode::kCreate).value();
  auto signer = NoteSigner::Generate("test.example/ledger").value();
  REQUIRE(WriteKeyFiles(dir, signer).ok());
  CHECK(WriteKeyFiles(dir, signer).code() == Status::Code::kInvalidArgument);  // never overwritten
  struct stat st {};
  REQUIRE(::stat(SignerKeyPath(dir).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(ReadSignerKeyFile(dir).value().SignerKey() == signer.SignerKey());
  CHECK(ReadVerifierKeyFile(VerifierKeyPath(dir)).value().VerifierKey() ==
        signer.verifier().VerifierKey());

  auto cp = Checkpointer::Open(*log, signer,
                               {.every_events = 10, .every_seconds = std::chrono::seconds(0)})
                .value();
  CHECK_FALSE(cp.Maybe().value().has_value());  // empty log
  REQUIRE(log->Append(testing::PaymentEvents(0, 9)).ok());
  CHECK_FALSE(cp.Maybe().value().has_value());  // 9 < 10
  REQUIRE(log->Append(testing::PaymentEvents(9, 3)).ok());
  auto made = cp.Maybe().value();
  REQUIRE(made.has_value());
  CHECK(made->checkpoint.size == 12);
  REQUIRE(log->Append(testing::PaymentEvents(12, 2)).ok());
  CHECK(cp.Now().value().checkpoint.size == 14);
  auto kept = KeptCheckpoints(*log, signer.verifier()).value();
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].checkpoint.size == 12);
  CHECK(kept[0].checkpoint.root == made->checkpoint.root);
  CHECK(log->PutCheckpoint(12, kept[0].note).ok());  // the same again: a no-op
  auto forged = NoteSigner::Generate("test.example/ledger").value();
  Checkpoint other = kept[0].checkpoint;
  other.root = merkle::LeafHash("another history");
  auto status = log->PutCheckpoint(12, signer.Sign(CheckpointText(other)).value());
  CHECK(status.code() == Status::Code::kConflict);
  CHECK(status.message().find("fork at size 12") != std::string::npos);
  CHECK(log->PutCheckpoint(15, kept[0].note).code() == Status::Code::kInvalidArgument);
  // A kept checkpoint that does not open with the key is an error naming its size.
  REQUIRE(log->PutCheckpoint(13, forged.Sign(CheckpointText(other)).value()).ok());
  CHECK(KeptCheckpoints(*log, signer.verifier()).status().message().find("size 13") !=
        std::string::npos);
}

}  // namespace
}  // namespace ledger::core
