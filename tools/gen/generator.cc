#include "tools/gen/generator.h"

#include <algorithm>
#include <limits>

#include "tools/gen/business_time.h"
#include "tools/gen/chain.h"

namespace ledger::gen {

void Generator::Run() {
  int64_t t = DaysFromCivil(2025, 1, 2) * kDay + 9 * kHour;
  out_.Open();
  ref_ = MakeReferenceData(opts_.chains, rng_, out_, &t);
  out_.Close();
  // Chains start hours apart: about two years of procurement for a thousand
  // chains or less, one an hour for large runs (which then span years).
  const uint64_t span = 2 * 365 * kDay;
  const int64_t gap = static_cast<int64_t>(
      std::clamp<uint64_t>(span / std::max<uint64_t>(opts_.chains, 1), kHour, 2 * kDay));
  int64_t start = WorkingDay(DayOf(t) + 3) * kDay + 9 * kHour;
  for (uint64_t k = 1; k <= opts_.chains; ++k) {
    out_.Release(start);  // every later event is at `start` or after it
    out_.Open();
    NewChain(k, start);
    out_.Close();
    start += rng_.Int(static_cast<int>(gap / 2), static_cast<int>(gap * 3 / 2));
  }
  out_.Release(std::numeric_limits<int64_t>::max());
}

void GenerateChains(const GeneratorOptions& opts,
                    const std::function<void(const std::string&)>& emit, GeneratorStats* stats) {
  Generator(opts, emit, stats).Run();
}

}  // namespace ledger::gen
