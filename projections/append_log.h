// AppendLog: bytes appended to keys, staged without looking the key up, then
// visited once per key in key order with everything appended to it, in the
// order it was appended. A rebuild appends millions of short entries to
// per-entity lists (history, trace links): a hash-map lookup and a string per
// key for each of them cost more than sorting them once when the batch is
// committed.
//
// OrderedKey is the key order both this log and the store's sorted files use:
// the byte order of the keys, decided on their first 16 bytes held as two
// integers whenever they differ there.
//
// Not thread-safe: one staging thread at a time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ledger::projections {

struct OrderedKey {
  uint64_t head[2];  // the first 16 bytes of the key, big-endian, zero-padded
  const char* data;
  uint32_t size;
  uint32_t tag;  // the owner's: not part of the key

  OrderedKey(std::string_view key, uint32_t tag = 0);
  std::string_view key() const { return {data, size}; }
  bool SameKey(const OrderedKey& o) const {
    return head[0] == o.head[0] && head[1] == o.head[1] && size == o.size &&
           (size <= 16 || key().substr(16) == o.key().substr(16));
  }
  bool operator<(const OrderedKey& o) const {
    if (head[0] != o.head[0]) return head[0] < o.head[0];
    if (head[1] != o.head[1]) return head[1] < o.head[1];
    return size > 16 && o.size > 16 ? key().substr(16) < o.key().substr(16) : size < o.size;
  }
};

// Key ranges to sort and write on several threads at once. Reorders `items`
// into at most `parts` consecutive groups by key range, of about equal size
// (pivots sampled from the items), every key wholly in one group. Sets
// `bounds` to the groups' offsets (first 0, last items.size()) and `pivots`
// to the lowest possible key of each group but the first.
template <typename T, typename KeyOf>
void SplitByKeyRange(std::vector<T>& items, size_t parts, KeyOf key_of, std::vector<size_t>& bounds,
                     std::vector<OrderedKey>& pivots) {
  bounds.assign(1, 0);
  pivots.clear();
  if (parts > 1 && items.size() >= 64 * parts) {
    std::vector<OrderedKey> sample;
    const size_t n = 64 * parts;
    for (size_t i = 0; i < n; ++i) sample.push_back(key_of(items[i * (items.size() / n)]));
    std::sort(sample.begin(), sample.end());
    for (size_t p = 1; p < parts; ++p) {
      const OrderedKey& pivot = sample[p * n / parts];
      if (pivots.empty() || pivots.back() < pivot) pivots.push_back(pivot);
    }
    auto from = items.begin();
    for (const OrderedKey& pivot : pivots) {
      from = std::partition(from, items.end(), [&](const T& t) { return key_of(t) < pivot; });
      bounds.push_back(static_cast<size_t>(from - items.begin()));
    }
  }
  bounds.push_back(items.size());
}

class AppendLog {
 public:
  void Add(std::string_view key, std::string_view bytes);
  // Room for `appends` in all: the staged ones move once now rather than at
  // every doubling.
  void Reserve(size_t appends) { entries_.reserve(appends); }
  bool empty() const { return entries_.empty(); }
  // Appends staged (not distinct keys).
  size_t size() const { return entries_.size(); }
  // Roughly the memory the staged appends take.
  size_t ApproximateBytes() const { return bytes_; }
  using Visit = std::function<void(std::string_view key, std::string_view bytes)>;
  // Visits every key once, in key order, with the concatenation of what was
  // appended to it. The views last until the next call to visit.
  void ForEachKey(const Visit& visit);
  // Splits the staged appends into at most `parts` key ranges
  // (SplitByKeyRange) and returns the pivots. Until the next Add or Clear,
  // ForEachKey(part, visit) visits range `part` as ForEachKey does the whole;
  // different parts may be visited on different threads at once.
  const std::vector<OrderedKey>& Split(size_t parts);
  size_t PartSize(size_t part) const { return bounds_[part + 1] - bounds_[part]; }
  void ForEachKey(size_t part, const Visit& visit);
  void Clear();

 private:
  // In a block: the appended size (u32, native order), the key, the bytes.
  // The tag is the entry's sequence number: sorting on (key, tag) keeps what
  // was appended to a key in the order it was appended.
  using Entry = OrderedKey;
  static constexpr size_t kBlockBytes = size_t{1} << 20;
  // Keys and bytes are copied into blocks that never move.
  char* Allocate(size_t n);
  std::vector<Entry> entries_;
  std::vector<size_t> bounds_;  // of the parts, after Split
  std::vector<OrderedKey> pivots_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t block_left_ = 0;
  size_t bytes_ = 0;
};

}  // namespace ledger::projections
