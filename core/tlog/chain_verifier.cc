#include "core/tlog/chain_verifier.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/tlog/checkpoint.h"
#include "core/util/merkle.h"
#include "events/codec.h"

namespace ledger::core {
namespace {

std::string Short(const Hash& h) { return ToHex(h).substr(0, 16) + "..."; }

struct Target {
  Hash root;
  std::string whose;  // "the ledger's", "the auditor's"
};

// The records are checked in aligned chunks of 2^kChunkLevel positions, by
// every thread at once, each taking the next chunk: a perfect subtree of
// level <= kChunkLevel lies in one chunk, and a chain link is checked from the
// stored link before it (equal to the recomputed one whenever every earlier
// link checked out), so a chunk needs nothing from the others. What crosses
// chunks (the first link of a chunk, subtrees above kChunkLevel, signed roots,
// the head) is checked afterwards, in chunk order, from each chunk's summary.
constexpr uint8_t kChunkLevel = 14;
constexpr uint64_t kChunk = uint64_t{1} << kChunkLevel;

// Where a finding falls in the order of one sequential pass: at each
// position, the record itself, then the stored tree nodes completed by its
// leaf, lowest level first, then the signed root of the size it completes.
// The first finding in this order is the one reported.
struct Place {
  uint64_t position = 0;
  int stage = 0;
  auto operator<=>(const Place&) const = default;
};
constexpr int kRecordStage = 0;
constexpr int NodeStage(uint8_t level) { return 1 + level; }
constexpr int kRootStage = 100;

struct Finding {
  Place place;
  Status status;
};

// A perfect subtree (level, hash) of a chunk's decomposition.
struct Piece {
  uint8_t level = 0;
  Hash hash{};
};

// What a chunk leaves for the checks across chunks.
struct ChunkResult {
  std::optional<Finding> finding;  // the chunk's first, in sequential order
  uint64_t records = 0;            // records that passed their own checks
  std::string first_record;        // its link is checked against the chunk before
  Hash first_link{}, last_link{};  // stored links of the first and last of `records`
  std::vector<Piece> pieces;       // [first, first + records), largest first
  // For each signed size s in (first, first + records]: [first, s), largest first.
  std::vector<std::pair<uint64_t, std::vector<Piece>>> roots;
  uint64_t tree_nodes = 0;  // stored nodes compared
};

std::string NodeMismatch(uint8_t level, uint64_t index, const Hash& stored, const Hash& computed) {
  if (level == 0) {
    return "position " + std::to_string(index) + ": Merkle leaf mismatch: the stored tree has " +
           Short(stored) + ", the record hashes to " + Short(computed) +
           " (the record was rewritten with its chain links, or the tree was changed)";
  }
  uint64_t first = index << level, last = ((index + 1) << level) - 1;
  return "position " + std::to_string(first) + ": Merkle tree node (level " +
         std::to_string(level) + ", positions " + std::to_string(first) + "-" +
         std::to_string(last) + ") is " + Short(stored) + ", the records give " + Short(computed);
}

std::string ChainMismatch(uint64_t position, const Hash& stored, const Hash& computed) {
  return "position " + std::to_string(position) + ": chain hash mismatch: stored " + ToHex(stored) +
         ", recomputed " + ToHex(computed) + " (this record or the one before it was changed)";
}

// Checks the chunks of a batch of one log from several threads. The log is
// used from all of them at once only if it allows it
// (EventLog::ConcurrentReads); otherwise one at a time, and chunks are read in
// order.
class ChunkChecker {
 public:
  ChunkChecker(EventLog& log, uint64_t total, bool compare_tree, std::vector<uint64_t> signed_sizes)
      : log_(log),
        total_(total),
        compare_tree_(compare_tree),
        serial_(!log.ConcurrentReads()),
        signed_sizes_(std::move(signed_sizes)) {}

  // The next batch: chunks [first, first + count).
  void StartBatch(uint64_t first, uint64_t count) {
    first_ = first;
    results_.assign(count, ChunkResult{});
    next_ = 0;
    stop_ = UINT64_MAX;
  }

  // Checks chunks of the batch until none is left or one before has a
  // finding. Called by every thread; `progress` only by the calling thread
  // that passes it.
  void Run(const std::function<void(uint64_t, uint64_t)>& progress) {
    Scratch scratch;
    while (true) {
      uint64_t i;
      std::unique_lock<std::mutex> serial;
      if (serial_) serial = std::unique_lock<std::mutex>(mu_);
      i = next_.fetch_add(1);
      if (i >= results_.size() || i > stop_.load()) return;
      Check(first_ + i, &results_[i], &scratch, serial);
      if (results_[i].finding) {
        uint64_t stop = stop_.load();
        while (i < stop && !stop_.compare_exchange_weak(stop, i)) {
        }
      }
      done_ += results_[i].records;
      if (progress) progress(std::min(done_.load(), total_), total_);
    }
  }

  // The batch's results, chunk first_ + i at i.
  const std::vector<ChunkResult>& results() const { return results_; }

 private:
  struct Scratch {
    std::vector<Hash> levels[kChunkLevel + 1];  // the chunk's subtrees, by level
  };

  // Checks chunk k into `r`. `serial` holds the log in serial mode; it is
  // released while hashing.
  void Check(uint64_t k, ChunkResult* result, Scratch* scratch,
             std::unique_lock<std::mutex>& serial) {
    ChunkResult& r = *result;
    const uint64_t first = k * kChunk;
    const uint64_t len = std::min(kChunk, total_ - first);
    std::vector<Hash>& leaves = scratch->levels[0];
    leaves.clear();
    auto found = [&r](Place place, Status status) {
      if (!r.finding || place < r.finding->place) r.finding = Finding{place, std::move(status)};
    };
    Hash prev{};
    Status read = log_.Read(first, len, [&](const LogEntry& e) {
      const uint64_t p = first + leaves.size();
      auto event = events::DecodeEvent(e.record.event);
      if (!event.ok()) {
        found({p, kRecordStage}, event.status().WithContext("position " + std::to_string(p)));
        return false;
      }
      if (leaves.empty()) {
        r.first_record.assign(e.record.bytes);
        r.first_link = e.chain_hash;
      } else {
        Hash want = ChainHash(prev, e.record.bytes);
        if (want != e.chain_hash) {
          found({p, kRecordStage}, Status::Corruption(ChainMismatch(p, e.chain_hash, want)));
          return false;
        }
      }
      prev = e.chain_hash;
      leaves.push_back(merkle::LeafHash(e.record.bytes));
      return true;
    });
    const uint64_t n = leaves.size();
    if (!read.ok()) {
      found({first + n, kRecordStage}, std::move(read));
    } else if (n < len && !r.finding) {
      found({first + n, kRecordStage},
            Status::Corruption("position " + std::to_string(first + n) + ": the log ended early"));
    }
    r.records = n;
    r.last_link = prev;
    if (serial.owns_lock()) serial.unlock();

    // The subtrees inside the chunk, level by level.
    for (uint8_t l = 1; l <= kChunkLevel; ++l) {
      const std::vector<Hash>& below = scratch->levels[l - 1];
      std::vector<Hash>& here = scratch->levels[l];
      here.resize(below.size() / 2);
      for (size_t i = 0; i < here.size(); ++i) {
        here[i] = merkle::NodeHash(below[2 * i], below[2 * i + 1]);
      }
    }
    auto pieces_to = [&](uint64_t count) {  // [first, first + count), largest first
      std::vector<Piece> out;
      uint64_t offset = 0;
      for (int l = kChunkLevel; l >= 0; --l) {
        if (!(count & (uint64_t{1} << l))) continue;
        out.push_back({static_cast<uint8_t>(l), scratch->levels[l][offset >> l]});
        offset += uint64_t{1} << l;
      }
      return out;
    };
    r.pieces = pieces_to(n);
    for (auto it = std::upper_bound(signed_sizes_.begin(), signed_sizes_.end(), first);
         it != signed_sizes_.end() && *it <= first + n; ++it) {
      r.roots.emplace_back(*it, pieces_to(*it - first));
    }

    // ... against the stored tree.
    if (!compare_tree_) return;
    if (serial_) serial = std::unique_lock<std::mutex>(mu_);
    for (uint8_t l = 0; l <= kChunkLevel; ++l) {
      const std::vector<Hash>& computed = scratch->levels[l];
      if (computed.empty()) break;
      const uint64_t from = first >> l;
      uint64_t at = from;
      Status st = log_.ReadTreeLevel(l, from, computed.size(), [&](uint64_t i, const Hash& h) {
        if (h != computed[i - from]) {
          found({((i + 1) << l) - 1, NodeStage(l)},
                Status::Corruption(NodeMismatch(l, i, h, computed[i - from])));
          return false;
        }
        ++at;
        return true;
      });
      r.tree_nodes += at - from;
      if (!st.ok()) found({((at + 1) << l) - 1, NodeStage(l)}, std::move(st));
    }
  }

  EventLog& log_;
  const uint64_t total_;
  const bool compare_tree_;
  const bool serial_;
  const std::vector<uint64_t> signed_sizes_;
  std::mutex mu_;                           // the log, in serial mode
  uint64_t first_ = 0;                      // the batch's first chunk
  std::atomic<uint64_t> next_{0};           // the next chunk of the batch to take
  std::atomic<uint64_t> stop_{UINT64_MAX};  // the first chunk of the batch with a finding
  std::atomic<uint64_t> done_{0};
  std::vector<ChunkResult> results_;  // one per chunk of the batch; each written by one thread
};

}  // namespace

Result<ChainReport> VerifyLedger(EventLog& log, const VerifyOptions& options) {
  const uint64_t total = log.Size();
  ChainReport report;
  // The head's size is checked against the records before anything is sized
  // by it: a damaged head must not make the check allocate or read for it.
  auto stored = log.StoredRecords();
  if (!stored.ok()) return stored.status();
  if (*stored != total) {
    return Status::Corruption("position " + std::to_string(std::min(*stored, total)) +
                              ": the head says " + std::to_string(total) +
                              " records but the log ends at " + std::to_string(*stored));
  }

  // The roots signed for each size, from the ledger and from the auditor.
  std::map<uint64_t, Target> targets;
  if (options.key != nullptr) {
    auto kept = KeptCheckpoints(log, *options.key);
    if (!kept.ok()) return kept.status();
    for (const auto& c : *kept) targets[c.checkpoint.size] = {c.checkpoint.root, "the ledger's"};
    for (const auto& note : options.auditor_checkpoints) {
      auto c = OpenCheckpoint(note, *options.key);
      if (!c.ok()) return c.status().WithContext("the auditor's checkpoint");
      auto [it, fresh] =
          targets.try_emplace(c->checkpoint.size, Target{c->checkpoint.root, "the auditor's"});
      if (!fresh && it->second.root != c->checkpoint.root) {
        return Status::Corruption("fork at size " + std::to_string(c->checkpoint.size) +
                                  ": two different signed roots for the same size, the auditor's " +
                                  Short(c->checkpoint.root) + " and the ledger's " +
                                  Short(it->second.root) +
                                  " (the history shown now is not the one signed before)");
      }
    }
  } else if (!options.auditor_checkpoints.empty()) {
    return Status::InvalidArgument("checking an auditor's checkpoints needs the verifier key");
  }
  if (!targets.empty() && targets.rbegin()->first > total) {
    return Status::Corruption("checkpoint at size " + std::to_string(targets.rbegin()->first) +
                              ": signed by " + targets.rbegin()->second.whose +
                              " key, but the log has only " + std::to_string(total) +
                              " records (the log was truncated)");
  }
  auto next_target = targets.begin();
  while (next_target != targets.end() && next_target->first == 0) {
    if (next_target->second.root != merkle::EmptyRoot()) {
      return Status::Corruption("checkpoint at size 0: the root is not the empty tree's");
    }
    ++report.checkpoints;
    ++next_target;
  }

  // Is there a stored tree to compare with? (Not on a backend that keeps
  // none, such as a Kafka reader.)
  bool compare_tree = true;
  if (total > 0) {
    Status probe = log.ReadTreeLevel(0, 0, 1, [](uint64_t, const Hash&) { return true; });
    if (probe.code() == Status::Code::kUnavailable) {
      compare_tree = false;
    } else {
      LEDGER_RETURN_IF_ERROR(probe);
    }
  }

  // Every chunk, on every core, a batch at a time (so that memory stays
  // bounded whatever size the store claims); across chunks, in order, once
  // the batch is checked: the first link of each chunk, the subtrees above
  // the chunks, the signed roots; then the head.
  std::vector<uint64_t> signed_sizes;
  for (auto it = next_target; it != targets.end(); ++it) signed_sizes.push_back(it->first);
  ChunkChecker checker(log, total, compare_tree, std::move(signed_sizes));
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  const uint64_t chunks = total / kChunk + (total % kChunk != 0);
  merkle::Frontier tree;
  Hash prev{};  // the last link checked
  auto check_root = [&](const Hash& root) -> Status {
    if (root == next_target->second.root) {
      ++report.checkpoints;
      ++next_target;
      return Status::OK();
    }
    const uint64_t size = next_target->first;
    std::string what =
        next_target->second.whose == "the auditor's" ? "fork at size " : "checkpoint at size ";
    return Status::Corruption(what + std::to_string(size) + ": " + next_target->second.whose +
                              " signed root is " + Short(next_target->second.root) +
                              ", the records give " + Short(root) + " (records before position " +
                              std::to_string(size) + " were changed after it was signed)");
  };
  const uint64_t batch = std::max<uint64_t>(options.chunks_per_batch, 1);
  for (uint64_t k = 0; k < chunks; ++k) {
    if (k % batch == 0) {
      const uint64_t count = std::min(batch, chunks - k);
      checker.StartBatch(k, count);
      std::vector<std::jthread> helpers;
      for (unsigned t = 1; t < threads && t < count; ++t) {
        helpers.emplace_back([&checker] { checker.Run({}); });
      }
      checker.Run(options.progress);
    }
    const ChunkResult& r = checker.results()[k % batch];
    const uint64_t first = k * kChunk;
    const std::optional<Finding>& finding = r.finding;
    if (finding && finding->place == Place{first, kRecordStage}) return finding->status;
    if (r.records > 0) {
      Hash want = ChainHash(prev, r.first_record);
      if (want != r.first_link) return Status::Corruption(ChainMismatch(first, r.first_link, want));
    }
    // Signed sizes inside the chunk (a size at its end: below, after its nodes).
    for (const auto& [size, pieces] : r.roots) {
      if (size == first + r.records && !finding) break;
      if (finding && !(Place{size - 1, kRootStage} < finding->place)) break;
      merkle::Frontier at = tree;
      for (const Piece& piece : pieces) at.AddSubtree(piece.level, piece.hash, [](auto...) {});
      LEDGER_RETURN_IF_ERROR(check_root(at.Root()));
    }
    if (finding) return finding->status;
    report.tree_nodes += r.tree_nodes;
    Status node_status;
    for (const Piece& piece : r.pieces) {
      tree.AddSubtree(piece.level, piece.hash, [&](uint8_t level, uint64_t index, const Hash& h) {
        if (!compare_tree || !node_status.ok()) return;
        Hash stored{};
        node_status = log.ReadTreeLevel(level, index, 1, [&](uint64_t, const Hash& s) {
          stored = s;
          return true;
        });
        if (node_status.ok() && stored != h) {
          node_status = Status::Corruption(NodeMismatch(level, index, stored, h));
        }
        ++report.tree_nodes;
      });
    }
    LEDGER_RETURN_IF_ERROR(node_status);
    while (next_target != targets.end() && next_target->first == tree.size()) {
      LEDGER_RETURN_IF_ERROR(check_root(tree.Root()));
    }
    if (r.records > 0) prev = r.last_link;
  }
  if (prev != log.HeadHash()) {
    return Status::Corruption("position " + std::to_string(total == 0 ? 0 : total - 1) +
                              ": head hash mismatch: the ledger's head says " +
                              ToHex(log.HeadHash()) + ", the records chain to " + ToHex(prev));
  }
  if (options.progress) options.progress(tree.size(), total);
  report.records = tree.size();
  report.head = prev;
  report.root = tree.Root();
  if (!compare_tree) report.tree_nodes = 0;
  return report;
}

Result<ChainReport> VerifyChain(EventLog& log,
                                const std::function<void(uint64_t, uint64_t)>& progress) {
  VerifyOptions options;
  options.progress = progress;
  return VerifyLedger(log, options);
}

}  // namespace ledger::core
