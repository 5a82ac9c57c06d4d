// The embedded backend of EventLog: the log in a local RocksDB, no server.
//
// Layout of the RocksDB directory (column families):
//
//   log   key := position:u64be          value := chain_hash:32 record
//                                        (record grammar: core/log/record_format.h)
//   state key -> value                  (EventLog::StateWrite: the decision
//                                        state, core/rules/decision_state.h)
//   meta  "format" -> "procurement-ledger/1"
//         "head"   -> size:u64be chain_hash:32   (written in the same
//                     WriteBatch as the records it covers)
//         "tree"   -> size:u64be                 (the records the tree covers;
//                     equal to the head's size once a writer has opened)
//   tree  key := level:u8 index:u64be     value := hash:32
//                                        the hash of every PERFECT subtree of
//                                        the RFC 6962 tree over the records
//                                        (core/util/merkle.h), written in the same
//                                        WriteBatch as the records
//   checkpoints key := size:u64be         value := a signed checkpoint note
//                                        (core/tlog/checkpoint.h)
//
// A ledger made before the tree existed gets its `tree` and `checkpoints`
// families, and the tree of all its records, when a writer first opens it;
// until then a reader answers tree requests with Unavailable.
//
// Durability: every Append is one WriteBatch written with sync=true (one
// fsync per batch: group commit), so a crash at any moment leaves either all
// of a batch or none of it. A copy of a log whose truth is elsewhere (the
// Kafka writer's mirror) is written without a write-ahead log at all
// (Sync::kNever): appends stay in memory until RocksDB flushes them, and it
// flushes every family together (atomic flush), so a crash of the process or
// the machine leaves the log, tree, state and head as they were after some
// earlier whole write (an append, or PutState), never part of one; the copy
// refills itself from the truth. Its creation, tree backfill and checkpoints
// are flushed at once.
//
// Only one process may write (RocksDB's lock). Readers open the directory as
// a RocksDB secondary instance and can follow a live writer. Read and
// ReadTreeLevel may be called from several threads at once
// (EventLog::ConcurrentReads).
#pragma once

#include <memory>
#include <string>

#include "core/log/event_log.h"

namespace ledger::core {

enum class OpenMode {
  kCreate,  // make a new, empty ledger; fails if one exists
  kWrite,   // open an existing ledger for appends (exclusive)
  kRead,    // open an existing ledger read-only, beside a possible writer
};

// Opens the ledger in `dir`. NotFound when there is none (and mode is not
// kCreate); Corruption when the head and the records disagree.
Result<std::unique_ptr<EventLog>> OpenEmbeddedLog(const std::string& dir, OpenMode mode);

// The embedded log with its lower-level entry point, for a backend that keeps
// a local copy of records formed and ordered elsewhere (the Kafka writer's
// mirror, core/log/kafka/kafka_log.h).
class EmbeddedEventLog : public EventLog {
 public:
  // Appends `records` (core/log/record_format.h), kept byte for byte, recorded_at
  // included, with `state`, as one synced write; the chain continues from the
  // head. Each record must carry position Size() + i and a valid event;
  // otherwise Corruption naming the position and nothing is written. Returns
  // the first position. Append(events, state) is this with recorded_at = now.
  virtual Result<uint64_t> AppendRecords(std::span<const std::string> records,
                                         std::span<const StateWrite> state) = 0;
  // AppendRecords for records the caller framed itself, at positions Size(),
  // Size() + 1, ..., from events it verified, with the chain hash of each
  // (`links`, one per record) as it computed them (the Kafka writer, after
  // its commit): neither the framing nor the events are checked again, and
  // the links are taken as given but for the first, which must continue the
  // head (else Corruption naming the position, and nothing is written).
  virtual Result<uint64_t> AppendOwnRecords(std::span<const std::string> records,
                                            std::span<const Hash> links,
                                            std::span<const StateWrite> state) = 0;
  // The decision state as of the first `size` records of the log's truth,
  // whose chain ends in `head`, saved ahead of the records this copy holds
  // (the Kafka writer's: it saves its state with each committed batch and
  // copies records and tree from the topic only when they are read). One
  // write, as durable as the log's Sync. From then on the log refuses
  // Append and AppendVerified (its own appends would not follow the state);
  // AppendRecords and AppendOwnRecords, with no state, fill in the records.
  virtual Status PutState(uint64_t size, const Hash& head, std::span<const StateWrite> state) = 0;
  // The records the state reflects and their chain head: Size() and
  // HeadHash() unless PutState ran ahead.
  virtual uint64_t StateSize() const = 0;
  virtual Hash StateHead() const = 0;
};
// How appends reach the disk.
enum class Sync {
  kEveryAppend,  // one fsync per Append: the log is the truth
  kNever,        // no write-ahead log, atomic flushes: a crash loses the
                 // latest whole appends (a copy that refills itself from
                 // the truth on open)
};
Result<std::unique_ptr<EmbeddedEventLog>> OpenEmbeddedEventLog(const std::string& dir,
                                                               OpenMode mode,
                                                               Sync sync = Sync::kEveryAppend);

}  // namespace ledger::core
