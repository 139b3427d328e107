#include "storage/snapshot_readers.h"

#include <soci/sqlite3/soci-sqlite3.h>  // SQLite's API in namespace sqlite_api
#include <spdlog/spdlog.h>
#include <sqlite3.h>  // its macros

namespace redshield::storage {

sqlite_api::sqlite3_stmt* PreparedOnce(sqlite_api::sqlite3* conn, StatementCache& cache,
                                       const char* sql_text) {
  for (const auto& [text, statement] : cache) {
    if (text == sql_text) return statement;
  }
  sqlite_api::sqlite3_stmt* statement = nullptr;
  if (sqlite_api::sqlite3_prepare_v3(conn, sql_text, -1, SQLITE_PREPARE_PERSISTENT, &statement,
                                     nullptr) != SQLITE_OK) {
    spdlog::error("cannot prepare statement: {}", sqlite_api::sqlite3_errmsg(conn));
    sqlite_api::sqlite3_finalize(statement);
    return nullptr;
  }
  cache.emplace_back(sql_text, statement);
  return statement;
}

struct SnapshotReaders::Reader {
  sqlite_api::sqlite3* conn = nullptr;
  bool broken = false;  // could not be opened: reads go elsewhere
  StatementCache statements;
  bool kept = false;          // a read transaction is open
  std::uint64_t renewals = 0;  // Renew() calls counted before it began
  std::chrono::steady_clock::time_point began;

  bool Open(const std::string& path) {
    if (conn != nullptr) return true;
    if (broken) return false;
    if (sqlite_api::sqlite3_open_v2(path.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) !=
            SQLITE_OK ||
        sqlite_api::sqlite3_exec(conn, "PRAGMA mmap_size=2147418112", nullptr, nullptr, nullptr) !=
            SQLITE_OK) {
      spdlog::warn("cannot open a reader of {}: {}", path,
                   conn != nullptr ? sqlite_api::sqlite3_errmsg(conn) : "out of memory");
      sqlite_api::sqlite3_close(conn);
      conn = nullptr;
      broken = true;
      return false;
    }
    sqlite_api::sqlite3_busy_timeout(conn, 10000);
    return true;
  }

  void Begin(std::uint64_t counted) {
    // Deferred: the snapshot is taken by the first read, after `counted`.
    kept = sqlite_api::sqlite3_exec(conn, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
    renewals = counted;
    began = std::chrono::steady_clock::now();
  }

  void End() {
    if (!kept) return;
    sqlite_api::sqlite3_exec(conn, "COMMIT", nullptr, nullptr, nullptr);
    kept = false;
  }

  ~Reader() {
    End();
    for (const auto& [text, statement] : statements) sqlite_api::sqlite3_finalize(statement);
    sqlite_api::sqlite3_close(conn);
  }
};

namespace {

// Threads are numbered at their first read, in any SnapshotReaders.
std::size_t ThreadNumber() {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t number = next.fetch_add(1);
  return number;
}

}  // namespace

SnapshotReaders::SnapshotReaders(std::string path, std::chrono::milliseconds max_age)
    : path_(std::move(path)), max_age_(max_age) {
  for (std::size_t i = 0; i < kSlots; ++i) {
    readers_[i] = std::make_unique<Reader>();
    free_[i].store(readers_[i].get());
  }
}

SnapshotReaders::~SnapshotReaders() = default;

std::optional<Status> SnapshotReaders::Read(const char* sql_text, const StatementWork& work) {
  std::atomic<Reader*>& slot = free_[ThreadNumber() % kSlots];
  Reader* reader = slot.exchange(nullptr);
  if (reader == nullptr) return std::nullopt;
  struct GiveBack {
    std::atomic<Reader*>& slot;
    Reader* reader;
    ~GiveBack() { slot.store(reader); }
  } give_back{slot, reader};
  if (!reader->Open(path_)) return std::nullopt;

  const std::uint64_t renewals = renewals_.load();
  if (reader->kept && (reader->renewals != renewals ||
                       std::chrono::steady_clock::now() - reader->began > max_age_)) {
    reader->End();
  }
  if (!reader->kept) reader->Begin(renewals);
  sqlite_api::sqlite3_stmt* statement = PreparedOnce(reader->conn, reader->statements, sql_text);
  if (statement == nullptr) {
    reader->End();
    return Fail(ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试");
  }
  Status status = work(statement);
  sqlite_api::sqlite3_reset(statement);
  sqlite_api::sqlite3_clear_bindings(statement);
  if (!status || paused_.load() != 0) reader->End();
  return status;
}

void SnapshotReaders::EndIdle() {
  const auto now = std::chrono::steady_clock::now();
  EndFree([&](const Reader& reader) { return now - reader.began > max_age_; });
}

void SnapshotReaders::Pause() {
  paused_.fetch_add(1);
  EndFree([](const Reader&) { return true; });
}

void SnapshotReaders::EndFree(const std::function<bool(const Reader&)>& end) {
  for (std::atomic<Reader*>& slot : free_) {
    Reader* reader = slot.exchange(nullptr);
    if (reader == nullptr) continue;  // reading now: it ends its own once paused
    if (reader->kept && end(*reader)) reader->End();
    slot.store(reader);
  }
}

}  // namespace redshield::storage
