// kill -9 an appending `ledger` process at random moments; every event it
// acknowledged must be in the log at the acknowledged position, and the
// chain must verify.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "core/log/embedded_log.h"
#include "core/tlog/chain_verifier.h"
#include "events/codec.h"
#include "tests/support/event_json.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

TEST_CASE("kill -9 during appends loses no acknowledged event") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Run({LEDGER_BIN, "init", "--data", data}).exit_code == 0);
  std::mt19937_64 rng(20261127);
  std::map<uint64_t, std::string> acked;  // position -> event id
  uint64_t next_id = 0;
  constexpr int kKills = 20;
  for (int round = 0; round < kKills; ++round) {
    Child child({LEDGER_BIN, "append", "--data", data, "--json", "-"});
    // Stream events in chunks so the process commits many small batches;
    // kill it after a random number of acknowledgements.
    size_t kill_after = std::uniform_int_distribution<size_t>(1, 3000)(rng);
    size_t seen = 0, written = 0;
    bool killed = false;
    while (!killed) {
      std::string chunk;
      size_t n = std::uniform_int_distribution<size_t>(1, 500)(rng);
      for (size_t i = 0; i < n; ++i) chunk += UnitLine(next_id++) + "\n";
      if (!child.Write(chunk)) break;
      written += n;
      // Read the acknowledgements of what was written, up to the kill point.
      while (seen < written && !killed) {
        std::string line;
        if (!child.ReadLine(&line)) break;
        json o = json::parse(line);
        REQUIRE_MESSAGE(o.contains("position"), line);
        acked[o["position"].get<uint64_t>()] = o["id"].get<std::string>();
        if (++seen >= kill_after) {
          child.Kill();
          killed = true;
        }
      }
      if (seen < written && !killed) break;
    }
    child.Kill();
  }
  REQUIRE(acked.size() > 0);

  auto log = core::OpenEmbeddedLog(data, core::OpenMode::kRead).value();
  auto report = core::VerifyChain(*log);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  std::map<uint64_t, std::string> stored;
  REQUIRE(log->Read(0, UINT64_MAX,
                    [&](const core::LogEntry& e) {
                      stored[e.record.position] =
                          events::DecodeEvent(e.record.event).value()->id()->str();
                      return true;
                    })
              .ok());
  for (const auto& [position, id] : acked) {
    CAPTURE(position);
    REQUIRE(stored.count(position) == 1);
    CHECK(stored[position] == id);
  }
  MESSAGE(acked.size(), " acknowledged events over ", kKills, " kills; ", stored.size(),
          " in the log");

  // The decision state is neither ahead of nor behind the log: every event in
  // the log is known as a duplicate at its position, every other one is new.
  std::string all;
  for (uint64_t i = 0; i < next_id; ++i) all += UnitLine(i) + "\n";
  log.reset();
  auto again = Run({LEDGER_BIN, "append", "--data", data, "--json", "-"}, all);
  REQUIRE(again.exit_code == 0);
  std::map<std::string, uint64_t> in_log;
  for (const auto& [position, id] : stored) in_log[id] = position;
  std::istringstream lines(again.out);
  uint64_t duplicates = 0;
  for (std::string line; std::getline(lines, line);) {
    json o = json::parse(line);
    auto it = in_log.find(o["id"].get<std::string>());
    CHECK(o.value("duplicate", false) == (it != in_log.end()));
    if (it != in_log.end()) {
      CHECK(o["position"] == it->second);
      ++duplicates;
    }
  }
  CHECK(duplicates == stored.size());
}

TEST_CASE("kill -9 during appends and projection: projections equal a clean rebuild") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Run({LEDGER_BIN, "init", "--data", data}).exit_code == 0);
  auto gen = Run({LEDGER_BIN, "gen", "--chains", "600", "--seed", "9", "--violations", "0.1"});
  REQUIRE(gen.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream in(gen.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::mt19937_64 rng(42);
  size_t next = 0;
  for (int round = 0; round < 20 && next < lines.size(); ++round) {
    Child writer({LEDGER_BIN, "append", "--data", data, "--json", "-"});
    Child projector({LEDGER_BIN, "digest", "--data", data, "--json"});
    size_t n = std::min(lines.size() - next, std::uniform_int_distribution<size_t>(50, 600)(rng));
    std::string chunk;
    for (size_t i = 0; i < n; ++i) chunk += lines[next + i] + "\n";
    next += n;
    REQUIRE(writer.Write(chunk));
    // Kill both after a random number of acknowledgements: the projector is
    // caught at whatever point of its catch-up it has reached.
    size_t kill_after = std::uniform_int_distribution<size_t>(1, n)(rng);
    std::string line;
    for (size_t seen = 0; seen < kill_after && writer.ReadLine(&line); ++seen) {
    }
    projector.Kill();
    writer.Kill();
    // After the restart: resume from the checkpoints, compare with a clean
    // rebuild (which the next round then continues from), verify the chain.
    CAPTURE(round);
    auto resumed = Run({LEDGER_BIN, "digest", "--data", data, "--json"});
    REQUIRE(resumed.exit_code == 0);
    REQUIRE(Run({LEDGER_BIN, "rebuild", "--data", data}).exit_code == 0);
    auto rebuilt = Run({LEDGER_BIN, "digest", "--data", data, "--json"});
    CHECK(resumed.out == rebuilt.out);
    CHECK(Run({LEDGER_BIN, "verify", "--data", data}).exit_code == 0);
  }
}

}  // namespace
}  // namespace ledger::testing
