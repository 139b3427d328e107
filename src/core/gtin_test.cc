#include "core/gtin.h"

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/testing_paths.h"

namespace redshield {
namespace {

std::string ErrorOf(std::string_view text) {
  Result<Gtin> gtin = ParseGtin(text);
  return gtin ? "" : gtin.error().message;
}

TEST(Gtin, AcceptsAllFourLengths) {
  EXPECT_EQ(ParseGtin("73513537")->ToGtin14(), "00000073513537");
  EXPECT_EQ(ParseGtin("036000291452")->ToGtin14(), "00036000291452");
  EXPECT_EQ(ParseGtin("6901234567892")->ToGtin14(), "06901234567892");
  EXPECT_EQ(ParseGtin("10614141073402")->ToGtin14(), "10614141073402");
  EXPECT_EQ(ParseGtin(" ６９０１２３４５６７８９２ ")->digits, "6901234567892");
}

TEST(Gtin, ReportsLength) {
  EXPECT_EQ(ErrorOf("75010313113"), "GTIN 应为 8、12、13 或 14 位数字，实为 11 位");
  EXPECT_EQ(ErrorOf(""), "GTIN 应为 8、12、13 或 14 位数字，实为 0 位");
}

TEST(Gtin, ReportsNonDigitWithPosition) {
  Result<Gtin> gtin = ParseGtin("750103AAAA309");
  ASSERT_FALSE(gtin.has_value());
  EXPECT_EQ(gtin.error().message, "第 7 位字符 \"A\" 不合法：应为数字");
  EXPECT_EQ(gtin.error().field, "position 7");
  EXPECT_EQ(ErrorOf("6901234-67892"), "第 8 位字符 \"-\" 不合法：应为数字");
}

TEST(Gtin, ReportsCheckDigit) {
  Result<Gtin> gtin = ParseGtin("7501031311308");
  ASSERT_FALSE(gtin.has_value());
  EXPECT_EQ(gtin.error().message, "校验位错误：应为 9，实为 8");
  EXPECT_EQ(gtin.error().field, "position 13");
}

TEST(Gs1CheckDigit, ComputesForSsccAndGln) {
  EXPECT_EQ(*ComputeGs1CheckDigit("750103131130"), 9);
  EXPECT_EQ(*ComputeGs1CheckDigit("00614141123456789"), 0);  // SSCC 006141411234567890
  EXPECT_EQ(*ComputeGs1CheckDigit("061414100001"), 2);       // GLN 0614141000012
  EXPECT_EQ(*ComputeGs1CheckDigit("0"), 0);
  EXPECT_EQ(*ComputeGs1CheckDigit("1"), 7);
}

TEST(Gs1CheckDigit, RejectsBadInput) {
  EXPECT_EQ(ComputeGs1CheckDigit("").error().message, "计算校验位需要 1 到 17 位数字，实为 0 位");
  EXPECT_FALSE(ComputeGs1CheckDigit("123456789012345678").has_value());
  EXPECT_EQ(ComputeGs1CheckDigit("12a").error().message, "第 3 位字符 \"a\" 不合法：应为数字");
  EXPECT_EQ(ComputeGs1CheckDigit("1\xE4").error().message, "第 2 位字符 U+FFFD 不合法：应为数字");
}

TEST(Gs1CheckDigit, Verifies) {
  EXPECT_TRUE(VerifyGs1CheckDigit("006141411234567890").has_value());
  EXPECT_EQ(VerifyGs1CheckDigit("006141411234567891").error().message,
            "校验位错误：应为 0，实为 1");
  EXPECT_EQ(VerifyGs1CheckDigit("00614141123456789x").error().message,
            "第 18 位字符 \"x\" 不合法：应为数字");
  EXPECT_FALSE(VerifyGs1CheckDigit("7").has_value());
}

TEST(Gtin, SharedTestVectors) {
  Result<CsvTable> vectors =
      CsvTable::ReadFile(SharedDirForTesting() + "/data/identifiers/gtin_test_vectors.csv",
                         {"code", "expected_valid", "source_claim"});
  ASSERT_TRUE(vectors.has_value()) << vectors.error().message;
  ASSERT_GE(vectors->records().size(), 37u);
  for (const CsvRecord& row : vectors->records()) {
    const std::string code(*row.Field("code"));
    const std::string claim(*row.Field("source_claim"));
    Result<Gtin> gtin = ParseGtin(code);
    ASSERT_EQ(gtin.has_value(), *row.Field("expected_valid") == "1")
        << "line " << row.line() << " " << code << ": " << (gtin ? "valid" : gtin.error().message);
    if (gtin) continue;
    const std::string& message = gtin.error().message;
    if (claim.starts_with("InvalidLength")) {
      EXPECT_TRUE(message.starts_with("GTIN 应为")) << code;
    } else if (claim.starts_with("InvalidFormat")) {
      EXPECT_NE(message.find("不合法"), std::string::npos) << code;
    } else {
      EXPECT_TRUE(message.starts_with("校验位错误")) << code << ": " << message;
    }
  }
}

}  // namespace
}  // namespace redshield
