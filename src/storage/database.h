// Private to storage/: a SOCI connection pool with the dialect it speaks,
// reads, and write transactions that append the audit record of the change
// before they commit. Exceptions from SOCI never leave this layer: they become
// Error values here.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/snapshot_readers.h"

namespace redshield::storage {

class Checkpointer;

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
  // SQLite only: runs `work` outside any transaction with `sql_text` prepared
  // once per pooled connection and kept for the next call (public
  // verification: preparing took half the time of a one-row lookup). The
  // address of `sql_text` is the cache key, so pass a constant with static
  // storage. The statement is reset and its bindings cleared afterwards.
  // kUnavailable if it cannot be prepared; otherwise what `work` returns.
  using StatementWork = SnapshotReaders::StatementWork;
  Status ReadPrepared(const char* sql_text, const StatementWork& work);
  // As ReadPrepared, for the hottest reads (public verification): on a SQLite
  // file, on a connection of this thread's that keeps its read transaction
  // between calls (snapshot_readers.h). It sees every commit made through
  // this object before the call, and other processes' within
  // kSnapshotAge; during a write transaction of this object, every commit
  // made before that transaction (none can be made while it lasts).
  static constexpr std::chrono::milliseconds kSnapshotAge{100};
  Status ReadSnapshot(const char* sql_text, const StatementWork& work);
  // As ReadSnapshot, but nullopt where ReadSnapshot would read on a pooled
  // connection (not a SQLite file, or this thread's reader is taken): for a
  // thread helping a write transaction, which must not wait for the pool
  // that transaction may have emptied (an in-memory database has one connection).
  std::optional<Status> TryReadSnapshot(const char* sql_text, const StatementWork& work);
  // Runs `work` in a transaction; if `audit` is given, appends it to the
  // audit chain in the same transaction. Rolls back on any error.
  Status Write(const AuditEntry* audit, const Work& work);
  // As Write, appending each of `audits` (as they are when `work` returns,
  // so `work` may fill them) in the same transaction.
  Status WriteAll(const std::vector<AuditEntry>& audits, const Work& work);
  // As Write with no audit record, for work that changes more pages than
  // memory should hold and changes each once, in table order (a fold of
  // scans into the counters of every code scanned so far). On SQLite its changed
  // pages may go to the WAL before the commit once the connection's cache
  // is full (cache_spill, off for every other transaction: see
  // database.cc); a page changed again after that is written again.
  Status WriteInOrder(const Work& work);
  // Executes a script of several statements (migrations), in the caller's transaction.
  Status ExecScript(soci::session& sql, const std::string& script);

  std::pair<int, int> PoolUse() const { return {in_use_.load(), pool_size_}; }

 private:
  Database(Dialect dialect, const Clock& clock, int pool_size);
  // SQLite file: hands the pooled connections' checkpoints to
  // checkpointer_ and opens snapshots_; throws if the checkpointer's
  // connection cannot be opened.
  void WatchCheckpoints();
  Status Guard(const std::function<Status()>& body);
  // Write's transaction and retries: `work`, then `append` (the audit
  // records); SQLite's cache may spill during it if `spill`.
  Status Transact(const Work& work, const Work& append, bool spill = false);
  Status AppendAudits(soci::session& sql, const std::vector<AuditEntry>& audits);

  const Dialect dialect_;
  const Clock& clock_;
  const int pool_size_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::mutex sqlite_writer_;  // SQLite has one writer at a time
  // SQLite files: the hottest reads (ReadSnapshot). Outlives checkpointer_, which pauses it.
  std::unique_ptr<SnapshotReaders> snapshots_;
  // SQLite files: WAL checkpoints off the committing thread. Declared after
  // pool_ and the writers' lock, so destroyed first: the pool's last
  // connection then checkpoints what is left as it closes.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::atomic<int> in_use_{0};
  // Per pool position, its prepared statements (PreparedOnce); only the
  // holder of the position's lease touches its entry.
  std::vector<StatementCache> statements_;
};

// A statement prepared on a pooled SQLite session (inside Database::Write's
// work) and run with parameters bound straight from the caller's values:
// SOCI copies every string parameter into a buffer of its own on every
// execution, which a capture does about 25 times per event. Parameters are
// numbered from 1 in order of appearance (":name" placeholders work). Run()
// and the constructor throw soci::sqlite3_soci_error, so that Write rolls
// back and translates the error as for SOCI's own statements. One thread.
class SqliteStatement {
 public:
  SqliteStatement(soci::session& sql, const char* text);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // `text` must stay unchanged until Run() returns; an empty view binds '', never NULL.
  void Bind(int index, std::string_view text);
  void BindBlob(int index, std::string_view bytes);
  void Bind(int index, long long value);
  void Bind(int index, double value);
  void BindNull(int index);
  // Runs the statement to completion, resets it and returns the number of rows changed.
  int Run();
  // Steps a query: true with a row to read by Text(), false once done (the
  // statement is reset then); throws on an error.
  bool Next();
  // Column `index` of the current row: as text ('' for NULL; valid until
  // the next step), or as an integer.
  std::string_view Text(int index) const;
  long long Int(int index) const;

 private:
  // Resets the statement after a step that returned `rc`: the rows changed
  // if SQLITE_DONE, else throws.
  int Reset(int rc);

  sqlite_api::sqlite3_stmt* statement_ = nullptr;
};

// The Error for a failed sqlite3_step (`rc` its result): kUnavailable when
// busy or locked, kInternal otherwise; the driver text goes to the log.
Error SqliteStepError(sqlite_api::sqlite3_stmt* statement, int rc);

// Converts a caught SOCI/driver exception to an Error (the driver text goes to the log only).
Error TranslateDbError(const std::exception& e);

}  // namespace redshield::storage
