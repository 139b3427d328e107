#include "screening/rules.h"

#include <gtest/gtest.h>

#include "core/testing_paths.h"
#include "screening/engine.h"

namespace redshield::screening {
namespace {

constexpr char kBrandsHeader[] =
    "brand,aliases,min_price,max_price,authorized_sellers,categories\n";

TEST(Rules, ParsesBrands) {
  Result<std::vector<Brand>> brands =
      ParseBrands(std::string(kBrandsHeader) +
                      "耐克,Nike| 耐吉 |nai ke,499,\"1,999.00\",耐克官方旗舰店|nike-001,鞋|服装\n"
                      "敖汉小米,Aohan Millet,,,,\n",
                  "brands.csv");
  ASSERT_TRUE(brands.has_value()) << brands.error().message;
  ASSERT_EQ(brands->size(), 2u);
  const Brand& nike = (*brands)[0];
  EXPECT_EQ(nike.name, "耐克");
  EXPECT_EQ(nike.aliases, (std::vector<std::string>{"Nike", "耐吉", "nai ke"}));
  EXPECT_EQ(nike.min_price_fen, 49900);
  EXPECT_EQ(nike.max_price_fen, 199900);
  EXPECT_EQ(nike.authorized_sellers, (std::vector<std::string>{"耐克官方旗舰店", "nike-001"}));
  EXPECT_EQ(nike.categories, (std::vector<std::string>{"鞋", "服装"}));
  EXPECT_EQ(nike.line, 2);
  EXPECT_EQ((*brands)[1].min_price_fen, 0);
  EXPECT_TRUE((*brands)[1].categories.empty());
}

TEST(Rules, BadPriceNamesFileLineAndField) {
  Result<std::vector<Brand>> brands = ParseBrands(
      std::string(kBrandsHeader) + "耐克,Nike,499,1999,,\n阿迪达斯,Adidas,五百,,,\n", "brands.csv");
  ASSERT_FALSE(brands.has_value());
  EXPECT_EQ(brands.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(brands.error().message.find("brands.csv"), std::string::npos);
  EXPECT_NE(brands.error().message.find("第 3 行"), std::string::npos);
  EXPECT_NE(brands.error().message.find("min_price"), std::string::npos);
  EXPECT_EQ(brands.error().field, "brands.csv line 3, min_price");
}

TEST(Rules, RejectsReversedPriceRange) {
  Result<std::vector<Brand>> brands =
      ParseBrands(std::string(kBrandsHeader) + "耐克,Nike,1999,499,,\n", "brands.csv");
  ASSERT_FALSE(brands.has_value());
  EXPECT_EQ(brands.error().field, "brands.csv line 2, max_price");
}

TEST(Rules, RejectsMissingColumnNamingTheFile) {
  Result<std::vector<Brand>> brands = ParseBrands("brand,aliases\n耐克,Nike\n", "brands.csv");
  ASSERT_FALSE(brands.has_value());
  EXPECT_NE(brands.error().message.find("brands.csv 第 1 行"), std::string::npos);
  EXPECT_NE(brands.error().message.find("min_price"), std::string::npos);
}

TEST(Rules, RejectsAliasThatIsOnlySymbols) {
  Result<std::vector<Brand>> brands =
      ParseBrands(std::string(kBrandsHeader) + "耐克,Nike|★|x,,,,\n", "brands.csv");
  ASSERT_FALSE(brands.has_value());
  EXPECT_EQ(brands.error().field, "brands.csv line 2, aliases");
}

TEST(Rules, RejectsRepeatedBrandAfterNormalising) {
  Result<std::vector<Brand>> brands =
      ParseBrands(std::string(kBrandsHeader) + "Nike,,,,,\nＮＩＫＥ,,,,,\n", "brands.csv");
  ASSERT_FALSE(brands.has_value());
  EXPECT_NE(brands.error().message.find("与第 2 行重复"), std::string::npos);
}

TEST(Rules, RejectsUnquotedQuoteWithLine) {
  Result<std::vector<Brand>> brands =
      ParseBrands(std::string(kBrandsHeader) + "耐克,Ni\"ke,,,,\n", "brands.csv");
  ASSERT_FALSE(brands.has_value());
  EXPECT_NE(brands.error().message.find("brands.csv 第 2 行"), std::string::npos);
}

TEST(Rules, ParsesLexicon) {
  Result<std::vector<JargonTerm>> terms =
      ParseLexicon("term,variants,weight\n高仿,高仿品|高仿原单,45\n原单价,,0\n", "lexicon.csv");
  ASSERT_TRUE(terms.has_value()) << terms.error().message;
  ASSERT_EQ(terms->size(), 2u);
  EXPECT_EQ((*terms)[0].variants.size(), 2u);
  EXPECT_EQ((*terms)[0].weight, 45);
  EXPECT_EQ((*terms)[1].weight, 0);
}

TEST(Rules, RejectsBadWeights) {
  for (const char* weight : {"101", "-1", "4.5", "high", ""}) {
    Result<std::vector<JargonTerm>> terms =
        ParseLexicon(std::string("term,variants,weight\n高仿,,") + weight + "\n", "lexicon.csv");
    ASSERT_FALSE(terms.has_value()) << weight;
    EXPECT_EQ(terms.error().field, "lexicon.csv line 2, weight") << weight;
  }
}

TEST(Rules, RejectsShortTerm) {
  Result<std::vector<JargonTerm>> terms =
      ParseLexicon("term,variants,weight\n仿,,30\n", "lexicon.csv");
  ASSERT_FALSE(terms.has_value());
  EXPECT_EQ(terms.error().field, "lexicon.csv line 2, term");
}

TEST(Rules, ParsesBlacklist) {
  Result<std::vector<BlacklistedSeller>> sellers = ParseBlacklist(
      "seller_id,seller_name,reason\ns-1,阿强鞋业,2023 年售假处罚\n,鑫源商行,\ns-3,,\n",
      "sellers.csv");
  ASSERT_TRUE(sellers.has_value()) << sellers.error().message;
  EXPECT_EQ(sellers->size(), 3u);
  EXPECT_EQ((*sellers)[1].seller_id, "");
}

TEST(Rules, RejectsBlacklistRowWithoutIdOrName) {
  Result<std::vector<BlacklistedSeller>> sellers =
      ParseBlacklist("seller_id,seller_name,reason\n,,no one\n", "sellers.csv");
  ASSERT_FALSE(sellers.has_value());
  EXPECT_EQ(sellers.error().field, "sellers.csv line 2, seller_id");
}

TEST(Rules, MissingFileIsNotFound) {
  Result<RuleSetSpec> spec = LoadRuleFiles({"/nonexistent/brands.csv", "/nonexistent/l.csv", ""});
  ASSERT_FALSE(spec.has_value());
  EXPECT_EQ(spec.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(spec.error().message.find("/nonexistent"), std::string::npos);  // base name only
}

TEST(Rules, ShippedRuleFilesLoadAndCompile) {
  const std::string dir = SourceDirForTesting() + "/data/screening/";
  Result<RuleSetSpec> spec =
      LoadRuleFiles({dir + "brands.csv", dir + "lexicon.csv", dir + "sellers_blacklist.csv"});
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_GE(spec->brands.size(), 50u);
  EXPECT_GE(spec->lexicon.size(), 40u);
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(*spec));
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
}

}  // namespace
}  // namespace redshield::screening
