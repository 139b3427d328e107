#include "storage/storage.h"

#include <cctype>

#include "storage/assessment_store_sql.h"
#include "storage/case_store_sql.h"
#include "storage/clue_store_sql.h"
#include "storage/custody_store_sql.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/plan_store_sql.h"
#include "storage/platform_store_sql.h"
#include "storage/supervision_store_sql.h"
#include "storage/trace_store_sql.h"

namespace redshield::storage {

Storage::Storage(std::unique_ptr<Database> db)
    : db_(std::move(db)), platform_(MakePlatformStore(*db_)), plans_(MakePlanStore(*db_)),
      supervision_(MakeSupervisionStore(*db_)),
      assessment_(MakeAssessmentStore(*db_)),
      clues_(MakeClueStore(*db_)),
      trace_(MakeTraceStore(*db_)),
      cases_(MakeCaseStore(*db_)),
      custody_(MakeCustodyStore(*db_)) {}

Storage::~Storage() = default;

Result<std::unique_ptr<Storage>> Storage::Open(const std::string& url, const Clock& clock,
                                               int pool_size) {
  Result<std::unique_ptr<Database>> db = Database::Open(url, clock, pool_size);
  RS_TRY(db);
  return std::unique_ptr<Storage>(new Storage(std::move(*db)));
}

Result<MigrationStatus> Storage::Migrate() {
  Result<int> version = ApplyMigrations(*db_);
  RS_TRY(version);
  return MigrationStatus{*version, AllMigrations().back().version};
}

Result<MigrationStatus> Storage::Status() {
  Result<int> version = CurrentVersion(*db_);
  RS_TRY(version);
  return MigrationStatus{*version, AllMigrations().back().version};
}

redshield::Status Storage::GrantAppRole(const std::string& role) {
  if (db_->dialect() != Dialect::kPostgres) {
    return Fail(ErrorCode::kInvalidArgument, "只有 PostgreSQL 需要授权应用角色", "db");
  }
  bool plain = !role.empty() && role.size() <= 63 && !std::isdigit(static_cast<unsigned char>(role[0]));
  for (char ch : role) plain = plain && (std::islower(static_cast<unsigned char>(ch)) ||
                                         std::isdigit(static_cast<unsigned char>(ch)) || ch == '_');
  if (!plain) return Fail(ErrorCode::kInvalidArgument, "角色名只能含小写字母、数字和下划线", "role");
  return db_->Write(nullptr, [&](soci::session& sql) -> redshield::Status {
    std::string schema;
    sql << "SELECT current_schema()", soci::into(schema);
    std::string on_schema = "\"" + schema + "\"";
    std::string script =
        "GRANT USAGE ON SCHEMA " + on_schema + " TO " + role + ";\n" +
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + on_schema + " TO " + role + ";\n" +
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + on_schema + " TO " + role + ";\n" +
        "REVOKE UPDATE, DELETE, TRUNCATE ON " + on_schema + ".audit_log FROM " + role + ";\n" +
        "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON " + on_schema + ".schema_migrations FROM " + role + ";\n";
    return db_->ExecScript(sql, script);
  });
}

std::string Storage::Backend() const {
  return db_->dialect() == Dialect::kSqlite ? "sqlite" : "postgresql";
}

std::pair<int, int> Storage::PoolUse() const { return db_->PoolUse(); }

}  // namespace redshield::storage
