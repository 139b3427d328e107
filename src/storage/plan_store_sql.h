// Private to storage/: the SQL implementation of plans::PlanStore.
#pragma once

#include <memory>

#include "plans/plan_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<plans::PlanStore> MakePlanStore(Database& db);

}  // namespace redshield::storage
