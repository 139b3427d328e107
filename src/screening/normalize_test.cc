#include "screening/normalize.h"

#include <gtest/gtest.h>

#include <array>

namespace redshield::screening {
namespace {

TEST(Normalize, FoldsFullWidthAndCase) {
  EXPECT_EQ(Normalize("ＮＩＫＥ"), "nike");
  EXPECT_EQ(Normalize("Nike AIR"), "nikeair");
  EXPECT_EQ(Normalize("ＡＢＣ１２３"), "abc123");
}

TEST(Normalize, DropsSeparatorsAndEmojiBetweenCharacters) {
  EXPECT_EQ(Normalize("耐 克"), "耐克");
  EXPECT_EQ(Normalize("耐\u3000克"), "耐克");
  EXPECT_EQ(Normalize("N.I.K.E"), "nike");
  EXPECT_EQ(Normalize("N-I_K*E"), "nike");
  EXPECT_EQ(Normalize("高·仿"), "高仿");
  EXPECT_EQ(Normalize("高/仿"), "高仿");
  EXPECT_EQ(Normalize("茅🔥台"), "茅台");
  EXPECT_EQ(Normalize("茅❤️台"), "茅台");  // with variation selector
  EXPECT_EQ(Normalize("茅\u200b台"), "茅台");    // zero-width space
  EXPECT_EQ(Normalize("茅\u200d台"), "茅台");    // zero-width joiner
  EXPECT_EQ(Normalize("【正品】耐克！！"), "正品耐克");
  EXPECT_EQ(Normalize("👍🏽"), "");
}

TEST(Normalize, ConvertsTraditionalToSimplified) {
  EXPECT_EQ(Normalize("歐萊雅"), "欧莱雅");
  EXPECT_EQ(Normalize("A貨"), "a货");
  EXPECT_EQ(Normalize("高倣"), "高仿");  // a variant OpenCC leaves alone
  EXPECT_EQ(Normalize("專櫃品質"), "专柜品质");
  EXPECT_EQ(Normalize("鄂爾多斯"), "鄂尔多斯");
}

TEST(Normalize, FoldsCompatibilityAndLookAlikeLetters) {
  EXPECT_EQ(Normalize("ⓃⒾⓀⒺ"), "nike");
  EXPECT_EQ(Normalize("𝐍𝐈𝐊𝐄"), "nike");
  EXPECT_EQ(Normalize("ɴɪᴋᴇ"), "nike");
  EXPECT_EQ(Normalize("N\u0456ke"), "nike");                                 // Cyrillic і
  EXPECT_EQ(Normalize("\U0001F1F3\U0001F1EE\U0001F1F0\U0001F1EA"), "nike");  // 🇳🇮🇰🇪
  EXPECT_EQ(Normalize("Hermès"), "hermes");
  EXPECT_EQ(Normalize("⑩"), "10");
  EXPECT_EQ(Normalize("\uF900"), "岂");  // compatibility ideograph
}

TEST(Normalize, KeepsLookAlikeDigitsForThePatterns) {
  // 0/1 against o/l/i is resolved by the compiled patterns (engine.cc), not here.
  EXPECT_EQ(Normalize("N1KE"), "n1ke");
  EXPECT_EQ(Normalize("双11"), "双11");
}

TEST(Normalize, KeepsColonOnlyBetweenDigits) {
  EXPECT_EQ(Normalize("1:1"), "1:1");
  EXPECT_EQ(Normalize("1：1"), "1:1");
  EXPECT_EQ(Normalize("1︰1"), "1:1");
  EXPECT_EQ(Normalize("1 : 1"), "1:1");
  EXPECT_EQ(Normalize("耐:克"), "耐克");
  EXPECT_EQ(Normalize("12:"), "12");
  EXPECT_EQ(Normalize("1:a"), "1a");
  EXPECT_EQ(Normalize(":1"), "1");
}

TEST(Normalize, DropsInvalidUtf8) {
  EXPECT_EQ(Normalize("耐\xff克"), "耐克");
  EXPECT_EQ(Normalize("\xe8\x80"), "");
  EXPECT_EQ(Normalize("a\xef\xbf\xbd"
                      "b"),
            "ab");  // an encoded U+FFFD is a symbol
}

TEST(Normalize, IsIdempotent) {
  for (const char* text : {"ＮＩＫＥ 高·仿 1：1", "歐萊雅①", "茅🔥台 Hermès", "N.I.K.E", "ɴɪᴋᴇ"}) {
    const std::string once = Normalize(text);
    EXPECT_EQ(Normalize(once), once) << text;
  }
}

TEST(Normalize, MapsBytesBackToTheSource) {
  NormalizedText out;
  const std::string source = "N.I.K.E 鞋";
  NormalizeAppend(source, out);
  ASSERT_EQ(out.text, "nike鞋");
  ASSERT_GE(out.source_begin.size(), out.text.size());
  SourceRange nike = ToSource(out, source, 0, 4);
  EXPECT_EQ(nike.begin, 0u);
  EXPECT_EQ(nike.end, 7u);  // "N.I.K.E": the trailing space is not included
  SourceRange shoe = ToSource(out, source, 4, 7);
  EXPECT_EQ(shoe.begin, 8u);
  EXPECT_EQ(shoe.end, 11u);
}

TEST(Normalize, MapsFoldedAndExpandedCharacters) {
  NormalizedText out;
  NormalizeAppend("ＮＩＫＥ①", out);
  ASSERT_EQ(out.text, "nike1");
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ①", 0, 4).end, 12u);
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ①", 4, 5).begin, 12u);
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ①", 4, 5).end, 15u);
  out.Clear();
  NormalizeAppend("1 ： 1", out);
  ASSERT_EQ(out.text, "1:1");
  EXPECT_EQ(ToSource(out, "1 ： 1", 1, 2).begin, 2u);
  EXPECT_EQ(ToSource(out, "1 ： 1", 1, 2).end, 5u);
  EXPECT_EQ(ToSource(out, "1 ： 1", 0, 3).end, 7u);
  out.Clear();
  NormalizeAppend("ǆ", out);  // U+01C6 expands to "dž" → "dz" after accents go
  ASSERT_EQ(out.text, "dz");
  EXPECT_EQ(ToSource(out, "ǆ", 1, 2).begin, 0u);
  EXPECT_EQ(ToSource(out, "ǆ", 0, 2).end, 2u);
}

TEST(Normalize, BatchMatchesOneByOne) {
  NormalizedText text;
  std::string plain;
  std::string joined;
  // The title ends in a broken sequence that the next text could complete.
  const std::string title = "N.I.K.E 高·仿\xe8";
  const std::string description = "\x80\x80 歐萊雅 1：1";
  const std::array<NormalizeJob, 3> jobs = {NormalizeJob{title, &text},
                                            NormalizeJob{description, &text, nullptr, '\n'},
                                            NormalizeJob{"運動鞋", nullptr, &plain}};
  NormalizeBatch(jobs, joined);
  EXPECT_EQ(text.text, Normalize(title) + "\n" + Normalize(description));
  EXPECT_EQ(plain, "运动鞋");
  const size_t marker = text.text.find('\n');
  EXPECT_EQ(ToSource(text, description, marker + 1, marker + 4).begin, 3u);  // 歐
}

TEST(Normalize, AppendsFieldsWithMarkers) {
  NormalizedText out;
  NormalizeAppend("耐克", out);
  out.AppendMarker('\n');
  NormalizeAppend("A 货", out);
  EXPECT_EQ(out.text, "耐克\na货");
  EXPECT_EQ(ToSource(out, "A 货", 7, 11).begin, 0u);  // offsets are relative to each field
  EXPECT_EQ(ToSource(out, "A 货", 7, 11).end, 5u);
}

}  // namespace
}  // namespace redshield::screening
