#include "screening/rules.h"

#include <charconv>
#include <map>
#include <utility>

#include "core/csv.h"
#include "core/money.h"
#include "screening/normalize.h"

namespace redshield::screening {
namespace {

// Patterns shorter than this (after normalising) match far too much text.
constexpr size_t kMinPatternChars = 2;

size_t CountChars(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// '|'-separated list; items are trimmed, empty items skipped.
std::vector<std::string> SplitList(std::string_view field) {
  std::vector<std::string> items;
  while (true) {
    const size_t bar = field.find('|');
    const std::string_view item = Trim(field.substr(0, bar));
    if (!item.empty()) items.emplace_back(item);
    if (bar == std::string_view::npos) return items;
    field.remove_prefix(bar + 1);
  }
}

// Prefixes a record's error with the file name.
Error InFile(std::string_view file_name, Error error) {
  error.message = std::string(file_name) + " " + error.message;
  error.field = std::string(file_name) + " " + error.field;
  return error;
}

Status CheckPattern(const CsvRecord& record, std::string_view column, std::string_view pattern) {
  if (CountChars(Normalize(pattern)) < kMinPatternChars) {
    return tl::unexpected(record.FieldError(
        column, "「" + std::string(pattern) + "」去掉符号后不足 2 个字符，会匹配过多文本"));
  }
  return Ok();
}

Result<int64_t> ParsePrice(const CsvRecord& record, std::string_view column) {
  Result<std::string_view> text = record.Field(column);
  if (!text) return tl::unexpected(text.error());
  if (Trim(*text).empty()) return 0;
  Result<int64_t> fen = ParseYuan(*text);
  if (!fen) return tl::unexpected(record.FieldError(column, fen.error()));
  return *fen;
}

Result<Brand> ParseBrandRecord(const CsvRecord& record) {
  Brand brand;
  brand.line = record.line();
  Result<std::string_view> name = record.RequiredField("brand");
  if (!name) return tl::unexpected(name.error());
  brand.name = std::string(Trim(*name));
  RS_TRY(CheckPattern(record, "brand", brand.name));
  brand.aliases = SplitList(*record.Field("aliases"));
  for (const std::string& alias : brand.aliases) RS_TRY(CheckPattern(record, "aliases", alias));
  Result<int64_t> min_price = ParsePrice(record, "min_price");
  if (!min_price) return tl::unexpected(min_price.error());
  Result<int64_t> max_price = ParsePrice(record, "max_price");
  if (!max_price) return tl::unexpected(max_price.error());
  if (*max_price != 0 && *min_price > *max_price) {
    return tl::unexpected(record.FieldError("max_price", "不能低于 min_price"));
  }
  brand.min_price_fen = *min_price;
  brand.max_price_fen = *max_price;
  brand.authorized_sellers = SplitList(*record.Field("authorized_sellers"));
  brand.categories = SplitList(*record.Field("categories"));
  for (const std::string& category : brand.categories) {
    if (Normalize(category).empty()) {
      return tl::unexpected(record.FieldError("categories", "类目「" + category + "」不含文字"));
    }
  }
  return brand;
}

Result<JargonTerm> ParseTermRecord(const CsvRecord& record) {
  JargonTerm term;
  term.line = record.line();
  Result<std::string_view> text = record.RequiredField("term");
  if (!text) return tl::unexpected(text.error());
  term.term = std::string(Trim(*text));
  RS_TRY(CheckPattern(record, "term", term.term));
  term.variants = SplitList(*record.Field("variants"));
  for (const std::string& variant : term.variants)
    RS_TRY(CheckPattern(record, "variants", variant));
  Result<std::string_view> weight = record.RequiredField("weight");
  if (!weight) return tl::unexpected(weight.error());
  const std::string_view digits = Trim(*weight);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), term.weight);
  if (ec != std::errc() || end != digits.data() + digits.size() || term.weight < 0 ||
      term.weight > 100) {
    return tl::unexpected(record.FieldError("weight", "应为 0 到 100 之间的整数"));
  }
  return term;
}

Result<BlacklistedSeller> ParseSellerRecord(const CsvRecord& record) {
  BlacklistedSeller seller;
  seller.line = record.line();
  seller.seller_id = std::string(Trim(*record.Field("seller_id")));
  seller.seller_name = std::string(Trim(*record.Field("seller_name")));
  seller.reason = std::string(Trim(*record.Field("reason")));
  if (seller.seller_id.empty() && seller.seller_name.empty()) {
    return tl::unexpected(record.FieldError("seller_id", "seller_id 和 seller_name 不能都为空"));
  }
  if (!seller.seller_name.empty() && Normalize(seller.seller_name).empty()) {
    return tl::unexpected(record.FieldError("seller_name", "店铺名不含文字"));
  }
  return seller;
}

// Parses every record of a table with `parse`; `key` names a column whose
// normalised value must not repeat (empty: no check).
template <typename T, typename ParseFn>
Result<std::vector<T>> ParseTable(std::string_view csv, std::string_view file_name,
                                  std::initializer_list<std::string_view> columns,
                                  std::string_view key, ParseFn parse) {
  Result<CsvTable> table = CsvTable::Parse(csv, columns);
  if (!table) return tl::unexpected(InFile(file_name, table.error()));
  std::vector<T> items;
  std::map<std::string, int64_t> seen;  // normalised key → line
  for (const CsvRecord& record : table->records()) {
    Result<T> item = parse(record);
    if (!item) return tl::unexpected(InFile(file_name, item.error()));
    if (!key.empty()) {
      auto [it, inserted] = seen.try_emplace(Normalize(*record.Field(key)), record.line());
      if (!inserted) {
        return tl::unexpected(InFile(
            file_name, record.FieldError(key, "与第 " + std::to_string(it->second) + " 行重复")));
      }
    }
    items.push_back(std::move(*item));
  }
  return items;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

template <typename T, typename ParseFn>
Result<std::vector<T>> ReadRuleFile(const std::string& path, ParseFn parse) {
  Result<std::string> text = ReadTextFile(path);
  if (!text) return tl::unexpected(text.error());
  return parse(*text, BaseName(path));
}

}  // namespace

Result<std::vector<Brand>> ParseBrands(std::string_view csv, std::string_view file_name) {
  return ParseTable<Brand>(
      csv, file_name,
      {"brand", "aliases", "min_price", "max_price", "authorized_sellers", "categories"}, "brand",
      ParseBrandRecord);
}

Result<std::vector<JargonTerm>> ParseLexicon(std::string_view csv, std::string_view file_name) {
  return ParseTable<JargonTerm>(csv, file_name, {"term", "variants", "weight"}, "term",
                                ParseTermRecord);
}

Result<std::vector<BlacklistedSeller>> ParseBlacklist(std::string_view csv,
                                                      std::string_view file_name) {
  return ParseTable<BlacklistedSeller>(csv, file_name, {"seller_id", "seller_name", "reason"}, "",
                                       ParseSellerRecord);
}

Result<RuleSetSpec> LoadRuleFiles(const RuleFiles& files) {
  RuleSetSpec spec;
  Result<std::vector<Brand>> brands = ReadRuleFile<Brand>(files.brands, ParseBrands);
  if (!brands) return tl::unexpected(brands.error());
  spec.brands = std::move(*brands);
  Result<std::vector<JargonTerm>> lexicon = ReadRuleFile<JargonTerm>(files.lexicon, ParseLexicon);
  if (!lexicon) return tl::unexpected(lexicon.error());
  spec.lexicon = std::move(*lexicon);
  if (!files.blacklist.empty()) {
    Result<std::vector<BlacklistedSeller>> blacklist =
        ReadRuleFile<BlacklistedSeller>(files.blacklist, ParseBlacklist);
    if (!blacklist) return tl::unexpected(blacklist.error());
    spec.blacklist = std::move(*blacklist);
  }
  return spec;
}

}  // namespace redshield::screening
