#include "core/chain_verifier.h"

#include "events/codec.h"

namespace ledger::core {

Result<ChainReport> VerifyChain(EventLog& log,
                                const std::function<void(uint64_t, uint64_t)>& progress) {
  const uint64_t total = log.Size();
  Hash prev{};
  uint64_t done = 0;
  Status failure;
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
    ++done;
    if (progress && done % 4096 == 0) progress(done, total);
    return true;
  });
  LEDGER_RETURN_IF_ERROR(read);
  LEDGER_RETURN_IF_ERROR(failure);
  if (prev != log.HeadHash()) {
    return Status::Corruption("position " + std::to_string(total == 0 ? 0 : total - 1) +
                              ": head hash mismatch: the ledger's head says " +
                              ToHex(log.HeadHash()) + ", the records chain to " + ToHex(prev));
  }
  if (progress) progress(done, total);
  return ChainReport{done, prev};
}

}  // namespace ledger::core
