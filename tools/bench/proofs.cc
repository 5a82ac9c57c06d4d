// `ledger bench proofs`: inclusion-proof generation beside raw RocksDB
// MultiGet, and proof verification beside raw SHA-256.
#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <random>

#include "core/log/raw_rocksdb.h"
#include "core/tlog/proof_json.h"
#include "core/util/encoding.h"
#include "core/util/merkle.h"
#include "tools/bench/bench.h"
#include "tools/bench/common.h"

namespace ledger::bench {

namespace fs = std::filesystem;
namespace merkle = core::merkle;
using core::Hash;

Report ProofsBench(const ReadOptions& o) {
  fs::path dir = ScratchDir(o.dir);
  fs::create_directories(dir);
  std::string data = LedgerForReads(o.data, o.events, o.seed, dir);
  auto log = OpenForReads(data);
  const uint64_t n = log->Size();
  if (n == 0) throw std::runtime_error("an empty ledger");
  merkle::NodeReader read = [&](uint8_t l, uint64_t i) { return log->TreeNode(l, i); };
  const Hash root = merkle::RootAt(n, read).value();
  merkle::BatchNodeReader batch = core::BatchReader(*log);
  std::mt19937_64 rng(o.seed);
  std::vector<uint64_t> positions(o.samples);
  for (auto& p : positions) p = rng() % n;
  // Warm the block cache as a serving ledger would be, then time.
  for (size_t i = 0; i < std::min<size_t>(1000, positions.size()); ++i) {
    (void)merkle::InclusionProof(positions[i], n, batch);
  }
  std::vector<double> micros;
  std::vector<std::vector<Hash>> made;
  size_t hashes = 0;
  for (uint64_t p : positions) {
    auto start = std::chrono::steady_clock::now();
    auto proof = merkle::InclusionProof(p, n, batch);
    micros.push_back(Seconds(start) * 1e6);
    Check(proof.status());
    hashes += proof->size();
    made.push_back(std::move(proof).value());
  }
  Percentiles ledger_lat = Of(micros);
  const size_t per_proof = std::max<size_t>(1, hashes / made.size());

  // Raw baseline: per_proof random Gets of 32-byte values, on a raw DB of n keys.
  std::unique_ptr<core::RawRocksDb> db =
      ValueOrThrow(core::RawRocksDb::Fresh((dir / "raw").string()));
  Check(db->FillHashes(n));
  micros.clear();
  for (size_t i = 0; i < positions.size(); ++i) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> keys(per_proof);
    for (auto& key : keys) core::PutBigEndian64(rng() % n, &key);
    Check(db->MultiGet(keys));
    micros.push_back(Seconds(start) * 1e6);
  }
  Percentiles raw_lat = Of(micros);
  db.reset();

  // Verification rate, and raw SHA-256 of as many node inputs.
  std::vector<Hash> leaves;
  for (uint64_t p : positions) leaves.push_back(log->TreeNode(0, p).value());
  size_t verified = 0;
  auto start = std::chrono::steady_clock::now();
  while (Seconds(start) < 1.0) {
    for (size_t i = 0; i < made.size(); ++i) {
      if (!merkle::VerifyInclusion(positions[i], n, leaves[i], made[i], root).ok()) {
        throw std::runtime_error("a proof did not verify");
      }
    }
    verified += made.size();
  }
  double verify_rate = verified / Seconds(start);
  core::Sha256 sha;
  std::string node(65, '\x01');
  size_t raw_hashes = 0;
  start = std::chrono::steady_clock::now();
  while (Seconds(start) < 1.0) {
    for (size_t i = 0; i < 10000; ++i) {
      Hash h = sha.Update(node).Final();
      node[1] = static_cast<char>(h[0]);
    }
    raw_hashes += 10000;
  }
  double raw_verify_rate = raw_hashes / Seconds(start) / per_proof;

  Report report;
  std::string& out = report.text;
  out +=
      fmt::format("inclusion proofs on a ledger of {} events ({} samples, {} hashes per proof):\n",
                  n, positions.size(), per_proof);
  out += fmt::format("  generation     p50 {:>7.1f} us  p99 {:>7.1f} us  max {:>8.1f} us\n",
                     ledger_lat.p50, ledger_lat.p99, ledger_lat.max);
  out += fmt::format(
      "  raw RocksDB MultiGet of {} random keys: p50 {:.1f} us  p99 {:.1f} us  (ratio p99 "
      "{:.2f})\n",
      per_proof, raw_lat.p50, raw_lat.p99, ledger_lat.p99 / raw_lat.p99);
  out += fmt::format("  verification   {:>12.0f} proofs/s\n", verify_rate);
  out += fmt::format("  raw SHA-256 of {} node inputs each {:>12.0f} proofs/s  (ratio {:.2f})\n",
                     per_proof, raw_verify_rate, verify_rate / raw_verify_rate);
  report.json = nlohmann::ordered_json{{"bench", "proofs"},
                                       {"events", n},
                                       {"samples", positions.size()},
                                       {"hashes_per_proof", per_proof},
                                       {"p50_us", Round2(ledger_lat.p50)},
                                       {"p99_us", Round2(ledger_lat.p99)},
                                       {"max_us", Round2(ledger_lat.max)},
                                       {"raw_rocksdb_p99_us", Round2(raw_lat.p99)},
                                       {"p99_ratio", Round2(ledger_lat.p99 / raw_lat.p99)},
                                       {"verify_per_s", std::round(verify_rate)},
                                       {"raw_sha256_proofs_per_s", std::round(raw_verify_rate)},
                                       {"verify_ratio", Round2(verify_rate / raw_verify_rate)}}
                    .dump();
  log.reset();
  if (o.dir.empty()) fs::remove_all(dir);
  return report;
}

}  // namespace ledger::bench
