// Provable bundles for auditors who trust nobody: records of the ledger with
// their inclusion proofs against one signed checkpoint, checked offline with
// nothing but the ledger's verifier key (`ledger verify-bundle`).
//
// Grammar (one JSON object; records base64, hashes lower-case hex):
//
//   bundle     := {"format": "procurement-ledger-bundle/1",
//                  "kind": "trail" | "export",
//                  "origin": the ledger's name,
//                  "tree_size": N,               (both as the checkpoint says)
//                  "checkpoint": signed checkpoint note (size N, root R),
//                  "records": [entry, ...],      (increasing position, each < N)
//                  trail fields | export fields}
//   entry      := {"position": P, "record": base64(record(P)), "proof": [hex, ...]}
//                 (the RFC 6962 inclusion proof of record(P) in the tree of N)
//   trail      := "trail": {"direction": "up" | "down", "root": node}
//   node       := {"entity_id", ["relation", "link_position",] "status",
//                  "position", "time", "links": [node, ...]}
//                 (`ledger trace --json` without kind and amount, which the
//                 step's last event alone cannot prove)
//   export     := "from": A, "to": B            (records are exactly [A, B))
//                 ["consistency": {"old_checkpoint": note for M <= N,
//                                  "proof": [hex, ...]}]
//
// What verification proves: every record is in the signed tree at its
// position and holds a valid event; for a trail, each step's `status` and
// `time` are those of the event at its `position`, which belongs to that
// entity, and each link is re-derived from the content of the event at its
// `link_position` (projections/event_links.h): a forged, swapped or
// re-pointed step fails. Every field of a bundle is checked: one altered
// byte anywhere makes it fail. For an export, the records are the contiguous range and the
// checkpoint extends the auditor's earlier one (consistency proof).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/log/event_log.h"
#include "core/tlog/checkpoint.h"
#include "core/tlog/signed_note.h"
#include "projections/store.h"

namespace ledger::projections {

inline constexpr char kBundleFormat[] = "procurement-ledger-bundle/1";

// The trail of `id` (projections/trail.h) as of the checkpoint's size, with
// every step's and link's event and its inclusion proof.
Result<std::string> TrailBundle(core::EventLog& log, const ProjectionStore& store,
                                std::string_view id, bool down,
                                const core::SignedCheckpoint& checkpoint);

// Records [from, to) with their inclusion proofs against `checkpoint`, and,
// given `since` (an earlier checkpoint the auditor holds), the consistency
// proof from it to `checkpoint`.
Result<std::string> ExportBundle(core::EventLog& log, uint64_t from, uint64_t to,
                                 const core::SignedCheckpoint& checkpoint,
                                 const core::SignedCheckpoint* since);

struct BundleReport {
  std::string kind;
  uint64_t records = 0;
  uint64_t links = 0;  // trail links re-derived
  uint64_t tree_size = 0;
  std::string root_entity;    // trail
  uint64_t from = 0, to = 0;  // export
  uint64_t since_size = 0;    // export: size of a tree it is proven consistent with
};

// Checks a bundle offline (see above); a field outside the grammar is an
// error. `held`: checkpoints the auditor already holds; one of the same size
// with another root is a fork, and an export must then carry a consistency
// proof starting at one of them, unless one is its own checkpoint (same size
// and root: consistent with an empty proof). Corruption (or InvalidArgument
// for a malformed bundle) naming the record position, step or link that fails.
Result<BundleReport> VerifyBundle(std::string_view json, const core::NoteVerifier& key,
                                  const std::vector<std::string>& held);

}  // namespace ledger::projections
