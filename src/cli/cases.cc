// `redshield cases`: the prosecution-threshold evaluator (issue 5 §2).
//
//   redshield cases evaluate FILE.json   one JSON line per case
//   redshield cases rules [--json]       the rule table shipped in the binary
#include <iostream>
#include <memory>
#include <string>

#include "cases/thresholds.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/json_text.h"
#include "core/money.h"
#include "ingest/case_facts_json.h"

namespace redshield::cli {
namespace {

std::string EvaluationLine(const cases::Evaluation& eval) {
  std::string line = std::string("{\"should_transfer\":") + (eval.should_transfer ? "true" : "false");
  line += ",\"offence\":" + JsonQuote(eval.offence);
  line += ",\"rule\":" + (eval.rule.empty() ? std::string("null") : JsonQuote(eval.rule));
  line += ",\"basis\":" + (eval.basis.empty() ? std::string("null") : JsonQuote(eval.basis));
  line += ",\"reasons\":[";
  for (size_t index = 0; index < eval.reasons.size(); ++index) {
    if (index > 0) line += ",";
    line += JsonQuote(eval.reasons[index]);
  }
  return line + "]}";
}

Result<std::string> ReadInput(const std::string& path) {
  if (path != "-") return ReadTextFile(path);
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  return text;
}

int Evaluate(const cases::ThresholdTable& table, const std::string& path) {
  Result<std::string> text = ReadInput(path);
  if (!text) return ReportError(text.error());
  Result<std::vector<cases::CaseFacts>> all = ingest::ParseCaseFactsJson(*text);
  if (!all) return ReportError(all.error());
  Date today = Date::Parse(ShanghaiDate(SystemClock().Now())).value_or(Date());
  for (cases::CaseFacts& facts : *all) facts.judged_on = facts.judged_on.value_or(today);
  std::string out;
  for (size_t index = 0; index < all->size(); ++index) {
    Result<cases::Evaluation> eval = table.Evaluate((*all)[index]);
    if (!eval) {
      std::string where = all->size() == 1 ? "$" : "$[" + std::to_string(index) + "]";
      Error error = eval.error();
      error.field = where + "." + error.field;
      error.message = "字段 " + error.field + "：" + error.message;
      return ReportError(error);
    }
    out += EvaluationLine(*eval) + "\n";
  }
  std::cout << out;
  return 0;
}

std::string Threshold(const cases::ThresholdRule& rule) {
  if (rule.metric == cases::Metric::kConduct || rule.metric == cases::Metric::kManual ||
      rule.metric == cases::Metric::kReasonableSuspicion) {
    return "";
  }
  if (rule.unit == "元") return FormatYuan(rule.threshold) + " 元";
  return std::to_string(rule.threshold) + " " + rule.unit;
}

int ListRules(const cases::ThresholdTable& table, bool as_json) {
  for (const cases::ThresholdRule& rule : table.rules()) {
    std::string to = rule.valid_to ? rule.valid_to->ToString() : "";
    if (as_json) {
      std::cout << "{\"rule\":" << JsonQuote(rule.rule_id) << ",\"offence\":" << JsonQuote(rule.offence)
                << ",\"valid_from\":" << JsonQuote(rule.valid_from.ToString())
                << ",\"valid_to\":" << (to.empty() ? "null" : JsonQuote(to))
                << ",\"level\":" << JsonQuote(cases::RuleLevelName(rule.level))
                << ",\"metric\":" << JsonQuote(cases::MetricName(rule.metric))
                << ",\"threshold\":" << JsonQuote(Threshold(rule))
                << ",\"legal_source\":" << JsonQuote(rule.legal_source)
                << ",\"uncertain\":" << (rule.uncertain ? "true" : "false") << "}\n";
    } else {
      std::cout << rule.rule_id << "  " << rule.offence << "  " << rule.valid_from.ToString() << ".."
                << to << "  " << cases::MetricLabel(rule.metric) << " ≥ " << Threshold(rule)
                << (rule.uncertain ? "  [存疑]" : "") << "  " << rule.legal_source << "\n";
    }
  }
  return 0;
}

}  // namespace

void AddCasesCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("cases", "案件与两法衔接：立案追诉标准");
  cmd->require_subcommand(1);

  auto table = [&runtime]() -> Result<cases::ThresholdTable> {
    return cases::ThresholdTable::FromCsv(runtime.ThresholdsCsv());
  };

  auto file = std::make_shared<std::string>();
  CLI::App* evaluate = cmd->add_subcommand(
      "evaluate",
      "按立案追诉标准判断案件是否应移送公安机关。FILE 为一个案件的 JSON 对象或其数组（- 为标准输入），"
      "字段：offence（罪名）、offence_date（YYYY-MM-DD）、goods_or_services（goods|services）、"
      "illegal_business_amount、illegal_gains、sales_amount、unsold_value、production_loss、"
      "rights_holder_loss（元）、label_count、unsold_label_count、copies、marks_count、"
      "prior_penalty_within_2y、reasonable_suspicion，以及 judged_on（适用法律之日，默认今天："
      "按刑法第十二条从旧兼从轻）。"
      "每个案件输出一行 JSON：{should_transfer, offence, rule, basis, reasons}");
  evaluate->add_option("FILE", *file, "案件事实 JSON 文件，- 为标准输入")->required();
  evaluate->callback([=, &exit_code] {
    Result<cases::ThresholdTable> rules = table();
    exit_code = rules ? Evaluate(*rules, *file) : ReportError(rules.error());
  });

  auto as_json = std::make_shared<bool>(false);
  CLI::App* rules = cmd->add_subcommand("rules", "列出内置的立案追诉标准（按犯罪日期分版本）");
  rules->add_flag("--json", *as_json, "每条规则输出一行 JSON");
  rules->callback([=, &exit_code] {
    Result<cases::ThresholdTable> loaded = table();
    exit_code = loaded ? ListRules(*loaded, *as_json) : ReportError(loaded.error());
  });
}

}  // namespace redshield::cli
