#include "core/region_code.h"

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/testing_paths.h"

namespace redshield {
namespace {

constexpr std::string_view kSmallTable =
    "code,name,level,parent_code,subtype,in_mca_gbt2260\n"
    "150000,内蒙古自治区,province,,自治区,1\n"
    "150100,呼和浩特市,prefecture,150000,地级市,1\n"
    "150102,新城区,county,150100,市辖区,1\n"
    "150121,土默特左旗,county,150100,旗,1\n"
    "150172,呼和浩特经济技术开发区,county,150100,统计用功能区(非GB/T2260),0\n"
    "152900,阿拉善盟,prefecture,150000,盟,1\n"
    "152921,阿拉善左旗,county,152900,旗,1\n";

RegionTable SmallTable() {
  Result<RegionTable> table = RegionTable::FromCsv(kSmallTable);
  EXPECT_TRUE(table.has_value()) << table.error().message;
  return std::move(*table);
}

std::vector<std::string> Codes(const std::vector<const Region*>& regions) {
  std::vector<std::string> codes;
  for (const Region* region : regions) codes.push_back(region->code);
  return codes;
}

std::string FromCsvError(std::string_view csv) {
  Result<RegionTable> table = RegionTable::FromCsv(csv);
  return table ? "" : table.error().message;
}

TEST(RegionCode, KnowsProvincePrefixes) {
  EXPECT_EQ(ProvinceName("15"), "内蒙古自治区");
  EXPECT_EQ(ProvinceName("11"), "北京市");
  EXPECT_EQ(ProvinceName("82"), "澳门特别行政区");
  EXPECT_EQ(ProvinceName("10"), "");
  EXPECT_EQ(ProvinceName("83"), "");
}

TEST(RegionCode, ChecksFormat) {
  EXPECT_TRUE(CheckRegionCodeFormat("150102").has_value());
  EXPECT_EQ(CheckRegionCodeFormat("15010").error().message, "行政区划代码应为 6 位数字");
  EXPECT_EQ(CheckRegionCodeFormat("15010a").error().message, "行政区划代码应为 6 位数字");
  EXPECT_EQ(CheckRegionCodeFormat("990102").error().message,
            "行政区划代码的前两位 99 不是省级行政区划代码");
}

TEST(RegionTable, FindsRegions) {
  const RegionTable table = SmallTable();
  const Region* region = table.Find("150121");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->name, "土默特左旗");
  EXPECT_EQ(region->level, RegionLevel::kCounty);
  EXPECT_EQ(region->parent_code, "150100");
  EXPECT_EQ(region->subtype, "旗");
  EXPECT_TRUE(region->in_gbt2260);
  EXPECT_EQ(table.Find("150199"), nullptr);
  EXPECT_EQ(table.regions().size(), 7u);
}

TEST(RegionTable, ValidatesCodes) {
  const RegionTable table = SmallTable();
  EXPECT_EQ((*table.Validate("152921"))->name, "阿拉善左旗");
  EXPECT_EQ(table.Validate("15292").error().message, "行政区划代码应为 6 位数字");
  EXPECT_EQ(table.Validate("110101").error().message, "行政区划代码 110101 不在区划表中");
}

TEST(RegionTable, RejectsStatisticsOnlyZones) {
  const RegionTable table = SmallTable();
  ASSERT_NE(table.Find("150172"), nullptr);
  Result<const Region*> zone = table.Validate("150172");
  ASSERT_FALSE(zone.has_value());
  EXPECT_EQ(zone.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(zone.error().message,
            "150172（呼和浩特经济技术开发区）是统计用区划代码，不是 GB/T 2260 行政区划代码");
}

TEST(RegionTable, ListsChildren) {
  const RegionTable table = SmallTable();
  EXPECT_EQ(Codes(table.Children("150000")), (std::vector<std::string>{"150100", "152900"}));
  EXPECT_EQ(Codes(table.Children("150100")), (std::vector<std::string>{"150102", "150121"}));
  EXPECT_EQ(Codes(table.Children("150100", RegionFilter::kIncludeStatistical)),
            (std::vector<std::string>{"150102", "150121", "150172"}));
  EXPECT_TRUE(table.Children("150102").empty());
  EXPECT_TRUE(table.Children("999999").empty());
}

TEST(RegionTable, ListsAncestors) {
  const RegionTable table = SmallTable();
  EXPECT_EQ(Codes(table.Ancestors("150121")), (std::vector<std::string>{"150100", "150000"}));
  EXPECT_EQ(Codes(table.Ancestors("152900")), (std::vector<std::string>{"150000"}));
  EXPECT_TRUE(table.Ancestors("150000").empty());
  EXPECT_TRUE(table.Ancestors("110000").empty());
}

TEST(RegionTable, DecidesContainment) {
  const RegionTable table = SmallTable();
  EXPECT_TRUE(table.IsWithin("150121", "150000"));
  EXPECT_TRUE(table.IsWithin("150121", "150100"));
  EXPECT_TRUE(table.IsWithin("150121", "150121"));
  EXPECT_TRUE(table.IsWithin("150172", "150100"));
  EXPECT_FALSE(table.IsWithin("150121", "152900"));
  EXPECT_FALSE(table.IsWithin("150000", "150100"));
  EXPECT_FALSE(table.IsWithin("110101", "110000"));
  EXPECT_FALSE(table.IsWithin("150121", "110000"));
}

TEST(RegionTable, RejectsBadRows) {
  const std::string header = "code,name,level,parent_code,in_mca_gbt2260\n";
  const std::string province = "150000,内蒙古自治区,province,,1\n";
  EXPECT_EQ(FromCsvError("code,name\n"), "第 1 行：缺少必需的列 \"level\"");
  EXPECT_EQ(FromCsvError(header + "15000,x,province,,1\n"),
            "第 2 行，字段 \"code\"：行政区划代码应为 6 位数字");
  EXPECT_EQ(FromCsvError(header + province + "150100,x,city,150000,1\n"),
            "第 3 行，字段 \"level\"：应为 province、prefecture 或 county");
  EXPECT_EQ(FromCsvError(header + province + "150100,x,prefecture,150000,yes\n"),
            "第 3 行，字段 \"in_mca_gbt2260\"：应为 0 或 1");
  EXPECT_EQ(FromCsvError(header + province + "150100,,prefecture,150000,1\n"),
            "第 3 行，字段 \"name\"：不能为空");
  EXPECT_EQ(FromCsvError(header + province + province), "第 3 行：区划代码 150000 重复");
  EXPECT_EQ(FromCsvError(header + province + "150100,x,prefecture,,1\n"),
            "第 3 行：parent_code 不能为空");
  EXPECT_EQ(FromCsvError(header + "150000,x,province,110000,1\n"),
            "第 2 行：省级区划不应有 parent_code");
  EXPECT_EQ(FromCsvError(header + province + "150102,x,county,150100,1\n"),
            "第 3 行：上级区划 150100 不在表中");
  EXPECT_EQ(FromCsvError(header + province + "150102,x,county,150000,1\n"),
            "第 3 行：上级区划 150000 的级别不是上一级");
}

TEST(RegionTable, LoadsShippedInnerMongoliaData) {
  Result<std::string> text =
      ReadTextFile(SourceDirForTesting() + "/data/regions/inner_mongolia_divisions.csv");
  ASSERT_TRUE(text.has_value()) << text.error().message;
  Result<RegionTable> table = RegionTable::FromCsv(*text);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  int gbt2260 = 0;
  int statistical = 0;
  for (const Region& region : table->regions()) (region.in_gbt2260 ? gbt2260 : statistical)++;
  EXPECT_EQ(gbt2260, 116);  // the region, 12 盟市, 103 county-level units
  EXPECT_EQ(statistical, 5);
  EXPECT_EQ(table->Children("150000").size(), 12u);
  for (std::string_view zone : {"150172", "150271", "150571", "152571", "152971"}) {
    Result<const Region*> validated = table->Validate(zone);
    ASSERT_FALSE(validated.has_value()) << zone;
    EXPECT_NE(validated.error().message.find("是统计用区划代码，不是 GB/T 2260 行政区划代码"),
              std::string::npos);
  }
  EXPECT_TRUE(table->Validate("152201").has_value());  // 乌兰浩特市
  EXPECT_TRUE(table->IsWithin("152201", "152200"));
  EXPECT_TRUE(table->IsWithin("152201", "150000"));
}

}  // namespace
}  // namespace redshield
