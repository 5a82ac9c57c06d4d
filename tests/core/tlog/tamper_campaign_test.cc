// Random tamperings of every kind on copies of one generated ledger: each must
// be found by VerifyLedger (with the key) at the right position, or, for the
// decision state, refused by a writer opening the ledger when malformed and
// found by VerifyDecisionState when well-formed. Rounds per kind:
// LEDGER_TAMPER_ROUNDS spread over the kinds (default 50 each); the seed is
// LEDGER_TAMPER_SEED or a fixed one, printed with every failure.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <bit>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>

#include "core/command/command_service.h"
#include "core/command/decision_store.h"
#include "core/log/embedded_log.h"
#include "core/tlog/chain_verifier.h"
#include "core/tlog/checkpoint.h"
#include "tests/support/store_tamper.h"
#include "tests/support/temp_dir.h"
#include "tools/gen/generator.h"

namespace ledger::core {
namespace {

using testing::StoreTamper;
using testing::TempDir;

constexpr size_t kKinds = 9;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

uint64_t RoundsPerKind() {
  return (EnvOr("LEDGER_TAMPER_ROUNDS", 50 * kKinds) + kKinds - 1) / kKinds;
}

uint64_t BigEndian(std::string_view key) {
  uint64_t v = 0;
  for (char c : key.substr(0, 8)) v = v << 8 | static_cast<uint8_t>(c);
  return v;
}

std::string BigEndianKey(uint64_t v) {
  std::string k(8, '\0');
  for (int i = 0; i < 8; ++i) k[i] = static_cast<char>(v >> (56 - 8 * i));
  return k;
}

// The ledger every round copies: generated chains appended through the
// command service (so it keeps a decision state), with signed checkpoints at
// a third, at half and at its end.
struct Original {
  TempDir tmp;
  std::string dir;
  uint64_t size = 0;
  NoteSigner signer = NoteSigner::Generate("test.example/ledger").value();
  std::vector<uint64_t> checkpoints;

  Original() {
    dir = tmp.Sub("ledger");
    auto log = OpenEmbeddedLog(dir, OpenMode::kCreate).value();
    auto service = CommandService::Open(*log, [](const LineOutcome&) {}).value();
    uint64_t n = 0;
    gen::GenerateChains({40, 7, 0.1}, [&](const std::string& line) {
      service->SubmitJson(++n, line);
      if (service->pending() >= 97) REQUIRE(service->Flush().ok());
    });
    REQUIRE(service->Flush().ok());
    service.reset();
    REQUIRE(VerifyDecisionState(*log).ok());
    size = log->Size();
    checkpoints = {size / 3, size / 2, size};
    for (uint64_t s : checkpoints) {
      REQUIRE(log->PutCheckpoint(s, SignCheckpoint(*log, signer, s).value().note).ok());
    }
  }
};

const Original& TheOriginal() {
  static const Original original;
  return original;
}

// What a round expects: a finding whose message starts with `prefix`, or, for
// the decision state, a writer that refuses to open.
struct Expectation {
  std::string prefix;
  bool state = false;
};

using Tamper = std::function<Expectation(StoreTamper&, std::mt19937_64&, const Original&)>;

uint64_t Uniform(std::mt19937_64& rng, uint64_t lo, uint64_t hi) {  // [lo, hi]
  return std::uniform_int_distribution<uint64_t>(lo, hi)(rng);
}

uint8_t Bit(std::mt19937_64& rng) { return static_cast<uint8_t>(1u << Uniform(rng, 0, 7)); }

std::string At(uint64_t position) { return "position " + std::to_string(position) + ":"; }

// The smallest kept checkpoint that covers `position`.
std::string CheckpointCovering(const Original& o, uint64_t position) {
  for (uint64_t s : o.checkpoints) {
    if (s > position) return "checkpoint at size " + std::to_string(s) + ":";
  }
  FAIL("no checkpoint covers position " << position);
  return "";
}

Status VerifyCopy(const std::string& dir, const Original& o) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead);
  if (!log.ok()) return log.status();
  VerifyOptions options;
  options.key = &o.signer.verifier();
  return VerifyLedger(**log, options).status();
}

Status OpenWriter(const std::string& dir) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kWrite);
  if (!log.ok()) return log.status();
  return CommandService::Open(**log, [](const LineOutcome&) {}).status();
}

Status VerifyState(const std::string& dir) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead);
  if (!log.ok()) return log.status();
  return VerifyDecisionState(**log);
}

struct Tally {
  uint64_t rounds = 0;
  uint64_t state_refused = 0;  // malformed: the writer does not open
  uint64_t state_differs = 0;  // well-formed: only a comparison with the records tells
};

// Runs the rounds of one kind on fresh copies of the original ledger.
Tally Campaign(const char* kind, uint64_t kind_index, const Tamper& tamper) {
  const Original& o = TheOriginal();
  const uint64_t seed = EnvOr("LEDGER_TAMPER_SEED", 20261204) + kind_index;
  std::mt19937_64 rng(seed);
  TempDir tmp;
  Tally tally;
  const uint64_t rounds = RoundsPerKind();
  for (uint64_t round = 0; round < rounds; ++round) {
    const std::string dir = tmp.Sub("r" + std::to_string(round));
    std::filesystem::copy(o.dir, dir, std::filesystem::copy_options::recursive);
    Expectation want;
    {
      StoreTamper t(dir);
      want = tamper(t, rng, o);
    }
    Status st = want.state ? OpenWriter(dir) : VerifyCopy(dir, o);
    INFO(std::string(kind) << " round " << round << " of seed " << seed << " (LEDGER_TAMPER_SEED="
                           << seed - kind_index << "): " << st.ToString());
    if (want.state) {
      if (st.ok()) {
        st = VerifyState(dir);
        ++tally.state_differs;
      } else {
        ++tally.state_refused;
      }
      INFO("state: " << st.ToString());
      CHECK(st.IsCorruption());
      CHECK(st.message().find("decision state") != std::string::npos);
    } else {
      CHECK_FALSE(st.ok());
      CHECK(st.message().starts_with(want.prefix));
    }
    ++tally.rounds;
    std::filesystem::remove_all(dir);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  MESSAGE(std::string(kind) << ": " << tally.rounds << " rounds on a ledger of " << o.size
                            << " records, peak RSS " << usage.ru_maxrss / 1024 << " MB");
  CHECK(usage.ru_maxrss < 1024 * 1024);  // KB: far below what a damaged size could claim
  return tally;
}

TEST_CASE("tamper campaign: a flipped bit anywhere in a stored record") {
  Campaign("record bit flip", 0, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const uint64_t p = Uniform(rng, 0, o.size - 1);
    t.FlipByte(p, Uniform(rng, 0, t.Get(p).size() - 1), Bit(rng));
    return Expectation{At(p)};
  });
}

TEST_CASE("tamper campaign: a deleted record") {
  Campaign("record deleted", 1, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const uint64_t p = Uniform(rng, 0, o.size - 1);
    t.Delete(p);
    return Expectation{At(p)};
  });
}

TEST_CASE("tamper campaign: two records swapped") {
  Campaign("records swapped", 2, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const uint64_t a = Uniform(rng, 0, o.size - 2);
    t.Swap(a, Uniform(rng, a + 1, o.size - 1));
    return Expectation{At(a)};
  });
}

TEST_CASE("tamper campaign: the log truncated, with or without its head rewritten to match") {
  Campaign("log truncated", 3, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const uint64_t keep = o.size - Uniform(rng, 1, std::min<uint64_t>(100, o.size - 1));
    for (uint64_t p = keep; p < o.size; ++p) t.Delete(p);
    if (rng() % 2 == 0) return Expectation{At(keep)};
    // A consistent shorter log: only the signed checkpoint at the end tells.
    t.PutRaw("meta", "head", BigEndianKey(keep) + t.Get(keep - 1).substr(0, 32));
    return Expectation{"checkpoint at size " + std::to_string(o.size) + ":"};
  });
}

TEST_CASE("tamper campaign: a stored chain hash replaced, or a record rewritten with its chain") {
  Campaign("chain hash", 4, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const uint64_t p = Uniform(rng, 0, o.size - 1);
    std::string value = t.Get(p);
    if (rng() % 2 == 0) {
      for (size_t i = 0; i < 32; ++i) value[i] = static_cast<char>(rng());
      t.Put(p, value);
    } else {
      std::string record = value.substr(32);
      record[Uniform(rng, 0, record.size() - 1)] ^= static_cast<char>(Bit(rng));
      t.RewriteChain(p, record);
    }
    return Expectation{At(p)};
  });
}

TEST_CASE(
    "tamper campaign: a stored tree node, or the whole tree rebuilt over a rewritten record") {
  Campaign("tree node", 5, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    if (rng() % 2 == 0) {
      const auto level = static_cast<uint8_t>(Uniform(rng, 0, std::bit_width(o.size) - 1));
      const uint64_t index = Uniform(rng, 0, (o.size >> level) - 1);
      t.FlipTreeNode(level, index, Uniform(rng, 0, 31));
      return Expectation{At(index << level)};
    }
    const uint64_t p = Uniform(rng, 0, o.size - 1);
    std::string record = t.Get(p).substr(32);
    record[12] ^= static_cast<char>(Bit(rng));  // the ledger time's last byte
    t.RewriteChain(p, record);
    t.RebuildTree();
    return Expectation{CheckpointCovering(o, p)};
  });
}

TEST_CASE("tamper campaign: a kept checkpoint changed") {
  Campaign("checkpoint", 6, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const uint64_t size = o.checkpoints[Uniform(rng, 0, o.checkpoints.size() - 1)];
    const std::string key = BigEndianKey(size);
    t.FlipRawByte("checkpoints", key, Uniform(rng, 0, t.GetRaw("checkpoints", key).size() - 1),
                  Bit(rng));
    return Expectation{"kept checkpoint for size " + std::to_string(size) + ":"};
  });
}

TEST_CASE("tamper campaign: the stored head changed") {
  Campaign("meta head", 7, [](StoreTamper& t, std::mt19937_64& rng, const Original& o) {
    const size_t offset = Uniform(rng, 0, 39);
    t.FlipRawByte("meta", "head", offset, Bit(rng));
    if (offset >= 8) return Expectation{At(o.size - 1) + " head hash mismatch"};
    return Expectation{At(std::min(o.size, BigEndian(t.GetRaw("meta", "head"))))};
  });
}

TEST_CASE("tamper campaign: a decision-state record changed") {
  Tally tally =
      Campaign("state record", 8, [](StoreTamper& t, std::mt19937_64& rng, const Original&) {
        const std::vector<std::string> keys = t.Keys("state");
        const std::string& key = keys[Uniform(rng, 0, keys.size() - 1)];
        t.FlipRawByte("state", key, Uniform(rng, 0, t.GetRaw("state", key).size() - 1), Bit(rng));
        return Expectation{"", true};
      });
  // The state is derived from the records but not covered by their chain: a
  // change that leaves a record well-formed loads as if true, and only
  // VerifyDecisionState, deriving it again, tells.
  MESSAGE("state record: " << tally.state_refused << " refused by the writer as malformed, "
                           << tally.state_differs << " well-formed, found by VerifyDecisionState");
  CHECK(tally.state_refused + tally.state_differs == tally.rounds);
}

}  // namespace
}  // namespace ledger::core
