// The control rules R1-R12 (顺向环环相扣): pure decisions over DecisionState.
//
//   Decide(state so far, incoming event) -> accept (nullopt) | Refusal
//
// No I/O, no clock, no store: the same state and event always give the same
// answer, which is what makes refusals reproducible evidence. The rules are
// named by id and intent (R10_PaymentNeedsPassedAcceptance, ...) in rules.cc;
// docs/domain.md states them. Thread-safe (reads only).
#pragma once

#include <optional>
#include <string>

#include "core/rules/decision_state.h"
#include "events/codec.h"

namespace ledger::core {

struct Refusal {
  fb::RuleId rule = fb::RuleId::R12;
  std::string reason;  // plain words, naming the entity and the amounts involved
};

std::string_view RuleName(fb::RuleId rule);  // "R10"

// Whether the control rules allow `event` after everything in `state`.
// Does not look at event ids (idempotency is the command service's job).
std::optional<Refusal> Decide(const DecisionState& state, const fb::Event& event);

}  // namespace ledger::core
