// `ledger bench ...`: the options of each benchmark (tools/bench/bench.h),
// its run, and its report printed (the JSON line last).
#include <fmt/core.h>

#include <memory>

#include "tools/bench/bench.h"
#include "tools/ledger/cli.h"

namespace ledger::cli {
namespace {

void Print(const bench::Report& report) {
  fmt::print("{}", report.text);
  fmt::print("{}\n", report.json);
}

}  // namespace

void AddBenchVerb(CLI::App& app) {
  CLI::App* verb = app.add_subcommand("bench", "Benchmarks, each beside its raw baseline");
  verb->require_subcommand(1);

  auto opts = std::make_shared<bench::AppendOptions>();
  CLI::App* append = verb->add_subcommand(
      "append",
      "The ledger's write path with the control rules on (verify, idempotency, R1-R12,\n"
      "evidence of refusals, hash chain, decision state) over generated procurement chains,\n"
      "in durable synced batches, beside raw RocksDB synced WriteBatches of the same event\n"
      "bytes. Prints both rates and the ratio; JSON on the last line.");
  append->add_option("--events", opts->events, "Events per round")->capture_default_str();
  append->add_option("--seed", opts->seed, "Generator seed")->capture_default_str();
  append
      ->add_option("--violations", opts->violations,
                   "Share of chains carrying one rule-breaking event")
      ->capture_default_str();
  append->add_option("--batch", opts->batch, "Events per durable batch")->capture_default_str();
  append->add_option("--rounds", opts->rounds, "Alternating rounds; medians are reported")
      ->capture_default_str();
  append->add_option("--dir", opts->dir, "Scratch directory (default: a temporary one)");
  append->add_option(
      "--kafka", opts->kafka,
      "Through Kafka on these brokers (a fresh topic per phase, all deleted when the bench\n"
      "ends), beside a raw idempotent acks=all librdkafka producer of the same messages the\n"
      "ledger writes (record, key, timestamp, five headers; built before the clock starts,\n"
      "produced through the writer's own ProduceRecordMessage), in two modes: streaming\n"
      "(never waits; serves its delivery reports) and acknowledged per batch (waits for\n"
      "each batch); and a raw producer of the bare event bytes (no key, no headers),\n"
      "streaming. The ledger hands each batch to its committer and goes on (FlushAsync):\n"
      "batches that wait for a commit form one transaction, and outcomes arrive, in order,\n"
      "once durable. That is the streaming pattern, so `ratio` is ledger / raw same\n"
      "messages streaming; the other ratios are printed too. The Kafka log alone appends\n"
      "one batch at a time (a transaction per batch): its ratio is against the per-batch\n"
      "mode. An untimed raw run and ledger run warm the broker up first; every producer is\n"
      "connected and has its producer id before its clock starts (the writer once open, a\n"
      "raw producer after one acknowledged message); each phase starts after a sync (no\n"
      "phase pays for the writeback of the one before); rounds alternate which side goes\n"
      "first. Also printed: this process's CPU time per event (all its threads) for the\n"
      "ledger and the raw streaming producer, the work behind the rates on a machine\n"
      "whose cores the broker shares (the broker's own CPU is not counted).");
  append->add_flag(
      "--replay", opts->replay,
      "Re-running an input after a crash: the events appended to a fresh ledger (timed: the\n"
      "baseline), the ledger closed and reopened, then the same events submitted again\n"
      "(timed), each one already there (a duplicate, or a refusal already recorded). Prints\n"
      "both rates and replay / fresh; JSON last. Embedded log only.");
  append->callback([opts] { Print(bench::AppendBench(*opts)); });

  auto ropts = std::make_shared<bench::ReadOptions>();
  CLI::App* rebuild = verb->add_subcommand(
      "rebuild",
      "Rebuild every projection from zero over a ledger of generated events, beside raw\n"
      "RocksDB unsynced WriteBatch ingest of as many keys. Last line: JSON.");
  rebuild->add_option("--events", ropts->events, "Events in the ledger")->capture_default_str();
  rebuild->add_option("--seed", ropts->seed, "Generator seed")->capture_default_str();
  rebuild->add_option("--dir", ropts->dir, "Scratch directory (default: a temporary one)");
  rebuild->add_option(
      "--kafka", ropts->kafka,
      "Rebuild from a Kafka topic (fresh, deleted afterwards) on these brokers, beside "
      "reading the topic alone");
  rebuild->callback([ropts] { Print(bench::RebuildBench(*ropts)); });

  CLI::App* trace = verb->add_subcommand(
      "trace",
      "Latency of a full upward trail from random payments (p50, p99, max), on the ledger\n"
      "given with --data, or on one built of --events generated events. Last line: JSON.");
  trace->add_option("--data", ropts->data, "An existing ledger");
  trace->add_option("--events", ropts->events, "Events of the ledger to build without --data")
      ->capture_default_str();
  trace->add_option("--samples", ropts->samples, "Trails to time")->capture_default_str();
  trace->add_option("--dir", ropts->dir, "Scratch directory (default: a temporary one)");
  trace->callback([ropts] { Print(bench::TraceBench(*ropts)); });

  auto popts = std::make_shared<bench::ReadOptions>();
  CLI::App* proofs = verb->add_subcommand(
      "proofs",
      "Inclusion-proof generation latency (p50, p99, max) from the stored tree of a ledger of\n"
      "--events generated events (or --data; one batched read per proof), beside raw\n"
      "RocksDB: a MultiGet of as many random keys\n"
      "as a proof has hashes, on a raw DB of as many 32-byte values. Then proof\n"
      "verification per second beside raw SHA-256 of as many 65-byte node inputs. Ratios\n"
      "printed; JSON on the last line.");
  proofs->add_option("--events", popts->events, "Events of the ledger to build without --data")
      ->capture_default_str();
  proofs->add_option("--data", popts->data, "An existing ledger");
  proofs->add_option("--samples", popts->samples, "Proofs to time")->capture_default_str();
  proofs->add_option("--seed", popts->seed, "Generator and sampling seed")->capture_default_str();
  proofs->add_option("--dir", popts->dir, "Scratch directory (default: a temporary one)");
  proofs->callback([popts] { Print(bench::ProofsBench(*popts)); });

  auto vopts = std::make_shared<bench::ReadOptions>();
  CLI::App* verify = verb->add_subcommand(
      "verify",
      "A full `ledger verify` (records, chain, Merkle leaves and stored tree) over a ledger of\n"
      "--events generated events (or --data), beside raw SHA-256 of the same record bytes\n"
      "(one hash per record, from memory). Prints both rates and the ratio; JSON last.");
  verify->add_option("--events", vopts->events, "Events of the ledger to build without --data")
      ->capture_default_str();
  verify->add_option("--data", vopts->data, "An existing ledger");
  verify->add_option("--seed", vopts->seed, "Generator seed")->capture_default_str();
  verify->add_option("--dir", vopts->dir, "Scratch directory (default: a temporary one)");
  verify->callback([vopts] { Print(bench::VerifyBench(*vopts)); });
}

}  // namespace ledger::cli
