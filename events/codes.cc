#include "events/codes.h"

#include <array>
#include <cctype>
#include <string>

namespace ledger::events {
namespace {

// GB 32100-2015 alphabet: digits and the capitals without I, O, S, V, Z.
constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kCreditWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};

constexpr std::array<std::string_view, 17> kRegions = {
    "310000", "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
    "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151"};

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int Num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Status Quote(std::string_view text, const std::string& why) {
  return Status::InvalidArgument("\"" + std::string(text) + "\" " + why);
}

}  // namespace

char CreditCodeCheckChar(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t v = kCreditAlphabet.find(first17[i]);
    if (v == std::string_view::npos) return '\0';
    sum += static_cast<int>(v) * kCreditWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kCreditAlphabet[check];
}

Status CheckCreditCode(std::string_view code) {
  if (code.size() != 18) {
    return Quote(code, "is not a unified social credit code: it has " +
                           std::to_string(code.size()) + " characters, not 18");
  }
  for (size_t i = 0; i < 18; ++i) {
    if (kCreditAlphabet.find(code[i]) == std::string_view::npos) {
      return Quote(code, "is not a unified social credit code: character " + std::to_string(i + 1) +
                             " '" + std::string(1, code[i]) + "' is not allowed (GB 32100-2015)");
    }
  }
  char want = CreditCodeCheckChar(code.substr(0, 17));
  if (code[17] != want) {
    return Quote(code, std::string("has a wrong check character: '") + code[17] +
                           "', GB 32100-2015 gives '" + want + "'");
  }
  return Status::OK();
}

Status CheckCategoryCode(std::string_view code) {
  if (code.size() < 3 || code.size() > 13 || (code[0] != 'A' && code[0] != 'B' && code[0] != 'C') ||
      !Digits(code, 1, code.size() - 1)) {
    return Quote(code,
                 "is not a procurement catalog code (A, B or C followed by 2 to 12 digits, "
                 "e.g. A02010104)");
  }
  return Status::OK();
}

Status CheckRegionCode(std::string_view code) {
  for (auto r : kRegions) {
    if (code == r) return Status::OK();
  }
  return Quote(code, "is not a region code (310000 for the city or a district code like 310115)");
}

Status CheckDate(std::string_view t) {
  if (t.size() != 10 || !Digits(t, 0, 4) || t[4] != '-' || !Digits(t, 5, 2) || t[7] != '-' ||
      !Digits(t, 8, 2)) {
    return Quote(t, "is not a date (YYYY-MM-DD)");
  }
  int year = Num(t, 0, 4), month = Num(t, 5, 2), day = Num(t, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return Quote(t, "is not a calendar date");
  }
  return Status::OK();
}

Status CheckDateTime(std::string_view t) {
  auto bad = [&] { return Quote(t, "is not an RFC 3339 date-time (e.g. 2025-06-30T09:15:00Z)"); };
  if (t.size() < 20 || !CheckDate(t.substr(0, 10)).ok()) return bad();
  if ((t[10] != 'T' && t[10] != 't') || !Digits(t, 11, 2) || t[13] != ':' || !Digits(t, 14, 2) ||
      t[16] != ':' || !Digits(t, 17, 2)) {
    return bad();
  }
  if (Num(t, 11, 2) > 23 || Num(t, 14, 2) > 59 || Num(t, 17, 2) > 60) return bad();
  size_t i = 19;
  if (t[i] == '.') {
    size_t start = ++i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == start) return bad();
  }
  if (i == t.size()) return bad();
  if (t[i] == 'Z' || t[i] == 'z') return i + 1 == t.size() ? Status::OK() : bad();
  if ((t[i] != '+' && t[i] != '-') || t.size() != i + 6 || !Digits(t, i + 1, 2) ||
      t[i + 3] != ':' || !Digits(t, i + 4, 2) || Num(t, i + 1, 2) > 23 || Num(t, i + 4, 2) > 59) {
    return bad();
  }
  return Status::OK();
}

Result<int64_t> DateTimeMicros(std::string_view t) {
  LEDGER_RETURN_IF_ERROR(CheckDateTime(t));
  // Days from civil (Howard Hinnant's algorithm), valid for the proleptic
  // Gregorian calendar.
  int y = Num(t, 0, 4), m = Num(t, 5, 2), d = Num(t, 8, 2);
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  int64_t secs = days * 86400 + Num(t, 11, 2) * 3600 + Num(t, 14, 2) * 60 + Num(t, 17, 2);
  int64_t micros = 0;
  size_t i = 19;
  if (t[i] == '.') {
    int64_t scale = 100000;
    for (++i; i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])); ++i) {
      micros += (t[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (t[i] == '+' || t[i] == '-') {
    int64_t offset = Num(t, i + 1, 2) * 3600 + Num(t, i + 4, 2) * 60;
    secs += t[i] == '+' ? -offset : offset;
  }
  return secs * 1000000 + micros;
}

}  // namespace ledger::events
