// Lets fmt print typed ids (events/ids.h) as their plain value.
#pragma once

#include <fmt/format.h>

#include <string_view>

#include "events/ids.h"

template <typename Tag>
struct fmt::formatter<ledger::NamedId<Tag>> : fmt::formatter<std::string_view> {
  auto format(const ledger::NamedId<Tag>& id, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(id.value(), ctx);
  }
};
