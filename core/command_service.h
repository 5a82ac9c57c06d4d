// CommandService: the write path of the ledger.
//
//   JSON line or event bytes --codec--> event --idempotency--> --rules (Decide)-->
//     accepted: the event       } --(group commit)--> EventLog::Append, with the
//     refused:  its evidence    }     decision state changes in the same write
//               (ControlViolationRecorded)
//
// Outcomes are delivered in submission order when the batch holding them is
// durable (Flush). A line that does not parse is refused on its own and
// leaves no trace; a line the rules refuse leaves its evidence.
//
// Idempotency: an event id already in the log with the same content is a
// no-op answering the original position; with different content it is
// refused under R12. An `expected_version` that is not the entity's current
// version (its number of events) is a Conflict, and nothing is recorded.
//
// Not thread-safe: one writer thread. If an append fails, the service is
// unusable afterwards (its in-memory state is ahead of the log); reopen it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_state.h"
#include "core/event_log.h"
#include "events/codec.h"

namespace ledger::core {

struct LineOutcome {
  uint64_t line = 0;                 // 1-based input line (or submission) number
  std::optional<uint64_t> position;  // the event's position, when in the log
  bool duplicate = false;            // an idempotent retry: position is the original's
  std::string type;                  // event type, when it parsed
  std::string event_id;
  std::string entity_id;
  Status error;  // InvalidArgument (bad input), Rejected (rule), Conflict, or an I/O error
  std::optional<uint64_t> evidence_position;  // where a refusal was recorded
};

struct CommandStats {
  uint64_t appended = 0;
  uint64_t duplicates = 0;
  uint64_t invalid = 0;                        // bad input
  uint64_t conflicts = 0;                      // expected_version mismatches
  std::array<uint64_t, 13> refused_by_rule{};  // index 1..12
  uint64_t refused() const;
};

class CommandService {
 public:
  using OutcomeFn = std::function<void(const LineOutcome&)>;

  // Loads the decision state kept beside `log`. `log` must outlive the service.
  static Result<std::unique_ptr<CommandService>> Open(EventLog& log, OutcomeFn on_outcome);

  // Parses, checks and queues one JSON line. Blank lines are skipped.
  void SubmitJson(uint64_t line_no, std::string_view json);
  // Checks and queues one event given as bytes (verified here).
  void SubmitEvent(uint64_t line_no, std::string bytes);

  // Makes everything queued durable and reports the queued outcomes.
  Status Flush();

  size_t pending() const { return outcomes_.size(); }
  const CommandStats& stats() const { return stats_; }
  const DecisionState& state() const { return state_; }

 private:
  CommandService(EventLog& log, OutcomeFn on_outcome);
  void Submit(LineOutcome outcome, std::string bytes);  // bytes verified
  // The bytes of the event at `position` (queued or in the log).
  Result<std::string> StoredEvent(uint64_t position);
  // Queues an event (accepted, or evidence of a refusal) and applies it.
  uint64_t Queue(std::string bytes);

  EventLog& log_;
  OutcomeFn on_outcome_;
  events::JsonCodec codec_;
  DecisionState state_;
  CommandStats stats_;
  Status failed_;
  uint64_t first_position_ = 0;  // position of batch_[0]
  std::vector<std::string> batch_;
  std::vector<LineOutcome> outcomes_;
  std::vector<std::string> changed_;  // entity ids changed by the batch
};

}  // namespace ledger::core
