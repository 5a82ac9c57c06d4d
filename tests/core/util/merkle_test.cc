#include "core/util/merkle.h"

#include <doctest/doctest.h>

#include <bit>
#include <string>
#include <vector>

#include "core/util/encoding.h"

namespace ledger::core::merkle {
namespace {

Hash FromHex(const std::string& hex) { return HashFromHex(hex).value(); }

std::string Bytes(const std::string& hex) { return HexDecode(hex).value(); }

// The eight leaves of the RFC 6962 test vectors (certificate-transparency,
// Trillian, transparency-dev/merkle).
const std::vector<std::string> kLeaves = {"",
                                          "00",
                                          "10",
                                          "2021",
                                          "3031",
                                          "40414243",
                                          "5051525354555657",
                                          "606162636465666768696a6b6c6d6e6f"};

// Every perfect subtree of a tree, kept in memory, read with bounds: a read
// outside the first `size` leaves fails the test.
struct MemoryTree {
  std::vector<std::vector<Hash>> levels;
  uint64_t size = 0;  // the tree being proved
  mutable uint64_t reads = 0;

  void Add(const Hash& leaf, Frontier* f) {
    f->Add(leaf, [&](uint8_t level, uint64_t index, const Hash& h) {
      if (levels.size() <= level) levels.resize(level + 1);
      REQUIRE(levels[level].size() == index);
      levels[level].push_back(h);
    });
  }
  NodeReader Reader() const {
    return [this](uint8_t level, uint64_t index) -> Result<Hash> {
      ++reads;
      if (((index + 1) << level) > size) return Status::InvalidArgument("read beyond the tree");
      return levels.at(level).at(index);
    };
  }
};

MemoryTree MakeTree(uint64_t leaves, std::vector<Hash>* leaf_hashes) {
  MemoryTree t;
  Frontier f;
  for (uint64_t i = 0; i < leaves; ++i) {
    Hash h = LeafHash("leaf " + std::to_string(i));
    leaf_hashes->push_back(h);
    t.Add(h, &f);
  }
  return t;
}

// RFC 6962 MTH, straight from the definition.
Hash ReferenceRoot(std::span<const Hash> d) {
  if (d.empty()) return EmptyRoot();
  if (d.size() == 1) return d[0];
  size_t k = std::bit_floor(d.size() - 1);
  return NodeHash(ReferenceRoot(d.subspan(0, k)), ReferenceRoot(d.subspan(k)));
}

Hash Flip(Hash h, int bit) {
  h[bit / 8 % 32] ^= static_cast<uint8_t>(1 << (bit % 8));
  return h;
}

TEST_CASE("RFC 6962 test vectors: roots of the first 1..8 leaves") {
  const std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  CHECK(ToHex(EmptyRoot()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  MemoryTree t;
  Frontier f;
  for (size_t n = 1; n <= kLeaves.size(); ++n) {
    t.Add(LeafHash(Bytes(kLeaves[n - 1])), &f);
    t.size = n;
    CAPTURE(n);
    CHECK(ToHex(f.Root()) == roots[n - 1]);
    CHECK(ToHex(RootAt(n, t.Reader()).value()) == roots[n - 1]);
  }

  // Inclusion and consistency vectors of the same tree.
  auto path = InclusionProof(0, 8, t.Reader()).value();
  REQUIRE(path.size() == 3);
  CHECK(ToHex(path[0]) == "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  CHECK(ToHex(path[1]) == "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  CHECK(ToHex(path[2]) == "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  auto c68 = ConsistencyProof(6, 8, t.Reader()).value();
  REQUIRE(c68.size() == 3);
  CHECK(ToHex(c68[0]) == "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
  CHECK(ToHex(c68[1]) == "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  CHECK(ToHex(c68[2]) == "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
  auto c25 = ConsistencyProof(2, 5, t.Reader()).value();
  REQUIRE(c25.size() == 2);
  CHECK(ToHex(c25[0]) == "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  CHECK(ToHex(c25[1]) == "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
  CHECK(VerifyConsistency(6, 8, FromHex(roots[5]), FromHex(roots[7]), c68).ok());
  CHECK(VerifyConsistency(2, 5, FromHex(roots[1]), FromHex(roots[4]), c25).ok());
}

TEST_CASE("every inclusion proof of every size 1..1000 verifies, a flipped bit fails it") {
  constexpr uint64_t kMax = 1000;
  std::vector<Hash> leaves;
  MemoryTree t = MakeTree(kMax, &leaves);
  uint64_t failures = 0, checked = 0;
  for (uint64_t n = 1; n <= kMax; ++n) {
    t.size = n;
    t.reads = 0;
    Hash root = RootAt(n, t.Reader()).value();
    if (n <= 64) REQUIRE(root == ReferenceRoot(std::span(leaves).first(n)));
    CHECK(t.reads <= std::bit_width(n));
    for (uint64_t i = 0; i < n; ++i) {
      t.reads = 0;
      auto proof = InclusionProof(i, n, t.Reader());
      if (!proof.ok()) {
        ++failures;
        continue;
      }
      // O(log n) reads: one per level, plus the perfect pieces of one right edge.
      if (t.reads > 2 * std::bit_width(n)) ++failures;
      if (!VerifyInclusion(i, n, leaves[i], *proof, root).ok()) ++failures;
      const int bit = static_cast<int>((i * 31 + n) % 256);
      if (VerifyInclusion(i, n, Flip(leaves[i], bit), *proof, root).ok()) ++failures;
      if (VerifyInclusion(i, n, leaves[i], *proof, Flip(root, bit)).ok()) ++failures;
      if (!proof->empty()) {
        auto bad = *proof;
        bad[i % bad.size()] = Flip(bad[i % bad.size()], bit);
        if (VerifyInclusion(i, n, leaves[i], bad, root).ok()) ++failures;
        bad = *proof;
        bad.pop_back();
        if (VerifyInclusion(i, n, leaves[i], bad, root).ok()) ++failures;
      }
      if (n > 1 && VerifyInclusion((i + 1) % n, n, leaves[i], *proof, root).ok()) ++failures;
      ++checked;
    }
  }
  CHECK(checked == kMax * (kMax + 1) / 2);
  // The batched form reads the same nodes in one call and gives the same proofs.
  for (uint64_t n : {1, 2, 7, 64, 999, 1000}) {
    t.size = n;
    BatchNodeReader batch = [&](std::span<const TreeNodeId> ids, Hash* out) {
      for (size_t k = 0; k < ids.size(); ++k) {
        auto h = t.Reader()(ids[k].level, ids[k].index);
        if (!h.ok()) return h.status();
        out[k] = *h;
      }
      return Status::OK();
    };
    for (uint64_t i = 0; i < n; i += 13) {
      CHECK(InclusionProof(i, n, batch).value() == InclusionProof(i, n, t.Reader()).value());
    }
  }
  CHECK(failures == 0);
  t.size = 10;
  CHECK(InclusionProof(10, 10, t.Reader()).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("consistency proofs for every pair of sizes up to 128 verify, tampering fails them") {
  constexpr uint64_t kMax = 128;
  std::vector<Hash> leaves;
  MemoryTree t = MakeTree(kMax, &leaves);
  std::vector<Hash> roots(kMax + 1);
  for (uint64_t n = 0; n <= kMax; ++n) roots[n] = ReferenceRoot(std::span(leaves).first(n));
  uint64_t failures = 0;
  for (uint64_t n = 1; n <= kMax; ++n) {
    t.size = n;
    for (uint64_t m = 0; m <= n; ++m) {
      CAPTURE(m);
      CAPTURE(n);
      t.reads = 0;
      auto proof = ConsistencyProof(m, n, t.Reader());
      REQUIRE(proof.ok());
      if (t.reads > 2 * std::bit_width(n) + 1) ++failures;
      Status ok = VerifyConsistency(m, n, roots[m], roots[n], *proof);
      if (!ok.ok()) {
        ++failures;
        MESSAGE(ok.ToString());
      }
      if (m == 0) continue;
      const int bit = static_cast<int>((m * 7 + n) % 256);
      if (VerifyConsistency(m, n, Flip(roots[m], bit), roots[n], *proof).ok()) ++failures;
      if (VerifyConsistency(m, n, roots[m], Flip(roots[n], bit), *proof).ok()) ++failures;
      if (!proof->empty()) {
        for (size_t k = 0; k < proof->size(); ++k) {
          auto bad = *proof;
          bad[k] = Flip(bad[k], bit);
          if (VerifyConsistency(m, n, roots[m], roots[n], bad).ok()) ++failures;
        }
        auto shorter = *proof;
        shorter.pop_back();
        if (VerifyConsistency(m, n, roots[m], roots[n], shorter).ok()) ++failures;
      }
      if (m < n && VerifyConsistency(m, n, roots[m - 1], roots[n], *proof).ok()) ++failures;
    }
  }
  CHECK(failures == 0);
  t.size = kMax;
  CHECK_FALSE(ConsistencyProof(5, 4, t.Reader()).ok());
  CHECK_FALSE(VerifyConsistency(5, 4, roots[5], roots[4], {}).ok());
  // Two different roots for one size: a fork.
  Status fork = VerifyConsistency(7, 7, roots[7], roots[8], {});
  CHECK(fork.message().find("fork") != std::string::npos);
}

TEST_CASE("a frontier loaded from stored nodes continues the same tree") {
  std::vector<Hash> leaves;
  MemoryTree t = MakeTree(300, &leaves);
  for (uint64_t n : {0, 1, 2, 3, 7, 8, 100, 255, 256, 299}) {
    t.size = n;
    auto f = Frontier::Load(n, t.Reader());
    REQUIRE(f.ok());
    CHECK(f->Root() == ReferenceRoot(std::span(leaves).first(n)));
    for (uint64_t i = n; i < 300; ++i) f->Add(leaves[i]);
    CHECK(f->Root() == ReferenceRoot(leaves));
  }
}

}  // namespace
}  // namespace ledger::core::merkle
