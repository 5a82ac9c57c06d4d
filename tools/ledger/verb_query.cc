// `ledger show` and `ledger history`: queries on the projections, which are
// brought up to date with the log first.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "projections/as_of.h"
#include "projections/budget_execution.h"
#include "projections/catalog.h"
#include "projections/entity_history.h"
#include "projections/entity_state.h"
#include "projections/warehouse.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

using nlohmann::ordered_json;

// The end of the log prefix --as-of names, or the whole log.
uint64_t AsOfEnd(core::EventLog& log, const std::string& spec) {
  if (spec.empty()) return log.Size();
  auto end = projections::ResolveAsOf(log, spec);
  ExitOnError(end.status());
  return *end;
}

constexpr const char* kAsOfHelp =
    "The ledger as it was at a log position (that event included) or an RFC 3339 time";

}  // namespace

void AddQueryVerbs(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string id;
    bool json = false;
    uint64_t limit = 50;
    std::optional<uint64_t> after;
    std::string as_of;
  };
  auto show_opts = std::make_shared<Opts>();
  CLI::App* show = app.add_subcommand(
      "show", "Show an entity's current state: its kind, status, version and fields");
  AddLedgerOptions(*show, *show_opts);
  show->add_option("id", show_opts->id, "Entity id (demand, budget line, contract, ...)")
      ->required();
  show->add_flag("--json", show_opts->json, "Print one JSON line");
  show->add_option("--as-of", show_opts->as_of, kAsOfHelp);
  show->callback([show_opts] {
    OpenedProjections o = OpenProjectionsOrExit(*show_opts, true);
    using projections::BudgetExecutionProjection;
    auto& store = *o.projections->store;
    auto state = projections::EntityJsonAsOf(store, *o.log, show_opts->id,
                                             AsOfEnd(*o.log, show_opts->as_of));
    ExitOnError(state.status());
    if (!*state) {
      ReportError(Status::NotFound("no entity " + show_opts->id + " in the ledger"));
      throw CLI::RuntimeError(1);
    }
    auto j = ordered_json::parse(**state);
    // Budget execution (now only), for a budget line or a unit.
    for (const auto& key : {BudgetExecutionProjection::LineKey(show_opts->id),
                            BudgetExecutionProjection::UnitKey(show_opts->id)}) {
      auto execution = store.Get(BudgetExecutionProjection::kName, key);
      if (execution.ok() && *execution && show_opts->as_of.empty()) {
        auto totals = projections::BudgetTotals::Decode(**execution);
        ExitOnError(totals.status());
        ordered_json e = {{"unit", totals->unit}};
        for (size_t i = 0; i < totals->fen.size(); ++i) {
          e[std::string(projections::BudgetTotals::kFieldNames[i])] = totals->fen[i];
        }
        j["execution"] = std::move(e);
      }
    }
    if (show_opts->json) {
      fmt::print("{}\n", j.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
      return;
    }
    fmt::print("{}  ({}, {} events, last at position {}, {})\n", show_opts->id,
               j["kind"].get<std::string>(), j["version"].get<uint64_t>(),
               j["last_position"].get<uint64_t>(), j["updated"].get<std::string>());
    fmt::print("  status: {}\n", j["status"].get<std::string>());
    for (const auto& [key, value] : j["fields"].items()) {
      fmt::print("  {:<26} {}\n", key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    if (j.contains("execution")) {
      fmt::print("  budget execution:\n");
      for (const auto& [key, value] : j["execution"].items()) {
        if (key != "unit") fmt::print("    {:<24} {}\n", key, value.dump());
      }
    }
  });

  auto history_opts = std::make_shared<Opts>();
  CLI::App* history =
      app.add_subcommand("history", "List the events of an entity in log order, a page at a time");
  AddLedgerOptions(*history, *history_opts);
  history->add_option("id", history_opts->id, "Entity id")->required();
  history->add_option("--limit", history_opts->limit, "Events per page")->capture_default_str();
  history->add_option("--after", history_opts->after,
                      "Start after this log position (the last one of the previous page)");
  history->add_flag("--json", history_opts->json, "JSON lines");
  history->add_option("--as-of", history_opts->as_of, kAsOfHelp);
  history->callback([history_opts] {
    using projections::EntityHistoryProjection;
    OpenedProjections o = OpenProjectionsOrExit(*history_opts, true);
    const uint64_t end = AsOfEnd(*o.log, history_opts->as_of);
    auto entries = EntityHistoryProjection::Of(*o.projections->store, history_opts->id);
    ExitOnError(entries.status());
    uint64_t shown = 0, last = 0;
    for (const projections::HistoryEntry& e : *entries) {
      if (history_opts->after && e.position <= *history_opts->after) continue;
      if (shown >= history_opts->limit || e.position >= end) break;
      last = e.position;
      std::string_view type = events::TypeName(e.type);
      if (history_opts->json) {
        fmt::print("{}\n", ordered_json{{"position", last}, {"type", type}}.dump());
      } else {
        fmt::print("{:>10}  {}\n", last, type);
      }
      ++shown;
    }
    if (shown == 0 && !history_opts->after) {
      ReportError(Status::NotFound("no entity " + history_opts->id + " in the ledger"));
      throw CLI::RuntimeError(1);
    }
    if (!history_opts->json && shown == history_opts->limit) {
      fmt::print("(more: --after {})\n", last);
    }
  });
}

void AddWarehouseVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string category;
    std::string spec;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "warehouse",
      "List the assets in the public warehouse (公物仓) of a catalog category (and spec):\n"
      "what a warehouse pre-query should match before any budget is arranged");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("category", opts->category, "Catalog code, e.g. A02010104")->required();
  verb->add_option("--spec", opts->spec, "Only this spec");
  verb->add_flag("--json", opts->json, "JSON lines");
  verb->callback([opts] {
    OpenedProjections o = OpenProjectionsOrExit(*opts, true);
    auto assets = projections::WarehouseProjection::Available(*o.projections->store, opts->category,
                                                              opts->spec);
    ExitOnError(assets.status());
    for (const auto& id : *assets) {
      if (opts->json) {
        fmt::print("{}\n", ordered_json{{"asset_id", id}}.dump());
      } else {
        fmt::print("{}\n", id);
      }
    }
    if (!opts->json) fmt::print(stderr, "{} in the warehouse\n", assets->size());
  });
}

}  // namespace ledger::cli
