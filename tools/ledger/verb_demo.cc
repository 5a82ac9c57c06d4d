#include <fmt/core.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "core/command/append_session.h"
#include "core/tlog/chain_verifier.h"
#include "core/util/money.h"
#include "events/codec.h"
#include "events/samples.h"
#include "projections/entity_state.h"
#include "tools/gen/generator.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

// Prints the events of one chain (by correlation id) as a table.
Status PrintChain(core::EventLog& log, const std::string& correlation_id) {
  constexpr const char* kRow = "{:>6}  {:<24} {:<22} {:<25} {:>16}\n";
  fmt::print(kRow, "pos", "event", "entity", "business time", "amount");
  return log.Read(0, log.Size(), [&](const core::LogEntry& e) {
    const fb::Event* ev = events::DecodeEvent(e.record.event).value();
    if (ev->correlation_id() == nullptr || ev->correlation_id()->str() != correlation_id) {
      return true;
    }
    auto amount = projections::EventAmountFen(*ev);
    fmt::print(kRow, e.record.position, events::TypeName(ev->data_type()), events::EntityIdOf(*ev),
               ev->time()->string_view(), amount ? core::FormatYuan(*amount) : "");
    return true;
  });
}

}  // namespace

void AddDemoVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    bool replace = false;
    uint64_t chains = 1000;
    uint64_t seed = 2026;
    double violations = 0.03;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "demo",
      "Build a demo ledger: the full sample chain that ships with the ledger (inventory ->\n"
      "warehouse pre-query -> budget -> requirement -> tender -> bids -> award -> contract\n"
      "-> acceptance -> payment -> asset registered), then generated chains with a few\n"
      "events that break the control rules. Prints what was appended and refused (by\n"
      "rule), shows the sample chain, verifies the hash chain and shows how to look further.");
  AddLedgerOptions(*verb, *opts);
  verb->add_flag("--replace", opts->replace, "Replace an existing ledger in the directory");
  verb->add_option("--chains", opts->chains, "Generated chains")->capture_default_str();
  verb->add_option("--seed", opts->seed, "Generator seed")->capture_default_str();
  verb->add_option("--violations", opts->violations,
                   "Share of generated chains carrying a rule-breaking event")
      ->capture_default_str();
  verb->callback([opts] {
    namespace fs = std::filesystem;
    if (fs::exists(opts->data_dir) && !fs::is_empty(opts->data_dir)) {
      if (!opts->replace || !fs::exists(fs::path(opts->data_dir) / "CURRENT")) {
        ReportError(Status::InvalidArgument(
            opts->data_dir + " is not empty (use --replace to rebuild a ledger there)"));
        throw CLI::RuntimeError(1);
      }
      fs::remove_all(opts->data_dir);
    }
    auto log = OpenLogOrReport(*opts, core::OpenMode::kCreate);
    if (!log) throw CLI::RuntimeError(1);
    if (log->Size() > 0) {  // on Kafka: a topic that already holds a ledger
      ReportError(Status::InvalidArgument(
          fmt::format("topic {} already holds {}; the demo needs a fresh topic (--topic)",
                      opts->topic, Plural(log->Size(), "event"))));
      throw CLI::RuntimeError(1);
    }
    // The demo ledger gets a signing key, and the session a signed checkpoint
    // of it all when it closes.
    auto signer = core::NoteSigner::Generate("procurement-ledger/demo");
    ExitOnError(signer.status());
    ExitOnError(core::WriteKeyFiles(opts->data_dir, *signer));
    core::AppendSessionOptions session_options;
    session_options.signer = *signer;
    session_options.policy = {0, std::chrono::seconds(0)};  // one checkpoint, at the close
    std::vector<std::string> examples;  // a few refusals, to show what they look like
    auto opened = core::AppendSession::Open(
        *log,
        [&](const core::LineOutcome& o) {
          if (o.error.IsRejected() && examples.size() < 3) examples.push_back(o.error.ToString());
          if (!o.error.ok() && !o.error.IsRejected()) ReportError(o.error);
        },
        std::move(session_options));
    ExitOnError(opened.status());
    core::AppendSession& session = **opened;

    fmt::print("Building a demo ledger in {}\n", opts->data_dir);
    std::istringstream sample{std::string(events::DemoChainJsonl())};
    uint64_t line_no = 0;
    for (std::string line; std::getline(sample, line);) {
      ExitOnError(session.SubmitJson(++line_no, line));
    }
    ExitOnError(session.Sync());
    fmt::print("  the sample chain (events/samples/demo-chain.jsonl): {}\n",
               Plural(session.stats().appended, "event"));

    gen::GeneratorOptions gen{opts->chains, opts->seed, opts->violations};
    gen::GeneratorStats gen_stats;
    Progress progress("appending", 0);
    gen::GenerateChains(
        gen,
        [&](const std::string& line) {
          ExitOnError(session.SubmitJson(++line_no, line));
          if (line_no % 4096 == 0) progress.Update(line_no);
        },
        &gen_stats);
    ExitOnError(session.Close());
    progress.Finish();
    const core::CommandStats& stats = session.stats();
    fmt::print("  {} (seed {}): {}, {} of them made to break a rule\n\n",
               Plural(opts->chains, "generated chain"), opts->seed,
               Plural(gen_stats.events, "event"), gen_stats.violations.size());
    PrintSummary(stdout, stats, log->Size());
    for (const auto& e : examples) fmt::print("  e.g. {}\n", e);

    fmt::print("\nThe sample chain, from inventory to the new asset:\n\n");
    Status st = PrintChain(*log, "chain-demo-1");
    ExitOnError(st);
    core::VerifyOptions verify_options;
    verify_options.key = &signer->verifier();
    auto report = core::VerifyLedger(*log, verify_options);
    ExitOnError(report.status());
    fmt::print("\n{} appended, {} refused (their evidence is in the ledger).\n",
               Plural(stats.appended, "event"), stats.refused());
    fmt::print("Hash chain verified: {}, head {}\n", Plural(report->records, "record"),
               core::ToHex(report->head));
    fmt::print("Merkle tree verified: root {}, signed checkpoint at size {}\n",
               core::ToHex(report->root), session.checkpoint_size().value_or(0));
    fmt::print("Verifier key for auditors: {}\n\n", signer->verifier().VerifierKey());
    fmt::print("Look further:\n");
    fmt::print("  ledger log --data {} --limit 3        # the events as JSON lines\n",
               opts->data_dir);
    fmt::print("  ledger verify --data {}               # recompute the hash chain and tree\n",
               opts->data_dir);
    fmt::print("  ledger trace --data {} PAY-2025-0042-01-2 --proof trail.json\n", opts->data_dir);
    fmt::print("  ledger verify-bundle trail.json --key {}/signing.pub\n", opts->data_dir);
    fmt::print("  ledger gen --chains 10 --violations 0.5 | ledger append --data {}\n",
               opts->data_dir);
  });
}

}  // namespace ledger::cli
