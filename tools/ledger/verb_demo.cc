#include <fmt/core.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/chain_verifier.h"
#include "core/command_service.h"
#include "events/codec.h"
#include "events/samples.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

// The first money field of an event's data, formatted as yuan, for the table.
std::string Amount(events::JsonCodec& codec, const fb::Event& event) {
  auto data = nlohmann::json::parse(codec.DataToJson(event), nullptr, false);
  if (!data.is_object()) return "";
  for (const auto& [key, value] : data.items()) {
    if (key.ends_with("_fen") && value.is_number_unsigned()) {
      uint64_t fen = value.get<uint64_t>();
      return fmt::format("¥{}.{:02}", fen / 100, fen % 100);
    }
  }
  return "";
}

}  // namespace

void AddDemoVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    bool replace = false;
  };
  auto opts = std::make_shared<Opts>();
  opts->data_dir = "./ledger-demo";
  CLI::App* verb = app.add_subcommand(
      "demo",
      "Build a demo ledger from the full sample chain that ships with the ledger\n"
      "(inventory -> warehouse pre-query -> budget -> requirement -> tender -> bids ->\n"
      "award -> contract -> acceptance -> payment -> asset registered), verify it, and\n"
      "show how to look further.");
  AddLedgerOptions(*verb, *opts);
  verb->add_flag("--replace", opts->replace, "Replace an existing ledger in the directory");
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

    fmt::print(
        "Building a demo ledger in {} from the sample chain (events/samples/demo-chain.jsonl)\n\n",
        opts->data_dir);
    std::vector<std::string> refusals;
    auto service = core::CommandService::Open(*log, [&](const core::LineOutcome& o) {
      if (!o.error.ok()) refusals.push_back(fmt::format("line {}: {}", o.line, o.error.ToString()));
    });
    if (!service.ok()) {
      ReportError(service.status());
      throw CLI::RuntimeError(1);
    }
    std::istringstream chain{std::string(events::DemoChainJsonl())};
    std::string line;
    uint64_t line_no = 0;
    while (std::getline(chain, line)) (*service)->SubmitJson(++line_no, line);
    Status st = (*service)->Flush();
    if (!st.ok()) {
      ReportError(st);
      throw CLI::RuntimeError(1);
    }
    for (const auto& r : refusals) fmt::print("refused: {}\n", r);

    events::JsonCodec codec;
    fmt::print("{:>4}  {:<26} {:<22} {:<26} {:>16}\n", "pos", "event", "entity", "time", "amount");
    std::map<std::string, int> by_type;
    st = log->Read(0, log->Size(), [&](const core::LogEntry& e) {
      const fb::Event* ev = events::DecodeEvent(e.record.event).value();
      std::string type(events::TypeName(ev->data_type()));
      by_type[type]++;
      fmt::print("{:>4}  {:<26} {:<22} {:<26} {:>16}\n", e.record.position, type,
                 events::EntityIdOf(*ev), ev->time()->string_view(), Amount(codec, *ev));
      return true;
    });
    if (!st.ok()) {
      ReportError(st);
      throw CLI::RuntimeError(1);
    }
    auto report = core::VerifyChain(*log);
    if (!report.ok()) {
      ReportError(report.status());
      throw CLI::RuntimeError(1);
    }
    fmt::print("\n{} events appended ({} event types), {} refused.\n", (*service)->stats().appended,
               by_type.size(), (*service)->stats().refused());
    fmt::print("Hash chain verified: {} records, head {}\n\n", report->records,
               core::ToHex(report->head));
    fmt::print("Look further:\n");
    fmt::print("  ledger log --data {} --limit 3        # the events as JSON lines\n",
               opts->data_dir);
    fmt::print("  ledger verify --data {}               # recompute the hash chain\n",
               opts->data_dir);
    fmt::print("  ledger append --data {} FILE.jsonl    # add your own events\n", opts->data_dir);
  });
}

}  // namespace ledger::cli
