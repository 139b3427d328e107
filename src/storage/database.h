// Private to storage/: a SOCI connection pool with the dialect it speaks,
// reads, and write transactions that append the audit record of the change
// before they commit. Exceptions from SOCI never leave this layer: they become
// Error values here.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <soci/soci.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/error.h"

namespace redshield::storage {

enum class Dialect { kSqlite, kPostgres };

class Database {
 public:
  using Work = std::function<Status(soci::session&)>;

  static Result<std::unique_ptr<Database>> Open(const std::string& url, const Clock& clock,
                                                int pool_size);
  ~Database();

  Dialect dialect() const { return dialect_; }
  const Clock& clock() const { return clock_; }

  // Runs `work` on a pooled session outside any transaction.
  Status Read(const Work& work);
  // Runs `work` in a transaction; if `audit` is given, appends it to the
  // audit chain in the same transaction. Rolls back on any error.
  Status Write(const AuditEntry* audit, const Work& work);
  // Executes a script of several statements (migrations), in the caller's transaction.
  Status ExecScript(soci::session& sql, const std::string& script);

  std::pair<int, int> PoolUse() const { return {in_use_.load(), pool_size_}; }

 private:
  Database(Dialect dialect, const Clock& clock, int pool_size);
  Status Guard(const std::function<Status()>& body);
  Status AppendAudit(soci::session& sql, const AuditEntry& audit);

  const Dialect dialect_;
  const Clock& clock_;
  const int pool_size_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::mutex sqlite_writer_;  // SQLite has one writer at a time
  std::atomic<int> in_use_{0};
};

// Converts a caught SOCI/driver exception to an Error (the driver text goes to the log only).
Error TranslateDbError(const std::exception& e);

}  // namespace redshield::storage
