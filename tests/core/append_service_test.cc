#include "core/append_service.h"

#include <doctest/doctest.h>

#include "core/embedded_log.h"
#include "tests/support/event_json.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

TEST_CASE("good lines are appended, bad lines refused on their own, outcomes in line order") {
  testing::TempDir tmp;
  auto log = OpenEmbeddedLog(tmp.Sub("l"), OpenMode::kCreate).value();
  std::vector<LineOutcome> outcomes;
  AppendService service(*log, [&](const LineOutcome& o) { outcomes.push_back(o); });
  service.Submit(1, testing::PaymentLine(1));
  service.Submit(2, "{not json");
  service.Submit(3, "   ");
  auto bad = testing::PaymentJson(4);
  bad["data"]["amount_fen"] = -5;
  service.Submit(4, bad.dump());
  service.Submit(5, testing::PaymentLine(5));
  CHECK(log->Size() == 0);  // nothing before the flush
  REQUIRE(service.Flush().ok());
  REQUIRE(outcomes.size() == 4);
  CHECK(outcomes[0].line == 1);
  CHECK(outcomes[0].position == 0);
  CHECK(outcomes[0].type == "PaymentMade");
  CHECK(outcomes[0].event_id == "evt-1");
  CHECK(outcomes[1].line == 2);
  CHECK_FALSE(outcomes[1].position);
  CHECK(outcomes[1].error.message() == "malformed JSON");
  CHECK(outcomes[2].line == 4);
  CHECK(outcomes[2].error.message() == "data.amount_fen: must not be negative, got -5");
  CHECK(outcomes[3].line == 5);
  CHECK(outcomes[3].position == 1);
  CHECK(service.appended() == 2);
  CHECK(service.refused() == 2);
  CHECK(log->Size() == 2);
}

}  // namespace
}  // namespace ledger::core
