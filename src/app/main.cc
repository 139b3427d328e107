// redshield: the command line and the server of the 双打 platform.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "app/runtime.h"
#include "cli/commands.h"
#include "core/crypto.h"

int main(int argc, char** argv) {
  redshield::InitCrypto();
  // Diagnostics go to stderr; the access log (one JSON object per line) to stdout.
  auto errors = spdlog::stderr_logger_mt("redshield");
  errors->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(errors);
  auto access = spdlog::stdout_logger_mt("access");
  access->set_pattern("%v");
  redshield::app::AppRuntime runtime;
  CLI::App app{"redshield（红盾）：内蒙古自治区打击侵权假冒工作平台"};
  app.set_version_flag("--version", std::string("redshield ") + REDSHIELD_VERSION);
  int exit_code = 0;
  redshield::cli::AddCommands(app, runtime, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
