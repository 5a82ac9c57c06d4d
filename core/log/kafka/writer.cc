#include "core/log/kafka/writer.h"

#include <fmt/core.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <filesystem>
#include <utility>
#include <vector>

#include "core/log/kafka/admin.h"
#include "core/log/kafka/client.h"
#include "core/log/kafka/message.h"
#include "core/log/kafka/mirror.h"
#include "core/log/kafka/reader.h"

namespace ledger::core::kafka {
namespace {

bool IsFenced(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
}

// librdkafka 2.0.2's flush (which commit_transaction runs) polls for
// delivery reports in steps of up to 10 ms and wakes early only when a report
// arrives; a producer without a report callback gets none, so each commit
// would sleep out the rest of a step after its last acknowledgement. The
// writer has nothing to do per message (the commit reports any failure), but
// the callback makes librdkafka queue the reports that end the wait.
void IgnoreDelivery(rd_kafka_t*, const rd_kafka_message_t*, void*) {}

// The transactional producer, and the mirror (mirror.h) for the decision
// state and for every read.
class KafkaWriter final : public EventLog {
 public:
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
    auto mirror = KafkaMirror::Open(o, local_dir, std::move(reader).value());
    if (!mirror.ok()) return mirror.status();
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
                              IgnoreDelivery);
    if (!producer.ok()) return producer.status();
    auto writer = std::unique_ptr<KafkaWriter>(
        new KafkaWriter(o, std::move(producer).value(), std::move(mirror).value()));
    // Fences every older writer of the topic (and ends its open
    // transaction), so that the end read next is final.
    LEDGER_RETURN_IF_ERROR(
        writer->Check(rd_kafka_init_transactions(writer->rk_.get(), Millis(o.timeout)),
                      "init_transactions (transactional.id " + o.transactional_id + ")"));
    // The producer's own metadata of the topic, before the first batch waits
    // for it.
    LEDGER_RETURN_IF_ERROR(CheckSinglePartition(writer->rk_.get(), o));
    auto end = writer->mirror_->OpenAtEnd();
    if (!end.ok()) return end.status();
    writer->size_ = end->size;
    writer->head_ = end->head;
    writer->state_size_ = end->state_size;
    return std::unique_ptr<EventLog>(std::move(writer));
  }

  uint64_t StateSize() const override { return state_size_; }
  Status SaveState(uint64_t size, const Hash& head, std::span<const StateWrite> state) override {
    LEDGER_RETURN_IF_ERROR(failed_);
    if (size <= state_size_ || size > size_) {
      return Status::InvalidArgument(fmt::format(
          "save the decision state as of {} records: it reflects {} of the {} committed", size,
          state_size_, size_.load()));
    }
    LEDGER_RETURN_IF_ERROR(mirror_->SaveState(size, head, state));
    state_size_ = size;
    return Status::OK();
  }

  Status ScanState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override {
    return mirror_->ScanState(visit);
  }
  uint64_t Size() const override { return size_; }
  Hash HeadHash() const override { return head_; }
  Status Read(uint64_t from, uint64_t limit,
              const std::function<bool(const LogEntry&)>& visit) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->log().Read(from, limit, visit);
  }
  Status WaitForMore(uint64_t, std::chrono::milliseconds) override {
    return Status::OK();  // the only writer sees its own appends at once
  }
  Result<Hash> TreeNode(uint8_t level, uint64_t index) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->log().TreeNode(level, index);
  }
  Status TreeNodes(std::span<const TreeNodeId> ids, Hash* out) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->log().TreeNodes(ids, out);
  }
  Status ReadTreeLevel(uint8_t level, uint64_t from, uint64_t limit,
                       const std::function<bool(uint64_t, const Hash&)>& visit) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->log().ReadTreeLevel(level, from, limit, visit);
  }
  Status CopyLocally() override { return CopyRecords(); }
  Status PutCheckpoint(uint64_t size, std::string_view note) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->log().PutCheckpoint(size, note);
  }
  Status ReadCheckpoints(
      const std::function<bool(uint64_t size, std::string_view note)>& visit) override {
    LEDGER_RETURN_IF_ERROR(CopyRecords());
    return mirror_->log().ReadCheckpoints(visit);
  }

 private:
  KafkaWriter(KafkaOptions o, KafkaPtr rk, std::unique_ptr<KafkaMirror> mirror)
      : opts_(std::move(o)), rk_(std::move(rk)), mirror_(std::move(mirror)) {}

  Status CopyRecords() { return mirror_->CopyRecords(size_); }

  // Append: the events (verified: EventLog::Append) framed as records at the
  // next positions, produced and committed as one Kafka transaction, then
  // `state` queued for the mirror with the new size and chain head. The
  // state follows only a state that reflects every record before the batch.
  Result<uint64_t> AppendChecked(std::span<const std::string> events,
                                 std::vector<StateWrite>&& state) override {
    LEDGER_RETURN_IF_ERROR(failed_);
    LEDGER_RETURN_IF_ERROR(mirror_->Failure());
    const uint64_t first = size_;
    const bool state_follows = state_size_ == first;
    if (!state.empty() && !state_follows) {
      return Status::InvalidArgument(fmt::format(
          "append at position {}: the decision state reflects {} records; bring it up to date "
          "first (core/command/decision_store.h)",
          first, state_size_));
    }
    if (events.empty()) {
      if (state_follows) mirror_->Enqueue(first, head_, std::move(state));
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
      mirror_->Enqueue(size_, link, std::move(state));
      state_size_ = size_;
    }
    return first;
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
      const rd_kafka_resp_err_t err =
          ProduceRecordMessage(rk_.get(), opts_.topic, record, recorded_at, headers);
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

  KafkaOptions opts_;
  KafkaPtr rk_;
  // Declared after the producer, so it goes first: its reader, then the
  // states still queued.
  std::unique_ptr<KafkaMirror> mirror_;
  Status failed_;                  // once set, every Append answers it
  std::atomic<uint64_t> size_{0};  // committed to the topic (the mirror may be behind)
  Hash head_{};
  uint64_t state_size_ = 0;  // the records the state handed to the mirror reflects
};

}  // namespace

Result<std::unique_ptr<EventLog>> OpenKafkaWriter(KafkaOptions o, const std::string& local_dir,
                                                  OpenMode mode) {
  return KafkaWriter::Open(std::move(o), local_dir, mode);
}

}  // namespace ledger::core::kafka
