#include "projections/entity_state.h"

#include "core/util/compact_record.h"

namespace ledger::projections {
namespace {

const std::array<events::UnsignedField, kMoneyFields.size()>& MoneyFields() {
  static const auto fields = [] {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::array<events::UnsignedField, kMoneyFields.size()>{
          events::UnsignedField(kMoneyFields[I])...};
    }
    (std::make_index_sequence<kMoneyFields.size()>());
  }();
  return fields;
}

}  // namespace

std::optional<uint64_t> EventAmountFen(const fb::Event& event) {
  for (const auto& field : MoneyFields()) {
    if (auto v = field.Get(event)) return v;
  }
  return std::nullopt;
}

void EntitySummary::Apply(uint64_t position, const fb::Event& event) {
  if (version == 0) {
    kind = event.data_type();
    first_position = position;
  }
  status = event.data_type();
  ++version;
  last_position = position;
  updated.assign(event.time()->string_view());
  for (size_t i = 0; i < money.size(); ++i) {
    if (auto v = MoneyFields()[i].Get(event)) money[i] = v;
  }
}

std::optional<uint64_t> EntitySummary::amount_fen() const {
  for (const auto& m : money) {
    if (m) return m;
  }
  return std::nullopt;
}

std::string EntitySummary::Encode() const {
  std::string out;
  EncodeTo(&out);
  return out;
}

void EntitySummary::EncodeTo(std::string* out) const {
  out->clear();
  core::compact::Writer w(out);
  w.Put(kind);
  w.Put(status);
  w.Put(version);
  w.Put(first_position);
  w.Put(last_position);
  w.Put(updated);
  uint64_t mask = 0;
  for (size_t i = 0; i < money.size(); ++i) mask |= uint64_t{money[i].has_value()} << i;
  w.Put(mask);
  for (const auto& m : money) {
    if (m) w.Put(*m);
  }
}

Result<EntitySummary> EntitySummary::Decode(std::string_view bytes) {
  EntitySummary s;
  core::compact::Reader r(bytes);
  r.Get(s.kind);
  r.Get(s.status);
  r.Get(s.version);
  r.Get(s.first_position);
  r.Get(s.last_position);
  r.Get(s.updated);
  uint64_t mask = 0;
  r.Get(mask);
  for (size_t i = 0; i < s.money.size(); ++i) {
    if (mask & (uint64_t{1} << i)) {
      uint64_t v = 0;
      r.Get(v);
      s.money[i] = v;
    }
  }
  if (!r.ok() || !r.done() || mask >> s.money.size() != 0 || s.kind > fb::Payload::MAX ||
      s.status > fb::Payload::MAX) {
    return Status::Corruption("malformed entity summary");
  }
  return s;
}

void EntityStateProjection::Apply(const core::LogEntry& entry, const fb::Event& event,
                                  Table& table) {
  const std::string_view id = events::EntityIdOf(event);
  std::string& stored = table.Edit(id);
  EntitySummary summary;
  if (!stored.empty()) {
    if (auto decoded = EntitySummary::Decode(stored); decoded.ok()) summary = *decoded;
  }
  summary.Apply(entry.record.position, event);
  summary.EncodeTo(&stored);
}

}  // namespace ledger::projections
