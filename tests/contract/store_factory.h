// Backends for the contract suite: a fresh SQLite in-memory database, and a
// fresh schema on the PostgreSQL server named by $REDSHIELD_TEST_PG_URL.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/storage.h"

namespace redshield::testing_support {

struct Backend {
  std::string name;  // "sqlite" | "postgresql"
  // A migrated, empty database; aborts the test on failure.
  std::unique_ptr<storage::Storage> (*make)(const Clock& clock);
};

inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// SQLite always; PostgreSQL when $REDSHIELD_TEST_PG_URL is set. With
// $REDSHIELD_REQUIRE_PG=1 a missing URL is an error, so CI cannot skip it.
std::vector<Backend> AvailableBackends();
// AvailableBackends() and SQLite on a file ("sqlite_file", in a directory
// of this process's removed at exit): what the server runs on, with its
// kept snapshots, checkpointer and shared map, none of which an in-memory
// database has (trace: capture looks up batches on another connection).
std::vector<Backend> BackendsWithSqliteFile();

// The reference data files of the repository (data/...).
std::string ReadRepoFile(const std::string& relative);

}  // namespace redshield::testing_support
