#include <iostream>

#include "cli/commands.h"

namespace redshield::cli {

void AddMigrateCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto db = std::make_shared<std::string>(DefaultDb());
  CLI::App* cmd = app.add_subcommand("migrate", "执行数据库结构迁移（每个迁移一个事务）");
  auto grant_to = std::make_shared<std::string>();
  cmd->add_option("--db", *db, "数据库：sqlite:PATH 或 postgresql://…");
  cmd->add_option("--grant-to", *grant_to,
                  "PostgreSQL：迁移后授权应用角色读写各表，审计日志只可读和追加（见 docs/operations.md）");
  cmd->callback([db, grant_to, &runtime, &exit_code] {
    Result<ModuleServices*> services = runtime.Open(*db, DefaultKeyFile(*db));
    if (!services) {
      exit_code = ReportError(services.error());
      return;
    }
    std::cout << "数据库结构已是最新：版本 " << (*services)->schema_version << "（"
              << (*services)->backend << "）\n";
    if (!grant_to->empty()) {
      Status granted = runtime.GrantAppRole(*grant_to);
      if (!granted) {
        exit_code = ReportError(granted.error());
        return;
      }
      std::cout << "已授权角色 " << *grant_to << "：审计日志只可读和追加\n";
    }
    exit_code = 0;
  });
}

}  // namespace redshield::cli
