// `ledger show` and `ledger history`: queries on the projections, which are
// brought up to date with the log first.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "projections/catalog.h"
#include "projections/entity_history.h"
#include "projections/entity_state.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

using nlohmann::ordered_json;

// The ledger's log (read-only) and its projections, caught up.
struct Opened {
  std::unique_ptr<core::EventLog> log;
  std::unique_ptr<projections::LedgerProjections> projections;
};

Opened OpenCaughtUp(const LedgerOptions& opts) {
  Opened o;
  o.log = OpenLogOrReport(opts, core::OpenMode::kRead);
  if (!o.log) throw CLI::RuntimeError(1);
  auto p = projections::OpenLedgerProjections(opts.data_dir, *o.log);
  if (!p.ok()) {
    ReportError(p.status());
    throw CLI::RuntimeError(1);
  }
  o.projections = std::move(p).value();
  Progress progress("projecting", o.log->Size());
  auto caught =
      o.projections->runner->CatchUp(4096, [&](uint64_t done, uint64_t) { progress.Update(done); });
  progress.Finish();
  if (!caught.ok()) {
    ReportError(caught.status());
    throw CLI::RuntimeError(1);
  }
  return o;
}

}  // namespace

void AddQueryVerbs(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string id;
    bool json = false;
    uint64_t limit = 50;
    std::optional<uint64_t> after;
  };
  auto show_opts = std::make_shared<Opts>();
  CLI::App* show = app.add_subcommand(
      "show", "Show an entity's current state: its kind, status, version and fields");
  AddLedgerOptions(*show, *show_opts);
  show->add_option("id", show_opts->id, "Entity id (demand, budget line, contract, ...)")
      ->required();
  show->add_flag("--json", show_opts->json, "Print one JSON line");
  show->callback([show_opts] {
    Opened o = OpenCaughtUp(*show_opts);
    auto state =
        o.projections->store->Get(projections::EntityStateProjection::kName, show_opts->id);
    if (!state.ok()) {
      ReportError(state.status());
      throw CLI::RuntimeError(1);
    }
    if (!*state) {
      ReportError(Status::NotFound("no entity " + show_opts->id + " in the ledger"));
      throw CLI::RuntimeError(1);
    }
    if (show_opts->json) {
      fmt::print("{}\n", **state);
      return;
    }
    auto j = ordered_json::parse(**state);
    fmt::print("{}  ({}, {} events, last at position {}, {})\n", show_opts->id,
               j["kind"].get<std::string>(), j["version"].get<uint64_t>(),
               j["last_position"].get<uint64_t>(), j["updated"].get<std::string>());
    fmt::print("  status: {}\n", j["status"].get<std::string>());
    for (const auto& [key, value] : j["fields"].items()) {
      fmt::print("  {:<26} {}\n", key, value.is_string() ? value.get<std::string>() : value.dump());
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
  history->callback([history_opts] {
    using projections::EntityHistoryProjection;
    Opened o = OpenCaughtUp(*history_opts);
    std::string prefix = EntityHistoryProjection::Prefix(history_opts->id);
    std::string start = history_opts->after ? EntityHistoryProjection::Key(history_opts->id,
                                                                           *history_opts->after + 1)
                                            : prefix;
    uint64_t shown = 0, last = 0;
    Status st = o.projections->store->Scan(
        EntityHistoryProjection::kName, prefix, start,
        [&](std::string_view key, std::string_view type) {
          if (shown >= history_opts->limit) return false;
          last = EntityHistoryProjection::PositionOf(key);
          if (history_opts->json) {
            fmt::print("{}\n", ordered_json{{"position", last}, {"type", type}}.dump());
          } else {
            fmt::print("{:>10}  {}\n", last, type);
          }
          ++shown;
          return true;
        });
    if (!st.ok()) {
      ReportError(st);
      throw CLI::RuntimeError(1);
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

}  // namespace ledger::cli
