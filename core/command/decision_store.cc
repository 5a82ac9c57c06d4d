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

}  // namespace ledger::core
