// JSON shapes of platform values (see docs/api.md), and query parsing shared
// by route files.
#pragma once

#include "api/json.h"
#include "api/router.h"
#include "core/attachment.h"
#include "platform/types.h"

namespace redshield::api {

// In a handler with a RequestContext `ctx`: evaluates a Result, returning its
// error as the response if it failed.
#define RS_API_TRY(var, expr) \
  auto var = (expr);          \
  if (!var) return ErrorResponse(var.error(), ctx.request.request_id)

json::object ToJson(const platform::User& user, const std::string& now);
json::object ToJson(const platform::Organization& org);
json::object ToJson(const AuditRecord& record, const std::string& org_name);
// Attached files: [{"id","kind","filename","content_type","size","sha256","created_at"}].
json::array ToJson(const std::vector<AttachmentMeta>& files);
// "attachments":[{"filename","content_type","data_base64"}] → files (count
// and size are the service's to check); kInvalidArgument with field
// "attachments" for a missing member or bad base64.
Result<std::vector<FileDraft>> ParseFileDrafts(const json::object& body);
template <typename T, typename F>
json::object PageJson(const platform::Page<T>& page, F&& item) {
  json::array items;
  for (const T& value : page.items) items.push_back(item(value));
  return {{"items", items}, {"total", page.total}, {"page", page.page},
          {"page_size", page.page_size}};
}

// ?page=&page_size= with defaults 1 and 20; kInvalidArgument for non-numbers.
Result<platform::PageRequest> ParsePage(const HttpRequest& request);
// The {id} path parameter.
Result<Id> PathId(const RequestContext& ctx);

}  // namespace redshield::api
