// libFuzzer target: the screening normaliser, the engine on arbitrary
// listings, and the three rule-file parsers.
//
// Properties checked besides "no crash, no sanitizer report":
//   * the normaliser is idempotent on text without the digits 0 and 1 (see
//     normalize.h for that exception), and its source map stays inside the
//     source and is ordered;
//   * a verdict's score is 0–100, its spans lie inside their field, and
//     Explain() describes every reason;
//   * a rule file that parses compiles (small ones only: compiling is slow).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "screening/engine.h"
#include "screening/normalize.h"
#include "screening/rules.h"

namespace {

using namespace redshield::screening;

void Require(bool condition) {
  if (!condition) std::abort();
}

const RuleSet& Rules() {
  static const std::shared_ptr<const RuleSet> rules = [] {
    RuleSetSpec spec;
    Brand nike;
    nike.name = "耐克";
    nike.aliases = {"Nike", "nai ke"};
    nike.min_price_fen = 19900;
    nike.categories = {"鞋", "服"};
    nike.authorized_sellers = {"耐克官方旗舰店"};
    Brand apple;
    apple.name = "苹果";
    apple.aliases = {"Apple", "LV"};
    apple.min_price_fen = 14900;
    spec.brands = {nike, apple};
    spec.lexicon = {{"高仿", {"高仿品"}, 45, 2},
                    {"1:1", {"一比一"}, 40, 3},
                    {"代购", {}, 10, 4},
                    {"原单价", {}, 0, 5}};
    spec.blacklist = {{"bad", "阿强鞋业", "", 2}, {"", "名表汇精品店", "", 3}};
    return *RuleSet::Compile(std::move(spec));
  }();
  return *rules;
}

void CheckNormalizer(std::string_view text) {
  const std::string once = Normalize(text);
  if (once.find_first_of("01") == std::string::npos) Require(Normalize(once) == once);
  NormalizedText out;
  NormalizeAppend(text, out);
  Require(out.text == once);
  uint32_t previous = 0;
  for (size_t start = 0; start < out.text.size();) {
    size_t end = start + 1;
    while (end < out.text.size() && (static_cast<unsigned char>(out.text[end]) & 0xC0) == 0x80) {
      ++end;
    }
    Require(out.source_begin[start] < text.size());
    Require(out.source_begin[start] >= previous);
    previous = out.source_begin[start];
    const SourceRange range = ToSource(out, text, start, end);
    Require(range.begin < range.end && range.end <= text.size());
    start = end;
  }
}

// Splits the input at 0x1F into the listing's fields.
void CheckEngine(std::string_view text) {
  std::array<std::string_view, 6> fields{};
  size_t field = 0;
  while (field < fields.size()) {
    const size_t cut = text.find('\x1f');
    fields[field++] = text.substr(0, cut);
    if (cut == std::string_view::npos) break;
    text.remove_prefix(cut + 1);
  }
  Listing listing;
  listing.title = fields[0];
  listing.description = fields[1];
  listing.category = fields[2];
  listing.seller_name = fields[3];
  listing.seller_id = fields[4];
  listing.license = fields[5];
  listing.price_fen = static_cast<int64_t>(fields[0].size() * 100) - 100;
  static Scanner scanner;
  const Verdict& verdict = scanner.Screen(Rules(), listing);
  Require(verdict.score >= 0 && verdict.score <= 100);
  for (const Reason& reason : verdict.reasons()) {
    if (reason.field == TextField::kNone) continue;
    const std::string_view source =
        reason.field == TextField::kTitle ? listing.title : listing.description;
    Require(reason.span_begin < reason.span_end && reason.span_end <= source.size());
  }
  Require(Explain(Rules(), listing, verdict).size() == verdict.reasons().size());
}

void CheckRuleFiles(std::string_view text) {
  const std::string brands_csv =
      "brand,aliases,min_price,max_price,authorized_sellers,categories\n" + std::string(text);
  redshield::Result<std::vector<Brand>> brands = ParseBrands(brands_csv, "brands.csv");
  redshield::Result<std::vector<JargonTerm>> terms =
      ParseLexicon("term,variants,weight\n" + std::string(text), "lexicon.csv");
  redshield::Result<std::vector<BlacklistedSeller>> sellers =
      ParseBlacklist("seller_id,seller_name,reason\n" + std::string(text), "sellers.csv");
  (void)ParseBrands(text, "brands.csv");  // the input as a whole file, header included
  if (brands && brands->size() <= 3) {
    RuleSetSpec spec;
    spec.brands = std::move(*brands);
    if (terms && terms->size() <= 3) spec.lexicon = std::move(*terms);
    if (sellers) spec.blacklist = std::move(*sellers);
    redshield::Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(spec));
    Require(rules.has_value());
    Scanner scanner;
    Listing listing;
    listing.title = text;
    (void)scanner.Screen(**rules, listing);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckNormalizer(text);
  CheckEngine(text);
  CheckRuleFiles(text);
  return 0;
}
