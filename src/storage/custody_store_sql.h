#pragma once

#include <memory>

#include "cases/custody_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<cases::CustodyStore> MakeCustodyStore(Database& db);

}  // namespace redshield::storage
