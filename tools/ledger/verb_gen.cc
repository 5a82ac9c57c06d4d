// `ledger gen`: generated procurement chains as JSON lines (tools/gen/generator.h),
// for `ledger append`, demos and load tests.
#include <fmt/core.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "tools/gen/generator.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {

void AddGenVerb(CLI::App& app) {
  struct Opts {
    gen::GeneratorOptions gen;
    std::string out;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* verb = app.add_subcommand(
      "gen",
      "Generate realistic procurement chains as JSON lines (reference data first, then\n"
      "inventory -> demand -> warehouse pre-query -> budget -> requirement -> tender ->\n"
      "bids -> award -> contract -> acceptance -> payment -> asset). The same options\n"
      "give the same bytes. With --violations P, each chain carries with probability P\n"
      "one extra event that breaks a control rule (R1..R12 in turn); the ledger refuses\n"
      "it and the rest of the chain stays valid.");
  verb->add_option("--chains", opts->gen.chains, "Number of procurement chains")
      ->capture_default_str();
  verb->add_option("--seed", opts->gen.seed, "Random seed (also part of every id)")
      ->capture_default_str();
  verb->add_option("--violations", opts->gen.violations,
                   "Per chain, the probability of one rule-breaking event")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  verb->add_option("--out", opts->out, "Write to FILE instead of stdout")->option_text("FILE");
  verb->callback([opts] {
    std::FILE* out = stdout;
    if (!opts->out.empty()) {
      out = std::fopen(opts->out.c_str(), "w");
      if (out == nullptr) {
        ReportError(Status::IOError("cannot write " + opts->out + ": " + std::strerror(errno)));
        throw CLI::RuntimeError(1);
      }
    }
    std::setvbuf(out, nullptr, _IOFBF, 1 << 20);
    auto start = std::chrono::steady_clock::now();
    gen::GeneratorStats stats;
    uint64_t bytes = 0;
    struct WriteFailed {};  // stops the generator: there is nowhere to write
    bool ok = true;
    try {
      gen::GenerateChains(
          opts->gen,
          [&](const std::string& line) {
            if (std::fwrite(line.data(), 1, line.size(), out) != line.size() ||
                std::fputc('\n', out) == EOF) {
              throw WriteFailed{};
            }
            bytes += line.size() + 1;
          },
          &stats);
      ok = std::fflush(out) == 0;
    } catch (const WriteFailed&) {
      ok = false;
    }
    int error = ok ? 0 : errno;
    if (out != stdout && std::fclose(out) != 0 && ok) {
      ok = false;
      error = errno;
    }
    if (!ok) {
      if (out == stdout && error == EPIPE) return;  // `ledger gen | head`: the reader had enough
      ReportError(Status::IOError("cannot write " + (opts->out.empty() ? "stdout" : opts->out) +
                                  ": " + std::strerror(error)));
      throw CLI::RuntimeError(1);
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr, "generated {} ({}) in {}, seed {}, {} meant to be refused, in {:.2f}s\n",
               Plural(stats.events, "event"), Plural(bytes, "byte"),
               Plural(opts->gen.chains, "chain"), opts->gen.seed, stats.violations.size(), seconds);
  });
}

}  // namespace ledger::cli
