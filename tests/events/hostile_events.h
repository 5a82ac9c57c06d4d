// Event bytes holding what the codec never admits (control characters, bytes
// that are not UTF-8), built with FlatBuffers directly, as a store written by
// an older or hostile writer holds them.
#pragma once

#include <string>
#include <vector>

#include "events/codec.h"

namespace ledger::testing {

// Every control character 0x00-0x1F and DEL, a quote and a backslash, then
// ill-formed UTF-8 between letters (a stray byte, an overlong form, a
// surrogate, a cut sequence, a lone continuation byte, a value past U+10FFFF)
// and some Chinese.
inline std::string Hostile() {
  std::string s;
  for (int c = 0; c < 0x20; ++c) s.push_back(static_cast<char>(c));
  s += "\x7f\"\\";
  s += "a\xff"
       "b\xc0\xaf"
       "c\xed\xa0\x80"
       "d\xe4\xb8"
       "e\x80"
       "f\xf4\x90\x80\x80"
       "g中文";
  return s;
}

// Hostile() as a strict JSON reader reads it from the ledger's output: U+FFFD
// for each maximal start of a UTF-8 sequence that is not one (the cut
// sequence is one, the other bytes one each).
inline std::string HostileAsRead() {
  const std::string r = "\xef\xbf\xbd";  // U+FFFD
  std::string s = Hostile().substr(0, 0x23);
  s += "a" + r + "b" + r + r + "c" + r + r + r + "d" + r + "e" + r + "f" + r + r + r + r;
  return s + "g中文";
}

// Finishes a size-prefixed event of `type` with envelope strings as given.
inline std::string FinishEvent(flatbuffers::FlatBufferBuilder& b, const std::string& id,
                               const std::string& text, fb::Payload type,
                               flatbuffers::Offset<void> data) {
  auto event = fb::CreateEvent(b, b.CreateString(id), b.CreateString(text), b.CreateString(text),
                               b.CreateString(text), flatbuffers::nullopt, 1, type, data);
  fb::FinishSizePrefixedEventBuffer(b, event);
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

// A unit, an asset of it, a demand of it ("DEM-CTL-1") and its warehouse
// query, every string but the demand id, the category and the booleans and
// numbers made of `text`; events the control rules accept in this order.
inline std::vector<std::string> HostileChain(const std::string& text) {
  std::vector<std::string> out;
  const std::string unit = "U-" + text, asset = "AST-" + text, demand = "DEM-CTL-1";
  {
    flatbuffers::FlatBufferBuilder b;
    auto d = fb::CreateUnitRegistered(b, b.CreateString(unit), b.CreateString(text),
                                      b.CreateString(text));
    out.push_back(FinishEvent(b, "evt-1" + text, text, fb::Payload::UnitRegistered, d.Union()));
  }
  {
    flatbuffers::FlatBufferBuilder b;
    auto d = fb::CreateAssetInventoried(b, b.CreateString(asset), b.CreateString(unit),
                                        b.CreateString("A02010104"), b.CreateString(text), 1,
                                        b.CreateString(text), fb::AssetStatus::idle);
    out.push_back(FinishEvent(b, "evt-2" + text, text, fb::Payload::AssetInventoried, d.Union()));
  }
  {
    flatbuffers::FlatBufferBuilder b;
    auto d = fb::CreateDemandRaised(b, b.CreateString(demand), b.CreateString(unit),
                                    b.CreateString("A02010104"), b.CreateString(text), 1, 1, true,
                                    b.CreateString(text));
    out.push_back(FinishEvent(b, "evt-3" + text, text, fb::Payload::DemandRaised, d.Union()));
  }
  {
    flatbuffers::FlatBufferBuilder b;
    std::vector<flatbuffers::Offset<flatbuffers::String>> matched = {b.CreateString(asset)};
    auto d = fb::CreateWarehouseQueried(b, b.CreateString(demand), b.CreateVector(matched));
    out.push_back(FinishEvent(b, "evt-4" + text, text, fb::Payload::WarehouseQueried, d.Union()));
  }
  return out;
}

// A contract whose strings, in the envelope, the payload and its items, are
// all `text`: the nested tables the chain above lacks.
inline std::string HostileContract(const std::string& text) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<fb::ContractItem>> items = {
      fb::CreateContractItem(b, b.CreateString(text), b.CreateString(text), 1, 2)};
  auto d = fb::CreateContractSigned(b, b.CreateString(text), b.CreateString(text),
                                    b.CreateString(text), 2, b.CreateVector(items),
                                    b.CreateString(text), b.CreateString(text));
  return FinishEvent(b, text, text, fb::Payload::ContractSigned, d.Union());
}

}  // namespace ledger::testing
