#include "projections/trail.h"

#include <nlohmann/json.hpp>
#include <set>

#include "core/log/checked_read.h"
#include "projections/as_of.h"
#include "projections/entity_state.h"
#include "projections/trace_graph.h"

namespace ledger::projections {
namespace {

class Walker {
 public:
  Walker(const ProjectionStore& store, bool down, const AsOf* as_of)
      : store_(store), down_(down), as_of_(as_of) {}

  Result<std::optional<EntitySummary>> State(std::string_view id) {
    if (as_of_ != nullptr) return EntitySummaryAsOf(store_, *as_of_->log, id, as_of_->end);
    auto stored = store_.Get(EntityStateProjection::kName, id);
    if (!stored.ok()) return stored.status();
    if (!*stored) return std::optional<EntitySummary>();
    auto summary = EntitySummary::Decode(**stored);
    if (!summary.ok()) return summary.status().WithContext("entity " + std::string(id));
    return std::optional<EntitySummary>(std::move(summary).value());
  }

  Status Visit(const std::string& id, TrailNode* node) {
    node->entity_id = id;
    visited_.insert(id);
    auto state = State(id);
    if (!state.ok()) return state.status();
    if (*state) {
      const EntitySummary& s = **state;
      node->kind = events::TypeName(s.kind);
      node->status = events::TypeName(s.status);
      node->position = s.last_position;
      node->time = s.updated;
      node->amount_fen = s.amount_fen();
    }
    auto links =
        down_ ? TraceGraphProjection::Down(store_, id) : TraceGraphProjection::Up(store_, id);
    if (!links.ok()) return links.status();
    for (const auto& link : *links) {
      if (visited_.count(link.entity_id)) continue;
      if (as_of_ != nullptr && link.position >= as_of_->end) continue;  // not yet linked
      TrailNode child;
      child.relation = link.relation;
      child.link_position = link.position;
      LEDGER_RETURN_IF_ERROR(Visit(link.entity_id, &child));
      node->links.push_back(std::move(child));
    }
    return Status::OK();
  }

 private:
  const ProjectionStore& store_;
  bool down_;
  const AsOf* as_of_;
  std::set<std::string> visited_;
};

using nlohmann::ordered_json;

ordered_json NodeJson(const TrailNode& n, TrailFields fields) {
  const bool all = fields == TrailFields::kAll;
  ordered_json j = {{"entity_id", n.entity_id}};
  if (!n.relation.empty()) {
    j["relation"] = n.relation;
    j["link_position"] = n.link_position;
  }
  if (all) j["kind"] = n.kind;
  j["status"] = n.status;
  j["position"] = n.position;
  j["time"] = n.time;
  if (all && n.amount_fen) j["amount_fen"] = *n.amount_fen;
  if (!all || !n.links.empty()) {
    j["links"] = ordered_json::array();
    for (const auto& c : n.links) j["links"].push_back(NodeJson(c, fields));
  }
  return j;
}

}  // namespace

std::string TrailJson(const TrailNode& root, TrailFields fields) {
  return NodeJson(root, fields).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Result<TrailNode> Trail(const ProjectionStore& store, std::string_view id, bool down,
                        const AsOf* as_of) {
  Walker walker(store, down, as_of);
  auto exists = walker.State(id);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    return Status::NotFound("no entity " + std::string(id) + " in the ledger" +
                            (as_of ? " at that point" : ""));
  }
  TrailNode root;
  LEDGER_RETURN_IF_ERROR(walker.Visit(std::string(id), &root));
  return root;
}

namespace {

void CollectPositions(const TrailNode& n, std::set<uint64_t>* out) {
  out->insert(n.position);
  for (const auto& c : n.links) {
    out->insert(c.link_position);
    CollectPositions(c, out);
  }
}

}  // namespace

std::set<uint64_t> TrailPositions(const TrailNode& root) {
  std::set<uint64_t> out;
  CollectPositions(root, &out);
  return out;
}

Status CheckTrailRecords(core::EventLog& log, const TrailNode& root) {
  for (uint64_t p : TrailPositions(root)) {
    LEDGER_RETURN_IF_ERROR(core::ReadLinked(log, p, [](const core::LogEntry&) {}));
  }
  return Status::OK();
}

}  // namespace ledger::projections
