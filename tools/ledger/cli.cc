#include "tools/ledger/cli.h"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ledger::cli {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void AddLedgerOptions(CLI::App& verb, LedgerOptions& opts) {
  verb.add_option("--data", opts.data_dir,
                  "Ledger directory (with --kafka: the writer's local mirror and the projections)")
      ->capture_default_str();
  verb.add_option("--kafka", opts.kafka,
                  "The log is a Kafka topic on these brokers (HOST:PORT[,HOST:PORT...])");
  verb.add_option("--topic", opts.topic, "The ledger's Kafka topic (one partition)")
      ->capture_default_str();
}

core::KafkaOptions KafkaOptionsOf(const LedgerOptions& opts) {
  core::KafkaOptions k;
  k.brokers = opts.kafka;
  k.topic = opts.topic;
  k.replication_factor = opts.replication_factor;
  return k;
}

std::unique_ptr<core::EventLog> OpenLogOrReport(const LedgerOptions& opts, core::OpenMode mode) {
  auto log = opts.kafka.empty() ? core::OpenEmbeddedLog(opts.data_dir, mode)
                                : core::OpenKafkaLog(KafkaOptionsOf(opts), opts.data_dir, mode);
  if (!log.ok()) {
    ReportError(log.status());
    return nullptr;
  }
  return std::move(log).value();
}

void ReportError(const Status& status) { fmt::print(stderr, "ledger: {}\n", status.ToString()); }

void ExitOnError(const Status& status) {
  if (status.ok()) return;
  ReportError(status);
  throw CLI::RuntimeError(1);
}

OpenedProjections OpenProjectionsOrExit(const LedgerOptions& opts, bool catch_up) {
  OpenedProjections o;
  o.log = OpenLogOrReport(opts, core::OpenMode::kRead);
  if (!o.log) throw CLI::RuntimeError(1);
  if (!opts.kafka.empty()) {
    std::error_code ec;  // the projections of a Kafka ledger may be the first thing here
    std::filesystem::create_directories(opts.data_dir, ec);
  }
  auto p = projections::OpenLedgerProjections(opts.data_dir, *o.log);
  ExitOnError(p.status());
  o.projections = std::move(p).value();
  if (catch_up) {
    Progress progress("projecting", o.log->Size());
    auto caught =
        o.projections->runner->CatchUp(projections::ProjectionRunner::kDefaultBatch,
                                       [&](uint64_t done, uint64_t) { progress.Update(done); });
    progress.Finish();
    ExitOnError(caught.status());
  }
  return o;
}

std::string ReadFileOrExit(const std::string& path) {
  std::ostringstream out;
  if (path == "-") {
    out << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) ExitOnError(Status::NotFound("cannot read " + path));
    out << in.rdbuf();
  }
  return out.str();
}

core::NoteVerifier VerifierOrExit(const std::string& key_path, const std::string& data_dir) {
  std::string path = key_path.empty() ? core::VerifierKeyPath(data_dir) : key_path;
  auto v = core::ReadVerifierKeyFile(path);
  if (!v.ok() && key_path.empty()) {
    ExitOnError(
        Status::NotFound("no verifier key: give --key FILE (the ledger's public key, from "
                         "`ledger key`), or keep it in " +
                         path));
  }
  ExitOnError(v.status());
  return std::move(v).value();
}

std::vector<std::string> ReadNotesOrExit(const std::vector<std::string>& paths) {
  std::vector<std::string> notes;
  for (const auto& p : paths) notes.push_back(ReadFileOrExit(p));
  return notes;
}

core::SignedCheckpoint CoveringCheckpointOrExit(core::EventLog& log, const std::string& data_dir,
                                                uint64_t min_size) {
  core::NoteVerifier key = VerifierOrExit("", data_dir);
  auto kept = core::KeptCheckpoints(log, key);
  ExitOnError(kept.status());
  if (!kept->empty() && kept->back().checkpoint.size >= min_size) return kept->back();
  auto signer = core::ReadSignerKeyFile(data_dir);
  if (!signer.ok()) {
    ExitOnError(Status::NotFound("no kept checkpoint covers " + std::to_string(min_size) +
                                 " records, and " + signer.status().message() +
                                 "; run `ledger checkpoint` where the key is"));
  }
  auto fresh = core::SignCheckpoint(log, *signer, log.Size());
  ExitOnError(fresh.status());
  fmt::print(stderr,
             "ledger: no kept checkpoint covers {} records; signed one of size {} (not kept: "
             "run `ledger checkpoint` to keep one)\n",
             min_size, log.Size());
  return std::move(fresh).value();
}

void AddOfflineCheckOptions(CLI::App& verb, OfflineCheckOptions& opts,
                            const std::string& file_help) {
  CLI::Option* file = verb.add_option("file", opts.file, file_help);
  if (opts.file.empty()) {
    file->required();
  } else {
    file->capture_default_str();
  }
  verb.add_option("--key", opts.key, "The ledger's verifier key file (from `ledger key`)")
      ->required();
  verb.add_option("--checkpoint", opts.checkpoints, "A checkpoint note file the auditor holds");
  verb.add_flag("--json", opts.json, "Print the result as one JSON line");
}

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) == 1; }
bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total),
      start_(Now()),
      last_(Now()),
      tty_(StderrIsTerminal()) {}

void Progress::Update(uint64_t done) {
  double now = Now();
  if (now - last_ < (tty_ ? 0.1 : 5.0)) return;
  last_ = now;
  double rate = done / std::max(now - start_, 1e-9);
  double eta = rate > 0 && total_ > done ? (total_ - done) / rate : 0;
  int width = 30;
  int filled = total_ == 0 ? width : static_cast<int>(width * done / total_);
  std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
  if (tty_) {
    fmt::print(stderr, "\r{} [{}] {}/{}  {:.0f}/s  ETA {:.0f}s   ", label_, bar, done, total_, rate,
               eta);
  } else {
    fmt::print(stderr, "{}: {}/{} ({:.0f}/s, ETA {:.0f}s)\n", label_, done, total_, rate, eta);
  }
}

void Progress::Finish() {
  if (tty_) fmt::print(stderr, "\r\033[K");
}

}  // namespace ledger::cli
