// Private to storage/: the SQL implementation of clues::ClueStore.
#pragma once

#include <memory>

#include "clues/clue_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<clues::ClueStore> MakeClueStore(Database& db);

}  // namespace redshield::storage
