// `ledger export` writes an auditor bundle of a range of records;
// `ledger verify-bundle` checks any bundle (projections/proof_bundle.h)
// offline. `ledger trace --proof` writes trail bundles (verb_trace.cc).
#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "projections/proof_bundle.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

// Writes `text` to `path` ("-": standard output), or exits 1.
void WriteFileOrExit(const std::string& path, const std::string& text) {
  if (path == "-") {
    fmt::print("{}\n", text);
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text << "\n";
  out.close();
  if (!out) ExitOnError(Status::IOError("cannot write " + path));
}

void AddBundleVerbs(CLI::App& app) {
  struct ExportOpts : LedgerOptions {
    uint64_t from = 0;
    uint64_t to = 0;
    std::string since;
    std::string out = "-";
  };
  auto eopts = std::make_shared<ExportOpts>();
  CLI::App* exp = app.add_subcommand(
      "export",
      "Write a self-contained auditor bundle (procurement-ledger-bundle/1) of records\n"
      "[FROM, TO): each record with its inclusion proof against the latest kept signed\n"
      "checkpoint, and with --since, the consistency proof from a checkpoint the auditor\n"
      "already holds. Check it anywhere with `ledger verify-bundle`.");
  AddLedgerOptions(*exp, *eopts);
  exp->add_option("--from", eopts->from, "First position")->required();
  exp->add_option("--to", eopts->to, "One past the last position")->required();
  exp->add_option("--since", eopts->since, "The auditor's earlier checkpoint note file");
  exp->add_option("--out", eopts->out, "Bundle file, or - for standard output")
      ->capture_default_str();
  exp->callback([eopts] {
    if (eopts->from > eopts->to) {
      UsageError(
          fmt::format("--from {} is after --to {}: the range is reversed (records [FROM, TO))",
                      eopts->from, eopts->to));
    }
    auto log = OpenLogOrReport(*eopts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    core::SignedCheckpoint cp = CoveringCheckpointOrExit(*log, eopts->data_dir, eopts->to);
    std::optional<core::SignedCheckpoint> since;
    if (!eopts->since.empty()) {
      auto opened =
          core::OpenCheckpoint(ReadFileOrExit(eopts->since), VerifierOrExit("", eopts->data_dir));
      ExitOnError(opened.status().ok() ? opened.status()
                                       : opened.status().WithContext(eopts->since));
      since = std::move(opened).value();
    }
    auto bundle =
        projections::ExportBundle(*log, eopts->from, eopts->to, cp, since ? &*since : nullptr);
    ExitOnError(bundle.status());
    WriteFileOrExit(eopts->out, *bundle);
    if (eopts->out != "-") {
      fmt::print("wrote {}: records [{}, {}) against the checkpoint of size {}{}\n", eopts->out,
                 eopts->from, eopts->to, cp.checkpoint.size,
                 since ? fmt::format(", consistent with size {}", since->checkpoint.size) : "");
    }
  });

  auto vopts = std::make_shared<OfflineCheckOptions>();
  CLI::App* check = app.add_subcommand(
      "verify-bundle",
      "Check a bundle from `ledger trace --proof` or `ledger export` offline, with nothing\n"
      "but the ledger's verifier key: the checkpoint signature, every record's inclusion\n"
      "proof and event; for a trail, each step's event and every link re-derived from the\n"
      "event that made it; for an export, the contiguous range and the consistency proof.\n"
      "--checkpoint: the auditor's own saved checkpoints (a different root for the same\n"
      "size is a fork). Exit 1 if anything fails. Needs no ledger.");
  AddOfflineCheckOptions(*check, *vopts, "Bundle JSON file, or - for standard input");
  check->callback([vopts] {
    core::NoteVerifier key = VerifierOrExit(vopts->key, "");
    auto held = ReadNotesOrExit(vopts->checkpoints);
    auto report = projections::VerifyBundle(ReadFileOrExit(vopts->file), key, held);
    if (vopts->json) {
      nlohmann::json j = {{"ok", report.ok()}};
      if (report.ok()) {
        j["kind"] = report->kind;
        j["records"] = report->records;
        j["tree_size"] = report->tree_size;
        if (report->kind == "trail") {
          j["entity_id"] = report->root_entity;
          j["links"] = report->links;
        } else {
          j["from"] = report->from;
          j["to"] = report->to;
          if (report->since_size) j["consistent_with_size"] = report->since_size;
        }
      } else {
        j["error"] = report.status().message();
      }
      fmt::print("{}\n", j.dump());
    } else if (!report.ok()) {
      fmt::print("bundle FAILED: {}\n", report.status().message());
    } else if (report->kind == "trail") {
      fmt::print(
          "bundle OK: the trail of {} ({}, {} re-derived from their events) is in the tree of {} "
          "signed by {}\n",
          report->root_entity, Plural(report->records, "record"), Plural(report->links, "link"),
          Plural(report->tree_size, "record"), key.name());
    } else {
      std::string held;
      if (report->since_size == report->tree_size) {
        held = ", the same tree as the auditor's checkpoint";
      } else if (report->since_size > 0) {
        held = fmt::format(", which extends the tree of {}", report->since_size);
      }
      fmt::print("bundle OK: records [{}, {}) are in the tree of {} signed by {}{}\n", report->from,
                 report->to, Plural(report->tree_size, "record"), key.name(), held);
    }
    if (!report.ok()) throw CLI::RuntimeError(1);
  });
}

}  // namespace ledger::cli
