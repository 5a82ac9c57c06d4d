// Running the `ledger` binary under test (LEDGER_BIN, defined by the test
// target) and reading its JSON lines.
#pragma once

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace ledger::testing {

inline RunResult Ledger(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), LEDGER_BIN);
  return Run(args, input);
}

inline std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

}  // namespace ledger::testing
