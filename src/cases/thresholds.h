// Prosecution thresholds (立案追诉标准) as versioned data, and the evaluator
// that decides whether an administrative case must be transferred to the
// police (issue 5 §2).
//
// The rules come from data/cases/thresholds.csv (embedded in the binary): one
// row per condition. A row names the offence (罪名 as written in the criminal
// law), the offence dates it applies to (valid_from..valid_to, inclusive; an
// empty valid_to is open), goods or services, when it applies (always, two or
// more marks, two or more marks or a prior penalty within 2 years), its level
// (filing, attempt, aggravated, transfer), the metric compared and the
// threshold (≥), the legal source and an `uncertain` flag for figures that
// domain-facts §1.3 could not confirm from a primary text.
//
// Rows of one offence and date are alternatives (any one met is enough). A
// case should be transferred when a filing, attempt or transfer row is met;
// aggravated rows only add reasons. The rule set is chosen by the offence
// date; with a `judged_on` date, 刑法 Art. 12 (从旧兼从轻) also applies: a
// case that meets the rules of its offence date but not those in force on
// `judged_on` (a lighter later law) is not transferred, and a later, stricter
// law never reaches back. Transfer-only rows (the reasonable-suspicion flag)
// are not crime tests and are exempt.
//
// Depends on core only. ThresholdTable is immutable after FromCsv and safe to
// share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace redshield::cases {

enum class Supply { kGoods, kServices };

// The facts of one case that the thresholds look at. Amounts are fen.
struct CaseFacts {
  std::string offence;
  Date offence_date;
  Supply goods_or_services = Supply::kGoods;
  int64_t illegal_business_fen = 0;  // 非法经营数额
  int64_t illegal_gains_fen = 0;     // 违法所得
  int64_t sales_fen = 0;             // 销售金额
  int64_t unsold_value_fen = 0;      // 未销售货值
  int64_t production_loss_fen = 0;   // 生产损失 (伪劣农资)
  int64_t rights_holder_loss_fen = 0;  // 权利人直接经济损失 (假冒专利)
  int64_t label_count = 0;           // 标识件数 (制造、已销售)
  int64_t unsold_label_count = 0;    // 尚未销售的标识件数 (未遂)
  int64_t copies = 0;                // 复制品份数
  int64_t marks_count = 1;           // 注册商标 / 专利 种数
  bool prior_penalty_within_2y = false;
  // 国务院令第730号: IP case with a reasonable suspicion of a crime (set by an officer).
  bool reasonable_suspicion = false;
  // When the law is applied (the transfer decision); nullopt: only the rules
  // of the offence date are consulted.
  std::optional<Date> judged_on;
};

enum class AppliesWhen { kAlways, kMultiMark, kMultiMarkOrPrior };
enum class RuleLevel { kFiling, kAttempt, kAggravated, kTransfer };
enum class Metric {
  kIllegalBusiness,
  kIllegalGains,
  kSales,
  kUnsoldValue,
  kSalesPlusUnsold,
  kSalesX3PlusUnsold,
  kProductionLoss,
  kRightsHolderLoss,
  kLabelCount,
  kUnsoldLabelCount,
  kLabelsPlusUnsold,
  kCopies,
  kConduct,              // any conduct is enough (假药 since 2011)
  kManual,               // no quantitative test: a person decides
  kReasonableSuspicion,  // the officer's flag
};

struct ThresholdRule {
  std::string rule_id;
  std::string offence;
  std::string article;
  std::string version;
  Date valid_from;
  std::optional<Date> valid_to;  // inclusive; nullopt: still in force
  std::optional<Supply> supply;  // nullopt: goods and services
  AppliesWhen applies_when = AppliesWhen::kAlways;
  RuleLevel level = RuleLevel::kFiling;
  Metric metric = Metric::kSales;
  int64_t threshold = 0;  // fen for amounts, a count for 件/份
  std::string unit;       // 元, 件, 份 or empty
  std::string legal_source;
  bool uncertain = false;
  std::string note;

  bool AppliesOn(Date date) const;
};

struct Evaluation {
  bool should_transfer = false;
  std::string offence;
  std::string rule;     // the first transfer-making rule met; empty if none
  std::string basis;    // its legal source and the numbers compared
  std::vector<std::string> reasons;
  std::string version;  // the rule version used ("2010", "2025"); empty if none applies
  bool uncertain = false;  // the deciding rule (or, if none met, any rule consulted) is uncertain
};

class ThresholdTable {
 public:
  // kInvalidArgument naming the line and column for a malformed file, an
  // unknown enum value, a bad date, a duplicate rule_id or valid_to < valid_from.
  static Result<ThresholdTable> FromCsv(std::string_view csv);

  // kInvalidArgument (field "offence") when the offence is not in the table.
  Result<Evaluation> Evaluate(const CaseFacts& facts) const;

  bool KnowsOffence(std::string_view offence) const;
  // Offence names in table order, each once.
  std::vector<std::string> Offences() const;
  const std::vector<ThresholdRule>& rules() const { return rules_; }

 private:
  explicit ThresholdTable(std::vector<ThresholdRule> rules) : rules_(std::move(rules)) {}
  // The rules in force on `date` alone; `dated` tells whether any applied.
  Evaluation EvaluateOn(const CaseFacts& facts, Date date, bool& dated) const;
  // 刑法 Art. 12 over `result` (of the offence date) given the rules on `judged_on`.
  void ApplyLighterLaw(const CaseFacts& facts, Evaluation& result) const;
  bool IsTransferOnly(const std::string& rule_id) const;
  std::vector<ThresholdRule> rules_;
};

std::string_view MetricName(Metric metric);  // "sales_amount", ...
std::string_view MetricLabel(Metric metric);  // 销售金额, ...
std::string_view RuleLevelName(RuleLevel level);  // "filing", ...

}  // namespace redshield::cases
