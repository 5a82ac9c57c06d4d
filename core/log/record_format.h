// The log record: the unit the hash chain covers, identical on every backend.
//
// Grammar (all integers big-endian):
//
//   record       := version:u8 position:u64 recorded_at_us:i64 event
//   version      := 0x01
//   position     := dense, from 0: the record's place in the ledger's one order
//   recorded_at  := ledger time, microseconds since the Unix epoch (UTC)
//   event        := size:u32le flatbuffer   (FlatBuffers size-prefixed Event,
//                   file identifier "PLE1", events/schema/event.fbs), exactly
//                   as submitted; size covers the flatbuffer, so a truncated
//                   event never verifies
//
//   chain_hash(p) := SHA-256(chain_hash(p-1) || record(p)),
//   chain_hash(-1) := 32 zero bytes
//
// The embedded backend stores, under key position:u64, the value
//
//   stored       := chain_hash:32 record
//
// so each record carries its own link; `ledger verify` recomputes every link.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/encoding.h"
#include "core/util/sha256.h"
#include "core/util/timestamp.h"
#include "events/status.h"

namespace ledger::core {

inline constexpr uint8_t kRecordVersion = 1;
inline constexpr size_t kRecordHeaderSize = 1 + 8 + 8;

struct RecordView {
  uint64_t position = 0;
  int64_t recorded_at_us = 0;
  std::string_view event;  // points into the decoded bytes
  std::string_view bytes;  // the whole record, as hashed
};

// Appends the record for `event` at `position` to `out`.
void AppendRecord(uint64_t position, int64_t recorded_at_us, std::string_view event,
                  std::string* out);

// Splits a record into its fields. Checks framing only (length, version);
// the event bytes are verified by events::DecodeEvent. On error: Corruption
// naming what is wrong (the caller adds the position).
Result<RecordView> DecodeRecord(std::string_view bytes);

// The next link of the chain.
inline Hash ChainHash(const Hash& previous, std::string_view record) {
  return Sha256Of(Sha256::AsBytes(previous), record);
}

}  // namespace ledger::core
