#include "core/record_format.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <ctime>

namespace ledger::core {

void PutBigEndian64(uint64_t v, std::string* out) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  out->append(buf, 8);
}

uint64_t GetBigEndian64(const char* p) {
  // One load and a byte swap (scans decode two of these per record).
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}

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

std::string FormatMicros(int64_t us) {
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%06lldZ", static_cast<long long>(us % 1000000));
  return buf;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ledger::core
