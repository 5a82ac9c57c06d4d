#include "projections/trace_graph.h"

#include "core/record_format.h"
#include "projections/event_links.h"

namespace ledger::projections {
namespace {

using events::View;

std::string Key(char direction, std::string_view from, std::string_view to) {
  std::string k(1, direction);
  k.append(from).push_back('\0');
  k.append(to).push_back('\0');
  return k;
}

void Link(Table& table, std::string_view child, std::string_view parent, std::string_view relation,
          uint64_t position) {
  if (child.empty() || parent.empty() || child == parent) return;
  std::string value(relation);
  value.push_back('\0');
  core::PutBigEndian64(position, &value);
  table.Put(Key('u', child, parent), value);
  table.Put(Key('d', parent, child), value);
}

Result<std::vector<TraceLink>> Links(const ProjectionStore& store, char direction,
                                     std::string_view id) {
  std::string prefix(1, direction);
  prefix.append(id).push_back('\0');
  std::vector<TraceLink> out;
  Status st = store.Scan(
      TraceGraphProjection::kName, prefix, "", [&](std::string_view key, std::string_view value) {
        TraceLink link;
        link.entity_id = key.substr(prefix.size(), key.size() - prefix.size() - 1);
        size_t nul = value.find('\0');
        link.relation = value.substr(0, nul);
        link.position = core::GetBigEndian64(value.data() + nul + 1);
        out.push_back(std::move(link));
        return true;
      });
  if (!st.ok()) return st;
  return out;
}

}  // namespace

void TraceGraphProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                 Table& table) {
  const uint64_t p = entry.record.position;
  const std::string_view self = events::EntityIdOf(event);
  ForEachLink(event, [&](std::string_view parent, std::string_view relation) {
    Link(table, self, parent, relation, p);
  });
}

Result<std::vector<TraceLink>> TraceGraphProjection::Up(const ProjectionStore& store,
                                                        std::string_view id) {
  return Links(store, 'u', id);
}

Result<std::vector<TraceLink>> TraceGraphProjection::Down(const ProjectionStore& store,
                                                          std::string_view id) {
  return Links(store, 'd', id);
}

}  // namespace ledger::projections
