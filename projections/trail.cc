#include "projections/trail.h"

#include <nlohmann/json.hpp>
#include <set>

#include "projections/entity_state.h"
#include "projections/trace_graph.h"

namespace ledger::projections {
namespace {

class Walker {
 public:
  Walker(const ProjectionStore& store, bool down) : store_(store), down_(down) {}

  Status Visit(const std::string& id, TrailNode* node) {
    node->entity_id = id;
    visited_.insert(id);
    auto state = store_.Get(EntityStateProjection::kName, id);
    if (!state.ok()) return state.status();
    if (*state) {
      auto s = nlohmann::json::parse(**state, nullptr, false);
      if (s.is_object()) {
        node->kind = s.value("kind", "");
        node->status = s.value("status", "");
        node->position = s.value("last_position", uint64_t{0});
        node->time = s.value("updated", "");
        for (const auto& [key, value] : s["fields"].items()) {
          if (key.ends_with("_fen") && value.is_number_unsigned()) {
            node->amount_fen = value.get<uint64_t>();
          }
        }
      }
    }
    auto links =
        down_ ? TraceGraphProjection::Down(store_, id) : TraceGraphProjection::Up(store_, id);
    if (!links.ok()) return links.status();
    for (const auto& link : *links) {
      if (visited_.count(link.entity_id)) continue;
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
  std::set<std::string> visited_;
};

}  // namespace

Result<TrailNode> Trail(const ProjectionStore& store, std::string_view id, bool down) {
  auto exists = store.Get(EntityStateProjection::kName, id);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::NotFound("no entity " + std::string(id) + " in the ledger");
  TrailNode root;
  Walker walker(store, down);
  LEDGER_RETURN_IF_ERROR(walker.Visit(std::string(id), &root));
  return root;
}

}  // namespace ledger::projections
