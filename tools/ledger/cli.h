// Shared pieces of the `ledger` command line: every verb registers itself
// with Add<Verb>Verb and uses these helpers to open the log and report.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/command/command_service.h"
#include "core/log/embedded_log.h"
#include "core/log/event_log.h"
#include "core/log/kafka/kafka_log.h"
#include "core/tlog/checkpoint.h"
#include "projections/catalog.h"

namespace ledger::cli {

// The exit codes of `ledger`: 0 success; kExitFailure when the work failed
// (lines refused, a check failed, the ledger could not be read or written);
// kExitUsage when the command line is wrong (unknown or missing verb, option
// or argument, a value out of its form, contradictory options).
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Parses the command line and runs the verb named on it; returns the exit
// code. Call once every verb is added: adds `help [VERB...]`, `--version`, and
// the ledger options accepted before the verb (`ledger --data D init`).
int Run(CLI::App& app, int argc, const char* const* argv);

// Options every verb that touches a ledger takes. With --kafka the log is the
// Kafka topic (core/log/kafka/kafka_log.h) and --data is the local directory: the
// writer's mirror and the projections.
struct LedgerOptions {
  std::string data_dir = "./ledger-data";
  std::string kafka;  // HOST:PORT[,...]; empty: the embedded log in data_dir
  std::string topic = "procurement.ledger";
  int replication_factor = 1;  // for `ledger init --kafka`
};
void AddLedgerOptions(CLI::App& verb, LedgerOptions& opts);

// The Kafka settings of `opts` (brokers empty when not on Kafka).
core::KafkaOptions KafkaOptionsOf(const LedgerOptions& opts);

// Opens the ledger's log on the backend `opts` names, or prints why not (to
// stderr) and returns nullptr.
std::unique_ptr<core::EventLog> OpenLogOrReport(const LedgerOptions& opts, core::OpenMode mode);

// Prints "ledger: <status>" to stderr.
void ReportError(const Status& status);
// On error: reports it and ends the verb with exit code 1.
void ExitOnError(const Status& status);
// Prints "ledger: <message>" to stderr and ends the verb with kExitUsage.
[[noreturn]] void UsageError(const std::string& message);

// "1 event", "2 events": a count and its noun, singular or plural.
std::string Plural(uint64_t n, std::string_view noun);

// The help of --as-of, which every query verb takes.
inline constexpr char kAsOfHelp[] =
    "The ledger as it was at a log position (that event included) or at an RFC 3339 ledger "
    "time (when the ledger recorded the events, not their business time)";
// The end of the log prefix that --as-of `spec` names (projections/as_of.h),
// or the whole log when `spec` is empty; a malformed spec is a usage error.
uint64_t AsOfEndOrExit(core::EventLog& log, const std::string& spec);

// The ledger's log (read-only) and its projections.
struct OpenedProjections {
  std::unique_ptr<core::EventLog> log;
  std::unique_ptr<projections::LedgerProjections> projections;
};
// Opens both, and with `catch_up` brings the projections up to date with the
// log (a progress line on a terminal); on error exits the verb.
OpenedProjections OpenProjectionsOrExit(const LedgerOptions& opts, bool catch_up);

// The whole of `path` ("-": standard input), or exit 1 naming it.
std::string ReadFileOrExit(const std::string& path);
// Writes `text` and a newline to `path` ("-": standard output), or exits 1.
void WriteFileOrExit(const std::string& path, const std::string& text);
// The ledger's verifier key from `key_path`, or from DIR/signing.pub when
// `key_path` is empty; exit 1 when there is none.
core::NoteVerifier VerifierOrExit(const std::string& key_path, const std::string& data_dir);
// What an offline check (verify-proof, verify-bundle) takes: the file to
// check, the ledger's verifier key, the auditor's own checkpoints, --json.
struct OfflineCheckOptions {
  std::string file;  // required when empty here; else its default
  std::string key;
  std::vector<std::string> checkpoints;
  bool json = false;
};
void AddOfflineCheckOptions(CLI::App& verb, OfflineCheckOptions& opts,
                            const std::string& file_help);
// The signed checkpoint notes in `paths` (one note per file).
std::vector<std::string> ReadNotesOrExit(const std::vector<std::string>& paths);
// The latest kept checkpoint of at least `min_size` records; when none is,
// one of the whole log newly signed with the ledger's key (not kept: the log
// is open read-only; stderr says so). Exit 1 when neither is possible.
core::SignedCheckpoint CoveringCheckpointOrExit(core::EventLog& log, const std::string& data_dir,
                                                uint64_t min_size);

bool StdoutIsTerminal();
bool StderrIsTerminal();

// A progress line on stderr when it is a terminal: count, rate, ETA.
class Progress {
 public:
  Progress(std::string label, uint64_t total);
  void Update(uint64_t done);
  void Finish();

 private:
  std::string label_;
  uint64_t total_;
  double start_;
  double last_;
  bool tty_;
};

// The summary of an append run: counts, and refusals by rule.
void PrintSummary(std::FILE* out, const core::CommandStats& stats, uint64_t ledger_size);

void AddInitVerb(CLI::App& app);
void AddAppendVerb(CLI::App& app);
void AddLogVerb(CLI::App& app);
void AddVerifyVerb(CLI::App& app);
void AddDemoVerb(CLI::App& app);
void AddBenchVerb(CLI::App& app);
void AddQueryVerbs(CLI::App& app);    // show, history
void AddRebuildVerbs(CLI::App& app);  // rebuild, digest
void AddTraceVerb(CLI::App& app);
void AddWarehouseVerb(CLI::App& app);
void AddGenVerb(CLI::App& app);
void AddKeyVerb(CLI::App& app);
// Creates the ledger's signing key files in `dir` (verb_init.cc) and prints
// the verifier key; exits 1 on error. An empty origin gets a random one.
void CreateKeyOrExit(const std::string& dir, std::string origin);
void AddCheckpointVerbs(CLI::App& app);  // checkpoint, checkpoints
void AddProveVerbs(CLI::App& app);       // prove, verify-proof
void AddBundleVerbs(CLI::App& app);      // export, verify-bundle

}  // namespace ledger::cli
