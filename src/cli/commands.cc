#include "cli/commands.h"

namespace redshield::cli {

void AddCommands(CLI::App& app, Runtime& runtime, int& exit_code) {
  app.require_subcommand(1);
  AddServeCommand(app, runtime, exit_code);
  AddInitCommand(app, runtime, exit_code);
  AddMigrateCommand(app, runtime, exit_code);
  AddUserCommand(app, runtime, exit_code);
  AddAuditCommand(app, runtime, exit_code);
  AddCheckCommand(app, exit_code);
  AddVersionCommand(app, runtime, exit_code);
  AddPlanCommand(app, runtime, exit_code);
  AddScreenCommand(app, exit_code);
  AddTraceCommand(app, runtime, exit_code);
  AddCasesCommand(app, runtime, exit_code);
  AddReportCommand(app, runtime, exit_code);
}

}  // namespace redshield::cli
