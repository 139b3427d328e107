// Date: a calendar date in the proleptic Gregorian calendar, years 1..9999,
// with no time zone. Used for birth dates, deadlines counted in days and the
// working-day calendar. Arithmetic goes through a day count since 1970-01-01
// (Howard Hinnant's days-from-civil algorithm).
//
// A value type; thread-safe. Every Date that exists is valid: each way to
// build one checks its input and returns an Error instead of a bad date.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield {

enum class Weekday { kMonday = 1, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

bool IsLeapYear(int year);
// 28..31; 0 if `month` is not 1..12.
int DaysInMonth(int year, int month);

class Date {
 public:
  static constexpr int kMinYear = 1;
  static constexpr int kMaxYear = 9999;

  // 1970-01-01.
  constexpr Date() = default;

  // kInvalidArgument if the year is outside 1..9999 or the month or day does
  // not exist (e.g. 2023-02-29).
  static Result<Date> FromYmd(int year, int month, int day);
  // Parses exactly "YYYY-MM-DD" (ASCII digits, zero-padded). kInvalidArgument
  // with a message naming the wrong part otherwise.
  static Result<Date> Parse(std::string_view text);
  // Parse for tests and tools: aborts (RS_CHECK) on bad input.
  static Date ParseOrDie(std::string_view text);
  // The date `days` after 1970-01-01. kInvalidArgument if outside years 1..9999.
  static Result<Date> FromDays(int64_t days);

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }

  // Days since 1970-01-01 (negative before it).
  int64_t DaysSinceEpoch() const;
  Weekday weekday() const;
  bool IsWeekend() const;
  // The date `days` later (earlier if negative). kInvalidArgument if the
  // result leaves years 1..9999.
  Result<Date> AddDays(int64_t days) const;

  // "YYYY-MM-DD".
  std::string ToString() const;

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  constexpr Date(int year, int month, int day) : year_(year), month_(month), day_(day) {}

  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

}  // namespace redshield
