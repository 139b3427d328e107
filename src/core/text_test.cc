#include "core/text.h"

#include <gtest/gtest.h>

namespace redshield {
namespace {

TEST(Text, DecodesValidUtf8) {
  EXPECT_EQ(DecodeUtf8("a中\xF0\x9F\x98\x80"), (std::u32string{U'a', U'中', 0x1F600}));
}

TEST(Text, ReplacesEachBadByte) {
  EXPECT_EQ(DecodeUtf8("\xFF"), std::u32string(1, kReplacementChar));
  EXPECT_EQ(DecodeUtf8("\xE4\xB8"), std::u32string(2, kReplacementChar));      // truncated 中
  EXPECT_EQ(DecodeUtf8("\xC0\xAF"), std::u32string(2, kReplacementChar));      // overlong '/'
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80"), std::u32string(3, kReplacementChar));  // surrogate
  EXPECT_EQ(DecodeUtf8("\xE4x"), (std::u32string{kReplacementChar, U'x'}));
}

TEST(Text, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("内蒙古 abc"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xC4\xDA\xC3\xC9"));  // 内蒙 in GBK
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Text, EncodesRoundTrip) {
  std::string out;
  for (char32_t cp : DecodeUtf8("红盾 ok \xF0\x9F\x98\x80")) AppendUtf8(out, cp);
  EXPECT_EQ(out, "红盾 ok \xF0\x9F\x98\x80");
  out.clear();
  AppendUtf8(out, 0xD800);
  EXPECT_EQ(out, "\xEF\xBF\xBD");
}

TEST(Text, FoldsFullWidthAndTrims) {
  EXPECT_EQ(NormalizeInput("\u3000 １２ａＢ．\t"), U"12aB.");
  EXPECT_EQ(NormalizeInput("   "), U"");
}

TEST(Text, QuotesCharsForMessages) {
  EXPECT_EQ(QuoteChar(U'A'), "\"A\"");
  EXPECT_EQ(QuoteChar(U'中'), "\"中\"");
  EXPECT_EQ(QuoteChar(U'\t'), "U+0009");
  EXPECT_EQ(QuoteChar(U' '), "U+0020");
  EXPECT_EQ(QuoteChar(kReplacementChar), "U+FFFD");
}

}  // namespace
}  // namespace redshield
