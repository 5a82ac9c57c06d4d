// `ledger checkpoint` (sign and keep one now) and `ledger checkpoints` (list
// the kept ones).
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/util/encoding.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddCheckpointVerbs(CLI::App& app) {
  struct Opts : LedgerOptions {
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "checkpoint",
      "Sign a checkpoint of the whole log (origin, tree size, Merkle root; C2SP\n"
      "tlog-checkpoint in a signed note) with the ledger's key, keep it, and print it.\n"
      "Opens the ledger for writing (not beside a running `ledger append`).");
  AddLedgerOptions(*verb, *opts);
  verb->add_flag("--json", opts->json, "Print {size, root, note} as one JSON line");
  verb->callback([opts] {
    auto signer = core::ReadSignerKeyFile(opts->data_dir);
    ExitOnError(signer.status());
    auto log = OpenLogOrReport(*opts, core::OpenMode::kWrite);
    if (!log) throw CLI::RuntimeError(1);
    auto cp = core::Checkpointer::Open(*log, *signer, {});
    ExitOnError(cp.status());
    auto made = cp->Now();
    ExitOnError(made.status());
    if (opts->json) {
      nlohmann::json j = {{"size", made->checkpoint.size},
                          {"root", core::ToHex(made->checkpoint.root)},
                          {"note", made->note}};
      fmt::print("{}\n", j.dump());
    } else {
      fmt::print("{}", made->note);
    }
  });

  auto lopts = std::make_shared<Opts>();
  CLI::App* list = app.add_subcommand(
      "checkpoints",
      "List the kept signed checkpoints (size, root), each checked with the verifier key.");
  AddLedgerOptions(*list, *lopts);
  list->add_flag("--json", lopts->json, "One JSON line per checkpoint, with its note");
  list->callback([lopts] {
    auto log = OpenLogOrReport(*lopts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    core::NoteVerifier key = VerifierOrExit("", lopts->data_dir);
    auto kept = core::KeptCheckpoints(*log, key);
    ExitOnError(kept.status());
    if (!lopts->json) fmt::print("{:>12}  {:<64}\n", "size", "root (hex)");
    for (const auto& c : *kept) {
      if (lopts->json) {
        nlohmann::json j = {{"size", c.checkpoint.size},
                            {"root", core::ToHex(c.checkpoint.root)},
                            {"note", c.note}};
        fmt::print("{}\n", j.dump());
      } else {
        fmt::print("{:>12}  {}\n", c.checkpoint.size, core::ToHex(c.checkpoint.root));
      }
    }
  });
}

}  // namespace ledger::cli
