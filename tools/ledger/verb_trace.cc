// `ledger trace ID [--down]`: prints the trail (projections/trail.h) as a
// tree for people or as one JSON object.
#include <fmt/core.h>

#include "core/util/money.h"
#include "projections/as_of.h"
#include "projections/catalog.h"
#include "projections/proof_bundle.h"
#include "projections/trail.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

using projections::TrailNode;

void PrintTree(const TrailNode& n, const std::string& indent, bool last, bool root, bool down) {
  std::string head = root ? "" : indent + (last ? "└─ " : "├─ ");
  // Up, a link names what the parent is to the child ("contract"); down, the
  // child's kind says it.
  std::string relation = !n.relation.empty() && !down ? n.relation + ": " : "";
  std::string status = n.status != n.kind ? " → " + n.status : "";
  std::string amount = n.amount_fen ? "  " + core::FormatYuan(*n.amount_fen) : "";
  fmt::print("{}{}{}  [{}{}]  pos {}  {}{}\n", head, relation, n.entity_id, n.kind, status,
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
      "names its kind and status, the log position of its last event, its business time and\n"
      "amount.");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("id", opts->id, "Entity id")->required();
  verb->add_flag("--down", opts->down, "Follow the chain downstream");
  verb->add_flag("--json", opts->json, "Print the tree as one JSON object");
  CLI::Option* as_of = verb->add_option("--as-of", opts->as_of, kAsOfHelp);
  verb->add_option("--proof", opts->proof,
                   "Write a provable bundle to this file (- for standard output): every step's "
                   "event with its inclusion proof against the latest kept signed checkpoint "
                   "(the trail as of that checkpoint); check it with `ledger verify-bundle`")
      ->excludes(as_of);
  verb->callback([opts] {
    auto [log, p] = OpenProjectionsOrExit(*opts, true);
    if (!opts->proof.empty()) {
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
    projections::AsOf as_of{log.get(), AsOfEndOrExit(*log, opts->as_of)};
    auto trail =
        projections::Trail(*p->store, opts->id, opts->down, opts->as_of.empty() ? nullptr : &as_of);
    ExitOnError(trail.status());
    // As of a past point the records were read already; now the states came
    // from the projections: the records they rest on are checked here.
    if (opts->as_of.empty()) ExitOnError(projections::CheckTrailRecords(*log, *trail));
    if (opts->json) {
      fmt::print("{}\n", projections::TrailJson(*trail, projections::TrailFields::kAll));
    } else {
      PrintTree(*trail, "", true, true, opts->down);
    }
  });
}

}  // namespace ledger::cli
