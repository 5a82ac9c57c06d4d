// The generator's output: events as JSON lines in business-time order.
//
// Each chain's events are generated in one go, hours of business time apart
// from the next chain's start but spanning months, so the chains overlap in
// time. Output keeps each chain's events in a queue of its own until no event
// generated later can come before them, then merges the queues in (time,
// generation order) and numbers the event ids in output order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_generated.h"
#include "tools/gen/generator.h"

namespace ledger::gen {

using Json = nlohmann::ordered_json;  // keeps fields in the order written

// Object({{"k1", v1}, {"k2", v2}, ...}): a JSON object with the fields in the
// order given. Faster than Json's own initializer lists, which build a
// temporary array per field; like them, evaluates the values in order.
struct Field {
  const char* key;
  Json value;
};
Json Object(std::initializer_list<Field> fields);

class Output {
 public:
  // Event ids are evt-<seed>-<n>. `stats`, when given, is filled in as lines
  // are emitted.
  Output(uint64_t seed, const std::function<void(const std::string&)>& emit, GeneratorStats* stats);

  // Starts the queue that Push appends to; Close hands it to the merge.
  void Open();
  void Close();
  // Appends an event to the open queue; `time` must not be before the
  // queue's last. `rule`: the rule it is made to break, if any.
  void Push(int64_t time, fb::Payload type, std::string_view actor, std::string_view corr,
            const Json& data, std::optional<fb::RuleId> rule = std::nullopt);
  // Emits, in time order, every closed queue's events at or before `limit`.
  void Release(int64_t limit);

 private:
  // An event waiting for its turn: its JSON line but for the event id, which
  // is given in output order at `id_at`.
  struct Pending {
    int64_t time;
    uint64_t seq;  // generation order: breaks ties, so a chain keeps its order
    std::string line;
    size_t id_at;
    std::optional<fb::RuleId> rule;
  };
  // The events of one chain (or of the reference data) in generation order,
  // which is also their time order.
  struct Queue {
    std::vector<Pending> events;
    size_t next = 0;
  };
  // The next event of a queue, in the heap that merges the queues by time.
  struct Head {
    int64_t time;
    uint64_t seq;
    uint32_t queue;
  };
  struct LaterFirst {
    bool operator()(const Head& a, const Head& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };

  const uint64_t seed_;
  const std::function<void(const std::string&)>& emit_;
  GeneratorStats* stats_;

  std::vector<Queue> queues_;
  std::vector<uint32_t> free_queues_;
  uint32_t open_queue_ = 0;  // the queue Push appends to
  std::vector<Head> heads_;  // a heap: the earliest first
  uint64_t seq_ = 0;
  uint64_t event_no_ = 0;
};

}  // namespace ledger::gen
