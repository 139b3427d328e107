#include "core/date.h"

#include <cstdio>

#include "core/check.h"

namespace redshield {
namespace {

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct Ymd {
  int64_t year;
  int64_t month;
  int64_t day;
};

Ymd CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

const int64_t kMinDays = DaysFromCivil(Date::kMinYear, 1, 1);
const int64_t kMaxDays = DaysFromCivil(Date::kMaxYear, 12, 31);

// Parses `text` as exactly `text.size()` ASCII digits; -1 if it is not.
int ParseDigits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) {
    return Fail(ErrorCode::kInvalidArgument, "年份应在 1–9999 之间，实为 " + std::to_string(year));
  }
  if (month < 1 || month > 12) {
    return Fail(ErrorCode::kInvalidArgument, "月份 " + std::to_string(month) + " 不存在");
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return Fail(ErrorCode::kInvalidArgument, std::to_string(year) + " 年 " + std::to_string(month) +
                                                 " 月没有 " + std::to_string(day) + " 日");
  }
  return Date(year, month, day);
}

Result<Date> Date::Parse(std::string_view text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  const int year = shaped ? ParseDigits(text.substr(0, 4)) : -1;
  const int month = shaped ? ParseDigits(text.substr(5, 2)) : -1;
  const int day = shaped ? ParseDigits(text.substr(8, 2)) : -1;
  if (year < 0 || month < 0 || day < 0) {
    return Fail(ErrorCode::kInvalidArgument, "日期格式不正确：应为 YYYY-MM-DD，如 2024-02-04");
  }
  return FromYmd(year, month, day);
}

Date Date::ParseOrDie(std::string_view text) {
  Result<Date> date = Parse(text);
  RS_CHECK(date.has_value()) << "bad date '" << text << "': " << date.error().message;
  return *date;
}

Result<Date> Date::FromDays(int64_t days) {
  if (days < kMinDays || days > kMaxDays) {
    return Fail(ErrorCode::kInvalidArgument, "日期超出 0001-01-01 至 9999-12-31 的范围");
  }
  const Ymd ymd = CivilFromDays(days);
  return Date(static_cast<int>(ymd.year), static_cast<int>(ymd.month), static_cast<int>(ymd.day));
}

int64_t Date::DaysSinceEpoch() const { return DaysFromCivil(year_, month_, day_); }

Weekday Date::weekday() const {
  // 1970-01-01 was a Thursday; shift so that Monday is 0.
  const int64_t from_monday = ((DaysSinceEpoch() + 3) % 7 + 7) % 7;
  return static_cast<Weekday>(from_monday + 1);
}

bool Date::IsWeekend() const {
  const Weekday day = weekday();
  return day == Weekday::kSaturday || day == Weekday::kSunday;
}

Result<Date> Date::AddDays(int64_t days) const {
  // Both bounds are ~3.65 million days, so a larger |days| is out of range and
  // rejecting it first keeps the addition from overflowing.
  if (days > kMaxDays - kMinDays || days < kMinDays - kMaxDays) return FromDays(kMaxDays + 1);
  return FromDays(DaysSinceEpoch() + days);
}

std::string Date::ToString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year_, month_, day_);
  return buffer;
}

}  // namespace redshield
