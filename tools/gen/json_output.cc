#include "tools/gen/json_output.h"

#include <fmt/core.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "events/codec.h"
#include "tools/gen/business_time.h"

namespace ledger::gen {
namespace {

// Appends `s` as a JSON string.
void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  if (std::none_of(s.begin(), s.end(), [](char ch) {
        return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20;
      })) {
    out += s;  // the usual case: nothing to escape
    out += '"';
    return;
  }
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(ch));
    } else {
      out += ch;
    }
  }
  out += '"';
}

}  // namespace

Json Object(std::initializer_list<Field> fields) {
  Json j = Json::object();
  auto& members = static_cast<Json::object_t::Container&>(j.get_ref<Json::object_t&>());
  members.reserve(fields.size());
  for (const Field& f : fields) members.emplace_back(f.key, f.value);  // keys are distinct
  return j;
}

Output::Output(uint64_t seed, const std::function<void(const std::string&)>& emit,
               GeneratorStats* stats)
    : seed_(seed), emit_(emit), stats_(stats) {}

void Output::Open() {
  if (free_queues_.empty()) {
    open_queue_ = static_cast<uint32_t>(queues_.size());
    queues_.emplace_back();
  } else {
    open_queue_ = free_queues_.back();
    free_queues_.pop_back();
  }
}

void Output::Close() {
  const Queue& q = queues_[open_queue_];
  if (q.events.empty()) {
    free_queues_.push_back(open_queue_);
    return;
  }
  heads_.push_back({q.events[0].time, q.events[0].seq, open_queue_});
  std::push_heap(heads_.begin(), heads_.end(), LaterFirst());
}

void Output::Push(int64_t time, fb::Payload type, std::string_view actor, std::string_view corr,
                  const Json& data, std::optional<fb::RuleId> rule) {
  // The envelope in the order type, id, actor, time, correlation_id, data.
  std::string line = "{\"type\":";
  AppendQuoted(line, events::TypeName(type));
  line += ",\"id\":";
  size_t id_at = line.size();
  line += ",\"actor\":";
  AppendQuoted(line, actor);
  line += ",\"time\":";
  AppendQuoted(line, FormatTime(time));
  if (!corr.empty()) {
    line += ",\"correlation_id\":";
    AppendQuoted(line, corr);
  }
  line += ",\"data\":";
  line += data.dump();
  line += '}';
  std::vector<Pending>& events = queues_[open_queue_].events;
  assert(events.empty() || events.back().time <= time);  // the queue stays in time order
  events.push_back({time, seq_++, std::move(line), id_at, rule});
}

void Output::Release(int64_t limit) {
  std::string line;
  while (!heads_.empty() && heads_.front().time <= limit) {
    std::pop_heap(heads_.begin(), heads_.end(), LaterFirst());
    const uint32_t queue = heads_.back().queue;
    Queue& q = queues_[queue];
    Pending& p = q.events[q.next++];
    std::string id = fmt::format("evt-{}-{}", seed_, ++event_no_);
    line.assign(p.line, 0, p.id_at);
    AppendQuoted(line, id);
    line.append(p.line, p.id_at);
    emit_(line);
    if (stats_ != nullptr) {
      ++stats_->events;
      if (p.rule) stats_->violations.push_back({std::move(id), *p.rule});
    }
    if (q.next < q.events.size()) {
      const Pending& next = q.events[q.next];
      heads_.back() = {next.time, next.seq, queue};
      std::push_heap(heads_.begin(), heads_.end(), LaterFirst());
    } else {
      heads_.pop_back();
      q.events.clear();
      q.next = 0;
      free_queues_.push_back(queue);
    }
  }
}

}  // namespace ledger::gen
