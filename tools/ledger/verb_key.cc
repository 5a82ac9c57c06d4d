// `ledger key`: the ledger's verifier key for auditors, or --create for a
// ledger made before keys existed.
#include <fmt/core.h>

#include "core/tlog/signed_note.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddKeyVerb(CLI::App& app) {
  struct Opts : LedgerOptions {
    std::string out;
    bool create = false;
    std::string origin;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "key",
      "Print the ledger's verifier key (C2SP note form name+keyid+base64), the public key\n"
      "auditors check checkpoints, proofs and bundles with. --create makes the signing key\n"
      "of a ledger made before keys existed.");
  AddLedgerOptions(*verb, *opts);
  verb->add_option("--export", opts->out, "Also write the verifier key to this file");
  verb->add_flag("--create", opts->create, "Create the signing key (never over an existing one)");
  verb->add_option("--origin", opts->origin, "With --create: the ledger's name");
  verb->callback([opts] {
    if (opts->create) {
      auto log = OpenLogOrReport(*opts, core::OpenMode::kRead);  // a ledger must exist
      if (!log) throw CLI::RuntimeError(1);
      CreateKeyOrExit(opts->data_dir, opts->origin);
      return;
    }
    core::NoteVerifier key = VerifierOrExit("", opts->data_dir);
    fmt::print("{}\n", key.VerifierKey());
    if (!opts->out.empty()) {
      std::FILE* f = std::fopen(opts->out.c_str(), "w");
      if (f == nullptr) ExitOnError(Status::IOError("cannot write " + opts->out));
      fmt::print(f, "{}\n", key.VerifierKey());
      std::fclose(f);
    }
  });
}

}  // namespace ledger::cli
