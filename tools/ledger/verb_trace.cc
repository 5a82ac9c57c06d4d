// `ledger trace ID [--down]`: prints the trail (projections/trail.h) as a
// tree for people or as one JSON object.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "projections/as_of.h"
#include "projections/catalog.h"
#include "projections/proof_bundle.h"
#include "projections/trail.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

using nlohmann::ordered_json;
using projections::TrailNode;

ordered_json ToJson(const TrailNode& n) {
  ordered_json j = {{"entity_id", n.entity_id}};
  if (!n.relation.empty()) {
    j["relation"] = n.relation;
    j["link_position"] = n.link_position;
  }
  j["kind"] = n.kind;
  j["status"] = n.status;
  j["position"] = n.position;
  j["time"] = n.time;
  if (n.amount_fen) j["amount_fen"] = *n.amount_fen;
  if (!n.links.empty()) {
    j["links"] = ordered_json::array();
    for (const auto& c : n.links) j["links"].push_back(ToJson(c));
  }
  return j;
}

void PrintTree(const TrailNode& n, const std::string& indent, bool last, bool root, bool down) {
  std::string head = root ? "" : indent + (last ? "└─ " : "├─ ");
  // Up, a link names what the parent is to the child ("contract"); down, the
  // child's kind says it.
  std::string relation = !n.relation.empty() && !down ? n.relation + ": " : "";
  std::string status = n.status != n.kind ? " → " + n.status : "";
  std::string amount =
      n.amount_fen ? fmt::format("¥{}.{:02}", *n.amount_fen / 100, *n.amount_fen % 100) : "";
  fmt::print("{}{}{}  [{}{}]  pos {}  {}  {}\n", head, relation, n.entity_id, n.kind, status,
             n.position, n.time, amount);
  std::string next = root ? "" : indent + (last ? "   " : "│  ");
  for (size_t i = 0; i < n.links.size(); ++i) {
    PrintTree(n.links[i], next, i + 1 == n.links.size(), false, down);
  }
}

}  // namespace

void AddTraceVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string id;
    bool down = false;
    bool json = false;
    std::string as_of;
    std::string proof;
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
  verb->add_option("--as-of", opts->as_of,
                   "The trail as it was at a log position (that event included) or an RFC 3339 "
                   "time");
  verb->add_option("--proof", opts->proof,
                   "Write a provable bundle to this file (- for standard output): every step's "
                   "event with its inclusion proof against the latest kept signed checkpoint "
                   "(the trail as of that checkpoint); check it with `ledger verify-bundle`");
  verb->callback([opts] {
    auto [log, p] = OpenProjectionsOrExit(*opts, true);
    if (!opts->proof.empty()) {
      if (!opts->as_of.empty()) ExitOnError(Status::InvalidArgument("--proof with --as-of"));
      core::SignedCheckpoint cp = CoveringCheckpointOrExit(*log, opts->data_dir, 0);
      auto bundle = projections::TrailBundle(*log, *p->store, opts->id, opts->down, cp);
      ExitOnError(bundle.status());
      WriteFileOrExit(opts->proof, *bundle);
      if (opts->proof != "-") {
        fmt::print("wrote {}: the trail of {} against the checkpoint of size {}\n", opts->proof,
                   opts->id, cp.checkpoint.size);
      }
      return;
    }
    projections::AsOf as_of{log.get(), log->Size()};
    if (!opts->as_of.empty()) {
      auto end = projections::ResolveAsOf(*log, opts->as_of);
      ExitOnError(end.status());
      as_of.end = *end;
    }
    auto trail =
        projections::Trail(*p->store, opts->id, opts->down, opts->as_of.empty() ? nullptr : &as_of);
    ExitOnError(trail.status());
    if (opts->json) {
      fmt::print("{}\n",
                 ToJson(*trail).dump(-1, ' ', false, ordered_json::error_handler_t::replace));
    } else {
      PrintTree(*trail, "", true, true, opts->down);
    }
  });
}

}  // namespace ledger::cli
