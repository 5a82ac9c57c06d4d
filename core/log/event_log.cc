#include "core/log/event_log.h"

#include "events/codec.h"

namespace ledger::core {

Result<uint64_t> EventLog::Append(std::span<const std::string> events,
                                  std::span<const StateWrite> state) {
  for (size_t i = 0; i < events.size(); ++i) {
    auto decoded = events::DecodeEvent(events[i]);
    if (!decoded.ok()) {
      return decoded.status().WithContext("append: event " + std::to_string(i) + " of batch");
    }
  }
  return AppendChecked(events, std::vector<StateWrite>(state.begin(), state.end()));
}

Status EventLog::SaveState(uint64_t, const Hash&, std::span<const StateWrite>) {
  return Status::InvalidArgument("this log writes its state with its records: nothing to save");
}

}  // namespace ledger::core
