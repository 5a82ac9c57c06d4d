#include "projections/trace_graph.h"

#include <algorithm>

#include "core/log/record_format.h"
#include "core/util/compact_record.h"
#include "projections/event_links.h"

namespace ledger::projections {
namespace {

using events::View;

std::string Key(char direction, std::string_view id) {
  std::string k(1, direction);
  k.append(id);
  return k;
}

// Reused buffers: Apply runs once per event of a rebuild.
struct Scratch {
  std::string key, entry;
};

void PutEntry(std::string* out, std::string_view other, std::string_view relation,
              uint64_t position) {
  core::compact::Writer w(out);
  w.Put(static_cast<uint64_t>(other.size()));
  out->append(other);
  w.Put(static_cast<uint64_t>(relation.size()));
  out->append(relation);
  core::PutBigEndian64(position, out);
}

void Link(Table& table, std::string_view child, std::string_view parent, std::string_view relation,
          uint64_t position, Scratch& s) {
  if (child.empty() || parent.empty() || child == parent) return;
  auto append = [&](char direction, std::string_view from, std::string_view to) {
    s.key.assign(1, direction).append(from);
    s.entry.clear();
    PutEntry(&s.entry, to, relation, position);
    table.Append(s.key, s.entry);
  };
  append('u', child, parent);
  append('d', parent, child);
}

Result<std::vector<TraceLink>> Links(const ProjectionStore& store, char direction,
                                     std::string_view id) {
  auto stored = store.Get(TraceGraphProjection::kName, Key(direction, id));
  if (!stored.ok()) return stored.status();
  std::vector<TraceLink> out;
  if (!*stored) return out;
  auto corrupt = [&] {
    return Status::Corruption(std::string(direction == 'u' ? "upward" : "downward") + " links of " +
                              std::string(id) + ": entry " + std::to_string(out.size()) +
                              " is truncated");
  };
  std::string_view in = **stored;
  while (!in.empty()) {
    core::compact::Reader r(in);
    TraceLink link;
    r.Get(link.entity_id);
    r.Get(link.relation);
    if (!r.ok()) return corrupt();
    in = r.rest();
    if (in.size() < 8) return corrupt();
    link.position = core::GetBigEndian64(in.data());
    in.remove_prefix(8);
    out.push_back(std::move(link));
  }
  // One link per entity at the other end, the latest; in entity-id order.
  std::stable_sort(out.begin(), out.end(), [](const TraceLink& a, const TraceLink& b) {
    return a.entity_id < b.entity_id;
  });
  std::vector<TraceLink> unique;
  for (auto& link : out) {
    if (!unique.empty() && unique.back().entity_id == link.entity_id) {
      unique.back() = std::move(link);
    } else {
      unique.push_back(std::move(link));
    }
  }
  return unique;
}

}  // namespace

void TraceGraphProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                 Table& table) {
  const uint64_t p = entry.record.position;
  const std::string_view self = events::EntityIdOf(event);
  thread_local Scratch scratch;
  ForEachLink(event, [&](std::string_view parent, std::string_view relation) {
    Link(table, self, parent, relation, p, scratch);
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
