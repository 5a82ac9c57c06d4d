// The decision state (core/rules/decision_state.h) as a log keeps it: loaded
// from the log's state, and brought up to the log's end where the backend
// saves it apart from its records and it lags them (the Kafka writer's
// mirror after a crash, or on a new machine: EventLog::StateSize).
#pragma once

#include "core/log/event_log.h"
#include "core/rules/decision_state.h"

namespace ledger::core {

// Loads the state kept beside `log` into `state` (empty), then applies the
// records it does not reflect yet, [log.StateSize(), log.Size()), saving the
// state as it goes (EventLog::SaveState). Corruption when a stored state
// record or a record does not decode; the log's errors otherwise.
Status LoadDecisionState(EventLog& log, DecisionState* state);

// Derives the decision state from the records it reflects and compares it
// with the state kept beside `log`: every entity record and every event id's
// position. The state is not covered by the hash chain, so this is what finds
// a kept state record that was changed but still decodes. Corruption
// "decision state: ..." naming the first difference (a malformed record as
// LoadDecisionState reports it).
Status VerifyDecisionState(EventLog& log);

}  // namespace ledger::core
