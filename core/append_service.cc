#include "core/append_service.h"

#include <cctype>

namespace ledger::core {

AppendService::AppendService(EventLog& log, OutcomeFn on_outcome)
    : log_(log), on_outcome_(std::move(on_outcome)) {}

void AppendService::Submit(uint64_t line_no, std::string_view json) {
  bool blank = true;
  for (char c : json) blank = blank && std::isspace(static_cast<unsigned char>(c));
  if (blank) return;
  LineOutcome outcome;
  outcome.line = line_no;
  auto bytes = codec_.Parse(json);
  if (!bytes.ok()) {
    outcome.error = bytes.status();
    outcomes_.push_back(std::move(outcome));
    return;
  }
  const fb::Event* event = events::DecodeEvent(*bytes).value();
  outcome.type = std::string(events::TypeName(event->data_type()));
  outcome.event_id = event->id()->str();
  batch_slots_.push_back(outcomes_.size());
  outcomes_.push_back(std::move(outcome));
  batch_.push_back(std::move(bytes).value());
}

Status AppendService::Flush() {
  Status status;
  if (!batch_.empty()) {
    auto first = log_.Append(batch_);
    for (size_t i = 0; i < batch_slots_.size(); ++i) {
      LineOutcome& o = outcomes_[batch_slots_[i]];
      if (first.ok()) {
        o.position = *first + i;
      } else {
        o.error = first.status();
      }
    }
    status = first.status();
  }
  for (const LineOutcome& o : outcomes_) {
    (o.position ? appended_ : refused_)++;
    on_outcome_(o);
  }
  outcomes_.clear();
  batch_.clear();
  batch_slots_.clear();
  return status;
}

}  // namespace ledger::core
