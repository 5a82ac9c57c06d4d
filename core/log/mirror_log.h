// MirrorLog: the embedded log (core/log/embedded_log.h) as a local copy of a
// log whose truth is elsewhere: records formed, ordered and made durable by
// another backend (the Kafka writer's mirror, core/log/kafka/), kept here byte
// for byte, and the decision state saved ahead of them. For that backend
// only; everything else opens the embedded log as an EventLog.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "core/log/embedded_log.h"
#include "core/log/event_log.h"

namespace ledger::core {

class MirrorLog : public EventLog {
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
  uint64_t StateSize() const override = 0;
  virtual Hash StateHead() const = 0;
};
// How appends reach the disk.
enum class Sync {
  kEveryAppend,  // one fsync per Append: the log is the truth
  kNever,        // no write-ahead log, atomic flushes: a crash loses the
                 // latest whole appends (a copy that refills itself from
                 // the truth on open)
};
Result<std::unique_ptr<MirrorLog>> OpenMirrorLog(const std::string& dir, OpenMode mode,
                                                 Sync sync = Sync::kEveryAppend);

}  // namespace ledger::core
