// Private to storage/: SQLite WAL checkpoints on a thread of their own
// (issue 7 §7). By default the connection that commits copies the WAL back
// into the database once it holds 1,000 pages, inside its COMMIT: a capture
// of a million events waited seconds more after its data was durable (about
// 8 s into 30M events), holding Database's writer lock, so every other write
// waited too. Here a commit only signals when the WAL has grown past that,
// and this thread checkpoints on a connection of its own, holding the
// writer lock as the commit did (readers go on): with writes running
// alongside, the WAL could never start over and grew without bound (10 GB
// within a minute of issuing codes). The last connection to close
// checkpoints what is left, as before. Readers that keep their
// transactions (SnapshotReaders) would hold a checkpoint back: they stop
// keeping them while it runs, and end idle ones every second.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace sqlite_api {
struct sqlite3;
}

namespace redshield::storage {

class SnapshotReaders;

class Checkpointer {
 public:
  // Opens its own connection to the database file `path`; throws
  // std::runtime_error if it cannot. Checkpoints hold `writer` (the
  // writers' lock) and pause `readers`; both must outlive this object.
  Checkpointer(const std::string& path, std::mutex& writer, SnapshotReaders& readers);
  // Interrupts a checkpoint in progress and joins the thread.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Replaces `conn`'s automatic checkpoints by a signal to this thread.
  // `conn` must be closed before this object is destroyed.
  void Watch(sqlite_api::sqlite3* conn);

 private:
  static int OnCommit(void* self, sqlite_api::sqlite3* conn, const char* db_name, int frames);
  void Run();

  sqlite_api::sqlite3* conn_ = nullptr;
  int page_size_ = 4096;  // of the database, read at the start
  std::mutex& writer_;
  SnapshotReaders& readers_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;   // GUARDED_BY(mu_)
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace redshield::storage
