#include "core/clock.h"

#include <gtest/gtest.h>

#include <set>

#include "core/id.h"

namespace redshield {
namespace {

TEST(Clock, FormatsAndParsesUtc) {
  Result<TimePoint> t = ParseTime("2026-11-29T19:56:32.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatUtc(*t), "2026-11-29T19:56:32.123Z");
  EXPECT_EQ(FormatUtc(*ParseTime("2026-11-30T03:56:32+08:00")), "2026-11-29T19:56:32.000Z");
  EXPECT_EQ(ShanghaiDate(*t), "2026-11-30");
  EXPECT_EQ(FormatUtc(*ParseTime("0999-01-02T03:04:05.006Z")),
            "0999-01-02T03:04:05.006Z");  // every field padded
  const std::string ancient =
      FormatUtc(TimePoint{} - std::chrono::hours(24 * 366 * 2000));  // year < 0
  EXPECT_TRUE(ancient.starts_with('-') && ancient.ends_with("T00:00:00.000Z")) << ancient;
}

TEST(Clock, DateMeansShanghaiMidnight) {
  EXPECT_EQ(FormatUtc(*ParseTime("2026-01-01")), "2025-12-31T16:00:00.000Z");
}

TEST(Clock, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseTime("2026-02-30"));
  EXPECT_FALSE(ParseTime("2026-11-29T25:00:00Z"));
  EXPECT_FALSE(ParseTime("2026-11-29T10:00:00+8"));
  EXPECT_FALSE(ParseTime("yesterday"));
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(*ParseTime("2026-01-01T00:00:00Z"));
  TimePoint before = clock.Now();
  clock.Advance(std::chrono::minutes(31));
  EXPECT_EQ(clock.Now() - before, std::chrono::minutes(31));
}

TEST(IdGenerator, IdsAreUniqueAndIncreasing) {
  IdGenerator ids(3);
  std::set<Id> seen;
  Id last = 0;
  for (int i = 0; i < 20000; ++i) {
    Id id = ids.Next();
    EXPECT_GT(id, last);
    last = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 20000u);
}

}  // namespace
}  // namespace redshield
