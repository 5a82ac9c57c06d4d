#include "projections/proof_bundle.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/log/checked_read.h"
#include "core/tlog/proof_json.h"
#include "core/util/encoding.h"
#include "core/util/merkle.h"
#include "events/codec.h"
#include "projections/as_of.h"
#include "projections/event_links.h"
#include "projections/trail.h"

namespace ledger::projections {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Records at `positions` with their inclusion proofs in the tree of `size`.
Result<ordered_json> Entries(core::EventLog& log, const std::set<uint64_t>& positions,
                             uint64_t size) {
  ordered_json out = ordered_json::array();
  auto read = core::BatchReader(log);
  for (uint64_t p : positions) {
    std::string record;
    LEDGER_RETURN_IF_ERROR(
        core::ReadLinked(log, p, [&](const core::LogEntry& e) { record.assign(e.record.bytes); }));
    auto proof = core::merkle::InclusionProof(p, size, read);
    if (!proof.ok()) return proof.status();
    out.push_back({{"position", p},
                   {"record", core::Base64Encode(record)},
                   {"proof", core::HashesToHex(*proof)}});
  }
  return out;
}

ordered_json Envelope(const char* kind, const core::SignedCheckpoint& checkpoint) {
  return {{"format", kBundleFormat},
          {"kind", kind},
          {"origin", checkpoint.checkpoint.origin},
          {"tree_size", checkpoint.checkpoint.size},
          {"checkpoint", checkpoint.note}};
}

template <typename T>
Result<T> Field(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) {
    return Status::InvalidArgument(where + ": missing field \"" + key + "\"");
  }
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    return Status::InvalidArgument(where + ": field \"" + key + "\" has the wrong type");
  }
}

// A bundle has exactly the fields of its grammar: an unknown one (a renamed
// "consistency", say) would be a way to drop a check unnoticed.
Status OnlyKeys(const json& j, std::initializer_list<std::string_view> allowed,
                const std::string& where) {
  if (!j.is_object()) return Status::InvalidArgument(where + ": not an object");
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Status::InvalidArgument(where + ": unknown field \"" + key + "\"");
    }
  }
  return Status::OK();
}

// The checkpoint of `size` among those the auditor holds (each opened with `key`).
std::optional<core::SignedCheckpoint> HeldOfSize(const std::vector<std::string>& held,
                                                 const core::NoteVerifier& key, uint64_t size) {
  for (const auto& note : held) {
    auto mine = core::OpenCheckpoint(note, key);
    if (mine.ok() && mine->checkpoint.size == size) return std::move(mine).value();
  }
  return std::nullopt;
}

// A verified record and its event.
struct Proven {
  std::string bytes;  // the record; the views below point into it
  const fb::Event* event = nullptr;
};

class TrailChecker {
 public:
  TrailChecker(const std::map<uint64_t, Proven>& records, bool down)
      : records_(records), down_(down) {}

  Status Check(const json& node, const std::string& path, uint64_t* links) {
    auto id = Field<std::string>(node, "entity_id", path);
    auto status = Field<std::string>(node, "status", path);
    auto position = Field<uint64_t>(node, "position", path);
    auto time = Field<std::string>(node, "time", path);
    for (const Status& s : {id.status(), status.status(), position.status(), time.status()}) {
      LEDGER_RETURN_IF_ERROR(s);
    }
    const std::string where = path + " (" + *id + ")";
    LEDGER_RETURN_IF_ERROR(OnlyKeys(
        node, {"entity_id", "relation", "link_position", "status", "position", "time", "links"},
        where));
    auto event = EventAt(*position, where);
    if (!event.ok()) return event.status();
    const fb::Event& e = **event;
    if (events::EntityIdOf(e) != *id) {
      return Status::Corruption(where + ": the event at position " + std::to_string(*position) +
                                " belongs to " + std::string(events::EntityIdOf(e)) + ", not " +
                                *id);
    }
    if (events::TypeName(e.data_type()) != *status) {
      return Status::Corruption(where + ": status " + *status + " but the event at position " +
                                std::to_string(*position) + " is " +
                                std::string(events::TypeName(e.data_type())));
    }
    if (events::View(e.time()) != *time) {
      return Status::Corruption(where + ": time " + *time + " but the event at position " +
                                std::to_string(*position) + " says " +
                                std::string(events::View(e.time())));
    }
    if (!node.contains("links") || !node["links"].is_array()) {
      return Status::InvalidArgument(where + ": missing the list of links");
    }
    const json& children = node["links"];
    for (size_t i = 0; i < children.size(); ++i) {
      const json& c = children[i];
      const std::string cpath = path + ".links[" + std::to_string(i) + "]";
      auto cid = Field<std::string>(c, "entity_id", cpath);
      auto relation = Field<std::string>(c, "relation", cpath);
      auto link_position = Field<uint64_t>(c, "link_position", cpath);
      for (const Status& s : {cid.status(), relation.status(), link_position.status()}) {
        LEDGER_RETURN_IF_ERROR(s);
      }
      // Up, the link is made by an event of this node naming the child as its
      // parent; down, by an event of the child naming this node.
      const std::string& from = down_ ? *cid : *id;
      const std::string& to = down_ ? *id : *cid;
      const std::string lwhere = cpath + " (" + from + " -> " + to + ", " + *relation + ")";
      auto link_event = EventAt(*link_position, lwhere);
      if (!link_event.ok()) return link_event.status();
      bool found = false;
      if (events::EntityIdOf(**link_event) == from) {
        ForEachLink(**link_event, [&](std::string_view parent, std::string_view rel) {
          found = found || (parent == to && rel == *relation);
        });
      }
      if (!found) {
        return Status::Corruption(
            lwhere + ": the event at position " + std::to_string(*link_position) + " (" +
            std::string(events::TypeName((*link_event)->data_type())) + " of " +
            std::string(events::EntityIdOf(**link_event)) + ") makes no such link");
      }
      ++*links;
      LEDGER_RETURN_IF_ERROR(Check(c, cpath, links));
    }
    return Status::OK();
  }

 private:
  Result<const fb::Event*> EventAt(uint64_t position, const std::string& where) {
    auto it = records_.find(position);
    if (it == records_.end()) {
      return Status::Corruption(where + ": the bundle has no proven record at position " +
                                std::to_string(position));
    }
    return it->second.event;
  }

  const std::map<uint64_t, Proven>& records_;
  bool down_;
};

}  // namespace

Result<std::string> TrailBundle(core::EventLog& log, const ProjectionStore& store,
                                std::string_view id, bool down,
                                const core::SignedCheckpoint& checkpoint) {
  const uint64_t size = checkpoint.checkpoint.size;
  AsOf as_of{&log, size};
  auto trail = Trail(store, id, down, size < log.Size() ? &as_of : nullptr);
  if (!trail.ok()) return trail.status();
  const std::set<uint64_t> positions = TrailPositions(*trail);
  if (!positions.empty() && *positions.rbegin() >= size) {
    return Status::InvalidArgument(
        "the trail reaches position " + std::to_string(*positions.rbegin()) +
        ", beyond the checkpoint's " + std::to_string(size) + " records");
  }
  auto records = Entries(log, positions, size);
  if (!records.ok()) return records.status();
  ordered_json j = Envelope("trail", checkpoint);
  j["trail"] = {{"direction", down ? "down" : "up"},
                {"root", ordered_json::parse(TrailJson(*trail, TrailFields::kProvable))}};
  j["records"] = std::move(records).value();
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Result<std::string> ExportBundle(core::EventLog& log, uint64_t from, uint64_t to,
                                 const core::SignedCheckpoint& checkpoint,
                                 const core::SignedCheckpoint* since) {
  const uint64_t size = checkpoint.checkpoint.size;
  if (from > to) {
    return Status::InvalidArgument("export [" + std::to_string(from) + ", " + std::to_string(to) +
                                   "): the range is reversed");
  }
  if (to > size) {
    return Status::InvalidArgument("export [" + std::to_string(from) + ", " + std::to_string(to) +
                                   ") must lie within the checkpoint's " + std::to_string(size) +
                                   " records");
  }
  std::set<uint64_t> positions;
  for (uint64_t p = from; p < to; ++p) positions.insert(p);
  auto records = Entries(log, positions, size);
  if (!records.ok()) return records.status();
  ordered_json j = Envelope("export", checkpoint);
  j["from"] = from;
  j["to"] = to;
  if (since != nullptr) {
    auto proof = core::merkle::ConsistencyProof(
        since->checkpoint.size, size, [&log](uint8_t l, uint64_t i) { return log.TreeNode(l, i); });
    if (!proof.ok()) return proof.status();
    j["consistency"] = {{"old_checkpoint", since->note}, {"proof", core::HashesToHex(*proof)}};
  }
  j["records"] = std::move(records).value();
  return j.dump();
}

Result<BundleReport> VerifyBundle(std::string_view text, const core::NoteVerifier& key,
                                  const std::vector<std::string>& held) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("bundle: not JSON");
  auto format = Field<std::string>(j, "format", "bundle");
  if (!format.ok()) return format.status();
  if (*format != kBundleFormat) {
    return Status::InvalidArgument("bundle: unknown format \"" + *format + "\"");
  }
  auto kind = Field<std::string>(j, "kind", "bundle");
  auto note = Field<std::string>(j, "checkpoint", "bundle");
  LEDGER_RETURN_IF_ERROR(kind.status());
  LEDGER_RETURN_IF_ERROR(note.status());
  LEDGER_RETURN_IF_ERROR(
      *kind == "trail"
          ? OnlyKeys(j, {"format", "kind", "origin", "tree_size", "checkpoint", "trail", "records"},
                     "bundle")
          : OnlyKeys(j,
                     {"format", "kind", "origin", "tree_size", "checkpoint", "from", "to",
                      "consistency", "records"},
                     "bundle"));
  auto cp = core::TrustedCheckpoint(*note, key, held);
  if (!cp.ok()) return cp.status().WithContext("bundle checkpoint");
  // The envelope repeats what the signed checkpoint says; it must agree.
  auto origin = Field<std::string>(j, "origin", "bundle");
  auto tree_size = Field<uint64_t>(j, "tree_size", "bundle");
  LEDGER_RETURN_IF_ERROR(origin.status());
  LEDGER_RETURN_IF_ERROR(tree_size.status());
  if (*origin != cp->checkpoint.origin || *tree_size != cp->checkpoint.size) {
    return Status::Corruption("bundle: origin and tree_size must be the signed checkpoint's (" +
                              cp->checkpoint.origin + ", " + std::to_string(cp->checkpoint.size) +
                              ")");
  }
  BundleReport report;
  report.kind = *kind;
  report.tree_size = cp->checkpoint.size;

  // Every record: in the signed tree at its position, a valid event.
  if (!j.contains("records") || !j["records"].is_array()) {
    return Status::InvalidArgument("bundle: missing records");
  }
  std::map<uint64_t, Proven> records;
  for (const json& entry : j["records"]) {
    LEDGER_RETURN_IF_ERROR(OnlyKeys(entry, {"position", "record", "proof"}, "bundle record"));
    auto position = Field<uint64_t>(entry, "position", "bundle record");
    auto record = Field<std::string>(entry, "record", "bundle record");
    auto hex = Field<std::vector<std::string>>(entry, "proof", "bundle record");
    for (const Status& s : {position.status(), record.status(), hex.status()}) {
      LEDGER_RETURN_IF_ERROR(s);
    }
    const std::string where = "record at position " + std::to_string(*position);
    auto bytes = core::Base64Decode(*record);
    if (!bytes.ok()) return bytes.status().WithContext(where);
    auto proof = core::HashesFromHex(*hex);
    if (!proof.ok()) return proof.status().WithContext(where);
    if (records.count(*position)) return Status::Corruption(where + ": given twice");
    Proven& p = records[*position];
    p.bytes = std::move(bytes).value();
    auto r = core::CheckIncluded(p.bytes, *position, *proof, cp->checkpoint);
    if (!r.ok()) return r.status();
    p.event = events::DecodeEvent(r->event).value();
  }
  report.records = records.size();

  if (*kind == "trail") {
    if (!j.contains("trail") || !j["trail"].is_object()) {
      return Status::InvalidArgument("bundle: missing trail");
    }
    auto direction = Field<std::string>(j["trail"], "direction", "trail");
    LEDGER_RETURN_IF_ERROR(direction.status());
    if (*direction != "up" && *direction != "down") {
      return Status::InvalidArgument("trail: direction must be up or down");
    }
    if (!j["trail"].contains("root")) return Status::InvalidArgument("trail: missing root");
    TrailChecker checker(records, *direction == "down");
    LEDGER_RETURN_IF_ERROR(checker.Check(j["trail"]["root"], "trail", &report.links));
    report.root_entity = j["trail"]["root"].value("entity_id", "");
    return report;
  }
  if (*kind == "export") {
    auto from = Field<uint64_t>(j, "from", "bundle");
    auto to = Field<uint64_t>(j, "to", "bundle");
    LEDGER_RETURN_IF_ERROR(from.status());
    LEDGER_RETURN_IF_ERROR(to.status());
    if (*from > *to || *to > cp->checkpoint.size) {
      return Status::Corruption("export: range [" + std::to_string(*from) + ", " +
                                std::to_string(*to) + ") is not within the checkpoint's " +
                                std::to_string(cp->checkpoint.size) + " records");
    }
    uint64_t expect = *from;
    for (const auto& [p, r] : records) {
      if (p != expect) {
        return Status::Corruption("export: position " + std::to_string(expect) +
                                  " is missing from the bundle");
      }
      ++expect;
    }
    if (expect != *to) {
      return Status::Corruption("export: position " + std::to_string(expect) +
                                " is missing from the bundle");
    }
    report.from = *from;
    report.to = *to;
    if (!held.empty() && !j.contains("consistency")) {
      // A held checkpoint of this very tree (same size, same root) needs no proof.
      auto same = HeldOfSize(held, key, cp->checkpoint.size);
      if (!same || same->checkpoint.root != cp->checkpoint.root) {
        return Status::Corruption(
            "export: no consistency proof from the checkpoint the auditor holds");
      }
      report.since_size = cp->checkpoint.size;
    }
    if (j.contains("consistency")) {
      const json& c = j["consistency"];
      LEDGER_RETURN_IF_ERROR(OnlyKeys(c, {"old_checkpoint", "proof"}, "consistency"));
      auto old_note = Field<std::string>(c, "old_checkpoint", "consistency");
      auto hex = Field<std::vector<std::string>>(c, "proof", "consistency");
      LEDGER_RETURN_IF_ERROR(old_note.status());
      LEDGER_RETURN_IF_ERROR(hex.status());
      auto old_cp = core::TrustedCheckpoint(*old_note, key, held);
      if (!old_cp.ok()) return old_cp.status().WithContext("consistency: old checkpoint");
      auto proof = core::HashesFromHex(*hex);
      if (!proof.ok()) return proof.status();
      Status consistent =
          core::merkle::VerifyConsistency(old_cp->checkpoint.size, cp->checkpoint.size,
                                          old_cp->checkpoint.root, cp->checkpoint.root, *proof);
      if (!consistent.ok()) return consistent;
      report.since_size = old_cp->checkpoint.size;
      // Held checkpoints: the proof must start from one of them.
      if (!held.empty() && !HeldOfSize(held, key, report.since_size)) {
        return Status::Corruption("export: the consistency proof starts at size " +
                                  std::to_string(report.since_size) +
                                  ", not at a checkpoint the auditor holds");
      }
    }
    return report;
  }
  return Status::InvalidArgument("bundle: unknown kind \"" + *kind + "\"");
}

}  // namespace ledger::projections
