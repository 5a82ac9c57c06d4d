#include "events/codec.h"

#include <flatbuffers/idl.h>
#include <flatbuffers/reflection.h>

#include <array>
#include <limits>
#include <nlohmann/json.hpp>

#include "events/codes.h"
#include "events/schema_bfbs.h"

namespace ledger::events {
namespace {

using nlohmann::json;

// Envelope members of the external form. Anything else is refused, except the
// members the ledger itself adds when printing, which are ignored on input.
constexpr std::string_view kEnvelopeMembers[] = {"id", "actor", "time", "correlation_id",
                                                 "expected_version"};
constexpr std::string_view kLedgerMembers[] = {"position", "recorded_at", "entity_id",
                                               "schema_version", "hash"};

const reflection::Schema& Schema() {
  static const reflection::Schema* schema = [] {
    flatbuffers::Verifier v(kEventSchemaBfbs, kEventSchemaBfbsSize);
    bool ok = reflection::VerifySchemaBuffer(v);
    assert(ok && "embedded schema does not verify");
    (void)ok;
    return reflection::GetSchema(kEventSchemaBfbs);
  }();
  return *schema;
}

// The schema table of each payload type, looked up once.
const reflection::Object& PayloadObject(fb::Payload type) {
  static const auto objects = [] {
    std::array<const reflection::Object*, kEventTypeCount + 1> out{};
    for (int i = 1; i <= kEventTypeCount; ++i) {
      std::string name = "ledger.fb." + std::string(TypeName(static_cast<fb::Payload>(i)));
      out[i] = Schema().objects()->LookupByKey(name.c_str());
      assert(out[i] != nullptr);
    }
    return out;
  }();
  return *objects[static_cast<size_t>(type)];
}

// The first field (id 0) of each payload type: the entity id, if a string.
const reflection::Field* EntityField(fb::Payload type) {
  static const auto fields = [] {
    std::array<const reflection::Field*, kEventTypeCount + 1> out{};
    for (int i = 1; i <= kEventTypeCount; ++i) {
      for (const auto* field : *PayloadObject(static_cast<fb::Payload>(i)).fields()) {
        if (field->id() == 0 && field->type()->base_type() == reflection::String) out[i] = field;
      }
    }
    return out;
  }();
  return fields[static_cast<size_t>(type)];
}

std::string_view Attribute(const reflection::Field& field, const char* key) {
  if (field.attributes() == nullptr) return {};
  const auto* kv = field.attributes()->LookupByKey(key);
  return kv == nullptr || kv->value() == nullptr ? std::string_view{} : kv->value()->string_view();
}

bool HasAttribute(const reflection::Field& field, const char* key) {
  return field.attributes() != nullptr && field.attributes()->LookupByKey(key) != nullptr;
}

bool IsUnsigned(reflection::BaseType t) {
  return t == reflection::UByte || t == reflection::UShort || t == reflection::UInt ||
         t == reflection::ULong;
}

uint64_t UnsignedMax(reflection::BaseType t) {
  switch (t) {
    case reflection::UByte:
      return std::numeric_limits<uint8_t>::max();
    case reflection::UShort:
      return std::numeric_limits<uint16_t>::max();
    case reflection::UInt:
      return std::numeric_limits<uint32_t>::max();
    default:
      return std::numeric_limits<uint64_t>::max();
  }
}

std::string Shown(const json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

Status Bad(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path + ": " + why);
}

Status CheckString(const reflection::Field& field, const json& v, const std::string& path) {
  if (!v.is_string()) return Bad(path, "must be a string, got " + Shown(v));
  const std::string& s = v.get_ref<const std::string&>();
  Status st;
  std::string_view code = Attribute(field, "code");
  std::string_view format = Attribute(field, "format");
  if (code == "credit") st = CheckCreditCode(s);
  if (code == "category") st = CheckCategoryCode(s);
  if (code == "region") st = CheckRegionCode(s);
  if (format == "date-time") st = CheckDateTime(s);
  if (format == "date") st = CheckDate(s);
  if (!st.ok()) return Bad(path, st.message());
  if (field.required() && s.empty()) return Bad(path, "must not be empty");
  return Status::OK();
}

Status CheckScalar(const reflection::Field& field, const json& v, const std::string& path) {
  const reflection::Type& type = *field.type();
  reflection::BaseType bt = type.base_type();
  if (bt == reflection::Bool) {
    if (!v.is_boolean()) return Bad(path, "must be true or false, got " + Shown(v));
    return Status::OK();
  }
  if (type.index() >= 0) {  // an enum: given by name
    const reflection::Enum& e = *Schema().enums()->Get(type.index());
    std::string names;
    for (const auto* val : *e.values()) {
      if (v.is_string() && val->name()->string_view() == v.get_ref<const std::string&>()) {
        return Status::OK();
      }
      names += (names.empty() ? "" : ", ") + val->name()->str();
    }
    return Bad(path, "must be one of " + names + ", got " + Shown(v));
  }
  if (!v.is_number_integer()) return Bad(path, "must be an integer, got " + Shown(v));
  if (!IsUnsigned(bt)) return Status::OK();  // no signed scalars in the catalog yet
  if (!v.is_number_unsigned()) {
    return Bad(path, "must not be negative, got " + Shown(v));
  }
  uint64_t n = v.get<uint64_t>();
  uint64_t max = UnsignedMax(bt);
  if (std::string_view m = Attribute(field, "max"); !m.empty()) max = std::stoull(std::string(m));
  if (n > max) return Bad(path, "must be at most " + std::to_string(max) + ", got " + Shown(v));
  return Status::OK();
}

Status CheckTable(const reflection::Object& obj, const json& j, const std::string& path);

Status CheckValue(const reflection::Field& field, const json& v, const std::string& path) {
  const reflection::Type& type = *field.type();
  switch (type.base_type()) {
    case reflection::String:
      return CheckString(field, v, path);
    case reflection::Obj:
      return CheckTable(*Schema().objects()->Get(type.index()), v, path);
    case reflection::Vector: {
      if (!v.is_array()) return Bad(path, "must be a list, got " + Shown(v));
      for (size_t i = 0; i < v.size(); ++i) {
        std::string at = path + "[" + std::to_string(i) + "]";
        if (type.element() == reflection::String) {
          if (!v[i].is_string()) return Bad(at, "must be a string, got " + Shown(v[i]));
          if (v[i].get_ref<const std::string&>().empty()) return Bad(at, "must not be empty");
        } else if (type.element() == reflection::Obj) {
          LEDGER_RETURN_IF_ERROR(CheckTable(*Schema().objects()->Get(type.index()), v[i], at));
        } else {
          return Bad(at, "unsupported list element in schema");
        }
      }
      return Status::OK();
    }
    default:
      return CheckScalar(field, v, path);
  }
}

// Checks a JSON object against a table of the schema: no unknown members,
// every required member present, every value of the right type and shape.
// Union members (the envelope's payload) are left to the caller.
Status CheckTable(const reflection::Object& obj, const json& j, const std::string& path) {
  if (!j.is_object()) return Bad(path, "must be an object, got " + Shown(j));
  std::string prefix = path.empty() ? "" : path + ".";
  for (const auto& [key, value] : j.items()) {
    const auto* field = obj.fields()->LookupByKey(key.c_str());
    if (field == nullptr || field->deprecated()) return Bad(prefix + key, "unknown field");
  }
  for (const auto* field : *obj.fields()) {
    reflection::BaseType bt = field->type()->base_type();
    if (bt == reflection::UType || bt == reflection::Union || field->deprecated()) continue;
    std::string name = field->name()->str();
    auto it = j.find(name);
    bool present = it != j.end() && !it->is_null();
    if (!present) {
      bool scalar = bt != reflection::String && bt != reflection::Vector && bt != reflection::Obj;
      bool needed =
          field->required() || (scalar && field->optional() && !HasAttribute(*field, "omissible"));
      if (needed) return Bad(prefix + name, "missing");
      continue;
    }
    LEDGER_RETURN_IF_ERROR(CheckValue(*field, *it, prefix + name));
  }
  return Status::OK();
}

// Removes null members, which stand for "absent" in the external form.
void DropNulls(json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (it->is_null()) {
        it = j.erase(it);
      } else {
        DropNulls(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) DropNulls(e);
  }
}

// A JSON string literal; bytes that are not UTF-8 (possible only in corrupt
// events) become U+FFFD instead of an exception.
std::string Quoted(const std::string& s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string_view TypeName(fb::Payload type) {
  if (type == fb::Payload::NONE || type > fb::Payload::MAX) return {};
  return fb::EnumNamePayload(type);
}

Result<fb::Payload> TypeFromName(std::string_view name) {
  for (int i = 1; i <= kEventTypeCount; ++i) {
    auto t = static_cast<fb::Payload>(i);
    if (TypeName(t) == name) return t;
  }
  return Status::NotFound("unknown event type \"" + std::string(name) + "\"");
}

Result<const fb::Event*> DecodeEvent(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < 12 || !flatbuffers::BufferHasIdentifier(data, fb::EventIdentifier(),
                                                             /*size_prefixed=*/true)) {
    return Status::Corruption("not an event: file identifier is not \"" +
                              std::string(fb::EventIdentifier()) + "\"");
  }
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!fb::VerifySizePrefixedEventBuffer(verifier)) {
    return Status::Corruption("event bytes fail the FlatBuffers verifier");
  }
  const fb::Event* event = fb::GetSizePrefixedEvent(data);
  auto type = event->data_type();
  if (type == fb::Payload::NONE || type > fb::Payload::MAX) {
    return Status::Corruption("unknown event type tag " + std::to_string(static_cast<int>(type)));
  }
  return event;
}

std::string_view EntityIdOf(const fb::Event& event) {
  const reflection::Field* field = EntityField(event.data_type());
  if (field == nullptr) return event.id()->string_view();  // an entity of its own
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(event.data());
  const auto* s = flatbuffers::GetFieldS(*table, *field);
  return s == nullptr ? std::string_view{} : s->string_view();
}

UnsignedField::UnsignedField(std::string_view name) {
  const std::string key(name);
  for (int i = 1; i <= kEventTypeCount; ++i) {
    const auto* field =
        PayloadObject(static_cast<fb::Payload>(i)).fields()->LookupByKey(key.c_str());
    if (field != nullptr && field->type()->base_type() == reflection::ULong) {
      offsets_[i] = field->offset();
    }
  }
}

std::optional<uint64_t> UnsignedField::Get(const fb::Event& event) const {
  const auto type = static_cast<size_t>(event.data_type());
  if (type >= offsets_.size() || offsets_[type] == 0) return std::nullopt;
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(event.data());
  if (!table->CheckField(offsets_[type])) return std::nullopt;
  return table->GetField<uint64_t>(offsets_[type], 0);
}

std::string EncodeViolation(const Violation& v) {
  flatbuffers::FlatBufferBuilder b(512);
  auto data = fb::CreateControlViolationRecordedDirect(b, v.rule, v.refused_event_id.c_str(),
                                                       v.refused_type.c_str(), v.reason.c_str(),
                                                       v.digest.c_str());
  auto event = fb::CreateEventDirect(b, v.id.c_str(), v.actor.c_str(), v.time.c_str(),
                                     v.correlation_id.empty() ? nullptr : v.correlation_id.c_str(),
                                     flatbuffers::nullopt, kSchemaVersion,
                                     fb::Payload::ControlViolationRecorded, data.Union());
  fb::FinishSizePrefixedEventBuffer(b, event);
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

JsonCodec::JsonCodec() : parser_(std::make_unique<flatbuffers::Parser>()) {
  parser_->opts.strict_json = true;
  parser_->opts.indent_step = -1;
  parser_->opts.natural_utf8 = true;
  parser_->opts.size_prefixed = true;  // so that a truncated event never verifies
  bool ok = parser_->Deserialize(kEventSchemaBfbs, kEventSchemaBfbsSize);
  assert(ok && "embedded schema does not load");
  (void)ok;
}

JsonCodec::~JsonCodec() = default;

Result<std::string> JsonCodec::Parse(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("malformed JSON");
  if (!j.is_object()) return Status::InvalidArgument("an event must be a JSON object");

  auto type_it = j.find("type");
  if (type_it == j.end()) return Bad("type", "missing");
  if (!type_it->is_string()) return Bad("type", "must be a string, got " + Shown(*type_it));
  auto type = TypeFromName(type_it->get_ref<const std::string&>());
  if (!type.ok()) return Bad("type", type.status().message());
  auto data_it = j.find("data");
  if (data_it == j.end()) return Bad("data", "missing");

  json envelope = json::object();
  for (const auto& [key, value] : j.items()) {
    if (key == "type" || key == "data") continue;
    bool known = false;
    for (auto m : kLedgerMembers) known = known || key == m;
    if (known) continue;  // added by the ledger when printing; ignored on input
    for (auto m : kEnvelopeMembers) known = known || key == m;
    if (!known) return Bad(key, "unknown field");
    envelope[key] = value;
  }
  DropNulls(envelope);
  LEDGER_RETURN_IF_ERROR(
      CheckTable(*Schema().objects()->LookupByKey("ledger.fb.Event"), envelope, ""));
  json data = *data_it;
  DropNulls(data);
  LEDGER_RETURN_IF_ERROR(CheckTable(PayloadObject(*type), data, "data"));

  envelope["data_type"] = type_it->get_ref<const std::string&>();
  envelope["data"] = std::move(data);
  std::string fb_json = envelope.dump();
  if (!parser_->ParseJson(fb_json.c_str())) {
    return Status::InvalidArgument("schema: " + parser_->error_);
  }
  std::string bytes(reinterpret_cast<const char*>(parser_->builder_.GetBufferPointer()),
                    parser_->builder_.GetSize());
  parser_->builder_.Clear();
  auto decoded = DecodeEvent(bytes);
  if (!decoded.ok()) return Status::InvalidArgument(decoded.status().message());
  return bytes;
}

std::string JsonCodec::DataToJson(const fb::Event& event) {
  std::string text;
  std::string table = "ledger.fb." + std::string(TypeName(event.data_type()));
  if (!flatbuffers::GenerateTextFromTable(*parser_, event.data(), table, &text)) return "{}";
  return text;
}

std::string JsonCodec::ToJson(const fb::Event& event, const LedgerFields& extra) {
  auto str = [](const flatbuffers::String* s) { return Quoted(s == nullptr ? "" : s->str()); };
  std::string out = "{";
  if (extra.position) out += "\"position\":" + std::to_string(*extra.position) + ",";
  out += "\"type\":\"" + std::string(TypeName(event.data_type())) + "\"";
  out += ",\"id\":" + str(event.id());
  out += ",\"entity_id\":" + Quoted(std::string(EntityIdOf(event)));
  out += ",\"actor\":" + str(event.actor());
  out += ",\"time\":" + str(event.time());
  if (event.correlation_id() != nullptr)
    out += ",\"correlation_id\":" + str(event.correlation_id());
  if (event.expected_version()) {
    out += ",\"expected_version\":" + std::to_string(*event.expected_version());
  }
  out += ",\"schema_version\":" + std::to_string(event.schema_version());
  if (!extra.recorded_at.empty()) out += ",\"recorded_at\":\"" + extra.recorded_at + "\"";
  out += ",\"data\":" + DataToJson(event);
  if (!extra.hash.empty()) out += ",\"hash\":\"" + extra.hash + "\"";
  out += "}";
  return out;
}

}  // namespace ledger::events
