// The rules of the listing screener as people write them, before compiling:
// a brand registry, a weighted lexicon of seller jargon, a seller blacklist,
// the categories that need a licence, the words that clear a listing, and
// the scoring weights. engine.h compiles a RuleSetSpec into a RuleSet.
//
// The three rule files are UTF-8 CSV read with core's CSV reader:
//   brands.csv   brand,aliases,min_price,max_price,authorized_sellers,categories
//   lexicon.csv  term,variants,weight
//   sellers.csv  seller_id,seller_name,reason
// Lists inside a field are separated by '|'. Prices are yuan as people type
// them (core ParseYuan: "499", "1,299.00", "￥59"); an empty price means the
// range is unknown on that side. Empty categories mean "any category".
// A lexicon weight is an integer 0–100; weight 0 declares a harmless phrase
// that masks jargon and brand words inside it (原单价 masks 原单, 苹果绿 masks
// 苹果).
//
// Every error names the file, the line and the field:
//   `brands.csv 第 3 行，字段 "min_price"：...`, field `brands.csv line 3, min_price`.
// Functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace redshield::screening {

struct Brand {
  std::string name;                  // canonical name, e.g. 耐克
  std::vector<std::string> aliases;  // Nike, 耐吉, nai ke ... (the name is implied)
  int64_t min_price_fen = 0;         // reference price range; 0 = unknown
  int64_t max_price_fen = 0;
  std::vector<std::string> authorized_sellers;  // shop names or seller ids; empty = not tracked
  std::vector<std::string> categories;          // category names; empty = any category
  int64_t line = 0;                             // where the row starts in its file
};

struct JargonTerm {
  std::string term;                   // canonical term, e.g. 高仿
  std::vector<std::string> variants;  // other spellings that count as the term
  int weight = 0;                     // 0–100; 0 masks jargon and brands inside it
  int64_t line = 0;
};

struct BlacklistedSeller {
  std::string seller_id;    // may be empty if only the name is known
  std::string seller_name;  // may be empty if only the id is known
  std::string reason;
  int64_t line = 0;
};

// Points each signal adds to a listing's score (0–100, capped). The defaults
// keep every single weak signal under the default threshold of 50: a brand
// word alone scores 20, brand + moderately low price 45, brand + unauthorised
// seller 35, brand + weak jargon (代购 10, 假一赔十 10) + unauthorised seller 45.
struct ScoringWeights {
  int brand = 20;            // a brand named in one of its categories
  int jargon_cap = 60;       // the lexicon weights of distinct terms, summed, at most this
  int weak_jargon = 20;      // of terms lighter than this only the heaviest counts
  int price_far_below = 35;  // price < far_below_ratio × the brand's minimum
  int price_below = 25;      // price < below_ratio × the brand's minimum
  double far_below_ratio = 0.3;
  double below_ratio = 0.5;
  int unauthorized = 15;    // the brand lists its sellers and this one is not among them
  int blacklist_id = 80;    // the seller id is blacklisted
  int blacklist_name = 60;  // the shop name is (nearly) that of a blacklisted seller
  int license = 60;         // licensed category, no licence on the listing
};

struct RuleSetSpec {
  std::vector<Brand> brands;
  std::vector<JargonTerm> lexicon;
  std::vector<BlacklistedSeller> blacklist;
  // Selling in these categories needs a licence (药品经营许可证, 医疗器械经营
  // 许可/备案, 农药经营许可证, 兽药经营许可证). Matched as parts of the
  // listing's category ("医药保健/药品" is 药品).
  std::vector<std::string> licensed_categories = {"药品", "医疗器械", "农药", "兽药"};
  // Second-hand wording: a low price and a reseller are expected, so the price
  // and unauthorised-seller signals are not raised.
  std::vector<std::string> second_hand_terms = {"二手",   "闲置",   "转卖", "自用", "九成新",
                                                "八成新", "九五新", "99新", "95新", "已拆封"};
  // Accessory wording: a brand named after it ("适用于苹果") describes what the
  // item fits, not what it is, so that mention is not a brand signal.
  std::vector<std::string> compatibility_terms = {"适用于", "适用",   "兼容", "适配",
                                                  "通用于", "专用于", "for"};
  // Words that negate the jargon right after them ("拒绝高仿", "非A货").
  std::vector<std::string> negation_prefixes = {"非",   "不是", "拒绝", "杜绝", "谨防", "严禁",
                                                "不卖", "不售", "绝非", "并非", "无",   "没有"};
  ScoringWeights weights;
};

// Parsers of the three files. `file_name` is used in messages only.
// kInvalidArgument for malformed CSV, a missing column, an empty required
// field, an unparsable or reversed price range, a weight outside 0–100, a
// repeated brand or term, an alias or term that normalises to fewer than two
// characters, or a blacklist row with neither id nor name.
Result<std::vector<Brand>> ParseBrands(std::string_view csv, std::string_view file_name);
Result<std::vector<JargonTerm>> ParseLexicon(std::string_view csv, std::string_view file_name);
Result<std::vector<BlacklistedSeller>> ParseBlacklist(std::string_view csv,
                                                      std::string_view file_name);

struct RuleFiles {
  std::string brands;
  std::string lexicon;
  std::string blacklist;  // optional: empty = no blacklist
};

// Reads and parses the files, with default licensed categories, clearing
// words and weights. kNotFound if a file cannot be opened, otherwise the
// parsers' errors. Messages carry file base names only.
Result<RuleSetSpec> LoadRuleFiles(const RuleFiles& files);

}  // namespace redshield::screening
