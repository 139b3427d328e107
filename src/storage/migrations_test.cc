#include "storage/migrations.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/clock.h"

namespace redshield::storage {
namespace {

namespace fs = std::filesystem;

class Migrations : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rs-migrations-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    Result<std::unique_ptr<Database>> db = Database::Open("sqlite:" + (dir_ / "m.db").string(), clock_, 2);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  void Exec(const std::string& script) {
    ASSERT_TRUE(db_->Write(nullptr, [&](soci::session& sql) { return db_->ExecScript(sql, script); }));
  }
  std::string Text(const std::string& query) {
    std::string value;
    EXPECT_TRUE(db_->Read([&](soci::session& sql) -> Status {
      sql << query, soci::into(value);
      return Ok();
    }));
    return value;
  }

  fs::path dir_;
  SystemClock clock_;
  std::unique_ptr<Database> db_;
};

// Migration 19 moves the counters of scanned codes into trace_code_scans
// and sums each batch's scans onto the batch; codes never scanned get no row.
TEST_F(Migrations, ScanCountersMoveToScannedCodesAndBatchTotals) {
  ASSERT_EQ(ApplyMigrations(*db_, 18).value_or(-1), 18);
  Exec(R"SQL(
INSERT INTO trace_batches (id, kind, enterprise_uscc, enterprise_name, registration_no, product_name, lot,
  production_date, quantity, random_bits, status, created_at)
  VALUES (7, 'pesticide', 'U', 'E', 'PD1', 'P', 'L', '2026-11-01', 3, 64, '正常', '2026-11-01T00:00:00Z'),
         (8, 'pesticide', 'U', 'E', 'PD1', 'P', 'L', '2026-11-01', 1, 64, '正常', '2026-11-01T00:00:00Z');
INSERT INTO trace_codes (code, text, batch_id, seq, scan_count, first_scan_at, first_scan_region, last_region,
  last_region_at) VALUES
  ('a', 'A', 7, 1, 3, '2026-11-02T00:00:00.000Z', '150100', '150200', '2026-11-03T00:00:00.000Z'),
  ('b', 'B', 7, 2, 1, '2026-11-04T00:00:00.000Z', '', '', ''),
  ('c', 'C', 7, 3, 0, '', '', '', ''),
  ('d', 'D', 8, 1, 0, '', '', '', '');
)SQL");
  ASSERT_EQ(ApplyMigrations(*db_, 19).value_or(-1), 19);
  EXPECT_EQ(Text("SELECT group_concat(code || ':' || scan_count || ':' || first_scan_at || ':' || first_scan_region || "
                 "':' || last_region || ':' || last_region_at, ' ') FROM (SELECT * FROM trace_code_scans ORDER BY code)"),
            "a:3:2026-11-02T00:00:00.000Z:150100:150200:2026-11-03T00:00:00.000Z b:1:2026-11-04T00:00:00.000Z:::");
  EXPECT_EQ(Text("SELECT group_concat(id || ':' || scan_total, ' ') FROM (SELECT * FROM trace_batches ORDER BY id)"),
            "7:4 8:0");
  EXPECT_EQ(Text("SELECT group_concat(name, ' ') FROM pragma_table_info('trace_codes')"),
            "code text batch_id seq suspicious level parent");
}

// Migration 20 keys trace_codes by the code itself (SQLite: WITHOUT ROWID)
// and keeps in the pack index only the codes that have a parent.
TEST_F(Migrations, CodesKeyedByCodeWithThePackIndexOfPackedCodes) {
  ASSERT_EQ(ApplyMigrations(*db_, 19).value_or(-1), 19);
  Exec(R"SQL(
INSERT INTO trace_batches (id, kind, enterprise_uscc, enterprise_name, registration_no, product_name, lot,
  production_date, quantity, random_bits, status, created_at, pack_sizes)
  VALUES (7, 'pesticide', 'U', 'E', 'PD1', 'P', 'L', '2026-11-01', 2, 64, '正常', '2026-11-01T00:00:00Z', '2');
INSERT INTO trace_codes (code, text, batch_id, seq, suspicious, level, parent) VALUES
  ('z', 'Z', 7, 1, 0, 1, ''), ('a', 'A', 7, 2, 1, 0, 'z'), ('m', 'M', 7, 3, 0, 0, 'z');
)SQL");
  ASSERT_EQ(ApplyMigrations(*db_).value_or(-1), static_cast<int>(AllMigrations().size()));
  EXPECT_EQ(Text("SELECT group_concat(code || ':' || text || ':' || batch_id || ':' || seq || ':' || suspicious || ':' "
                 "|| level || ':' || parent, ' ') FROM (SELECT * FROM trace_codes ORDER BY seq)"),
            "z:Z:7:1:0:1: a:A:7:2:1:0:z m:M:7:3:0:0:z");
  EXPECT_EQ(Text("SELECT sql FROM sqlite_master WHERE name = 'trace_codes'").find("WITHOUT ROWID") != std::string::npos,
            true);
  EXPECT_EQ(Text("SELECT sql FROM sqlite_master WHERE name = 'trace_codes_parent'"),
            "CREATE INDEX trace_codes_parent ON trace_codes(parent) WHERE parent <> ''");
  EXPECT_EQ(Text("SELECT group_concat(code, ' ') FROM (SELECT code FROM trace_codes WHERE parent = 'z' AND parent <> '' "
                 "ORDER BY seq)"),
            "a m");
  int id = 0, parent = 0, unused = 0;
  std::string plan;
  ASSERT_TRUE(db_->Read([&](soci::session& sql) -> Status {
    sql << "EXPLAIN QUERY PLAN SELECT code FROM trace_codes WHERE parent = 'z' AND parent <> ''", soci::into(id),
        soci::into(parent), soci::into(unused), soci::into(plan);
    return Ok();
  }));
  EXPECT_EQ(plan, "SEARCH trace_codes USING COVERING INDEX trace_codes_parent (parent=?)");
}

// Migration 21 gives each scan waiting in the backlog its code's batch (0
// for a code that was never issued).
TEST_F(Migrations, BacklogScansCarryTheirBatch) {
  ASSERT_EQ(ApplyMigrations(*db_, 20).value_or(-1), 20);
  Exec(R"SQL(
INSERT INTO trace_batches (id, kind, enterprise_uscc, enterprise_name, registration_no, product_name, lot,
  production_date, quantity, random_bits, status, created_at)
  VALUES (7, 'pesticide', 'U', 'E', 'PD1', 'P', 'L', '2026-11-01', 1, 64, '正常', '2026-11-01T00:00:00Z');
INSERT INTO trace_codes (code, text, batch_id, seq) VALUES ('a', 'A', 7, 1);
INSERT INTO trace_scan_backlog (code, scanned_at, region_code) VALUES
  ('a', '2026-11-02T00:00:00.000Z', '150100'), ('x', '2026-11-02T00:00:01.000Z', '');
)SQL");
  ASSERT_EQ(ApplyMigrations(*db_, 21).value_or(-1), 21);
  EXPECT_EQ(Text("SELECT group_concat(code || ':' || batch_id, ' ') FROM (SELECT * FROM "
                 "trace_scan_backlog ORDER BY code)"),
            "a:7 x:0");
}

// Scans waiting from before migration 23 have no writer (0): the next fold,
// whoever runs it, takes them.
TEST_F(Migrations, BacklogScansWrittenBeforeHaveNoWriter) {
  ASSERT_EQ(ApplyMigrations(*db_, 22).value_or(-1), 22);
  Exec(
      "INSERT INTO trace_scan_backlog (code, scanned_at, region_code, batch_id) VALUES "
      "('a', '2026-11-02T00:00:00.000Z', '150100', 7)");
  ASSERT_EQ(ApplyMigrations(*db_, 23).value_or(-1), 23);
  EXPECT_EQ(Text("SELECT code || ':' || writer FROM trace_scan_backlog"), "a:0");
}

}  // namespace
}  // namespace redshield::storage
