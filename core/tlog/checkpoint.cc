#include "core/tlog/checkpoint.h"

#include <charconv>

#include "core/util/encoding.h"
#include "core/util/merkle.h"

namespace ledger::core {

std::string CheckpointText(const Checkpoint& c) {
  Hash root = c.root;
  return c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(Sha256::AsBytes(root)) +
         "\n";
}

Result<Checkpoint> ParseCheckpointText(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    if (eol == text.npos) return Status::Corruption("checkpoint: the last line has no newline");
    lines.push_back(text.substr(0, eol));
    text.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) {
    return Status::Corruption("checkpoint: " + std::to_string(lines.size()) +
                              " lines, expected origin, tree size and root hash");
  }
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return Status::Corruption("checkpoint line 1: empty origin");
  std::string_view size = lines[1];
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  if (ec != std::errc() || end != size.data() + size.size() || size.empty() ||
      (size.size() > 1 && size[0] == '0')) {
    return Status::Corruption("checkpoint line 2: tree size \"" + std::string(size) +
                              "\" is not a decimal number");
  }
  auto root = HashFromBase64(lines[2]);
  if (!root.ok()) return Status::Corruption("checkpoint line 3: " + root.status().message());
  c.root = *root;
  return c;
}

Result<SignedCheckpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& key) {
  auto text = key.Open(note);
  if (!text.ok()) return text.status();
  auto c = ParseCheckpointText(*text);
  if (!c.ok()) return c.status();
  if (c->origin != key.name()) {
    return Status::Corruption("checkpoint: origin \"" + c->origin + "\" is not the key's name \"" +
                              key.name() + "\"");
  }
  return SignedCheckpoint{*c, std::string(note)};
}

Result<SignedCheckpoint> SignCheckpoint(EventLog& log, const NoteSigner& signer, uint64_t size) {
  if (size > log.Size()) {
    return Status::InvalidArgument("no tree of size " + std::to_string(size) + ": the log has " +
                                   std::to_string(log.Size()) + " records");
  }
  auto root = merkle::RootAt(size, [&](uint8_t l, uint64_t i) { return log.TreeNode(l, i); });
  if (!root.ok()) return root.status();
  Checkpoint c{signer.name(), size, *root};
  auto note = signer.Sign(CheckpointText(c));
  if (!note.ok()) return note.status();
  return SignedCheckpoint{c, *note};
}

Result<std::vector<SignedCheckpoint>> KeptCheckpoints(EventLog& log, const NoteVerifier& key) {
  std::vector<SignedCheckpoint> out;
  Status failure;
  Status read = log.ReadCheckpoints([&](uint64_t size, std::string_view note) {
    auto c = OpenCheckpoint(note, key);
    if (!c.ok()) {
      failure = c.status().WithContext("kept checkpoint for size " + std::to_string(size));
      return false;
    }
    if (c->checkpoint.size != size) {
      failure = Status::Corruption("kept checkpoint for size " + std::to_string(size) +
                                   " says size " + std::to_string(c->checkpoint.size));
      return false;
    }
    out.push_back(std::move(c).value());
    return true;
  });
  LEDGER_RETURN_IF_ERROR(read);
  LEDGER_RETURN_IF_ERROR(failure);
  return out;
}

Result<SignedCheckpoint> CheckpointFor(EventLog& log, uint64_t size, const NoteSigner* signer,
                                       const NoteVerifier& key) {
  std::optional<SignedCheckpoint> kept;
  Status failure;
  LEDGER_RETURN_IF_ERROR(log.ReadCheckpoints([&](uint64_t s, std::string_view note) {
    if (s < size) return true;
    if (s == size) {
      auto c = OpenCheckpoint(note, key);
      if (c.ok()) {
        kept = std::move(c).value();
      } else {
        failure = c.status().WithContext("kept checkpoint for size " + std::to_string(s));
      }
    }
    return false;
  }));
  LEDGER_RETURN_IF_ERROR(failure);
  if (kept) return *kept;
  if (signer == nullptr) {
    return Status::NotFound("no checkpoint kept for size " + std::to_string(size) +
                            " and no signing key to make one");
  }
  return SignCheckpoint(log, *signer, size);
}

Result<Checkpointer> Checkpointer::Open(EventLog& log, NoteSigner signer, CheckpointPolicy policy) {
  Checkpointer c(log, std::move(signer), policy);
  LEDGER_RETURN_IF_ERROR(log.ReadCheckpoints([&](uint64_t size, std::string_view) {
    c.last_size_ = size;
    c.any_ = true;
    return true;
  }));
  c.last_time_ = std::chrono::steady_clock::now();
  return c;
}

bool Checkpointer::Due(uint64_t size) const {
  if (any_ && size <= last_size_) return false;
  if (!any_ && size == 0) return false;
  const bool by_count = policy_.every_events > 0 && size - last_size_ >= policy_.every_events;
  const bool by_time = policy_.every_seconds.count() > 0 &&
                       std::chrono::steady_clock::now() - last_time_ >= policy_.every_seconds;
  return by_count || by_time;
}

Result<std::optional<SignedCheckpoint>> Checkpointer::Maybe() {
  if (!Due(log_->Size())) return std::optional<SignedCheckpoint>();
  auto c = Now();
  if (!c.ok()) return c.status();
  return std::optional<SignedCheckpoint>(std::move(c).value());
}

Result<SignedCheckpoint> Checkpointer::Now() {
  const uint64_t size = log_->Size();
  auto c = SignCheckpoint(*log_, signer_, size);
  if (!c.ok()) return c.status();
  LEDGER_RETURN_IF_ERROR(log_->PutCheckpoint(size, c->note));
  last_size_ = size;
  any_ = true;
  last_time_ = std::chrono::steady_clock::now();
  return c;
}

}  // namespace ledger::core
