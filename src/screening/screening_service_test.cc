#include "screening/screening_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace redshield::screening {
namespace {

RuleSetSpec SpecWith(std::vector<std::string> brand_names) {
  RuleSetSpec spec;
  for (std::string& name : brand_names) {
    Brand brand;
    brand.name = std::move(name);
    brand.min_price_fen = 10000;
    spec.brands.push_back(std::move(brand));
  }
  spec.lexicon = {{"高仿", {}, 45, 2}};
  return spec;
}

std::shared_ptr<const RuleSet> CompileOrDie(RuleSetSpec spec) {
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
  EXPECT_TRUE(rules.has_value());
  return *rules;
}

TEST(ScreeningService, ReloadPutsNewRulesInForce) {
  ScreeningService service(CompileOrDie(SpecWith({"耐克"})));
  Listing listing;
  listing.title = "伊利 高仿";
  Scanner scanner;
  EXPECT_EQ(scanner.Screen(*service.rules(), listing).brand, -1);
  ASSERT_TRUE(service.Reload(SpecWith({"耐克", "伊利"})).has_value());
  EXPECT_EQ(scanner.Screen(*service.rules(), listing).brand, 1);
}

TEST(ScreeningService, FailedReloadKeepsOldRules) {
  ScreeningService service(CompileOrDie(SpecWith({"耐克"})));
  const std::shared_ptr<const RuleSet> before = service.rules();
  Status status = service.ReloadFiles({"/nonexistent/brands.csv", "/nonexistent/lexicon.csv", ""});
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service.rules(), before);
}

// Readers screen continuously while another thread reloads; every verdict
// must come from one whole rule set (run under TSan in CI).
TEST(ScreeningService, ReloadWhileScreening) {
  ScreeningService service(CompileOrDie(SpecWith({"耐克"})));
  std::atomic<bool> stop{false};
  std::atomic<long> screened{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      Scanner scanner;
      Listing listing;
      listing.title = "耐克 伊利 高仿";
      listing.price_fen = 100;
      while (!stop.load()) {
        const std::shared_ptr<const RuleSet> rules = service.rules();
        const Verdict& verdict = scanner.Screen(*rules, listing);
        // Brand 0 is 耐克 in every generation.
        EXPECT_EQ(verdict.brand, 0);
        EXPECT_EQ(verdict.score, 20 + 45 + 35);
        screened.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 10; ++i) {
    std::vector<std::string> names = {"耐克"};
    for (int j = 0; j < i; ++j) names.push_back("品牌" + std::to_string(j) + "号");
    ASSERT_TRUE(service.Reload(SpecWith(names)).has_value());
  }
  while (screened.load() < 1000) std::this_thread::yield();
  stop = true;
  for (std::thread& reader : readers) reader.join();
}

}  // namespace
}  // namespace redshield::screening
