#include "projections/entity_state.h"

#include <nlohmann/json.hpp>

namespace ledger::projections {

using nlohmann::ordered_json;

EntityStateProjection::EntityStateProjection() : codec_(std::make_unique<events::JsonCodec>()) {}
EntityStateProjection::~EntityStateProjection() = default;

std::string EntityStateProjection::Fold(const std::optional<std::string>& prior, uint64_t position,
                                        const fb::Event& event, events::JsonCodec& codec) {
  const std::string_view id = events::EntityIdOf(event);
  const std::string type(events::TypeName(event.data_type()));
  ordered_json state;
  if (prior) state = ordered_json::parse(*prior, nullptr, false);
  if (!state.is_object()) {
    state = {{"entity_id", std::string(id)},
             {"kind", type},
             {"status", type},
             {"version", 0},
             {"first_position", position},
             {"last_position", position},
             {"updated", ""},
             {"fields", ordered_json::object()}};
  }
  state["status"] = type;
  state["version"] = state["version"].get<uint64_t>() + 1;
  state["last_position"] = position;
  state["updated"] = event.time()->str();
  auto data = ordered_json::parse(codec.DataToJson(event), nullptr, false);
  if (data.is_object()) {
    for (auto& [key, value] : data.items()) state["fields"][key] = value;
  }
  return state.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

void EntityStateProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                  Table& table) {
  const std::string_view id = events::EntityIdOf(event);
  table.Put(id, Fold(table.Get(id), entry.record.position, event, *codec_));
}

}  // namespace ledger::projections
