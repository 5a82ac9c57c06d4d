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
//         "state-at" -> size:u64be chain_hash:32 (a mirror only,
//                     core/log/mirror_log.h: the records the state reflects
//                     and their chain head, ahead of the records held)
//   tree  key := level:u8 index:u64be     value := hash:32
//                                        the hash of every PERFECT subtree of
//                                        the RFC 6962 tree over the records
//                                        (core/util/merkle.h), written in the same
//                                        WriteBatch as the records
//   checkpoints key := size:u64be         value := a signed checkpoint note
//                                        (core/tlog/checkpoint.h)
//
// Durability: every Append is one WriteBatch written with sync=true (one
// fsync per batch: group commit), so a crash at any moment leaves either all
// of a batch or none of it. A copy of a log whose truth is elsewhere (the
// Kafka writer's mirror) is written without a write-ahead log at all
// (Sync::kNever): appends stay in memory until RocksDB flushes them, and it
// flushes every family together (atomic flush), so a crash of the process or
// the machine leaves the log, tree, state and head as they were after some
// earlier whole write (an append, or PutState), never part of one; the copy
// refills itself from the truth (core/log/mirror_log.h). Its creation and
// checkpoints are flushed at once.
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

}  // namespace ledger::core
