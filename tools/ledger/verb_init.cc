#include <fmt/core.h>

#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddInitVerb(CLI::App& app) {
  auto opts = std::make_shared<LedgerOptions>();
  CLI::App* verb = app.add_subcommand("init", "Create a new, empty ledger");
  AddLedgerOptions(*verb, *opts);
  verb->callback([opts] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kCreate);
    if (!log) throw CLI::RuntimeError(1);
    fmt::print("created an empty ledger in {}\n", opts->data_dir);
  });
}

}  // namespace ledger::cli
