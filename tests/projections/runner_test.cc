#include <doctest/doctest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "projections/as_of.h"
#include "projections/catalog.h"
#include "projections/entity_history.h"
#include "projections/entity_state.h"
#include "projections/trail.h"
#include "tests/support/temp_dir.h"
#include "tools/gen/generator.h"

namespace ledger::projections {
namespace {

// Appends `chains` generated chains (with some refusals) to `log`.
void AppendChains(core::EventLog& log, uint64_t chains, uint64_t seed) {
  auto service = core::CommandService::Open(log, [](const core::LineOutcome&) {}).value();
  uint64_t n = 0;
  gen::GenerateChains({chains, seed, 0.1}, [&](const std::string& line) {
    service->SubmitJson(++n, line);
    if (service->pending() >= 997) REQUIRE(service->Flush().ok());
  });
  REQUIRE(service->Flush().ok());
}

std::vector<std::string> Digests(LedgerProjections& p) {
  std::vector<std::string> out;
  for (const auto& name : p.names()) out.push_back(core::ToHex(p.store->Digest(name).value()));
  return out;
}

TEST_CASE("incremental projection equals a rebuild from zero, and resumes at its checkpoint") {
  testing::TempDir tmp;
  auto log = core::OpenEmbeddedLog(tmp.Sub("l"), core::OpenMode::kCreate).value();
  auto p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  // Generated chains, then five more appends, each followed by a catch-up in
  // odd-sized batches. (One seed per ledger: generated unit codes repeat.)
  uint64_t applied = 0;
  std::vector<std::string> names = {"a", "b", "c", "d", "e", "f"};
  for (uint64_t round = 0; round < 6; ++round) {
    if (round == 0) AppendChains(*log, 6000, 11);
    if (round > 0) {
      auto service = core::CommandService::Open(*log, [](const core::LineOutcome&) {}).value();
      nlohmann::json unit = {
          {"type", "UnitRegistered"},
          {"id", "evt-extra-" + names[round]},
          {"actor", "finance:310000"},
          {"time", "2031-01-01T00:00:00Z"},
          {"data", {{"unit_code", "X-" + names[round]}, {"name", "extra"}, {"region", "310101"}}}};
      service->SubmitJson(1, unit.dump());
      REQUIRE(service->Flush().ok());
    }
    auto read = p->runner->CatchUp(333).value();
    CHECK(read == log->Size() - applied);
    applied = log->Size();
    for (const auto& name : p->names()) CHECK(p->store->Checkpoint(name) == log->Size());
  }
  REQUIRE(log->Size() > 100000);
  auto incremental = Digests(*p);
  CHECK(p->runner->CatchUp().value() == 0);  // nothing new: nothing applied again

  // Reopen (a restart): nothing to apply, same content.
  p.reset();
  p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  CHECK(p->runner->CatchUp().value() == 0);
  CHECK(Digests(*p) == incremental);

  // Rebuild every projection from zero, in one go with other batch sizes.
  for (const auto& name : p->names()) REQUIRE(p->store->Reset(name).ok());
  CHECK(p->runner->CatchUp(4096).value() == log->Size());
  CHECK(Digests(*p) == incremental);

  // Rebuild one projection on its own: the other is not applied twice.
  REQUIRE(p->store->Reset(std::string(EntityHistoryProjection::kName)).ok());
  CHECK(p->runner->CatchUp(1000).value() == log->Size());
  CHECK(Digests(*p) == incremental);

  // Rebuild in one commit: sorted SST files ingested at once.
  for (const auto& name : p->names()) REQUIRE(p->store->Reset(name).ok());
  CHECK(p->runner->CatchUp().value() == log->Size());
  CHECK(Digests(*p) == incremental);

  // A store written in another layout is dropped on open and rebuilt.
  p.reset();
  {
    rocksdb::DB* raw = nullptr;
    rocksdb::Options options;
    std::vector<std::string> families;
    REQUIRE(
        rocksdb::DB::ListColumnFamilies(options, tmp.Sub("l") + "/projections", &families).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& f : families) descriptors.push_back({f, {}});
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    REQUIRE(rocksdb::DB::Open(options, tmp.Sub("l") + "/projections", descriptors, &handles, &raw)
                .ok());
    REQUIRE(raw->Put({}, std::string(kLayoutKey), "1").ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  for (const auto& name : p->names()) CHECK(p->store->Checkpoint(name) == 0);
  CHECK(p->runner->CatchUp().value() == log->Size());
  CHECK(Digests(*p) == incremental);
}

TEST_CASE("every event is applied exactly once: versions match histories") {
  testing::TempDir tmp;
  auto log = core::OpenEmbeddedLog(tmp.Sub("l"), core::OpenMode::kCreate).value();
  AppendChains(*log, 60, 3);
  auto p = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  REQUIRE(p->runner->CatchUp(7).ok());
  uint64_t entities = 0, events = 0;
  REQUIRE(p->store
              ->Scan(EntityStateProjection::kName, "", "",
                     [&](std::string_view id, std::string_view value) {
                       auto state = EntitySummary::Decode(value);
                       REQUIRE(state.ok());
                       auto entries = EntityHistoryProjection::Of(*p->store, id);
                       REQUIRE(entries.ok());
                       const uint64_t history = entries->size();
                       CHECK(state->version == history);
                       if (history > 0) {
                         CHECK(entries->front().position == state->first_position);
                         CHECK(entries->back().position == state->last_position);
                       }
                       ++entities;
                       events += history;
                       return true;
                     })
              .ok());
  CHECK(entities > 100);
  CHECK(events == log->Size());
}

}  // namespace
}  // namespace ledger::projections

namespace ledger::projections {
namespace {

// The first `end` records of a log: what a replay cut at `end` sees.
class PrefixLog final : public core::EventLog {
 public:
  PrefixLog(core::EventLog& base, uint64_t end) : base_(base), end_(end) {
    if (end > 0) {
      REQUIRE(base.Read(end - 1, 1,
                        [&](const core::LogEntry& e) {
                          head_ = e.chain_hash;
                          return false;
                        })
                  .ok());
    }
  }
  Result<uint64_t> AppendChecked(std::span<const std::string>,
                                 std::vector<core::StateWrite>&&) override {
    return Status::InvalidArgument("read-only");
  }
  Status ScanState(const std::function<Status(std::string_view, std::string_view)>&) override {
    return Status::OK();
  }
  uint64_t Size() const override { return end_; }
  core::Hash HeadHash() const override { return head_; }
  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const core::LogEntry&)>& visit) override {
    if (from >= end_) return Status::OK();
    return base_.Read(from, std::min(limit, end_ - from), visit);
  }
  Status WaitForMore(uint64_t, std::chrono::milliseconds) override { return Status::OK(); }
  Result<core::Hash> TreeNode(uint8_t level, uint64_t index) override {
    if (((index + 1) << level) > end_) return Status::InvalidArgument("beyond the prefix");
    return base_.TreeNode(level, index);
  }
  Status ReadTreeLevel(uint8_t level, uint64_t from, uint64_t limit,
                       const std::function<bool(uint64_t, const core::Hash&)>& visit) override {
    return base_.ReadTreeLevel(
        level, from, std::min(limit, (end_ >> level) - std::min(from, end_ >> level)), visit);
  }
  Status PutCheckpoint(uint64_t, std::string_view) override {
    return Status::InvalidArgument("read-only");
  }
  Status ReadCheckpoints(const std::function<bool(uint64_t, std::string_view)>&) override {
    return Status::OK();
  }

 private:
  core::EventLog& base_;
  uint64_t end_;
  core::Hash head_{};  // the link of the record before end_
};

std::string Dump(const TrailNode& n) {
  std::string out = n.entity_id + "|" + n.relation + "|" + n.kind + "|" + n.status + "|" +
                    std::to_string(n.position) + "|" + std::to_string(n.amount_fen.value_or(0)) +
                    "[";
  for (const auto& c : n.links) out += Dump(c) + ",";
  return out + "]";
}

TEST_CASE("as-of answers equal a replay cut at that point") {
  testing::TempDir tmp;
  auto log = core::OpenEmbeddedLog(tmp.Sub("l"), core::OpenMode::kCreate).value();
  AppendChains(*log, 150, 5);
  auto full = OpenLedgerProjections(tmp.Sub("l"), *log).value();
  REQUIRE(full->runner->CatchUp().ok());
  // Entities to look at: every payment and budget line, and a sample of the rest.
  std::vector<std::string> ids;
  REQUIRE(full->store
              ->Scan(EntityStateProjection::kName, "", "",
                     [&](std::string_view id, std::string_view) {
                       if (id.starts_with("PAY-") || id.starts_with("BL-") || ids.size() % 7 == 0) {
                         ids.emplace_back(id);
                       }
                       return true;
                     })
              .ok());
  REQUIRE(ids.size() > 50);
  std::mt19937_64 rng(7);
  for (int cut = 0; cut < 6; ++cut) {
    uint64_t end = rng() % log->Size() + 1;
    CAPTURE(end);
    PrefixLog prefix(*log, end);
    testing::TempDir replay_dir;
    std::filesystem::create_directories(replay_dir.Sub("r"));
    auto replay = OpenLedgerProjections(replay_dir.Sub("r"), prefix).value();
    REQUIRE(replay->runner->CatchUp().ok());
    AsOf as_of{log.get(), end};
    for (const auto& id : ids) {
      CAPTURE(id);
      auto then = EntitySummaryAsOf(*full->store, *log, id, end).value();
      auto replayed = replay->store->Get(EntityStateProjection::kName, id).value();
      REQUIRE(then.has_value() == replayed.has_value());
      if (then) CHECK(then->Encode() == *replayed);
      CHECK(EntityJsonAsOf(*full->store, *log, id, end).value() ==
            EntityJsonAsOf(*replay->store, prefix, id, end).value());
      for (bool down : {false, true}) {
        auto a = Trail(*full->store, id, down, &as_of);
        auto b = Trail(*replay->store, id, down);
        REQUIRE(a.ok() == b.ok());
        if (a.ok()) CHECK(Dump(*a) == Dump(*b));
      }
    }
    CHECK(ResolveAsOf(*log, std::to_string(end - 1)).value() == end);
  }
}

}  // namespace
}  // namespace ledger::projections
