#include "projections/store.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "projections/append_log.h"
#include "tests/support/temp_dir.h"

namespace ledger::projections {
namespace {

// Keys that share their first 16 bytes, keys shorter than 16 bytes, keys
// that are prefixes of others, and a zero byte inside.
std::string KeyOf(uint64_t i) {
  static const std::string kLong = "0123456789abcdef";  // exactly 16 bytes
  switch (i % 8) {
    case 0:
    case 1:
    case 2:
      return "k" + std::to_string(i);
    case 3:
    case 4:
    case 5:
      return kLong + std::to_string(i);
    case 6:
      return kLong.substr(0, 15) + std::string(1, '\0') + std::to_string(i % 13);
    default:
      return kLong;
  }
}

std::map<std::string, std::string> Committed(const ProjectionStore& store) {
  std::map<std::string, std::string> out;
  REQUIRE(store
              .Scan("t", "", "",
                    [&](std::string_view k, std::string_view v) {
                      out.emplace(k, v);
                      return true;
                    })
              .ok());
  return out;
}

TEST_CASE("the append log visits each key once, in key order, with its appends in order") {
  std::map<std::string, std::string> model;
  AppendLog log;
  std::mt19937_64 random(7);
  for (uint64_t i = 0; i < 50000; ++i) {
    const std::string key = KeyOf(random() % 20000);
    const std::string bytes = std::to_string(i) + ";";
    log.Add(key, bytes);
    model[key] += bytes;
  }
  for (size_t parts : {1, 2, 7}) {
    const std::vector<OrderedKey> pivots = log.Split(parts);
    CHECK(pivots.size() < parts);
    if (parts > 1) CHECK(!pivots.empty());
    std::vector<std::pair<std::string, std::string>> seen;
    for (size_t part = 0; part <= pivots.size(); ++part) {
      log.ForEachKey(part, [&](std::string_view key, std::string_view bytes) {
        // Every key lies in its part's range.
        if (part > 0) CHECK_FALSE(OrderedKey(key) < pivots[part - 1]);
        if (part < pivots.size()) CHECK(OrderedKey(key) < pivots[part]);
        seen.emplace_back(key, bytes);
      });
    }
    CHECK(seen == std::vector<std::pair<std::string, std::string>>(model.begin(), model.end()));
  }
}

TEST_CASE("staged changes read back, and commit alike by write and by ingest in several files") {
  testing::TempDir tmp;
  // The same changes through small batches (WriteBatch) and through one
  // batch large enough to be sorted into several files and ingested. Only
  // appends (the append log), or mixed with reads, puts, edits and deletes
  // (the first of which moves the staged appends into the map).
  auto run = [&](const std::string& dir, uint64_t per_batch, bool mixed) {
    auto store = ProjectionStore::Open(tmp.Sub(dir), {"t"}).value();
    std::map<std::string, std::string> model;
    if (mixed) {  // something committed already: appends become merges
      auto batch = store->NewBatch();
      for (uint64_t i = 0; i < 2000; ++i) {
        batch.For("t").Put(KeyOf(i), "base;");
        model[KeyOf(i)] = "base;";
      }
      batch.SetCheckpoint("t", 1);
      REQUIRE(store->Commit(batch).ok());
    }
    std::mt19937_64 random(11);
    const uint64_t total = 5 * ProjectionStore::kChangesPerFile / 2;
    auto batch = store->NewBatch();
    for (uint64_t i = 0; i < total; ++i) {
      Table& t = batch.For("t");
      const std::string key = KeyOf(random() % 4000000);
      const std::string bytes = std::to_string(i) + ";";
      switch (mixed ? random() % 1000 : 999) {
        case 0: {
          auto expected = model.find(key);
          auto got = t.Get(key);
          REQUIRE(got.has_value() == (expected != model.end()));
          if (got) CHECK(*got == expected->second);
          break;
        }
        case 1:
          t.Put(key, bytes);
          model[key] = bytes;
          break;
        case 2:
          t.Edit(key).append("edit;");
          model[key] += "edit;";
          break;
        case 3:
          t.Delete(key);
          model.erase(key);
          break;
        default:
          t.Append(key, bytes);
          model[key] += bytes;
      }
      if ((i + 1) % per_batch == 0 || i + 1 == total) {
        batch.SetCheckpoint("t", i + 2);
        REQUIRE(store->Commit(batch).ok());
        batch = store->NewBatch();
      }
    }
    CHECK(store->Checkpoint("t") == total + 1);
    CHECK(Committed(*store) == model);
    return store->Digest("t").value();
  };
  CHECK(run("appends-by-write", 9973, false) == run("appends-by-ingest", uint64_t{1} << 40, false));
  CHECK(run("mixed-by-write", 9973, true) == run("mixed-by-ingest", uint64_t{1} << 40, true));
}

}  // namespace
}  // namespace ledger::projections
