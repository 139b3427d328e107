#include "api/plan_mapping.h"

#include "core/crypto.h"

namespace redshield::api {

json::object ToJson(const plans::Assignment& a, bool with_task) {
  json::object out{{"id", IdText(a.id)},
                   {"plan_id", IdText(a.plan_id)},
                   {"task_id", IdText(a.task_id)},
                   {"org", json::object{{"id", IdText(a.org_id)},
                                        {"code", a.org_code},
                                        {"name", a.org_name},
                                        {"region_code", a.region_code}}},
                   {"role", std::string(plans::UnitRoleName(a.role))},
                   {"due_date", a.due_date},
                   {"status", a.status},
                   {"unit_text", a.unit_text},
                   {"last_report_at", a.last_report_at.empty() ? json::value(nullptr)
                                                               : json::value(a.last_report_at)},
                   {"reports", a.report_count},
                   {"overdue", a.overdue},
                   {"due_in_working_days", a.due_in_working_days}};
  if (with_task) {
    out["task"] = json::object{
        {"item_number", a.item_number}, {"number", a.task_number}, {"text", a.task_text}};
  }
  return out;
}

json::array ToJson(const std::vector<plans::AttachmentMeta>& files) {
  json::array out;
  for (const plans::AttachmentMeta& f : files) {
    out.push_back(json::object{{"id", IdText(f.id)},
                               {"filename", f.filename},
                               {"content_type", f.content_type},
                               {"size", f.size},
                               {"sha256", f.sha256}});
  }
  return out;
}

Result<std::vector<plans::FileDraft>> ParseFileDrafts(const json::object& body) {
  Result<std::vector<const json::object*>> items = GetObjectList(body, "attachments");
  RS_TRY(items);
  if (items->size() > plans::kMaxFiles) {
    return Fail(ErrorCode::kInvalidArgument,
                "附件最多 " + std::to_string(plans::kMaxFiles) + " 个", "attachments");
  }
  std::vector<plans::FileDraft> out;
  for (const json::object* item : *items) {
    Result<std::string> filename = GetString(*item, "filename");
    Result<std::string> type = GetString(*item, "content_type", false);
    Result<std::string> data = GetString(*item, "data_base64");
    if (!filename || !type || !data) {
      return Fail(ErrorCode::kInvalidArgument,
                  "附件须包含 filename 和 data_base64（字符串）", "attachments");
    }
    Result<std::string> bytes = Base64Decode(*data);
    if (!bytes) {
      return Fail(ErrorCode::kInvalidArgument, "附件“" + *filename + "”的 data_base64 不是有效的 base64",
                  "attachments");
    }
    out.push_back(plans::FileDraft{*filename, *type, std::move(*bytes)});
  }
  return out;
}

}  // namespace redshield::api
