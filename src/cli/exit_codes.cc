// The one table from ErrorCode to process exit code, and helpers every
// command shares.
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "core/crypto.h"

namespace redshield::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 2;
    case ErrorCode::kNotFound: return 3;
    case ErrorCode::kConflict: return 4;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kAccountLocked: return 5;
    case ErrorCode::kFailedPrecondition: return 6;
    case ErrorCode::kPayloadTooLarge: return 2;
    case ErrorCode::kRateLimited:
    case ErrorCode::kUnavailable: return 69;  // EX_UNAVAILABLE
    case ErrorCode::kInternal: return 70;     // EX_SOFTWARE
  }
  return 1;
}

int ReportError(const Error& error) {
  std::cerr << "错误：" << error.message;
  if (!error.field.empty()) std::cerr << "（" << error.field << "）";
  std::cerr << "\n";
  return ExitCodeFor(error.code);
}

std::string DefaultDb() {
  const char* env = std::getenv("REDSHIELD_DB");
  return env != nullptr && *env != '\0' ? env : "sqlite:./redshield.db";
}

Actor SystemActor() {
  Actor actor;
  actor.username = "system";
  actor.client_addr = "cli";
  actor.request_id = RequestId();
  return actor;
}

std::string DefaultKeyFile(const std::string& db) {
  const char* env = std::getenv("REDSHIELD_KEY_FILE");
  if (env != nullptr && *env != '\0') return env;
  if (db.starts_with("sqlite:") && db != "sqlite::memory:") return db.substr(7) + ".key";
  return "./redshield.key";
}

std::string ReadStdinLine() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace redshield::cli
