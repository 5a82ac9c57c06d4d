#include "core/log/checked_read.h"

#include <algorithm>
#include <string>

namespace ledger::core {
namespace {

Status Mismatch(uint64_t position) {
  return Status::Corruption("position " + std::to_string(position) +
                            ": chain hash mismatch (the stored link does not follow from the "
                            "record and the link before it)");
}

}  // namespace

Result<LinkChecker> LinkChecker::At(EventLog& log, uint64_t position) {
  Hash previous{};
  if (position == 0) return LinkChecker(previous);
  bool found = false;
  LEDGER_RETURN_IF_ERROR(log.Read(position - 1, 1, [&](const LogEntry& e) {
    previous = e.chain_hash;
    found = true;
    return false;
  }));
  if (!found) {
    return Status::Corruption("position " + std::to_string(position - 1) + ": record missing");
  }
  return LinkChecker(previous);
}

Status LinkChecker::Next(const LogEntry& entry) {
  if (ChainHash(link_, entry.record.bytes) != entry.chain_hash) {
    return Mismatch(entry.record.position);
  }
  link_ = entry.chain_hash;
  return Status::OK();
}

Status ReadLinked(EventLog& log, uint64_t position,
                  const std::function<void(const LogEntry&)>& visit) {
  const uint64_t size = log.Size();
  if (position >= size) {
    return Status::NotFound("no record at position " + std::to_string(position));
  }
  const uint64_t from = position == 0 ? 0 : position - 1;
  const uint64_t end = std::min(size, position + 2);
  Hash previous{};
  std::string stored;  // the record at `position`, kept past the read's visitor
  LogEntry entry;
  Status failure;
  uint64_t next = from;
  Hash last{};  // the last link read
  LEDGER_RETURN_IF_ERROR(log.Read(from, end - from, [&](const LogEntry& e) {
    ++next;
    last = e.chain_hash;
    if (e.record.position < position) {
      previous = e.chain_hash;
    } else if (e.record.position == position) {
      if (ChainHash(previous, e.record.bytes) != e.chain_hash) {
        failure = Mismatch(position);
        return false;
      }
      stored.assign(e.record.bytes);
      entry = e;
    } else if (ChainHash(entry.chain_hash, e.record.bytes) != e.chain_hash) {
      failure = Mismatch(e.record.position);
      return false;
    }
    return true;
  }));
  LEDGER_RETURN_IF_ERROR(failure);
  if (next != end) {
    return Status::Corruption("position " + std::to_string(next) + ": record missing");
  }
  if (end == size && last != log.HeadHash()) {
    return Status::Corruption("position " + std::to_string(end - 1) +
                              ": the stored link of the last record is not the head's");
  }
  auto record = DecodeRecord(stored);
  if (!record.ok()) return record.status().WithContext("position " + std::to_string(position));
  entry.record = *record;
  visit(entry);
  return Status::OK();
}

}  // namespace ledger::core
