#include <iostream>

#include "cli/commands.h"
#include "cli/demo_trace.h"
#include "core/crypto.h"

namespace redshield::cli {
namespace {

constexpr const char* kDemoPassword = "Demo@Redshield2017";

const char* AddedOrKept(bool added) { return added ? "已载入" : "已存在，保留"; }

int RunInit(Runtime& runtime, const std::string& db, std::string key_file, bool demo) {
  if (key_file.empty()) key_file = DefaultKeyFile(db);
  Result<ModuleServices*> services = runtime.Open(db, key_file);
  if (!services) return ReportError(services.error());
  const int steps = demo ? 3 : 1;
  std::cerr << "[1/" << steps << "] 载入行政区划和机构…\n";
  Result<platform::SeedReport> report =
      (*services)->setup.LoadReference(runtime.RegionsCsv(), runtime.OrganizationsCsv());
  if (!report) return ReportError(report.error());
  std::cout << "数据库已初始化（" << (*services)->backend << "，结构版本 "
            << (*services)->schema_version << "）：行政区划 " << report->regions << " 个，机构新增 "
            << report->organizations_added << " 个、已有 " << report->organizations_kept << " 个\n";
  Result<bool> rubric = (*services)->assessment.SeedRubric(SystemActor(), runtime.AssessmentRubricCsv());
  if (!rubric) return ReportError(rubric.error());
  std::cout << "2016 年盟市考核表（76 分，各类别分值为估计，可调整）" << AddedOrKept(*rubric) << "\n";
  if (!demo) return 0;
  std::cerr << "[2/3] 创建演示账号和演示考核表…\n";
  Result<bool> demo_rubric = (*services)->assessment.CreateDemoRubric(SystemActor());
  if (!demo_rubric) return ReportError(demo_rubric.error());
  std::cout << "2017 年盟市考核表（演示，复制自 2016 年）" << AddedOrKept(*demo_rubric) << "\n";
  Result<int> created = (*services)->setup.CreateDemoUsers(kDemoPassword);
  if (!created) return ReportError(created.error());
  std::cout << "演示账号（密码均为 " << kDemoPassword << "）：";
  for (const platform::DemoAccount& a : platform::DemoAccounts()) std::cout << a.username << " ";
  std::cout << "\n";
  std::cerr << "[3/3] 导入 2017 年全区双打工作要点…\n";
  plans::ImportRequest plan{2017, "150000", std::nullopt, "", "monthly"};
  Result<Id> imported = (*services)->plans.ImportFile(SystemActor(), runtime.DemoPlanText(), plan);
  if (imported) {
    std::cout << "演示工作要点：2017 年全区打击侵权假冒工作要点已导入\n";
  } else if (imported.error().code == ErrorCode::kConflict) {
    std::cout << "演示工作要点：2017 年工作要点已存在，未重复导入\n";
  } else {
    return ReportError(imported.error());
  }
  if ((*services)->cases != nullptr) {
    Result<std::vector<cases::Case>> seeded = (*services)->cases->SeedDemo(SystemActor(), 2017, 2000);
    if (!seeded) return ReportError(seeded.error());
    std::cout << "演示案件：" << (!seeded->empty() ? "已生成 " + std::to_string(seeded->size()) + " 件（2017 年，12 个盟市）"
                                                : std::string("已有案件，未重复生成")) << "\n";
    Result<int> orders = (*services)->custody->SeedDemo(SystemActor(), *seeded);
    if (!orders) return ReportError(orders.error());
    if (*orders > 0) std::cout << "演示涉案物品：销毁单位 4 家，销毁记录 " << *orders << " 份\n";
  }
  if ((*services)->codes != nullptr) {
    Result<Id> enterprise = (*services)->setup.OrganizationId("DEMO-NZQY");
    if (!enterprise) return ReportError(enterprise.error());
    Result<int> batches = SeedTraceDemo(*(*services)->codes, (*services)->trace, *enterprise, SystemActor());
    if (!batches) return ReportError(batches.error());
    std::cout << "演示农资追溯：" << (*batches > 0 ? "追溯地点 5 个，追溯码批次 " + std::to_string(*batches) +
                                                       " 个（含包装码），流通事件、扫码、疑似克隆码和一次召回"
                                                 : std::string("已有批次，未重复生成")) << "\n";
  }
  return 0;
}

}  // namespace

void AddInitCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto db = std::make_shared<std::string>(DefaultDb());
  auto key_file = std::make_shared<std::string>();
  auto demo = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("init", "创建或升级数据库并载入行政区划、机构和考核表（可重复执行）");
  cmd->add_option("--db", *db, "数据库：sqlite:PATH 或 postgresql://…");
  cmd->add_option("--key-file", *key_file, "个人信息加密密钥文件");
  cmd->add_flag("--demo", *demo, "同时创建演示账号（每种角色一个）和 2017 年演示考核表");
  cmd->callback([=, &runtime, &exit_code] { exit_code = RunInit(runtime, *db, *key_file, *demo); });
}

}  // namespace redshield::cli
