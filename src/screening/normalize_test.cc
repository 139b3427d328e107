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

TEST(Normalize, FoldsLookAlikeLettersAndDigits) {
  EXPECT_EQ(Normalize("NlKE"), "nike");
  EXPECT_EQ(Normalize("N1KE"), "nike");
  EXPECT_EQ(Normalize("B0SS"), "boss");
  EXPECT_EQ(Normalize("Ma0tai"), "maotai");
  EXPECT_EQ(Normalize("N.1.K.E"), "nike");  // neighbours are counted after separators go
  EXPECT_EQ(Normalize("apple"), "appie");   // patterns fold the same way
  EXPECT_EQ(Normalize("双11"), "双11");
  EXPECT_EQ(Normalize("iPhone 11"), "iphone11");
  EXPECT_EQ(Normalize("2011年"), "2011年");
  EXPECT_EQ(Normalize("1:1"), "1:1");
  EXPECT_EQ(Normalize("0mega"), "omega");
  EXPECT_EQ(Normalize("Ph11ips"), "phiiips");  // philips, with l as i
  EXPECT_EQ(Normalize("D10r 包"), "dior包");
  EXPECT_EQ(Normalize("SK11"), "skii");
  EXPECT_EQ(Normalize("Gucc1 休闲鞋"), "gucci休闲鞋");
  EXPECT_EQ(Normalize("ma0ta1 53度"), "maotai53度");
  EXPECT_EQ(Normalize("MOUTAI 1 : 1"), "moutai1:1");
  EXPECT_EQ(Normalize("Ma0tai 1比1"), "maotai1比1");
  EXPECT_EQ(Normalize("a1:1"), "a1:1");
}

TEST(Normalize, KeepsColonOnlyBetweenDigits) {
  EXPECT_EQ(Normalize("1:1"), "1:1");
  EXPECT_EQ(Normalize("1：1"), "1:1");
  EXPECT_EQ(Normalize("1︰1"), "1:1");
  EXPECT_EQ(Normalize("1 : 1"), "1:1");
  EXPECT_EQ(Normalize("耐:克"), "耐克");
  EXPECT_EQ(Normalize("12:"), "12");
  EXPECT_EQ(Normalize("1:a"), "1a");  // a separator (the colon) stands between
  EXPECT_EQ(Normalize(":1"), "1");
}

// Regression (found by fuzz_screening): a kept ':' after a 1 that was then
// folded to i left "i:2", which a second pass normalised differently.
TEST(Normalize, KeptColonKeepsTheDigitBeforeIt) {
  EXPECT_EQ(Normalize("i1\xff:2"), "i1:2");
  EXPECT_EQ(Normalize(Normalize("i1\xff:2")), "i1:2");
}

TEST(Normalize, DropsInvalidUtf8) {
  EXPECT_EQ(Normalize("耐\xff克"), "耐克");
  EXPECT_EQ(Normalize("\xe8\x80"), "");
  EXPECT_EQ(Normalize("a\xef\xbf\xbd"
                      "b"),
            "ab");  // an encoded U+FFFD is a symbol
}

TEST(Normalize, IsIdempotentAwayFromLookAlikeDigits) {
  for (const char* text : {"ＮＩＫＥ 高·仿 1：1", "歐萊雅①", "茅🔥台 Hermès", "N.I.K.E", "ɴɪᴋᴇ",
                           "N1KE B0SS 10 a1 1a l1l", "ʟ Ĺ ӏ", "Ph11ips D10r SK11 x1:1 a 1 b"}) {
    const std::string once = Normalize(text);
    EXPECT_EQ(Normalize(once), once) << text;
  }
  // The documented exception: the separator that kept 11 apart is gone.
  EXPECT_EQ(Normalize("iPhone 11"), "iphone11");
  EXPECT_EQ(Normalize(Normalize("iPhone 11")), "iphoneii");
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
  NormalizeAppend("ＮＩＫＥ⑩", out);
  ASSERT_EQ(out.text, "nike10");
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ⑩", 0, 4).end, 12u);
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ⑩", 4, 6).begin, 12u);
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ⑩", 4, 6).end, 15u);
  EXPECT_EQ(ToSource(out, "ＮＩＫＥ⑩", 5, 6).begin, 12u);
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
