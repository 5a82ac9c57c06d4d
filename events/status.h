// Status and Result<T>: expected failures as values.
//
// Shaped after leveldb::Status (named constructors) and std::expected. Every
// module returns these; library errors (RocksDB, librdkafka, FlatBuffers) are
// converted into them inside the adapter that calls the library, never above.
// Thread-compatible: values, no shared state.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ledger {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,  // bad input: names the line/field that was wrong
    kNotFound,
    kCorruption,  // stored bytes do not check out: names position and reason
    kRejected,    // a control rule refused a command: names the rule
    kConflict,    // optimistic concurrency or idempotency clash
    kIOError,
    kUnavailable,
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status Rejected(std::string rule, std::string msg) {
    Status s(Code::kRejected, std::move(msg));
    s.rule_ = std::move(rule);
    return s;
  }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsRejected() const { return code_ == Code::kRejected; }
  const std::string& message() const { return message_; }
  // The control rule id ("R10") of a kRejected status; empty otherwise.
  const std::string& rule() const { return rule_; }

  // "Corruption: position 17: chain hash mismatch".
  std::string ToString() const;
  // A copy with "context: " put in front of the message.
  Status WithContext(const std::string& context) const {
    Status s = *this;
    s.message_ = context + ": " + message_;
    return s;
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::string rule_;
};

inline std::string Status::ToString() const {
  const char* name = "OK";
  switch (code_) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      name = "Invalid argument";
      break;
    case Code::kNotFound:
      name = "Not found";
      break;
    case Code::kCorruption:
      name = "Corruption";
      break;
    case Code::kRejected:
      name = "Rejected";
      break;
    case Code::kConflict:
      name = "Conflict";
      break;
    case Code::kIOError:
      name = "IO error";
      break;
    case Code::kUnavailable:
      name = "Unavailable";
      break;
  }
  if (!rule_.empty()) return std::string(name) + " by " + rule_ + ": " + message_;
  return std::string(name) + ": " + message_;
}

// A T or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit like std::expected
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ledger

// Early return on error, like absl's RETURN_IF_ERROR.
#define LEDGER_RETURN_IF_ERROR(expr) \
  do {                               \
    ::ledger::Status _st = (expr);   \
    if (!_st.ok()) return _st;       \
  } while (0)
