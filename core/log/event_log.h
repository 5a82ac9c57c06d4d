// EventLog: the ledger's one ordered, append-only, hash-chained log of events.
//
// Backends: the embedded RocksDB log (core/log/embedded_log.h) for one machine;
// Kafka for a city-wide deployment. Everything above the log (rules,
// projections, queries) sees only this interface.
//
// Threading: one thread at a time per instance (a writer appends, a follower
// reads); separate instances may be used from separate threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/log/record_format.h"
#include "core/util/merkle.h"
#include "core/util/sha256.h"
#include "core/util/state_write.h"
#include "events/status.h"

namespace ledger::core {

// One record as read back: valid only during the visitor call.
struct LogEntry {
  RecordView record;
  Hash chain_hash;  // the link stored with the record
  // Where the backend keeps the record in its own addressing: the Kafka
  // offset; -1 on backends without one (embedded).
  int64_t source_offset = -1;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends `events` (FlatBuffers event bytes, each verified here first) as
  // one atomic, durable write: when this returns OK every event is on stable
  // storage at positions first, first+1, ...; on error none of them is (an
  // event that does not verify is named by its index in the batch). `state`
  // is stored in the same atomic write, so it is never ahead of or behind
  // the records.
  Result<uint64_t> Append(std::span<const std::string> events,
                          std::span<const StateWrite> state = {});
  // Append for a caller that verified every event itself (the command
  // service, on submission) and hands the state over, so that a backend may
  // keep it without copying (the Kafka writer's, saved after the commit).
  Result<uint64_t> AppendVerified(std::span<const std::string> events,
                                  std::vector<StateWrite>&& state) {
    return AppendChecked(events, std::move(state));
  }

  // Calls `visit` for every state key/value written so far, in key order;
  // stops at the first error it returns.
  virtual Status ScanState(
      const std::function<Status(std::string_view key, std::string_view value)>& visit) = 0;

  // The number of records the stored state reflects: Size() on a backend
  // that writes the state with its records; fewer on one that saves it after
  // them (the Kafka writer), after a crash or on a new machine, until a
  // caller that knows how the state is derived (core/command/decision_store.h)
  // catches it up with SaveState.
  virtual uint64_t StateSize() const { return Size(); }
  // Saves `state`, derived from the records [StateSize(), size), whose last
  // chain hash is `head`. InvalidArgument unless StateSize() < size <= Size()
  // and `head` is that record's link; InvalidArgument on a backend whose
  // state never lags.
  virtual Status SaveState(uint64_t size, const Hash& head, std::span<const StateWrite> state);

  // Number of records (= the next position), as of the last Append or
  // WaitForMore.
  virtual uint64_t Size() const = 0;

  // The chain hash of the last record (zeros for an empty log).
  virtual Hash HeadHash() const = 0;

  // The number of records as the storage itself shows it (the position after
  // the last stored record), not as a stored head says: what a verifier
  // compares Size() with before it sizes anything by it. Size() on a backend
  // that derives its size from the records.
  virtual Result<uint64_t> StoredRecords() { return Size(); }

  // Calls `visit` for records [from, from + limit) in order, stopping early
  // when it returns false. A missing, misplaced or malformed record stops the
  // read with Corruption naming its position.
  virtual Status Read(uint64_t from, uint64_t limit,
                      const std::function<bool(const LogEntry&)>& visit) = 0;

  // Waits until Size() > known_size (records appended by another process
  // become visible) or `timeout` passes. OK either way; check Size().
  virtual Status WaitForMore(uint64_t known_size, std::chrono::milliseconds timeout) = 0;

  // --- The Merkle tree over the records (core/util/merkle.h) ---
  // Every backend keeps the hash of each perfect subtree of the RFC 6962 tree
  // whose leaves are the records, updated atomically with Append, so any root
  // or proof for a size n <= Size() costs O(log n) TreeNode calls. A backend
  // that mirrors another store (Kafka) answers from its mirror, which it
  // first brings up to Size().

  // The hash of the perfect subtree (level, index): the MTH of the leaves
  // [index * 2^level, (index + 1) * 2^level), which must all be < Size().
  // InvalidArgument beyond Size(); Corruption when the node is missing or
  // malformed in storage; Unavailable on a backend that keeps no tree (a
  // Kafka reader).
  virtual Result<Hash> TreeNode(uint8_t level, uint64_t index) = 0;

  // TreeNode for many nodes at once (`out` has ids.size() entries): what a
  // proof needs is known before any hash is read, so a backend can batch the
  // reads. The default asks TreeNode for each.
  virtual Status TreeNodes(std::span<const TreeNodeId> ids, Hash* out) {
    for (size_t i = 0; i < ids.size(); ++i) {
      auto h = TreeNode(ids[i].level, ids[i].index);
      if (!h.ok()) return h.status();
      out[i] = *h;
    }
    return Status::OK();
  }

  // Calls `visit(index, hash)` for the stored nodes of `level` with index in
  // [from, from + limit), in order, stopping when it returns false; a gap or a
  // malformed node is Corruption naming it. For full verification.
  virtual Status ReadTreeLevel(uint8_t level, uint64_t from, uint64_t limit,
                               const std::function<bool(uint64_t, const Hash&)>& visit) = 0;

  // True when this instance allows Read and ReadTreeLevel from several
  // threads at once (nothing else meanwhile: no Append, no WaitForMore), an
  // exception to the one-thread rule above; full verification then reads
  // with every core. False (the default): one thread at a time.
  virtual bool ConcurrentReads() const { return false; }

  // --- Signed checkpoints (core/tlog/checkpoint.h), kept beside the log ---
  // Keeps `note` (a signed checkpoint text) for tree size `size`. Writers
  // only. The same note again is a no-op; a different note for a size that
  // already has one is Conflict (two roots for one size: a fork) and keeps
  // the first.
  virtual Status PutCheckpoint(uint64_t size, std::string_view note) = 0;
  // Calls `visit(size, note)` for every kept checkpoint in increasing size,
  // stopping when it returns false.
  virtual Status ReadCheckpoints(
      const std::function<bool(uint64_t size, std::string_view note)>& visit) = 0;

  // A hint saved earlier (e.g. with a projection's checkpoint): the record at
  // `position` is the first record at or after backend offset `source_offset`
  // (LogEntry::source_offset of the record before it, plus one). Lets a
  // backend whose offsets are not positions (Kafka) resume a read without
  // searching. A wrong hint costs a search, never a wrong record.
  virtual void HintOffset(uint64_t position, int64_t source_offset) {
    (void)position;
    (void)source_offset;
  }

  // Brings a local copy of a log whose truth is elsewhere up to the log's
  // end (the Kafka writer's mirror: its records and tree, copied from the
  // topic), so that the directory answers reads opened on it alone. Nothing
  // to do for a log that is its own truth.
  virtual Status CopyLocally() { return Status::OK(); }

 protected:
  // The backend's append of events known to verify (Append, AppendVerified).
  virtual Result<uint64_t> AppendChecked(std::span<const std::string> events,
                                         std::vector<StateWrite>&& state) = 0;
};

}  // namespace ledger::core
