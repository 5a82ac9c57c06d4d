// `ledger rebuild` and `ledger digest`: drop and replay projections; print a
// deterministic digest of each.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "projections/catalog.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddRebuildVerbs(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string projection;
    bool json = false;
  };
  auto rebuild_opts = std::make_shared<Opts>();
  CLI::App* rebuild = app.add_subcommand(
      "rebuild", "Drop projections and rebuild them from the log, with progress");
  AddLedgerOptions(*rebuild, *rebuild_opts);
  rebuild->add_option("--projection", rebuild_opts->projection, "Only this projection");
  rebuild->callback([rebuild_opts] {
    auto [log, p] = OpenProjectionsOrExit(*rebuild_opts, false);
    bool found = false;
    for (const auto& name : p->names()) {
      if (!rebuild_opts->projection.empty() && name != rebuild_opts->projection) continue;
      found = true;
      ExitOnError(p->store->Reset(name));
    }
    if (!found) {
      ReportError(Status::NotFound("no projection " + rebuild_opts->projection));
      throw CLI::RuntimeError(1);
    }
    Progress progress("rebuild", log->Size());
    auto start = std::chrono::steady_clock::now();
    auto read = p->runner->CatchUp(projections::ProjectionRunner::kDefaultBatch,
                                   [&](uint64_t done, uint64_t) { progress.Update(done); });
    progress.Finish();
    ExitOnError(read.status());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("rebuilt {} from {} in {:.2f} s ({:.0f} events/s)\n",
               rebuild_opts->projection.empty() ? "all projections" : rebuild_opts->projection,
               Plural(*read, "event"), secs, *read / std::max(secs, 1e-9));
  });

  auto digest_opts = std::make_shared<Opts>();
  CLI::App* digest = app.add_subcommand(
      "digest", "Print a deterministic digest of each projection's content (after catching up)");
  AddLedgerOptions(*digest, *digest_opts);
  digest->add_flag("--json", digest_opts->json, "JSON lines");
  digest->callback([digest_opts] {
    auto [log, p] = OpenProjectionsOrExit(*digest_opts, true);
    for (const auto& name : p->names()) {
      auto d = p->store->Digest(name);
      ExitOnError(d.status());
      if (digest_opts->json) {
        fmt::print("{}\n", nlohmann::ordered_json{{"projection", name},
                                                  {"checkpoint", p->store->Checkpoint(name)},
                                                  {"digest", core::ToHex(*d)}}
                               .dump());
      } else {
        fmt::print("{:<10} at {:>10}  {}\n", name, p->store->Checkpoint(name), core::ToHex(*d));
      }
    }
  });
}

}  // namespace ledger::cli
