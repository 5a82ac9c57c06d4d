#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/chain_verifier.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddVerifyVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "verify",
      "Recompute the hash chain from position 0 and check every record. On the first\n"
      "mismatch, name the position and exit 1.");
  AddLedgerOptions(*verb, *opts);
  verb->add_flag("--json", opts->json, "Print the result as one JSON line");
  verb->callback([opts] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    Progress progress("verify", log->Size());
    auto report = core::VerifyChain(*log, [&](uint64_t done, uint64_t) { progress.Update(done); });
    progress.Finish();
    if (opts->json) {
      nlohmann::json j = {{"ok", report.ok()}};
      if (report.ok()) {
        j["records"] = report->records;
        j["head"] = core::ToHex(report->head);
      } else {
        j["error"] = report.status().message();
      }
      fmt::print("{}\n", j.dump());
    } else if (report.ok()) {
      fmt::print("verified {} records; chain head {}\n", report->records,
                 core::ToHex(report->head));
    } else {
      fmt::print("verification FAILED: {}\n", report.status().message());
    }
    if (!report.ok()) throw CLI::RuntimeError(1);
  });
}

}  // namespace ledger::cli
