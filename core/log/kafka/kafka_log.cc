#include "core/log/kafka/kafka_log.h"

#include <fmt/core.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/log/mirror_log.h"
#include "core/util/encoding.h"
#include "events/codec.h"

namespace ledger::core {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kTypeHeader[] = "ledger-type";
constexpr char kSchemaHeader[] = "ledger-schema";
constexpr char kEventIdHeader[] = "ledger-event-id";
constexpr char kPositionHeader[] = "ledger-position";
constexpr char kChainHeader[] = "ledger-chain";
constexpr int32_t kPartition = 0;       // the ledger's topic has exactly one
constexpr size_t kCatchUpBatch = 4096;  // records per mirror write when catching up
constexpr uint64_t kIndexEvery = 1024;  // sparse position -> offset index
constexpr uint64_t kUnknown = UINT64_MAX;

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

std::string Where(const KafkaOptions& o) {
  return fmt::format("Kafka topic {} at {}", o.topic, o.brokers);
}

int Millis(std::chrono::milliseconds d) {
  return static_cast<int>(std::clamp<int64_t>(d.count(), 0, INT32_MAX));
}

int MillisUntil(Clock::time_point deadline) {
  return Millis(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// A producer's delivery reports, when asked for.
enum class Reports { kNone, kServed };

// librdkafka 2.0.2's flush (which commit_transaction runs) polls for
// delivery reports in steps of up to 10 ms and wakes early only when a
// report arrives; a producer without a report callback gets none, so every
// commit would wait out its step after its last acknowledgement. The writer
// has nothing to do per message (the commit reports any failure), but the
// callback makes librdkafka queue the reports that end the wait.
void IgnoreDelivery(rd_kafka_t*, const rd_kafka_message_t*, void*) {}

// A client of `type` with the given settings; errors name the setting.
Result<KafkaPtr> NewClient(rd_kafka_type_t type,
                           const std::vector<std::pair<std::string, std::string>>& settings,
                           Reports reports = Reports::kNone) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] : settings) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Status::InvalidArgument(fmt::format("Kafka setting {}={}: {}", name, value, err));
    }
  }
  if (reports == Reports::kServed) rd_kafka_conf_set_dr_msg_cb(conf, IgnoreDelivery);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(fmt::format("Kafka client: {}", err));
  }
  return KafkaPtr(rk);
}

// Partition count of `topic`, or NotFound / Unavailable.
Result<int> PartitionCount(rd_kafka_t* rk, const KafkaOptions& o) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, o.topic.c_str(), nullptr);
  const struct rd_kafka_metadata* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, Millis(o.timeout));
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: no metadata within {} ms: {}", Where(o),
                                           o.timeout.count(), rd_kafka_err2str(err)));
  }
  std::unique_ptr<const struct rd_kafka_metadata, decltype(&rd_kafka_metadata_destroy)> owned(
      md, &rd_kafka_metadata_destroy);
  if (md->topic_cnt != 1) return Status::NotFound(Where(o) + ": no such topic");
  const rd_kafka_metadata_topic& t = md->topics[0];
  if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound(Where(o) + ": no such topic (create it with `ledger init --kafka`)");
  }
  if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: {}", Where(o), rd_kafka_err2str(t.err)));
  }
  return t.partition_cnt;
}

Status CheckSinglePartition(rd_kafka_t* rk, const KafkaOptions& o) {
  auto n = PartitionCount(rk, o);
  if (!n.ok()) return n.status();
  if (*n != 1) {
    return Status::InvalidArgument(fmt::format(
        "{} has {} partitions; the ledger's topic must have exactly 1 (one order, one chain)",
        Where(o), *n));
  }
  return Status::OK();
}

// A record as consumed: the message owns the bytes `record` points into.
struct Fetched {
  MessagePtr message;
  RecordView record;
  Hash chain{};
  int64_t offset = -1;
};

Result<Fetched> Parse(MessagePtr m, const KafkaOptions& o) {
  Fetched f;
  f.offset = m->offset;
  const std::string where = fmt::format("{} offset {}", Where(o), m->offset);
  auto record = DecodeRecord(std::string_view(static_cast<const char*>(m->payload), m->len));
  if (!record.ok()) return record.status().WithContext(where);
  f.record = *record;
  rd_kafka_headers_t* headers = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_message_headers(m.get(), &headers) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      rd_kafka_header_get_last(headers, kChainHeader, &value, &size) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Corruption(
        fmt::format("position {}: {}: no {} header", record->position, where, kChainHeader));
  }
  auto chain = HashFromHex(std::string_view(static_cast<const char*>(value), size));
  if (!chain.ok()) {
    return Status::Corruption(
        fmt::format("position {}: {}: malformed {} header", record->position, where, kChainHeader));
  }
  f.chain = *chain;
  f.message = std::move(m);
  return f;
}

// The read side: a read-committed consumer of partition 0 with a cursor
// (the legacy per-partition consumer API: seeking is stop + start).
//
// Invariant: when next_position_ != kUnknown, the next record the cursor
// delivers (pending_ first, then the consumer) is at next_position_, and
// pending_ holds consecutive records.
class KafkaReader final : public EventLog {
 public:
  ~KafkaReader() override {
    pending_.clear();  // messages go before their client
    if (started_) rd_kafka_consume_stop(rkt_, kPartition);
    if (rkt_ != nullptr) rd_kafka_topic_destroy(rkt_);
  }

  static Result<std::unique_ptr<KafkaReader>> Open(const KafkaOptions& o) {
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

  // Finds the last committed record: Size() and HeadHash().
  Status Refresh() {
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
          return Status::Unavailable(fmt::format("{}: no end of the topic within {} ms",
                                                 Where(opts_), opts_.timeout.count()));
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

  Result<uint64_t> AppendChecked(std::span<const std::string>, std::vector<StateWrite>&&) override {
    return Status::InvalidArgument(Where(opts_) + " was opened read-only");
  }

  Status ScanState(const std::function<Status(std::string_view, std::string_view)>&) override {
    return Status::InvalidArgument(
        "a Kafka reader holds no decision state (the writer's mirror does)");
  }

  uint64_t Size() const override { return size_; }
  Hash HeadHash() const override { return head_; }

  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override {
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
          return Status::Unavailable(fmt::format("position {}: {} did not deliver it within {} ms",
                                                 p, Where(opts_), opts_.timeout.count()));
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

  Status WaitForMore(uint64_t known_size, std::chrono::milliseconds timeout) override {
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

  void HintOffset(uint64_t position, int64_t source_offset) override {
    hint_ = {position, source_offset};
  }

  // The Merkle tree and the signed checkpoints of a Kafka ledger are kept by
  // its writer, in the mirror (an embedded ledger in the writer's --data).
  Result<Hash> TreeNode(uint8_t, uint64_t) override { return NoTree(); }
  Status ReadTreeLevel(uint8_t, uint64_t, uint64_t,
                       const std::function<bool(uint64_t, const Hash&)>&) override {
    return NoTree();
  }
  Status PutCheckpoint(uint64_t, std::string_view) override { return NoTree(); }
  Status ReadCheckpoints(const std::function<bool(uint64_t, std::string_view)>&) override {
    return Status::OK();  // none kept on the topic
  }

 private:
  enum class Got { kRecord, kEnd, kTimeout };

  static Status NoTree() {
    return Status::Unavailable(
        "the Merkle tree and checkpoints of a Kafka ledger are kept in the writer's mirror: run "
        "this with --data MIRROR and without --kafka");
  }

  KafkaReader(const KafkaOptions& o, KafkaPtr rk) : opts_(o), rk_(std::move(rk)) {}

  Status Seek(int64_t offset) {
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

  // The next record from the consumer, the end of the committed records, or
  // kTimeout at `deadline`. Transient errors (a broker away) are retried by
  // librdkafka; only errors that cannot heal are returned.
  Result<Got> Pull(Clock::time_point deadline, Fetched* out) {
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
        return Status::Corruption(fmt::format(
            "{}: offset {} is no longer in the topic (records deleted by retention?): {}",
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
      auto f = Parse(std::move(m), opts_);
      if (!f.ok()) return f.status();
      *out = std::move(f).value();
      return Got::kRecord;
    }
  }

  // Seeks to `offset` and returns the position of the first record at or
  // after it (left in pending_), or nullopt at the end.
  Result<std::optional<uint64_t>> Probe(int64_t offset) {
    LEDGER_RETURN_IF_ERROR(Seek(offset));
    Fetched f;
    auto got = Pull(Clock::now() + opts_.timeout, &f);
    if (!got.ok()) return got.status();
    if (*got == Got::kTimeout) {
      return Status::Unavailable(fmt::format("{}: offset {} not delivered within {} ms",
                                             Where(opts_), offset, opts_.timeout.count()));
    }
    if (*got == Got::kEnd) return std::optional<uint64_t>();
    const uint64_t position = f.record.position;
    index_[position] = f.offset;
    next_position_ = position;
    pending_.push_back(std::move(f));
    return std::optional<uint64_t>(position);
  }

  // Leaves the cursor so that it delivers `p` next. Offsets have gaps
  // (transaction markers), but each record takes at least one offset, so the
  // offset of p is at least off(q) + (p - q) for a known q <= p and at most
  // off(r) - (r - p) for a known r > p: a binary search between the two
  // (usually one probe: the sparse index and the hints are near).
  Status PositionAt(uint64_t p) {
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

  KafkaOptions opts_;
  KafkaPtr rk_;
  rd_kafka_topic_t* rkt_ = nullptr;
  bool started_ = false;
  std::deque<Fetched> pending_;
  uint64_t next_position_ = kUnknown;
  std::map<uint64_t, int64_t> index_;  // position -> offset, sparse
  std::optional<std::pair<uint64_t, int64_t>> hint_;
  int64_t low_ = 0;
  int64_t last_offset_ = -1;  // offset of the last committed record
  uint64_t size_ = 0;
  Hash head_{};
};

bool IsFenced(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
}

// The write side: a transactional producer plus the local mirror.
//
// The mirror (an embedded ledger in the writer's directory) gets the
// decision state of each committed batch, written by a thread of its own
// (mirror_thread_) while the next transaction is produced and committed:
// that is all a writer needs to open again at once. The records and the
// Merkle tree are copied from the topic into the mirror only when something
// reads them through the writer (CopyRecords): the write path never pays for
// a second copy of every record. Invariants: the mirror's state reflects a
// prefix of what the writer committed (size_, head_), and its records a
// prefix of that; ScanState first waits for the state (Drain), and every
// other read also copies the records up to size_.
class KafkaWriter final : public EventLog {
 public:
  ~KafkaWriter() override {
    reader_.reset();  // its messages and client go before the producer
    if (mirror_thread_.joinable()) {
      {
        std::lock_guard lock(mirror_mu_);
        stop_ = true;
      }
      mirror_cv_.notify_all();
      mirror_thread_.join();  // after writing what was queued
    }
  }

  static Result<std::unique_ptr<EventLog>> Open(KafkaOptions o, const std::string& local_dir,
                                                OpenMode mode) {
    namespace fs = std::filesystem;
    if (o.transactional_id.empty()) o.transactional_id = "ledger-" + o.topic;
    if (mode == OpenMode::kCreate) {
      if (fs::exists(fs::path(local_dir) / "CURRENT")) {
        return Status::InvalidArgument("a ledger already exists in " + local_dir);
      }
      LEDGER_RETURN_IF_ERROR(CreateKafkaTopic(o));
    }
    // Checks the topic before touching the local directory.
    auto reader = KafkaReader::Open(o);
    if (!reader.ok()) return reader.status();
    std::error_code ec;
    fs::create_directories(local_dir, ec);
    const bool have_mirror = fs::exists(fs::path(local_dir) / "CURRENT");
    auto mirror =
        OpenMirrorLog(local_dir, have_mirror ? OpenMode::kWrite : OpenMode::kCreate,
                      // The topic is the durable truth: a mirror that lost
                      // its latest writes in a machine crash is a prefix of
                      // it, refilled from the topic.
                      Sync::kNever);
    if (!mirror.ok()) return mirror.status().WithContext("the writer's mirror");
    auto producer = NewClient(RD_KAFKA_PRODUCER,
                              {{"bootstrap.servers", o.brokers},
                               {"client.id", "ledger-writer"},
                               {"transactional.id", o.transactional_id},
                               {"enable.idempotence", "true"},
                               {"acks", "all"},
                               {"transaction.timeout.ms", "60000"},
                               {"retry.backoff.ms", "5"},
                               {"linger.ms", "5"},
                               {"batch.num.messages", "10000"},
                               {"queue.buffering.max.messages", "1000000"},
                               {"queue.buffering.max.kbytes", "1048576"},
                               {"reconnect.backoff.ms", "50"},
                               {"reconnect.backoff.max.ms", "1000"},
                               {"socket.nagle.disable", "true"},
                               {"allow.auto.create.topics", "false"}},
                              Reports::kServed);
    if (!producer.ok()) return producer.status();
    auto writer = std::unique_ptr<KafkaWriter>(
        new KafkaWriter(o, local_dir, std::move(mirror).value(), std::move(producer).value()));
    // Fences every older writer of the topic (and ends its open
    // transaction), so that the end read next is final.
    LEDGER_RETURN_IF_ERROR(
        writer->Check(rd_kafka_init_transactions(writer->rk_.get(), Millis(o.timeout)),
                      "init_transactions (transactional.id " + o.transactional_id + ")"));
    // The producer's own metadata of the topic, before the first batch waits
    // for it.
    LEDGER_RETURN_IF_ERROR(CheckSinglePartition(writer->rk_.get(), o));
    LEDGER_RETURN_IF_ERROR((*reader)->Refresh());
    writer->reader_ = std::move(reader).value();
    LEDGER_RETURN_IF_ERROR(writer->OpenAtEnd());
    KafkaWriter* w = writer.get();
    writer->mirror_thread_ = std::thread([w] { w->MirrorLoop(); });
    pthread_setname_np(writer->mirror_thread_.native_handle(), "ledger-mirror");  // profilers
    return std::unique_ptr<EventLog>(std::move(writer));
  }

  uint64_t StateSize() const override { return state_size_; }
  Status SaveState(uint64_t size, const Hash& head,
                   std::span<const StateWrite> state) override {
    LEDGER_RETURN_IF_ERROR(failed_);
    if (size <= state_size_ || size > size_) {
      return Status::InvalidArgument(fmt::format(
          "save the decision state as of {} records: it reflects {} of the {} committed", size,
          state_size_, size_.load()));
    }
    LEDGER_RETURN_IF_ERROR(Drain());
    Hash link{};
    LEDGER_RETURN_IF_ERROR(mirror_->Read(size - 1, 1, [&](const LogEntry& e) {
      link = e.chain_hash;
      return false;
    }));
    if (link != head) {
      return Status::InvalidArgument(
          fmt::format("save the decision state as of {} records: the head given is not the "
                      "chain hash of position {}",
                      size, size - 1));
    }
    std::lock_guard io(mirror_io_mu_);
    LEDGER_RETURN_IF_ERROR(mirror_->PutState(size, head, state));
    state_size_ = size;
    return Status::OK();
  }

  Status ScanState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override {
    LEDGER_RETURN_IF_ERROR(Drain());
    return mirror_->ScanState(visit);
  }
  uint64_t Size() const override { return size_; }
  Hash HeadHash() const override { return head_; }
  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->Read(from, limit, visit);
  }
  Status WaitForMore(uint64_t, std::chrono::milliseconds) override {
    return Status::OK();  // the only writer sees its own appends at once
  }
  Result<Hash> TreeNode(uint8_t level, uint64_t index) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->TreeNode(level, index);
  }
  Status TreeNodes(std::span<const TreeNodeId> ids, Hash* out) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->TreeNodes(ids, out);
  }
  Status ReadTreeLevel(uint8_t level, uint64_t from, uint64_t limit,
                       const std::function<bool(uint64_t, const Hash&)>& visit) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->ReadTreeLevel(level, from, limit, visit);
  }
  Status CopyLocally() override { return CopyRecords(); }
  Status PutCheckpoint(uint64_t size, std::string_view note) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->PutCheckpoint(size, note);
  }
  Status ReadCheckpoints(
      const std::function<bool(uint64_t size, std::string_view note)>& visit) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->ReadCheckpoints(visit);
  }

 private:
  KafkaWriter(KafkaOptions o, std::string local_dir, std::unique_ptr<MirrorLog> mirror,
              KafkaPtr rk)
      : opts_(std::move(o)),
        local_dir_(std::move(local_dir)),
        mirror_(std::move(mirror)),
        rk_(std::move(rk)) {}

  // Append: the events (verified: EventLog::Append) framed as records at the
  // next positions, produced and committed as one Kafka transaction, then
  // `state` queued for the mirror with the new size and chain head. The
  // state follows only a state that reflects every record before the batch.
  Result<uint64_t> AppendChecked(std::span<const std::string> events,
                                 std::vector<StateWrite>&& state) override {
    LEDGER_RETURN_IF_ERROR(failed_);
    LEDGER_RETURN_IF_ERROR(MirrorFailure());
    const uint64_t first = size_;
    const bool state_follows = state_size_ == first;
    if (!state.empty() && !state_follows) {
      return Status::InvalidArgument(fmt::format(
          "append at position {}: the decision state reflects {} records; bring it up to date "
          "first (core/command/decision_store.h)",
          first, state_size_));
    }
    if (events.empty()) {
      if (state_follows) Enqueue(first, head_, std::move(state));
      return first;
    }
    const int64_t now = NowMicros();
    std::vector<const fb::Event*> decoded(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      decoded[i] = fb::GetSizePrefixedEvent(events[i].data());
    }
    LEDGER_RETURN_IF_ERROR(Check(rd_kafka_begin_transaction(rk_.get()), "begin_transaction"));
    Hash link = head_;
    // Each record is framed in one buffer, hashed into the chain and copied
    // into its message: nothing keeps it afterwards (the mirror copies the
    // records from the topic), so no record is allocated on its own.
    std::string record;
    for (size_t i = 0; i < events.size(); ++i) {
      record.clear();
      AppendRecord(first + i, now, events[i], &record);
      link = ChainHash(link, record);
      Status st = Produce(first + i, now, *decoded[i], record, link);
      if (!st.ok()) {
        if (failed_.ok()) Abort();
        return failed_.ok() ? st : failed_;  // the abort may find the writer fenced
      }
    }
    for (int attempt = 1;; ++attempt) {
      rd_kafka_error_t* error = rd_kafka_commit_transaction(rk_.get(), Millis(opts_.timeout));
      if (error == nullptr) break;
      const bool retry = rd_kafka_error_is_retriable(error) && attempt < 4;
      const bool abort = rd_kafka_error_txn_requires_abort(error);
      Status st = Check(error, fmt::format("commit_transaction of positions {}..{}", first,
                                           first + events.size() - 1));
      if (retry) continue;
      if (abort && failed_.ok()) {
        Abort();
        // A writer fenced while it committed may learn it only now (the
        // commit answered an unknown broker error): it stops as fenced.
        if (!failed_.ok()) return failed_;
        return st.WithContext("nothing of the batch was written");
      }
      // The outcome is unknown (or the writer is fenced): stop; a new
      // writer reads the topic to its end and knows.
      if (failed_.ok()) failed_ = st.WithContext("the writer stops; reopen it");
      return failed_;
    }
    // Committed: the topic holds the batch. Its state follows on the mirror's
    // thread; the records stay on the topic until read (CopyRecords).
    size_ = first + events.size();
    head_ = link;
    if (state_follows) {
      Enqueue(size_, link, std::move(state));
      state_size_ = size_;
    }
    return first;
  }

  // The decision state after a committed batch, for the mirror: as of `size`
  // records, whose chain ends in `head`.
  struct MirrorJob {
    uint64_t size = 0;
    Hash head{};
    std::vector<StateWrite> state;
  };

  // Queues a committed batch's state for the mirror; waits while one is
  // already queued behind the one being written (bounded memory).
  void Enqueue(uint64_t size, const Hash& head, std::vector<StateWrite> state) {
    MirrorJob job{size, head, std::move(state)};
    {
      std::unique_lock lock(mirror_mu_);
      mirror_cv_.wait(lock, [&] { return mirror_queue_.empty() || !mirror_failed_.ok(); });
      mirror_queue_.push_back(std::move(job));
    }
    mirror_cv_.notify_all();
  }

  // Waits until the mirror holds the state of everything committed; its
  // error, if any.
  Status Drain() {
    std::unique_lock lock(mirror_mu_);
    mirror_cv_.wait(
        lock, [&] { return (mirror_queue_.empty() && !mirror_busy_) || !mirror_failed_.ok(); });
    return mirror_failed_;
  }

  Status MirrorFailure() {
    std::lock_guard lock(mirror_mu_);
    return mirror_failed_;
  }

  void MirrorLoop() {
    while (true) {
      MirrorJob job;
      {
        std::unique_lock lock(mirror_mu_);
        mirror_cv_.wait(lock, [&] { return stop_ || !mirror_queue_.empty(); });
        if (mirror_queue_.empty()) return;  // stopping, all written
        job = std::move(mirror_queue_.front());
        mirror_queue_.pop_front();
        mirror_busy_ = true;
      }
      mirror_cv_.notify_all();
      Status st = Status::OK();
      if (mirror_failed_.ok()) {
        std::lock_guard io(mirror_io_mu_);
        st = mirror_->PutState(job.size, job.head, job.state);
      }
      {
        std::lock_guard lock(mirror_mu_);
        mirror_busy_ = false;
        if (!st.ok() && mirror_failed_.ok()) {
          // The topic has the batch; the writer stops so that the mirror
          // never gets a gap. A new writer copies what the mirror lacks.
          mirror_failed_ = st.WithContext(fmt::format(
              "a batch is committed to {} but its decision state was not saved in {}; reopen "
              "the writer to copy it",
              Where(opts_), local_dir_));
        }
      }
      mirror_cv_.notify_all();
    }
  }

  // Converts a transactional API error; a fenced or otherwise fatal producer
  // stops the writer for good.
  Status Check(rd_kafka_error_t* error, const std::string& what) {
    if (error == nullptr) return Status::OK();
    rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    std::string message = rd_kafka_error_string(error);
    const bool fatal = rd_kafka_error_is_fatal(error);
    rd_kafka_error_destroy(error);
    if (fatal) {
      char reason[512];
      rd_kafka_resp_err_t underlying = rd_kafka_fatal_error(rk_.get(), reason, sizeof reason);
      if (underlying != RD_KAFKA_RESP_ERR_NO_ERROR) {
        code = underlying;
        message = reason;
      }
    }
    if (IsFenced(code)) {
      failed_ = Status::Conflict(fmt::format(
          "fenced: another writer opened topic {} (transactional.id {}); this writer stops: {}",
          opts_.topic, opts_.transactional_id, message));
      return failed_;
    }
    Status st = Status::Unavailable(fmt::format("{}: {}: {}", Where(opts_), what, message));
    if (fatal) failed_ = st;
    return st;
  }

  void Abort() {
    Status st =
        Check(rd_kafka_abort_transaction(rk_.get(), Millis(opts_.timeout)), "abort_transaction");
    if (!st.ok() && failed_.ok()) failed_ = st.WithContext("the writer stops; reopen it");
  }

  Status Produce(uint64_t position, int64_t recorded_at, const fb::Event& event,
                 const std::string& record, const Hash& link) {
    const KafkaRecordHeaders headers = HeadersOf(position, event, link);
    while (true) {
      const auto err = static_cast<rd_kafka_resp_err_t>(
          ProduceRecordMessage(rk_.get(), opts_.topic, record, recorded_at, headers));
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk_.get(), 10);
        continue;
      }
      if (err == RD_KAFKA_RESP_ERR__FATAL || IsFenced(err)) {
        char reason[512];
        rd_kafka_resp_err_t underlying = rd_kafka_fatal_error(rk_.get(), reason, sizeof reason);
        if (IsFenced(err) || IsFenced(underlying)) {
          failed_ = Status::Conflict(fmt::format(
              "fenced: another writer opened topic {} (transactional.id {}); this writer stops",
              opts_.topic, opts_.transactional_id));
        } else {
          failed_ = Status::Unavailable(fmt::format("{}: produce: {}", Where(opts_), reason));
        }
        return failed_;
      }
      return Status::Unavailable(fmt::format("position {}: {}: produce: {}", position, Where(opts_),
                                             rd_kafka_err2str(err)));
    }
  }

  // Checks that the topic's record at `size` - 1 has chain hash `head` (what
  // the mirror holds of `what`): otherwise the mirror is of another topic.
  Status CheckContinues(uint64_t size, const Hash& head, const char* what) {
    if (size > reader_->Size()) {
      return Status::Corruption(fmt::format(
          "the mirror in {} holds {} of {} records but {} only {}: the mirror is not of this "
          "topic (or the topic lost records)",
          local_dir_, what, size, Where(opts_), reader_->Size()));
    }
    if (size == 0) return Status::OK();
    Hash theirs{};
    LEDGER_RETURN_IF_ERROR(reader_->Read(size - 1, 1, [&](const LogEntry& e) {
      theirs = e.chain_hash;
      return false;
    }));
    if (theirs != head) {
      return Status::Corruption(fmt::format(
          "position {}: the mirror in {} and {} disagree (chain hash {} vs {}): the mirror is "
          "not of this topic",
          size - 1, local_dir_, Where(opts_), ToHex(head), ToHex(theirs)));
    }
    return Status::OK();
  }

  // Reads records [from, from + count) of the topic, each checked to continue
  // the chain from *link, and gives each to `visit` with its event (and with
  // *link then its chain hash).
  Status ReadChain(uint64_t from, uint64_t count, Hash* link,
                   const std::function<void(const LogEntry&, const fb::Event&)>& visit) {
    Status failure;
    uint64_t got = 0;
    LEDGER_RETURN_IF_ERROR(reader_->Read(from, count, [&](const LogEntry& e) {
      const std::string where = fmt::format("position {}: {}", e.record.position, Where(opts_));
      auto event = events::DecodeEvent(e.record.event);
      if (!event.ok()) {
        failure = event.status().WithContext(where);
        return false;
      }
      *link = ChainHash(*link, e.record.bytes);
      if (*link != e.chain_hash) {
        failure = Status::Corruption(where + ": the chain header does not match the record");
        return false;
      }
      visit(e, **event);
      ++got;
      return true;
    }));
    LEDGER_RETURN_IF_ERROR(failure);
    if (got != count) {
      return Status::Corruption(
          fmt::format("position {}: {} ended early", from + got, Where(opts_)));
    }
    return Status::OK();
  }

  // On open: checks that the topic continues the chain the decision state
  // was saved at, and takes the topic's end as the log's. When the state
  // lags the topic, the records it lacks are copied into the mirror first
  // (their chain checked), so that the caller that catches the state up
  // (core/command/decision_store.h) reads them locally.
  Status OpenAtEnd() {
    state_size_ = mirror_->StateSize();
    const Hash state_head = mirror_->StateHead();
    LEDGER_RETURN_IF_ERROR(CheckContinues(state_size_, state_head, "the decision state"));
    size_ = reader_->Size();
    head_ = state_head;
    if (state_size_ == size_) return Status::OK();
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    head_ = mirror_->HeadHash();
    return Status::OK();
  }

  // Before a read: copies the committed records the mirror lacks (and their
  // tree nodes) from the topic, after checking that the topic continues the
  // mirror's chain. The state is waited for too (Drain).
  Status CopyRecords() {
    LEDGER_RETURN_IF_ERROR(Drain());
    uint64_t m = mirror_->Size();
    const uint64_t n = size_;
    if (m >= n) return Status::OK();
    // A commit returns before the broker has written its transaction markers:
    // a read-committed reader may see the batch a moment later.
    const auto deadline = Clock::now() + opts_.timeout;
    while (reader_->Size() < n) {
      LEDGER_RETURN_IF_ERROR(reader_->Refresh());
      if (reader_->Size() >= n) break;
      if (Clock::now() >= deadline) {
        return Status::Unavailable(fmt::format(
            "{} shows {} committed records to readers within {} ms, not the {} committed",
            Where(opts_), reader_->Size(), opts_.timeout.count(), n));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    Hash link = mirror_->HeadHash();
    LEDGER_RETURN_IF_ERROR(CheckContinues(m, link, "the records"));
    while (m < n) {
      const uint64_t count = std::min<uint64_t>(kCatchUpBatch, n - m);
      std::vector<std::string> records;
      std::vector<Hash> links;  // checked against the headers: not hashed again
      records.reserve(count);
      links.reserve(count);
      LEDGER_RETURN_IF_ERROR(ReadChain(m, count, &link, [&](const LogEntry& e, const fb::Event&) {
        records.emplace_back(e.record.bytes);
        links.push_back(link);
      }));
      std::lock_guard io(mirror_io_mu_);
      LEDGER_RETURN_IF_ERROR(
          mirror_->AppendOwnRecords(records, links, {})
              .status()
              .WithContext(fmt::format("copy the records of {} into the mirror in {}", Where(opts_),
                                       local_dir_)));
      m += count;
    }
    return Status::OK();
  }

  KafkaOptions opts_;
  std::string local_dir_;
  std::unique_ptr<MirrorLog> mirror_;
  KafkaPtr rk_;
  std::unique_ptr<KafkaReader> reader_;  // the topic, for OpenAtEnd and CopyRecords
  Status failed_;                        // once set, every Append answers it
  std::atomic<uint64_t> size_{0};        // committed to the topic (the mirror may be behind)
  Hash head_{};
  uint64_t state_size_ = 0;  // the records the state handed to the mirror reflects
  std::mutex mirror_io_mu_;  // one write into the mirror at a time

  std::thread mirror_thread_;
  std::mutex mirror_mu_;  // guards the fields below
  std::condition_variable mirror_cv_;
  std::deque<MirrorJob> mirror_queue_;
  bool mirror_busy_ = false;  // a job is being written
  bool stop_ = false;
  Status mirror_failed_;  // set by the mirror thread only
};

// The client the topic verbs (create, delete) send their admin requests with.
Result<KafkaPtr> NewAdminClient(const KafkaOptions& o) {
  return NewClient(RD_KAFKA_PRODUCER,
                   {{"bootstrap.servers", o.brokers}, {"client.id", "ledger-admin"}});
}

// Runs one topic admin request (`request` sends it with the options and
// queue given) and waits for its answer: the error of the one topic it names
// in *code and *message (as `results` lists them). Unavailable when the
// cluster does not answer in time.
template <typename Request, typename Results>
Status RunTopicAdmin(rd_kafka_t* rk, const KafkaOptions& o, rd_kafka_admin_op_t op,
                     const Request& request, const Results& results, rd_kafka_resp_err_t* code,
                     std::string* message) {
  char err[512];
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, op);
  rd_kafka_AdminOptions_set_request_timeout(options, Millis(o.timeout), err, sizeof err);
  rd_kafka_AdminOptions_set_operation_timeout(options, Millis(o.timeout), err, sizeof err);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  request(options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, Millis(o.timeout) + 5000);
  Status st;
  *code = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (event == nullptr) {
    st = Status::Unavailable(
        fmt::format("{}: no answer to {}", Where(o),
                    op == RD_KAFKA_ADMIN_OP_CREATETOPICS ? "CreateTopics" : "DeleteTopics"));
  } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    *code = rd_kafka_event_error(event);
    *message = rd_kafka_event_error_string(event);
  } else {
    size_t count = 0;
    const rd_kafka_topic_result_t** topics = results(event, &count);
    if (count == 1) {
      *code = rd_kafka_topic_result_error(topics[0]);
      const char* s = rd_kafka_topic_result_error_string(topics[0]);
      *message = s == nullptr ? rd_kafka_err2str(*code) : s;
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_AdminOptions_destroy(options);
  return st;
}

}  // namespace

Status CreateKafkaTopic(const KafkaOptions& o, bool* existed) {
  if (existed != nullptr) *existed = false;
  if (o.replication_factor < 1) {
    return Status::InvalidArgument("replication factor must be at least 1");
  }
  auto rk = NewAdminClient(o);
  if (!rk.ok()) return rk.status();
  char err[512];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(o.topic.c_str(), 1, o.replication_factor, err, sizeof err);
  if (topic == nullptr) return Status::InvalidArgument(Where(o) + ": " + err);
  const std::string min_isr = std::to_string(std::max(1, o.replication_factor - 1));
  rd_kafka_NewTopic_set_config(topic, "min.insync.replicas", min_isr.c_str());
  rd_kafka_NewTopic_set_config(topic, "cleanup.policy", "delete");
  rd_kafka_NewTopic_set_config(topic, "retention.ms", "-1");
  rd_kafka_NewTopic_set_config(topic, "retention.bytes", "-1");
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  Status st = RunTopicAdmin(
      rk->get(), o, RD_KAFKA_ADMIN_OP_CREATETOPICS,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_CreateTopics(rk->get(), &topic, 1, options, queue);
      },
      [](rd_kafka_event_t* event, size_t* count) {
        return rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event),
                                                   count);
      },
      &code, &message);
  rd_kafka_NewTopic_destroy(topic);
  LEDGER_RETURN_IF_ERROR(st);
  if (code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    if (existed != nullptr) *existed = true;
    return CheckSinglePartition(rk->get(), o);
  }
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: create topic: {}", Where(o), message));
  }
  // CreateTopics answers once the controller made the topic; the brokers'
  // metadata may show it a moment later. Wait for it, so that the client
  // opened next (the writer of `ledger init`) finds the topic.
  const auto deadline = Clock::now() + o.timeout;
  while (true) {
    auto n = PartitionCount(rk->get(), o);
    if (n.ok()) return Status::OK();
    if (!n.status().IsNotFound() || Clock::now() >= deadline) return n.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status DeleteKafkaTopic(const KafkaOptions& o) {
  auto rk = NewAdminClient(o);
  if (!rk.ok()) return rk.status();
  rd_kafka_DeleteTopic_t* topic = rd_kafka_DeleteTopic_new(o.topic.c_str());
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  Status st = RunTopicAdmin(
      rk->get(), o, RD_KAFKA_ADMIN_OP_DELETETOPICS,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DeleteTopics(rk->get(), &topic, 1, options, queue);
      },
      [](rd_kafka_event_t* event, size_t* count) {
        return rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event),
                                                   count);
      },
      &code, &message);
  rd_kafka_DeleteTopic_destroy(topic);
  LEDGER_RETURN_IF_ERROR(st);
  if (code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound(Where(o) + ": no such topic");
  }
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Unavailable(fmt::format("{}: delete topic: {}", Where(o), message));
  }
  return Status::OK();
}

KafkaRecordHeaders HeadersOf(uint64_t position, const fb::Event& event, const Hash& chain) {
  KafkaRecordHeaders h;
  h.type = events::TypeName(event.data_type());
  h.event_id = event.id()->string_view();
  h.schema_size =
      static_cast<uint8_t>(fmt::format_to(h.schema_digits.data(), "{}", event.schema_version()) -
                           h.schema_digits.data());
  h.position_size = static_cast<uint8_t>(fmt::format_to(h.position_digits.data(), "{}", position) -
                                         h.position_digits.data());
  HexInto(Sha256::AsBytes(chain), h.chain_hex.data());
  return h;
}

int ProduceRecordMessage(rd_kafka_s* rk, const std::string& topic, std::string_view record,
                         int64_t recorded_at_us, const KafkaRecordHeaders& h) {
  auto header = [](const auto& v) { return static_cast<ssize_t>(v.size()); };
  return rd_kafka_producev(
      rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(kPartition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_VALUE(const_cast<char*>(record.data()), record.size()),
      RD_KAFKA_V_KEY(h.event_id.data(), h.event_id.size()),
      RD_KAFKA_V_TIMESTAMP(recorded_at_us / 1000),
      RD_KAFKA_V_HEADER(kTypeHeader, h.type.data(), header(h.type)),
      RD_KAFKA_V_HEADER(kSchemaHeader, h.schema().data(), header(h.schema())),
      RD_KAFKA_V_HEADER(kEventIdHeader, h.event_id.data(), header(h.event_id)),
      RD_KAFKA_V_HEADER(kPositionHeader, h.position().data(), header(h.position())),
      RD_KAFKA_V_HEADER(kChainHeader, h.chain().data(), header(h.chain())), RD_KAFKA_V_END);
}

Result<std::unique_ptr<EventLog>> OpenKafkaLog(const KafkaOptions& options,
                                               const std::string& local_dir, OpenMode mode) {
  if (options.brokers.empty()) return Status::InvalidArgument("no Kafka brokers given");
  if (options.topic.empty()) return Status::InvalidArgument("no Kafka topic given");
  if (mode == OpenMode::kRead) {
    auto reader = KafkaReader::Open(options);
    if (!reader.ok()) return reader.status();
    LEDGER_RETURN_IF_ERROR((*reader)->Refresh());
    return std::unique_ptr<EventLog>(std::move(reader).value());
  }
  return KafkaWriter::Open(options, local_dir, mode);
}

}  // namespace ledger::core
