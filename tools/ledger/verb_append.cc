#include <fmt/core.h>
#include <poll.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/append_service.h"
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

void AddAppendVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string file = "-";
    bool json = false;
    bool quiet = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "append",
      "Append events given as JSON lines (one event per line). Each line gets an outcome:\n"
      "its log position, or the reason it was refused (line and field). Refused lines\n"
      "are not written; the good lines go in, group-committed. Exit 1 if any was refused.");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("file", opts->file, "JSON lines file, or - for standard input")
      ->capture_default_str();
  verb->add_flag("--json", opts->json, "One JSON outcome per line, for programs");
  verb->add_flag("-q,--quiet", opts->quiet, "Print only refusals and the summary");
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
    core::AppendService service(*log, [&](const core::LineOutcome& o) {
      if (opts->json) {
        nlohmann::json j = {{"line", o.line}};
        if (o.position) {
          j["position"] = *o.position;
          j["type"] = o.type;
          j["id"] = o.event_id;
        } else {
          j["error"] = o.error.message();
          if (!o.error.rule().empty()) j["rule"] = o.error.rule();
        }
        fmt::print("{}\n", j.dump());
      } else if (!o.position) {
        fmt::print("{}:{}: refused: {}\n", source, o.line, o.error.message());
      } else if (!opts->quiet) {
        fmt::print("{}:{}: position {:<8} {:<26} {}\n", source, o.line, *o.position, o.type,
                   o.event_id);
      }
    });
    std::string line;
    uint64_t line_no = 0;
    Status failure;
    while (failure.ok() && std::getline(in, line)) {
      service.Submit(++line_no, line);
      if (service.pending() >= kMaxBatch || InputIdle(in, is_stdin)) {
        failure = service.Flush();
        std::fflush(stdout);
      }
    }
    if (failure.ok()) failure = service.Flush();
    if (!failure.ok()) {
      ReportError(failure);
      throw CLI::RuntimeError(1);
    }
    if (!opts->json) {
      fmt::print(stderr, "{} appended, {} refused; the ledger now holds {} events\n",
                 service.appended(), service.refused(), log->Size());
    }
    if (service.refused() > 0) throw CLI::RuntimeError(1);
  });
}

}  // namespace ledger::cli
