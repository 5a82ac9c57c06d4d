#include "core/tlog/proof_json.h"

#include <nlohmann/json.hpp>

#include "core/log/checked_read.h"
#include "core/util/encoding.h"
#include "core/util/merkle.h"
#include "events/codec.h"

namespace ledger::core {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

merkle::NodeReader Reader(EventLog& log) {
  return [&log](uint8_t l, uint64_t i) { return log.TreeNode(l, i); };
}

Result<std::string> ReadRecord(EventLog& log, uint64_t position) {
  std::string out;
  LEDGER_RETURN_IF_ERROR(
      ReadLinked(log, position, [&](const LogEntry& e) { out.assign(e.record.bytes); }));
  return out;
}

// The field `key` of `j` as T, or InvalidArgument naming it.
template <typename T>
Result<T> Field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) {
    return Status::InvalidArgument(std::string("proof: missing field \"") + key + "\"");
  }
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    return Status::InvalidArgument(std::string("proof: field \"") + key + "\" has the wrong type");
  }
}

}  // namespace

merkle::BatchNodeReader BatchReader(EventLog& log) {
  return [&log](std::span<const TreeNodeId> ids, Hash* out) { return log.TreeNodes(ids, out); };
}

std::vector<std::string> HashesToHex(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  out.reserve(hashes.size());
  for (const Hash& h : hashes) out.push_back(ToHex(h));
  return out;
}

Result<std::vector<Hash>> HashesFromHex(const std::vector<std::string>& hex) {
  std::vector<Hash> out;
  for (size_t i = 0; i < hex.size(); ++i) {
    auto h = HashFromHex(hex[i]);
    if (!h.ok()) return h.status().WithContext("proof hash " + std::to_string(i));
    out.push_back(*h);
  }
  return out;
}

Result<std::string> InclusionProofJson(EventLog& log, uint64_t position,
                                       const SignedCheckpoint& checkpoint) {
  const uint64_t size = checkpoint.checkpoint.size;
  if (position >= size) {
    return Status::InvalidArgument("position " + std::to_string(position) +
                                   " is not in the checkpoint's tree of " + std::to_string(size) +
                                   " records");
  }
  auto record = ReadRecord(log, position);
  if (!record.ok()) return record.status();
  auto proof = merkle::InclusionProof(position, size, BatchReader(log));
  if (!proof.ok()) return proof.status();
  ordered_json j = {{"format", kProofFormat},
                    {"type", "inclusion"},
                    {"position", position},
                    {"tree_size", size},
                    {"record", Base64Encode(*record)},
                    {"leaf_hash", ToHex(merkle::LeafHash(*record))},
                    {"proof", HashesToHex(*proof)},
                    {"checkpoint", checkpoint.note}};
  return j.dump();
}

Result<std::string> ConsistencyProofJson(EventLog& log, const SignedCheckpoint& old_checkpoint,
                                         const SignedCheckpoint& new_checkpoint) {
  auto proof = merkle::ConsistencyProof(old_checkpoint.checkpoint.size,
                                        new_checkpoint.checkpoint.size, Reader(log));
  if (!proof.ok()) return proof.status();
  ordered_json j = {{"format", kProofFormat},
                    {"type", "consistency"},
                    {"old_size", old_checkpoint.checkpoint.size},
                    {"new_size", new_checkpoint.checkpoint.size},
                    {"proof", HashesToHex(*proof)},
                    {"old_checkpoint", old_checkpoint.note},
                    {"new_checkpoint", new_checkpoint.note}};
  return j.dump();
}

Result<SignedCheckpoint> TrustedCheckpoint(std::string_view embedded, const NoteVerifier& key,
                                           const std::vector<std::string>& held) {
  auto c = OpenCheckpoint(embedded, key);
  if (!c.ok()) return c.status();
  for (const auto& note : held) {
    auto mine = OpenCheckpoint(note, key);
    if (!mine.ok()) return mine.status().WithContext("the auditor's checkpoint");
    if (mine->checkpoint.size == c->checkpoint.size &&
        mine->checkpoint.root != c->checkpoint.root) {
      return Status::Corruption("fork at size " + std::to_string(c->checkpoint.size) +
                                ": two different signed roots for the same size, the auditor's " +
                                ToHex(mine->checkpoint.root).substr(0, 16) + "... and this one's " +
                                ToHex(c->checkpoint.root).substr(0, 16) + "...");
    }
  }
  return c;
}

Result<RecordView> CheckIncluded(std::string_view record, uint64_t position,
                                 const std::vector<Hash>& proof, const Checkpoint& checkpoint) {
  const std::string where = "position " + std::to_string(position);
  auto r = DecodeRecord(record);
  if (!r.ok()) return r.status().WithContext(where);
  if (r->position != position) {
    return Status::Corruption(where + ": the record carries position " +
                              std::to_string(r->position));
  }
  auto event = events::DecodeEvent(r->event);
  if (!event.ok()) return event.status().WithContext(where);
  Status in = merkle::VerifyInclusion(position, checkpoint.size, merkle::LeafHash(record), proof,
                                      checkpoint.root);
  if (!in.ok()) return in.WithContext(where);
  return r;
}

Result<ProofSummary> VerifyProofJson(std::string_view text, const NoteVerifier& key,
                                     const std::vector<std::string>& held) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("proof: not JSON");
  auto format = Field<std::string>(j, "format");
  if (!format.ok()) return format.status();
  if (*format != kProofFormat) {
    return Status::InvalidArgument("proof: unknown format \"" + *format + "\"");
  }
  auto type = Field<std::string>(j, "type");
  if (!type.ok()) return type.status();
  auto hex = Field<std::vector<std::string>>(j, "proof");
  if (!hex.ok()) return hex.status();
  auto proof = HashesFromHex(*hex);
  if (!proof.ok()) return proof.status();
  if (*type == "inclusion") {
    auto note = Field<std::string>(j, "checkpoint");
    auto position = Field<uint64_t>(j, "position");
    auto size = Field<uint64_t>(j, "tree_size");
    auto record_b64 = Field<std::string>(j, "record");
    for (const Status& s : {note.status(), position.status(), size.status(), record_b64.status()}) {
      LEDGER_RETURN_IF_ERROR(s);
    }
    auto cp = TrustedCheckpoint(*note, key, held);
    if (!cp.ok()) return cp.status();
    if (cp->checkpoint.size != *size) {
      return Status::Corruption("proof: tree_size " + std::to_string(*size) +
                                " but the checkpoint is of size " +
                                std::to_string(cp->checkpoint.size));
    }
    auto record = Base64Decode(*record_b64);
    if (!record.ok()) return record.status().WithContext("proof: record");
    auto r = CheckIncluded(*record, *position, *proof, cp->checkpoint);
    if (!r.ok()) return r.status();
    auto leaf_hash = Field<std::string>(j, "leaf_hash");
    if (!leaf_hash.ok()) return leaf_hash.status();
    if (*leaf_hash != ToHex(merkle::LeafHash(*record))) {
      return Status::Corruption("proof: leaf_hash is not the hash of the record");
    }
    auto event = events::DecodeEvent(r->event).value();
    return ProofSummary{"inclusion", "position " + std::to_string(*position) + " (" +
                                         std::string(events::TypeName(event->data_type())) + " " +
                                         std::string(events::View(event->id())) + ", entity " +
                                         std::string(events::EntityIdOf(*event)) +
                                         ") is in the tree of " + std::to_string(*size) +
                                         " records signed by " + key.name()};
  }
  if (*type == "consistency") {
    auto old_note = Field<std::string>(j, "old_checkpoint");
    auto new_note = Field<std::string>(j, "new_checkpoint");
    LEDGER_RETURN_IF_ERROR(old_note.status());
    LEDGER_RETURN_IF_ERROR(new_note.status());
    auto old_cp = TrustedCheckpoint(*old_note, key, held);
    if (!old_cp.ok()) return old_cp.status().WithContext("old checkpoint");
    auto new_cp = TrustedCheckpoint(*new_note, key, held);
    if (!new_cp.ok()) return new_cp.status().WithContext("new checkpoint");
    const auto& o = old_cp->checkpoint;
    const auto& n = new_cp->checkpoint;
    LEDGER_RETURN_IF_ERROR(merkle::VerifyConsistency(o.size, n.size, o.root, n.root, *proof));
    return ProofSummary{"consistency",
                        "the tree of " + std::to_string(n.size) + " records extends the tree of " +
                            std::to_string(o.size) + " records, both signed by " + key.name()};
  }
  return Status::InvalidArgument("proof: unknown type \"" + *type + "\"");
}

}  // namespace ledger::core
