// StateWrite: a key/value of state derived from the log (the rules' decision
// state, core/rules/decision_state.h), which a backend stores in the same
// atomic write as the records it reflects (core/log/event_log.h).
#pragma once

#include <string>

namespace ledger::core {

struct StateWrite {
  std::string key;
  std::string value;
};

}  // namespace ledger::core
