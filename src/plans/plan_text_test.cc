#include "plans/plan_text.h"

#include <gtest/gtest.h>

namespace redshield::plans {
namespace {

TEST(ChineseNumeral, ParsesPlanNumbers) {
  EXPECT_EQ(ParseChineseNumeral(U"一"), 1);
  EXPECT_EQ(ParseChineseNumeral(U"九"), 9);
  EXPECT_EQ(ParseChineseNumeral(U"十"), 10);
  EXPECT_EQ(ParseChineseNumeral(U"十六"), 16);
  EXPECT_EQ(ParseChineseNumeral(U"二十"), 20);
  EXPECT_EQ(ParseChineseNumeral(U"二十五"), 25);
  EXPECT_EQ(ParseChineseNumeral(U"九十九"), 99);
}

TEST(ChineseNumeral, RejectsWhatIsNotANumber) {
  for (std::u32string_view text : {U"", U"十十", U"一十", U"二二", U"十二三", U"百", U"甲", U"二十五六"}) {
    EXPECT_EQ(ParseChineseNumeral(text), 0) << ToUtf8(text);
  }
}

TEST(PageMarker, RecognisesMarkersPdfExtractionLeaves) {
  for (std::u32string_view line : {U"— 2 —", U"-2-", U"－ 12 －", U"—１３—", U"第 2 页", U"第2页共10页",
                                   U"2/10", U"7", U"— 1024 —"}) {
    EXPECT_TRUE(IsPageMarker(line)) << ToUtf8(line);
  }
}

TEST(PageMarker, KeepsText) {
  for (std::u32string_view line : {U"一、持续推进", U"2017", U"— 注 —", U"12365", U"第二页",
                                   U"1.强化网上交易管理", U""}) {
    EXPECT_FALSE(IsPageMarker(line)) << ToUtf8(line);
  }
}

TEST(TidySpaces, RemovesSpacesAroundChineseAndKeepsThemBetweenWords) {
  EXPECT_EQ(TidySpaces(U"  适时公布打 击侵权 假冒  "), U"适时公布打击侵权假冒");
  EXPECT_EQ(TidySpaces(U"剑网 2018 专项行动"), U"剑网2018专项行动");
  EXPECT_EQ(TidySpaces(U"查处 Windows   XP 盗版"), U"查处Windows XP盗版");
  EXPECT_EQ(TidySpaces(U"（ 自治区工商局负责 ）"), U"（自治区工商局负责）");
  EXPECT_EQ(TidySpaces(U"   "), U"");
}

}  // namespace
}  // namespace redshield::plans
