#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/command/decision_store.h"
#include "core/tlog/chain_verifier.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddVerifyVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    bool json = false;
    bool state = false;
    std::string key;
    std::vector<std::string> checkpoints;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "verify",
      "Recompute the hash chain and the Merkle tree from position 0 in one pass: every\n"
      "record, chain link, Merkle leaf and stored tree node, and the root of every kept\n"
      "signed checkpoint (signatures checked with the verifier key: --key, or DIR/signing.pub).\n"
      "--checkpoint FILE: a checkpoint the auditor saved before; a different root for its\n"
      "size is reported as \"fork at size N\". --state: also derive the decision state the\n"
      "control rules read from the records and compare it with the kept one, which the chain\n"
      "does not cover. On the first mismatch, name the position and exit 1.");
  AddLedgerOptions(*verb, *opts);
  verb->add_flag("--json", opts->json, "Print the result as one JSON line");
  verb->add_flag("--state", opts->state,
                 "Also compare the kept decision state with the one the records give");
  verb->add_option("--key", opts->key, "The ledger's verifier key file");
  verb->add_option("--checkpoint", opts->checkpoints,
                   "A checkpoint note file the auditor holds (repeatable)");
  verb->callback([opts] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    std::optional<core::NoteVerifier> key;
    bool have_key =
        !opts->key.empty() || std::filesystem::exists(core::VerifierKeyPath(opts->data_dir));
    if (have_key) key = VerifierOrExit(opts->key, opts->data_dir);
    Progress progress("verify", log->Size());
    core::VerifyOptions options;
    options.key = key ? &*key : nullptr;
    options.auditor_checkpoints = ReadNotesOrExit(opts->checkpoints);
    options.progress = [&](uint64_t done, uint64_t) { progress.Update(done); };
    auto report = core::VerifyLedger(*log, options);
    progress.Finish();
    Status failure = report.status();
    if (failure.ok() && opts->state) failure = core::VerifyDecisionState(*log);
    if (opts->json) {
      nlohmann::json j = {{"ok", failure.ok()}};
      if (failure.ok()) {
        j["records"] = report->records;
        j["head"] = core::ToHex(report->head);
        j["root"] = core::ToHex(report->root);
        j["tree_nodes"] = report->tree_nodes;
        j["checkpoints"] = report->checkpoints;
        j["state"] = opts->state;
      } else {
        j["error"] = failure.message();
      }
      fmt::print("{}\n", j.dump());
    } else if (failure.ok()) {
      fmt::print("verified {}; chain head {}\n", Plural(report->records, "record"),
                 core::ToHex(report->head));
      fmt::print("  Merkle root {} ({} checked)\n", core::ToHex(report->root),
                 Plural(report->tree_nodes, "tree node"));
      fmt::print("  {} checked{}\n", Plural(report->checkpoints, "signed checkpoint"),
                 key ? "" : " (no verifier key: kept checkpoints not checked)");
      if (opts->state) fmt::print("  decision state equal to the one the records give\n");
    } else {
      fmt::print("verification FAILED: {}\n", failure.message());
    }
    if (!failure.ok()) throw CLI::RuntimeError(1);
  });
}

}  // namespace ledger::cli
