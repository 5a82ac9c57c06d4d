// AppendSession: one run of appends through the command service, the way
// every writer of the ledger makes them (`ledger append`, `ledger demo`, the
// HTTP server):
//
//   - batching: submissions are checked as they come; a batch of
//     `max_batch` events is handed to the committer while the next are
//     checked (pipelined, CommandService::FlushAsync);
//   - checkpoints, on a ledger with a signing key: a batch also ends where
//     the policy's next checkpoint falls due (every N events exactly, or T
//     seconds), which is then signed and kept once the batch is durable;
//   - the close: every submission gets its outcome, a log whose truth is
//     elsewhere is copied locally (EventLog::CopyLocally), and a closing
//     checkpoint covers whatever was appended since the last one.
//
// Outcomes reach `on_outcome` in submission order once durable, as in
// CommandService. After a failure every later call returns it. Not
// thread-safe: one caller thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/command/command_service.h"
#include "core/tlog/checkpoint.h"

namespace ledger::core {

struct AppendSessionOptions {
  size_t max_batch = 4096;           // events per pipelined batch
  std::optional<NoteSigner> signer;  // checkpoints only with a signer
  CheckpointPolicy policy;
};

class AppendSession {
 public:
  // Opens the command service on `log` (which must outlive the session) and,
  // with a signer, the checkpointer.
  static Result<std::unique_ptr<AppendSession>> Open(EventLog& log,
                                                     CommandService::OutcomeFn on_outcome,
                                                     AppendSessionOptions options);

  // Submits one JSON line (blank lines are skipped) or one event's bytes, and
  // commits if the batch is full or a checkpoint is due.
  Status SubmitJson(uint64_t line_no, std::string_view json);
  Status SubmitEvent(uint64_t line_no, std::string bytes);
  // Makes everything submitted durable now and reports its outcomes (the
  // input paused: its producer sees them at once); checkpoints if due.
  Status Sync();
  // Ends the session as above. Call once, last.
  Status Close();

  const CommandStats& stats() const { return service_->stats(); }
  CommandService& service() { return *service_; }
  // The size of the latest kept checkpoint; nullopt without a signer.
  std::optional<uint64_t> checkpoint_size() const;

 private:
  AppendSession(EventLog& log, std::unique_ptr<CommandService> service,
                std::optional<Checkpointer> checkpointer, size_t max_batch);
  Status AfterSubmit();
  Status Remember(Status st);

  EventLog& log_;
  std::unique_ptr<CommandService> service_;
  std::optional<Checkpointer> checkpointer_;
  size_t max_batch_;
  Status failed_;
};

}  // namespace ledger::core
