// Inclusion and consistency proofs as self-contained JSON documents, checked
// with nothing but the ledger's verifier key (no database): what
// `ledger prove` prints and `ledger verify-proof` checks.
//
// Grammar (one JSON object; hashes are lower-case hex, records base64):
//
//   inclusion   := {"format": "procurement-ledger-proof/1", "type": "inclusion",
//                   "position": P, "tree_size": N, "record": base64(record(P)),
//                   "leaf_hash": hex(leaf_hash(record)), "proof": [hex, ...],
//                   "checkpoint": signed checkpoint note for size N}
//   consistency := {"format": "procurement-ledger-proof/1", "type": "consistency",
//                   "old_size": M, "new_size": N, "proof": [hex, ...],
//                   "old_checkpoint": note for M, "new_checkpoint": note for N}
//
// The record is the exact leaf (core/log/record_format.h), so the verifier
// recomputes the leaf hash from it and can decode the event it proves.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/log/event_log.h"
#include "core/tlog/checkpoint.h"
#include "core/tlog/signed_note.h"
#include "core/util/merkle.h"

namespace ledger::core {

inline constexpr char kProofFormat[] = "procurement-ledger-proof/1";

// The inclusion proof of the record at `position` in the tree of
// `checkpoint` (position < checkpoint size <= log.Size()).
Result<std::string> InclusionProofJson(EventLog& log, uint64_t position,
                                       const SignedCheckpoint& checkpoint);
// The consistency proof between two checkpoints of `log`.
Result<std::string> ConsistencyProofJson(EventLog& log, const SignedCheckpoint& old_checkpoint,
                                         const SignedCheckpoint& new_checkpoint);

// Resolves the checkpoint a proof or bundle relies on: `embedded` (a note)
// opened with `key`; when the auditor holds a checkpoint of the same size
// (`held`), a different root there is a fork (Corruption "fork at size N").
Result<SignedCheckpoint> TrustedCheckpoint(std::string_view embedded, const NoteVerifier& key,
                                           const std::vector<std::string>& held);

// What a verified proof established, for people.
struct ProofSummary {
  std::string type;  // "inclusion" or "consistency"
  std::string text;  // e.g. "position 17 (PaymentMade evt-17) is in the tree of 120 records ..."
};

// Checks a proof document: the format, the checkpoint signature(s) by `key`
// (and against the auditor's `held` checkpoints), the record's framing and
// position and the event's bytes, and the proof itself. Corruption or
// InvalidArgument saying what failed.
Result<ProofSummary> VerifyProofJson(std::string_view json, const NoteVerifier& key,
                                     const std::vector<std::string>& held);

// Batched tree reads of `log` (EventLog::TreeNodes), for proof generation.
merkle::BatchNodeReader BatchReader(EventLog& log);

// Hex lists of hashes, as in the grammar above.
std::vector<std::string> HashesToHex(const std::vector<Hash>& hashes);
Result<std::vector<Hash>> HashesFromHex(const std::vector<std::string>& hex);

// Checks that `record` (the leaf) is a well-formed record at `position`
// holding a valid event, and that it is in the tree of `checkpoint` by
// `proof`. Returns the decoded record (pointing into `record`).
Result<RecordView> CheckIncluded(std::string_view record, uint64_t position,
                                 const std::vector<Hash>& proof, const Checkpoint& checkpoint);

}  // namespace ledger::core
