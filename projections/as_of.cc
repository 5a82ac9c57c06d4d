#include "projections/as_of.h"

#include <charconv>
#include <vector>

#include "events/codes.h"
#include "projections/entity_history.h"
#include "projections/entity_state.h"

namespace ledger::projections {

Result<uint64_t> ResolveAsOf(core::EventLog& log, std::string_view spec) {
  uint64_t position = 0;
  auto [ptr, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), position);
  if (ec == std::errc() && ptr == spec.data() + spec.size()) {
    return std::min(position + 1, log.Size());
  }
  auto micros = events::DateTimeMicros(spec);
  if (!micros.ok()) {
    return Status::InvalidArgument("--as-of: \"" + std::string(spec) +
                                   "\" is neither a log position nor an RFC 3339 time");
  }
  // Ledger time never decreases along the log: the first record after `spec`.
  uint64_t lo = 0, hi = log.Size();
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    int64_t recorded = 0;
    LEDGER_RETURN_IF_ERROR(log.Read(mid, 1, [&](const core::LogEntry& e) {
      recorded = e.record.recorded_at_us;
      return false;
    }));
    if (recorded <= *micros) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

Result<std::optional<std::string>> EntityStateAsOf(const ProjectionStore& store,
                                                   core::EventLog& log, std::string_view id,
                                                   uint64_t end) {
  std::vector<uint64_t> positions;
  LEDGER_RETURN_IF_ERROR(store.Scan(EntityHistoryProjection::kName,
                                    EntityHistoryProjection::Prefix(id), "",
                                    [&](std::string_view key, std::string_view) {
                                      uint64_t p = EntityHistoryProjection::PositionOf(key);
                                      if (p >= end) return false;
                                      positions.push_back(p);
                                      return true;
                                    }));
  std::optional<std::string> state;
  events::JsonCodec codec;
  for (uint64_t p : positions) {
    Status failure;
    LEDGER_RETURN_IF_ERROR(log.Read(p, 1, [&](const core::LogEntry& e) {
      auto event = events::DecodeEvent(e.record.event);
      if (!event.ok()) {
        failure = event.status().WithContext("position " + std::to_string(p));
      } else {
        state = EntityStateProjection::Fold(state, p, **event, codec);
      }
      return false;
    }));
    LEDGER_RETURN_IF_ERROR(failure);
  }
  return state;
}

}  // namespace ledger::projections
