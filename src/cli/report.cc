// `redshield report summary --from DATE --to DATE [--region CODE] [--json]`:
// the standard 双打 summary (issue 5 §5) over the cases opened in the period,
// as the published text followed by tables by region, category, month and
// special action.
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "core/json_text.h"
#include "core/money.h"

namespace redshield::cli {
namespace {

void PrintTable(const char* title, const std::vector<cases::SummaryRow>& rows) {
  std::cout << "\n" << title << "\n";
  std::cout << "项目\t案件数\t案值（万元）\t罚没款（万元）\t移送（件）\n";
  for (const cases::SummaryRow& r : rows) {
    std::cout << r.key << "\t" << r.cases << "\t" << FormatWanYuan(r.value_fen) << "\t"
              << FormatWanYuan(r.penalty_fen) << "\t" << r.transferred << "\n";
  }
}

std::string RowsJson(const std::vector<cases::SummaryRow>& rows) {
  std::string out = "[";
  for (size_t index = 0; index < rows.size(); ++index) {
    const cases::SummaryRow& r = rows[index];
    if (index > 0) out += ",";
    out += "{\"key\":" + JsonQuote(r.key) + ",\"cases\":" + std::to_string(r.cases) +
           ",\"value_fen\":" + std::to_string(r.value_fen) + ",\"penalty_fen\":" +
           std::to_string(r.penalty_fen) + ",\"transferred\":" + std::to_string(r.transferred) + "}";
  }
  return out + "]";
}

int RunSummary(Runtime& runtime, const std::string& db, const std::string& from,
               const std::string& to, const std::string& region, bool as_json) {
  Result<ModuleServices*> services = runtime.Open(db, DefaultKeyFile(db));
  if (!services) return ReportError(services.error());
  Result<cases::Summary> summary = (*services)->cases->SummarizeRegion(from, to, region);
  if (!summary) return ReportError(summary.error());
  const cases::SummaryFigures& f = summary->figures;
  if (as_json) {
    std::cout << "{\"text\":" << JsonQuote(summary->text) << ",\"cases\":" << f.total.cases
              << ",\"value_fen\":" << f.total.value_fen << ",\"penalty_fen\":" << f.total.penalty_fen
              << ",\"transferred_cases\":" << f.total.transferred
              << ",\"by_region\":" << RowsJson(f.by_region) << ",\"by_category\":" << RowsJson(f.by_category)
              << ",\"by_month\":" << RowsJson(f.by_month) << ",\"by_tag\":" << RowsJson(f.by_tag) << "}\n";
    return 0;
  }
  std::cout << from << " 至 " << to << (region.empty() ? "" : "（地区 " + region + "）") << "：\n"
            << summary->text << "\n";
  PrintTable("按地区", f.by_region);
  PrintTable("按类别", f.by_category);
  PrintTable("按月份", f.by_month);
  PrintTable("按专项行动", f.by_tag);
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("report", "统计报表");
  cmd->require_subcommand(1);
  auto db = std::make_shared<std::string>(DefaultDb());
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto region = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* summary = cmd->add_subcommand(
      "summary", "双打统计汇总：期间内立案的案件，按发布格式输出文字，并按地区、类别、月份、专项行动分表");
  summary->add_option("--db", *db, "数据库：sqlite:PATH 或 postgresql://…");
  summary->add_option("--from", *from, "开始日期 YYYY-MM-DD（含）")->required();
  summary->add_option("--to", *to, "结束日期 YYYY-MM-DD（含）")->required();
  summary->add_option("--region", *region, "地区代码（6 位，含下级），默认全区");
  summary->add_flag("--json", *as_json, "输出一行 JSON");
  summary->callback([=, &runtime, &exit_code] {
    exit_code = RunSummary(runtime, *db, *from, *to, *region, *as_json);
  });
}

}  // namespace redshield::cli
