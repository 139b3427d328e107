#include "storage/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

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

// Commits past the WAL's checkpoint threshold (1,000 pages) leave the
// checkpoint to Checkpointer's thread; the data is read back at once, and
// closing the database still copies the WAL back and removes it.
TEST_F(DatabaseFile, LargeWritesAreCheckpointedAndTheWalGoesAtClose) {
  {
    Result<std::unique_ptr<Database>> db = Database::Open(Url(), clock_, 2);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE((*db)->Write(nullptr, [](soci::session& sql) -> Status {
                  sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
                  return Ok();
                }).has_value());
    for (int round = 0; round < 3; ++round) {
      ASSERT_TRUE((*db)->Write(nullptr, [&](soci::session& sql) -> Status {
                    sql << "INSERT INTO t (v) SELECT printf('%.3000c', 'x') FROM "
                           "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                           "SELECT i FROM n)";
                    return Ok();
                  }).has_value());
    }
    long long rows = 0;
    ASSERT_TRUE((*db)->Read([&](soci::session& sql) -> Status {
                  sql << "SELECT COUNT(*) FROM t", soci::into(rows);
                  return Ok();
                }).has_value());
    EXPECT_EQ(rows, 6000);
  }
  EXPECT_FALSE(fs::exists(dir_ / "t.db-wal"));
  Result<std::unique_ptr<Database>> again = Database::Open(Url(), clock_, 1);
  ASSERT_TRUE(again.has_value());
  long long rows = 0;
  ASSERT_TRUE((*again)->Read([&](soci::session& sql) -> Status {
                sql << "SELECT COUNT(*) FROM t", soci::into(rows);
                return Ok();
              }).has_value());
  EXPECT_EQ(rows, 6000);
}

}  // namespace
}  // namespace redshield::storage
