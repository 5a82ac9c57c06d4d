// ledger: the command line of the procurement audit ledger. Thin: parses
// arguments and calls the libraries; each verb lives in verb_<name>.cc.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <csignal>

#include "tools/ledger/cli.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // `ledger log | head` ends on a write error instead
  // The write path allocates and frees buffers of megabytes per group commit
  // (records, outcomes, RocksDB memtables). glibc would map each one fresh
  // and give it back on free, so the kernel zeroed new pages for every group
  // (`bench append --kafka`: 2.7-6.8 µs of system time per event, against
  // 1.3-2.4 with this). Blocks up to 32 MB (glibc's ceiling for this) come
  // from the heap instead, and up to 256 MB freed stays mapped.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  CLI::App app{
      "ledger: full-chain audit ledger for government procurement.\n"
      "Every step (budget, tender, award, contract, acceptance, payment, asset) is an\n"
      "immutable, hash-chained event."};
  app.require_subcommand(1);
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
  CLI11_PARSE(app, argc, argv);
  return 0;
}
