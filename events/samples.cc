#include "events/samples.h"

#include <cstddef>
#include <cstdint>

namespace ledger::events {

extern const uint8_t kDemoChain[];
extern const size_t kDemoChainSize;

std::string_view DemoChainJsonl() {
  return {reinterpret_cast<const char*>(kDemoChain), kDemoChainSize};
}

}  // namespace ledger::events
