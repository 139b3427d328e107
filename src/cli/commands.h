// The `redshield` command line: registers every sub-command on a CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/runtime.h"

namespace redshield::cli {

// `exit_code` receives the result of the command that ran.
void AddCommands(CLI::App& app, Runtime& runtime, int& exit_code);

// One per file.
void AddServeCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddInitCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddMigrateCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddUserCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddAuditCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddCheckCommand(CLI::App& app, int& exit_code);
void AddVersionCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddPlanCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddScreenCommand(CLI::App& app, int& exit_code);
void AddTraceCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddCasesCommand(CLI::App& app, Runtime& runtime, int& exit_code);
void AddReportCommand(CLI::App& app, Runtime& runtime, int& exit_code);

// Shared by the commands.
int ExitCodeFor(ErrorCode code);                 // exit_codes.cc: the one table
int ReportError(const Error& error);             // prints "错误：message" on stderr
std::string DefaultDb();                         // $REDSHIELD_DB or sqlite:./redshield.db
std::string DefaultKeyFile(const std::string& db);
// The actor of changes made by a command on the server (audited as "system").
Actor SystemActor();
// The first line of standard input without the line break.
std::string ReadStdinLine();

}  // namespace redshield::cli
