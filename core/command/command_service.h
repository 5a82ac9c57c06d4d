// CommandService: the write path of the ledger.
//
//   JSON line or event bytes --codec--> event --idempotency--> --rules (Decide)-->
//     accepted: the event       } --(group commit)--> EventLog::Append, with the
//     refused:  its evidence    }     decision state changes in the same write
//               (ControlViolationRecorded)
//
// Outcomes are delivered in submission order when the batch holding them is
// durable (Flush, FlushAsync). A line that does not parse is refused on its
// own and leaves no trace; a line the rules refuse leaves its evidence.
//
// Pipelining (FlushAsync): a committer thread of the service appends the
// handed-over batches while the caller's thread checks the next ones. Batches
// handed over while an append runs are merged into the next append (group
// commit: on Kafka, one transaction), so the commit round trip is paid once
// per group, not per batch. The log still sees one writer: the committer
// appends, and the caller's reads of the log (an idempotent retry of an older
// event) wait for the append under way.
//
// Idempotency: an event id already in the log with the same content is a
// no-op answering the original position; with different content it is
// refused under R12. The check compares digests kept in the decision state
// and reads the stored event back only when they differ (the same event
// with its fields in another order is still the same). An event refused
// again with the same id and bytes answers the position of its first
// evidence and writes nothing; other bytes under that id are a new attempt.
// A refusal is checked first and stands for good: submitted again, the same
// id and bytes are refused as the first time, whatever happened since, so an
// input run twice (after a crash) leaves the ledger one run left; to try an
// event again once its rule would let it through, submit it under a new id. An `expected_version`
// that is not the entity's current version (its number of events) is a Conflict, and nothing is
// recorded.
//
// Not thread-safe: one caller thread, which also receives every outcome (the
// committer never calls `on_outcome`). If an append fails, the service is
// unusable afterwards (its in-memory state is ahead of the log); reopen it.
// Every batch handed over after the failed one fails with it (it would chain
// on records that are not in the log): no outcome of either reports a
// position. The destructor waits for the batches already handed over to be
// appended (their outcomes are not reported).
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/log/event_log.h"
#include "core/rules/decision_state.h"
#include "events/codec.h"

namespace ledger::core {

struct LineOutcome {
  uint64_t line = 0;                 // 1-based input line (or submission) number
  std::optional<uint64_t> position;  // the event's position, when in the log
  // An idempotent retry: `position` (or, for a refused event refused again,
  // `evidence_position`) is the original's.
  bool duplicate = false;
  std::string_view type;  // event type, when it parsed (events::TypeName: static)
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
  uint64_t refused_again = 0;                  // of those, refusals already recorded
  uint64_t refused() const;
};

class CommandService {
 public:
  using OutcomeFn = std::function<void(const LineOutcome&)>;

  // Loads the decision state kept beside `log`, caught up to its end
  // (core/command/decision_store.h). `log` must outlive the service.
  static Result<std::unique_ptr<CommandService>> Open(EventLog& log, OutcomeFn on_outcome);

  // Parses, checks and queues one JSON line. Blank lines are skipped.
  void SubmitJson(uint64_t line_no, std::string_view json);
  // Checks and queues one event given as bytes (verified here).
  void SubmitEvent(uint64_t line_no, std::string bytes);

  // Makes everything queued (and handed over) durable and reports every
  // outcome not yet reported. Returns the service's error, if any (the first
  // failed append; then every later outcome carries it too).
  Status Flush();

  // Hands everything queued to the committer and returns without waiting for
  // it to be durable; first reports, in order, the outcomes of the batches
  // that became durable meanwhile. An outcome is never reported before its
  // batch is durable. Waits while the committer holds kMaxGroup events not yet
  // being appended (back pressure). Returns the service's error, as Flush,
  // once the failure is known.
  Status FlushAsync();

  static constexpr size_t kMaxGroup = 1 << 16;  // events per merged append

  ~CommandService();

  // Outcomes queued and not yet handed over.
  size_t pending() const { return outcomes_.size(); }
  // The position the next queued event will take.
  uint64_t next_position() const { return first_position_ + batch_.size(); }
  const CommandStats& stats() const { return stats_; }
  const DecisionState& state() const { return state_; }

 private:
  CommandService(EventLog& log, OutcomeFn on_outcome);
  void Submit(LineOutcome outcome, std::string bytes);  // bytes verified
  // The bytes of the event at `position` (queued or in the log).
  Result<std::string> StoredEvent(uint64_t position);
  // Answers an event refused before with the same id and bytes: the rule
  // and reason of its evidence at `evidence_position`.
  void RefusedBefore(LineOutcome o, uint64_t evidence_position);
  // Queues an event (accepted, or evidence of a refusal) and applies it.
  uint64_t Queue(std::string bytes, const EventDigest& digest);

  // A batch handed over to the committer. Its `events` are not changed once
  // the committer took it (`taken`); until then the caller may merge more
  // into it, under mu_.
  struct Handoff {
    uint64_t first_position = 0;
    std::vector<std::string> events;
    std::vector<StateWrite> state;
    std::vector<LineOutcome> outcomes;
    bool taken = false;
    bool done = false;  // appended (or failed: see status)
    Status status;
  };
  // Moves the queued batch into the handoff queue (merging it into the last
  // handoff if the committer has not taken it yet).
  void HandOver();
  // Reports the outcomes of the finished handoffs at the front, in order;
  // with `wait`, first waits until every handoff is finished.
  void Report(bool wait);
  void CommitLoop();
  // Appends a handoff's events and state (moved out), unless an earlier
  // append failed (`failed`): then it fails the same way. Nothing to append
  // is OK.
  Status AppendHandoff(Handoff& h, const Status& failed);

  EventLog& log_;
  std::mutex log_mu_;  // the committer's Append vs the caller's reads of log_

  OutcomeFn on_outcome_;
  events::JsonCodec codec_;
  events::StringField unit_code_{"unit_code"};
  DecisionState state_;
  CommandStats stats_;
  Status failed_;
  uint64_t failed_at_ = 0;       // first position of the failed append
  uint64_t first_position_ = 0;  // position of batch_[0]
  std::vector<std::string> batch_;
  std::vector<EventDigest> batch_digests_;  // of batch_'s events
  std::vector<LineOutcome> outcomes_;
  std::vector<EntityChange> changed_;  // entities changed by the batch, in order

  std::mutex mu_;                                // guards handed_, stop_
  std::condition_variable cv_;                   // handed_ changed, or stop_
  std::deque<std::unique_ptr<Handoff>> handed_;  // unreported, in order
  bool stop_ = false;
  std::thread committer_;  // started on the first FlushAsync
};

}  // namespace ledger::core
