#include "core/command/command_service.h"

#include <fmt/core.h>
#include <pthread.h>

#include <algorithm>
#include <cctype>

#include "core/command/decision_store.h"
#include "core/log/record_format.h"
#include "core/rules/rules.h"

namespace ledger::core {

uint64_t CommandStats::refused() const {
  uint64_t n = invalid + conflicts;
  for (uint64_t r : refused_by_rule) n += r;
  return n;
}

CommandService::CommandService(EventLog& log, OutcomeFn on_outcome)
    : log_(log), on_outcome_(std::move(on_outcome)), first_position_(log.Size()) {}

Result<std::unique_ptr<CommandService>> CommandService::Open(EventLog& log, OutcomeFn on_outcome) {
  std::unique_ptr<CommandService> service(new CommandService(log, std::move(on_outcome)));
  LEDGER_RETURN_IF_ERROR(LoadDecisionState(log, &service->state_));
  return service;
}

void CommandService::SubmitJson(uint64_t line_no, std::string_view json) {
  bool blank = true;
  for (char c : json) blank = blank && std::isspace(static_cast<unsigned char>(c));
  if (blank) return;
  auto bytes = codec_.Parse(json);
  if (!bytes.ok()) {
    LineOutcome o;
    o.line = line_no;
    o.error = bytes.status();
    stats_.invalid++;
    outcomes_.push_back(std::move(o));
    return;
  }
  SubmitEvent(line_no, std::move(bytes).value());
}

void CommandService::SubmitEvent(uint64_t line_no, std::string bytes) {
  LineOutcome o;
  o.line = line_no;
  auto event = events::DecodeEvent(bytes);
  if (!event.ok()) {
    o.error = Status::InvalidArgument(event.status().message());
    stats_.invalid++;
    outcomes_.push_back(std::move(o));
    return;
  }
  const fb::Event& e = **event;
  o.type = events::TypeName(e.data_type());
  o.event_id = e.id()->str();
  o.entity_id = std::string(events::EntityIdOf(e));
  Submit(std::move(o), std::move(bytes));
}

void CommandService::Submit(LineOutcome o, std::string bytes) {
  // Verified by SubmitEvent; points into `bytes`, which outlives every use below.
  const fb::Event& e = *fb::GetSizePrefixedEvent(bytes.data());
  if (!failed_.ok()) {
    o.error = failed_;
    outcomes_.push_back(std::move(o));
    return;
  }
  std::optional<Refusal> refusal;
  if (e.data_type() == fb::Payload::ControlViolationRecorded) {
    o.error = Status::InvalidArgument(
        "type: ControlViolationRecorded is written by the ledger only, when a rule refuses");
    stats_.invalid++;
    outcomes_.push_back(std::move(o));
    return;
  }
  const Hash sha = Sha256Of(bytes);
  const EventDigest digest = DigestOf(sha);
  if (auto evidence = state_.EvidenceOf(o.event_id, digest)) {
    // Refused before with these very bytes: refused again, as the first time
    // whatever happened since (a re-run input gives the ledger it gave),
    // answering that evidence; nothing is written.
    RefusedBefore(std::move(o), *evidence);
    return;
  }
  if (const EventRef* found = state_.FindEvent(o.event_id)) {
    const EventRef original = *found;
    // Same bytes, or the same event written with its fields in another order.
    bool same = original.digest == digest;
    if (!same) {
      auto stored = StoredEvent(original.position);
      if (!stored.ok()) {
        o.error = stored.status();
        outcomes_.push_back(std::move(o));
        return;
      }
      const fb::Event& before = *events::DecodeEvent(*stored).value();
      same = codec_.ToJson(before) == codec_.ToJson(e);
    }
    if (same) {
      o.position = original.position;
      o.duplicate = true;
      stats_.duplicates++;
      outcomes_.push_back(std::move(o));
      return;
    }
    refusal =
        Refusal{fb::RuleId::R12, fmt::format("event id {} is already in the ledger with different "
                                             "content (the original is at position {})",
                                             o.event_id, original.position)};
  }
  if (!refusal && e.expected_version()) {
    const Entity* entity = state_.Find(o.entity_id);
    uint64_t version = entity == nullptr ? 0 : entity->version;
    if (*e.expected_version() != version) {
      o.error = Status::Conflict(fmt::format("{} is at version {}, the event expected {}",
                                             o.entity_id, version, *e.expected_version()));
      stats_.conflicts++;
      outcomes_.push_back(std::move(o));
      return;
    }
  }
  if (!refusal) refusal = Decide(state_, e);
  if (!refusal) {
    o.position = Queue(std::move(bytes), digest);
    stats_.appended++;
    outcomes_.push_back(std::move(o));
    return;
  }
  // Refused: the event is not appended; its evidence is.
  std::string rule(RuleName(refusal->rule));
  uint64_t evidence_position = first_position_ + batch_.size();
  events::Violation v;
  v.id = fmt::format("violation-{}", evidence_position);
  v.actor = "ledger:rules";
  v.time = e.time()->str();
  v.correlation_id = e.correlation_id() == nullptr ? "" : e.correlation_id()->str();
  v.rule = refusal->rule;
  v.refused_event_id = o.event_id;
  v.refused_type = o.type;
  v.reason = refusal->reason;
  v.digest = ToHex(sha);
  v.refused_actor = e.actor()->str();
  v.refused_entity_id = o.entity_id;
  v.refused_unit_code = std::string(unit_code_.Get(e));
  std::string evidence = events::EncodeViolation(v);
  const EventDigest evidence_digest = DigestOf(evidence);
  o.evidence_position = Queue(std::move(evidence), evidence_digest);
  o.error = Status::Rejected(rule, refusal->reason);
  stats_.refused_by_rule[static_cast<size_t>(refusal->rule)]++;
  outcomes_.push_back(std::move(o));
}

void CommandService::RefusedBefore(LineOutcome o, uint64_t evidence_position) {
  auto stored = StoredEvent(evidence_position);
  const fb::ControlViolationRecorded* v = nullptr;
  if (stored.ok()) {
    auto event = events::DecodeEvent(*stored);
    if (event.ok()) v = (*event)->data_as_ControlViolationRecorded();
  }
  if (v == nullptr) {
    o.error =
        stored.ok()
            ? Status::Corruption(fmt::format(
                  "position {}: not the evidence the decision state names", evidence_position))
            : stored.status();
    outcomes_.push_back(std::move(o));
    return;
  }
  const fb::RuleId rule = v->rule().value_or(fb::RuleId::R12);
  o.error = Status::Rejected(std::string(RuleName(rule)), v->reason()->str());
  o.evidence_position = evidence_position;
  o.duplicate = true;
  stats_.refused_by_rule[static_cast<size_t>(rule)]++;
  stats_.refused_again++;
  outcomes_.push_back(std::move(o));
}

uint64_t CommandService::Queue(std::string bytes, const EventDigest& digest) {
  uint64_t position = first_position_ + batch_.size();
  // Verified on submission (or built by the codec): no need to verify again.
  state_.Apply(*fb::GetSizePrefixedEvent(bytes.data()), position, digest, &changed_);
  batch_.push_back(std::move(bytes));
  batch_digests_.push_back(digest);
  return position;
}

Result<std::string> CommandService::StoredEvent(uint64_t position) {
  if (position >= first_position_) return batch_.at(position - first_position_);
  // Handed over, maybe not yet in the log: only this thread changes handed_
  // and the bytes of a handoff, so no lock is needed to read them here.
  for (const auto& h : handed_) {
    if (position >= h->first_position && position < h->first_position + h->events.size()) {
      return h->events[position - h->first_position];
    }
  }
  std::string out;
  std::lock_guard lock(log_mu_);
  LEDGER_RETURN_IF_ERROR(log_.Read(position, 1, [&](const LogEntry& entry) {
    out.assign(entry.record.event);
    return false;
  }));
  if (out.empty()) return Status::Corruption(fmt::format("position {}: record missing", position));
  return out;
}

CommandService::~CommandService() {
  if (committer_.joinable()) {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    committer_.join();  // after appending what was handed over
  }
}

void CommandService::HandOver() {
  if (outcomes_.empty() && batch_.empty()) return;
  std::vector<std::string_view> ids;
  ids.reserve(batch_.size());
  for (const std::string& bytes : batch_) {
    ids.push_back(fb::GetSizePrefixedEvent(bytes.data())->id()->string_view());
  }
  // The state as of the end of this batch; merged into a group, later writes
  // of a key come later in the one atomic write and win.
  std::vector<StateWrite> writes =
      StateWritesFor(std::move(changed_), ids, batch_digests_, first_position_);
  first_position_ += batch_.size();
  {
    std::unique_lock lock(mu_);
    Handoff* last = handed_.empty() ? nullptr : handed_.back().get();
    if (last != nullptr && !last->taken && last->events.size() < kMaxGroup) {
      // Merge: the committer has not started on it, so it is still ours.
      last->events.insert(last->events.end(), std::make_move_iterator(batch_.begin()),
                          std::make_move_iterator(batch_.end()));
      last->state.insert(last->state.end(), std::make_move_iterator(writes.begin()),
                         std::make_move_iterator(writes.end()));
      last->outcomes.insert(last->outcomes.end(), std::make_move_iterator(outcomes_.begin()),
                            std::make_move_iterator(outcomes_.end()));
    } else {
      auto h = std::make_unique<Handoff>();
      h->first_position = first_position_ - batch_.size();
      h->events = std::move(batch_);
      h->state = std::move(writes);
      h->outcomes = std::move(outcomes_);
      handed_.push_back(std::move(h));
    }
  }
  cv_.notify_all();
  batch_.clear();
  batch_digests_.clear();
  outcomes_.clear();
  changed_.clear();
}

void CommandService::CommitLoop() {
  Status failed;  // once an append failed, every later handoff fails with it
  while (true) {
    Handoff* h = nullptr;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] {
        auto untaken =
            std::find_if(handed_.begin(), handed_.end(), [](const auto& x) { return !x->taken; });
        h = untaken == handed_.end() ? nullptr : untaken->get();
        return h != nullptr || stop_;
      });
      if (h == nullptr) return;  // stopping, nothing left to append
      h->taken = true;
    }
    Status st = AppendHandoff(*h, failed);
    if (!st.ok()) failed = st;
    {
      std::lock_guard lock(mu_);
      h->status = st;
      h->done = true;
    }
    cv_.notify_all();
  }
}

Status CommandService::AppendHandoff(Handoff& h, const Status& failed) {
  if (!failed.ok()) return failed;
  if (h.events.empty() && h.state.empty()) return Status::OK();
  std::lock_guard log_lock(log_mu_);
  // Verified on submission; the state is not needed here afterwards (the
  // events are: StoredEvent may read them until the handoff is reported).
  return log_.AppendVerified(h.events, std::move(h.state)).status();
}

void CommandService::Report(bool wait) {
  std::vector<std::unique_ptr<Handoff>> finished;
  {
    std::unique_lock lock(mu_);
    if (wait) {
      cv_.wait(lock, [&] { return handed_.empty() || handed_.back()->done; });
    } else {
      // Back pressure: a group that is full waits for the append under way.
      cv_.wait(lock, [&] {
        return handed_.empty() || handed_.back()->taken ||
               handed_.back()->events.size() < kMaxGroup;
      });
    }
    while (!handed_.empty() && handed_.front()->done) {
      finished.push_back(std::move(handed_.front()));
      handed_.pop_front();
    }
  }
  for (auto& h : finished) {
    if (!h->status.ok() && failed_.ok()) {
      failed_ = h->status;
      failed_at_ = h->first_position;
    }
    for (LineOutcome& o : h->outcomes) {
      // Nothing at or after the failed append is acknowledged: neither its
      // events, nor their evidence, nor a duplicate of one of them.
      if (!failed_.ok() && (o.evidence_position || (o.position && *o.position >= failed_at_))) {
        o.position.reset();
        o.evidence_position.reset();
        o.duplicate = false;
        o.error = failed_;
      }
      on_outcome_(o);
    }
  }
}

Status CommandService::Flush() {
  if (!committer_.joinable()) {
    // No pipeline running: append on this thread.
    HandOver();
    if (!handed_.empty()) {
      Handoff& h = *handed_.front();
      h.taken = true;
      h.status = AppendHandoff(h, failed_);
      h.done = true;
    }
    Report(/*wait=*/false);
    return failed_;
  }
  HandOver();
  Report(/*wait=*/true);
  return failed_;
}

Status CommandService::FlushAsync() {
  if (!committer_.joinable()) {
    committer_ = std::thread([this] { CommitLoop(); });
    pthread_setname_np(committer_.native_handle(), "ledger-commit");  // for profilers
  }
  HandOver();
  Report(/*wait=*/false);
  return failed_;
}

}  // namespace ledger::core
