#include "projections/warehouse.h"

namespace ledger::projections {
namespace {

std::string AssetKey(std::string_view asset_id) { return "a" + std::string(asset_id); }

std::string ShelfKey(std::string_view category_and_spec, std::string_view asset_id) {
  std::string k = "w" + std::string(category_and_spec);
  k.push_back('\0');
  k.append(asset_id);
  return k;
}

}  // namespace

void WarehouseProjection::Apply(const core::LogEntry&, const fb::Event& event, Table& table) {
  using P = fb::Payload;
  switch (event.data_type()) {
    case P::AssetInventoried:
    case P::AssetRegistered: {
      std::string_view category, spec;
      if (auto* d = event.data_as_AssetInventoried()) {
        category = d->category()->string_view();
        spec = d->spec()->string_view();
      } else {
        auto* r = event.data_as_AssetRegistered();
        category = r->category()->string_view();
        spec = r->spec()->string_view();
      }
      std::string value(category);
      value.push_back('\0');
      value.append(spec);
      table.Put(AssetKey(events::EntityIdOf(event)), value);
      break;
    }
    case P::AssetDeposited: {
      std::string_view asset = events::EntityIdOf(event);
      if (auto shelf = table.Get(AssetKey(asset))) {
        table.Put(ShelfKey(*shelf, asset), event.actor()->string_view());
      }
      break;
    }
    case P::AssetAllocated: {
      std::string_view asset = events::EntityIdOf(event);
      if (auto shelf = table.Get(AssetKey(asset))) table.Delete(ShelfKey(*shelf, asset));
      break;
    }
    default:
      break;
  }
}

Result<std::vector<std::string>> WarehouseProjection::Available(const ProjectionStore& store,
                                                                std::string_view category,
                                                                std::string_view spec) {
  std::string prefix = "w" + std::string(category);
  prefix.push_back('\0');
  if (!spec.empty()) {
    prefix.append(spec);
    prefix.push_back('\0');
  }
  std::vector<std::string> out;
  Status st = store.Scan(kName, prefix, "", [&](std::string_view key, std::string_view) {
    out.emplace_back(key.substr(key.rfind('\0') + 1));
    return true;
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace ledger::projections
