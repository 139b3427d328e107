// Private to storage/: the SQL implementation of plans::SupervisionStore.
#pragma once

#include <memory>

#include "plans/supervision_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<plans::SupervisionStore> MakeSupervisionStore(Database& db);

}  // namespace redshield::storage
