// Test-only: where reference data lives when a test runs.
//
// ctest sets REDSHIELD_SHARED (the shared/ reference data) and REDSHIELD_SOURCE
// (the source tree). A test binary run by hand falls back to the directories
// CMake configured (compile definitions set in src/core/CMakeLists.txt).
#pragma once

#include <cstdlib>
#include <string>

namespace redshield {

inline std::string SourceDirForTesting() {
  if (const char* source = std::getenv("REDSHIELD_SOURCE"); source != nullptr && *source != 0) {
    return source;
  }
  return REDSHIELD_SOURCE_DIR_DEFAULT;
}

inline std::string SharedDirForTesting() {
  if (const char* shared = std::getenv("REDSHIELD_SHARED"); shared != nullptr && *shared != 0) {
    return shared;
  }
  if (const char* source = std::getenv("REDSHIELD_SOURCE"); source != nullptr && *source != 0) {
    return std::string(source) + "/../shared";
  }
  return REDSHIELD_SHARED_DIR_DEFAULT;
}

}  // namespace redshield
