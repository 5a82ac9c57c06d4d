#include "projections/append_log.h"

#include <algorithm>
#include <cstring>

#include "core/log/record_format.h"

namespace ledger::projections {

OrderedKey::OrderedKey(std::string_view key, uint32_t t)
    : data(key.data()), size(static_cast<uint32_t>(key.size())), tag(t) {
  char h[16] = {};
  std::memcpy(h, key.data(), std::min<size_t>(16, key.size()));
  head[0] = core::GetBigEndian64(h);
  head[1] = core::GetBigEndian64(h + 8);
}

char* AppendLog::Allocate(size_t n) {
  if (n > block_left_) {
    const size_t size = std::max(n, kBlockBytes);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = blocks_.back().get();
    block_left_ = size;
  }
  char* at = next_;
  next_ += n;
  block_left_ -= n;
  return at;
}

void AppendLog::Add(std::string_view key, std::string_view bytes) {
  const auto size = static_cast<uint32_t>(bytes.size());
  char* at = Allocate(sizeof size + key.size() + bytes.size());
  std::memcpy(at, &size, sizeof size);
  std::memcpy(at + sizeof size, key.data(), key.size());
  std::memcpy(at + sizeof size + key.size(), bytes.data(), bytes.size());
  entries_.emplace_back(std::string_view(at + sizeof size, key.size()),
                        static_cast<uint32_t>(entries_.size()));
  bytes_ += sizeof(Entry) + sizeof size + key.size() + bytes.size();
}

void AppendLog::ForEachKey(const Visit& visit) {
  Split(1);
  ForEachKey(0, visit);
}

const std::vector<OrderedKey>& AppendLog::Split(size_t parts) {
  SplitByKeyRange(
      entries_, parts, [](const Entry& e) -> const OrderedKey& { return e; }, bounds_, pivots_);
  return pivots_;
}

void AppendLog::ForEachKey(size_t part, const Visit& visit) {
  const auto first = entries_.begin() + static_cast<ptrdiff_t>(bounds_[part]);
  const auto last = entries_.begin() + static_cast<ptrdiff_t>(bounds_[part + 1]);
  std::sort(first, last, [](const Entry& a, const Entry& b) {
    return a < b || (a.SameKey(b) && a.tag < b.tag);
  });
  auto bytes_of = [](const Entry& e) {
    uint32_t size;
    std::memcpy(&size, e.data - sizeof size, sizeof size);
    return std::string_view(e.data + e.size, size);
  };
  std::string joined;
  for (auto i = first; i != last;) {
    auto end = i + 1;
    while (end != last && end->SameKey(*i)) ++end;
    if (end == i + 1) {
      visit(i->key(), bytes_of(*i));
    } else {
      joined.clear();
      for (auto k = i; k != end; ++k) joined.append(bytes_of(*k));
      visit(i->key(), joined);
    }
    i = end;
  }
}

void AppendLog::Clear() {
  entries_.clear();
  bounds_.clear();
  pivots_.clear();
  blocks_.clear();
  next_ = nullptr;
  block_left_ = 0;
  bytes_ = 0;
}

}  // namespace ledger::projections
