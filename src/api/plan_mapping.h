// JSON shapes of the plans module shared by its route files (docs/api.md,
// "Work plans"): assignments.
#pragma once

#include <string>
#include <vector>

#include "api/json.h"
#include "plans/plan_store.h"
#include "plans/progress_service.h"

namespace redshield::api {

// With `with_task`, adds "task":{"item_number","number","text"}.
json::object ToJson(const plans::Assignment& a, bool with_task);

}  // namespace redshield::api
