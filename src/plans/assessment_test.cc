// The pure rules of assessment: points in tenths, plan-completion rounding,
// ranking with ties and vetoes, rubric validation and the shipped seed file.
#include "plans/assessment.h"

#include <gtest/gtest.h>

#include "core/testing_paths.h"
#include "plans/plan_test_util.h"

namespace redshield::plans {
namespace {

ResultRow Row(const std::string& code, int total, bool vetoed = false) {
  ResultRow row;
  row.target.code = code;
  row.target.id = code;
  row.total_tenths = total;
  if (vetoed) row.veto = Veto{};
  return row;
}

std::vector<std::string> Codes(const std::vector<ResultRow>& rows) {
  std::vector<std::string> out;
  for (const ResultRow& row : rows) out.push_back(row.target.code);
  return out;
}

std::vector<std::optional<int>> Ranks(const std::vector<ResultRow>& rows) {
  std::vector<std::optional<int>> out;
  for (const ResultRow& row : rows) out.push_back(row.rank);
  return out;
}

TEST(AssessmentPoints, TenthsRoundTripAndRejectSecondDecimal) {
  EXPECT_EQ(*PointsToTenths(8.5, "points"), 85);
  EXPECT_EQ(*PointsToTenths(0, "points"), 0);
  EXPECT_EQ(*PointsToTenths(72.5, "points"), 725);
  EXPECT_EQ(*PointsToTenths(0.1 + 0.2, "points"), 3);  // binary noise is not a second decimal
  Result<int> two = PointsToTenths(8.25, "points");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().field, "points");
  EXPECT_FALSE(PointsToTenths(-0.5, "points"));
  EXPECT_FALSE(PointsToTenths(100.5, "points"));
  EXPECT_FALSE(PointsToTenths(std::numeric_limits<double>::quiet_NaN(), "points"));
  EXPECT_EQ(FormatTenths(85), "8.5");
  EXPECT_EQ(FormatTenths(760), "76");
  EXPECT_EQ(FormatTenths(0), "0");
  EXPECT_EQ(FormatTenths(-15), "-1.5");
  EXPECT_EQ(FormatTenths(-5), "-0.5");
}

TEST(AssessmentPoints, PlanCompletionRoundsToHalfPoints) {
  EXPECT_EQ(PlanCompletionTenths(0, 8, 100), 0);
  EXPECT_EQ(PlanCompletionTenths(8, 8, 100), 100);
  EXPECT_EQ(PlanCompletionTenths(1, 3, 100), 35);  // 3.33 -> 3.5
  EXPECT_EQ(PlanCompletionTenths(2, 3, 100), 65);  // 6.67 -> 6.5
  EXPECT_EQ(PlanCompletionTenths(1, 8, 100), 15);  // 1.25 -> 1.5 (halves up)
  EXPECT_EQ(PlanCompletionTenths(1, 16, 100), 5);  // 0.625 -> 0.5
  EXPECT_EQ(PlanCompletionTenths(1, 40, 100), 5);  // 0.25 -> 0.5 (halves up)
  EXPECT_EQ(PlanCompletionTenths(1, 41, 100), 0);  // 0.24 -> 0
  EXPECT_EQ(PlanCompletionTenths(7, 9, 75), 60);   // 5.83 of 7.5 -> 6
  EXPECT_EQ(PlanCompletionTenths(0, 0, 100), std::nullopt);
  EXPECT_EQ(PlanCompletionTenths(9, 8, 100), 100);  // never above the maximum
}

TEST(AssessmentRanking, HigherTotalsFirstTiesShareARankAndSkipTheNext) {
  std::vector<ResultRow> rows = {Row("150300", 600), Row("150100", 700), Row("150200", 700),
                                 Row("150400", 500)};
  RankRows(rows);
  EXPECT_EQ(Codes(rows), (std::vector<std::string>{"150100", "150200", "150300", "150400"}));
  EXPECT_EQ(Ranks(rows), (std::vector<std::optional<int>>{1, 1, 3, 4}));
}

TEST(AssessmentRanking, VetoedTargetsGoLastWithoutARankWhateverTheirTotal) {
  std::vector<ResultRow> rows = {Row("150100", 700, true), Row("150200", 650), Row("150300", 650),
                                 Row("150400", 0, true), Row("150500", 100)};
  RankRows(rows);
  EXPECT_EQ(Codes(rows),
            (std::vector<std::string>{"150200", "150300", "150500", "150100", "150400"}));
  EXPECT_EQ(Ranks(rows), (std::vector<std::optional<int>>{1, 1, 3, std::nullopt, std::nullopt}));
}

TEST(AssessmentRanking, AllEqualAndEmpty) {
  std::vector<ResultRow> rows = {Row("b", 0), Row("a", 0), Row("c", 0)};
  RankRows(rows);
  EXPECT_EQ(Codes(rows), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Ranks(rows), (std::vector<std::optional<int>>{1, 1, 1}));
  std::vector<ResultRow> none;
  RankRows(none);
  EXPECT_TRUE(none.empty());
}

Rubric Valid() {
  Rubric r;
  r.year = 2017;
  r.title = "考核";
  r.items = {{0, 1, "甲", 100, "", ""}, {0, 2, "乙", 55, "", std::string(kPlanCompletion)}};
  return r;
}

TEST(AssessmentRubric, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateRubric(Valid()));
  auto field_of = [](Rubric r) { return ValidateRubric(r).error().field; };
  Rubric r = Valid();
  r.year = 1999;
  EXPECT_EQ(field_of(r), "year");
  r = Valid();
  r.title.clear();
  EXPECT_EQ(field_of(r), "title");
  r = Valid();
  r.items.clear();
  EXPECT_EQ(field_of(r), "items");
  r = Valid();
  r.items[1].name = "甲";
  EXPECT_EQ(field_of(r), "items[1].name");
  r = Valid();
  r.items[1].max_tenths = 52;
  EXPECT_EQ(field_of(r), "items[1].max_points");
  r = Valid();
  r.items[0].max_tenths = 0;
  EXPECT_EQ(field_of(r), "items[0].max_points");
  r = Valid();
  r.items[0].computed = "cases";
  EXPECT_EQ(field_of(r), "items[0].computed");
}

TEST(AssessmentRubric, ShippedSeedIsThe2016RegionRubricOf76Points) {
  Result<Rubric> rubric = ParseRubricCsv(
      ReadFileForTesting(SourceDirForTesting() + "/data/assessment/rubric_2016_region.csv"));
  ASSERT_TRUE(rubric) << rubric.error().message;
  EXPECT_EQ(rubric->year, 2016);
  EXPECT_EQ(rubric->target, TargetKind::kRegion);
  EXPECT_EQ(rubric->MaxTotalTenths(), 760);
  EXPECT_EQ(rubric->source, "http://nmgsq.com/2016/1221/98674.shtml");
  EXPECT_NE(rubric->note.find("估计"), std::string::npos);
  std::vector<std::string> names;
  for (const RubricItem& item : rubric->items) {
    names.push_back(item.name);
    EXPECT_TRUE(item.computed.empty()) << item.name;
    EXPECT_FALSE(item.guidance.empty()) << item.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "长效机制建设", "部门协作配合", "侵权假冒行政处罚案件信息公开", "宣传教育",
                       "两法衔接平台运行", "专项行动", "工作成效", "办公室运转"}));
}

TEST(AssessmentRubric, SeedFileErrorsNameLineAndColumn) {
  const std::string header =
      "year,target,title,source,note,ordinal,name,max_points,max_points_basis,guidance,computed\n";
  Result<Rubric> bad_points = ParseRubricCsv(header + "2016,region,T,S,N,1,甲,x,assumed,,\n");
  ASSERT_FALSE(bad_points);
  EXPECT_NE(bad_points.error().message.find("第 2 行"), std::string::npos)
      << bad_points.error().message;
  Result<Rubric> changed =
      ParseRubricCsv(header + "2016,region,T,S,N,1,甲,5,assumed,,\n2017,,,,,2,乙,5,assumed,,\n");
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message.find("第 3 行"), std::string::npos) << changed.error().message;
  Result<Rubric> basis = ParseRubricCsv(header + "2016,region,T,S,N,1,甲,5,guess,,\n");
  ASSERT_FALSE(basis);
  Result<Rubric> gap = ParseRubricCsv(header + "2016,region,T,S,N,2,甲,5,assumed,,\n");
  ASSERT_FALSE(gap);
  Result<Rubric> kind = ParseRubricCsv(header + "2016,city,T,S,N,1,甲,5,assumed,,\n");
  ASSERT_FALSE(kind);
}

}  // namespace
}  // namespace redshield::plans
