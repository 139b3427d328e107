#include "storage/database.h"

#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>  // its macros
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"

namespace redshield::storage {
namespace {

namespace fs = std::filesystem;

class DatabaseFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rs-db-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Url() const { return "sqlite:" + (dir_ / "t.db").string(); }

  fs::path dir_;
  SystemClock clock_;
};

// The first column of the first row of `query`, read on one pooled
// connection; -1 if the read failed.
long long ReadNumber(Database& db, const std::string& query) {
  long long value = -1;
  Status read = db.Read([&](soci::session& sql) -> Status {
    sql << query, soci::into(value);
    return Ok();
  });
  return read ? value : -1;
}

long long CountRows(Database& db) { return ReadNumber(db, "SELECT COUNT(*) FROM t"); }
long long PageSize(Database& db) { return ReadNumber(db, "PRAGMA page_size"); }

// A new database gets 64 KB pages; one made before, with SQLite's 4 KB,
// keeps them (only a VACUUM outside WAL mode changes them) and works as before.
TEST_F(DatabaseFile, NewDatabasesGet64KbPagesAndExistingOnesKeepTheirs) {
  {
    Result<std::unique_ptr<Database>> fresh = Database::Open(Url(), clock_, 2);
    ASSERT_TRUE(fresh.has_value());
    EXPECT_EQ(PageSize(**fresh), 65536);
  }
  const std::string old_file = (dir_ / "old.db").string();
  {
    soci::session old(soci::sqlite3, "db=" + old_file);
    old << "PRAGMA page_size=4096";
    old << "PRAGMA journal_mode=WAL";
    old << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
    old << "INSERT INTO t (v) VALUES ('kept')";
  }
  Result<std::unique_ptr<Database>> old = Database::Open("sqlite:" + old_file, clock_, 2);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(PageSize(**old), 4096);
  EXPECT_EQ(CountRows(**old), 1);
}

// WriteInOrder: a transaction larger than its connection's cache commits
// whole or rolls back whole, and the connection's pages stay in memory for
// the next transaction (cache_spill back off).
TEST_F(DatabaseFile, InOrderWritesMaySpillAndStillCommitOrRollBackWhole) {
  Result<std::unique_ptr<Database>> db = Database::Open(Url(), clock_, 1);
  ASSERT_TRUE(db.has_value());
  Database& d = **db;
  ASSERT_TRUE(d.Write(nullptr, [](soci::session& sql) -> Status {
                 sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
                 return Ok();
               }).has_value());
  auto fill = [](int rows, bool fail) {
    return [rows, fail](soci::session& sql) -> Status {
      sql << "PRAGMA cache_size = 16";  // pages: 1 MB, well below what follows
      const std::string value(8000, 'x');
      for (int i = 0; i < rows; ++i) sql << "INSERT INTO t (v) VALUES (:v)", soci::use(value);
      if (fail) return Fail(ErrorCode::kConflict, "rolled back");
      return Ok();
    };
  };
  EXPECT_FALSE(d.WriteInOrder(fill(2000, true)).has_value());
  EXPECT_EQ(CountRows(d), 0);
  ASSERT_TRUE(d.WriteInOrder(fill(2000, false)).has_value());
  EXPECT_EQ(CountRows(d), 2000);
  int spill = -1;
  ASSERT_TRUE(d.Read([&](soci::session& sql) -> Status {
                 sql << "PRAGMA cache_spill", soci::into(spill);
                 return Ok();
               }).has_value());
  EXPECT_EQ(spill, 0);
}

// Commits past the WAL's checkpoint threshold (1,000 pages: 64 MB here; each
// round below writes more, so that each signals even after the WAL restarted) are copied
// back into the database file while it stays open (in WAL mode only a
// checkpoint writes the file; here Checkpointer's thread, since the commits
// no longer do), and closing it copies what is left and removes the WAL.
TEST_F(DatabaseFile, LargeWritesAreCheckpointedWhileOpenAndTheWalGoesAtClose) {
  {
    Result<std::unique_ptr<Database>> db = Database::Open(Url(), clock_, 2);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE((*db)->Write(nullptr, [](soci::session& sql) -> Status {
                  sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
                  return Ok();
                }).has_value());
    for (int round = 0; round < 3; ++round) {
      ASSERT_TRUE((*db)->Write(nullptr, [&](soci::session& sql) -> Status {
                    sql << "INSERT INTO t (v) SELECT printf('%.8000c', 'x') FROM "
                           "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8500) "
                           "SELECT i FROM n)";
                    return Ok();
                  }).has_value());
    }
    EXPECT_EQ(CountRows(**db), 25500);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (fs::file_size(dir_ / "t.db") < 25500u * 8000u && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GE(fs::file_size(dir_ / "t.db"), 25500u * 8000u);
  }
  EXPECT_FALSE(fs::exists(dir_ / "t.db-wal"));
  Result<std::unique_ptr<Database>> again = Database::Open(Url(), clock_, 1);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(CountRows(**again), 25500);
}

// Sum of the rows' lengths and first characters.
long long Digest(Database& db) { return ReadNumber(db, "SELECT COALESCE(SUM(length(v) + unicode(v)), 0) FROM t"); }

void Exec(Database& db, const std::string& statement) {
  ASSERT_TRUE(db.Read([&](soci::session& sql) -> Status {
                 sql << statement;
                 return Ok();
               }).has_value())
      << statement;
}

// Checkpoints the whole WAL into the file and empties it, waiting while the
// server's own checkpointer (woken by a large commit) holds the checkpoint.
void CheckpointAll(Database& db) {
  for (int attempt = 0; attempt < 500; ++attempt) {
    int busy = 1, log = 0, copied = 0;
    ASSERT_TRUE(db.Read([&](soci::session& sql) -> Status {
                   sql << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log), soci::into(copied);
                   return Ok();
                 }).has_value());
    if (busy == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "the WAL stayed busy";
}

// The process's maps of `file`, as in /proc/self/maps.
struct FileMapping {
  unsigned long long start = 0, end = 0, offset = 0;
};
std::vector<FileMapping> MappingsOf(const fs::path& file) {
  std::vector<FileMapping> found;
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    std::istringstream fields(line);
    std::string range, perms, offset, device, inode, path;
    fields >> range >> perms >> offset >> device >> inode >> path;
    if (path != file.string()) continue;
    const size_t dash = range.find('-');
    found.push_back({std::stoull(range.substr(0, dash), nullptr, 16),
                     std::stoull(range.substr(dash + 1), nullptr, 16),
                     std::stoull(offset, nullptr, 16)});
  }
  return found;
}

// The start addresses of the process's maps of `file` from its first byte.
std::set<unsigned long long> MapsOf(const fs::path& file) {
  std::set<unsigned long long> starts;
  for (const FileMapping& m : MappingsOf(file)) {
    if (m.offset == 0) starts.insert(m.start);
  }
  return starts;
}

// The bytes of `file` the process has mapped.
unsigned long long MappedBytes(const fs::path& file) {
  unsigned long long bytes = 0;
  for (const FileMapping& m : MappingsOf(file)) bytes += m.end - m.start;
  return bytes;
}

// Appends `rows` rows to t whose v is 8000 times `c`.
std::string InsertRowsSql(int rows, char c) {
  return "INSERT INTO t (v) SELECT printf('%.8000c', '" + std::string(1, c) +
         "') FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(rows) + ") SELECT i FROM n)";
}

// Pooled connections read the file through one map (shared_map.h), which
// follows the file as it grows past what was mapped, shrinks (VACUUM) and
// grows again, and which other connections' commits leave in place.
TEST_F(DatabaseFile, ConnectionsReadThroughOneMapThatFollowsTheFile) {
  Result<std::unique_ptr<Database>> db = Database::Open(Url(), clock_, 2);
  ASSERT_TRUE(db.has_value());
  Database& d = **db;
  auto insert = [&](int rows, char c) {
    ASSERT_TRUE(d.Write(nullptr, [&](soci::session& sql) -> Status {
                   sql << InsertRowsSql(rows, c);
                   return Ok();
                 }).has_value());
    CheckpointAll(d);  // into the file, where the map is read
  };
  ASSERT_TRUE(d.Write(nullptr, [](soci::session& sql) -> Status {
                 sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
                 return Ok();
               }).has_value());
  insert(300, 'a');
  const long long a = 8000 + 'a';
  // Two connections at once, each reading every page.
  long long first = 0, second = 0;
  std::thread other([&] { first = Digest(d); });
  second = Digest(d);
  other.join();
  EXPECT_EQ(first, 300 * a);
  EXPECT_EQ(second, 300 * a);
  const std::set<unsigned long long> maps = MapsOf(dir_ / "t.db");
  EXPECT_EQ(maps.size(), 1u);

  insert(2000, 'b');  // past the mapped length
  const long long b = 8000 + 'b';
  EXPECT_EQ(Digest(d), 300 * a + 2000 * b);
  EXPECT_EQ(MapsOf(dir_ / "t.db"), maps);  // grown in place

  const auto grown = fs::file_size(dir_ / "t.db");
  ASSERT_TRUE(d.Write(nullptr, [](soci::session& sql) -> Status {
                 sql << "DELETE FROM t WHERE id > 100";
                 return Ok();
               }).has_value());
  Exec(d, "VACUUM");
  CheckpointAll(d);
  ASSERT_LT(fs::file_size(dir_ / "t.db"), grown / 4);
  EXPECT_EQ(Digest(d), 100 * a);
  insert(1500, 'c');  // over the pages past the end of the shrunk file
  EXPECT_EQ(Digest(d), 100 * a + 1500 * (8000 + 'c'));
  std::string check;
  ASSERT_TRUE(d.Read([&](soci::session& sql) -> Status {
                 sql << "PRAGMA integrity_check", soci::into(check);
                 return Ok();
               }).has_value());
  EXPECT_EQ(check, "ok");
}

// Another process grows the file (here a connection through SQLite's own
// VFS, whose writes this process's map does not see) just after a write of
// this process found the file short of the pages it appended: the new pages
// read right at once (through xRead while the map waits before asking the
// file's length again), and through the map a moment later.
TEST_F(DatabaseFile, PagesAnotherProcessAddsReadAtOnceAndAreMappedSoonAfter) {
  Result<std::unique_ptr<Database>> db = Database::Open(Url(), clock_, 2);
  ASSERT_TRUE(db.has_value());
  Database& d = **db;
  ASSERT_TRUE(d.Write(nullptr, [](soci::session& sql) -> Status {
                 sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
                 sql << InsertRowsSql(300, 'a');
                 return Ok();
               }).has_value());
  CheckpointAll(d);
  // Appends pages past the end of the file and reads them back in the same
  // transaction: the map finds the file short.
  long long appended = 0;
  ASSERT_TRUE(d.Write(nullptr, [&](soci::session& sql) -> Status {
                 sql << "INSERT INTO t (v) SELECT printf('%.8000c', 'b') FROM t WHERE id <= 50";
                 sql << "SELECT COUNT(*) FROM t WHERE unicode(v) = unicode('b')",
                     soci::into(appended);
                 return Ok();
               }).has_value());
  EXPECT_EQ(appended, 50);
  sqlite_api::sqlite3* other = nullptr;
  const std::string file = (dir_ / "t.db").string();
  ASSERT_EQ(sqlite_api::sqlite3_open_v2(file.c_str(), &other, SQLITE_OPEN_READWRITE, "unix"),
            SQLITE_OK);
  const std::string add = InsertRowsSql(200, 'c');
  EXPECT_EQ(sqlite_api::sqlite3_exec(other, add.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(
      sqlite_api::sqlite3_exec(other, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite_api::sqlite3_close(other);
  const long long all = 300 * (8000 + 'a') + 50 * (8000 + 'b') + 200 * (8000 + 'c');
  EXPECT_EQ(Digest(d), all);
  const auto size = fs::file_size(dir_ / "t.db");
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(Digest(d), all);
  EXPECT_GE(MappedBytes(dir_ / "t.db") + static_cast<unsigned long long>(sysconf(_SC_PAGESIZE)),
            size);
}

}  // namespace
}  // namespace redshield::storage
