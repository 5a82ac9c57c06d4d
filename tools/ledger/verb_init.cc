#include <fmt/core.h>
#include <openssl/rand.h>

#include "core/tlog/signed_note.h"
#include "core/util/encoding.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

// A default origin unique to this ledger: the checkpoints of two ledgers
// must never be mistaken for each other.
std::string DefaultOrigin() {
  unsigned char r[8];
  RAND_bytes(r, sizeof r);
  return "procurement-ledger/" + core::ToHex(std::string_view(reinterpret_cast<char*>(r), 8));
}

}  // namespace

// Creates the ledger's Ed25519 signing key in `dir` and prints its verifier
// key; exits 1 on error.
void CreateKeyOrExit(const std::string& dir, std::string origin) {
  if (origin.empty()) origin = DefaultOrigin();
  auto signer = core::NoteSigner::Generate(origin);
  ExitOnError(signer.status());
  ExitOnError(core::WriteKeyFiles(dir, *signer));
  fmt::print("signing key {} (keep it secret; mode 0600)\n", core::SignerKeyPath(dir));
  fmt::print("verifier key for auditors, also in {}:\n  {}\n", core::VerifierKeyPath(dir),
             signer->verifier().VerifierKey());
}

void AddInitVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string origin;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "init",
      "Create a new, empty ledger (with --kafka: its topic, one partition, and the writer's\n"
      "mirror) and its Ed25519 signing key (DIR/signing.key, mode 0600). Prints the\n"
      "verifier key (also in DIR/signing.pub) to give to auditors.");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("--origin", opts->origin,
                   "The ledger's name in its checkpoints and key (default: "
                   "procurement-ledger/<random hex>)");
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
      fmt::print("ledger on Kafka topic {} at {} ({}); writer's mirror in {}\n", opts->topic,
                 opts->kafka, Plural(log->Size(), "event"), opts->data_dir);
    }
    CreateKeyOrExit(opts->data_dir, opts->origin);
  });
}

}  // namespace ledger::cli
