#include "projections/proof_bundle.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "core/util/merkle.h"
#include "projections/catalog.h"
#include "projections/trail.h"
#include "tests/support/event_json.h"
#include "tests/support/temp_dir.h"

namespace ledger::projections {
namespace {

using nlohmann::json;

// The demo chain in a fresh ledger with its projections caught up; the first
// `first` lines are appended (and signed) before the rest.
struct Fixture {
  testing::TempDir tmp;
  std::unique_ptr<core::EventLog> log;
  std::unique_ptr<LedgerProjections> projections;
  core::NoteSigner signer = core::NoteSigner::Generate("test.example/ledger").value();
  core::SignedCheckpoint early, late;

  Fixture() {
    log = core::OpenEmbeddedLog(tmp.Sub("l"), core::OpenMode::kCreate).value();
    auto service = core::CommandService::Open(*log, [](const core::LineOutcome& o) {
                     REQUIRE_MESSAGE(o.error.ok(), o.error.ToString());
                   }).value();
    auto lines = testing::DemoChainLines();
    for (size_t i = 0; i < lines.size(); ++i) {
      service->SubmitJson(i + 1, lines[i]);
      if (i + 1 == 10) {
        REQUIRE(service->Flush().ok());
        early = core::SignCheckpoint(*log, signer, log->Size()).value();
      }
    }
    REQUIRE(service->Flush().ok());
    late = core::SignCheckpoint(*log, signer, log->Size()).value();
    projections = OpenLedgerProjections(tmp.Sub("l"), *log).value();
    REQUIRE(projections->runner->CatchUp().ok());
  }

  // A checkpoint of `cp`'s size over another history, signed with the same key.
  std::string ForkOf(const core::SignedCheckpoint& cp) {
    core::Checkpoint other = cp.checkpoint;
    other.root = core::merkle::LeafHash("another history");
    return signer.Sign(core::CheckpointText(other)).value();
  }
};

// Flips bit 0 of every byte of `bundle` in turn: each altered bundle must fail.
void EveryByteMatters(const std::string& bundle, const core::NoteVerifier& key) {
  size_t passed = 0;
  for (size_t i = 0; i < bundle.size(); ++i) {
    std::string altered = bundle;
    altered[i] ^= 0x01;
    if (VerifyBundle(altered, key, {}).ok()) {
      ++passed;
      MESSAGE("an altered byte at offset " << i << " passed: ..."
                                           << bundle.substr(i > 40 ? i - 40 : 0, 80));
    }
  }
  CHECK(passed == 0);
}

TEST_CASE("a trail bundle verifies offline, and every altered byte fails it") {
  Fixture f;
  auto bundle = TrailBundle(*f.log, *f.projections->store, "PAY-2025-0042-01-2", false, f.late);
  REQUIRE_MESSAGE(bundle.ok(), bundle.status().ToString());
  auto report = VerifyBundle(*bundle, f.signer.verifier(), {});
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->kind == "trail");
  CHECK(report->root_entity == "PAY-2025-0042-01-2");
  CHECK(report->links >= 8);  // acceptance, contract, project, bid, budget line, demand, ...
  EveryByteMatters(*bundle, f.signer.verifier());

  // Down from the budget line, too.
  auto down = TrailBundle(*f.log, *f.projections->store, "BL-2025-0042-01", true, f.late);
  REQUIRE(down.ok());
  CHECK(VerifyBundle(*down, f.signer.verifier(), {}).ok());

  // Another key, or a fork against the auditor's checkpoint of the same size.
  auto stranger = core::NoteSigner::Generate("test.example/ledger").value();
  CHECK_FALSE(VerifyBundle(*bundle, stranger.verifier(), {}).ok());
  auto fork = VerifyBundle(*bundle, f.signer.verifier(), {f.ForkOf(f.late)});
  CHECK(fork.status().message().find("fork at size " + std::to_string(f.late.checkpoint.size)) !=
        std::string::npos);
}

TEST_CASE("a trail bundle with a swapped or re-pointed step fails, naming it") {
  Fixture f;
  json b = json::parse(
      TrailBundle(*f.log, *f.projections->store, "PAY-2025-0042-01-2", false, f.late).value());
  json& root = b["trail"]["root"];
  REQUIRE(root["links"].size() >= 1);
  SUBCASE("two steps' events swapped") {
    std::swap(root["position"], root["links"][0]["position"]);
    auto r = VerifyBundle(b.dump(), f.signer.verifier(), {});
    CHECK(r.status().message().find("belongs to") != std::string::npos);
  }
  SUBCASE("a link re-pointed at another entity") {
    root["links"][0]["entity_id"] = "ACC-2025-0042-01-1";
    auto r = VerifyBundle(b.dump(), f.signer.verifier(), {});
    CHECK(r.status().message().find("makes no such link") != std::string::npos);
  }
  SUBCASE("a record replaced by another, with its own valid proof") {
    // The record and proof of another position, placed at the step's position.
    auto& records = b["records"];
    std::swap(records[0]["record"], records[1]["record"]);
    std::swap(records[0]["proof"], records[1]["proof"]);
    CHECK_FALSE(VerifyBundle(b.dump(), f.signer.verifier(), {}).ok());
  }
}

TEST_CASE(
    "an export bundle: contiguous records and a consistency proof from an earlier checkpoint") {
  Fixture f;
  auto bundle = ExportBundle(*f.log, 3, 12, f.late, &f.early);
  REQUIRE_MESSAGE(bundle.ok(), bundle.status().ToString());
  auto report = VerifyBundle(*bundle, f.signer.verifier(), {f.early.note});
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->records == 9);
  CHECK(report->since_size == f.early.checkpoint.size);
  EveryByteMatters(*bundle, f.signer.verifier());

  json b = json::parse(*bundle);
  b["records"].erase(4);  // a hole
  CHECK(VerifyBundle(b.dump(), f.signer.verifier(), {})
            .status()
            .message()
            .find("position 7 is missing") != std::string::npos);
  // The auditor's earlier checkpoint is of another history: a fork.
  auto fork = VerifyBundle(*bundle, f.signer.verifier(), {f.ForkOf(f.early)});
  CHECK(fork.status().message().find("fork at size") != std::string::npos);
  CHECK_FALSE(ExportBundle(*f.log, 3, f.late.checkpoint.size + 1, f.late, nullptr).ok());
  CHECK(ExportBundle(*f.log, 10, 5, f.late, nullptr).status().message() ==
        "export [10, 5): the range is reversed");
}

TEST_CASE("an export of the very tree the auditor holds needs no consistency proof") {
  Fixture f;
  auto bundle = ExportBundle(*f.log, 0, 5, f.late, nullptr);
  REQUIRE_MESSAGE(bundle.ok(), bundle.status().ToString());
  // Same size, same root: consistent with an empty proof.
  auto report = VerifyBundle(*bundle, f.signer.verifier(), {f.late.note});
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->since_size == f.late.checkpoint.size);
  // Holding only an earlier tree, the proof is still required.
  CHECK(VerifyBundle(*bundle, f.signer.verifier(), {f.early.note})
            .status()
            .message()
            .find("no consistency proof") != std::string::npos);
  // Same size, another root: a fork.
  CHECK(VerifyBundle(*bundle, f.signer.verifier(), {f.ForkOf(f.late)})
            .status()
            .message()
            .find("fork at size") != std::string::npos);
}

TEST_CASE("one trail JSON: all of it for trace --json, what the events prove in a bundle") {
  Fixture f;
  auto trail = Trail(*f.projections->store, "PAY-2025-0042-01-2", false);
  REQUIRE(trail.ok());
  json all = json::parse(TrailJson(*trail, TrailFields::kAll));
  json provable = json::parse(TrailJson(*trail, TrailFields::kProvable));
  CHECK(all["kind"] == "PaymentMade");
  CHECK(all["amount_fen"] == 10600000);
  CHECK(all["links"][0]["relation"] == "acceptance");
  CHECK_FALSE(provable.contains("kind"));
  CHECK_FALSE(provable.contains("amount_fen"));
  CHECK(provable["links"][0]["entity_id"] == all["links"][0]["entity_id"]);
  auto bundle = TrailBundle(*f.log, *f.projections->store, "PAY-2025-0042-01-2", false, f.late);
  REQUIRE(bundle.ok());
  CHECK(json::parse(*bundle)["trail"]["root"] == provable);
}

}  // namespace
}  // namespace ledger::projections
