// `ledger prove` prints inclusion and consistency proofs (core/tlog/proof_json.h);
// `ledger verify-proof` checks one with the verifier key alone, no ledger.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/tlog/proof_json.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

// The kept checkpoint of `size`, or one newly signed (not kept) with the key.
core::SignedCheckpoint CheckpointOfSize(core::EventLog& log, const std::string& dir,
                                        uint64_t size) {
  core::NoteVerifier key = VerifierOrExit("", dir);
  auto signer = core::ReadSignerKeyFile(dir);
  auto c = core::CheckpointFor(log, size, signer.ok() ? &*signer : nullptr, key);
  ExitOnError(c.status());
  return std::move(c).value();
}

}  // namespace

void AddProveVerbs(CLI::App& app) {
  struct Opts : LedgerOptions {
    uint64_t position = 0;
    uint64_t size = 0;
    std::vector<uint64_t> consistency;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "prove",
      "Print a proof as one JSON object (format procurement-ledger-proof/1), with the signed\n"
      "checkpoint(s) it rests on:\n"
      "  ledger prove POSITION [--size N]     the record at POSITION is in the tree of N\n"
      "                                       (default: the latest kept checkpoint)\n"
      "  ledger prove --consistency OLD NEW   the tree of NEW records extends that of OLD\n"
      "A kept checkpoint of the size is used; otherwise one is signed with the ledger's key.");
  AddLedgerOptions(*verb, *opts);
  auto* position = verb->add_option("position", opts->position, "Log position of the record");
  verb->add_option("--size", opts->size, "Tree size to prove against");
  auto* consistency = verb->add_option("--consistency", opts->consistency,
                                       "OLD NEW: prove that tree NEW extends tree OLD")
                          ->expected(2);
  position->excludes(consistency);
  verb->callback([opts, position, consistency] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    if (consistency->count() > 0) {
      auto old_cp = CheckpointOfSize(*log, opts->data_dir, opts->consistency[0]);
      auto new_cp = CheckpointOfSize(*log, opts->data_dir, opts->consistency[1]);
      auto proof = core::ConsistencyProofJson(*log, old_cp, new_cp);
      ExitOnError(proof.status());
      fmt::print("{}\n", *proof);
      return;
    }
    if (position->count() == 0) UsageError("give a POSITION or --consistency OLD NEW");
    core::SignedCheckpoint cp =
        opts->size > 0 ? CheckpointOfSize(*log, opts->data_dir, opts->size)
                       : CoveringCheckpointOrExit(*log, opts->data_dir, opts->position + 1);
    auto proof = core::InclusionProofJson(*log, opts->position, cp);
    ExitOnError(proof.status());
    fmt::print("{}\n", *proof);
  });

  auto vopts = std::make_shared<OfflineCheckOptions>(OfflineCheckOptions{.file = "-"});
  CLI::App* check = app.add_subcommand(
      "verify-proof",
      "Check a proof printed by `ledger prove` with nothing but the ledger's verifier key:\n"
      "the checkpoint signature(s), the record and its event, the Merkle proof. With\n"
      "--checkpoint, the auditor's own saved checkpoints: a different root for the same size\n"
      "is reported as a fork. Exit 1 if the proof does not hold. Needs no ledger.");
  AddOfflineCheckOptions(*check, *vopts, "Proof JSON file, or - for standard input");
  check->callback([vopts] {
    core::NoteVerifier key = VerifierOrExit(vopts->key, "");
    auto held = ReadNotesOrExit(vopts->checkpoints);
    auto summary = core::VerifyProofJson(ReadFileOrExit(vopts->file), key, held);
    if (vopts->json) {
      nlohmann::json j = {{"ok", summary.ok()}};
      if (summary.ok()) {
        j["type"] = summary->type;
        j["summary"] = summary->text;
      } else {
        j["error"] = summary.status().message();
      }
      fmt::print("{}\n", j.dump());
    } else if (summary.ok()) {
      fmt::print("{} proof OK: {}\n", summary->type, summary->text);
    } else {
      fmt::print("proof FAILED: {}\n", summary.status().message());
    }
    if (!summary.ok()) throw CLI::RuntimeError(1);
  });
}

}  // namespace ledger::cli
