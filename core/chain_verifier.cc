#include "core/chain_verifier.h"

#include <algorithm>
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

  merkle::Frontier tree;
  Hash prev{};
  Status failure;
  auto check_node = [&](uint8_t level, uint64_t index, const Hash& h) {
    if (!compare_tree || !failure.ok()) return;
    auto stored = cursors[level].At(log, level, index, total >> level);
    if (!stored.ok()) {
      failure = stored.status();
    } else if (*stored != h) {
      uint64_t first = index << level, last = ((index + 1) << level) - 1;
      if (level == 0) {
        failure = Status::Corruption(
            "position " + std::to_string(index) + ": Merkle leaf mismatch: the stored tree has " +
            Short(*stored) + ", the record hashes to " + Short(h) +
            " (the record was rewritten with its chain links, or the tree was changed)");
      } else {
        failure = Status::Corruption(
            "position " + std::to_string(first) + ": Merkle tree node (level " +
            std::to_string(level) + ", positions " + std::to_string(first) + "-" +
            std::to_string(last) + ") is " + Short(*stored) + ", the records give " + Short(h));
      }
    }
    ++report.tree_nodes;
  };
  Status read = log.Read(0, total, [&](const LogEntry& e) {
    const uint64_t p = e.record.position;
    auto event = events::DecodeEvent(e.record.event);
    if (!event.ok()) {
      failure = event.status().WithContext("position " + std::to_string(p));
      return false;
    }
    Hash want = ChainHash(prev, e.record.bytes);
    if (want != e.chain_hash) {
      failure = Status::Corruption(
          "position " + std::to_string(p) + ": chain hash mismatch: stored " + ToHex(e.chain_hash) +
          ", recomputed " + ToHex(want) + " (this record or the one before it was changed)");
      return false;
    }
    prev = want;
    tree.Add(merkle::LeafHash(e.record.bytes), check_node);
    if (!failure.ok()) return false;
    while (next_target != targets.end() && next_target->first == tree.size()) {
      Hash root = tree.Root();
      if (root != next_target->second.root) {
        std::string what =
            next_target->second.whose == "the auditor's" ? "fork at size " : "checkpoint at size ";
        failure = Status::Corruption(
            what + std::to_string(tree.size()) + ": " + next_target->second.whose +
            " signed root is " + Short(next_target->second.root) + ", the records give " +
            Short(root) + " (records before position " + std::to_string(tree.size()) +
            " were changed after it was signed)");
        return false;
      }
      ++report.checkpoints;
      ++next_target;
    }
    if (options.progress && tree.size() % 4096 == 0) options.progress(tree.size(), total);
    return true;
  });
  LEDGER_RETURN_IF_ERROR(read);
  LEDGER_RETURN_IF_ERROR(failure);
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
