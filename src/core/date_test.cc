#include "core/date.h"

#include <gtest/gtest.h>

namespace redshield {
namespace {

TEST(Date, ParsesAndFormats) {
  Result<Date> date = Date::Parse("2024-02-29");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(date->year(), 2024);
  EXPECT_EQ(date->month(), 2);
  EXPECT_EQ(date->day(), 29);
  EXPECT_EQ(date->ToString(), "2024-02-29");
  EXPECT_EQ(Date::ParseOrDie("0001-01-01").ToString(), "0001-01-01");
}

TEST(Date, RejectsMalformedText) {
  for (const char* text : {"", "2024-2-29", "2024/02/29", "20240229", "2024-02-29 ",
                           "２０２４-02-29", "2024-0a-01", "-024-02-01", "2024-02-299"}) {
    Result<Date> date = Date::Parse(text);
    ASSERT_FALSE(date.has_value()) << text;
    EXPECT_EQ(date.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(date.error().message, "日期格式不正确：应为 YYYY-MM-DD，如 2024-02-04");
  }
}

TEST(Date, RejectsImpossibleDates) {
  EXPECT_EQ(Date::Parse("2023-02-29").error().message, "2023 年 2 月没有 29 日");
  EXPECT_EQ(Date::Parse("2024-13-01").error().message, "月份 13 不存在");
  EXPECT_EQ(Date::Parse("2024-00-01").error().message, "月份 0 不存在");
  EXPECT_EQ(Date::Parse("2024-04-31").error().message, "2024 年 4 月没有 31 日");
  EXPECT_EQ(Date::Parse("2024-04-00").error().message, "2024 年 4 月没有 0 日");
  EXPECT_EQ(Date::Parse("0000-01-01").error().message, "年份应在 1–9999 之间，实为 0");
}

TEST(Date, KnowsLeapYears) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_TRUE(Date::Parse("2000-02-29").has_value());
  EXPECT_FALSE(Date::Parse("1900-02-29").has_value());
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(2023, 12), 31);
  EXPECT_EQ(DaysInMonth(2023, 13), 0);
}

TEST(Date, CountsDaysFromEpoch) {
  EXPECT_EQ(Date().DaysSinceEpoch(), 0);
  EXPECT_EQ(Date::ParseOrDie("1969-12-31").DaysSinceEpoch(), -1);
  EXPECT_EQ(Date::ParseOrDie("2000-03-01").DaysSinceEpoch(), 11017);
  EXPECT_EQ(Date::ParseOrDie("2024-02-04").DaysSinceEpoch(), 19757);
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  const int64_t first = Date::ParseOrDie("1800-01-01").DaysSinceEpoch();
  const int64_t last = Date::ParseOrDie("2200-12-31").DaysSinceEpoch();
  Date previous = *Date::FromDays(first - 1);
  for (int64_t days = first; days <= last; ++days) {
    const Date date = *Date::FromDays(days);
    ASSERT_EQ(date.DaysSinceEpoch(), days);
    ASSERT_LT(previous, date);
    ASSERT_TRUE(Date::FromYmd(date.year(), date.month(), date.day()).has_value());
    previous = date;
  }
}

TEST(Date, KnowsWeekdays) {
  EXPECT_EQ(Date().weekday(), Weekday::kThursday);
  EXPECT_EQ(Date::ParseOrDie("2024-02-04").weekday(), Weekday::kSunday);
  EXPECT_EQ(Date::ParseOrDie("2024-10-01").weekday(), Weekday::kTuesday);
  EXPECT_EQ(Date::ParseOrDie("1949-10-01").weekday(), Weekday::kSaturday);
  EXPECT_EQ(Date::ParseOrDie("0001-01-01").weekday(), Weekday::kMonday);
  EXPECT_TRUE(Date::ParseOrDie("2024-02-04").IsWeekend());
  EXPECT_FALSE(Date::ParseOrDie("2024-02-05").IsWeekend());
}

TEST(Date, AddsDaysAcrossMonthsAndYears) {
  EXPECT_EQ(Date::ParseOrDie("2024-02-28").AddDays(1)->ToString(), "2024-02-29");
  EXPECT_EQ(Date::ParseOrDie("2023-12-31").AddDays(1)->ToString(), "2024-01-01");
  EXPECT_EQ(Date::ParseOrDie("2024-03-01").AddDays(-1)->ToString(), "2024-02-29");
  EXPECT_EQ(Date::ParseOrDie("2024-01-01").AddDays(366)->ToString(), "2025-01-01");
}

TEST(Date, RejectsArithmeticOutsideTheRange) {
  EXPECT_FALSE(Date::ParseOrDie("9999-12-31").AddDays(1).has_value());
  EXPECT_FALSE(Date::ParseOrDie("0001-01-01").AddDays(-1).has_value());
  EXPECT_FALSE(Date().AddDays(INT64_MAX).has_value());
  EXPECT_FALSE(Date().AddDays(INT64_MIN).has_value());
  EXPECT_FALSE(Date::FromDays(INT64_MIN).has_value());
  EXPECT_FALSE(Date::FromYmd(10000, 1, 1).has_value());
}

TEST(Date, ComparesChronologically) {
  EXPECT_LT(Date::ParseOrDie("2023-12-31"), Date::ParseOrDie("2024-01-01"));
  EXPECT_LT(Date::ParseOrDie("2024-01-31"), Date::ParseOrDie("2024-02-01"));
  EXPECT_EQ(Date::ParseOrDie("2024-01-31"), *Date::FromYmd(2024, 1, 31));
}

}  // namespace
}  // namespace redshield
