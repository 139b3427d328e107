// JSON shapes of the plans module shared by its route files (docs/api.md,
// "Work plans"): assignments, attachment metadata, uploaded files, and the
// Content-Disposition of a download.
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
// attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded
std::string ContentDisposition(const std::string& filename);

}  // namespace redshield::api
