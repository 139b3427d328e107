// Explain(): the reasons of a verdict as sentences a reviewer can check
// against the listing. Only reported listings get here, so this file may
// allocate freely.
#include <string>

#include "core/json_text.h"
#include "core/money.h"
#include "screening/engine.h"

namespace redshield::screening {
namespace {

std::string Quote(std::string_view text) { return "「" + std::string(text) + "」"; }

std::string_view FieldName(TextField field) {
  return field == TextField::kDescription ? "描述" : "标题";
}

std::string_view SourceText(const Listing& listing, const Reason& reason) {
  const std::string_view source =
      reason.field == TextField::kDescription ? listing.description : listing.title;
  if (reason.span_end > source.size() || reason.span_begin > reason.span_end) return {};
  return source.substr(reason.span_begin, reason.span_end - reason.span_begin);
}

std::string Percent(int64_t part, int64_t whole) {
  return std::to_string(
             static_cast<int>(100.0 * static_cast<double>(part) / static_cast<double>(whole))) +
         "%";
}

ExplainedReason WithSpan(const Reason& reason, std::string term, std::string detail) {
  ExplainedReason out;
  out.kind = reason.kind;
  out.term = std::move(term);
  out.field = reason.field;
  out.span_begin = reason.span_begin;
  out.span_end = reason.span_end;
  out.points = reason.points;
  out.detail = std::move(detail);
  return out;
}

ExplainedReason Plain(const Reason& reason, std::string term, std::string detail) {
  ExplainedReason out = WithSpan(reason, std::move(term), std::move(detail));
  out.field = TextField::kNone;
  out.span_begin = out.span_end = 0;
  return out;
}

ExplainedReason ExplainBrand(const RuleSetSpec& spec, const Listing& listing,
                             const Reason& reason) {
  const Brand& brand = spec.brands[reason.rule];
  std::string detail = std::string(FieldName(reason.field)) + "中提到品牌" + Quote(brand.name) +
                       "（原文" + Quote(SourceText(listing, reason)) + "）";
  if (!listing.category.empty()) {
    detail += "，类目" + Quote(listing.category) + "在该品牌的经营范围内";
  }
  return WithSpan(reason, brand.name, std::move(detail));
}

ExplainedReason ExplainJargon(const RuleSetSpec& spec, const Listing& listing,
                              const Reason& reason) {
  const JargonTerm& term = spec.lexicon[reason.rule];
  std::string detail = std::string(FieldName(reason.field)) + "中含售假常用语" + Quote(term.term) +
                       "（原文" + Quote(SourceText(listing, reason)) + "，权重 " +
                       std::to_string(term.weight) + "）";
  return WithSpan(reason, term.term, std::move(detail));
}

ExplainedReason ExplainPrice(const RuleSetSpec& spec, const Listing& listing,
                             const Reason& reason) {
  const Brand& brand = spec.brands[reason.rule];
  std::string detail = "售价 " + FormatYuan(listing.price_fen) + " 元，仅为品牌" +
                       Quote(brand.name) + "参考价下限 " + FormatYuan(brand.min_price_fen) +
                       " 元的 " + Percent(listing.price_fen, brand.min_price_fen);
  return Plain(reason, brand.name, std::move(detail));
}

ExplainedReason ExplainBlacklist(const RuleSetSpec& spec, const Listing& listing,
                                 const Reason& reason) {
  const BlacklistedSeller& seller = spec.blacklist[reason.rule];
  const std::string why = seller.reason.empty() ? "" : "（原因：" + seller.reason + "）";
  if (!reason.by_name) {
    return Plain(reason, seller.seller_name.empty() ? seller.seller_id : seller.seller_name,
                 "卖家 ID" + Quote(listing.seller_id) + "在黑名单中" + why);
  }
  std::string detail =
      "店铺名" + Quote(listing.seller_name) + "与黑名单店铺" + Quote(seller.seller_name);
  if (!seller.seller_id.empty()) detail += "（卖家 ID " + seller.seller_id + "）";
  detail += "几乎相同，疑似换号重开" + why;
  return Plain(reason, seller.seller_name, std::move(detail));
}

ExplainedReason ExplainOne(const RuleSetSpec& spec, const Listing& listing, const Reason& reason) {
  switch (reason.kind) {
    case ReasonKind::kBrand:
      return ExplainBrand(spec, listing, reason);
    case ReasonKind::kJargon:
      return ExplainJargon(spec, listing, reason);
    case ReasonKind::kPrice:
      return ExplainPrice(spec, listing, reason);
    case ReasonKind::kBlacklist:
      return ExplainBlacklist(spec, listing, reason);
    case ReasonKind::kUnauthorized: {
      const Brand& brand = spec.brands[reason.rule];
      return Plain(reason, brand.name,
                   "品牌" + Quote(brand.name) + "登记了授权卖家，店铺" +
                       Quote(listing.seller_name) + "不在其中");
    }
    case ReasonKind::kLicense: {
      const std::string& category = spec.licensed_categories[reason.rule];
      const std::string belongs =
          listing.category == category ? "" : "属于" + Quote(category) + "，";
      return Plain(reason, category,
                   "类目" + Quote(listing.category) + belongs + "需要经营许可，商品未提供许可证号");
    }
  }
  return Plain(reason, "", "");
}

}  // namespace

std::vector<ExplainedReason> Explain(const RuleSet& rules, const Listing& listing,
                                     const Verdict& verdict) {
  std::vector<ExplainedReason> out;
  for (const Reason& reason : verdict.reasons())
    out.push_back(ExplainOne(rules.spec(), listing, reason));
  return out;
}

std::string ReasonsJson(const std::vector<ExplainedReason>& reasons) {
  std::string out = "[";
  for (const ExplainedReason& reason : reasons) {
    if (out.size() > 1) out.push_back(',');
    out += "{\"kind\":\"";
    out += ReasonKindName(reason.kind);
    out += "\"";
    if (!reason.term.empty()) out += ",\"term\":" + JsonQuote(reason.term);
    if (reason.field != TextField::kNone) {
      out += ",\"span\":[" + std::to_string(reason.span_begin) + "," +
             std::to_string(reason.span_end) + "]";
      if (reason.field == TextField::kDescription) out += ",\"field\":\"description\"";
    }
    out += ",\"points\":" + std::to_string(reason.points);
    out += ",\"detail\":" + JsonQuote(reason.detail) + "}";
  }
  return out + "]";
}

}  // namespace redshield::screening
