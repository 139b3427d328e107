#include "screening/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

// Counts allocations made through operator new, to check that screening
// allocates per listing, never per match. Sanitizer builds keep their own
// operator new (replacing it there reports mismatched frees), and skip it.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RS_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RS_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef RS_COUNT_ALLOCATIONS
#define RS_COUNT_ALLOCATIONS 1
#endif

namespace {
std::atomic<long> allocations{0};
}  // namespace

#if RS_COUNT_ALLOCATIONS
// GCC cannot tell that these replace the global pair, and warns that free()
// releases what operator new returned.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#endif

namespace redshield::screening {
namespace {

Brand MakeBrand(std::string name, std::vector<std::string> aliases, int64_t min_yuan,
                int64_t max_yuan, std::vector<std::string> categories,
                std::vector<std::string> sellers = {}) {
  Brand brand;
  brand.name = std::move(name);
  brand.aliases = std::move(aliases);
  brand.min_price_fen = min_yuan * 100;
  brand.max_price_fen = max_yuan * 100;
  brand.categories = std::move(categories);
  brand.authorized_sellers = std::move(sellers);
  return brand;
}

RuleSetSpec TestSpec() {
  RuleSetSpec spec;
  spec.brands = {
      MakeBrand("耐克", {"Nike", "耐吉", "nai ke"}, 499, 1999, {"鞋", "服装", "运动"},
                {"耐克官方旗舰店", "nike-001"}),
      MakeBrand("苹果", {"Apple", "iPhone"}, 3000, 12000, {"手机", "电脑", "数码", "配件"}),
      MakeBrand("小米", {"Xiaomi"}, 999, 6999, {"手机", "数码"}),
      MakeBrand("敖汉小米", {}, 20, 200, {"粮油"}),
      MakeBrand("茅台", {"Moutai", "maotai"}, 1499, 3999, {"酒"}),
      MakeBrand("路易威登", {"Louis Vuitton", "LV"}, 5000, 60000, {"箱包", "服饰"}),
      MakeBrand("博士", {"Boss"}, 800, 5000, {"服装"}),
  };
  spec.lexicon = {
      {"高仿", {"高仿品"}, 45, 2}, {"1:1", {"一比一", "1比1"}, 40, 3},
      {"A货", {}, 45, 4},          {"原单", {"高仿原单"}, 35, 5},
      {"原单价", {}, 0, 6},        {"苹果绿", {"苹果肌"}, 0, 7},
      {"精仿", {}, 45, 8},
  };
  spec.blacklist = {{"bad-1", "阿强鞋业", "2023 年售假处罚", 2}};
  return spec;
}

class EngineTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::shared_ptr<const RuleSet>> compiled = RuleSet::Compile(TestSpec());
    ASSERT_TRUE(compiled.has_value()) << compiled.error().message;
    rules_ = *compiled;
  }
  static void TearDownTestSuite() { rules_.reset(); }

  static Listing Make(std::string_view title, double price_yuan,
                      std::string_view category = "运动鞋",
                      std::string_view seller_name = "耐克官方旗舰店") {
    Listing listing;
    listing.id = "t";
    listing.title = title;
    listing.category = category;
    listing.seller_id = "seller-1";
    listing.seller_name = seller_name;
    listing.price_fen = static_cast<int64_t>(price_yuan * 100);
    return listing;
  }

  const Verdict& Screen(const Listing& listing) { return scanner_.Screen(*rules_, listing); }

  static const Reason* Find(const Verdict& verdict, ReasonKind kind) {
    for (const Reason& reason : verdict.reasons()) {
      if (reason.kind == kind) return &reason;
    }
    return nullptr;
  }
  static int CountKind(const Verdict& verdict, ReasonKind kind) {
    int count = 0;
    for (const Reason& reason : verdict.reasons()) count += reason.kind == kind;
    return count;
  }
  static std::string_view Span(const Listing& listing, const Reason& reason) {
    const std::string_view text =
        reason.field == TextField::kDescription ? listing.description : listing.title;
    return text.substr(reason.span_begin, reason.span_end - reason.span_begin);
  }

  static std::shared_ptr<const RuleSet> rules_;  // compiled once for the suite
  Scanner scanner_;
};

std::shared_ptr<const RuleSet> EngineTest::rules_;

TEST_F(EngineTest, BrandWordAloneIsNotEnough) {
  const Verdict& verdict = Screen(Make("耐克 Air Zoom 男子跑步鞋", 899));
  EXPECT_EQ(verdict.brand, 0);
  EXPECT_EQ(verdict.score, 20);
  EXPECT_LT(verdict.score, 50);
}

TEST_F(EngineTest, LowPriceAloneIsNotEnough) {
  const Verdict& verdict = Screen(Make("男子跑步鞋 透气", 29));
  EXPECT_EQ(verdict.brand, -1);
  EXPECT_EQ(verdict.score, 0);
}

TEST_F(EngineTest, BrandWithModeratelyLowPriceIsNotEnough) {
  EXPECT_LT(Screen(Make("耐克 跑步鞋", 240)).score, 50);  // 48% of the minimum
}

TEST_F(EngineTest, BrandAndJargonFlag) {
  const Listing listing = Make("耐克 高仿 跑步鞋", 899);
  const Verdict& verdict = Screen(listing);
  EXPECT_EQ(verdict.score, 65);
  ASSERT_NE(Find(verdict, ReasonKind::kJargon), nullptr);
  EXPECT_EQ(Span(listing, *Find(verdict, ReasonKind::kJargon)), "高仿");
}

TEST_F(EngineTest, BrandAndFarLowPriceFlag) {
  const Verdict& verdict = Screen(Make("耐克 Air Max 跑步鞋", 99));
  EXPECT_EQ(verdict.score, 55);
  EXPECT_NE(Find(verdict, ReasonKind::kPrice), nullptr);
}

TEST_F(EngineTest, SeesThroughEvasions) {
  for (const char* title :
       {"耐 克 高 仿 跑鞋", "N.I.K.E 高·仿 跑鞋", "ＮＩＫＥ 高仿", "N1KE 高仿", "NlKE 高仿",
        "耐吉 高仿", "𝐍𝐈𝐊𝐄 高仿", "ɴɪᴋᴇ 高仿", "nai ke 高仿", "耐🔥克 高❤️仿",
        "耐克 高倣", "N\u200bI\u200bK\u200bE 高仿"}) {
    const Verdict& verdict = Screen(Make(title, 899));
    EXPECT_EQ(verdict.brand, 0) << title;
    EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 1) << title;
    EXPECT_GE(verdict.score, 50) << title;
  }
  for (const char* title :
       {"茅🔥台 飞天 53度 1：1", "貴州茅臺 一比一", "MOUTAI 1 : 1", "Ma0tai 1比1"}) {
    const Verdict& verdict = Screen(Make(title, 1999, "白酒"));
    EXPECT_EQ(verdict.brand, 4) << title;
    EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 1) << title;
  }
  const Verdict& goods = Screen(Make("LV 老花 A貨 女包", 6000, "箱包"));
  EXPECT_EQ(goods.brand, 5);
  EXPECT_EQ(CountKind(goods, ReasonKind::kJargon), 1);
}

TEST_F(EngineTest, SpansPointIntoTheOriginalTitle) {
  const Listing listing = Make("新款 N.I.K.E 高·仿 跑鞋", 899);
  const Verdict& verdict = Screen(listing);
  ASSERT_NE(Find(verdict, ReasonKind::kBrand), nullptr);
  EXPECT_EQ(Find(verdict, ReasonKind::kBrand)->field, TextField::kTitle);
  EXPECT_EQ(Span(listing, *Find(verdict, ReasonKind::kBrand)), "N.I.K.E");
  EXPECT_EQ(Span(listing, *Find(verdict, ReasonKind::kJargon)), "高·仿");
}

TEST_F(EngineTest, SpansInTheDescriptionSayWhere) {
  Listing listing = Make("男子跑步鞋", 899);
  listing.description = "品牌：ＮＩＫＥ，做工精仿";
  const Verdict& verdict = Screen(listing);
  const Reason* brand = Find(verdict, ReasonKind::kBrand);
  ASSERT_NE(brand, nullptr);
  EXPECT_EQ(brand->field, TextField::kDescription);
  EXPECT_EQ(Span(listing, *brand), "ＮＩＫＥ");
  EXPECT_EQ(Span(listing, *Find(verdict, ReasonKind::kJargon)), "精仿");
}

TEST_F(EngineTest, TitleBrandIsPreferredOverDescription) {
  Listing listing = Make("小米 手机 正品", 1999, "手机");
  listing.description = "也可搭配苹果耳机";
  EXPECT_EQ(Screen(listing).brand, 2);
}

TEST_F(EngineTest, SecondHandClearsPriceAndReseller) {
  const Verdict& verdict = Screen(Make("二手 耐克 跑鞋 穿过两次", 120));
  EXPECT_TRUE(verdict.second_hand);
  EXPECT_EQ(Find(verdict, ReasonKind::kPrice), nullptr);
  EXPECT_EQ(Find(verdict, ReasonKind::kUnauthorized), nullptr);
  EXPECT_LT(verdict.score, 50);
}

TEST_F(EngineTest, SecondHandDoesNotClearJargon) {
  EXPECT_GE(Screen(Make("闲置 耐克 高仿 跑鞋", 120)).score, 50);
}

TEST_F(EngineTest, AccessoryWordingClearsTheBrand) {
  for (const char* title :
       {"适用于苹果iPhone15手机壳 防摔", "兼容 Apple 充电线 1米", "for iPhone 15 钢化膜"}) {
    const Verdict& verdict = Screen(Make(title, 9.9, "手机配件"));
    EXPECT_EQ(verdict.brand, -1) << title;
    EXPECT_LT(verdict.score, 50) << title;
  }
  // Without the accessory word a ¥9.9 "Apple" charger is suspicious.
  EXPECT_GE(Screen(Make("苹果原装充电器 20W", 9.9, "手机配件")).score, 50);
}

TEST_F(EngineTest, BrandWordInUnrelatedCategoryIsNotABrand) {
  const Verdict& apple = Screen(Make("烟台红富士苹果 5斤装 当季新鲜", 29.9, "生鲜水果"));
  EXPECT_EQ(apple.brand, -1);
  EXPECT_EQ(apple.score, 0);
  const Verdict& boss = Screen(Make("博士 学位 服务 咨询", 10, "教育培训"));
  EXPECT_EQ(boss.brand, -1);
}

TEST_F(EngineTest, LongerBrandWins) {
  const Verdict& verdict = Screen(Make("敖汉小米 新米 5斤", 39, "粮油米面"));
  EXPECT_EQ(verdict.brand, 3);
  EXPECT_EQ(verdict.score, 20);
}

TEST_F(EngineTest, LatinAliasesNeedWordBoundaries) {
  EXPECT_EQ(Screen(Make("pineapple 菠萝 手机壳", 5, "数码")).brand, -1);
  EXPECT_EQ(Screen(Make("all very good 包包", 50, "箱包")).brand, -1);
  EXPECT_EQ(Screen(Make("LV包 老花", 50, "箱包")).brand, 5);
  EXPECT_EQ(Screen(Make("NikeAir 跑鞋", 899)).brand, 0);  // a long alias may run into a word
  EXPECT_EQ(Screen(Make("LVMH 集团 新闻", 50, "箱包")).brand, -1);  // a short one may not
  EXPECT_EQ(Screen(Make("Nike耐克 跑鞋", 899)).brand, 0);
}

TEST_F(EngineTest, Double11IsNotOneToOne) {
  const Verdict& verdict = Screen(Make("双11 耐克 跑鞋 11号发货", 899));
  EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 0);
}

TEST_F(EngineTest, NegatedJargonDoesNotCount) {
  const Verdict& verdict = Screen(Make("耐克 正品保证 拒绝高仿 非A货", 899));
  EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 0);
  EXPECT_EQ(verdict.score, 20);
}

TEST_F(EngineTest, TermsStraddlingWordsDoNotCount) {
  RuleSetSpec spec = TestSpec();
  spec.lexicon.push_back({"仿品", {}, 40, 8});
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
  ASSERT_TRUE(rules.has_value());
  // 高仿 + 品牌 leaves 仿品 across the word gap.
  const Verdict& negated = scanner_.Screen(**rules, Make("耐克 正品保证 拒绝高仿 品牌直发", 899));
  EXPECT_EQ(CountKind(negated, ReasonKind::kJargon), 0);
  const Verdict& plain = scanner_.Screen(**rules, Make("耐克 高仿 品牌 鞋", 899));
  ASSERT_EQ(CountKind(plain, ReasonKind::kJargon), 1);
  EXPECT_EQ(plain.score, 65);
  const Verdict& both = scanner_.Screen(**rules, Make("耐克 仿品 高仿原单", 899));
  EXPECT_EQ(CountKind(both, ReasonKind::kJargon), 3);  // 仿品, 高仿 and 原单 (高仿原单)
}

TEST_F(EngineTest, ZeroWeightPhraseMasksJargon) {
  const Verdict& verdict = Screen(Make("耐克 跑鞋 原单价899 现价699", 699));
  EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 0);
}

TEST_F(EngineTest, ZeroWeightPhraseMasksBrandWords) {
  const Verdict& verdict = Screen(Make("苹果绿 硅胶手机壳 ins风", 9.9, "手机配件"));
  EXPECT_EQ(verdict.brand, -1);
  EXPECT_EQ(verdict.score, 0);
}

TEST_F(EngineTest, EachTermCountsOnce) {
  const Verdict& verdict = Screen(Make("耐克 高仿 高仿品 高 仿", 899));
  EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 1);
  EXPECT_EQ(verdict.score, 65);
}

TEST_F(EngineTest, WeakJargonAddsOnlyItsHeaviestTerm) {
  RuleSetSpec spec = TestSpec();
  spec.lexicon.push_back({"代购", {}, 10, 8});
  spec.lexicon.push_back({"假一赔十", {}, 10, 9});
  spec.lexicon.push_back({"尾货", {}, 15, 10});
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
  ASSERT_TRUE(rules.has_value());
  const Listing listing = Make("耐克 跑鞋 海外代购 假一赔十 尾货", 899, "运动鞋", "体育用品店");
  const Verdict& verdict = scanner_.Screen(**rules, listing);
  EXPECT_EQ(CountKind(verdict, ReasonKind::kJargon), 3);
  EXPECT_EQ(verdict.score, 20 + 15 + 15);  // brand, heaviest weak term, unauthorised
  const Listing strong = Make("耐克 跑鞋 海外代购 高仿", 899);
  EXPECT_EQ(scanner_.Screen(**rules, strong).score, 20 + 10 + 45);
}

TEST_F(EngineTest, JargonIsCapped) {
  const Verdict& verdict = Screen(Make("耐克 高仿 A货 精仿 1:1 原单", 899));
  int jargon = 0;
  for (const Reason& reason : verdict.reasons()) {
    if (reason.kind == ReasonKind::kJargon) jargon += reason.points;
  }
  EXPECT_EQ(jargon, 60);
  EXPECT_EQ(verdict.score, 80);
}

TEST_F(EngineTest, BlacklistedSellerById) {
  Listing listing = Make("运动鞋 男", 199);
  listing.seller_id = "bad-1";
  const Verdict& verdict = Screen(listing);
  ASSERT_NE(Find(verdict, ReasonKind::kBlacklist), nullptr);
  EXPECT_FALSE(Find(verdict, ReasonKind::kBlacklist)->by_name);
  EXPECT_EQ(verdict.score, 80);
}

TEST_F(EngineTest, BlacklistedSellerUnderNewId) {
  Listing listing = Make("耐克 跑鞋 男", 699, "运动鞋", "阿強鞋業2店");
  listing.seller_id = "new-77";
  const Verdict& verdict = Screen(listing);
  ASSERT_NE(Find(verdict, ReasonKind::kBlacklist), nullptr);
  EXPECT_TRUE(Find(verdict, ReasonKind::kBlacklist)->by_name);
  EXPECT_GE(verdict.score, 50);
}

TEST_F(EngineTest, UnauthorizedSellerIsWeak) {
  const Verdict& other = Screen(Make("耐克 跑鞋", 899, "运动鞋", "体育用品商店"));
  EXPECT_NE(Find(other, ReasonKind::kUnauthorized), nullptr);
  EXPECT_EQ(other.score, 35);
  const Verdict& official = Screen(Make("耐克 跑鞋", 899, "运动鞋", "耐克官方旗舰店"));
  EXPECT_EQ(Find(official, ReasonKind::kUnauthorized), nullptr);
  Listing by_id = Make("耐克 跑鞋", 899, "运动鞋", "whatever");
  by_id.seller_id = "nike-001";
  EXPECT_EQ(Find(Screen(by_id), ReasonKind::kUnauthorized), nullptr);
  EXPECT_GE(Screen(Make("耐克 跑鞋", 99, "运动鞋", "体育用品商店")).score, 50);
}

TEST_F(EngineTest, LicensedCategoryNeedsALicence) {
  Listing listing = Make("阿莫西林胶囊 24粒", 15, "医药保健/药品");
  const Verdict& without = Screen(listing);
  ASSERT_NE(Find(without, ReasonKind::kLicense), nullptr);
  EXPECT_EQ(without.score, 60);
  listing.license = "蒙AA4710001";
  EXPECT_EQ(Screen(listing).score, 0);
  EXPECT_EQ(Screen(Make("草甘膦 除草剂 农药 5kg", 80, "农药")).score, 60);
  EXPECT_EQ(Screen(Make("宠物驱虫 兽药", 30, "兽药")).score, 60);
  EXPECT_EQ(Screen(Make("电子血压计", 199, "医疗器械")).score, 60);
}

TEST_F(EngineTest, ScoreIsCappedAt100) {
  Listing listing = Make("耐克 高仿 A货 1:1", 59, "运动鞋", "阿强鞋业");
  listing.seller_id = "bad-1";
  EXPECT_EQ(Screen(listing).score, 100);
}

TEST_F(EngineTest, EmptyAndGarbageListingsAreHarmless) {
  EXPECT_EQ(Screen(Listing{}).score, 0);
  const std::string garbage("\xff\xfe\x80 耐\xe8克 \xf0\x9f", 13);
  EXPECT_LE(Screen(Make(garbage, -1)).score, 100);
}

TEST_F(EngineTest, ExplainsEveryReason) {
  Listing listing = Make("新款 N.I.K.E 高·仿 跑鞋", 59, "运动鞋", "阿强鞋业2店");
  listing.seller_id = "new-1";
  const Verdict& verdict = Screen(listing);
  const std::vector<ExplainedReason> reasons = Explain(*rules_, listing, verdict);
  ASSERT_EQ(reasons.size(), verdict.reasons().size());
  for (const ExplainedReason& reason : reasons) {
    EXPECT_FALSE(reason.detail.empty()) << ReasonKindName(reason.kind);
  }
  EXPECT_EQ(ReasonKindName(reasons[0].kind), "blacklist");
  EXPECT_NE(reasons[0].detail.find("阿强鞋业"), std::string::npos);
  bool saw_price = false;
  for (const ExplainedReason& reason : reasons) {
    if (reason.kind == ReasonKind::kBrand) {
      EXPECT_NE(reason.detail.find("N.I.K.E"), std::string::npos);
    }
    if (reason.kind == ReasonKind::kPrice) {
      saw_price = true;
      EXPECT_NE(reason.detail.find("59.00"), std::string::npos);
      EXPECT_NE(reason.detail.find("11%"), std::string::npos);
    }
  }
  EXPECT_TRUE(saw_price);
}

TEST_F(EngineTest, AllocatesPerListingNotPerMatch) {
  if (!RS_COUNT_ALLOCATIONS) GTEST_SKIP() << "operator new is the sanitizer's";
  const Listing few = Make("耐克 跑鞋", 899);
  const Listing many =
      Make("耐克 高仿 A货 精仿 1:1 原单 耐克 高仿 N.I.K.E 耐吉 LV 苹果 小米 茅台", 899);
  Screen(many);  // warm up the buffers
  Screen(few);
  const long before_few = allocations.load();
  Screen(few);
  const long for_few = allocations.load() - before_few;
  const long before_many = allocations.load();
  Screen(many);
  const long for_many = allocations.load() - before_many;
  EXPECT_EQ(for_few, for_many);
  EXPECT_LE(for_many, 1);  // one UTF-8 decode for all the fields
}

TEST_F(EngineTest, ScannerFollowsANewRuleSet) {
  RuleSetSpec spec = TestSpec();
  spec.brands.push_back(MakeBrand("伊利", {"Yili"}, 50, 200, {"乳"}));
  Result<std::shared_ptr<const RuleSet>> bigger = RuleSet::Compile(std::move(spec));
  ASSERT_TRUE(bigger.has_value());
  const Listing milk = Make("伊利 纯牛奶 高仿", 30, "乳制品");
  EXPECT_EQ(scanner_.Screen(*rules_, milk).brand, -1);
  EXPECT_EQ(scanner_.Screen(**bigger, milk).brand, 7);
  EXPECT_EQ(scanner_.Screen(*rules_, milk).brand, -1);
  EXPECT_NE((*bigger)->generation(), rules_->generation());
}

TEST(Engine, StrongestPriceSignalAmongTheBrandsNamed) {
  RuleSetSpec spec;
  spec.brands = {MakeBrand("苹果", {"Apple"}, 149, 20000, {"手机", "配件"}),
                 MakeBrand("iPhone", {"爱疯"}, 3999, 12999, {"手机"})};
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
  ASSERT_TRUE(rules.has_value());
  Scanner scanner;
  Listing listing;
  listing.title = "苹果 iPhone 15 Pro 256G 全新";
  listing.category = "手机";
  listing.price_fen = 80000;
  const Verdict& verdict = scanner.Screen(**rules, listing);
  EXPECT_EQ(verdict.brand, 0);  // the first brand named
  ASSERT_EQ(verdict.reasons().size(), 2u);
  EXPECT_EQ(verdict.reasons()[1].kind, ReasonKind::kPrice);
  EXPECT_EQ(verdict.reasons()[1].rule, 1u);  // priced against iPhone
  EXPECT_EQ(verdict.score, 55);
}

TEST(RuleSet, AddsTheBuiltInClearingWords) {
  RuleSetSpec spec;
  spec.brands = {MakeBrand("耐克", {}, 0, 0, {})};
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
  ASSERT_TRUE(rules.has_value());
  EXPECT_GT((*rules)->pattern_count(), 1u);  // the brand plus the built-in clearing words
}

TEST(RuleSet, CompilesWithoutAnyPattern) {
  RuleSetSpec spec;
  spec.second_hand_terms.clear();
  spec.compatibility_terms.clear();
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
  ASSERT_TRUE(rules.has_value());
  Scanner scanner;
  EXPECT_EQ(scanner.Screen(**rules, Listing{}).score, 0);
}

}  // namespace
}  // namespace redshield::screening
