#include <iostream>

#include "cli/commands.h"

namespace redshield::cli {

void AddMigrateCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto db = std::make_shared<std::string>(DefaultDb());
  CLI::App* cmd = app.add_subcommand("migrate", "执行数据库结构迁移（每个迁移一个事务）");
  cmd->add_option("--db", *db, "数据库：sqlite:PATH 或 postgresql://…");
  cmd->callback([db, &runtime, &exit_code] {
    Result<ModuleServices*> services = runtime.Open(*db, DefaultKeyFile(*db));
    if (!services) {
      exit_code = ReportError(services.error());
      return;
    }
    std::cout << "数据库结构已是最新：版本 " << (*services)->schema_version << "（"
              << (*services)->backend << "）\n";
    exit_code = 0;
  });
}

}  // namespace redshield::cli
