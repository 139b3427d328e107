// Private to storage/: SQLite connections of their own, one per reading
// thread, each keeping its read transaction from one read to the next
// (issue 7 §7: public verification reads one code per request).
//
// Why: beginning and ending a read transaction locks the WAL's shared
// memory under a process-wide mutex, with an fcntl whenever no other
// connection of the process holds the lock. On two io threads that was a
// futex wait or wake and an fcntl per verification; reading in kept
// transactions raised the requests/s by 10-20% (10M codes, wrk at 64
// connections).
//
// Contract: a read begins its transaction after the last Renew() call
// before it (so it sees every commit Renew() followed), and sees other
// processes' commits once `max_age` has passed. A kept transaction ends at
// the next read after a Renew() or after max_age, at
// EndIdle(), and at Pause(): a reader holds back checkpoints (a PASSIVE
// checkpoint copies nothing while one reads the database file), so the
// checkpointer pauses keeping while it copies. Thread-safe; a connection is
// used by one thread at a time.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace sqlite_api {
struct sqlite3;
struct sqlite3_stmt;
}

namespace redshield::storage {

// Statements prepared on one connection, by the address of their SQL text.
using StatementCache = std::vector<std::pair<const char*, sqlite_api::sqlite3_stmt*>>;
// `sql_text` (a constant with static storage) prepared on `conn` once: from
// `cache`, or prepared to be kept and added to it. Null if it cannot be
// prepared (logged). The owner of `cache` finalizes its statements.
sqlite_api::sqlite3_stmt* PreparedOnce(sqlite_api::sqlite3* conn, StatementCache& cache,
                                       const char* sql_text);

class SnapshotReaders {
 public:
  using StatementWork = std::function<Status(sqlite_api::sqlite3_stmt*)>;

  // Connections to the database file `path` open at each thread's first read.
  SnapshotReaders(std::string path, std::chrono::milliseconds max_age);
  // Requires that no read is in progress.
  ~SnapshotReaders();
  SnapshotReaders(const SnapshotReaders&) = delete;
  SnapshotReaders& operator=(const SnapshotReaders&) = delete;

  // Runs `work` with `sql_text` prepared once per connection (its address is
  // the key: a constant with static storage); the statement is reset and its
  // bindings cleared afterwards. nullopt if this thread has no connection
  // free (another thread shares its slot, or it cannot be opened): the
  // caller reads another way. kUnavailable if the statement cannot be
  // prepared; otherwise what `work` returns.
  std::optional<Status> Read(const char* sql_text, const StatementWork& work);
  // Kept transactions begun before now end at their next read (the caller
  // committed, or began a write transaction that reads must not predate).
  void Renew() { renewals_.fetch_add(1); }
  // Ends kept transactions older than max_age on connections not reading now.
  void EndIdle();
  // Until the matching Resume(), every read ends its transaction; kept ones
  // not reading now end here. Calls may nest.
  void Pause();
  void Resume() { paused_.fetch_sub(1); }

 private:
  struct Reader;
  static constexpr std::size_t kSlots = 16;

  // Ends the kept transactions of the readers not in use that `end` picks.
  void EndFree(const std::function<bool(const Reader&)>& end);

  const std::string path_;
  const std::chrono::milliseconds max_age_;
  std::atomic<std::uint64_t> renewals_{0};
  std::atomic<int> paused_{0};
  std::array<std::unique_ptr<Reader>, kSlots> readers_;
  // readers_[i] while free, null while a thread (or EndFree) uses it.
  std::array<std::atomic<Reader*>, kSlots> free_;
};

}  // namespace redshield::storage
