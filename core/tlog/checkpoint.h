// Signed checkpoints of the Merkle tree, in the C2SP tlog-checkpoint format
// (https://c2sp.org/tlog-checkpoint) inside a signed note (core/tlog/signed_note.h).
//
// Grammar of the checkpoint text (the note's signed text):
//
//   checkpoint := origin "\n" tree_size "\n" root_hash "\n"
//   origin     := the ledger's name, equal to its signing key's name
//   tree_size  := decimal ASCII, no leading zeros (number of records)
//   root_hash  := base64(MTH of the first tree_size records)   (core/util/merkle.h)
//
// Example (the blank line separates text and signatures):
//
//   procurement-ledger/shanghai
//   1000
//   Nf1pYFfzeP1yVz4tIvN5qHGG4TMZXyzMkQQ7O5Ra1ns=
//
//   — procurement-ledger/shanghai Az3grk5fT4F1c+zFmZ4...==
//
// A ledger keeps every checkpoint it signs (EventLog::PutCheckpoint); the
// write path makes one every N events or T seconds (Checkpointer), and
// `ledger checkpoint` makes one on demand.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log/event_log.h"
#include "core/tlog/signed_note.h"

namespace ledger::core {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};

std::string CheckpointText(const Checkpoint& c);
// Parses checkpoint text (unsigned); Corruption naming the bad line.
Result<Checkpoint> ParseCheckpointText(std::string_view text);

// A checkpoint note and what it says, once its signature has been checked.
struct SignedCheckpoint {
  Checkpoint checkpoint;
  std::string note;
};

// Checks `note`'s signature by `key`, parses it, and checks that its origin
// is the key's name. Corruption saying what failed.
Result<SignedCheckpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& key);

// Signs the tree of the first `size` records of `log` (size <= Size()); does
// not keep it.
Result<SignedCheckpoint> SignCheckpoint(EventLog& log, const NoteSigner& signer, uint64_t size);

// Every kept checkpoint of `log`, each opened with `key`, in increasing size.
// The first that does not open is an error naming its size.
Result<std::vector<SignedCheckpoint>> KeptCheckpoints(EventLog& log, const NoteVerifier& key);

// The kept checkpoint for `size` if there is one, otherwise a new one signed
// with `signer` (not kept: the caller may hold the log read-only). NotFound
// when there is neither a kept one nor a signer.
Result<SignedCheckpoint> CheckpointFor(EventLog& log, uint64_t size, const NoteSigner* signer,
                                       const NoteVerifier& key);

struct CheckpointPolicy {
  uint64_t every_events = 10000;           // 0: never by count
  std::chrono::seconds every_seconds{60};  // 0: never by time
};

// The write path's checkpointing: after each durable batch, Maybe() keeps a
// new checkpoint of the whole log when `every_events` records or
// `every_seconds` have passed since the last kept one. Not thread-safe; use
// from the writer's thread.
class Checkpointer {
 public:
  // Reads the last kept checkpoint's size. `log` must be open for writing.
  static Result<Checkpointer> Open(EventLog& log, NoteSigner signer, CheckpointPolicy policy);

  // Whether the policy wants a checkpoint once the log holds `size` records.
  bool Due(uint64_t size) const;
  // Keeps a checkpoint if the policy says it is time (Due(Size())); the one
  // kept, if any.
  Result<std::optional<SignedCheckpoint>> Maybe();
  // Keeps a checkpoint of the whole log now (unless the last kept one is
  // already of this size; then returns that one).
  Result<SignedCheckpoint> Now();

  uint64_t last_size() const { return last_size_; }

 private:
  Checkpointer(EventLog& log, NoteSigner signer, CheckpointPolicy policy)
      : log_(&log), signer_(std::move(signer)), policy_(policy) {}
  EventLog* log_;
  NoteSigner signer_;
  CheckpointPolicy policy_;
  uint64_t last_size_ = 0;
  bool any_ = false;
  std::chrono::steady_clock::time_point last_time_;
};

}  // namespace ledger::core
