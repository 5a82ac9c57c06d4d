#include "tools/ledger/cli.h"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "projections/as_of.h"

namespace ledger::cli {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The ledger options a verb may also take before it, and their help there.
struct LeadingOption {
  const char* name;
  const char* value;
  const char* help;
};
constexpr LeadingOption kLeadingOptions[] = {
    {"--data", "DIR", "Ledger directory (default ./ledger-data)"},
    {"--kafka", "HOST:PORT[,...]", "The log is a Kafka topic on these brokers"},
    {"--topic", "NAME", "The ledger's Kafka topic (default procurement.ledger)"}};

std::string UnknownVerb(const std::string& typed) {
  return "unknown verb \"" + typed + "\"; `ledger help` lists the verbs";
}

// The verb (or sub-verb, `bench append`) the command line names: the deepest
// parsed subcommand; `app` itself when none.
template <typename App>  // CLI::App or const CLI::App
App* ParsedVerb(App* app) {
  App* verb = app;
  while (!verb->get_subcommands().empty()) verb = verb->get_subcommands().front();
  return verb;
}

// "ledger bench append": how people type `verb`.
std::string CommandName(const CLI::App* verb) {
  std::string name;
  for (; verb != nullptr; verb = verb->get_parent()) {
    name = verb->get_name() + (name.empty() ? "" : " " + name);
  }
  return name;
}

// Ledger options given before the verb are the verb's own: `ledger --data D
// init` is `ledger init --data D`.
void AddLeadingOptions(CLI::App& app) {
  for (const LeadingOption& o : kLeadingOptions) {
    app.add_option(o.name)->type_name(o.value)->description(o.help)->group(
        "Ledger options (before or after the verb)");
  }
  // Runs after parsing, before the verb's callback.
  app.parse_complete_callback([&app] {
    CLI::App* verb = ParsedVerb(&app);
    if (verb == &app) return;  // no verb: Run says so
    for (const LeadingOption& o : kLeadingOptions) {
      const std::string name = o.name;
      CLI::Option* before = app.get_option(name);
      if (before->count() == 0) continue;
      CLI::Option* own = verb->get_option_no_throw(name);
      if (own == nullptr) {
        throw CLI::ValidationError(name, "`" + CommandName(verb) + "` takes no " + name);
      }
      if (own->count() > 0) throw CLI::ValidationError(name, "given before and after the verb");
      own->add_result(before->results());
      own->run_callback();
    }
  });
}

// `ledger help [VERB...]`: the list of verbs, or a verb's options.
void AddHelpVerb(CLI::App& app) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* help = app.add_subcommand("help", "List the verbs, or with VERB, its options");
  help->add_option("verb", *words, "A verb (and its sub-verb: `ledger help bench append`)");
  help->callback([&app, words] {
    const CLI::App* target = &app;
    std::string typed;
    for (const auto& word : *words) {
      typed += (typed.empty() ? "" : " ") + word;
      const CLI::App* sub = nullptr;
      for (const CLI::App* candidate : target->get_subcommands({})) {
        if (candidate->check_name(word)) sub = candidate;
      }
      if (sub == nullptr) {
        UsageError(UnknownVerb(typed));
      }
      target = sub;
    }
    // Not target->help(): that shows the verb being run, which is `help`.
    fmt::print("{}", target->get_formatter()->make_help(target, CommandName(target),
                                                        CLI::AppFormatMode::Normal));
  });
}

// Help lists subcommands as "Verbs", the word the documentation uses.
void NameVerbsInHelp(CLI::App& app) {
  for (CLI::App* verb : app.get_subcommands([](CLI::App*) { return true; })) {
    verb->group("Verbs");
    NameVerbsInHelp(*verb);
  }
}

}  // namespace

int Run(CLI::App& app, int argc, const char* const* argv) {
  app.name("ledger");
  app.set_version_flag("--version", std::string("ledger ") + LEDGER_VERSION);
  app.require_subcommand(0, 1);
  app.get_formatter()->label("SUBCOMMAND", "VERB");
  AddLeadingOptions(app);
  AddHelpVerb(app);
  NameVerbsInHelp(app);
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    const CLI::App* verb = ParsedVerb(a);
    std::string what = e.what();
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && verb != a &&
        !verb->get_subcommands({}).empty()) {  // `ledger bench` alone
      what = "`" + CommandName(verb) + "` needs one of its verbs:";
      for (const CLI::App* sub : verb->get_subcommands({})) what += " " + sub->get_name();
    }
    return fmt::format("ledger: {}\nSee `{} --help`.\n", what, CommandName(verb));
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {  // a verb's own exit code
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    std::vector<std::string> rest = app.remaining();
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && app.get_subcommands().empty() &&
        !rest.empty() && !rest.front().starts_with("-")) {
      fmt::print(stderr, "ledger: {}\n", UnknownVerb(rest.front()));
      return kExitUsage;
    }
    // Help and version end with 0; everything else here is a wrong command line.
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    fmt::print(stderr, "{}\nledger: give a verb, e.g. `ledger demo`\n", app.help());
    return kExitUsage;
  }
  return 0;
}

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
  throw CLI::RuntimeError(kExitFailure);
}

void UsageError(const std::string& message) {
  fmt::print(stderr, "ledger: {}\n", message);
  throw CLI::RuntimeError(kExitUsage);
}

std::string Plural(uint64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

uint64_t AsOfEndOrExit(core::EventLog& log, const std::string& spec) {
  if (spec.empty()) return log.Size();
  auto end = projections::ResolveAsOf(log, spec);
  if (end.status().code() == Status::Code::kInvalidArgument) UsageError(end.status().message());
  ExitOnError(end.status());
  return *end;
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
    ExitOnError(Status::NotFound("no kept checkpoint covers " + Plural(min_size, "record") +
                                 ", and " + signer.status().message() +
                                 "; run `ledger checkpoint` where the key is"));
  }
  auto fresh = core::SignCheckpoint(log, *signer, log.Size());
  ExitOnError(fresh.status());
  fmt::print(stderr,
             "ledger: no kept checkpoint covers {}; signed one of size {} (not kept: "
             "run `ledger checkpoint` to keep one)\n",
             Plural(min_size, "record"), log.Size());
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
