// The event codec: the only place that touches FlatBuffers and event JSON.
//
//   JSON line  --JsonCodec::Parse-->  event bytes  --DecodeEvent-->  const fb::Event*
//   const fb::Event*  --JsonCodec::ToJson-->  JSON line
//
// The schema (events/schema/*.fbs) is the single source of truth: JSON input is
// checked field by field against the schema's reflection data (unknown fields,
// missing fields, ill-typed values, negative money, bad codes and dates are
// refused with the field named), then built by FlatBuffers' own JSON parser.
// Every input limit (line, field and list sizes, money, the characters of ids
// and text, the business-time window, duplicate keys, number ranges, UTF-8) is
// in one table: events/README.md, "Input limits"; the values in events/limits.h.
// Output is RFC 8259 JSON whatever the stored bytes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "events/event_generated.h"
#include "events/status.h"

namespace flatbuffers {
class Parser;
}

namespace ledger::events {

namespace fb = ::ledger::fb;

// Number of event types in the catalog (the union's members, NONE excluded).
inline constexpr int kEventTypeCount = static_cast<int>(fb::Payload::MAX);
// The schema version this build writes into every envelope.
inline constexpr uint16_t kSchemaVersion = 1;

// "PaymentMade" for fb::Payload::PaymentMade; "" for NONE or unknown tags.
std::string_view TypeName(fb::Payload type);
// The type called `name`, or NotFound.
Result<fb::Payload> TypeFromName(std::string_view name);

// The text of an optional string field ("" when absent).
inline std::string_view View(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view{} : s->string_view();
}

// Verifies `bytes` as an event: file identifier, FlatBuffers verifier (every
// offset and required field), a known payload type. The returned pointer
// points into `bytes` and lives as long as they do. Corrupt or foreign bytes
// give Corruption, never a crash.
Result<const fb::Event*> DecodeEvent(std::string_view bytes);

// The entity an event belongs to: the first field of its payload table (for
// ConfigStandardSet, the category). A payload whose first field is not a
// string (ControlViolationRecorded) is an entity of its own: its event id.
// Points into the event's buffer.
std::string_view EntityIdOf(const fb::Event& event);

// A payload field of one base type known by name (e.g. "amount_fen"),
// looked up in the schema once for every payload type that has it.
class PayloadField {
 protected:
  PayloadField(std::string_view name, int base_type);  // a reflection::BaseType
  // The event's payload table when its type has the field and the event
  // holds it, with the field's vtable offset; nullptr otherwise.
  const flatbuffers::Table* Holder(const fb::Event& event, uint16_t* offset) const;

 private:
  std::array<uint16_t, kEventTypeCount + 1> offsets_{};  // vtable offset; 0: none
};

// A ulong (uint64) payload field.
class UnsignedField : PayloadField {
 public:
  explicit UnsignedField(std::string_view name);
  // Its value in `event`; nullopt when the payload type has no such field or
  // the event leaves it out.
  std::optional<uint64_t> Get(const fb::Event& event) const;
};

// A string payload field (e.g. "unit_code").
class StringField : PayloadField {
 public:
  explicit StringField(std::string_view name);
  // Its text in `event`; "" when the payload type has no such field or the
  // event leaves it out. Points into the event's buffer.
  std::string_view Get(const fb::Event& event) const;
};

// The evidence of a refused event, written by the ledger itself.
struct Violation {
  std::string id;  // the violation event's own id
  std::string actor;
  std::string time;  // business time of the refused event
  std::string correlation_id;
  fb::RuleId rule = fb::RuleId::R12;
  std::string refused_event_id;
  std::string refused_type;
  std::string reason;
  std::string digest;  // hex SHA-256 of the refused event's bytes
  std::string refused_actor;
  std::string refused_entity_id;
  std::string refused_unit_code;  // empty: the refused event names no unit
};
// Event bytes of a ControlViolationRecorded.
std::string EncodeViolation(const Violation& v);

// What the ledger adds around an event when it prints one.
struct LedgerFields {
  std::optional<uint64_t> position;
  std::string recorded_at;  // RFC 3339, empty: not printed
  std::string hash;         // hex, empty: not printed
};

// JSON <-> event. Holds a FlatBuffers parser loaded with the schema, so it is
// not thread-safe, and costly to construct: keep one per thread.
class JsonCodec {
 public:
  // Business times are checked against the wall clock, the ledger's.
  JsonCodec();
  // ... or against `now_us` (microseconds since the Unix epoch), e.g. a fixed
  // instant in tests.
  explicit JsonCodec(std::function<int64_t()> now_us);
  ~JsonCodec();
  JsonCodec(const JsonCodec&) = delete;
  JsonCodec& operator=(const JsonCodec&) = delete;

  // One event in the external JSON form (see events/README.md) to verified
  // event bytes. On error: InvalidArgument naming the field and what is wrong
  // ("data.amount_fen: must not be negative, got -1"); the caller names the
  // line. Nothing is kept.
  Result<std::string> Parse(std::string_view json);

  // The event in the external JSON form, on one line, with `extra` fields.
  // Strict JSON whatever the stored strings hold: control characters and DEL
  // escaped, bytes that are not UTF-8 as U+FFFD.
  std::string ToJson(const fb::Event& event, const LedgerFields& extra = {});

  // The payload alone as a JSON object, as strict.
  std::string DataToJson(const fb::Event& event);

 private:
  std::unique_ptr<flatbuffers::Parser> parser_;
  std::function<int64_t()> now_us_;
};

}  // namespace ledger::events
