#include "core/money.h"

#include <cstdint>

#include <gtest/gtest.h>

namespace redshield {
namespace {

int64_t Fen(std::string_view text, NegativeAmounts negatives = NegativeAmounts::kReject) {
  Result<int64_t> fen = ParseYuan(text, negatives);
  EXPECT_TRUE(fen.has_value()) << text << ": " << fen.error().message;
  return fen.value_or(-999);
}

std::string ErrorOf(std::string_view text, NegativeAmounts negatives = NegativeAmounts::kReject) {
  Result<int64_t> fen = ParseYuan(text, negatives);
  EXPECT_FALSE(fen.has_value()) << text;
  return fen ? "" : fen.error().message;
}

TEST(ParseYuan, AcceptsPlainAmounts) {
  EXPECT_EQ(Fen("12"), 1200);
  EXPECT_EQ(Fen("12.5"), 1250);
  EXPECT_EQ(Fen("12.50"), 1250);
  EXPECT_EQ(Fen("0.01"), 1);
  EXPECT_EQ(Fen("0"), 0);
  EXPECT_EQ(Fen("007"), 700);
}

TEST(ParseYuan, AcceptsUnitsAndSymbols) {
  EXPECT_EQ(Fen("12.50元"), 1250);
  EXPECT_EQ(Fen("12.50 元"), 1250);
  EXPECT_EQ(Fen("3.2万元"), 3200000);
  EXPECT_EQ(Fen("3.2万"), 3200000);
  EXPECT_EQ(Fen("1.234567万元"), 1234567);
  EXPECT_EQ(Fen("5万"), 5000000);
  EXPECT_EQ(Fen("¥12.50"), 1250);
  EXPECT_EQ(Fen("￥12.50"), 1250);
  EXPECT_EQ(Fen("+12"), 1200);
}

TEST(ParseYuan, AcceptsSeparatorsFullWidthAndSpaces) {
  EXPECT_EQ(Fen("1,234.56"), 123456);
  EXPECT_EQ(Fen("1,234,567"), 123456700);
  EXPECT_EQ(Fen("１２．５０"), 1250);
  EXPECT_EQ(Fen("１，２３４．５６元"), 123456);
  EXPECT_EQ(Fen("  12.50\t"), 1250);
  EXPECT_EQ(Fen("\u300012\u3000"), 1200);
}

TEST(ParseYuan, RejectsTooManyDecimals) {
  EXPECT_EQ(ErrorOf("12.345"), "以元为单位的金额最多 2 位小数（精确到分），实为 3 位");
  EXPECT_EQ(ErrorOf("12.345元"), "以元为单位的金额最多 2 位小数（精确到分），实为 3 位");
  EXPECT_EQ(ErrorOf("1.2345678万元"), "以万元为单位的金额最多 6 位小数（精确到分），实为 7 位");
}

TEST(ParseYuan, RejectsNegativesUnlessAllowed) {
  EXPECT_EQ(ErrorOf("-12"), "金额不能为负数");
  EXPECT_EQ(ErrorOf("－12"), "金额不能为负数");
  EXPECT_EQ(Fen("-12.5", NegativeAmounts::kAllow), -1250);
  EXPECT_EQ(Fen("-3.2万元", NegativeAmounts::kAllow), -3200000);
  EXPECT_EQ(Fen("−1,000", NegativeAmounts::kAllow), -100000);
  EXPECT_EQ(Fen("¥-5", NegativeAmounts::kAllow), -500);
}

TEST(ParseYuan, RejectsOverflow) {
  EXPECT_EQ(Fen("92233720368547758.07"), INT64_MAX);
  EXPECT_EQ(ErrorOf("92233720368547758.08"), "金额超出可处理的范围");
  EXPECT_EQ(ErrorOf("99999999999999999999999"), "金额超出可处理的范围");
  EXPECT_EQ(ErrorOf("9223372036854.775808万"), "金额超出可处理的范围");
  EXPECT_EQ(Fen("-92233720368547758.07", NegativeAmounts::kAllow), -INT64_MAX);
}

TEST(ParseYuan, RejectsGarbage) {
  EXPECT_EQ(ErrorOf(""), "金额为空");
  EXPECT_EQ(ErrorOf("   "), "金额为空");
  EXPECT_EQ(ErrorOf("元"), "金额缺少数字");
  EXPECT_EQ(ErrorOf("abc"), "金额中有无法识别的字符 \"a\"");
  EXPECT_EQ(ErrorOf("12元整"), "金额中有无法识别的字符 \"元\"");
  EXPECT_EQ(ErrorOf("1 2"), "金额中有无法识别的字符 U+0020");
  EXPECT_EQ(ErrorOf("1.2.3"), "金额中有多个小数点");
  EXPECT_EQ(ErrorOf(".5"), "金额缺少整数部分");
  EXPECT_EQ(ErrorOf("12."), "金额的小数点后缺少数字");
  EXPECT_EQ(ErrorOf("--1", NegativeAmounts::kAllow), "金额中有无法识别的字符 \"-\"");
  EXPECT_EQ(ErrorOf("1e5"), "金额中有无法识别的字符 \"e\"");
  EXPECT_EQ(ErrorOf("3.2万万"), "金额中有无法识别的字符 \"万\"");
}

TEST(ParseYuan, RejectsMisplacedSeparators) {
  for (std::string_view text : {"12,34", "1,2345", ",123", "123,", "1,,234", "1234,567"}) {
    EXPECT_EQ(ErrorOf(text), "金额的千位分隔符位置不正确") << text;
  }
  EXPECT_EQ(ErrorOf("1.234,5"), "金额的小数部分不能有逗号");
}

TEST(FormatYuan, GroupsThousands) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(1250), "12.50");
  EXPECT_EQ(FormatYuan(123456), "1,234.56");
  EXPECT_EQ(FormatYuan(100000000), "1,000,000.00");
  EXPECT_EQ(FormatYuan(-5), "-0.05");
  EXPECT_EQ(FormatYuan(-123456), "-1,234.56");
  EXPECT_EQ(FormatYuan(INT64_MAX), "92,233,720,368,547,758.07");
  EXPECT_EQ(FormatYuan(INT64_MIN), "-92,233,720,368,547,758.08");
}

TEST(FormatWanYuan, RoundsHalfUpToTwoDecimals) {
  EXPECT_EQ(FormatWanYuan(123456), "0.12");
  EXPECT_EQ(FormatWanYuan(125000), "0.13");
  EXPECT_EQ(FormatWanYuan(124999), "0.12");
  EXPECT_EQ(FormatWanYuan(1000000), "1.00");
  EXPECT_EQ(FormatWanYuan(3200000), "3.20");
  EXPECT_EQ(FormatWanYuan(0), "0.00");
  EXPECT_EQ(FormatWanYuan(4999), "0.00");
  EXPECT_EQ(FormatWanYuan(-4999), "0.00");
  EXPECT_EQ(FormatWanYuan(-125000), "-0.13");
  EXPECT_EQ(FormatWanYuan(123456789012), "123456.79");
  EXPECT_EQ(FormatWanYuan(INT64_MIN), "-9223372036854.78");
}

TEST(Money, ParseFormatRoundTrip) {
  for (int64_t fen : {int64_t{0}, int64_t{1}, int64_t{99}, int64_t{123456}, INT64_MAX}) {
    EXPECT_EQ(Fen(FormatYuan(fen)), fen);
  }
}

}  // namespace
}  // namespace redshield
