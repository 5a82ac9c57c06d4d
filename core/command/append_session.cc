#include "core/command/append_session.h"

#include <utility>

namespace ledger::core {

Result<std::unique_ptr<AppendSession>> AppendSession::Open(EventLog& log,
                                                           CommandService::OutcomeFn on_outcome,
                                                           AppendSessionOptions options) {
  auto service = CommandService::Open(log, std::move(on_outcome));
  if (!service.ok()) return service.status();
  std::optional<Checkpointer> checkpointer;
  if (options.signer) {
    auto c = Checkpointer::Open(log, std::move(*options.signer), options.policy);
    if (!c.ok()) return c.status();
    checkpointer.emplace(std::move(c).value());
  }
  return std::unique_ptr<AppendSession>(new AppendSession(
      log, std::move(service).value(), std::move(checkpointer), options.max_batch));
}

AppendSession::AppendSession(EventLog& log, std::unique_ptr<CommandService> service,
                             std::optional<Checkpointer> checkpointer, size_t max_batch)
    : log_(log),
      service_(std::move(service)),
      checkpointer_(std::move(checkpointer)),
      max_batch_(max_batch) {}

Status AppendSession::SubmitJson(uint64_t line_no, std::string_view json) {
  LEDGER_RETURN_IF_ERROR(failed_);
  service_->SubmitJson(line_no, json);
  return AfterSubmit();
}

Status AppendSession::SubmitEvent(uint64_t line_no, std::string bytes) {
  LEDGER_RETURN_IF_ERROR(failed_);
  service_->SubmitEvent(line_no, std::move(bytes));
  return AfterSubmit();
}

Status AppendSession::AfterSubmit() {
  // A batch ends where the next checkpoint is due, so that checkpoints fall
  // every N events exactly and cover a durable log.
  if (checkpointer_ && checkpointer_->Due(service_->next_position())) return Sync();
  if (service_->pending() >= max_batch_) return Remember(service_->FlushAsync());
  return Status::OK();
}

Status AppendSession::Sync() {
  LEDGER_RETURN_IF_ERROR(failed_);
  LEDGER_RETURN_IF_ERROR(Remember(service_->Flush()));
  if (checkpointer_) return Remember(checkpointer_->Maybe().status());
  return Status::OK();
}

Status AppendSession::Close() {
  // Every submission handed over gets its outcome, also after a failure.
  Status st = service_->Flush();
  LEDGER_RETURN_IF_ERROR(failed_);
  LEDGER_RETURN_IF_ERROR(Remember(st));
  // With Kafka, the local directory then answers the verbs that read it
  // alone (proofs, checkpoints).
  LEDGER_RETURN_IF_ERROR(Remember(log_.CopyLocally()));
  if (checkpointer_ && log_.Size() > checkpointer_->last_size()) {
    return Remember(checkpointer_->Now().status());
  }
  return Status::OK();
}

std::optional<uint64_t> AppendSession::checkpoint_size() const {
  if (!checkpointer_) return std::nullopt;
  return checkpointer_->last_size();
}

Status AppendSession::Remember(Status st) {
  if (!st.ok() && failed_.ok()) failed_ = st;
  return st;
}

}  // namespace ledger::core
