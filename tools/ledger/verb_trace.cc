// `ledger trace ID [--down]`: the chain around an entity as a tree, from the
// trace graph and the entity states (both projections).
#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <set>

#include "projections/catalog.h"
#include "projections/entity_state.h"
#include "projections/trace_graph.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

using nlohmann::ordered_json;

class Tracer {
 public:
  Tracer(const projections::ProjectionStore& store, bool down) : store_(store), down_(down) {}

  // The tree rooted at `id`; each entity appears once (the graph has cycles:
  // a project links to its winning bid, which links to the project).
  ordered_json Node(const std::string& id, const std::string& relation, uint64_t link_position) {
    ordered_json node = {{"entity_id", id}};
    if (!relation.empty()) {
      node["relation"] = relation;
      node["link_position"] = link_position;
    }
    auto state = store_.Get(projections::EntityStateProjection::kName, id);
    if (state.ok() && *state) {
      auto s = ordered_json::parse(**state);
      node["kind"] = s["kind"];
      node["status"] = s["status"];
      node["position"] = s["last_position"];
      node["time"] = s["updated"];
      // The last money field set: the amended, approved or awarded amount.
      for (const auto& [key, value] : s["fields"].items()) {
        if (key.ends_with("_fen")) node["amount_fen"] = value;
      }
    }
    visited_.insert(id);
    auto links = down_ ? projections::TraceGraphProjection::Down(store_, id)
                       : projections::TraceGraphProjection::Up(store_, id);
    if (!links.ok()) throw std::runtime_error(links.status().ToString());
    ordered_json children = ordered_json::array();
    for (const auto& link : *links) {
      if (visited_.count(link.entity_id)) continue;
      children.push_back(Node(link.entity_id, link.relation, link.position));
    }
    if (!children.empty()) node["links"] = std::move(children);
    return node;
  }

 private:
  const projections::ProjectionStore& store_;
  bool down_;
  std::set<std::string> visited_;
};

std::string Yuan(const ordered_json& node) {
  if (!node.contains("amount_fen")) return "";
  uint64_t fen = node["amount_fen"].get<uint64_t>();
  return fmt::format("¥{}.{:02}", fen / 100, fen % 100);
}

void PrintTree(const ordered_json& node, const std::string& indent, bool last, bool root,
               bool down) {
  std::string head = root ? "" : indent + (last ? "└─ " : "├─ ");
  // Up, a link names what the parent is to the child ("contract"); down, the
  // child's kind says it.
  std::string relation =
      node.contains("relation") && !down ? node["relation"].get<std::string>() + ": " : "";
  fmt::print("{}{}{}  [{}{}]  pos {}  {}  {}\n", head, relation,
             node["entity_id"].get<std::string>(), node.value("kind", std::string("?")),
             node.value("status", std::string()) != node.value("kind", std::string())
                 ? " → " + node.value("status", std::string())
                 : "",
             node.value("position", uint64_t{0}), node.value("time", std::string()), Yuan(node));
  if (!node.contains("links")) return;
  const auto& links = node["links"];
  std::string next = root ? "" : indent + (last ? "   " : "│  ");
  for (size_t i = 0; i < links.size(); ++i) {
    PrintTree(links[i], next, i + 1 == links.size(), false, down);
  }
}

}  // namespace

void AddTraceVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string id;
    bool down = false;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "trace",
      "The chain around an entity as a tree. Up (default): from a payment or asset back to\n"
      "the contract, award, requirement, budget line, demand, its warehouse query and the\n"
      "unit. --down: from a demand or budget line to everything that followed. Each step\n"
      "names its kind and status, the log position of its last event, time and amount.");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("id", opts->id, "Entity id")->required();
  verb->add_flag("--down", opts->down, "Follow the chain downstream");
  verb->add_flag("--json", opts->json, "Print the tree as one JSON object");
  verb->callback([opts] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    auto p = projections::OpenLedgerProjections(opts->data_dir, *log);
    if (!p.ok()) {
      ReportError(p.status());
      throw CLI::RuntimeError(1);
    }
    auto caught = (*p)->runner->CatchUp();
    if (!caught.ok()) {
      ReportError(caught.status());
      throw CLI::RuntimeError(1);
    }
    auto exists = (*p)->store->Get(projections::EntityStateProjection::kName, opts->id);
    if (!exists.ok() || !*exists) {
      ReportError(Status::NotFound("no entity " + opts->id + " in the ledger"));
      throw CLI::RuntimeError(1);
    }
    Tracer tracer(*(*p)->store, opts->down);
    ordered_json tree = tracer.Node(opts->id, "", 0);
    if (opts->json) {
      fmt::print("{}\n", tree.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
    } else {
      PrintTree(tree, "", true, true, opts->down);
    }
  });
}

}  // namespace ledger::cli
