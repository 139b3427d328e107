// Google Benchmark micro-benchmarks of the screening hot path: the
// normaliser and one Screen() call, on a few typical listings. The file-level
// benchmark against ripgrep is screening_bench.cc.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "screening/engine.h"
#include "screening/normalize.h"

namespace {

using redshield::screening::Brand;
using redshield::screening::Listing;
using redshield::screening::RuleSet;
using redshield::screening::RuleSetSpec;

const char* const kTitles[] = {
    "耐克 Air Zoom Pegasus 40 男子跑步鞋 官方正品 透气减震",
    "新款 N.I.K.E 高·仿 老爹鞋 莆田 纯原 顶级版本 男女同款",
    "烟台红富士苹果 5斤装 当季新鲜水果 脆甜多汁 产地直发",
    "貴州茅🔥臺 飛天 53度 500ml 醬香型 1：1 禮盒裝",
};

std::shared_ptr<const RuleSet> Rules(int brands) {
  RuleSetSpec spec;
  for (int i = 0; i < brands; ++i) {
    Brand brand;
    brand.name = "品牌" + std::to_string(i) + "号";
    brand.aliases = {"Brand" + std::to_string(i) + "x"};
    brand.min_price_fen = 10000;
    brand.categories = {"鞋"};
    spec.brands.push_back(brand);
  }
  Brand nike;
  nike.name = "耐克";
  nike.aliases = {"Nike"};
  nike.min_price_fen = 19900;
  spec.brands.push_back(nike);
  spec.lexicon = {{"高仿", {}, 45, 2},
                  {"莆田", {}, 35, 3},
                  {"1:1", {"一比一"}, 40, 4},
                  {"纯原", {}, 40, 5},
                  {"顶级版本", {}, 30, 6}};
  return *RuleSet::Compile(std::move(spec));
}

void BM_Normalize(benchmark::State& state) {
  redshield::screening::NormalizedText out;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const char* title : kTitles) {
      out.Clear();
      redshield::screening::NormalizeAppend(title, out);
      bytes += std::char_traits<char>::length(title);
      benchmark::DoNotOptimize(out.text.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * 4);
}
BENCHMARK(BM_Normalize);

void BM_Screen(benchmark::State& state) {
  const std::shared_ptr<const RuleSet> rules = Rules(static_cast<int>(state.range(0)));
  redshield::screening::Scanner scanner;
  std::vector<Listing> listings;
  for (const char* title : kTitles) {
    Listing listing;
    listing.title = title;
    listing.category = "运动鞋";
    listing.seller_name = "某某运动专营店";
    listing.seller_id = "s-1";
    listing.price_fen = 9900;
    listings.push_back(listing);
  }
  for (auto _ : state) {
    for (const Listing& listing : listings) {
      benchmark::DoNotOptimize(scanner.Screen(*rules, listing).score);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(listings.size()));
}
BENCHMARK(BM_Screen)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace
