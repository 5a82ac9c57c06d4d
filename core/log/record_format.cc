#include "core/log/record_format.h"

#include "core/util/encoding.h"

namespace ledger::core {

void AppendRecord(uint64_t position, int64_t recorded_at_us, std::string_view event,
                  std::string* out) {
  out->reserve(out->size() + kRecordHeaderSize + event.size());  // one allocation, not three
  out->push_back(static_cast<char>(kRecordVersion));
  PutBigEndian64(position, out);
  PutBigEndian64(static_cast<uint64_t>(recorded_at_us), out);
  out->append(event);
}

Result<RecordView> DecodeRecord(std::string_view bytes) {
  if (bytes.size() < kRecordHeaderSize) {
    return Status::Corruption("record truncated: " + std::to_string(bytes.size()) +
                              " bytes, the header alone is " + std::to_string(kRecordHeaderSize));
  }
  if (static_cast<uint8_t>(bytes[0]) != kRecordVersion) {
    return Status::Corruption("unknown record version " +
                              std::to_string(static_cast<uint8_t>(bytes[0])));
  }
  RecordView r;
  r.position = GetBigEndian64(bytes.data() + 1);
  r.recorded_at_us = static_cast<int64_t>(GetBigEndian64(bytes.data() + 9));
  r.event = bytes.substr(kRecordHeaderSize);
  r.bytes = bytes;
  return r;
}

}  // namespace ledger::core
