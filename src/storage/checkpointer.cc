#include "storage/checkpointer.h"

#include <soci/sqlite3/soci-sqlite3.h>  // SQLite's API in namespace sqlite_api
#include <spdlog/spdlog.h>
#include <sqlite3.h>                       // its macros

#include <chrono>
#include <stdexcept>

#include "core/thread_name.h"
#include "storage/snapshot_readers.h"

namespace redshield::storage {
namespace {

// A checkpoint is due once the WAL holds this much. Until the WAL is
// checkpointed whole and starts over, every read of a page in it copies the
// page from the WAL file (a pread; the database file itself is mapped). A
// fold of scans (TraceStore::FoldScans) changes nearly every page of the
// scan counters, which public verification reads at random, so the
// counters should not linger there: with SQLite's 1,000 frames (64 MB at
// 64 KB pages) a fold of 40 MB waited for later writes, and the io threads
// spent 25-28 us per verification instead of 20.
constexpr long long kCheckpointBytes = 16LL << 20;
// Past this much WAL (several times what a 1M-event capture writes)
// the thread has fallen behind writers that kept the lock: the committing
// connection checkpoints, as SQLite does by default.
constexpr long long kBehindBytes = 4LL << 30;

}  // namespace

Checkpointer::Checkpointer(const std::string& path, std::mutex& writer, SnapshotReaders& readers)
    : writer_(writer), readers_(readers) {
  if (sqlite_api::sqlite3_open_v2(path.c_str(), &conn_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = conn_ != nullptr ? sqlite_api::sqlite3_errmsg(conn_) : "out of memory";
    sqlite_api::sqlite3_close(conn_);
    throw std::runtime_error("cannot open " + path + " for checkpoints: " + message);
  }
  sqlite_api::sqlite3_busy_timeout(conn_, 10000);
  sqlite_api::sqlite3_wal_autocheckpoint(conn_, 0);
  // A connection that has not read the database yet does not know it is in
  // WAL mode, and its checkpoints do nothing (log and copied frames -1).
  if (sqlite_api::sqlite3_exec(conn_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string message = sqlite_api::sqlite3_errmsg(conn_);
    sqlite_api::sqlite3_close(conn_);
    throw std::runtime_error("cannot read " + path + " for checkpoints: " + message);
  }
  sqlite_api::sqlite3_stmt* page_size = nullptr;
  if (sqlite_api::sqlite3_prepare_v2(conn_, "PRAGMA page_size", -1, &page_size, nullptr) == SQLITE_OK &&
      sqlite_api::sqlite3_step(page_size) == SQLITE_ROW) {
    page_size_ = sqlite_api::sqlite3_column_int(page_size, 0);
  }
  sqlite_api::sqlite3_finalize(page_size);
  thread_ = std::thread([this] {
    NameThisThread("rs-checkpoint");
    Run();
  });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  sqlite_api::sqlite3_interrupt(conn_);
  wake_.notify_all();
  thread_.join();
  sqlite_api::sqlite3_close(conn_);
}

void Checkpointer::Watch(sqlite_api::sqlite3* conn) { sqlite_api::sqlite3_wal_hook(conn, &OnCommit, this); }

int Checkpointer::OnCommit(void* self, sqlite_api::sqlite3* conn, const char* db_name, int frames) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  const long long bytes = static_cast<long long>(frames) * checkpointer->page_size_;
  if (bytes < kCheckpointBytes) return SQLITE_OK;
  if (bytes >= kBehindBytes) {
    sqlite_api::sqlite3_wal_checkpoint(conn, db_name);
    return SQLITE_OK;
  }
  {
    std::lock_guard lock(checkpointer->mu_);
    checkpointer->due_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return due_ || stop_; })) {
      lock.unlock();
      readers_.EndIdle();  // an idle thread's snapshot would hold the next checkpoint back
      lock.lock();
      continue;
    }
    if (stop_) return;
    due_ = false;
    lock.unlock();
    int frames = 0, copied = 0, rc = SQLITE_OK;
    {
      std::lock_guard writing(writer_);
      readers_.Pause();
      rc = sqlite_api::sqlite3_wal_checkpoint_v2(conn_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
      readers_.Resume();
    }
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_INTERRUPT) {
      spdlog::warn("checkpoint failed: {}", sqlite_api::sqlite3_errmsg(conn_));
    } else if (rc == SQLITE_OK && frames < 0) {
      spdlog::warn("checkpoint found no WAL: the database is not in WAL mode");
    }
    lock.lock();
  }
}

}  // namespace redshield::storage
