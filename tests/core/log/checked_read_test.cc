#include "core/log/checked_read.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "core/log/embedded_log.h"
#include "tests/support/event_json.h"
#include "tests/support/store_tamper.h"
#include "tests/support/temp_dir.h"

namespace ledger::core {
namespace {

using testing::StoreTamper;

constexpr uint64_t kRecords = 20;

// ReadLinked of `position` on the ledger in `dir`: the message of its
// failure, or "" with the record's position checked.
std::string ReadAt(const std::string& dir, uint64_t position) {
  auto log = OpenEmbeddedLog(dir, OpenMode::kRead).value();
  uint64_t seen = UINT64_MAX;
  Status st = ReadLinked(*log, position, [&](const LogEntry& e) { seen = e.record.position; });
  if (st.ok()) CHECK(seen == position);
  return st.ok() ? "" : st.message();
}

// Changes the ledger time of record `p` and stores the link that follows
// from it, as a writer of the store could; the records after it are kept.
void AlterWithOwnLink(const std::string& dir, uint64_t p) {
  StoreTamper t(dir);
  std::string v = t.Get(p);
  v[32 + 12] ^= 0x01;
  Hash previous;
  const std::string stored_previous = t.Get(p - 1).substr(0, 32);
  std::copy(stored_previous.begin(), stored_previous.end(), previous.begin());
  const Hash link = ChainHash(previous, std::string_view(v).substr(32));
  t.Put(p, std::string(Sha256::AsBytes(link)) + v.substr(32));
}

bool StartsAt(const std::string& message, uint64_t position) {
  return message.starts_with("position " + std::to_string(position) + ":");
}

TEST_CASE("ReadLinked reads a record whose links hold, and names the one whose link breaks") {
  testing::TempDir tmp;
  const std::string dir = tmp.Sub("l");
  {
    auto log = OpenEmbeddedLog(dir, OpenMode::kCreate).value();
    REQUIRE(log->Append(testing::PaymentEvents(0, kRecords)).ok());
  }
  for (uint64_t p : {uint64_t{0}, uint64_t{7}, kRecords - 1}) CHECK(ReadAt(dir, p).empty());
  {
    auto log = OpenEmbeddedLog(dir, OpenMode::kRead).value();
    CHECK(ReadLinked(*log, kRecords, [](const LogEntry&) {}).IsNotFound());
  }
  SUBCASE("an altered record, read itself or beside it") {
    { StoreTamper(dir).FlipByte(7, 32 + kRecordHeaderSize + 30); }
    CHECK(StartsAt(ReadAt(dir, 7), 7));
    CHECK(StartsAt(ReadAt(dir, 6), 7));
    CHECK(ReadAt(dir, 8).empty());
  }
  SUBCASE("a record altered with its own link: the next link tells") {
    AlterWithOwnLink(dir, 7);
    CHECK(StartsAt(ReadAt(dir, 7), 8));
  }
  SUBCASE("the last record altered with its link: the head tells") {
    AlterWithOwnLink(dir, kRecords - 1);
    CHECK(StartsAt(ReadAt(dir, kRecords - 1), kRecords - 1));
  }
  SUBCASE("a missing neighbour") {
    { StoreTamper(dir).Delete(8); }
    CHECK(StartsAt(ReadAt(dir, 7), 8));
  }
}

}  // namespace
}  // namespace ledger::core
