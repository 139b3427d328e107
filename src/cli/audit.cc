#include <iostream>

#include "cli/commands.h"

namespace redshield::cli {

void AddAuditCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto db = std::make_shared<std::string>(DefaultDb());
  CLI::App* cmd = app.add_subcommand("audit", "审计日志");
  cmd->require_subcommand(1);
  CLI::App* verify = cmd->add_subcommand("verify", "校验审计日志哈希链，指出第一条被篡改或删除的记录");
  verify->add_option("--db", *db, "数据库");
  verify->callback([db, &runtime, &exit_code] {
    Result<ModuleServices*> services = runtime.Open(*db, DefaultKeyFile(*db));
    if (!services) {
      exit_code = ReportError(services.error());
      return;
    }
    Result<platform::ChainCheck> check = (*services)->audit.Verify(nullptr);
    if (!check) {
      exit_code = ReportError(check.error());
      return;
    }
    if (check->ok) {
      std::cout << "OK: " << check->message << "\n";
      exit_code = 0;
    } else {
      std::cout << "BROKEN at seq " << *check->first_broken_seq << ": " << check->message << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace redshield::cli
