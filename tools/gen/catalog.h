// The procurement catalog the generated chains buy from (政府采购品目分类目录):
// categories of goods, works and services with their specs, a mean unit price
// around which prices scatter and, for goods, the configuration standard's
// quantity limit per demand; and the wording of each sector's documents.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ledger::gen {

// The catalog's top level: the first letter of a category code (A, B, C).
enum class Sector : uint8_t { kGoods, kWorks, kServices };
inline constexpr size_t kSectorCount = 3;

struct Category {
  const char* code;
  const char* name;
  std::array<const char*, 3> specs;
  uint64_t mean_unit_price_fen;
  uint32_t max_quantity;  // goods: per demand (configuration standard); others: 1
  bool importable;        // goods that units do import (instruments, medical devices)
};

std::span<const Category> CategoriesOf(Sector s);

// The configuration standard's unit price limit of a goods category.
uint64_t MaxUnitPrice(const Category& c);

// What a sector's demands, requirements and contracts say.
struct SectorText {
  const char* justification;
  const char* acceptance_criteria;
  const char* acceptance_standard;
  const char* acceptance_method;
};

const SectorText& TextOf(Sector s);

}  // namespace ledger::gen
