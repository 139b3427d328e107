#include "core/resident_id.h"

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/testing_paths.h"

namespace redshield {
namespace {

const Date kToday = Date::ParseOrDie("2026-11-29");

std::string ErrorOf(std::string_view number, Date today = kToday) {
  Result<ResidentIdInfo> info = ParseResidentId(number, today);
  return info ? "" : info.error().message;
}

TEST(ResidentId, ParsesStandardExample) {
  Result<ResidentIdInfo> info = ParseResidentId("11010519491231002X", kToday);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->number, "11010519491231002X");
  EXPECT_EQ(info->number18, "11010519491231002X");
  EXPECT_EQ(info->region_code, "110105");
  EXPECT_EQ(info->birth_date, Date::ParseOrDie("1949-12-31"));
  EXPECT_EQ(info->sex, Sex::kFemale);
  EXPECT_FALSE(info->legacy15);
  EXPECT_EQ(ParseResidentId("440524188001010014", kToday)->sex, Sex::kMale);
}

TEST(ResidentId, AcceptsLowerCaseXAndFullWidth) {
  Result<ResidentIdInfo> info = ParseResidentId(" 44011320141005001x ", kToday);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->number, "44011320141005001X");
  EXPECT_TRUE(ParseResidentId("１１０１０５１９４９１２３１００２Ｘ", kToday).has_value());
}

TEST(ResidentId, UpgradesFifteenDigitNumbers) {
  // 110105491231002 is the 15-digit form of the standard's example.
  Result<ResidentIdInfo> info = ParseResidentId("110105491231002", kToday);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_TRUE(info->legacy15);
  EXPECT_EQ(info->number, "110105491231002");
  EXPECT_EQ(info->number18, "11010519491231002X");
  EXPECT_EQ(info->birth_date, Date::ParseOrDie("1949-12-31"));
  EXPECT_EQ(info->sex, Sex::kFemale);
  EXPECT_EQ(ErrorOf("110105490230002"),
            "第 7–12 位出生日期 490230 不是有效日期：1949 年 2 月没有 30 日");
  EXPECT_EQ(ErrorOf("11010549123100X"), "第 15 位字符 \"X\" 不合法：应为数字");
}

TEST(ResidentId, ReportsLength) {
  EXPECT_EQ(ErrorOf("1101051949123100"), "身份证号码应为 18 位（旧号码为 15 位），实为 16 位");
  EXPECT_EQ(ErrorOf(""), "身份证号码应为 18 位（旧号码为 15 位），实为 0 位");
}

TEST(ResidentId, ReportsCharactersWithPosition) {
  Result<ResidentIdInfo> info = ParseResidentId("1101051949123100XX", kToday);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message, "第 17 位字符 \"X\" 不合法：应为数字");
  EXPECT_EQ(info.error().field, "position 17");
  EXPECT_EQ(ErrorOf("11010519491231002Y"), "第 18 位字符 \"Y\" 不合法：应为数字或 X");
  EXPECT_EQ(ErrorOf("T60426199101010078"), "第 1 位字符 \"T\" 不合法：应为数字");
}

TEST(ResidentId, ReportsUnknownProvince) {
  EXPECT_EQ(ErrorOf("990426199112010074"), "第 1–2 位 99 不是省级行政区划代码");
  EXPECT_EQ(ErrorOf("100426199112010074"), "第 1–2 位 10 不是省级行政区划代码");
}

TEST(ResidentId, AcceptsResidencePermitPrefixes) {
  for (std::string_view prefix : {"810000", "820000", "830000"}) {
    std::string first17 = std::string(prefix) + "19900101001";
    const std::string number = first17 + *ComputeResidentIdCheckChar(first17);
    EXPECT_TRUE(ParseResidentId(number, kToday).has_value()) << number;
  }
}

TEST(ResidentId, ChecksBirthDate) {
  EXPECT_EQ(ErrorOf("360426199113010079"),
            "第 7–14 位出生日期 19911301 不是有效日期：月份 13 不存在");
  const std::string leap_day = "15010220000229001";
  EXPECT_TRUE(ParseResidentId(leap_day + *ComputeResidentIdCheckChar(leap_day), kToday));
  const std::string not_leap = "15010219000229001";
  EXPECT_EQ(ErrorOf(not_leap + *ComputeResidentIdCheckChar(not_leap)),
            "第 7–14 位出生日期 19000229 不是有效日期：1900 年 2 月没有 29 日");
}

TEST(ResidentId, RejectsBirthAfterToday) {
  const std::string first17 = "15010220261130001";
  const std::string number = first17 + *ComputeResidentIdCheckChar(first17);
  EXPECT_EQ(ErrorOf(number), "出生日期 2026-11-30 晚于今天");
  EXPECT_TRUE(ParseResidentId(number, Date::ParseOrDie("2026-11-30")).has_value());
  const std::string old = "15010217991231001";
  EXPECT_EQ(ErrorOf(old + *ComputeResidentIdCheckChar(old)), "出生日期 1799-12-31 早于 1800 年");
}

TEST(ResidentId, ReportsCheckCharacter) {
  Result<ResidentIdInfo> info = ParseResidentId("36042619910102009X", kToday);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message, "校验码错误：应为 3，实为 X");
  EXPECT_EQ(info.error().field, "position 18");
}

TEST(ResidentId, ComputesCheckCharacter) {
  EXPECT_EQ(*ComputeResidentIdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(*ComputeResidentIdCheckChar("44052418800101001"), '4');
  EXPECT_FALSE(ComputeResidentIdCheckChar("4405241880010100").has_value());
  EXPECT_FALSE(ComputeResidentIdCheckChar("4405241880010100a").has_value());
}

TEST(ResidentId, SharedTestVectors) {
  Result<CsvTable> vectors =
      CsvTable::ReadFile(SharedDirForTesting() + "/data/identifiers/resident_id_test_vectors.csv",
                         {"id_number", "expected_valid", "check_result"});
  ASSERT_TRUE(vectors.has_value()) << vectors.error().message;
  ASSERT_GE(vectors->records().size(), 16u);
  for (const CsvRecord& row : vectors->records()) {
    const std::string number(*row.Field("id_number"));
    const std::string check_result(*row.Field("check_result"));
    Result<ResidentIdInfo> info = ParseResidentId(number, kToday);
    ASSERT_EQ(info.has_value(), *row.Field("expected_valid") == "1")
        << "line " << row.line() << " " << number << ": "
        << (info ? "valid" : info.error().message);
    if (info) continue;
    const std::string& message = info.error().message;
    if (check_result.rfind("checksum(expected ", 0) == 0) {
      EXPECT_EQ(message.rfind("校验码错误：应为 " + check_result.substr(18, 1) + "，", 0), 0u)
          << number << ": " << message;
    } else if (check_result == "date") {
      EXPECT_NE(message.find("出生日期"), std::string::npos) << number;
    }
  }
}

}  // namespace
}  // namespace redshield
