#include "core/chain_verifier.h"

#include <algorithm>
#include <future>
#include <map>

#include "core/checkpoint.h"
#include "core/merkle.h"
#include "events/codec.h"

namespace ledger::core {
namespace {

std::string Short(const Hash& h) { return ToHex(h).substr(0, 16) + "..."; }

// A sequential reader of one level of the stored tree, a chunk at a time:
// the recomputed tree emits each level's nodes in increasing index order.
class LevelCursor {
 public:
  Result<Hash> At(EventLog& log, uint8_t level, uint64_t index, uint64_t level_size) {
    if (index < first_ || index >= first_ + buf_.size()) {
      buf_.clear();
      first_ = index;
      uint64_t n = std::min<uint64_t>(kChunk, level_size - index);
      LEDGER_RETURN_IF_ERROR(log.ReadTreeLevel(level, index, n, [&](uint64_t, const Hash& h) {
        buf_.push_back(h);
        return true;
      }));
    }
    return buf_[index - first_];
  }

 private:
  static constexpr uint64_t kChunk = 65536;
  uint64_t first_ = 0;
  std::vector<Hash> buf_;
};

struct Target {
  Hash root;
  std::string whose;  // "the ledger's", "the auditor's"
};

}  // namespace

Result<ChainReport> VerifyLedger(EventLog& log, const VerifyOptions& options) {
  const uint64_t total = log.Size();
  ChainReport report;

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

  // Is there a stored tree to compare with? (Not for an old ledger opened
  // read-only before a writer built it.)
  bool compare_tree = true;
  if (total > 0) {
    Status probe = log.ReadTreeLevel(0, 0, 1, [](uint64_t, const Hash&) { return true; });
    if (probe.code() == Status::Code::kUnavailable) {
      compare_tree = false;
    } else {
      LEDGER_RETURN_IF_ERROR(probe);
    }
  }
  std::vector<LevelCursor> cursors(64);

  // Two threads, one chunk of records apart: this one reads chunk k+1 from
  // the log (the scan is most of the cost), while a worker checks chunk k
  // record by record in order (event bytes, chain link, Merkle leaf), grows
  // the tree and checks the signed roots. Only this thread touches the log.
  // Failures are reported in position order: the worker stops at its first,
  // and this thread compares the tree nodes it completed before it.
  struct Node {
    uint8_t level;
    uint64_t index;
    Hash hash;
  };
  struct Chunk {
    uint64_t first = 0;
    std::string bytes;  // the records, back to back
    std::vector<size_t> ends;
    std::vector<Hash> links;  // the stored chain hashes
    std::vector<Node> nodes;  // perfect subtrees completed by this chunk
    Status failure;           // the worker's first finding
  };
  merkle::Frontier tree;
  Hash prev{};  // the worker's
  auto work = [&](Chunk& c) {
    size_t begin = 0;
    for (size_t i = 0; i < c.ends.size(); ++i) {
      std::string_view record = std::string_view(c.bytes).substr(begin, c.ends[i] - begin);
      begin = c.ends[i];
      const uint64_t p = c.first + i;
      auto r = DecodeRecord(record);
      auto event = r.ok() ? events::DecodeEvent(r->event) : Result<const fb::Event*>(r.status());
      if (!event.ok()) {
        c.failure = event.status().WithContext("position " + std::to_string(p));
        return;
      }
      Hash want = ChainHash(prev, record);
      if (want != c.links[i]) {
        c.failure = Status::Corruption(
            "position " + std::to_string(p) + ": chain hash mismatch: stored " + ToHex(c.links[i]) +
            ", recomputed " + ToHex(want) + " (this record or the one before it was changed)");
        return;
      }
      prev = want;
      tree.Add(merkle::LeafHash(record), [&](uint8_t level, uint64_t index, const Hash& h) {
        c.nodes.push_back({level, index, h});
      });
      while (next_target != targets.end() && next_target->first == tree.size()) {
        Hash root = tree.Root();
        if (root != next_target->second.root) {
          std::string what = next_target->second.whose == "the auditor's" ? "fork at size "
                                                                          : "checkpoint at size ";
          c.failure = Status::Corruption(
              what + std::to_string(tree.size()) + ": " + next_target->second.whose +
              " signed root is " + Short(next_target->second.root) + ", the records give " +
              Short(root) + " (records before position " + std::to_string(tree.size()) +
              " were changed after it was signed)");
          return;
        }
        ++report.checkpoints;
        ++next_target;
      }
    }
  };
  // This thread, after the worker: the completed subtrees against the stored tree.
  auto compare = [&](const Chunk& c) -> Status {
    if (!compare_tree) return Status::OK();
    for (const Node& n : c.nodes) {
      auto stored = cursors[n.level].At(log, n.level, n.index, total >> n.level);
      if (!stored.ok()) return stored.status();
      ++report.tree_nodes;
      if (*stored == n.hash) continue;
      uint64_t first = n.index << n.level, last = ((n.index + 1) << n.level) - 1;
      if (n.level == 0) {
        return Status::Corruption(
            "position " + std::to_string(n.index) + ": Merkle leaf mismatch: the stored tree has " +
            Short(*stored) + ", the record hashes to " + Short(n.hash) +
            " (the record was rewritten with its chain links, or the tree was changed)");
      }
      return Status::Corruption("position " + std::to_string(first) + ": Merkle tree node (level " +
                                std::to_string(n.level) + ", positions " + std::to_string(first) +
                                "-" + std::to_string(last) + ") is " + Short(*stored) +
                                ", the records give " + Short(n.hash));
    }
    return Status::OK();
  };

  constexpr uint64_t kChunk = 16384;
  Chunk chunks[2];
  int cur = 0;
  std::future<void> in_flight;  // the worker on chunks[cur ^ 1]
  uint64_t pos = 0;
  auto finish_previous = [&]() -> Status {
    if (!in_flight.valid()) return Status::OK();
    in_flight.get();
    Chunk& c = chunks[cur ^ 1];
    // The worker stopped at its finding: what it emitted lies before it.
    LEDGER_RETURN_IF_ERROR(compare(c));
    return c.failure;
  };
  while (pos < total) {
    Chunk& c = chunks[cur];
    c.first = pos;
    c.bytes.clear();
    c.ends.clear();
    c.links.clear();
    c.nodes.clear();
    c.failure = Status::OK();
    Status read = log.Read(pos, kChunk, [&](const LogEntry& e) {
      c.bytes.append(e.record.bytes);
      c.ends.push_back(c.bytes.size());
      c.links.push_back(e.chain_hash);
      return true;
    });
    LEDGER_RETURN_IF_ERROR(finish_previous());
    if (!read.ok() || c.ends.size() < std::min(kChunk, total - pos)) {
      // Check what was read before the failure first: it may fail earlier.
      work(c);
      LEDGER_RETURN_IF_ERROR(compare(c));
      LEDGER_RETURN_IF_ERROR(c.failure);
      LEDGER_RETURN_IF_ERROR(read);
      return Status::Corruption("position " + std::to_string(pos + c.ends.size()) +
                                ": the log ended early");
    }
    in_flight = std::async(std::launch::async, [&work, &c] { work(c); });
    pos += c.ends.size();
    cur ^= 1;
    if (options.progress) options.progress(pos, total);
  }
  LEDGER_RETURN_IF_ERROR(finish_previous());
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
