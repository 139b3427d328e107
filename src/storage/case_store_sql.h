#pragma once

#include <memory>

#include "cases/case_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<cases::CaseStore> MakeCaseStore(Database& db);

}  // namespace redshield::storage
