#include "storage/snapshot_readers.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "storage/database.h"

namespace redshield::storage {
namespace {

namespace fs = std::filesystem;

constexpr char kCount[] = "SELECT COUNT(*) FROM t";

class SnapshotFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rs-snapshot-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string path_;
  SystemClock clock_;
};

// The rows of t as a snapshot read counts them; -1 if the read failed.
long long CountIn(
    const std::function<Status(const char*, const SnapshotReaders::StatementWork&)>& read) {
  long long n = -1;
  Status status = read(kCount, [&](sqlite_api::sqlite3_stmt* st) -> Status {
    if (sqlite_api::sqlite3_step(st) == SQLITE_ROW) n = sqlite_api::sqlite3_column_int64(st, 0);
    return Ok();
  });
  return status ? n : -1;
}

long long Count(Database& db) {
  return CountIn([&](const char* sql, const SnapshotReaders::StatementWork& work) {
    return db.ReadSnapshot(sql, work);
  });
}

long long Count(SnapshotReaders& readers) {
  return CountIn([&](const char* sql, const SnapshotReaders::StatementWork& work) {
    std::optional<Status> status = readers.Read(sql, work);
    return status ? *status : Fail(ErrorCode::kUnavailable, "no reader");
  });
}

Status CreateTable(Database& db) {
  return db.Write(nullptr, [](soci::session& sql) -> Status {
    sql << "CREATE TABLE t (v TEXT)";
    return Ok();
  });
}

Status Insert(Database& db) {
  return db.Write(nullptr, [](soci::session& sql) -> Status {
    sql << "INSERT INTO t (v) VALUES ('x')";
    return Ok();
  });
}

// Every commit made through the Database shows in the next snapshot read of
// any thread, at once; a commit of another process shows once the age has passed.
TEST_F(SnapshotFile, ReadsSeeThisProcessesCommitsAtOnceAndOthersWithinTheAge) {
  Result<std::unique_ptr<Database>> db = Database::Open("sqlite:" + path_, clock_, 4);
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(CreateTable(**db).has_value());
  EXPECT_EQ(Count(**db), 0);
  ASSERT_TRUE(Insert(**db).has_value());
  EXPECT_EQ(Count(**db), 1);

  // Each thread writes, then reads in its own kept snapshot: it counts its
  // own row and every row committed before, whichever thread wrote it.
  std::atomic<long long> committed{1};
  std::atomic<int> stale{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!Insert(**db)) return;
        const long long before = ++committed;
        if (Count(**db) < before) ++stale;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(stale.load(), 0);
  EXPECT_EQ(Count(**db), 201);

  Result<std::unique_ptr<Database>> other = Database::Open("sqlite:" + path_, clock_, 1);
  ASSERT_TRUE(other.has_value());
  ASSERT_TRUE(Insert(**other).has_value());
  std::this_thread::sleep_for(Database::kSnapshotAge + std::chrono::milliseconds(20));
  EXPECT_EQ(Count(**db), 202);
}

// A thread helping a write transaction (a capture's reading thread) reads
// in a snapshot begun after the transaction began: it sees a commit another
// process made just before, however young its kept snapshot was.
TEST_F(SnapshotFile, ReadsDuringAWriteSeeEveryCommitMadeBeforeIt) {
  Result<std::unique_ptr<Database>> db = Database::Open("sqlite:" + path_, clock_, 2);
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(CreateTable(**db).has_value());
  Result<std::unique_ptr<Database>> other = Database::Open("sqlite:" + path_, clock_, 1);
  ASSERT_TRUE(other.has_value());
  std::promise<long long> before, during;
  std::promise<void> go;
  std::thread helper([&] {
    before.set_value(Count(**db));  // keeps its snapshot
    go.get_future().wait();
    during.set_value(Count(**db));
  });
  EXPECT_EQ(before.get_future().get(), 0);
  ASSERT_TRUE(Insert(**other).has_value());  // within the age of that snapshot
  long long seen = -1;
  ASSERT_TRUE((*db)
                  ->Write(nullptr,
                          [&](soci::session&) -> Status {
                            go.set_value();
                            seen = during.get_future().get();
                            return Ok();
                          })
                  .has_value());
  helper.join();
  EXPECT_EQ(seen, 1);
}

// A kept snapshot holds a checkpoint back; Pause() and EndIdle() (past the
// age) end it, and reads go on.
TEST_F(SnapshotFile, AKeptSnapshotHoldsACheckpointBackUntilPausedOrIdle) {
  soci::session writer(soci::sqlite3, "db=" + path_);
  writer << "PRAGMA journal_mode=WAL";
  writer << "CREATE TABLE t (v TEXT)";
  auto insert_then_checkpoint = [&] {
    writer << "INSERT INTO t (v) VALUES ('x')";
    int busy = -1, log = 0, copied = 0;
    writer << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log),
        soci::into(copied);
    return busy;
  };
  SnapshotReaders readers(path_, std::chrono::milliseconds(50));
  EXPECT_EQ(Count(readers), 0);
  EXPECT_EQ(insert_then_checkpoint(), 1);  // the reader still reads the first snapshot
  readers.Pause();
  EXPECT_EQ(insert_then_checkpoint(), 0);
  EXPECT_EQ(Count(readers), 2);  // while paused, each read ends its transaction
  EXPECT_EQ(insert_then_checkpoint(), 0);
  readers.Resume();

  EXPECT_EQ(Count(readers), 3);
  EXPECT_EQ(insert_then_checkpoint(), 1);
  readers.EndIdle();  // younger than the age: kept
  EXPECT_EQ(insert_then_checkpoint(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  readers.EndIdle();
  EXPECT_EQ(insert_then_checkpoint(), 0);
  EXPECT_EQ(Count(readers), 6);
}

}  // namespace
}  // namespace redshield::storage
