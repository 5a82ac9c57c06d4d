#include "core/log/kafka/mirror.h"

#include <fmt/core.h>
#include <pthread.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/util/encoding.h"

namespace ledger::core::kafka {

Result<std::unique_ptr<KafkaMirror>> KafkaMirror::Open(const KafkaOptions& o,
                                                       const std::string& local_dir,
                                                       std::unique_ptr<KafkaReader> reader) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(local_dir, ec);
  const bool have_mirror = fs::exists(fs::path(local_dir) / "CURRENT");
  auto log = OpenMirrorLog(local_dir, have_mirror ? OpenMode::kWrite : OpenMode::kCreate,
                           // The topic is the durable truth: a mirror that lost
                           // its latest writes in a machine crash is a prefix of
                           // it, refilled from the topic.
                           Sync::kNever);
  if (!log.ok()) return log.status().WithContext("the writer's mirror");
  return std::unique_ptr<KafkaMirror>(
      new KafkaMirror(o, local_dir, std::move(log).value(), std::move(reader)));
}

KafkaMirror::KafkaMirror(const KafkaOptions& o, std::string local_dir,
                         std::unique_ptr<MirrorLog> log, std::unique_ptr<KafkaReader> reader)
    : opts_(o), local_dir_(std::move(local_dir)), log_(std::move(log)), reader_(std::move(reader)) {
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "ledger-mirror");  // profilers
}

KafkaMirror::~KafkaMirror() {
  reader_.reset();  // its messages and client go before the writer's producer
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();  // after writing what was queued
}

Result<KafkaMirror::TopicEnd> KafkaMirror::OpenAtEnd() {
  LEDGER_RETURN_IF_ERROR(reader_->Refresh());
  TopicEnd end;
  end.state_size = log_->StateSize();
  const Hash state_head = log_->StateHead();
  LEDGER_RETURN_IF_ERROR(CheckContinues(end.state_size, state_head, "the decision state"));
  end.size = reader_->Size();
  end.head = state_head;
  if (end.state_size == end.size) return end;
  LEDGER_RETURN_IF_ERROR(CopyRecords(end.size));
  end.head = log_->HeadHash();
  return end;
}

void KafkaMirror::Enqueue(uint64_t size, const Hash& head, std::vector<StateWrite> state) {
  Job job{size, head, std::move(state)};
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.empty() || !failed_.ok(); });
    queue_.push_back(std::move(job));
  }
  cv_.notify_all();
}

Status KafkaMirror::Failure() {
  std::lock_guard lock(mu_);
  return failed_;
}

Status KafkaMirror::Drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return (queue_.empty() && !busy_) || !failed_.ok(); });
  return failed_;
}

void KafkaMirror::Loop() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, all written
      job = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    cv_.notify_all();
    Status st = Status::OK();
    if (failed_.ok()) {
      std::lock_guard io(io_mu_);
      st = log_->PutState(job.size, job.head, job.state);
    }
    {
      std::lock_guard lock(mu_);
      busy_ = false;
      if (!st.ok() && failed_.ok()) {
        // The topic has the batch; the writer stops so that the mirror
        // never gets a gap. A new writer copies what the mirror lacks.
        failed_ = st.WithContext(fmt::format(
            "a batch is committed to {} but its decision state was not saved in {}; reopen "
            "the writer to copy it",
            Where(opts_), local_dir_));
      }
    }
    cv_.notify_all();
  }
}

Status KafkaMirror::SaveState(uint64_t size, const Hash& head, std::span<const StateWrite> state) {
  LEDGER_RETURN_IF_ERROR(Drain());
  Hash link{};
  LEDGER_RETURN_IF_ERROR(log_->Read(size - 1, 1, [&](const LogEntry& e) {
    link = e.chain_hash;
    return false;
  }));
  if (link != head) {
    return Status::InvalidArgument(
        fmt::format("save the decision state as of {} records: the head given is not the "
                    "chain hash of position {}",
                    size, size - 1));
  }
  std::lock_guard io(io_mu_);
  return log_->PutState(size, head, state);
}

Status KafkaMirror::ScanState(
    const std::function<Status(std::string_view, std::string_view)>& visit) {
  LEDGER_RETURN_IF_ERROR(Drain());
  return log_->ScanState(visit);
}

Status KafkaMirror::CheckContinues(uint64_t size, const Hash& head, const char* what) {
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

Status KafkaMirror::ReadChain(uint64_t from, uint64_t count, Hash* link,
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
    return Status::Corruption(fmt::format("position {}: {} ended early", from + got, Where(opts_)));
  }
  return Status::OK();
}

Status KafkaMirror::CopyRecords(uint64_t committed) {
  LEDGER_RETURN_IF_ERROR(Drain());
  uint64_t m = log_->Size();
  const uint64_t n = committed;
  if (m >= n) return Status::OK();
  // A commit returns before the broker has written its transaction markers:
  // a read-committed reader may see the batch a moment later.
  const auto deadline = Clock::now() + opts_.timeout;
  while (reader_->Size() < n) {
    LEDGER_RETURN_IF_ERROR(reader_->Refresh());
    if (reader_->Size() >= n) break;
    if (Clock::now() >= deadline) {
      return Status::Unavailable(
          fmt::format("{} shows {} committed records to readers within {} ms, not the {} committed",
                      Where(opts_), reader_->Size(), opts_.timeout.count(), n));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Hash link = log_->HeadHash();
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
    std::lock_guard io(io_mu_);
    LEDGER_RETURN_IF_ERROR(
        log_->AppendOwnRecords(records, links, {})
            .status()
            .WithContext(fmt::format("copy the records of {} into the mirror in {}", Where(opts_),
                                     local_dir_)));
    m += count;
  }
  return Status::OK();
}

}  // namespace ledger::core::kafka
