#include "events/codec.h"

#include <flatbuffers/idl.h>
#include <flatbuffers/reflection.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "events/codes.h"
#include "events/limits.h"
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

// ---- UTF-8 and JSON strings ----------------------------------------------

// The length of the UTF-8 sequence at s[i], 0 when the bytes there are not
// UTF-8 (overlong forms, surrogates and values above U+10FFFF included).
size_t Utf8Length(std::string_view s, size_t i, uint32_t* code_point = nullptr) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 1;
  uint32_t v = c;
  if (c >= 0x80) {
    if ((c & 0xE0) == 0xC0) {
      n = 2;
      v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3;
      v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4;
      v = c & 0x07;
    } else {
      return 0;
    }
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return 0;
      v = (v << 6) | (byte(i + k) & 0x3F);
    }
    const uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;  // shorter: overlong
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  }
  if (code_point != nullptr) *code_point = v;
  return n;
}

// The bytes from s[i], where no UTF-8 character starts, that print as one
// U+FFFD: the longest start of a sequence there, at least one byte (Unicode's
// "maximal subpart", which nlohmann::json's replacing dump uses too).
size_t BadSequenceLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 1;
  size_t k = 1;
  for (; k < n && i + k < s.size(); ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    // The second byte's range is narrower after E0, ED, F0 and F4.
    const unsigned char lo = k > 1 ? 0x80 : c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = k > 1 ? 0xBF : c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (b < lo || b > hi) break;
  }
  return k;
}

// Appends s[i...], where no UTF-8 character starts, up to the next one (or the
// end): U+FFFD for each maximal subpart. Returns the bytes consumed.
size_t AppendReplacement(std::string* out, std::string_view s, size_t i) {
  size_t start = i;
  while (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80 && Utf8Length(s, i) == 0) {
    *out += "\\ufffd";
    i += BadSequenceLength(s, i);
  }
  return i - start;
}

size_t FirstNonUtf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n) {
    if ((n = Utf8Length(s, i)) == 0) return i;
  }
  return std::string_view::npos;
}

// Upper case for messages ("U+001B", "byte 0xFF"), lower for JSON escapes.
std::string Hex(uint32_t v, int digits, bool upper = true) {
  char buf[16];
  std::snprintf(buf, sizeof buf, upper ? "%0*X" : "%0*x", digits, v);
  return buf;
}

// A control character or DEL, escaped as RFC 8259 has it.
void AppendEscaped(std::string* out, unsigned char c) {
  switch (c) {
    case '"':
      *out += "\\\"";
      break;
    case '\\':
      *out += "\\\\";
      break;
    case '\n':
      *out += "\\n";
      break;
    case '\t':
      *out += "\\t";
      break;
    case '\r':
      *out += "\\r";
      break;
    case '\b':
      *out += "\\b";
      break;
    case '\f':
      *out += "\\f";
      break;
    default:
      *out += "\\u" + Hex(c, 4, /*upper=*/false);
  }
}

// `s` as a JSON string literal, whatever its bytes: control characters and DEL
// escaped, bytes that are not UTF-8 as U+FFFD.
void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = Utf8Length(s, i);
      if (n == 0) {
        i += AppendReplacement(out, s, i);
      } else {
        out->append(s, i, n);
        i += n;
      }
      continue;
    }
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      AppendEscaped(out, c);
    } else {
      out->push_back(static_cast<char>(c));
    }
    ++i;
  }
  out->push_back('"');
}

// FlatBuffers' printer (natural_utf8, allow_non_utf8) copies UTF-8 as it is and
// escapes " \ \n \t \r \b \f, but leaves the other control characters and DEL
// raw and writes each byte that is not UTF-8 as \xNN, which JSON does not have.
// It writes none of these outside strings (and every backslash it writes
// starts an escape), so each is fixed where it is: escaped, and a run of \xNN
// as AppendJsonString replaces those bytes.
std::string StrictJson(std::string text) {
  auto needs_fix = [&](size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    return c < 0x20 || c == 0x7F || (c == '\\' && i + 1 < text.size() && text[i + 1] == 'x');
  };
  size_t i = 0;
  while (i < text.size() && !needs_fix(i)) i += text[i] == '\\' ? 2 : 1;
  if (i >= text.size()) return text;
  std::string out(text, 0, i);
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' && i + 1 < text.size()) {
      if (text[i + 1] == 'x') {
        std::string bytes;
        for (; i + 3 < text.size() && text[i] == '\\' && text[i + 1] == 'x'; i += 4) {
          bytes.push_back(static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16)));
        }
        AppendReplacement(&out, bytes, 0);
      } else {
        out.append(text, i, 2);
        i += 2;
      }
    } else if (c < 0x20 || c == 0x7F) {
      AppendEscaped(&out, c);
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
      ++i;
    }
  }
  return out;
}

// ---- messages ------------------------------------------------------------

// At most `max` bytes of `s`, cut at a character boundary, "..." marking a cut.
std::string Clipped(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

// A value in a message: JSON, at most 40 bytes.
std::string Shown(const json& v) {
  return Clipped(v.dump(-1, ' ', false, json::error_handler_t::replace), 40);
}

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A member name in a path: as it is when it is a plain name, else quoted.
std::string PathKey(std::string_view name) {
  bool plain = !name.empty() && name.size() <= 64;
  for (char c : name) plain = plain && (IsAlnum(c) || c == '_');
  if (plain) return std::string(name);
  std::string out;
  AppendJsonString(&out, Clipped(name, 40));
  return out;
}

// Where a value is in the line; spelled "data.items[0].quantity" for a
// message only, so that checking a valid line builds no strings.
struct Path {
  const Path* parent = nullptr;  // nullptr: the line itself
  std::string_view member;       // a member's name, or
  std::optional<size_t> index;   // a list element's index

  Path Member(std::string_view name) const { return {this, name, std::nullopt}; }
  Path Element(size_t i) const { return {this, {}, i}; }
  std::string str() const {
    if (parent == nullptr) return "";
    std::string head = parent->str();
    if (index) return head + "[" + std::to_string(*index) + "]";
    return head.empty() ? PathKey(member) : head + "." + PathKey(member);
  }
};

Status Bad(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path.empty() ? why : path + ": " + why);
}
Status Bad(const Path& path, const std::string& why) { return Bad(path.str(), why); }

// "U+0000" or "'#'", for the character at s[i] (s is UTF-8).
std::string CharAt(std::string_view s, size_t i) {
  uint32_t cp = static_cast<unsigned char>(s[i]);
  Utf8Length(s, i, &cp);
  if (cp > 0x20 && cp < 0x7F) return std::string("'") + s[i] + "'";
  return "U+" + Hex(cp, 4);
}

// ---- one pass over the text ------------------------------------------------

// Builds the DOM of a line in the parser's single pass, refusing on the way
// what the DOM would hide or cannot hold: a member given twice (the last one
// would win), integers beyond 64 bits (nlohmann would round them to a double),
// numbers beyond a double, overlong number literals, nesting deeper than
// kMaxDepth. Where the text is not UTF-8 or not JSON, names the member the
// parser was in. A SAX handler of nlohmann::json.
class DomBuilder {
 public:
  // `skeleton`: a line too long to take, read only to find what makes it so:
  // strings are measured, not kept.
  explicit DomBuilder(std::string_view text, bool skeleton = false)
      : text_(text), skeleton_(skeleton) {}
  json& root() { return root_; }
  const Status& error() const { return error_; }

  // The longest string and the longest list seen, with where they are.
  struct Longest {
    size_t size = 0;
    std::string path;
  };
  const Longest& longest_string() const { return longest_string_; }
  const Longest& longest_list() const { return longest_list_; }

  bool null() { return Put(nullptr); }
  bool boolean(bool b) { return Put(b); }
  bool number_integer(json::number_integer_t n) { return Put(n); }
  bool number_unsigned(json::number_unsigned_t n) { return Put(n); }
  bool number_float(json::number_float_t x, const std::string& literal) {
    if (literal.size() > kMaxNumberChars) return NumberTooLong(literal);
    if (literal.find_first_of(".eE") == std::string::npos) {
      return Fail("number " + literal + " is out of range (more than 64 bits)");
    }
    return Put(x);
  }
  bool string(std::string& s) {
    if (!skeleton_) return Put(std::move(s));
    if (s.size() > longest_string_.size) longest_string_ = {s.size(), Where(frames_.size())};
    return Put(nullptr);
  }
  bool binary(json::binary_t&) { return Fail("binary value"); }  // not in JSON text
  bool start_object(size_t) { return Open(json::value_t::object); }
  bool key(std::string& name) {
    Frame& f = frames_.back();
    auto [it, inserted] = f.value->get_ref<json::object_t&>().emplace(std::move(name), nullptr);
    f.key = it->first;
    f.member = &it->second;
    f.open = true;
    return inserted || Fail("given twice (duplicate member name)");
  }
  bool end_object() { return Close(); }
  bool start_array(size_t) { return Open(json::value_t::array); }
  bool end_array() {
    if (skeleton_ && frames_.back().value->size() > longest_list_.size) {
      longest_list_ = {frames_.back().value->size(), Where(frames_.size() - 1)};
    }
    return Close();
  }
  bool parse_error(size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    if (e.id == 406) {  // a number literal beyond a double
      if (token.size() > kMaxNumberChars) return NumberTooLong(token);
      return Fail("number " + token + " is out of range (not a finite double)");
    }
    size_t bad = FirstNonUtf8(text_);
    if (bad < position) {
      return Fail("invalid UTF-8 (byte 0x" + Hex(static_cast<unsigned char>(text_[bad]), 2) +
                  " at offset " + std::to_string(bad) + " of the line)");
    }
    std::string what = e.what();
    if (what.find("invalid string: control character") != std::string::npos && position > 0 &&
        position <= text_.size()) {  // the lexer stopped right after it
      std::string u = Hex(static_cast<unsigned char>(text_[position - 1]), 4);
      return Fail("control character U+" + u + " must be written as \\u" + u);
    }
    // The parser's own account, up to the bytes it read (which may be anything).
    size_t from = what.find(" - ");
    std::string detail =
        from == std::string::npos ? "" : what.substr(from + 3, what.find("; last read") - from - 3);
    return Fail("malformed JSON", detail);
  }

 private:
  struct Frame {
    json* value;             // the object or list being filled
    std::string_view key;    // an object's latest member name
    json* member = nullptr;  // and its value
    bool open = false;       // that value is not complete yet
  };

  bool Put(json v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return true;
    }
    Frame& f = frames_.back();
    if (f.value->is_array()) {
      f.value->push_back(std::move(v));
    } else {
      *f.member = std::move(v);
      f.open = false;
    }
    return true;
  }
  bool Open(json::value_t type) {
    if (frames_.size() >= kMaxDepth) {
      return Fail("nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    json* child = &root_;
    if (!frames_.empty()) {
      Frame& f = frames_.back();
      if (f.value->is_array()) {
        f.value->push_back(json(type));
        child = &f.value->back();
      } else {
        *f.member = json(type);
        child = f.member;
      }
    } else {
      root_ = json(type);
    }
    frames_.push_back({child});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    if (!frames_.empty()) frames_.back().open = false;
    return true;
  }
  bool NumberTooLong(const std::string& literal) {
    return Fail("number literal of " + std::to_string(literal.size()) +
                " characters is longer than " + std::to_string(kMaxNumberChars));
  }
  // Where the parser is, within the first `depth` containers; `in_name`:
  // between an object's members (in a name, or where one was due).
  std::string Where(size_t depth, bool* in_name = nullptr) const {
    std::string path;
    for (size_t i = 0; i < depth; ++i) {
      const Frame& f = frames_[i];
      const bool last = i + 1 == frames_.size();
      if (f.value->is_array()) {
        path += "[" + std::to_string(f.value->size() - (last ? 0 : 1)) + "]";
      } else if (!last || f.open) {
        path += (path.empty() ? "" : ".") + PathKey(f.key);
      } else if (in_name != nullptr) {
        *in_name = true;
      }
    }
    return path;
  }
  // Refuses the line, naming where the parser is. A syntax error between the
  // line's own members is plain "malformed JSON" (the caller names the line).
  bool Fail(const std::string& why, const std::string& detail = "") {
    bool in_name = false;
    std::string path = Where(frames_.size(), &in_name);
    if (why == "malformed JSON") {
      error_ = Bad(path, path.empty() || detail.empty() ? why : why + " (" + detail + ")");
    } else {
      error_ = Bad(path, in_name ? "in a member name: " + why : why);
    }
    return false;
  }

  std::string_view text_;
  bool skeleton_;
  json root_;
  std::vector<Frame> frames_;
  Status error_;
  Longest longest_string_, longest_list_;
};

// A line longer than kMaxLineBytes, refused naming what makes it long: a list
// beyond kMaxListLength, else a string beyond kMaxTextBytes, if there is one.
Status TooLong(std::string_view text) {
  DomBuilder scan(text, /*skeleton=*/true);
  (void)json::sax_parse(text.begin(), text.end(), &scan);  // refused whatever else is wrong
  std::string line = "the line " + std::to_string(text.size()) + " bytes, longer than " +
                     std::to_string(kMaxLineBytes);
  if (scan.longest_list().size > kMaxListLength) {
    return Bad(scan.longest_list().path,
               "a list of " + std::to_string(scan.longest_list().size) + " elements makes " + line);
  }
  if (scan.longest_string().size > kMaxTextBytes) {
    return Bad(scan.longest_string().path,
               "a value of " + std::to_string(scan.longest_string().size) + " bytes makes " + line);
  }
  return Status::InvalidArgument("a line of " + std::to_string(text.size()) +
                                 " bytes is longer than " + std::to_string(kMaxLineBytes));
}

// ---- the checks against the schema ----------------------------------------

// The characters of ids and codes: ASCII letters, digits, kIdPunctuation.
const std::array<bool, 256>& IdChars() {
  static const auto chars = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = IsAlnum(static_cast<char>(c));
    for (char c : kIdPunctuation) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  return chars;
}

Status CheckId(std::string_view s, const Path& path) {
  if (s.size() > kMaxIdBytes) {
    return Bad(path, "an id of " + std::to_string(s.size()) + " bytes is longer than " +
                         std::to_string(kMaxIdBytes));
  }
  const auto& ok = IdChars();
  for (size_t i = 0; i < s.size(); ++i) {
    if (!ok[static_cast<unsigned char>(s[i])]) {
      return Bad(path, CharAt(s, i) + " at byte " + std::to_string(i) +
                           " is not allowed in an id (letters, digits and " +
                           std::string(kIdPunctuation) + ")");
    }
  }
  return Status::OK();
}

// Free text: UTF-8 (the parser saw to it) without control characters (C0,
// DEL, C1) but the newline.
Status CheckText(std::string_view s, const Path& path) {
  if (s.size() > kMaxTextBytes) {
    return Bad(path, "text of " + std::to_string(s.size()) + " bytes is longer than " +
                         std::to_string(kMaxTextBytes));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool control = (c < 0x20 && c != '\n') || c == 0x7F ||
                         (c == 0xC2 && i + 1 < s.size() && (s[i + 1] & 0xE0) == 0x80);
    if (control) {
      return Bad(path, "control character " + CharAt(s, i) + " at byte " + std::to_string(i) +
                           " is not allowed in text (newlines are)");
    }
  }
  return Status::OK();
}

// What one parse checks against: the ledger's clock.
struct Context {
  int64_t now_us = 0;
};

// The envelope's business time, within its window around the ledger's clock.
Status CheckBusinessTime(std::string_view s, const Path& path, const Context& ctx) {
  static const int64_t earliest = DateTimeMicros(kEarliestBusinessTime).value();
  const int64_t t = DateTimeMicros(s).value();
  if (t < earliest) {
    return Bad(path, "\"" + std::string(s) + "\" is before " + std::string(kEarliestBusinessTime) +
                         ", the earliest business time the ledger takes");
  }
  if (t > ctx.now_us + kMaxFutureDays * 86'400'000'000) {
    return Bad(path, "\"" + std::string(s) + "\" is more than " + std::to_string(kMaxFutureDays) +
                         " days after the ledger's clock");
  }
  return Status::OK();
}

const reflection::Field& BusinessTimeField() {
  static const auto* field =
      Schema().objects()->LookupByKey("ledger.fb.Event")->fields()->LookupByKey("time");
  return *field;
}

// One non-empty string value of `field` (itself, or an element of it).
Status CheckStringValue(const reflection::Field& field, const std::string& s, const Path& path,
                        const Context& ctx) {
  if (HasAttribute(field, "text")) return CheckText(s, path);
  LEDGER_RETURN_IF_ERROR(CheckId(s, path));
  Status st;
  std::string_view code = Attribute(field, "code");
  std::string_view format = Attribute(field, "format");
  if (code == "credit") st = CheckCreditCode(s);
  if (code == "category") st = CheckCategoryCode(s);
  if (code == "region") st = CheckRegionCode(s);
  if (format == "date-time") st = CheckDateTime(s);
  if (format == "date") st = CheckDate(s);
  if (!st.ok()) return Bad(path, st.message());
  if (&field == &BusinessTimeField()) return CheckBusinessTime(s, path, ctx);
  if (!format.empty()) {
    int year = std::stoi(s.substr(0, 4));
    if (year < kFirstDataYear || year > kLastDataYear) {
      return Bad(path, "\"" + s + "\": the year is outside " + std::to_string(kFirstDataYear) +
                           "-" + std::to_string(kLastDataYear));
    }
  }
  return Status::OK();
}

Status CheckString(const reflection::Field& field, const json& v, const Path& path,
                   const Context& ctx) {
  if (!v.is_string()) return Bad(path, "must be a string, got " + Shown(v));
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) return field.required() ? Bad(path, "must not be empty") : Status::OK();
  return CheckStringValue(field, s, path, ctx);
}

Status CheckScalar(const reflection::Field& field, const json& v, const Path& path) {
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
  if (field.name()->string_view().ends_with("_fen")) max = std::min(max, kMaxFen);
  if (n > max) return Bad(path, "must be at most " + std::to_string(max) + ", got " + Shown(v));
  return Status::OK();
}

Status CheckTable(const reflection::Object& obj, const json& j, const Path& path,
                  const Context& ctx);

Status CheckValue(const reflection::Field& field, const json& v, const Path& path,
                  const Context& ctx) {
  const reflection::Type& type = *field.type();
  switch (type.base_type()) {
    case reflection::String:
      return CheckString(field, v, path, ctx);
    case reflection::Obj:
      return CheckTable(*Schema().objects()->Get(type.index()), v, path, ctx);
    case reflection::Vector: {
      if (!v.is_array()) return Bad(path, "must be a list, got " + Shown(v));
      if (v.size() > kMaxListLength) {
        return Bad(path, "a list of " + std::to_string(v.size()) + " elements is longer than " +
                             std::to_string(kMaxListLength));
      }
      for (size_t i = 0; i < v.size(); ++i) {
        Path at = path.Element(i);
        if (type.element() == reflection::String) {
          if (!v[i].is_string()) return Bad(at, "must be a string, got " + Shown(v[i]));
          const std::string& s = v[i].get_ref<const std::string&>();
          if (s.empty()) return Bad(at, "must not be empty");
          LEDGER_RETURN_IF_ERROR(CheckStringValue(field, s, at, ctx));
        } else if (type.element() == reflection::Obj) {
          LEDGER_RETURN_IF_ERROR(CheckTable(*Schema().objects()->Get(type.index()), v[i], at, ctx));
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
// every required member present, every value of the right type and shape and
// within the input limits. Union members (the envelope's payload) are left to
// the caller.
Status CheckTable(const reflection::Object& obj, const json& j, const Path& path,
                  const Context& ctx) {
  if (!j.is_object()) return Bad(path, "must be an object, got " + Shown(j));
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto* field = obj.fields()->LookupByKey(it.key().c_str());
    if (field == nullptr || field->deprecated()) return Bad(path.Member(it.key()), "unknown field");
  }
  for (const auto* field : *obj.fields()) {
    reflection::BaseType bt = field->type()->base_type();
    if (bt == reflection::UType || bt == reflection::Union || field->deprecated()) continue;
    std::string_view name = field->name()->string_view();
    auto it = j.find(name);
    bool present = it != j.end() && !it->is_null();
    if (!present) {
      bool scalar = bt != reflection::String && bt != reflection::Vector && bt != reflection::Obj;
      bool needed =
          field->required() || (scalar && field->optional() && !HasAttribute(*field, "omissible"));
      if (needed) return Bad(path.Member(name), "missing");
      continue;
    }
    LEDGER_RETURN_IF_ERROR(CheckValue(*field, *it, path.Member(name), ctx));
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

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
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

PayloadField::PayloadField(std::string_view name, int base_type) {
  const std::string key(name);
  for (int i = 1; i <= kEventTypeCount; ++i) {
    const auto* field =
        PayloadObject(static_cast<fb::Payload>(i)).fields()->LookupByKey(key.c_str());
    if (field != nullptr && field->type()->base_type() == base_type) offsets_[i] = field->offset();
  }
}

const flatbuffers::Table* PayloadField::Holder(const fb::Event& event, uint16_t* offset) const {
  const auto type = static_cast<size_t>(event.data_type());
  if (type >= offsets_.size() || offsets_[type] == 0) return nullptr;
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(event.data());
  if (!table->CheckField(offsets_[type])) return nullptr;
  *offset = offsets_[type];
  return table;
}

UnsignedField::UnsignedField(std::string_view name) : PayloadField(name, reflection::ULong) {}

std::optional<uint64_t> UnsignedField::Get(const fb::Event& event) const {
  uint16_t offset = 0;
  const flatbuffers::Table* table = Holder(event, &offset);
  if (table == nullptr) return std::nullopt;
  return table->GetField<uint64_t>(offset, 0);
}

StringField::StringField(std::string_view name) : PayloadField(name, reflection::String) {}

std::string_view StringField::Get(const fb::Event& event) const {
  uint16_t offset = 0;
  const flatbuffers::Table* table = Holder(event, &offset);
  if (table == nullptr) return {};
  return View(table->GetPointer<const flatbuffers::String*>(offset));
}

std::string EncodeViolation(const Violation& v) {
  flatbuffers::FlatBufferBuilder b(512);
  auto data = fb::CreateControlViolationRecordedDirect(
      b, v.rule, v.refused_event_id.c_str(), v.refused_type.c_str(), v.reason.c_str(),
      v.digest.c_str(), v.refused_actor.c_str(), v.refused_entity_id.c_str(),
      v.refused_unit_code.empty() ? nullptr : v.refused_unit_code.c_str());
  auto event = fb::CreateEventDirect(b, v.id.c_str(), v.actor.c_str(), v.time.c_str(),
                                     v.correlation_id.empty() ? nullptr : v.correlation_id.c_str(),
                                     flatbuffers::nullopt, kSchemaVersion,
                                     fb::Payload::ControlViolationRecorded, data.Union());
  fb::FinishSizePrefixedEventBuffer(b, event);
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

JsonCodec::JsonCodec() : JsonCodec(WallClockMicros) {}

JsonCodec::JsonCodec(std::function<int64_t()> now_us)
    : parser_(std::make_unique<flatbuffers::Parser>()), now_us_(std::move(now_us)) {
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
  if (text.size() > kMaxLineBytes) return TooLong(text);
  DomBuilder dom(text);
  if (!json::sax_parse(text.begin(), text.end(), &dom)) return dom.error();
  json& j = dom.root();
  if (!j.is_object()) return Status::InvalidArgument("an event must be a JSON object");

  auto type_it = j.find("type");
  if (type_it == j.end()) return Bad("type", "missing");
  if (!type_it->is_string()) return Bad("type", "must be a string, got " + Shown(*type_it));
  auto type = TypeFromName(type_it->get_ref<const std::string&>());
  if (!type.ok()) return Bad("type", "unknown event type " + Shown(*type_it));
  auto data_it = j.find("data");
  if (data_it == j.end()) return Bad("data", "missing");

  // What remains of the line is the envelope: the members of fb::Event.
  for (auto it = j.begin(); it != j.end();) {
    const std::string& key = it.key();
    bool ignored = false, known = key == "data";
    for (auto m : kLedgerMembers) ignored = ignored || key == m;
    for (auto m : kEnvelopeMembers) known = known || key == m;
    if (key == "type" || ignored) {  // ignored: added by the ledger when printing
      it = j.erase(it);
    } else if (!known) {
      return Bad(PathKey(key), "unknown field");
    } else if (it->is_null()) {
      it = j.erase(it);
    } else {
      ++it;
    }
  }
  const Path line;
  const Context ctx{now_us_()};
  LEDGER_RETURN_IF_ERROR(
      CheckTable(*Schema().objects()->LookupByKey("ledger.fb.Event"), j, line, ctx));
  json& data = j["data"];
  DropNulls(data);
  LEDGER_RETURN_IF_ERROR(CheckTable(PayloadObject(*type), data, line.Member("data"), ctx));

  j["data_type"] = TypeName(*type);
  std::string fb_json = j.dump();
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
  // Stored bytes that are not UTF-8 (an older or hostile writer's) print as
  // \xNN instead of failing the whole table; StrictJson makes them JSON. The
  // input FlatBuffers parses is nlohmann's dump, UTF-8 throughout.
  parser_->opts.allow_non_utf8 = true;
  bool ok = flatbuffers::GenerateTextFromTable(*parser_, event.data(), table, &text);
  parser_->opts.allow_non_utf8 = false;
  if (!ok) return "{}";
  return StrictJson(std::move(text));
}

std::string JsonCodec::ToJson(const fb::Event& event, const LedgerFields& extra) {
  std::string out = "{";
  auto member = [&](std::string_view name, std::string_view value) {
    out += ",\"";
    out += name;
    out += "\":";
    AppendJsonString(&out, value);
  };
  if (extra.position) out += "\"position\":" + std::to_string(*extra.position) + ",";
  out += "\"type\":\"" + std::string(TypeName(event.data_type())) + "\"";
  member("id", View(event.id()));
  member("entity_id", EntityIdOf(event));
  member("actor", View(event.actor()));
  member("time", View(event.time()));
  if (event.correlation_id() != nullptr) member("correlation_id", View(event.correlation_id()));
  if (event.expected_version()) {
    out += ",\"expected_version\":" + std::to_string(*event.expected_version());
  }
  out += ",\"schema_version\":" + std::to_string(event.schema_version());
  if (!extra.recorded_at.empty()) member("recorded_at", extra.recorded_at);
  out += ",\"data\":" + DataToJson(event);
  if (!extra.hash.empty()) member("hash", extra.hash);
  out += "}";
  return out;
}

}  // namespace ledger::events
