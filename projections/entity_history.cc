#include "projections/entity_history.h"

#include "core/log/record_format.h"

namespace ledger::projections {

void EntityHistoryProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                    Table& table) {
  std::string bytes;
  bytes.reserve(kEntryBytes);
  core::PutBigEndian64(entry.record.position, &bytes);
  bytes.push_back(static_cast<char>(event.data_type()));
  table.Append(events::EntityIdOf(event), bytes);
}

Result<std::vector<HistoryEntry>> EntityHistoryProjection::Of(const ProjectionStore& store,
                                                              std::string_view id) {
  auto stored = store.Get(kName, id);
  if (!stored.ok()) return stored.status();
  std::vector<HistoryEntry> out;
  if (!*stored) return out;
  const std::string& v = **stored;
  if (v.size() % kEntryBytes != 0) {
    return Status::Corruption("history of " + std::string(id) + ": " + std::to_string(v.size()) +
                              " bytes, not a whole number of " + std::to_string(kEntryBytes) +
                              "-byte entries");
  }
  out.reserve(v.size() / kEntryBytes);
  for (size_t at = 0; at < v.size(); at += kEntryBytes) {
    HistoryEntry e{core::GetBigEndian64(v.data() + at),
                   static_cast<fb::Payload>(static_cast<uint8_t>(v[at + 8]))};
    if (!out.empty() && e.position <= out.back().position) {
      return Status::Corruption("history of " + std::string(id) + ": entry " +
                                std::to_string(out.size()) + " (position " +
                                std::to_string(e.position) + ") is not after the one before it");
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace ledger::projections
