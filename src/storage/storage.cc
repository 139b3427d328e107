#include "storage/storage.h"

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

std::string Storage::Backend() const {
  return db_->dialect() == Dialect::kSqlite ? "sqlite" : "postgresql";
}

std::pair<int, int> Storage::PoolUse() const { return db_->PoolUse(); }

}  // namespace redshield::storage
