// JSON shapes of the plans module shared by its route files (docs/api.md,
// "Work plans"): assignments, attachment metadata and uploaded files.
#pragma once

#include <string>
#include <vector>

#include "api/json.h"
#include "plans/plan_store.h"
#include "plans/progress_service.h"

namespace redshield::api {

// With `with_task`, adds "task":{"item_number","number","text"}.
json::object ToJson(const plans::Assignment& a, bool with_task);
json::array ToJson(const std::vector<plans::AttachmentMeta>& files);
// "attachments":[{"filename","content_type","data_base64"}] → files;
// kInvalidArgument with field "attachments" for bad base64 or too many files.
Result<std::vector<plans::FileDraft>> ParseFileDrafts(const json::object& body);

}  // namespace redshield::api
