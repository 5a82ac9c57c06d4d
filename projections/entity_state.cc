#include "projections/entity_state.h"

#include <nlohmann/json.hpp>

namespace ledger::projections {

using nlohmann::ordered_json;

EntityStateProjection::EntityStateProjection() : codec_(std::make_unique<events::JsonCodec>()) {}
EntityStateProjection::~EntityStateProjection() = default;

void EntityStateProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                  Table& table) {
  const std::string_view id = events::EntityIdOf(event);
  const std::string type(events::TypeName(event.data_type()));
  ordered_json state;
  if (auto prior = table.Get(id)) {
    state = ordered_json::parse(*prior, nullptr, false);
  }
  if (!state.is_object()) {
    state = {{"entity_id", std::string(id)},
             {"kind", type},
             {"status", type},
             {"version", 0},
             {"first_position", entry.record.position},
             {"last_position", entry.record.position},
             {"updated", ""},
             {"fields", ordered_json::object()}};
  }
  state["status"] = type;
  state["version"] = state["version"].get<uint64_t>() + 1;
  state["last_position"] = entry.record.position;
  state["updated"] = event.time()->str();
  auto data = ordered_json::parse(codec_->DataToJson(event), nullptr, false);
  if (data.is_object()) {
    for (auto& [key, value] : data.items()) state["fields"][key] = value;
  }
  table.Put(id, state.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
}

}  // namespace ledger::projections
