#include "cases/thresholds.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>
#include <utility>

#include "core/csv.h"
#include "core/money.h"

namespace redshield::cases {
namespace {

struct MetricInfo {
  Metric metric;
  std::string_view name;
  std::string_view label;
  bool amount;  // fen (else a count, or no number at all)
};

constexpr MetricInfo kMetrics[] = {
    {Metric::kIllegalBusiness, "illegal_business_amount", "非法经营数额", true},
    {Metric::kIllegalGains, "illegal_gains", "违法所得", true},
    {Metric::kSales, "sales_amount", "销售金额", true},
    {Metric::kUnsoldValue, "unsold_value", "未销售货值", true},
    {Metric::kSalesPlusUnsold, "sales_plus_unsold", "已销售金额与未销售货值合计", true},
    {Metric::kSalesX3PlusUnsold, "sales_x3_plus_unsold", "销售金额的三倍与未销售货值合计", true},
    {Metric::kProductionLoss, "production_loss", "生产损失", true},
    {Metric::kRightsHolderLoss, "rights_holder_loss", "权利人直接经济损失", true},
    {Metric::kLabelCount, "label_count", "标识件数", false},
    {Metric::kUnsoldLabelCount, "unsold_label_count", "尚未销售的标识件数", false},
    {Metric::kLabelsPlusUnsold, "labels_plus_unsold", "已销售与尚未销售的标识件数合计", false},
    {Metric::kCopies, "copies", "复制品份数", false},
    {Metric::kConduct, "conduct", "生产、销售行为", false},
    {Metric::kManual, "manual", "人工判断", false},
    {Metric::kReasonableSuspicion, "reasonable_suspicion", "犯罪合理嫌疑", false},
};

const MetricInfo& Info(Metric metric) {
  for (const MetricInfo& info : kMetrics) {
    if (info.metric == metric) return info;
  }
  return kMetrics[0];
}

bool HasNumber(Metric metric) {
  return metric != Metric::kConduct && metric != Metric::kManual &&
         metric != Metric::kReasonableSuspicion;
}

// Saturates instead of overflowing: amounts come from outside (up to int64 fen).
int64_t SaturatingSum(int64_t a, int64_t b) {
  int64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
}

int64_t MetricValue(Metric metric, const CaseFacts& facts) {
  switch (metric) {
    case Metric::kIllegalBusiness: return facts.illegal_business_fen;
    case Metric::kIllegalGains: return facts.illegal_gains_fen;
    case Metric::kSales: return facts.sales_fen;
    case Metric::kUnsoldValue: return facts.unsold_value_fen;
    case Metric::kSalesPlusUnsold: return SaturatingSum(facts.sales_fen, facts.unsold_value_fen);
    case Metric::kSalesX3PlusUnsold:
      return SaturatingSum(SaturatingSum(SaturatingSum(facts.sales_fen, facts.sales_fen), facts.sales_fen),
                           facts.unsold_value_fen);
    case Metric::kProductionLoss: return facts.production_loss_fen;
    case Metric::kRightsHolderLoss: return facts.rights_holder_loss_fen;
    case Metric::kLabelCount: return facts.label_count;
    case Metric::kUnsoldLabelCount: return facts.unsold_label_count;
    case Metric::kLabelsPlusUnsold: return SaturatingSum(facts.label_count, facts.unsold_label_count);
    case Metric::kCopies: return facts.copies;
    case Metric::kConduct: return 1;
    case Metric::kManual: return 0;
    case Metric::kReasonableSuspicion: return facts.reasonable_suspicion ? 1 : 0;
  }
  return 0;
}

std::string FormatValue(const ThresholdRule& rule, int64_t value) {
  if (Info(rule.metric).amount) return FormatYuan(value) + " 元";
  return std::to_string(value) + (rule.unit.empty() ? "" : " " + rule.unit);
}

bool Met(const ThresholdRule& rule, const CaseFacts& facts) {
  if (rule.metric == Metric::kManual) return false;
  if (!HasNumber(rule.metric)) return MetricValue(rule.metric, facts) > 0;
  return MetricValue(rule.metric, facts) >= rule.threshold;
}

bool ConditionHolds(const ThresholdRule& rule, const CaseFacts& facts) {
  switch (rule.applies_when) {
    case AppliesWhen::kAlways: return true;
    case AppliesWhen::kMultiMark: return facts.marks_count >= 2;
    case AppliesWhen::kMultiMarkOrPrior:
      return facts.marks_count >= 2 || facts.prior_penalty_within_2y;
  }
  return false;
}

std::string Comparison(const ThresholdRule& rule, const CaseFacts& facts, bool met) {
  const MetricInfo& info = Info(rule.metric);
  if (rule.metric == Metric::kConduct) return std::string(rule.note);
  if (rule.metric == Metric::kManual) return std::string(rule.note);
  if (rule.metric == Metric::kReasonableSuspicion) {
    return "已认定" + std::string(info.label) + "（" + rule.note + "）";
  }
  return std::string(info.label) + " " + FormatValue(rule, MetricValue(rule.metric, facts)) +
         (met ? " ≥ " : " < ") + FormatValue(rule, rule.threshold);
}

template <typename Enum, size_t N>
Result<Enum> Lookup(const CsvRecord& record, std::string_view column,
                    const std::pair<std::string_view, Enum> (&names)[N]) {
  Result<std::string_view> value = record.RequiredField(column);
  if (!value) return tl::unexpected(value.error());
  for (const auto& [name, item] : names) {
    if (*value == name) return item;
  }
  return tl::unexpected(record.FieldError(column, "取值未知：" + std::string(*value)));
}

constexpr std::pair<std::string_view, AppliesWhen> kAppliesWhen[] = {
    {"always", AppliesWhen::kAlways},
    {"multi_mark", AppliesWhen::kMultiMark},
    {"multi_mark_or_prior", AppliesWhen::kMultiMarkOrPrior}};
constexpr std::pair<std::string_view, RuleLevel> kLevels[] = {
    {"filing", RuleLevel::kFiling},
    {"attempt", RuleLevel::kAttempt},
    {"aggravated", RuleLevel::kAggravated},
    {"transfer", RuleLevel::kTransfer}};
constexpr std::pair<std::string_view, std::optional<Supply>> kSupplies[] = {
    {"goods", Supply::kGoods}, {"services", Supply::kServices}, {"any", std::nullopt}};

Result<Date> ParseDateField(const CsvRecord& record, std::string_view column) {
  Result<std::string_view> text = record.RequiredField(column);
  if (!text) return tl::unexpected(text.error());
  Result<Date> date = Date::Parse(*text);
  if (!date) return tl::unexpected(record.FieldError(column, date.error()));
  return *date;
}

Result<int64_t> ParseThreshold(const CsvRecord& record, Metric metric) {
  std::string_view text = record.OptionalField("threshold").value_or("");
  if (!HasNumber(metric)) {
    if (!text.empty()) return tl::unexpected(record.FieldError("threshold", "此类条件不带数额"));
    return 0;
  }
  if (text.empty()) return tl::unexpected(record.FieldError("threshold", "不能为空"));
  if (Info(metric).amount) {
    Result<int64_t> fen = ParseYuan(text);
    if (!fen) return tl::unexpected(record.FieldError("threshold", fen.error()));
    return *fen;
  }
  int64_t count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || end != text.data() + text.size() || count < 0) {
    return tl::unexpected(record.FieldError("threshold", "应为非负整数"));
  }
  return count;
}

Result<ThresholdRule> ParseRule(const CsvRecord& record) {
  ThresholdRule rule;
  for (auto [column, target] : {std::pair{"rule_id", &rule.rule_id}, {"offence", &rule.offence},
                                {"version", &rule.version}, {"legal_source", &rule.legal_source}}) {
    Result<std::string_view> value = record.RequiredField(column);
    if (!value) return tl::unexpected(value.error());
    *target = std::string(*value);
  }
  rule.article = std::string(record.OptionalField("article").value_or(""));
  rule.unit = std::string(record.OptionalField("unit").value_or(""));
  rule.note = std::string(record.OptionalField("note").value_or(""));
  Result<Date> from = ParseDateField(record, "valid_from");
  if (!from) return tl::unexpected(from.error());
  rule.valid_from = *from;
  if (!record.OptionalField("valid_to").value_or("").empty()) {
    Result<Date> to = ParseDateField(record, "valid_to");
    if (!to) return tl::unexpected(to.error());
    if (*to < *from) return tl::unexpected(record.FieldError("valid_to", "早于 valid_from"));
    rule.valid_to = *to;
  }
  Result<std::optional<Supply>> supply = Lookup(record, "goods_or_services", kSupplies);
  if (!supply) return tl::unexpected(supply.error());
  rule.supply = *supply;
  Result<AppliesWhen> when = Lookup(record, "applies_when", kAppliesWhen);
  if (!when) return tl::unexpected(when.error());
  rule.applies_when = *when;
  Result<RuleLevel> level = Lookup(record, "level", kLevels);
  if (!level) return tl::unexpected(level.error());
  rule.level = *level;
  Result<std::string_view> metric = record.RequiredField("metric");
  if (!metric) return tl::unexpected(metric.error());
  auto found = std::find_if(std::begin(kMetrics), std::end(kMetrics),
                            [&](const MetricInfo& info) { return info.name == *metric; });
  if (found == std::end(kMetrics)) {
    return tl::unexpected(record.FieldError("metric", "取值未知：" + std::string(*metric)));
  }
  rule.metric = found->metric;
  Result<int64_t> threshold = ParseThreshold(record, rule.metric);
  if (!threshold) return tl::unexpected(threshold.error());
  rule.threshold = *threshold;
  std::string_view uncertain = record.OptionalField("uncertain").value_or("0");
  if (uncertain != "0" && uncertain != "1") {
    return tl::unexpected(record.FieldError("uncertain", "应为 0 或 1"));
  }
  rule.uncertain = uncertain == "1";
  return rule;
}

}  // namespace

bool ThresholdRule::AppliesOn(Date date) const {
  return valid_from <= date && (!valid_to || date <= *valid_to);
}

std::string_view MetricName(Metric metric) { return Info(metric).name; }
std::string_view MetricLabel(Metric metric) { return Info(metric).label; }
std::string_view RuleLevelName(RuleLevel level) {
  for (const auto& [name, item] : kLevels) {
    if (item == level) return name;
  }
  return "";
}

Result<ThresholdTable> ThresholdTable::FromCsv(std::string_view csv) {
  Result<CsvTable> table = CsvTable::Parse(
      csv, {"rule_id", "offence", "valid_from", "valid_to", "goods_or_services", "applies_when",
            "level", "metric", "threshold", "legal_source", "uncertain"});
  if (!table) return tl::unexpected(table.error());
  std::vector<ThresholdRule> rules;
  std::set<std::string> ids;
  for (const CsvRecord& record : table->records()) {
    Result<ThresholdRule> rule = ParseRule(record);
    if (!rule) return tl::unexpected(rule.error());
    if (!ids.insert(rule->rule_id).second) {
      return tl::unexpected(record.FieldError("rule_id", "重复：" + rule->rule_id));
    }
    rules.push_back(std::move(*rule));
  }
  if (rules.empty()) return Fail(ErrorCode::kInvalidArgument, "追诉标准表没有规则");
  return ThresholdTable(std::move(rules));
}

bool ThresholdTable::KnowsOffence(std::string_view offence) const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [&](const ThresholdRule& rule) { return rule.offence == offence; });
}

std::vector<std::string> ThresholdTable::Offences() const {
  std::vector<std::string> names;
  for (const ThresholdRule& rule : rules_) {
    if (std::find(names.begin(), names.end(), rule.offence) == names.end()) {
      names.push_back(rule.offence);
    }
  }
  return names;
}

Evaluation ThresholdTable::EvaluateOn(const CaseFacts& facts, Date date, bool& dated) const {
  Evaluation result;
  result.offence = facts.offence;
  std::vector<std::string> misses;
  dated = false;
  const ThresholdRule* deciding = nullptr;
  for (const ThresholdRule& rule : rules_) {
    if (rule.offence != facts.offence || !rule.AppliesOn(date)) continue;
    dated = true;
    if (rule.supply && *rule.supply != facts.goods_or_services) continue;
    if (!ConditionHolds(rule, facts)) continue;
    if (rule.level != RuleLevel::kTransfer && result.version.empty()) result.version = rule.version;
    bool met = Met(rule, facts);
    std::string line = "[" + rule.rule_id + "] " + Comparison(rule, facts, met);
    if (rule.uncertain) line += "（数额存疑，待核实原文）";
    if (!met) {
      if (rule.level != RuleLevel::kTransfer && rule.level != RuleLevel::kAggravated) {
        misses.push_back(std::move(line));
      }
      result.uncertain = result.uncertain || (rule.uncertain && deciding == nullptr);
      continue;
    }
    if (rule.level == RuleLevel::kAggravated) line += "：情节特别严重";
    result.reasons.push_back(std::move(line));
    if (rule.level != RuleLevel::kAggravated && deciding == nullptr) deciding = &rule;
  }
  if (deciding != nullptr) {
    result.should_transfer = true;
    result.rule = deciding->rule_id;
    result.version = deciding->version;
    result.uncertain = deciding->uncertain;
    result.basis = deciding->legal_source + "：" + Comparison(*deciding, facts, true);
    return result;
  }
  if (!dated) {
    result.reasons.push_back("犯罪日期 " + date.ToString() + " 没有适用的追诉标准");
  } else if (misses.empty() && result.reasons.empty()) {
    result.reasons.push_back(std::string("该罪名在 ") + date.ToString() + " 不适用于" +
                             (facts.goods_or_services == Supply::kGoods ? "商品" : "服务"));
  }
  for (std::string& miss : misses) result.reasons.push_back(std::move(miss));
  return result;
}

bool ThresholdTable::IsTransferOnly(const std::string& rule_id) const {
  for (const ThresholdRule& rule : rules_) {
    if (rule.rule_id == rule_id) return rule.level == RuleLevel::kTransfer;
  }
  return false;
}

void ThresholdTable::ApplyLighterLaw(const CaseFacts& facts, Evaluation& result) const {
  if (!facts.judged_on || *facts.judged_on <= facts.offence_date) return;
  bool dated = false;
  Evaluation now = EvaluateOn(facts, *facts.judged_on, dated);
  if (!dated || now.version == result.version) return;
  std::string when = facts.judged_on->ToString();
  if (result.should_transfer && !IsTransferOnly(result.rule) && !now.should_transfer) {
    result.should_transfer = false;
    result.reasons.insert(result.reasons.begin(),
                          "刑法第十二条（从旧兼从轻）：" + when + " 施行的标准（" + now.version +
                              "）较轻，按其未达到追诉标准");
    for (const std::string& reason : now.reasons) result.reasons.push_back("[现行] " + reason);
    result.rule.clear();
    result.basis = "刑法第十二条";
    result.uncertain = result.uncertain || now.uncertain;
  } else if (!result.should_transfer && now.should_transfer && !IsTransferOnly(now.rule)) {
    result.reasons.push_back("按 " + when + " 施行的标准（" + now.version + "，" + now.rule +
                             "）已达到，但依刑法第十二条不溯及既往");
  }
}

Result<Evaluation> ThresholdTable::Evaluate(const CaseFacts& facts) const {
  if (!KnowsOffence(facts.offence)) {
    return Fail(ErrorCode::kInvalidArgument, "未知罪名：" + facts.offence, "offence");
  }
  bool dated = false;
  Evaluation result = EvaluateOn(facts, facts.offence_date, dated);
  if (dated) ApplyLighterLaw(facts, result);
  return result;
}

}  // namespace redshield::cases
