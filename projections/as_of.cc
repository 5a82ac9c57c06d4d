#include "projections/as_of.h"

#include <charconv>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/log/checked_read.h"
#include "events/codes.h"
#include "projections/entity_history.h"

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
    LEDGER_RETURN_IF_ERROR(core::ReadLinked(
        log, mid, [&](const core::LogEntry& e) { recorded = e.record.recorded_at_us; }));
    if (recorded <= *micros) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

namespace {

// Calls `visit(position, event)` for each event of `id` before `end`, in
// order: at most `limit`, the first after position `after` when given.
Status ForEachEvent(const ProjectionStore& store, core::EventLog& log, std::string_view id,
                    uint64_t end, const std::function<void(uint64_t, const fb::Event&)>& visit,
                    std::optional<uint64_t> after = std::nullopt, uint64_t limit = UINT64_MAX) {
  auto history = EntityHistoryProjection::Of(store, id);
  if (!history.ok()) return history.status();
  std::vector<uint64_t> positions;
  for (const HistoryEntry& e : *history) {
    if (after && e.position <= *after) continue;
    if (e.position >= end || positions.size() >= limit) break;
    positions.push_back(e.position);
  }
  for (uint64_t p : positions) {
    Status failure;
    LEDGER_RETURN_IF_ERROR(core::ReadLinked(log, p, [&](const core::LogEntry& e) {
      auto event = events::DecodeEvent(e.record.event);
      if (!event.ok()) {
        failure = event.status().WithContext("position " + std::to_string(p));
      } else {
        visit(p, **event);
      }
    }));
    LEDGER_RETURN_IF_ERROR(failure);
  }
  return Status::OK();
}

}  // namespace

Result<std::optional<EntitySummary>> EntitySummaryAsOf(const ProjectionStore& store,
                                                       core::EventLog& log, std::string_view id,
                                                       uint64_t end) {
  std::optional<EntitySummary> summary;
  LEDGER_RETURN_IF_ERROR(ForEachEvent(store, log, id, end, [&](uint64_t p, const fb::Event& e) {
    if (!summary) summary.emplace();
    summary->Apply(p, e);
  }));
  return summary;
}

Result<std::vector<EntityEvent>> EntityEventsAsOf(const ProjectionStore& store, core::EventLog& log,
                                                  std::string_view id,
                                                  std::optional<uint64_t> after, uint64_t limit,
                                                  uint64_t end) {
  std::vector<EntityEvent> page;
  LEDGER_RETURN_IF_ERROR(ForEachEvent(
      store, log, id, end,
      [&](uint64_t p, const fb::Event& e) {
        page.push_back({p, e.data_type(), std::string(events::View(e.time())),
                        std::string(events::View(e.actor())), EventAmountFen(e)});
      },
      after, limit));
  return page;
}

Result<std::optional<std::string>> EntityJsonAsOf(const ProjectionStore& store, core::EventLog& log,
                                                  std::string_view id, uint64_t end) {
  using nlohmann::ordered_json;
  EntitySummary summary;
  ordered_json fields = ordered_json::object();
  events::JsonCodec codec;
  LEDGER_RETURN_IF_ERROR(ForEachEvent(store, log, id, end, [&](uint64_t p, const fb::Event& e) {
    summary.Apply(p, e);
    auto data = ordered_json::parse(codec.DataToJson(e), nullptr, false);
    if (data.is_object()) {
      for (auto& [key, value] : data.items()) fields[key] = value;
    }
  }));
  if (summary.version == 0) return std::optional<std::string>();
  ordered_json state = {{"entity_id", std::string(id)},
                        {"kind", events::TypeName(summary.kind)},
                        {"status", events::TypeName(summary.status)},
                        {"version", summary.version},
                        {"first_position", summary.first_position},
                        {"last_position", summary.last_position},
                        {"updated", summary.updated},
                        {"fields", std::move(fields)}};
  return std::optional<std::string>(
      state.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
}

}  // namespace ledger::projections
