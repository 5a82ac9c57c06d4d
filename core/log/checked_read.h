// Reads of single records that check the record against the chain links
// stored beside it, for queries that show what a record says: an altered
// record is reported as corruption at its position instead of being shown.
#pragma once

#include <cstdint>
#include <functional>

#include "core/log/event_log.h"

namespace ledger::core {

// Calls `visit` with the record at `position` after checking that the link
// stored before it (zeros at position 0) and its own bytes give its stored
// link, and that its link and the next record give the next stored link (the
// stored head when the last record is read). Corruption "position N: ..." naming the
// first record whose link does not follow, as VerifyLedger would; NotFound
// beyond the log's size. Costs the reads
// of up to three records and two SHA-256.
Status ReadLinked(EventLog& log, uint64_t position,
                  const std::function<void(const LogEntry&)>& visit);

// Checks a sequential read link by link: each record's stored link against
// the one before it.
class LinkChecker {
 public:
  // `previous`: the stored link of the record before the first one checked.
  explicit LinkChecker(const Hash& previous) : link_(previous) {}
  // Starts at `position`, reading the link before it from `log`.
  static Result<LinkChecker> At(EventLog& log, uint64_t position);

  // Corruption "position N: chain hash mismatch" unless `entry` follows.
  Status Next(const LogEntry& entry);
  const Hash& link() const { return link_; }

 private:
  Hash link_;
};

}  // namespace ledger::core
