// On PostgreSQL the server runs as a role that may only read and append to the
// audit log (issue 2 §5): `redshield migrate --grant-to ROLE` grants it, and
// the database itself refuses UPDATE, DELETE and TRUNCATE from that role. The
// guard trigger refuses them from the owner too. Skipped without
// $REDSHIELD_TEST_PG_URL.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "storage/storage.h"

namespace redshield::testing_support {
namespace {

// Runs `sql`; the error text, or "" if it succeeded.
std::string Exec(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  ExecStatusType status = PQresultStatus(r);
  PQclear(r);
  bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  return ok ? "" : std::string(PQerrorMessage(conn));
}

PGconn* Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  return conn;
}

class PgGrants : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("REDSHIELD_TEST_PG_URL");
    if (url == nullptr || *url == '\0') GTEST_SKIP() << "REDSHIELD_TEST_PG_URL not set";
    InitCrypto();
    base_ = url;
    std::string suffix = std::to_string(RandomU64() % 1000000000000ULL);
    schema_ = "g" + suffix;
    role_ = "rs_app_" + suffix;
    PGconn* admin = Connect(base_);
    ASSERT_EQ(Exec(admin, "CREATE SCHEMA " + schema_), "");
    ASSERT_EQ(Exec(admin, "CREATE ROLE " + role_ + " LOGIN"), "");
    PQfinish(admin);
  }

  // The URL as `user` (or the owner) with the test's schema first.
  std::string Url(const std::string& user = "") const {
    std::string url = base_;
    size_t at = url.find('@');
    if (!user.empty() && at != std::string::npos) url = "postgresql://" + user + url.substr(at);
    std::string sep = url.find('?') == std::string::npos ? "?" : "&";
    return url + sep + "options=-csearch_path%3D" + schema_;
  }

  std::string base_, schema_, role_;
  ManualClock clock_{*ParseTime("2026-03-02T02:00:00Z")};
};

TEST_F(PgGrants, TheAppRoleCanOnlyAppendToTheAuditLog) {
  Result<std::unique_ptr<storage::Storage>> owner = storage::Storage::Open(Url(), clock_);
  ASSERT_TRUE(owner.has_value()) << owner.error().message;
  ASSERT_TRUE((*owner)->Migrate().has_value());
  EXPECT_EQ((*owner)->GrantAppRole("bad role; DROP TABLE x").error().field, "role");
  ASSERT_TRUE((*owner)->GrantAppRole(role_).has_value());

  // The server as the app role: migrations are current, audited writes work.
  Result<std::unique_ptr<storage::Storage>> app = storage::Storage::Open(Url(role_), clock_);
  ASSERT_TRUE(app.has_value()) << app.error().message;
  ASSERT_TRUE((*app)->Migrate().has_value());
  Actor system{0, "system", 0, "", ""};
  ASSERT_TRUE((*app)->platform().UpsertRegions(
      {{"150000", "内蒙古自治区", "province", ""}},
      AuditEntry{system, "region.import", "region", "", "1"}));
  platform::Organization org;
  org.id = 900001;
  org.code = "G-TEST";
  org.name = "授权测试单位";
  org.short_name = "授权测试";
  org.type = "admin";
  org.region_code = "150000";
  ASSERT_TRUE((*app)->platform().InsertOrganization(
      org, AuditEntry{system, "org.create", "organization", "900001", "授权测试"}));

  PGconn* conn = Connect(Url(role_));
  EXPECT_EQ(Exec(conn, "SELECT count(*) FROM audit_log"), "");
  for (const char* sql : {"UPDATE audit_log SET summary = 'x'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log", "DELETE FROM schema_migrations"}) {
    EXPECT_NE(Exec(conn, sql).find("permission denied"), std::string::npos) << sql;
  }
  PQfinish(conn);
  // Even the owner cannot change a record: the guard trigger refuses.
  PGconn* as_owner = Connect(Url());
  EXPECT_NE(Exec(as_owner, "UPDATE audit_log SET summary = 'x'").find("append-only"),
            std::string::npos);
  EXPECT_NE(Exec(as_owner, "TRUNCATE audit_log").find("append-only"), std::string::npos);
  PQfinish(as_owner);
}

TEST_F(PgGrants, SqliteHasNoRolesToGrant) {
  Result<std::unique_ptr<storage::Storage>> s = storage::Storage::Open("sqlite::memory:", clock_);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ((*s)->GrantAppRole(role_).error().field, "db");
}

}  // namespace
}  // namespace redshield::testing_support
