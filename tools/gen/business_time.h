// Business time of the generated events: seconds since 1970-01-01T00:00 of
// Shanghai local time, which is UTC+08:00 all year, so every time is printed
// with "+08:00" and no time zone data is needed.
#pragma once

#include <cstdint>
#include <string>

namespace ledger::gen {

inline constexpr int64_t kMinute = 60;
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, int m, int d);

inline int64_t DayOf(int64_t t) { return t / kDay; }  // times are all after 1970
int Year(int64_t t);

std::string FormatDate(int64_t t);  // YYYY-MM-DD
std::string FormatTime(int64_t t);  // YYYY-MM-DDTHH:MM:SS+08:00

// The day itself, or the Monday after it when it falls on a weekend.
int64_t WorkingDay(int64_t day);

}  // namespace ledger::gen
