#include "tests/support/event_json.h"

#include <fmt/core.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "events/codec.h"
#include "events/samples.h"

namespace ledger::testing {

nlohmann::json PaymentJson(uint64_t n) {
  return {{"type", "PaymentMade"},
          {"id", fmt::format("evt-{}", n)},
          {"actor", "unit:310115-0042"},
          {"time", "2025-06-30T09:15:00Z"},
          {"correlation_id", "chain-7"},
          {"data",
           {{"payment_id", fmt::format("PAY-{}", n)},
            {"contract_id", "CON-7"},
            {"acceptance_id", "ACC-7-1"},
            {"amount_fen", 1250000 + n}}}};
}

std::string PaymentLine(uint64_t n) { return PaymentJson(n).dump(); }

std::string UnitLine(uint64_t n) {
  return nlohmann::json{{"type", "UnitRegistered"},
                        {"id", fmt::format("evt-unit-{}", n)},
                        {"actor", "finance:310000"},
                        {"time", "2025-01-02T09:00:00+08:00"},
                        {"data",
                         {{"unit_code", fmt::format("U-{}", n)},
                          {"name", fmt::format("Unit {}", n)},
                          {"region", "310115"}}}}
      .dump();
}

std::vector<std::string> PaymentEvents(uint64_t first, size_t count) {
  events::JsonCodec codec;
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    auto bytes = codec.Parse(PaymentLine(first + i));
    if (!bytes.ok()) throw std::runtime_error(bytes.status().ToString());
    out.push_back(std::move(bytes).value());
  }
  return out;
}

std::vector<std::string> DemoChainLines() {
  std::vector<std::string> out;
  std::istringstream in{std::string(events::DemoChainJsonl())};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> ReadmeExampleLines() {
  std::ifstream in(std::string(LEDGER_SOURCE_DIR_FOR_SUPPORT) + "/events/README.md");
  if (!in) throw std::runtime_error("cannot read events/README.md");
  std::vector<std::string> out;
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```json")) {
      in_block = true;
    } else if (line.starts_with("```")) {
      in_block = false;
    } else if (in_block && !line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace ledger::testing
