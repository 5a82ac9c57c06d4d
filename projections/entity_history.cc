#include "projections/entity_history.h"

#include "core/record_format.h"

namespace ledger::projections {

std::string EntityHistoryProjection::Prefix(std::string_view entity_id) {
  std::string k(entity_id);
  k.push_back('\0');
  return k;
}

std::string EntityHistoryProjection::Key(std::string_view entity_id, uint64_t position) {
  std::string k = Prefix(entity_id);
  core::PutBigEndian64(position, &k);
  return k;
}

uint64_t EntityHistoryProjection::PositionOf(std::string_view key) {
  return core::GetBigEndian64(key.data() + key.size() - 8);
}

void EntityHistoryProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                    Table& table) {
  table.Put(Key(events::EntityIdOf(event), entry.record.position),
            events::TypeName(event.data_type()));
}

}  // namespace ledger::projections
