// The storage layer: opens a database by URL, applies migrations and hands
// out the SQL implementation of each module's store interface. Only app/
// includes this header.
//
// URLs: "sqlite:PATH" (file, WAL, synchronous=FULL, foreign keys, busy
// timeout), "sqlite::memory:" (tests), "postgresql://user@host:port/db" or a
// libpq keyword string starting with "postgresql:". Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "cases/case_store.h"
#include "cases/custody_store.h"
#include "clues/clue_store.h"
#include "core/clock.h"
#include "core/error.h"
#include "plans/assessment_store.h"
#include "plans/plan_store.h"
#include "plans/supervision_store.h"
#include "platform/platform_store.h"
#include "trace/trace_store.h"

namespace redshield::storage {

class Database;

struct MigrationStatus {
  int current = 0;  // highest applied version
  int latest = 0;   // highest known to this binary
};

class Storage {
 public:
  ~Storage();

  // kInvalidArgument for a malformed URL, kUnavailable if the database cannot
  // be reached. Does not migrate.
  static Result<std::unique_ptr<Storage>> Open(const std::string& url, const Clock& clock,
                                               int pool_size = 4);

  // Applies every pending migration, each in its own transaction.
  Result<MigrationStatus> Migrate();
  Result<MigrationStatus> Status();
  // PostgreSQL only (kInvalidArgument on SQLite or for a role name that is not
  // a plain identifier): lets the existing `role` run the server on the
  // current schema — read and write every table, but only read and append to
  // audit_log, and read schema_migrations. Run again after each migration
  // (`redshield migrate --grant-to ROLE`); docs/operations.md.
  redshield::Status GrantAppRole(const std::string& role);
  std::string Backend() const;  // "sqlite" | "postgresql"

  platform::PlatformStore& platform() { return *platform_; }
  plans::PlanStore& plans() { return *plans_; }
  plans::SupervisionStore& supervision() { return *supervision_; }
  plans::AssessmentStore& assessment() { return *assessment_; }
  clues::ClueStore& clues() { return *clues_; }
  trace::TraceStore& trace() { return *trace_; }
  cases::CaseStore& cases() { return *cases_; }
  cases::CustodyStore& custody() { return *custody_; }

  // Pooled connections in use / total, for /metrics.
  std::pair<int, int> PoolUse() const;

 private:
  explicit Storage(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
  std::unique_ptr<platform::PlatformStore> platform_;
  std::unique_ptr<plans::PlanStore> plans_;
  std::unique_ptr<plans::SupervisionStore> supervision_;
  std::unique_ptr<plans::AssessmentStore> assessment_;
  std::unique_ptr<clues::ClueStore> clues_;
  std::unique_ptr<trace::TraceStore> trace_;
  std::unique_ptr<cases::CaseStore> cases_;
  std::unique_ptr<cases::CustodyStore> custody_;
};

}  // namespace redshield::storage
