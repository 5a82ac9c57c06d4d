// AppendService: the command side of `ledger append` — JSON lines in,
// one outcome per line out, good events group-committed to the log.
//
//   line --JsonCodec--> event bytes --(batched)--> EventLog::Append
//
// A line that does not parse or check is refused on its own; it never takes
// the lines around it down with it, and nothing of it is written. Outcomes
// are delivered in line order when the batch holding them is flushed.
// Not thread-safe: one instance per writer thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_log.h"
#include "events/codec.h"

namespace ledger::core {

struct LineOutcome {
  uint64_t line = 0;                 // 1-based input line number
  std::optional<uint64_t> position;  // set when the event is in the log
  std::string type;                  // event type, when it parsed
  std::string event_id;
  Status error;  // why the line was refused
};

class AppendService {
 public:
  using OutcomeFn = std::function<void(const LineOutcome&)>;

  AppendService(EventLog& log, OutcomeFn on_outcome);

  // Checks one line and queues it. Blank lines are skipped.
  void Submit(uint64_t line_no, std::string_view json);

  // Appends the queued events in one durable batch and reports every queued
  // outcome. If the append itself fails, every queued event is reported with
  // that error and the status is returned (nothing of the batch was written).
  Status Flush();

  size_t pending() const { return outcomes_.size(); }
  uint64_t appended() const { return appended_; }
  uint64_t refused() const { return refused_; }

 private:
  EventLog& log_;
  OutcomeFn on_outcome_;
  events::JsonCodec codec_;
  std::vector<LineOutcome> outcomes_;
  std::vector<std::string> batch_;
  std::vector<size_t> batch_slots_;  // outcome index of each batched event
  uint64_t appended_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace ledger::core
