// Recomputes the hash chain and the Merkle tree of a log from position 0 and
// checks every record, every stored tree node and every signed checkpoint, in
// one pass over the records.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/log/event_log.h"
#include "core/tlog/signed_note.h"

namespace ledger::core {

struct ChainReport {
  uint64_t records = 0;
  Hash head{};               // the last chain hash
  Hash root{};               // MTH of all records
  uint64_t tree_nodes = 0;   // stored perfect-subtree hashes checked (0: the backend keeps no tree)
  uint64_t checkpoints = 0;  // signed checkpoints whose root was recomputed
};

struct VerifyOptions {
  // The ledger's verifier key: with it, every kept checkpoint's signature is
  // checked and its root recomputed from the records. Without it, kept
  // checkpoints are not checked.
  const NoteVerifier* key = nullptr;
  // Signed checkpoints held by the auditor (notes), checked the same way; one
  // whose root differs from the ledger's kept checkpoint or from the records
  // for the same size is a fork. Requires `key`.
  std::vector<std::string> auditor_checkpoints;
  // Called every few thousand records with (done, total), if given.
  std::function<void(uint64_t, uint64_t)> progress;
  // Chunks of 16384 records checked (on every core) before their summaries
  // are folded in order: what verification holds in memory at once.
  uint64_t chunks_per_batch = 64;
};

// Reads every record of `log` and checks: framing and position, the event
// bytes (FlatBuffers verifier), each chain link, each Merkle leaf and every
// stored perfect subtree against the recomputed tree, the head hash, and the
// checkpoints (see VerifyOptions). On the first failure returns Corruption
// naming the position (or, for a checkpoint, "fork at size N" / "checkpoint
// at size N") and what was wrong.
Result<ChainReport> VerifyLedger(EventLog& log, const VerifyOptions& options);

// VerifyLedger without checkpoints.
Result<ChainReport> VerifyChain(EventLog& log,
                                const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace ledger::core
