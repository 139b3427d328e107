#include <iostream>

#include "cli/commands.h"

namespace redshield::cli {

void AddVersionCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("version", "显示版本");
  cmd->callback([&runtime, &exit_code] {
    std::cout << "redshield " << runtime.Version() << "\n";
    exit_code = 0;
  });
}

}  // namespace redshield::cli
