// Trail: the chain around an entity as a tree (逆向动态可溯), read from the
// trace graph and the entity states through their public query functions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/log/event_log.h"
#include "events/status.h"
#include "projections/store.h"

namespace ledger::projections {

struct TrailNode {
  std::string entity_id;
  std::string relation;                // how it links to its parent node ("" at the root)
  uint64_t link_position = 0;          // the event that made that link
  std::string kind;                    // type of the entity's first event
  std::string status;                  // type of its last event
  uint64_t position = 0;               // its last event's log position
  std::string time;                    // its last event's business time
  std::optional<uint64_t> amount_fen;  // the last money field set on it
  std::vector<TrailNode> links;
};

// A past point: the log prefix [0, end) of `log`.
struct AsOf {
  core::EventLog* log = nullptr;
  uint64_t end = 0;
};

// The tree rooted at `id`, upstream (what it rests on: contract, award,
// budget line, demand, warehouse assets, unit) or downstream (what followed).
// Each entity appears once: the graph has cycles (a project and its winning
// bid link to each other). NotFound when `id` is not an entity. With `as_of`,
// the tree as it was then: links and states from events before as_of->end.
Result<TrailNode> Trail(const ProjectionStore& store, std::string_view id, bool down,
                        const AsOf* as_of = nullptr);

// The fields a trail's JSON carries.
enum class TrailFields {
  kAll,       // `ledger trace --json`: all of TrailNode's; "links" only where there are some
  kProvable,  // a trail bundle (projections/proof_bundle.h): what a step's last event proves,
              // without kind and amount; "links" on every node
};
// The tree as one JSON object: {"entity_id", ["relation", "link_position",]
// ["kind",] "status", "position", "time", ["amount_fen",] "links": [node, ...]}.
std::string TrailJson(const TrailNode& root, TrailFields fields);

// The log positions a trail names: each entity's last event and each link's.
std::set<uint64_t> TrailPositions(const TrailNode& root);

// Reads every record a trail names through core::ReadLinked, so that a trail
// answered from the projections is refused when a record it rests on was
// altered since: Corruption naming the position.
Status CheckTrailRecords(core::EventLog& log, const TrailNode& root);

}  // namespace ledger::projections
