// `ledger show` and `ledger history`: queries on the projections, which are
// brought up to date with the log first.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/util/money.h"
#include "projections/as_of.h"
#include "projections/budget_execution.h"
#include "projections/catalog.h"
#include "projections/entity_state.h"
#include "projections/warehouse.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

using nlohmann::ordered_json;

// A JSON value as people read it: every integer member named *_fen becomes
// yuan (core/util/money.h), named without the suffix.
ordered_json ForPeople(const ordered_json& value) {
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& v : value) out.push_back(ForPeople(v));
    return out;
  }
  if (!value.is_object()) return value;
  ordered_json out = ordered_json::object();
  for (const auto& [key, v] : value.items()) {
    if (key.ends_with("_fen") && v.is_number_integer()) {
      out[key.substr(0, key.size() - 4)] = v.is_number_unsigned()
                                               ? core::FormatYuan(v.get<uint64_t>())
                                               : core::FormatYuan(v.get<int64_t>());
    } else {
      out[key] = ForPeople(v);
    }
  }
  return out;
}

std::string Text(const ordered_json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

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
                                             AsOfEndOrExit(*o.log, show_opts->as_of));
    ExitOnError(state.status());
    if (!*state) {
      ReportError(Status::NotFound("no entity " + show_opts->id + " in the ledger"));
      throw CLI::RuntimeError(1);
    }
    auto j = ordered_json::parse(**state);
    // Budget execution (now only), for a budget line or a unit.
    if (show_opts->as_of.empty()) {
      auto totals = BudgetExecutionProjection::Of(store, show_opts->id);
      ExitOnError(totals.status());
      if (*totals) {
        ordered_json e = {{"unit", (*totals)->unit}};
        for (size_t i = 0; i < (*totals)->fen.size(); ++i) {
          e[std::string(projections::BudgetTotals::kFieldNames[i])] = (*totals)->fen[i];
        }
        j["execution"] = std::move(e);
      }
    }
    if (show_opts->json) {
      fmt::print("{}\n", j.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
      return;
    }
    const uint64_t version = j["version"].get<uint64_t>();
    fmt::print("{}  ({}, {}, {} position {}, business time {})\n", show_opts->id,
               j["kind"].get<std::string>(), Plural(version, "event"),
               version == 1 ? "at" : "the last at", j["last_position"].get<uint64_t>(),
               j["updated"].get<std::string>());
    fmt::print("  status: {}\n", j["status"].get<std::string>());
    const ordered_json fields = ForPeople(j["fields"]);
    for (const auto& [key, value] : fields.items()) fmt::print("  {:<26} {}\n", key, Text(value));
    if (j.contains("execution")) {
      fmt::print("  budget execution:\n");
      const ordered_json execution = ForPeople(j["execution"]);
      for (const auto& [key, value] : execution.items()) {
        if (key != "unit") fmt::print("    {:<24} {}\n", key, Text(value));
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
    OpenedProjections o = OpenProjectionsOrExit(*history_opts, true);
    auto page = projections::EntityEventsAsOf(*o.projections->store, *o.log, history_opts->id,
                                              history_opts->after, history_opts->limit,
                                              AsOfEndOrExit(*o.log, history_opts->as_of));
    ExitOnError(page.status());
    if (page->empty() && !history_opts->after) {
      ReportError(Status::NotFound("no entity " + history_opts->id + " in the ledger"));
      throw CLI::RuntimeError(1);
    }
    constexpr const char* kRow = "{:>10}  {:<24} {:<25}  {:<24} {:>18}\n";
    if (!history_opts->json) {
      fmt::print(kRow, "position", "event", "business time", "actor", "amount");
    }
    for (const projections::EntityEvent& e : *page) {
      std::string_view type = events::TypeName(e.type);
      if (history_opts->json) {
        ordered_json j = {
            {"position", e.position}, {"type", type}, {"time", e.time}, {"actor", e.actor}};
        if (e.amount_fen) j["amount_fen"] = *e.amount_fen;
        fmt::print("{}\n", j.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
      } else {
        fmt::print(kRow, e.position, type, e.time, e.actor,
                   e.amount_fen ? core::FormatYuan(*e.amount_fen) : "");
      }
    }
    if (!history_opts->json && page->size() == history_opts->limit) {
      fmt::print("(more: --after {})\n", page->back().position);
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
