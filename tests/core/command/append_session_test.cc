#include "core/command/append_session.h"

#include <doctest/doctest.h>

#include <vector>

#include "core/log/embedded_log.h"
#include "core/tlog/checkpoint.h"
#include "tests/support/event_json.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

std::vector<uint64_t> KeptSizes(EventLog& log) {
  std::vector<uint64_t> sizes;
  REQUIRE(log.ReadCheckpoints([&](uint64_t size, std::string_view) {
               sizes.push_back(size);
               return true;
             })
              .ok());
  return sizes;
}

TEST_CASE(
    "append session: batches pipelined, checkpoints every N events exactly, one at the close") {
  testing::TempDir tmp;
  auto log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value();
  std::vector<LineOutcome> outcomes;
  AppendSessionOptions options;
  options.max_batch = 7;  // many pipelined batches, not aligned with the checkpoints
  options.signer = NoteSigner::Generate("test.example/ledger").value();
  options.policy = {25, std::chrono::seconds(0)};
  auto session = AppendSession::Open(
                     *log, [&](const LineOutcome& o) { outcomes.push_back(o); }, options)
                     .value();
  for (uint64_t n = 1; n <= 60; ++n) REQUIRE(session->SubmitJson(n, testing::UnitLine(n)).ok());
  REQUIRE(session->SubmitJson(61, "{bad").ok());  // bad input is an outcome, not a failure
  REQUIRE(session->Close().ok());
  REQUIRE(outcomes.size() == 61);
  for (uint64_t i = 0; i < 60; ++i) {
    CHECK(outcomes[i].line == i + 1);
    CHECK(outcomes[i].position == i);
  }
  CHECK_FALSE(outcomes[60].error.ok());
  CHECK(session->stats().appended == 60);
  CHECK(KeptSizes(*log) == std::vector<uint64_t>{25, 50, 60});
  CHECK(session->checkpoint_size() == 60u);
}

TEST_CASE(
    "append session: without a signer, no checkpoints, and Sync makes what was submitted durable") {
  testing::TempDir tmp;
  auto log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value();
  size_t reported = 0;
  auto session = AppendSession::Open(*log, [&](const LineOutcome&) { ++reported; }, {}).value();
  REQUIRE(session->SubmitJson(1, testing::UnitLine(1)).ok());
  REQUIRE(session->SubmitJson(2, "   ").ok());  // blank: skipped
  REQUIRE(session->SubmitJson(3, testing::UnitLine(3)).ok());
  CHECK(reported == 0);
  REQUIRE(session->Sync().ok());
  CHECK(reported == 2);
  CHECK(log->Size() == 2);
  REQUIRE(session->Close().ok());
  CHECK(KeptSizes(*log).empty());
  CHECK_FALSE(session->checkpoint_size().has_value());
}

TEST_CASE("append session: a closing checkpoint only when something new was appended") {
  testing::TempDir tmp;
  auto log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value();
  auto signer = NoteSigner::Generate("test.example/ledger").value();
  for (int run = 0; run < 2; ++run) {
    AppendSessionOptions options;
    options.signer = signer;
    auto session = AppendSession::Open(
                       *log, [](const LineOutcome&) {}, options)
                       .value();
    REQUIRE(session->SubmitJson(1, testing::UnitLine(1)).ok());  // a duplicate the second time
    REQUIRE(session->Close().ok());
  }
  CHECK(KeptSizes(*log) == std::vector<uint64_t>{1});
}

}  // namespace
}  // namespace ledger::core
