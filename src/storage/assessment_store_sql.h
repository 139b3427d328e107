// Private to storage/: the SQL implementation of plans::AssessmentStore.
#pragma once

#include <memory>

#include "plans/assessment_store.h"
#include "storage/database.h"

namespace redshield::storage {

std::unique_ptr<plans::AssessmentStore> MakeAssessmentStore(Database& db);

}  // namespace redshield::storage
