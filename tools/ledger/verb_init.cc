#include <fmt/core.h>

#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddInitVerb(CLI::App& app) {
  auto opts = std::make_shared<LedgerOptions>();
  CLI::App* verb = app.add_subcommand("init",
                                      "Create a new, empty ledger (with --kafka: its topic, one "
                                      "partition, and the writer's mirror)");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("--replication-factor", opts->replication_factor,
                   "With --kafka: replicas of the topic if it is created "
                   "(min.insync.replicas: one less, at least 1)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  verb->callback([opts] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kCreate);
    if (!log) throw CLI::RuntimeError(1);
    if (opts->kafka.empty()) {
      fmt::print("created an empty ledger in {}\n", opts->data_dir);
    } else {
      fmt::print("ledger on Kafka topic {} at {} ({} events); writer's mirror in {}\n", opts->topic,
                 opts->kafka, log->Size(), opts->data_dir);
    }
  });
}

}  // namespace ledger::cli
