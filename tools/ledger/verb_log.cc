#include <fmt/core.h>

#include <csignal>

#include "events/codec.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddLogVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    uint64_t from = 0;
    uint64_t limit = UINT64_MAX;
    bool follow = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "log",
      "Print events as JSON lines, in log order, with their position and chain hash. Two\n"
      "times: \"time\" is the business time the event gives (with its own UTC offset),\n"
      "\"recorded_at\" the ledger time, when the ledger appended it (UTC).");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("--from", opts->from, "First position")->capture_default_str();
  verb->add_option("--limit", opts->limit, "At most this many events");
  verb->add_flag("-f,--follow", opts->follow, "Keep printing events as they are appended");
  verb->callback([opts] {
    auto log = OpenLogOrReport(*opts, core::OpenMode::kRead);
    if (!log) throw CLI::RuntimeError(1);
    events::JsonCodec codec;
    uint64_t next = opts->from;
    uint64_t printed = 0;
    Status failure;
    auto print = [&](const core::LogEntry& e) {
      auto event = events::DecodeEvent(e.record.event);
      if (!event.ok()) {
        failure = event.status().WithContext("position " + std::to_string(e.record.position));
        return false;
      }
      events::LedgerFields extra{e.record.position, core::FormatMicros(e.record.recorded_at_us),
                                 core::ToHex(e.chain_hash)};
      std::string line = codec.ToJson(**event, extra);
      line.push_back('\n');
      if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) return false;
      next = e.record.position + 1;
      return ++printed < opts->limit;
    };
    while (true) {
      Status st = log->Read(next, opts->limit - printed, print);
      if (st.ok()) st = failure;
      ExitOnError(st);
      if (std::ferror(stdout) || !opts->follow || printed >= opts->limit) break;
      std::fflush(stdout);
      st = log->WaitForMore(log->Size(), std::chrono::milliseconds(1000));
      ExitOnError(st);
    }
  });
}

}  // namespace ledger::cli
