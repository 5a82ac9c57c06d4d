// Projection: a read model rebuilt from the log, owning one RocksDB column
// family (named after it) in the projections store (projections/store.h).
//
// The runner (projections/runner.h) calls Apply for every event in log order,
// exactly once: the projection's changes and its checkpoint (the next position
// to apply) go into the same atomic write. A projection never reads another
// projection's keys. The runner applies different projections on different
// threads at once, each into its own Table: a projection keeps no mutable
// state shared with another.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/log/event_log.h"
#include "events/codec.h"

namespace ledger::projections {

// The keys of one projection, as seen while a batch is being built: reads see
// the batch's own earlier writes (read-your-writes), writes are staged.
class Table {
 public:
  virtual ~Table() = default;
  virtual std::optional<std::string> Get(std::string_view key) = 0;
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;
  // Appends `bytes` to the key's value (an absent key counts as empty),
  // without reading it: per-entity lists grow by appends (a RocksDB merge).
  virtual void Append(std::string_view key, std::string_view bytes) = 0;
  // The key's value to change in place: what Get would return ("" when
  // absent), staged as a Put of whatever it holds afterwards.
  virtual std::string& Edit(std::string_view key) = 0;
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Its name, also the name of its column family: lowercase, [a-z_].
  virtual std::string_view name() const = 0;
  // Stages the changes that `event`, recorded at `entry`, makes.
  virtual void Apply(const core::LogEntry& entry, const fb::Event& event, Table& table) = 0;
};

}  // namespace ledger::projections
