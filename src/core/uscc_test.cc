#include "core/uscc.h"

#include <cctype>
#include <cstdio>

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/testing_paths.h"

namespace redshield {
namespace {

std::string ErrorOf(std::string_view code) {
  Result<UsccInfo> info = ParseUscc(code);
  return info ? "" : info.error().message;
}

TEST(Uscc, ParsesParts) {
  Result<UsccInfo> info = ParseUscc("91110000600037341L");
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->code, "91110000600037341L");
  EXPECT_EQ(info->authority, '9');
  EXPECT_EQ(info->entity_type, '1');
  EXPECT_EQ(info->authority_name, "工商");
  EXPECT_EQ(info->entity_type_name, "企业");
  EXPECT_EQ(info->region_code, "110000");
  EXPECT_EQ(info->org_code, "600037341");
}

TEST(Uscc, ParsesInnerMongoliaIndividualBusiness) {
  Result<UsccInfo> info = ParseUscc("91152201078377449P");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->region_code, "152201");
  Result<UsccInfo> public_institution = ParseUscc("121200004013590816");
  ASSERT_TRUE(public_institution.has_value());
  EXPECT_EQ(public_institution->authority_name, "机构编制");
  EXPECT_EQ(public_institution->entity_type_name, "事业单位");
}

TEST(Uscc, NormalisesCaseSpacesAndFullWidth) {
  EXPECT_EQ(ParseUscc("  91350100m000100y43 ")->code, "91350100M000100Y43");
  EXPECT_EQ(ParseUscc("９１１１００００６０００３７３４１Ｌ")->code, "91110000600037341L");
}

TEST(Uscc, ReportsLength) {
  EXPECT_EQ(ErrorOf("12345"), "统一社会信用代码应为 18 位，实为 5 位");
  EXPECT_EQ(ErrorOf(""), "统一社会信用代码应为 18 位，实为 0 位");
  EXPECT_EQ(ErrorOf("91 110000 600037341L"), "统一社会信用代码应为 18 位，实为 20 位");
}

TEST(Uscc, ReportsIllegalCharacterAndPosition) {
  Result<UsccInfo> info = ParseUscc("9111000060003IOZSV");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message,
            "第 14 位字符 \"I\" 不合法：只能是数字或除 I、O、S、V、Z 以外的大写字母");
  EXPECT_EQ(info.error().field, "position 14");
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf("91350100M000100Y4中"),
            "第 18 位字符 \"中\" 不合法：只能是数字或除 I、O、S、V、Z 以外的大写字母");
}

TEST(Uscc, ReportsUnknownAuthorityAndType) {
  EXPECT_EQ(ErrorOf("B1110000600037341L"), "第 1 位登记管理部门代码 \"B\" 不存在");
  EXPECT_EQ(ErrorOf("94110000600037341L"),
            "第 2 位机构类别代码 \"4\" 不属于登记管理部门“工商”，应为 1、2、3 之一");
  EXPECT_EQ(ParseUscc("Y2110000600037341L").error().field, "position 2");
}

TEST(Uscc, ReportsNonDigitRegion) {
  Result<UsccInfo> info = ParseUscc("9111A000600037341L");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message, "第 3–8 位是登记管理机关行政区划码，只能是数字；第 5 位是 \"A\"");
  EXPECT_EQ(info.error().field, "position 5");
}

TEST(Uscc, ReportsCheckCharacter) {
  Result<UsccInfo> info = ParseUscc("91110000600037341N");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message, "校验码错误：应为 L，实为 N");
  EXPECT_EQ(info.error().field, "position 18");
}

TEST(Uscc, ReportsEmbeddedOrganisationCodeCheck) {
  // 60003734 has GB 11714 check 1; replace it by 2 and fix the MOD 31 check
  // character so that only the inner check fails.
  const std::string first17 = "91110000600037342";
  const std::string code = first17 + *ComputeUsccCheckChar(first17);
  Result<UsccInfo> info = ParseUscc(code);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message, "第 9–17 位组织机构代码的校验码错误：第 17 位应为 1，实为 2");
  EXPECT_EQ(info.error().field, "position 17");
}

TEST(Uscc, ComputesCheckCharacters) {
  EXPECT_EQ(*ComputeUsccCheckChar("91110000600037341"), 'L');
  EXPECT_EQ(*ComputeUsccCheckChar("91350100M000100Y4"), '3');
  EXPECT_FALSE(ComputeUsccCheckChar("9111000060003734").has_value());
  EXPECT_FALSE(ComputeUsccCheckChar("9111000060003734I").has_value());
  EXPECT_EQ(*ComputeOrgCodeCheckChar("60003734"), '1');
  EXPECT_EQ(*ComputeOrgCodeCheckChar("MA62K026"), '0');
  EXPECT_EQ(*ComputeOrgCodeCheckChar("19220382"), '1');
  EXPECT_FALSE(ComputeOrgCodeCheckChar("6000373").has_value());
  EXPECT_FALSE(ComputeOrgCodeCheckChar("6000373a").has_value());
}

TEST(Uscc, ComputesOrgCheckXAndZero) {
  // Search the first bodies whose check is X (10) and 0 (11) and verify the round trip.
  bool seen_x = false;
  bool seen_zero = false;
  for (int body = 0; body < 200 && !(seen_x && seen_zero); ++body) {
    char digits[9];
    std::snprintf(digits, sizeof digits, "%08d", body);
    const char check = *ComputeOrgCodeCheckChar(digits);
    seen_x = seen_x || check == 'X';
    seen_zero = seen_zero || check == '0';
  }
  EXPECT_TRUE(seen_x);
  EXPECT_TRUE(seen_zero);
}

TEST(Uscc, IsValidAgreesWithParse) {
  EXPECT_TRUE(IsValidUscc("914403001922038216"));
  EXPECT_FALSE(IsValidUscc("914403001922038217"));
}

// Every labelled vector in the shared data must come out as labelled.
TEST(Uscc, SharedTestVectors) {
  Result<CsvTable> vectors =
      CsvTable::ReadFile(SharedDirForTesting() + "/data/identifiers/uscc_test_vectors.csv",
                         {"code", "expected_valid", "check_result"});
  ASSERT_TRUE(vectors.has_value()) << vectors.error().message;
  ASSERT_GE(vectors->records().size(), 245u);
  int valid = 0;
  for (const CsvRecord& row : vectors->records()) {
    const std::string code(*row.Field("code"));
    const std::string check_result(*row.Field("check_result"));
    Result<UsccInfo> info = ParseUscc(code);
    const bool expected = *row.Field("expected_valid") == "1";
    ASSERT_EQ(info.has_value(), expected)
        << "line " << row.line() << " " << code << ": " << (info ? "valid" : info.error().message);
    if (info) {
      ++valid;
      continue;
    }
    const std::string& message = info.error().message;
    if (check_result.rfind("checksum(expected ", 0) == 0) {
      const std::string expected_char = check_result.substr(18, 1);
      EXPECT_EQ(message, "校验码错误：应为 " + expected_char + "，实为 " +
                             static_cast<char>(std::toupper(code.back())))
          << code;
    } else if (check_result == "length") {
      EXPECT_NE(message.find("应为 18 位"), std::string::npos) << code;
    } else if (check_result == "format(illegal char I/O/S/V/Z)") {
      EXPECT_NE(message.find("不合法"), std::string::npos) << code;
    }
    // "format(first 8 must be digits)" (A1110000600037341L): GB 32100 allows
    // authority A (军队), so here it fails on the check character instead.
  }
  EXPECT_EQ(valid, 206);
}

}  // namespace
}  // namespace redshield
