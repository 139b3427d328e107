#include "core/calendar.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/testing_paths.h"

namespace redshield {
namespace {

// 2024's 春节 and 国庆 arrangements, and 2023-12-30 (a Saturday) as part of
// the 2024 元旦 block, which makes 2024 the only covered year.
constexpr std::string_view kCalendar2024 =
    "date,kind,name\n"
    "2023-12-30,holiday,元旦\n"
    "2024-01-01,holiday,元旦\n"
    "2024-02-04,workday,春节\n"
    "2024-02-10,holiday,春节\n"
    "2024-02-11,holiday,春节\n"
    "2024-02-12,holiday,春节\n"
    "2024-02-13,holiday,春节\n"
    "2024-02-14,holiday,春节\n"
    "2024-02-15,holiday,春节\n"
    "2024-02-16,holiday,春节\n"
    "2024-02-17,holiday,春节\n"
    "2024-02-18,workday,春节\n"
    "2024-09-29,workday,国庆节\n"
    "2024-10-01,holiday,国庆节\n"
    "2024-10-02,holiday,国庆节\n"
    "2024-10-03,holiday,国庆节\n"
    "2024-10-04,holiday,国庆节\n"
    "2024-10-05,holiday,国庆节\n"
    "2024-10-06,holiday,国庆节\n"
    "2024-10-07,holiday,国庆节\n"
    "2024-10-12,workday,国庆节\n";

Date D(std::string_view text) { return Date::ParseOrDie(text); }

WorkCalendar Calendar2024() {
  Result<WorkCalendar> calendar = WorkCalendar::FromCsv(kCalendar2024);
  EXPECT_TRUE(calendar.has_value()) << calendar.error().message;
  return std::move(*calendar);
}

std::string FromCsvError(std::string_view csv) {
  Result<WorkCalendar> calendar = WorkCalendar::FromCsv(csv);
  return calendar ? "" : calendar.error().message;
}

TEST(WorkCalendar, AppliesHolidaysAndMakeUpDays) {
  const WorkCalendar calendar = Calendar2024();
  EXPECT_TRUE(calendar.IsWorkday(D("2024-02-04")));   // Sunday, make-up day
  EXPECT_FALSE(calendar.IsWorkday(D("2024-02-12")));  // Monday, 春节
  EXPECT_FALSE(calendar.IsWorkday(D("2024-10-01")));
  EXPECT_TRUE(calendar.IsWorkday(D("2024-10-08")));
  EXPECT_FALSE(calendar.IsWorkday(D("2024-10-13")));  // plain Sunday
  EXPECT_TRUE(calendar.IsWorkday(D("2024-10-14")));
}

TEST(WorkCalendar, CoversNoticeYears) {
  const WorkCalendar calendar = Calendar2024();
  EXPECT_EQ(calendar.first_year(), 2024);
  EXPECT_EQ(calendar.last_year(), 2024);
  EXPECT_TRUE(calendar.Covers(D("2024-01-01")));
  EXPECT_TRUE(calendar.Covers(D("2024-12-31")));
  EXPECT_FALSE(calendar.Covers(D("2023-12-31")));
  EXPECT_FALSE(calendar.IsWorkday(D("2023-12-30")));  // known, though not covered
  Status outside = calendar.CheckCovered(D("2025-01-02"));
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(outside.error().message, "日期 2025-01-02 超出节假日数据覆盖的范围（2024–2024 年）");
}

TEST(WorkCalendar, FallsBackToWeekendsOutsideCoverage) {
  const WorkCalendar calendar = Calendar2024();
  EXPECT_TRUE(calendar.IsWorkday(D("2030-01-02")));
  EXPECT_FALSE(calendar.IsWorkday(D("2030-01-05")));
}

TEST(WorkCalendar, AddsWorkdaysOverAHolidayBlock) {
  const WorkCalendar calendar = Calendar2024();
  EXPECT_EQ(calendar.AddWorkdays(D("2024-09-30"), 0)->ToString(), "2024-09-30");
  EXPECT_EQ(calendar.AddWorkdays(D("2024-09-30"), 1)->ToString(), "2024-10-08");
  EXPECT_EQ(calendar.AddWorkdays(D("2024-09-27"), 2)->ToString(), "2024-09-30");  // via 09-29
  EXPECT_EQ(calendar.AddWorkdays(D("2024-02-08"), 1)->ToString(), "2024-02-09");
  EXPECT_EQ(calendar.AddWorkdays(D("2024-02-09"), 1)->ToString(), "2024-02-18");
  EXPECT_EQ(calendar.AddWorkdays(D("2024-02-10"), 7)->ToString(), "2024-02-26");
  EXPECT_EQ(calendar.AddWorkdays(D("2024-10-05"), 0)->ToString(), "2024-10-05");
}

TEST(WorkCalendar, RefusesCountsOutsideCoverage) {
  const WorkCalendar calendar = Calendar2024();
  Result<Date> late = calendar.AddWorkdays(D("2024-12-30"), 3);
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(late.error().message,
            "从 2024-12-30 起第 3 个工作日超出节假日数据覆盖的范围（2024–2024 年）");
  EXPECT_FALSE(calendar.AddWorkdays(D("2023-12-29"), 1).has_value());
  EXPECT_FALSE(calendar.AddWorkdays(D("2024-01-02"), INT64_MAX).has_value());
  EXPECT_EQ(calendar.AddWorkdays(D("2024-01-02"), -1).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(calendar.WorkdaysBetween(D("2024-01-02"), D("2025-01-02")).has_value());
}

TEST(WorkCalendar, CountsWorkdaysBetween) {
  const WorkCalendar calendar = Calendar2024();
  EXPECT_EQ(*calendar.WorkdaysBetween(D("2024-09-30"), D("2024-10-08")), 1);
  EXPECT_EQ(*calendar.WorkdaysBetween(D("2024-10-08"), D("2024-09-30")), -1);
  EXPECT_EQ(*calendar.WorkdaysBetween(D("2024-09-30"), D("2024-09-30")), 0);
  EXPECT_EQ(*calendar.WorkdaysBetween(D("2024-02-10"), D("2024-02-18")), 1);
  EXPECT_EQ(*calendar.WorkdaysBetween(D("2024-01-01"), D("2024-12-31")), 255);
}

TEST(WorkCalendar, AddAndBetweenAgree) {
  const WorkCalendar calendar = Calendar2024();
  for (int64_t day = D("2024-01-01").DaysSinceEpoch(); day < D("2024-10-01").DaysSinceEpoch();
       day += 3) {
    const Date start = *Date::FromDays(day);
    for (int64_t n : {0, 1, 5, 20, 45}) {
      Result<Date> end = calendar.AddWorkdays(start, n);
      ASSERT_TRUE(end.has_value()) << start.ToString() << " + " << n;
      ASSERT_EQ(*calendar.WorkdaysBetween(start, *end), n) << start.ToString() << " + " << n;
      if (n > 0) {
        ASSERT_TRUE(calendar.IsWorkday(*end));
      }
    }
  }
}

TEST(WorkCalendar, RejectsBadData) {
  const std::string header = "date,kind,name\n";
  EXPECT_EQ(FromCsvError(header), "节假日数据为空");
  EXPECT_EQ(FromCsvError("date,name\n"), "第 1 行：缺少必需的列 \"kind\"");
  EXPECT_EQ(FromCsvError(header + "2024-13-01,holiday,x\n"),
            "第 2 行，字段 \"date\"：月份 13 不存在");
  EXPECT_EQ(FromCsvError(header + "2024/10/01,holiday,x\n"),
            "第 2 行，字段 \"date\"：日期格式不正确：应为 YYYY-MM-DD，如 2024-02-04");
  EXPECT_EQ(FromCsvError(header + "2024-10-01,off,x\n"),
            "第 2 行，字段 \"kind\"：应为 holiday（放假）或 workday（调休上班）");
  EXPECT_EQ(FromCsvError(header + "2024-10-01,holiday,x\n2024-10-01,holiday,y\n"),
            "第 3 行，字段 \"date\"：日期重复");
  EXPECT_EQ(FromCsvError(header + "2024-10-08,workday,x\n"),
            "第 2 行，字段 \"kind\"：2024-10-08 是星期二，本来就上班，不能标为调休上班日");
  EXPECT_EQ(FromCsvError(header + "2022-10-01,holiday,x\n2024-10-01,holiday,x\n"),
            "节假日数据缺少 2023 年的安排");
  EXPECT_TRUE(WorkCalendar::FromCsv("date,kind\n2024-10-01,holiday\n").has_value());
}

// The shipped data file (written separately); skipped until it exists.
TEST(WorkCalendar, LoadsShippedHolidayData) {
  const std::string path = SourceDirForTesting() + "/data/calendar/cn_holidays.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not present yet";
  Result<std::string> text = ReadTextFile(path);
  ASSERT_TRUE(text.has_value());
  Result<WorkCalendar> calendar = WorkCalendar::FromCsv(*text);
  ASSERT_TRUE(calendar.has_value()) << calendar.error().message;
  EXPECT_EQ(calendar->first_year(), 2017);
  EXPECT_GE(calendar->last_year(), 2026);
  EXPECT_TRUE(calendar->IsWorkday(D("2024-02-04")));
  EXPECT_FALSE(calendar->IsWorkday(D("2024-10-01")));
  EXPECT_FALSE(calendar->IsWorkday(D("2024-02-09")) && calendar->IsWorkday(D("2024-02-12")));
  EXPECT_TRUE(calendar->IsWorkday(D("2018-12-29")));  // Saturday, make-up day of the 2019 notice
  EXPECT_FALSE(calendar->IsWorkday(D("2016-12-31")));
  EXPECT_EQ(calendar->AddWorkdays(D("2024-09-30"), 1)->ToString(), "2024-10-08");
}

}  // namespace
}  // namespace redshield
