#include "tools/gen/business_time.h"

#include <fmt/core.h>

namespace ledger::gen {
namespace {

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

// The inverse of DaysFromCivil (H. Hinnant's algorithms, both).
CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int Year(int64_t t) { return static_cast<int>(CivilFromDays(DayOf(t)).year); }

std::string FormatDate(int64_t t) {
  CivilDate c = CivilFromDays(DayOf(t));
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string FormatTime(int64_t t) {
  int64_t s = t % kDay;
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", FormatDate(t), s / kHour, s % kHour / kMinute,
                     s % kMinute);
}

int64_t WorkingDay(int64_t day) {
  int64_t weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday; 0 is Sunday
  if (weekday == 6) return day + 2;
  if (weekday == 0) return day + 1;
  return day;
}

}  // namespace ledger::gen
