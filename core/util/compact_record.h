// Compact records: the varint encoding of the ledger's own stored records
// (the decision state, core/rules/decision_state.h; the entity summaries of the
// projections). Fields carry no tags: a record's grammar is the order in which
// its owner writes them, documented beside it.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "events/ids.h"

namespace ledger::core::compact {

// Writes fields as compact bytes: unsigned integers, enums and bools as
// LEB128 varints, signed ones zigzag-encoded, strings and vectors with a
// varint length first, fixed-size byte arrays (digests) as they are.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  void Put(uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  void Put(uint32_t v) { Put(static_cast<uint64_t>(v)); }
  void Put(uint8_t v) { Put(static_cast<uint64_t>(v)); }
  void Put(bool v) { Put(static_cast<uint64_t>(v)); }
  void Put(int64_t v) {  // zigzag
    Put((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Put(const std::string& v) {
    Put(static_cast<uint64_t>(v.size()));
    out_->append(v);
  }
  template <typename Tag>
  void Put(const NamedId<Tag>& v) {
    Put(v.value());
  }
  template <typename E>
  requires std::is_enum_v<E>
  void Put(E v) { Put(static_cast<uint64_t>(v)); }
  template <typename T>
  void Put(const std::vector<T>& v) {
    Put(static_cast<uint64_t>(v.size()));
    for (const auto& e : v) Put(e);
  }
  template <size_t N>
  void Put(const std::array<uint8_t, N>& v) {
    out_->append(reinterpret_cast<const char*>(v.data()), N);
  }

 private:
  std::string* out_;
};

// Reads what Writer wrote; ok() turns false at the first malformed field.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  // What is left to read.
  std::string_view rest() const { return in_; }
  void Get(uint64_t& v) {
    v = 0;
    for (int shift = 0; ok_; shift += 7) {
      if (in_.empty() || shift > 63) {
        ok_ = false;
        return;
      }
      auto b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return;
    }
  }
  template <typename Small>
  void GetSmall(Small& v) {
    uint64_t x;
    Get(x);
    if (x > std::numeric_limits<Small>::max()) ok_ = false;
    v = static_cast<Small>(x);
  }
  void Get(uint32_t& v) { GetSmall(v); }
  void Get(uint8_t& v) { GetSmall(v); }
  void Get(bool& v) { GetSmall(v); }
  void Get(int64_t& v) {
    uint64_t x;
    Get(x);
    v = static_cast<int64_t>((x >> 1) ^ (~(x & 1) + 1));
  }
  void Get(std::string& v) {
    uint64_t n;
    Get(n);
    if (!ok_ || n > in_.size()) {
      ok_ = false;
      return;
    }
    v.assign(in_.substr(0, n));
    in_.remove_prefix(n);
  }
  template <typename Tag>
  void Get(NamedId<Tag>& v) {
    std::string s;
    Get(s);
    v = NamedId<Tag>(std::move(s));
  }
  template <typename E>
  requires std::is_enum_v<E>
  void Get(E& v) {
    std::underlying_type_t<E> x;
    GetSmall(x);
    v = static_cast<E>(x);
  }
  template <typename T>
  void Get(std::vector<T>& v) {
    uint64_t n;
    Get(n);
    if (!ok_ || n > in_.size()) {
      ok_ = false;
      return;
    }
    v.resize(n);
    for (auto& e : v) Get(e);
  }
  template <size_t N>
  void Get(std::array<uint8_t, N>& v) {
    if (!ok_ || in_.size() < N) {
      ok_ = false;
      return;
    }
    std::copy_n(in_.data(), N, reinterpret_cast<char*>(v.data()));
    in_.remove_prefix(N);
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace ledger::core::compact
