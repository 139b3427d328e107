// Private to storage/: the SQL implementation of platform::PlatformStore.
#pragma once

#include <memory>

#include "platform/platform_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<platform::PlatformStore> MakePlatformStore(Database& db);

}  // namespace redshield::storage
