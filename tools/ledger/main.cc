// ledger: the command line of the procurement audit ledger. Thin: parses
// arguments and calls the libraries; each verb lives in verb_<name>.cc.
//
// The binary is linked with jemalloc as its malloc: the write path allocates
// on one thread (events, outcomes, state writes) and frees on another (the
// committer, the Kafka writer's mirror), which glibc's allocator serves by
// consolidating and searching its bins (docs/benchmarks.md).
#include <CLI/CLI.hpp>
#include <csignal>

#include "tools/ledger/cli.h"

// jemalloc's settings (read at its start; MALLOC_CONF in the environment
// still overrides them). Freed pages are kept for reuse instead of being
// given back to the kernel after a few seconds: the write path frees and
// reallocates buffers of megabytes per group commit (memtables, mirror
// batches), and every page given back comes back zeroed by a page fault.
// The cost: the process keeps its peak heap.
extern "C" {
const char* malloc_conf = "dirty_decay_ms:-1,muzzy_decay_ms:-1";
}

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // `ledger log | head` ends on a write error instead
  CLI::App app{
      "ledger: full-chain audit ledger for government procurement.\n"
      "Every step (budget, tender, award, contract, acceptance, payment, asset) is an\n"
      "immutable, hash-chained event."};
  ledger::cli::AddInitVerb(app);
  ledger::cli::AddAppendVerb(app);
  ledger::cli::AddLogVerb(app);
  ledger::cli::AddVerifyVerb(app);
  ledger::cli::AddDemoVerb(app);
  ledger::cli::AddQueryVerbs(app);
  ledger::cli::AddRebuildVerbs(app);
  ledger::cli::AddTraceVerb(app);
  ledger::cli::AddWarehouseVerb(app);
  ledger::cli::AddBenchVerb(app);
  ledger::cli::AddGenVerb(app);
  ledger::cli::AddKeyVerb(app);
  ledger::cli::AddCheckpointVerbs(app);
  ledger::cli::AddProveVerbs(app);
  ledger::cli::AddBundleVerbs(app);
  return ledger::cli::Run(app, argc, argv);
}
