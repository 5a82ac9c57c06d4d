#include "core/log/kafka/reader.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/log/kafka/admin.h"

namespace ledger::core::kafka {

KafkaReader::~KafkaReader() {
  pending_.clear();  // messages go before their client
  if (started_) rd_kafka_consume_stop(rkt_, kPartition);
  if (rkt_ != nullptr) rd_kafka_topic_destroy(rkt_);
}

Result<std::unique_ptr<KafkaReader>> KafkaReader::Open(const KafkaOptions& o) {
  auto rk = NewClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", o.brokers},
                                          {"client.id", "ledger-reader"},
                                          {"isolation.level", "read_committed"},
                                          {"enable.partition.eof", "true"},
                                          {"auto.offset.reset", "error"},
                                          {"fetch.wait.max.ms", "10"},
                                          {"fetch.error.backoff.ms", "10"},
                                          {"reconnect.backoff.ms", "50"},
                                          {"reconnect.backoff.max.ms", "1000"},
                                          {"socket.nagle.disable", "true"},
                                          {"allow.auto.create.topics", "false"}});
  if (!rk.ok()) return rk.status();
  auto reader = std::unique_ptr<KafkaReader>(new KafkaReader(o, std::move(rk).value()));
  LEDGER_RETURN_IF_ERROR(CheckSinglePartition(reader->rk_.get(), o));
  reader->rkt_ = rd_kafka_topic_new(reader->rk_.get(), o.topic.c_str(), nullptr);
  return reader;
}

Status KafkaReader::Refresh() {
  int64_t low = 0, high = 0;
  rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
      rk_.get(), opts_.topic.c_str(), kPartition, &low, &high, Millis(opts_.timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(
        fmt::format("{}: watermark offsets: {}", Where(opts_), rd_kafka_err2str(err)));
  }
  low_ = low;
  // Step back from the end until a committed record shows: the last
  // offsets are transaction markers (and maybe aborted or open batches).
  for (int64_t step = 2;; step *= 4) {
    const int64_t from = std::max(low, high - step);
    LEDGER_RETURN_IF_ERROR(Seek(from));
    std::optional<Fetched> last;
    const auto deadline = Clock::now() + opts_.timeout;
    while (true) {
      Fetched f;
      auto got = Pull(deadline, &f);
      if (!got.ok()) return got.status();
      if (*got == Got::kTimeout) {
        return Status::Unavailable(fmt::format("{}: no end of the topic within {} ms", Where(opts_),
                                               opts_.timeout.count()));
      }
      if (*got == Got::kEnd) break;
      last = std::move(f);
    }
    if (last) {
      size_ = last->record.position + 1;
      head_ = last->chain;
      last_offset_ = last->offset;
      index_[last->record.position] = last->offset;
      next_position_ = size_;
      return Status::OK();
    }
    if (from == low) {
      if (low > 0) {
        return Status::Corruption(fmt::format(
            "position 0: {} starts at offset {} and holds no record: records were deleted "
            "(retention?)",
            Where(opts_), low));
      }
      size_ = 0;
      head_ = Hash{};
      last_offset_ = -1;
      next_position_ = 0;
      return Status::OK();
    }
  }
}

Result<uint64_t> KafkaReader::AppendChecked(std::span<const std::string>,
                                            std::vector<StateWrite>&&) {
  return Status::InvalidArgument(Where(opts_) + " was opened read-only");
}

Status KafkaReader::ScanState(const std::function<Status(std::string_view, std::string_view)>&) {
  return Status::InvalidArgument(
      "a Kafka reader holds no decision state (the writer's mirror does)");
}

Status KafkaReader::Read(uint64_t from, uint64_t limit,
                         const std::function<bool(const LogEntry&)>& visit) {
  if (from >= size_) return Status::OK();
  const uint64_t end = from + std::min(limit, size_ - from);
  LEDGER_RETURN_IF_ERROR(PositionAt(from));
  for (uint64_t p = from; p < end; ++p) {
    Fetched f;
    if (!pending_.empty()) {
      f = std::move(pending_.front());
      pending_.pop_front();
    } else {
      auto got = Pull(Clock::now() + opts_.timeout, &f);
      if (!got.ok()) return got.status().WithContext(fmt::format("position {}", p));
      if (*got == Got::kEnd) {
        next_position_ = kUnknown;
        return Status::Corruption(
            fmt::format("position {}: {} ends before the ledger's {} committed records", p,
                        Where(opts_), size_));
      }
      if (*got == Got::kTimeout) {
        next_position_ = kUnknown;
        return Status::Unavailable(fmt::format("position {}: {} did not deliver it within {} ms", p,
                                               Where(opts_), opts_.timeout.count()));
      }
    }
    if (f.record.position != p) {
      next_position_ = kUnknown;
      pending_.clear();
      return Status::Corruption(
          fmt::format("position {}: {} offset {} holds position {} (a record is missing, moved "
                      "or repeated)",
                      p, Where(opts_), f.offset, f.record.position));
    }
    next_position_ = p + 1;
    if (p % kIndexEvery == 0) index_[p] = f.offset;
    LogEntry entry{f.record, f.chain, f.offset};
    if (!visit(entry)) return Status::OK();
  }
  return Status::OK();
}

Status KafkaReader::WaitForMore(uint64_t known_size, std::chrono::milliseconds timeout) {
  if (size_ > known_size) return Status::OK();
  if (next_position_ == kUnknown || next_position_ + pending_.size() != size_) {
    LEDGER_RETURN_IF_ERROR(Seek(std::max(last_offset_ + 1, low_)));
    next_position_ = size_;
  }
  const auto deadline = Clock::now() + timeout;
  bool got_any = false;
  while (pending_.size() < kCatchUpBatch) {
    Fetched f;
    // Once something came, take what is already there without waiting.
    auto got = Pull(got_any ? Clock::now() : deadline, &f);
    if (!got.ok()) return got.status();
    if (*got == Got::kTimeout) break;
    if (*got == Got::kEnd) {
      if (got_any) break;
      continue;
    }
    if (f.record.position != size_) {
      next_position_ = kUnknown;
      pending_.clear();
      return Status::Corruption(fmt::format(
          "position {}: {} offset {} holds position {} (a record is missing, moved or repeated)",
          size_, Where(opts_), f.offset, f.record.position));
    }
    size_ = f.record.position + 1;
    head_ = f.chain;
    last_offset_ = f.offset;
    pending_.push_back(std::move(f));
    got_any = true;
  }
  return Status::OK();
}

Status KafkaReader::NoTree() {
  return Status::Unavailable(
      "the Merkle tree and checkpoints of a Kafka ledger are kept in the writer's mirror: run "
      "this with --data MIRROR and without --kafka");
}

Status KafkaReader::Seek(int64_t offset) {
  pending_.clear();
  next_position_ = kUnknown;
  if (started_) {
    rd_kafka_consume_stop(rkt_, kPartition);
    started_ = false;
  }
  if (rd_kafka_consume_start(rkt_, kPartition, offset) == -1) {
    return Status::Unavailable(fmt::format("{}: consume from offset {}: {}", Where(opts_), offset,
                                           rd_kafka_err2str(rd_kafka_last_error())));
  }
  started_ = true;
  return Status::OK();
}

Result<KafkaReader::Got> KafkaReader::Pull(Clock::time_point deadline, Fetched* out) {
  std::string last_error;
  while (true) {
    MessagePtr m(rd_kafka_consume(rkt_, kPartition, std::max(0, MillisUntil(deadline))));
    if (!m) {
      if (Clock::now() < deadline) continue;
      return Got::kTimeout;
    }
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return Got::kEnd;
    if (m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE ||
        m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
      return Status::Corruption(
          fmt::format("{}: offset {} is no longer in the topic (records deleted by retention?): {}",
                      Where(opts_), m->offset, rd_kafka_message_errstr(m.get())));
    }
    if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
        m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
      return Status::Unavailable(
          fmt::format("{}: {}", Where(opts_), rd_kafka_message_errstr(m.get())));
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      last_error = rd_kafka_message_errstr(m.get());
      if (Clock::now() >= deadline) {
        return Status::Unavailable(fmt::format("{}: {}", Where(opts_), last_error));
      }
      continue;
    }
    auto f = ParseMessage(std::move(m), opts_);
    if (!f.ok()) return f.status();
    *out = std::move(f).value();
    return Got::kRecord;
  }
}

Result<std::optional<uint64_t>> KafkaReader::Probe(int64_t offset) {
  LEDGER_RETURN_IF_ERROR(Seek(offset));
  Fetched f;
  auto got = Pull(Clock::now() + opts_.timeout, &f);
  if (!got.ok()) return got.status();
  if (*got == Got::kTimeout) {
    return Status::Unavailable(fmt::format("{}: offset {} not delivered within {} ms", Where(opts_),
                                           offset, opts_.timeout.count()));
  }
  if (*got == Got::kEnd) return std::optional<uint64_t>();
  const uint64_t position = f.record.position;
  index_[position] = f.offset;
  next_position_ = position;
  pending_.push_back(std::move(f));
  return std::optional<uint64_t>(position);
}

// Offsets have gaps (transaction markers), but each record takes at least
// one offset, so the offset of p is at least off(q) + (p - q) for a known
// q <= p and at most off(r) - (r - p) for a known r > p: a binary search
// between the two (usually one probe: the sparse index and the hints are
// near).
Status KafkaReader::PositionAt(uint64_t p) {
  if (next_position_ == p) return Status::OK();
  if (hint_ && hint_->first == p && hint_->second >= 0) {
    auto found = Probe(hint_->second);
    if (!found.ok()) return found.status();
    if (*found == p) return Status::OK();
  }
  int64_t lo = low_, hi = last_offset_ + 1;
  auto it = index_.upper_bound(p);
  if (it != index_.end()) hi = it->second - static_cast<int64_t>(it->first - p);
  if (it != index_.begin()) {
    --it;
    lo = std::max(lo, it->second + static_cast<int64_t>(p - it->first));
  }
  auto missing = [&](std::optional<uint64_t> found, int64_t at) {
    return Status::Corruption(
        fmt::format("position {}: not in {} (the first record at or after offset {} is {})", p,
                    Where(opts_), at, found ? "position " + std::to_string(*found) : "none"));
  };
  auto found = Probe(lo);
  if (!found.ok()) return found.status();
  if (*found == p) return Status::OK();
  if (!*found || **found > p) return missing(*found, lo);
  // Invariant: the first record at or after lo is before p; at or after
  // hi, it is p or later (or there is none).
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    found = Probe(mid);
    if (!found.ok()) return found.status();
    if (*found && **found < p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  found = Probe(hi);
  if (!found.ok()) return found.status();
  if (*found == p) return Status::OK();
  return missing(*found, hi);
}

}  // namespace ledger::core::kafka
