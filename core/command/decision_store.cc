#include "core/command/decision_store.h"

#include <algorithm>
#include <string>
#include <vector>

#include "events/codec.h"

namespace ledger::core {
namespace {

constexpr uint64_t kCatchUpBatch = 4096;  // records per saved state when catching up

}  // namespace

Status LoadDecisionState(EventLog& log, DecisionState* state) {
  LEDGER_RETURN_IF_ERROR(log.ScanState(
      [&](std::string_view key, std::string_view value) { return state->Load(key, value); }));
  const uint64_t n = log.Size();
  for (uint64_t m = log.StateSize(); m < n;) {
    const uint64_t count = std::min(kCatchUpBatch, n - m);
    std::vector<std::string> ids;
    std::vector<EventDigest> digests;
    std::vector<EntityChange> changed;
    Hash link{};
    Status failure;
    LEDGER_RETURN_IF_ERROR(log.Read(m, count, [&](const LogEntry& e) {
      auto event = events::DecodeEvent(e.record.event);
      if (!event.ok()) {
        failure = event.status().WithContext("position " + std::to_string(e.record.position));
        return false;
      }
      digests.push_back(DigestOf(e.record.event));
      state->Apply(**event, e.record.position, digests.back(), &changed);
      ids.emplace_back((*event)->id()->string_view());
      link = e.chain_hash;
      return true;
    }));
    LEDGER_RETURN_IF_ERROR(failure);
    if (ids.size() != count) {
      return Status::Corruption("position " + std::to_string(m + ids.size()) +
                                ": the log ended early while catching up the decision state");
    }
    std::vector<std::string_view> id_views(ids.begin(), ids.end());
    LEDGER_RETURN_IF_ERROR(
        log.SaveState(m + count, link, StateWritesFor(std::move(changed), id_views, digests, m)));
    m += count;
  }
  return Status::OK();
}

Status VerifyDecisionState(EventLog& log) {
  DecisionState stored;
  LEDGER_RETURN_IF_ERROR(log.ScanState(
      [&](std::string_view key, std::string_view value) { return stored.Load(key, value); }));
  // The state the records give, and every event id at its position in it.
  DecisionState derived;
  std::vector<EntityChange> changed;
  Status failure;
  uint64_t read = 0;
  const uint64_t size = log.StateSize();
  LEDGER_RETURN_IF_ERROR(log.Read(0, size, [&](const LogEntry& e) {
    ++read;
    auto event = events::DecodeEvent(e.record.event);
    if (!event.ok()) {
      failure = event.status().WithContext("position " + std::to_string(e.record.position));
      return false;
    }
    const EventDigest digest = DigestOf(e.record.event);
    derived.Apply(**event, e.record.position, digest, &changed);
    changed.clear();
    const std::string_view id = (*event)->id()->string_view();
    const EventRef* kept = stored.FindEvent(id);
    if (kept == nullptr || kept->position != e.record.position || kept->digest != digest) {
      failure = Status::Corruption("decision state: event id " + std::string(id) +
                                   " is not kept with its position " +
                                   std::to_string(e.record.position) + " and digest");
      return false;
    }
    return true;
  }));
  LEDGER_RETURN_IF_ERROR(failure);
  if (read != size) {
    return Status::Corruption("position " + std::to_string(read) +
                              ": the log ended before the decision state's records");
  }
  if (stored.event_count() != derived.event_count()) {
    return Status::Corruption("decision state: " + std::to_string(stored.event_count()) +
                              " event ids kept, the records hold " +
                              std::to_string(derived.event_count()));
  }
  LEDGER_RETURN_IF_ERROR(log.ScanState([&](std::string_view key, std::string_view value) {
    if (!key.starts_with("s/")) return Status::OK();
    const Entity* entity = derived.Find(key.substr(2));
    if (entity == nullptr || DecisionState::EncodeEntity(*entity) != value) {
      return Status::Corruption("decision state: " + std::string(key) +
                                " is not what the records give");
    }
    return Status::OK();
  }));
  if (stored.entity_count() != derived.entity_count()) {
    return Status::Corruption("decision state: " + std::to_string(stored.entity_count()) +
                              " entities kept, the records give " +
                              std::to_string(derived.entity_count()));
  }
  return Status::OK();
}

}  // namespace ledger::core
