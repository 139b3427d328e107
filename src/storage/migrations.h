// Numbered schema migrations. Each applies in one transaction and is recorded
// in schema_migrations; a migration is never edited once released, only
// followed by a new one.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "storage/database.h"

namespace redshield::storage {

struct Migration {
  int version;
  std::string name;
  std::string common;    // runs on both backends
  std::string sqlite;    // then this on SQLite
  std::string postgres;  // or this on PostgreSQL
};

const std::vector<Migration>& AllMigrations();

// Highest applied version (0 on an empty database).
Result<int> CurrentVersion(Database& db);
// Applies the pending migrations in order, up to version `last`; returns
// the new version.
Result<int> ApplyMigrations(Database& db, int last = std::numeric_limits<int>::max());

}  // namespace redshield::storage
