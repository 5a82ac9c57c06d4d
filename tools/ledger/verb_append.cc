#include <fmt/core.h>
#include <poll.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/command/append_session.h"
#include "core/rules/rules.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

constexpr size_t kMaxBatch = 4096;

// True when reading `in` now would block: the moment to commit what we have,
// so an interactive or streaming producer sees its results without waiting.
bool InputIdle(std::istream& in, bool is_stdin) {
  if (in.rdbuf()->in_avail() > 0 || !is_stdin) return false;
  pollfd p{0, POLLIN, 0};
  return poll(&p, 1, 0) == 0;
}

}  // namespace

void PrintSummary(std::FILE* out, const core::CommandStats& stats, uint64_t ledger_size) {
  fmt::print(out, "{} appended, {} already present, {} refused; the ledger holds {}\n",
             stats.appended, stats.duplicates, stats.refused(), Plural(ledger_size, "event"));
  if (stats.invalid) fmt::print(out, "  {:>8} bad input\n", stats.invalid);
  if (stats.conflicts) fmt::print(out, "  {:>8} version conflicts\n", stats.conflicts);
  for (int r = 1; r <= 12; ++r) {
    if (stats.refused_by_rule[r] == 0) continue;
    fmt::print(out, "  {:>8} refused by {:<3} (evidence recorded)\n", stats.refused_by_rule[r],
               core::RuleName(static_cast<fb::RuleId>(r)));
  }
  if (stats.refused_again) {
    fmt::print(out, "  {:>8} of them refused before (their evidence already recorded)\n",
               stats.refused_again);
  }
}

void AddAppendVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string file = "-";
    bool json = false;
    bool quiet = false;
    uint64_t checkpoint_every = 10000;
    int64_t checkpoint_seconds = 60;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "append",
      "Append events given as JSON lines (one event per line). Each line gets an outcome:\n"
      "its log position, or the reason it was refused (line and field, or the control rule\n"
      "R1-R12). Bad lines are not written; a line refused by a rule is not written either,\n"
      "but its evidence (ControlViolationRecorded) is. The good lines go in, group-committed.\n"
      "An event id already in the ledger with the same content answers its position.\n"
      "Signs and keeps a checkpoint of the Merkle tree every --checkpoint-every events or\n"
      "--checkpoint-seconds seconds, and one at the end when anything was appended (when\n"
      "the ledger has a signing key). Exit 1 if any line was refused.");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("file", opts->file, "JSON lines file, or - for standard input")
      ->capture_default_str();
  verb->add_flag("--json", opts->json, "One JSON outcome per line, for programs");
  verb->add_flag("-q,--quiet", opts->quiet, "Print only refusals and the summary");
  verb->add_option("--checkpoint-every", opts->checkpoint_every,
                   "Keep a signed checkpoint every N events (0: not by count)")
      ->capture_default_str();
  verb->add_option("--checkpoint-seconds", opts->checkpoint_seconds,
                   "Keep a signed checkpoint every T seconds (0: not by time)")
      ->capture_default_str();
  verb->callback([opts] {
    std::ifstream file;
    bool is_stdin = opts->file == "-";
    if (!is_stdin) {
      file.open(opts->file);
      if (!file) {
        ReportError(Status::NotFound("cannot open " + opts->file));
        throw CLI::RuntimeError(1);
      }
    }
    std::istream& in = is_stdin ? std::cin : file;
    auto log = OpenLogOrReport(*opts, core::OpenMode::kWrite);
    if (!log) throw CLI::RuntimeError(1);

    std::string source = is_stdin ? "stdin" : opts->file;
    // Checkpoints belong to the write path: every N events or T seconds.
    core::AppendSessionOptions session_options;
    session_options.max_batch = kMaxBatch;
    session_options.policy = {opts->checkpoint_every,
                              std::chrono::seconds(opts->checkpoint_seconds)};
    auto signer = core::ReadSignerKeyFile(opts->data_dir);
    if (signer.ok()) {
      session_options.signer = std::move(signer).value();
    } else if (!signer.status().IsNotFound()) {
      ExitOnError(signer.status());
    }
    auto opened = core::AppendSession::Open(
        *log,
        [&](const core::LineOutcome& o) {
          if (opts->json) {
            nlohmann::json j = {{"line", o.line}};
            if (!o.type.empty()) j["type"] = o.type;
            if (!o.event_id.empty()) j["id"] = o.event_id;
            if (o.position) j["position"] = *o.position;
            if (o.duplicate) j["duplicate"] = true;
            if (!o.error.ok()) {
              j["error"] = o.error.message();
              if (!o.error.rule().empty()) j["rule"] = o.error.rule();
              if (o.evidence_position) j["evidence_position"] = *o.evidence_position;
            }
            fmt::print("{}\n", j.dump());
          } else if (!o.error.ok()) {
            std::string by = o.error.rule().empty() ? "" : " by " + o.error.rule();
            std::string evidence =
                !o.evidence_position ? ""
                : o.duplicate
                    ? fmt::format("; refused before, evidence already recorded at position {}",
                                  *o.evidence_position)
                    : fmt::format("; evidence of this refusal recorded at position {}",
                                  *o.evidence_position);
            fmt::print("{}:{}: refused{}: {}{}\n", source, o.line, by, o.error.message(), evidence);
          } else if (!opts->quiet) {
            fmt::print("{}:{}: position {:<8} {:<26} {}{}\n", source, o.line, *o.position, o.type,
                       o.event_id, o.duplicate ? " (already in the ledger)" : "");
          }
        },
        std::move(session_options));
    ExitOnError(opened.status());
    core::AppendSession& session = **opened;
    std::string line;
    uint64_t line_no = 0;
    Status failure;
    while (failure.ok() && std::getline(in, line)) {
      failure = session.SubmitJson(++line_no, line);
      // An interactive or streaming producer sees its outcomes at once.
      if (failure.ok() && InputIdle(in, is_stdin)) {
        failure = session.Sync();
        std::fflush(stdout);
      }
    }
    // Every line handed over gets its outcome, also after a failure.
    Status closed = session.Close();
    if (failure.ok()) failure = closed;
    ExitOnError(failure);
    const core::CommandStats& stats = session.stats();
    if (!opts->json) {
      PrintSummary(stderr, stats, log->Size());
      if (session.checkpoint_size().value_or(0) > 0) {
        fmt::print(stderr, "latest signed checkpoint: size {}\n", *session.checkpoint_size());
      }
    }
    if (stats.refused() > 0) throw CLI::RuntimeError(1);
  });
}

}  // namespace ledger::cli
