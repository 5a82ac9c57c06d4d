// The reference data the chains draw on (item 1 of generator.h): budget
// units, suppliers and configuration standards, registered as the stream's
// first events.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "events/event_generated.h"
#include "tools/gen/catalog.h"
#include "tools/gen/json_output.h"
#include "tools/gen/random.h"

namespace ledger::gen {

struct Unit {
  std::string code;
  std::string name;
  std::string region;
};

struct Supplier {
  std::string credit_code;
  fb::Scale scale;
  Sector sector;
};

// The suppliers the SME rules favour.
inline bool IsSmallOrMicro(fb::Scale s) { return s == fb::Scale::small || s == fb::Scale::micro; }

struct ReferenceData {
  std::vector<Unit> units;
  std::vector<size_t> buyers;  // units that procure (not the finance bureaus)
  std::vector<Supplier> suppliers;
  std::array<std::vector<size_t>, kSectorCount> by_sector;      // suppliers of each sector
  std::array<std::vector<size_t>, kSectorCount> sme_by_sector;  // the small and micro ones
};

// Registers the reference data for `chains` chains through `out`, one event a
// few minutes after the other from `*t`, which it advances.
ReferenceData MakeReferenceData(uint64_t chains, Rng& rng, Output& out, int64_t* t);

}  // namespace ledger::gen
